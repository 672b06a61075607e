// Requirement: device.smtj_llg's thermally assisted spin-torque switching follows
// P_sw(t) = 1 - exp(-t/tau(I)), tau the exact first-passage time with the torque-tilted weight
// (physics.md E, oracle 6).
#define BOOST_TEST_MODULE device_smtj_llg_switching_probability
#include <boost/test/unit_test.hpp>

#include <cmath>

#include "axial_oracle.hpp"
#include "llg_test_support.hpp"

using namespace spinsc::smtj_llg;
using namespace spinsc::smtj_llg::test;

BOOST_AUTO_TEST_CASE(switching_probability_follows_exponential_law) {
  TestMagnet magnet;  // alpha 0.5, mu0 H_K,eff 0.5 T
  magnet.delta = 5.0;
  magnet.aj_over_alpha_hk = 0.1;  // torque favouring +z; junctions start antiparallel (m = -z)
  const double threshold = 0.5;   // switched once m_z > 0.5 (the read-out flips)
  const double tau = magnet.tau_n_s() * AxialOracle(magnet.delta, magnet.reduced_field()).passage_up(-1.0, threshold);
  const std::size_t n = 4000;  // N >= 2000 per point
  JunctionEnsemble ensemble = magnet.ensemble(n, 31, "smtj_llg-test-switching");
  EnsembleState m = EnsembleState::uniform(n, {0.0, 0.0, -1.0});
  const double dt = magnet.time_step_s();
  // The law is the escape of a thermalized magnet over a barrier (here Delta (1 - h)^2 = 4.05);
  // it does not describe the first ~0.1 ns, the climb from the well bottom where every junction
  // starts (an incubation delay, measured and reported in docs/smtj_llg.md). Checked from tau/2 on.
  const std::vector<double> times = {0.5 * tau, tau, 2.0 * tau};
  std::vector<std::size_t> switched_by(times.size(), 0);
  std::vector<std::uint8_t> switched(n, 0);
  std::size_t total = 0, next_time = 0;
  integrate_steps(ensemble, m, static_cast<std::size_t>(times.back() / dt) + 1, dt,
                  [&](const EnsembleState& s, std::size_t step) {
                    for (std::size_t j = 0; j < n; ++j)
                      if (!switched[j] && s.z[j] > threshold) switched[j] = 1, ++total;
                    while (next_time < times.size() && static_cast<double>(step) * dt >= times[next_time])
                      switched_by[next_time++] = total;
                  });
  for (std::size_t k = 0; k < times.size(); ++k) {
    const double p = static_cast<double>(switched_by[k]) / n;
    const double expected = 1.0 - std::exp(-times[k] / tau);
    const double se = std::sqrt(expected * (1.0 - expected) / n);  // binomial SE
    BOOST_TEST_MESSAGE("t = " << times[k] * 1e9 << " ns (tau = " << tau * 1e9 << " ns): P_sw " << p << ", expected "
                              << expected << " +- " << se);
    BOOST_TEST(std::abs(p - expected) <= 4.0 * se);  // 4 SE
  }
}
