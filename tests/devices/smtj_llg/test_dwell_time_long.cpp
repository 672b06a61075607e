// Requirement: device.smtj_llg's mean dwell time equals the exact first-passage integral at the
// larger barrier Delta = 5 too (physics.md E, oracle 2; label `long`: ~3x the default test time).
#define BOOST_TEST_MODULE device_smtj_llg_dwell_time_long
#include <boost/test/unit_test.hpp>

#include "dwell_run.hpp"

using namespace spinsc::smtj_llg;
using namespace spinsc::smtj_llg::test;

BOOST_AUTO_TEST_CASE(mean_dwell_matches_first_passage_integral_delta_5) {
  TestMagnet magnet;
  magnet.delta = 5.0;
  const DwellRun run = run_dwells(magnet, 256, 20, 22);
  std::vector<double> all = run.parallel;
  all.insert(all.end(), run.antiparallel.begin(), run.antiparallel.end());
  check_mean_dwell("Delta=5", all, magnet, AxialOracle(5.0, 0.0), Passage::down);
}

