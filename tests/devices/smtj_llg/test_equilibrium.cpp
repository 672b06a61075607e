// Requirement: device.smtj_llg's thermal field satisfies fluctuation–dissipation: the stationary
// distribution of m_z is the Boltzmann one (physics.md E, oracle 1: <m_z^2> and the CDF of |m_z|).
#define BOOST_TEST_MODULE device_smtj_llg_equilibrium
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>

#include "axial_oracle.hpp"
#include "llg_test_support.hpp"

using namespace spinsc::smtj_llg;
using namespace spinsc::smtj_llg::test;

namespace {

void check_equilibrium(double delta, std::uint64_t seed) {
  TestMagnet magnet;
  magnet.delta = delta;  // alpha 0.5, mu0 H_K,eff 0.5 T, N = (0, 0, 1)
  const std::size_t n = 256;
  JunctionEnsemble ensemble = magnet.ensemble(n, seed, "smtj_llg-test-equilibrium");
  EnsembleState m = EnsembleState::uniform(n, {0.0, 0.0, 1.0});
  for (std::size_t j = 0; j < n; j += 2) m.z[j] = -1.0;
  const double dt = magnet.time_step_s();
  // In-well relaxation time of m_z^2 is (1 + alpha^2)/(2 alpha gamma0 H_K) ~ 14 ps: samples 0.1 ns
  // apart are independent; 0.5 ns of burn-in.
  const auto burn_in = static_cast<std::size_t>(0.5e-9 / dt);
  const auto every = static_cast<std::size_t>(0.1e-9 / dt);
  const std::size_t samples_per_junction = 250;
  std::vector<double> sum_mz2(n, 0.0);
  std::vector<double> abs_mz;
  abs_mz.reserve(n * samples_per_junction);
  integrate_steps(ensemble, m, burn_in + every * samples_per_junction, dt, [&](const EnsembleState& s, std::size_t step) {
    if (step <= burn_in || (step - burn_in) % every != 0) return;
    for (std::size_t j = 0; j < n; ++j) {
      sum_mz2[j] += s.z[j] * s.z[j];
      abs_mz.push_back(std::abs(s.z[j]));
    }
  });
  // Batch means: one batch per junction (junctions are independent).
  std::vector<double> batch;
  for (double s : sum_mz2) batch.push_back(s / samples_per_junction);
  const MeanAndError measured = mean_and_error(batch);
  const AxialOracle oracle(delta, 0.0);
  const double exact = oracle.mean([](double z) { return z * z; });
  BOOST_TEST_MESSAGE("Delta=" << delta << " <m_z^2> simulated " << measured.mean << " +- " << measured.standard_error
                              << ", exact " << exact);
  BOOST_TEST(std::abs(measured.mean - exact) <= 4.0 * measured.standard_error);  // 4 SE

  // Kolmogorov–Smirnov against the exact CDF of |m_z|: F(x) = int_0^x w / int_0^1 w.
  std::sort(abs_mz.begin(), abs_mz.end());
  const double n_samples = static_cast<double>(abs_mz.size());
  const double w0 = oracle.integral_from_minus_one(0.0), w1 = oracle.total() - w0;
  double d_max = 0.0;
  for (std::size_t i = 0; i < abs_mz.size(); i += 7) {  // every 7th order statistic: plenty for D
    const double f = (oracle.integral_from_minus_one(abs_mz[i]) - w0) / w1;
    d_max = std::max({d_max, std::abs(f - i / n_samples), std::abs(f - (i + 1) / n_samples)});
  }
  // Critical value at significance 1e-4: sqrt(-ln(0.5e-4)/2) / sqrt(n) = 2.23/sqrt(n).
  const double d_critical = 2.23 / std::sqrt(n_samples);
  BOOST_TEST_MESSAGE("Delta=" << delta << " KS D = " << d_max << " (critical " << d_critical << ", n = " << n_samples << ")");
  BOOST_TEST(d_max < d_critical);
}

}  // namespace

BOOST_AUTO_TEST_CASE(boltzmann_distribution_delta_3) { check_equilibrium(3.0, 11); }
BOOST_AUTO_TEST_CASE(boltzmann_distribution_delta_5) { check_equilibrium(5.0, 12); }
