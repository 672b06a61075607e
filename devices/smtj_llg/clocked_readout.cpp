#include "clocked_readout.hpp"

#include <utility>  // before Odeint: Boost 1.74's check_adapter.hpp uses std::pair without it
#include <boost/numeric/odeint/integrate/integrate_const.hpp>

#include <cmath>
#include <functional>
#include <stdexcept>

#include "heun_stepper.hpp"
#include "schmitt_readout.hpp"

namespace spinsc::smtj_llg {

std::size_t steps_per_clock(const DevicePhysics& physics) {
  return static_cast<std::size_t>(std::max(1.0, std::round(physics.clock_period_s / physics.time_step_s)));
}

ClockedReadoutResult run_clocked_readout(const DevicePhysics& physics, double bias,
                                         const std::vector<JunctionCoefficients>& junctions,
                                         std::vector<RandomStream> streams,
                                         const std::vector<std::uint8_t>& start_antiparallel,
                                         std::size_t burn_in_clocks, std::size_t n_clocks) {
  const std::size_t n = junctions.size();
  if (start_antiparallel.size() != n) throw std::invalid_argument("run_clocked_readout: one start state per junction");
  JunctionEnsemble ensemble(physics.model_at(bias), junctions, std::move(streams));
  EnsembleState m = EnsembleState::uniform(n, {0.0, 0.0, 1.0});
  for (std::size_t j = 0; j < n; ++j)
    if (start_antiparallel[j]) m.z[j] = -1.0;
  const auto [one_below, zero_above] = physics.mz_thresholds_at(bias);
  SchmittTrigger trigger(one_below, zero_above, n);
  trigger.reset(m.z.data());

  // integrate_const observes the state before the first step and after every step; the start of
  // a period is the end of the previous one, so it is observed only in the very first period.
  bool skip_first_observation = false;
  auto observe = [&](const EnsembleState& state, double) {
    if (skip_first_observation) {
      skip_first_observation = false;
      return;
    }
    trigger.update(state.z.data());
  };

  ClockedReadoutResult result;
  result.words_per_junction = (n_clocks + 63) / 64;
  result.words.assign(n * result.words_per_junction, 0);
  result.ones.assign(n, 0);
  const std::size_t steps = steps_per_clock(physics);
  const double dt = physics.time_step_s;
  const double period = static_cast<double>(steps) * dt;
  for (std::size_t clock = 0; clock < burn_in_clocks + n_clocks; ++clock) {
    if (clock == burn_in_clocks) trigger.clear_flips();
    result.steps += boost::numeric::odeint::integrate_const(HeunStratonovichStepper(), std::ref(ensemble), m, 0.0,
                                                            period, dt, std::ref(observe));
    skip_first_observation = true;
    if (clock < burn_in_clocks) continue;
    const std::size_t t = clock - burn_in_clocks;
    const std::vector<std::uint32_t>& bits = trigger.bits();
    for (std::size_t j = 0; j < n; ++j) {
      result.words[j * result.words_per_junction + t / 64] |= static_cast<std::uint64_t>(bits[j]) << (t % 64);
      result.ones[j] += bits[j];
    }
  }
  result.switches.assign(trigger.flips().begin(), trigger.flips().end());
  return result;
}

}  // namespace spinsc::smtj_llg
