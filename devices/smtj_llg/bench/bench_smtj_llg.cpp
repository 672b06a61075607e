// Benchmark of device.smtj_llg's integrator: device-steps per second (one step of one junction)
// on one core, for a single junction and for many junctions integrated together, with the
// thermal field and the Schmitt-trigger read-out on (the work a bitstream costs).
//   bench_smtj_llg [seconds_per_case=2]     integration speed
//   bench_smtj_llg calibrate                 the default device's calibration: time, curve, energy
#include <utility>  // before Odeint: Boost 1.74's check_adapter.hpp uses std::pair without it
#include <boost/numeric/odeint/integrate/integrate_const.hpp>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "calibration.hpp"
#include "device_physics.hpp"
#include "heun_stepper.hpp"
#include "schmitt_readout.hpp"

using namespace spinsc::smtj_llg;

namespace {

double device_steps_per_second(std::size_t n_junctions, double seconds) {
  // The plugin's default device (the worked superparamagnetic set), at zero bias.
  const auto values = default_device_parameters("device.smtj_llg");
  const DevicePhysics physics = DevicePhysics::from_params(spinsc::Params(values, "device.smtj_llg"));
  std::vector<JunctionCoefficients> junctions(n_junctions, physics.junction_at(0.0));
  std::vector<spinsc::RandomStream> streams;
  const spinsc::RandomStream base(1, "bench_smtj_llg");
  for (std::size_t j = 0; j < n_junctions; ++j) streams.push_back(base.substream(j));
  JunctionEnsemble ensemble(physics.model_at(0.0), junctions, std::move(streams));
  EnsembleState m = EnsembleState::uniform(n_junctions, {0.0, 0.0, 1.0});
  SchmittTrigger trigger(-0.5, 0.5, n_junctions);
  trigger.reset(m.z.data());
  auto observe = [&](const EnsembleState& state, double) { trigger.update(state.z.data()); };
  const double dt = physics.time_step_s;
  const std::size_t steps_per_call = 2000;
  std::size_t steps = 0;
  // Wall time and this thread's CPU time: on a shared machine the CPU-time rate is the speed of
  // one core, the wall-time rate what this run happened to get.
  auto cpu_seconds = [] {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
  };
  const double cpu_start = cpu_seconds();
  const auto start = std::chrono::steady_clock::now();
  double elapsed = 0.0;
  while (elapsed < seconds) {
    steps += boost::numeric::odeint::integrate_const(HeunStratonovichStepper(), std::ref(ensemble), m, 0.0,
                                                     steps_per_call * dt, dt, std::ref(observe));
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  std::size_t flips = 0;
  for (auto f : trigger.flips()) flips += f;
  const double cpu = cpu_seconds() - cpu_start;
  std::printf("  %6zu junctions: %8.2f million device-steps/s per CPU-second (%6.2f per wall second; %zu steps, %zu switching events)\n",
              n_junctions, double(steps) * n_junctions / cpu / 1e6, double(steps) * n_junctions / elapsed / 1e6, steps, flips);
  return double(steps) * n_junctions / cpu;
}

}  // namespace

// Computes (without the cache) the calibration of the plugin's default device and prints it.
int calibrate() {
  const auto values = default_device_parameters("device.smtj_llg");
  const spinsc::Params params(values, "device.smtj_llg");
  const DevicePhysics physics = DevicePhysics::from_params(params);
  const CalibrationSettings settings = CalibrationSettings::from_params(params, physics.bias_mode);
  std::printf("default device: Delta = %.3f, mu0 H_K,eff = %.4f T, clock %.3g s, dt %.3g s\n", physics.delta(),
              kMu0 * physics.hk_eff_A_per_m(), physics.clock_period_s, physics.time_step_s);
  const auto start = std::chrono::steady_clock::now();
  const CalibrationCurve curve = compute_calibration(physics, settings);
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("calibration: %zu points x %d junctions x %d clocks in %.1f s wall\n", curve.bias.size(), settings.junctions,
              settings.clocks + settings.burn_in_clocks, elapsed);
  for (std::size_t k = 0; k < curve.bias.size(); ++k)
    std::printf("  bias %+7.3f %s  P(1) %.4f +- %.4f  energy/bit %.3g J\n", curve.bias[k], curve.bias_unit.c_str(),
                curve.p_one[k], curve.p_one_se[k], physics.energy_per_bit_J(curve.bias[k], curve.p_monotone[k]));
  return 0;
}

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "calibrate") return calibrate();
  const double seconds = argc > 1 ? std::atof(argv[1]) : 2.0;
  std::printf("device.smtj_llg sLLG-Heun integration, one core, thermal field + Schmitt read-out on\n");
  for (std::size_t n : {1, 8, 64, 256, 1024, 4096}) device_steps_per_second(n, seconds);
  return 0;
}
