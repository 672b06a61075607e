#include "runner/progress_display.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/core.h>

namespace spinsc::runner_detail {

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  if (seconds < 60) return fmt::format("{:.1f} s", seconds);
  const auto total = static_cast<long long>(std::llround(seconds));
  if (total < 3600) return fmt::format("{}:{:02}", total / 60, total % 60);
  return fmt::format("{}:{:02}:{:02}", total / 3600, (total / 60) % 60, total % 60);
}

ProgressDisplay::ProgressDisplay(std::FILE* out, bool interactive, std::size_t runs_to_do, std::size_t runs_total)
    : out_(out), interactive_(interactive), runs_to_do_(runs_to_do), runs_total_(runs_total) {}

double ProgressDisplay::elapsed_s() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

// Estimate of what is left: the mean time per run so far (fractions of the current run included)
// times the runs still to do.
std::string ProgressDisplay::status_text() const {
  const double elapsed = elapsed_s();
  const double done = static_cast<double>(runs_done_) + std::clamp(current_fraction_, 0.0, 1.0);
  std::string left = "?";
  if (done > 0.0) left = "~" + format_duration(elapsed / done * (static_cast<double>(runs_to_do_) - done));
  return fmt::format("run {}/{}  elapsed {}  left {}", current_run_ + 1, runs_total_, format_duration(elapsed), left);
}

void ProgressDisplay::clear_line() {
  if (interactive_ && line_drawn_) {
    fmt::print(out_, "\r\033[K");
    line_drawn_ = false;
  }
}

void ProgressDisplay::redraw(bool force) {
  const double now = elapsed_s();
  if (!force && now - last_draw_s_ < (interactive_ ? 0.1 : 10.0)) return;
  last_draw_s_ = now;
  std::string line = status_text();
  if (!current_step_.empty())
    line += fmt::format("  {} {:.0f}%", current_step_, 100.0 * std::clamp(current_fraction_, 0.0, 1.0));
  if (interactive_) {
    fmt::print(out_, "\r\033[K{}", line.substr(0, 150));
    line_drawn_ = true;
  } else {
    fmt::print(out_, "{}\n", line);
  }
  std::fflush(out_);
}

void ProgressDisplay::start_run(std::uint64_t run_index, const std::string& label) {
  current_run_ = run_index;
  current_label_ = label;
  current_step_.clear();
  current_fraction_ = 0.0;
  if (!interactive_) {
    fmt::print(out_, "run {}/{} started{}{}\n", run_index + 1, runs_total_, label.empty() ? "" : ": ", label);
    std::fflush(out_);
    last_draw_s_ = elapsed_s();
  } else {
    redraw(true);
  }
}

void ProgressDisplay::end_run(const std::string& status, double wall_time_s) {
  ++runs_done_;
  current_fraction_ = 0.0;
  current_step_.clear();
  clear_line();
  const std::string label = current_label_.empty() ? "" : ": " + current_label_;
  if (!interactive_) {
    fmt::print(out_, "{}  {} in {}{}\n", status_text(), status, format_duration(wall_time_s), label);
    std::fflush(out_);
    return;
  }
  if (status != "complete")
    fmt::print(out_, "run {}/{} {}{}\n", current_run_ + 1, runs_total_, status, label);
  redraw(true);
}

void ProgressDisplay::finish() {
  clear_line();
  std::fflush(out_);
}

void ProgressDisplay::step(const std::string& what, double fraction_done) {
  current_step_ = what;
  current_fraction_ = fraction_done;
  redraw(false);
}

void ProgressDisplay::message(const std::string& text) {
  clear_line();
  fmt::print(out_, "{}\n", text);
  if (interactive_) redraw(true);  // put the progress line back under the message
}

}  // namespace spinsc::runner_detail
