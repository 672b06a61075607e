// Requirement: device.smtj_llg's default device (the shipped parameters, Delta = 3.72) switches as
// the exact 1-D Fokker–Planck oracle computed here from its parameters predicts — P(1) of the
// read-out, its mean dwells, the +-0.5 mean dwell the docs quote — at zero bias and at +0.15 V,
// with the plugin's Heun stepper and with an Euler–Maruyama solver written independently in the
// test (shipped_device_check.hpp: the oracle, the known step bias and the tolerances). Bigger
// runs: test_shipped_device_long (label long).
#define BOOST_TEST_MODULE device_smtj_llg_shipped_device
#include <boost/test/unit_test.hpp>

#include "shipped_device_check.hpp"

using namespace spinsc::smtj_llg;
using namespace spinsc::smtj_llg::test;

BOOST_AUTO_TEST_CASE(oracle_values_of_the_shipped_device) {
  // Printed for the docs; computed from the parameters (nothing typed). Brown's asymptote runs
  // 6-9 % below the exact first-passage time at Delta = 3-5 (physics.md E row 2).
  const DevicePhysics d = shipped_device();
  const BiasOracle zero(d, 0.0);
  const double exact = zero.symmetric_dwell_s(0.5, 0.0), brown = BiasOracle::brown_s(d);
  BOOST_TEST_MESSAGE("Delta " << d.delta() << ": exact mean dwell (+-0.5 trigger) " << exact * 1e9 << " ns, Brown "
                              << brown * 1e9 << " ns (tau0 = Brown e^-Delta = " << brown * std::exp(-d.delta()) * 1e9
                              << " ns); zero-bias P(1) of the read-out " << zero.readout(0.0).p_one
                              << " (thresholds m_z " << zero.one_below << " / " << zero.zero_above << ")");
  BOOST_TEST(brown / exact > 0.90);
  BOOST_TEST(brown / exact < 0.95);
  // The 0.4/0.6 resistance thresholds both lie on the antiparallel side (m_z < 0), so the read-out
  // is not symmetric and P(1) at zero bias is below 1/2.
  BOOST_TEST(zero.zero_above < 0.0);
  BOOST_TEST(zero.readout(0.0).p_one < 0.49);
}

// Default-suite size (about 10 CPU-seconds): Heun 128 junctions, 12 read-out dwells per junction
// and state (1536 of each per bias, SE ~2.5 %), 5 per state through the +-0.5 trigger;
// Euler–Maruyama at half the step, 64 junctions, 8 and 3 dwells (SE ~3.5-5 %). 20 ns burn-in:
// over 3 relaxation times (1/(2/11.8 ns)) of the start's imbalance.
BOOST_AUTO_TEST_CASE(zero_bias_two_solvers_against_the_oracle) {
  compare_solvers_at(0.0, {128, 20e-9, 80e-9, 12, 5}, {64, 20e-9, 80e-9, 8, 3}, 0.5, 31);
}

BOOST_AUTO_TEST_CASE(positive_bias_two_solvers_against_the_oracle) {
  compare_solvers_at(0.15, {128, 20e-9, 80e-9, 12, 5}, {64, 20e-9, 80e-9, 8, 3}, 0.5, 37);
}
