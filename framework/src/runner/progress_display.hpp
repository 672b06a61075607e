#pragma once
// What the person running an experiment sees while it runs. On a terminal: one line, redrawn in
// place, "run 3/12  elapsed 0:42  left ~2:10 (run ~0:31)  <phase> 40%: <current step>" (without
// "elapsed" when it does not fit the width, then cut). Otherwise
// (a log file, a pipe): plain lines when a run starts and ends, and a step line at most every 10 s.
// Time left: the current phase's own rate, plus the phases still to come timed by the previous run
// (a "≥" says that some are not timed yet), plus the runs still to do at the mean time per run.
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "spinsc/run_context.hpp"

namespace spinsc::runner_detail {

// "12.3 s", "4:05", "1:02:03"
std::string format_duration(double seconds);

// "elapsed 1:05  left ~2:10" for a sweep whose runs finish in any order on several processes
// (spinsc run under mpirun): the runs left at the mean rate so far (runs done per second of the
// whole job), so runs that ran side by side count as such. "left ?" before the first run ends.
std::string sweep_time_text(std::size_t runs_done, std::size_t runs_to_do, double elapsed_s);

class ProgressDisplay final : public Progress {
 public:
  ProgressDisplay(std::FILE* out, bool interactive, std::size_t runs_to_do, std::size_t runs_total,
                  std::size_t width = 100);
  void start_run(std::uint64_t run_index, const std::string& label);
  void end_run(const std::string& status, double wall_time_s);
  void finish();  // ends the progress line

  void step(const std::string& what, double fraction_done) override;
  void message(const std::string& text) override;
  void phase(const std::string& name) override;

  // The status part of the line (public for tests): counts, elapsed and the estimates.
  std::string status_text(bool with_elapsed = true) const;

 private:
  using Clock = std::chrono::steady_clock;
  struct PhaseTime {
    std::string name;
    double seconds;
  };
  static double since(Clock::time_point t);
  void close_phase();
  // Seconds left in this run; nullopt if nothing is known yet. `complete` is false when a phase
  // still to come has not been timed (the estimate is then a lower bound).
  std::optional<double> run_left_s(bool& complete) const;
  void redraw(bool force);
  void clear_line();

  std::FILE* out_;
  bool interactive_;
  std::size_t width_;
  std::size_t runs_to_do_, runs_total_, runs_done_ = 0;
  double completed_runs_s_ = 0.0;
  std::uint64_t current_run_ = 0;
  std::string current_label_, current_phase_, current_step_;
  double current_fraction_ = 0.0;
  bool line_drawn_ = false;
  Clock::time_point start_ = Clock::now(), run_start_ = start_, phase_start_ = start_;
  std::vector<PhaseTime> phases_this_run_, phases_previous_run_;
  double last_draw_s_ = -1e9;
};

}  // namespace spinsc::runner_detail
