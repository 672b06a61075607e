// Benchmark of device.smtj_llg's integrator: device-steps per second (one step of one junction)
// on one core, for a single junction and for many junctions integrated together, with the
// thermal field and the Schmitt-trigger read-out on (the work a bitstream costs).
//   bench_smtj_llg [seconds_per_case=2]         integration speed
//   bench_smtj_llg calibrate [key=value ...]    the default device's calibration: time, curve, energy
//   bench_smtj_llg stream [streams=40] [bits=256]
//       the plugin's own stream path, loaded through the PluginRegistry with an empty cache:
//       calibration and stream generation, device-steps per second of each and together
#include <utility>  // before Odeint: Boost 1.74's check_adapter.hpp uses std::pair without it
#include <boost/numeric/odeint/integrate/integrate_const.hpp>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <unistd.h>

#include "calibration.hpp"
#include "clocked_readout.hpp"
#include "device_physics.hpp"
#include "heun_stepper.hpp"
#include "schmitt_readout.hpp"
#include "spinsc/bit_source.hpp"
#include "spinsc/plugin_registry.hpp"

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

double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

// Computes (without the cache) the calibration of the plugin's default device (with "key=value"
// overrides) and prints it.
int calibrate(const std::vector<std::string>& overrides) {
  const auto values = default_device_parameters("device.smtj_llg", overrides);
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

// The plugin as an experiment uses it: made through the PluginRegistry (its calibration computed,
// the cache folder empty), then `n_streams` streams of `n_bits` at the 5 bipolar levels.
int stream_path(std::size_t n_streams, std::size_t n_bits) {
  namespace fs = std::filesystem;
  const std::string id = "device.smtj_llg";
  const fs::path cache = fs::temp_directory_path() / ("bench_smtj_llg_cache_" + std::to_string(::getpid()));
  fs::remove_all(cache);
  spinsc::PluginRegistry registry({SPINSC_BUILD_PLUGIN_DIR});
  boost::program_options::options_description description;
  registry.declare_options(id, description);
  boost::program_options::variables_map vm;
  const std::vector<std::string> args{"--" + id + ".cache_dir=" + cache.string()};
  boost::program_options::store(boost::program_options::command_line_parser(args).options(description).run(), vm);
  boost::program_options::notify(vm);
  const spinsc::Params params(vm, id);
  const DevicePhysics physics = DevicePhysics::from_params(params);
  const CalibrationSettings settings = CalibrationSettings::from_params(params, physics.bias_mode);
  const double steps_per_bit = static_cast<double>(steps_per_clock(physics));

  const double cpu0 = process_cpu_seconds();
  const auto t0 = std::chrono::steady_clock::now();
  auto device = spinsc::create_as<spinsc::BitSource>(registry, id, vm, spinsc::ComponentContext{1, 0, 0});
  const double cal_wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double cal_cpu = process_cpu_seconds() - cpu0;
  const double cal_steps = double(settings.points) * settings.junctions * (settings.clocks + settings.burn_in_clocks) * steps_per_bit;

  const std::size_t segment = std::min<std::size_t>(static_cast<std::size_t>(params.get<int>("stream_segment_bits")), n_bits);
  const std::size_t burn_in = static_cast<std::size_t>(params.get<int>("stream_burn_in_clocks"));
  const std::size_t segments = segment == 0 ? 1 : (n_bits + segment - 1) / segment;
  const double stream_steps = double(n_streams) * double(segments) * double(burn_in + (segment == 0 ? n_bits : segment)) * steps_per_bit;
  std::vector<std::uint64_t> words(spinsc::words_for_bits(n_bits));
  const spinsc::RandomStream base(1, "bench_smtj_llg.stream");
  const double cpu1 = process_cpu_seconds();
  const auto t1 = std::chrono::steady_clock::now();
  for (std::size_t s = 0; s < n_streams; ++s) {
    spinsc::RandomStream rng = base.substream(s);
    device->generate({0.25 * double(s % 5), n_bits, 0}, words, rng);
  }
  const double gen_wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
  const double gen_cpu = process_cpu_seconds() - cpu1;
  fs::remove_all(cache);

  std::printf("device.smtj_llg stream path (default device, %.0f steps per bit; calibration on %s threads)\n", steps_per_bit,
              settings.threads == 0 ? "all" : std::to_string(settings.threads).c_str());
  auto row = [](const char* what, double steps, double wall, double cpu) {
    std::printf("  %-34s %10.3g device-steps  %7.2f s wall  %7.2f s CPU  %6.2f M steps/s wall  %6.2f M steps/CPU-s\n", what,
                steps, wall, cpu, steps / wall / 1e6, steps / cpu / 1e6);
  };
  row("calibration (plugin construction)", cal_steps, cal_wall, cal_cpu);
  row("streams (generate)", stream_steps, gen_wall, gen_cpu);
  row("together", cal_steps + stream_steps, cal_wall + gen_wall, cal_cpu + gen_cpu);
  std::printf("  %zu streams x %zu bits: %.0f bits/s wall of generate (%zu segments of %zu bits, %zu burn-in clock each)\n",
              n_streams, n_bits, double(n_streams * n_bits) / gen_wall, segments, segment, burn_in);
  return 0;
}

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "calibrate") return calibrate(std::vector<std::string>(argv + 2, argv + argc));
  if (argc > 1 && std::string(argv[1]) == "stream")
    return stream_path(argc > 2 ? std::stoul(argv[2]) : 40, argc > 3 ? std::stoul(argv[3]) : 256);
  const double seconds = argc > 1 ? std::atof(argv[1]) : 2.0;
  std::printf("device.smtj_llg sLLG-Heun integration, one core, thermal field + Schmitt read-out on\n");
  for (std::size_t n : {1, 8, 64, 256, 1024, 4096}) device_steps_per_second(n, seconds);
  return 0;
}
