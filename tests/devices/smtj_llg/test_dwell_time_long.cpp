// Requirement: device.smtj_llg's mean dwell time equals the exact first-passage integral at the
// larger barrier Delta = 5 too (physics.md E, oracle 2; label `long`: ~3x the default test time).
#define BOOST_TEST_MODULE device_smtj_llg_dwell_time_long
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>

#include "axial_oracle.hpp"
#include "llg_test_support.hpp"

using namespace spinsc::smtj_llg;
using namespace spinsc::smtj_llg::test;

namespace {

constexpr double kThreshold = 0.5;  // Schmitt trigger at m_z = -+0.5
constexpr double kStepFraction = 0.225;  // of 0.02/(gamma0 H_K), as in test_dwell_time.cpp

struct DwellRun {
  std::vector<double> parallel, antiparallel;  // dwell times, s
  std::vector<double> occupancy;               // per junction: fraction of time with m_z > 0
};

// Runs `n` junctions until each has `per_junction` complete dwells in both states.
DwellRun run_dwells(TestMagnet magnet, std::size_t n, std::size_t per_junction, std::uint64_t seed) {
  magnet.step_fraction = kStepFraction;
  JunctionEnsemble ensemble = magnet.ensemble(n, seed, "smtj_llg-test-dwell");
  EnsembleState m = EnsembleState::uniform(n, {0.0, 0.0, 1.0});
  for (std::size_t j = 0; j < n; j += 2) m.z[j] = -1.0;
  const double dt = magnet.time_step_s();
  DwellRecorder recorder(n, kThreshold, per_junction);
  recorder.start(m);
  std::vector<double> positive(n, 0.0);
  std::size_t observed = 0, step = 0;
  const std::size_t chunk = 20000;
  while (!recorder.complete()) {
    integrate_steps(ensemble, m, chunk, dt, [&](const EnsembleState& s, std::size_t) {
      recorder.observe(s, ++step, dt);
      if (step % 8 == 0 && step * dt > 2e-9) {  // occupancy after a 2 ns transient
        for (std::size_t j = 0; j < n; ++j) positive[j] += s.z[j] > 0.0 ? 1.0 : 0.0;
        ++observed;
      }
    });
    BOOST_REQUIRE_MESSAGE(step * dt < 1e-5, "dwell collection did not finish");
  }
  DwellRun run{recorder.parallel(), recorder.antiparallel(), {}};
  for (double p : positive) run.occupancy.push_back(p / observed);
  return run;
}

void check_mean_dwell(const char* what, std::vector<double> dwells, double exact_s) {
  const MeanAndError measured = mean_and_error(dwells);
  const double relative = measured.mean / exact_s - 1.0;
  BOOST_TEST_MESSAGE(what << ": mean dwell " << measured.mean * 1e9 << " +- " << measured.standard_error * 1e9
                          << " ns (n = " << dwells.size() << "), exact " << exact_s * 1e9 << " ns, relative error "
                          << relative);
  // physics.md E row 2: n >= 1e4 dwells (relative SE ~ 1 %), tolerance 5 % including the bias of
  // the finite step and of detecting the threshold crossing once per step.
  BOOST_TEST(dwells.size() >= 10000u);
  BOOST_TEST(std::abs(relative) <= 0.05);
}

}  // namespace

BOOST_AUTO_TEST_CASE(mean_dwell_matches_first_passage_integral_delta_5) {
  TestMagnet magnet;
  magnet.delta = 5.0;
  const DwellRun run = run_dwells(magnet, 256, 20, 22);
  const double exact = magnet.tau_n_s() * AxialOracle(5.0, 0.0).passage_down(kThreshold, -kThreshold);
  std::vector<double> all = run.parallel;
  all.insert(all.end(), run.antiparallel.begin(), run.antiparallel.end());
  check_mean_dwell("Delta=5", all, exact);
}

