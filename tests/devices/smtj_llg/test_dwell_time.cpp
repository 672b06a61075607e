// Requirement: device.smtj_llg's thermally activated switching has the exact mean dwell time (the
// first-passage integral, not Brown's asymptote) at zero bias, and spin-transfer torque tilts
// occupancy and dwells as the exact 1D reduction predicts (physics.md E, oracles 2 and 3).
#define BOOST_TEST_MODULE device_smtj_llg_dwell_time
#include <boost/test/unit_test.hpp>

#include "dwell_run.hpp"

using namespace spinsc::smtj_llg;
using namespace spinsc::smtj_llg::test;

BOOST_AUTO_TEST_CASE(mean_dwell_matches_first_passage_integral_delta_3) {
  TestMagnet magnet;  // Delta 3, alpha 0.5, mu0 H_K,eff 0.5 T
  const DwellRun run = run_dwells(magnet, 256, 20, 21);
  const double exact = magnet.tau_n_s() * AxialOracle(3.0, 0.0).passage_down(kThreshold, -kThreshold);
  std::vector<double> all = run.parallel;
  all.insert(all.end(), run.antiparallel.begin(), run.antiparallel.end());
  check_mean_dwell("Delta=3", all, exact);
  // Dwells are close to exponential: coefficient of variation ~1 (1.04 observed in physics.md).
  const MeanAndError m = mean_and_error(all);
  const double cv = m.standard_error * std::sqrt(double(all.size())) / m.mean;
  BOOST_TEST_MESSAGE("Delta=3 dwell coefficient of variation " << cv);
  BOOST_TEST(std::abs(cv - 1.0) < 0.1);
}

BOOST_AUTO_TEST_CASE(spin_torque_tilts_occupancy_and_dwells) {
  TestMagnet magnet;  // Delta 3; a_J = 0.2 alpha H_K,eff favours m = +z (parallel)
  magnet.aj_over_alpha_hk = 0.2;
  const DwellRun run = run_dwells(magnet, 512, 20, 23);
  const AxialOracle oracle(3.0, magnet.reduced_field());
  const MeanAndError occupancy = mean_and_error(run.occupancy);  // batch means over junctions
  const double exact = oracle.probability_positive();
  BOOST_TEST_MESSAGE("P(m_z > 0) simulated " << occupancy.mean << " +- " << occupancy.standard_error << ", exact " << exact);
  BOOST_TEST(std::abs(occupancy.mean - exact) <= 4.0 * occupancy.standard_error);  // 4 SE
  check_mean_dwell("tilted, parallel", run.parallel, magnet.tau_n_s() * oracle.passage_down(kThreshold, -kThreshold));
  check_mean_dwell("tilted, antiparallel", run.antiparallel, magnet.tau_n_s() * oracle.passage_up(-kThreshold, kThreshold));
}
