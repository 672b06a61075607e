// Requirement (scale out, progress): rank 0 of an MPI job reports, with each finished run, the
// job's elapsed time and an estimate of the time left: the runs left at the mean rate so far
// (runs finished per second of the whole job, so that runs finished side by side by several
// ranks count as such), "left ?" before any run has finished.
#define BOOST_TEST_MODULE sweep_progress
#include <boost/test/unit_test.hpp>

#include "runner/progress_display.hpp"

using spinsc::runner_detail::sweep_time_text;

BOOST_AUTO_TEST_CASE(time_left_is_the_runs_left_at_the_mean_rate_so_far) {
  // 3 of 12 runs in 30 s: 10 s a run, 9 left: 90 s ("1:30").
  BOOST_TEST(sweep_time_text(3, 12, 30.0) == "elapsed 30.0 s  left ~1:30");
  // 8 runs finished in 20 s by several ranks: 2.5 s a run, 4 left: 10 s.
  BOOST_TEST(sweep_time_text(8, 12, 20.0) == "elapsed 20.0 s  left ~10.0 s");
  BOOST_TEST(sweep_time_text(12, 12, 65.0) == "elapsed 1:05  left ~0.0 s");
  BOOST_TEST(sweep_time_text(0, 12, 4.0) == "elapsed 4.0 s  left ?");
}
