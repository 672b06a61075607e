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

ProgressDisplay::ProgressDisplay(std::FILE* out, bool interactive, std::size_t runs_to_do, std::size_t runs_total,
                                 std::size_t width)
    : out_(out), interactive_(interactive), width_(std::max<std::size_t>(width, 40)), runs_to_do_(runs_to_do),
      runs_total_(runs_total) {}

double ProgressDisplay::since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Phases are matched to the previous run's by position (the k-th phase of this run against the
// k-th of the previous one), so that names may carry the run's variant (device, activation).
std::string sweep_time_text(std::size_t runs_done, std::size_t runs_to_do, double elapsed_s) {
  std::string text = "elapsed " + format_duration(elapsed_s);
  if (runs_done == 0) return text + "  left ?";
  const std::size_t left = runs_to_do > runs_done ? runs_to_do - runs_done : 0;
  return text + "  left ~" + format_duration(elapsed_s / double(runs_done) * double(left));
}

std::optional<double> ProgressDisplay::run_left_s(bool& complete) const {
  complete = true;
  const double fraction = std::clamp(current_fraction_, 0.0, 1.0);
  const bool has_previous = !phases_previous_run_.empty();
  const bool in_phase = !current_phase_.empty();
  const std::size_t current = phases_this_run_.size();  // index of the current (or next) phase
  double left = 0.0;
  bool known = false;
  // The current phase: its own rate, else its duration in the previous run.
  if (fraction > 0.0) {
    left += since(in_phase ? phase_start_ : run_start_) / fraction * (1.0 - fraction);
    known = true;
  } else if (in_phase && current < phases_previous_run_.size()) {
    left += std::max(0.0, phases_previous_run_[current].seconds - since(phase_start_));
    known = true;
  } else if (!in_phase && !has_previous && runs_done_ > 0) {
    // A task without phases: the mean time per finished run.
    left += std::max(0.0, completed_runs_s_ / double(runs_done_) - since(run_start_));
    known = true;
  } else if (in_phase || !has_previous) {
    complete = false;  // the current phase has no estimate yet
  }
  // The phases still to come: those of the previous run after this position. In the first run
  // they are not known: the estimate is then a lower bound.
  if (!has_previous && in_phase) complete = false;
  for (std::size_t k = current + (in_phase ? 1 : 0); k < phases_previous_run_.size(); ++k) {
    left += phases_previous_run_[k].seconds;
    known = true;
  }
  if (!known) return std::nullopt;
  return left;
}

// "run 3/12  elapsed 0:42  left ~2:10 (run ~0:31)": the experiment's time left is this run's
// plus the runs still to do at the mean time per finished run (or this run's estimated total).
std::string ProgressDisplay::status_text(bool with_elapsed) const {
  std::string text = fmt::format("run {}/{}", current_run_ + 1, runs_total_);
  if (with_elapsed) text += "  elapsed " + format_duration(since(start_));
  if (runs_done_ >= runs_to_do_ && runs_to_do_ > 0) return text + "  all done";
  bool complete = true;
  const std::optional<double> run_left = run_left_s(complete);
  const double runs_after = std::max(0.0, double(runs_to_do_) - double(runs_done_) - 1.0);
  std::optional<double> per_run;
  if (runs_done_ > 0) per_run = completed_runs_s_ / double(runs_done_);
  else if (run_left) per_run = since(run_start_) + *run_left;
  const std::string bound = complete ? "~" : "≥";
  if (!run_left) return text + "  left ?";
  const std::string all_bound = bound;
  const double all = *run_left + (per_run ? runs_after * *per_run : 0.0);
  if (runs_to_do_ <= 1 || runs_after == 0.0) return text + fmt::format("  left {}{}", bound, format_duration(*run_left));
  return text + fmt::format("  left {}{} (run {}{})", all_bound, format_duration(all), bound, format_duration(*run_left));
}

void ProgressDisplay::clear_line() {
  if (interactive_ && line_drawn_) {
    fmt::print(out_, "\r\033[K");
    line_drawn_ = false;
  }
}

static std::size_t display_columns(const std::string& line) {
  std::size_t columns = 0;
  for (unsigned char c : line) columns += (c & 0xC0) != 0x80;
  return columns;
}

// Cuts a line to `width` terminal columns (UTF-8 aware: continuation bytes take no column).
static std::string fit(const std::string& line, std::size_t width) {
  std::size_t columns = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xC0) == 0x80) continue;
    if (++columns > width) return line.substr(0, i);
  }
  return line;
}

void ProgressDisplay::redraw(bool force) {
  const double now = since(start_);
  if (!force && now - last_draw_s_ < (interactive_ ? 0.1 : 10.0)) return;
  last_draw_s_ = now;
  // "<status>  <phase> 40%: <step>": the percentage before the step, so that a cut keeps it.
  auto doing = [&](const std::string& phase) {
    if (phase.empty() && current_step_.empty()) return std::string();
    std::string text = fmt::format("  {}{}{:.0f}%", phase, phase.empty() ? "" : " ",
                                   100.0 * std::clamp(current_fraction_, 0.0, 1.0));
    return current_step_.empty() ? text : text + ": " + current_step_;
  };
  std::string line = status_text() + doing(current_phase_);
  if (interactive_) {
    // Too wide: "elapsed" goes first, then the phase's details in parentheses (the variant).
    if (display_columns(line) > width_ - 1) line = status_text(false) + doing(current_phase_);
    if (display_columns(line) > width_ - 1)
      line = status_text(false) + doing(current_phase_.substr(0, current_phase_.find(" (")));
    fmt::print(out_, "\r\033[K{}", fit(line, width_ - 1));
    line_drawn_ = true;
  } else {
    fmt::print(out_, "{}\n", line);
  }
  std::fflush(out_);
}

void ProgressDisplay::start_run(std::uint64_t run_index, const std::string& label) {
  current_run_ = run_index;
  current_label_ = label;
  current_phase_.clear();
  current_step_.clear();
  current_fraction_ = 0.0;
  phases_this_run_.clear();
  run_start_ = phase_start_ = Clock::now();
  if (!interactive_) {
    fmt::print(out_, "run {}/{} started{}{}\n", run_index + 1, runs_total_, label.empty() ? "" : ": ", label);
    std::fflush(out_);
    last_draw_s_ = since(start_);
  } else {
    redraw(true);
  }
}

void ProgressDisplay::close_phase() {
  if (!current_phase_.empty()) phases_this_run_.push_back({current_phase_, since(phase_start_)});
  current_phase_.clear();
}

void ProgressDisplay::end_run(const std::string& status, double wall_time_s) {
  close_phase();
  ++runs_done_;
  completed_runs_s_ += wall_time_s;
  if (status == "complete") phases_previous_run_ = phases_this_run_;
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

void ProgressDisplay::phase(const std::string& name) {
  close_phase();
  current_phase_ = name;
  current_step_.clear();
  current_fraction_ = 0.0;
  phase_start_ = Clock::now();
  redraw(interactive_);
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
