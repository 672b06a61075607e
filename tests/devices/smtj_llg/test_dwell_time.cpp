// Requirement: device.smtj_llg's thermally activated switching has the exact mean dwell time (the
// first-passage integral, not Brown's asymptote) at zero bias, and spin-transfer torque tilts
// occupancy and dwells as the exact 1D reduction predicts (physics.md E, oracles 2 and 3).
#define BOOST_TEST_MODULE device_smtj_llg_dwell_time
#include <boost/test/unit_test.hpp>

#include "dwell_run.hpp"

using namespace spinsc::smtj_llg;
using namespace spinsc::smtj_llg::test;

namespace {
struct SampleCv {
  double value, standard_error;
};
// The sample coefficient of variation s / mean and its delta-method SE from the central moments
// m2, m3, m4: Var(mean) = m2/n, Var(s^2) = (m4 - m2^2)/n, Cov(mean, s^2) = m3/n.
SampleCv sample_cv(const std::vector<double>& x) {
  const double n = double(x.size());
  double mean = 0.0;
  for (double v : x) mean += v / n;
  double m2 = 0.0, m3 = 0.0, m4 = 0.0;
  for (double v : x) {
    const double d = v - mean;
    m2 += d * d / n, m3 += d * d * d / n, m4 += d * d * d * d / n;
  }
  const double s = std::sqrt(m2), cv = s / mean;
  const double d_mean = -s / (mean * mean), d_var = 1.0 / (2.0 * s * mean);  // d cv / d mean, d cv / d s^2
  const double var = (d_mean * d_mean * m2 + d_var * d_var * (m4 - m2 * m2) + 2.0 * d_mean * d_var * m3) / n;
  return {cv, std::sqrt(var)};
}
}  // namespace

BOOST_AUTO_TEST_CASE(mean_dwell_matches_first_passage_integral_delta_3) {
  TestMagnet magnet;  // Delta 3, alpha 0.5, mu0 H_K,eff 0.5 T
  const DwellRun run = run_dwells(magnet, 256, 20, 21);
  std::vector<double> all = run.parallel;
  all.insert(all.end(), run.antiparallel.begin(), run.antiparallel.end());
  check_mean_dwell("Delta=3", all, magnet, AxialOracle(3.0, 0.0), Passage::down);  // symmetric: both kinds
  // Dwells are close to exponential, but not exactly: the coefficient of variation of the first
  // passage from +0.5 to -0.5 is sqrt(T_2 - T_1^2) / T_1 with T_2 the oracle's second moment
  // (1.0688 at Delta 3; scipy's adaptive quadrature of the same integrals gives T_1 = 7.26782,
  // T_2 = 113.158 tau_N^(1, 2)). The SE of the sample cv by the delta method from the sample's own
  // moments (about 1/sqrt(n) = 0.0099 for exponential dwells); 5 SE.
  const AxialOracle oracle(3.0, 0.0);
  const double t1 = oracle.passage_down(kThreshold, -kThreshold);
  const double t2 = oracle.passage_down_second_moment(kThreshold, -kThreshold);
  const double exact_cv = std::sqrt(t2 - t1 * t1) / t1;
  const SampleCv cv = sample_cv(all);
  BOOST_TEST_MESSAGE("Delta=3 dwell coefficient of variation " << cv.value << " +- " << cv.standard_error
                                                               << ", exact " << exact_cv);
  BOOST_TEST(exact_cv == 1.0688, boost::test_tools::tolerance(1e-4));  // the scipy value above
  BOOST_TEST(std::abs(cv.value - exact_cv) < 5 * cv.standard_error);
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
  check_mean_dwell("tilted, parallel", run.parallel, magnet, oracle, Passage::down);
  check_mean_dwell("tilted, antiparallel", run.antiparallel, magnet, oracle, Passage::up);
}
