#pragma once
// What the person running an experiment sees while it runs. On a terminal: one line, redrawn in
// place, "run 3/12  elapsed 0:42  left ~2:10  <current step>". Otherwise (a log file, a pipe):
// plain lines when a run starts and ends, and at most one step line every 10 s.
#include <chrono>
#include <cstdio>
#include <string>

#include "spinsc/run_context.hpp"

namespace spinsc::runner_detail {

// "12.3 s", "4:05", "1:02:03"
std::string format_duration(double seconds);

class ProgressDisplay final : public Progress {
 public:
  ProgressDisplay(std::FILE* out, bool interactive, std::size_t runs_to_do, std::size_t runs_total);
  void start_run(std::uint64_t run_index, const std::string& label);
  void end_run(const std::string& status, double wall_time_s);
  void finish();  // ends the progress line

  void step(const std::string& what, double fraction_done) override;
  void message(const std::string& text) override;

 private:
  double elapsed_s() const;
  std::string status_text() const;
  void redraw(bool force);
  void clear_line();

  std::FILE* out_;
  bool interactive_;
  std::size_t runs_to_do_, runs_total_, runs_done_ = 0;
  std::uint64_t current_run_ = 0;
  std::string current_label_, current_step_;
  double current_fraction_ = 0.0;
  bool line_drawn_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  double last_draw_s_ = -1e9;
};

}  // namespace spinsc::runner_detail
