// Requirement: device.smtj_llg loads through the PluginRegistry, calibrates P(1) against bias by
// simulation, caches the curve in HDF5 keyed by its parameters (reused when they match, recomputed
// when one changes), produces streams with the calibrated P(1), prices bits (V^2/R x T + read),
// and rejects bad parameters with a message naming the key.
#define BOOST_TEST_MODULE device_smtj_llg_plugin
#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <bit>
#include <cmath>
#include <filesystem>
#include <sstream>

#include "calibration_cache.hpp"
#include "device_physics.hpp"
#include "spinsc/bit_source.hpp"
#include "spinsc/plugin_registry.hpp"

using namespace spinsc;
namespace fs = std::filesystem;

namespace {

const char* kId = "device.smtj_llg";

fs::path fresh_cache_dir() {
  const fs::path dir = fs::path(SPINSC_BINARY_DIR) / ("smtj_llg_test_cache_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

// A fast junction for the test: Delta = 3, alpha = 0.5, mu0 H_K,eff = 0.5 T (dwell 0.62 ns),
// 1 ns clock, R_P = 20 kOhm (so +-1 V spans most of [0, 1]), a small calibration.
std::vector<std::string> fast_device(const fs::path& cache) {
  return {"anisotropy_J_per_m3=878318.5", "free_layer_diameter_m=7.956e-9", "damping=0.5",
          "parallel_resistance_ohm=20e3", "time_step_s=0.2e-12", "clock_period_s=1e-9",
          "calibration_points=7", "calibration_junctions=32", "calibration_clocks=40",
          "calibration_burn_in_clocks=5", "cache_dir=" + cache.string()};
}

po::variables_map configure(const PluginRegistry& registry, const std::vector<std::string>& lines) {
  po::options_description description;
  registry.declare_options(kId, description);
  std::stringstream text;
  text << "[" << kId << "]\n";
  for (const auto& line : lines) text << line << "\n";
  po::variables_map vm;
  po::store(po::parse_config_file(text, description, false), vm);
  po::notify(vm);
  return vm;
}

std::size_t cache_files(const fs::path& dir) {
  std::size_t n = 0;
  if (fs::exists(dir))
    for (const auto& entry : fs::directory_iterator(dir)) n += entry.path().extension() == ".h5";
  return n;
}

}  // namespace

BOOST_AUTO_TEST_CASE(calibrated_streams_cache_and_energy) {
  PluginRegistry registry({SPINSC_BUILD_PLUGIN_DIR});
  const fs::path cache = fresh_cache_dir();
  const po::variables_map vm = configure(registry, fast_device(cache));
  auto device = create_as<BitSource>(registry, kId, vm, ComponentContext{7, 0, 0});
  BOOST_TEST(cache_files(cache) == 1u);
  BOOST_TEST(device->control_unit() == "V");
  BOOST_TEST(device->time_per_bit_s(0.5) == 1e-9, boost::test_tools::tolerance(1e-12));

  // The same parameters find the cached curve (and it is the one the device uses).
  const Params params(vm, kId);
  const auto physics = smtj_llg::DevicePhysics::from_params(params);
  const auto settings = smtj_llg::CalibrationSettings::from_params(params, physics.bias_mode);
  const smtj_llg::CalibrationSource source = smtj_llg::obtain_calibration(physics, settings);
  BOOST_TEST(source.from_cache);
  const smtj_llg::CalibrationCurve& curve = source.curve;
  for (std::size_t k = 0; k + 1 < curve.bias.size(); ++k) BOOST_TEST_MESSAGE("bias " << curve.bias[k] << " V: P(1) " << curve.p_one[k] << " +- " << curve.p_one_se[k]);
  // Spin torque: positive bias favours the parallel state, so P(1) = P(AP) falls across the grid.
  BOOST_TEST(curve.p_monotone.front() > 0.8);
  BOOST_TEST(curve.p_monotone.back() < 0.2);

  // Streams at the bias of a grid point: P(1) equals that point's calibration within the
  // combined standard error (calibration SE and the spread of independent streams).
  const std::size_t k = 4;  // +0.333 V
  const double p_target = curve.p_monotone[k];
  BOOST_TEST(device->control_for(p_target) == curve.bias[k], boost::test_tools::tolerance(1e-9));
  const std::size_t n_streams = 64, n_bits = 256;
  std::vector<std::uint64_t> words(words_for_bits(n_bits));
  std::vector<double> fractions;
  std::uint64_t switches = 0;
  const RandomStream base(5, "smtj_llg-plugin-test");
  for (std::size_t s = 0; s < n_streams; ++s) {
    RandomStream rng = base.substream(s);
    switches += device->generate({p_target, n_bits, 0}, words, rng);
    std::size_t ones = 0;
    for (auto w : words) ones += std::popcount(w);
    fractions.push_back(double(ones) / n_bits);
  }
  double mean = 0, m2 = 0;
  for (double f : fractions) mean += f / n_streams;
  for (double f : fractions) m2 += (f - mean) * (f - mean);
  const double se_streams = std::sqrt(m2 / (n_streams - 1) / n_streams);
  const double se = std::hypot(se_streams, curve.p_one_se[k]);
  BOOST_TEST_MESSAGE("requested P(1) " << p_target << ", streams give " << mean << " (SE " << se << "), "
                                       << switches << " switching events");
  BOOST_TEST(std::abs(mean - p_target) <= 4.0 * se);  // 4 SE
  BOOST_TEST(switches > 0u);

  // Energy per bit: V^2 T (pi_P/R_P + pi_AP/R_AP(V)) + E_read at that bias.
  const double v = curve.bias[k];
  const double r_ap = 20e3 * (1.0 + 1.0 / (1.0 + v * v / 0.25));
  const double expected = v * v * 1e-9 * ((1.0 - p_target) / 20e3 + p_target / r_ap) + 1e-15;
  BOOST_TEST(device->energy_per_bit_J(p_target) == expected, boost::test_tools::tolerance(1e-9));

  // The same random stream gives the same bits; bits past n_bits are zero.
  std::vector<std::uint64_t> a(2), b(2);
  RandomStream r1 = base.substream(99), r2 = base.substream(99);
  device->generate({0.5, 100, 0}, a, r1);
  device->generate({0.5, 100, 0}, b, r2);
  BOOST_TEST(a == b);
  BOOST_TEST((a[1] >> 36) == 0u);

  // Device-to-device variation: without spread every device_index is the same junction (same
  // random stream, same bits); with delta_spread each index is its own junction (other bits),
  // and a device keeps its Delta (same index, same bits). The spread does not change the nominal
  // calibration, so the cached curve is reused.
  auto bits_of = [&](BitSource& source, std::uint64_t device_index) {
    std::vector<std::uint64_t> w(2);
    RandomStream r = base.substream(123);
    source.generate({0.5, 128, device_index}, w, r);
    return w;
  };
  BOOST_TEST(bits_of(*device, 0) == bits_of(*device, 1));
  std::vector<std::string> varied = fast_device(cache);
  varied.push_back("delta_spread=0.3");
  auto varied_device = create_as<BitSource>(registry, kId, configure(registry, varied), ComponentContext{7, 0, 0});
  BOOST_TEST(cache_files(cache) == 1u);
  BOOST_TEST(bits_of(*varied_device, 0) != bits_of(*varied_device, 1));
  BOOST_TEST(bits_of(*varied_device, 1) == bits_of(*varied_device, 1));

  // A changed physical parameter is a new calibration, never the stale one.
  std::vector<std::string> warmer = fast_device(cache);
  warmer.push_back("temperature_K=310");
  auto warm_device = create_as<BitSource>(registry, kId, configure(registry, warmer), ComponentContext{7, 0, 0});
  BOOST_TEST(cache_files(cache) == 2u);
  fs::remove_all(cache);
}

BOOST_AUTO_TEST_CASE(bad_parameters_name_the_key) {
  PluginRegistry registry({SPINSC_BUILD_PLUGIN_DIR});
  const fs::path cache = fresh_cache_dir();
  auto expect_error = [&](const std::string& line, const std::string& key) {
    std::vector<std::string> lines;
    for (const auto& l : fast_device(cache))  // the bad line replaces the key's default line
      if (l.substr(0, l.find('=')) != line.substr(0, line.find('='))) lines.push_back(l);
    lines.push_back(line);
    try {
      create_as<BitSource>(registry, kId, configure(registry, lines), ComponentContext{});
      BOOST_ERROR("no error for " << line);
    } catch (const std::exception& e) {
      BOOST_TEST_MESSAGE(e.what());
      BOOST_TEST(std::string(e.what()).find(key) != std::string::npos, "message names " << key << ": " << e.what());
    }
  };
  expect_error("time_step_s=5e-12", "device.smtj_llg.time_step_s");
  expect_error("demag_factor_z=0.5", "device.smtj_llg.demag_factor_z");
  expect_error("read_threshold_low=0.9", "device.smtj_llg.read_threshold_low");
  BOOST_TEST(cache_files(cache) == 0u);  // nothing computed for a rejected device
  fs::remove_all(cache);
}
