#pragma once
// Shared by test_sot_mtj.cpp and test_vcma_mtj.cpp: the device's parameters (defaults plus
// overrides) as Params, the plugin through the PluginRegistry with a fresh cache folder, the
// calibration curve it cached, P(1) of write cycles simulated in the test.
#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <bit>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "calibration_cache.hpp"
#include "devices/device_test_util.hpp"
#include "pulsed_device.hpp"

namespace pulsed_test {

namespace fs = std::filesystem;
using namespace spinsc;

inline fs::path fresh_cache_dir(const std::string& name) {
  const fs::path dir = fs::path(SPINSC_BINARY_DIR) / (name + "_test_cache_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

// The declared parameters of a device (declare(add)) at their defaults plus "key=value" overrides.
template <class Declare>
po::variables_map parameters(const std::string& prefix, Declare declare, const std::vector<std::string>& overrides) {
  po::options_description description;
  OptionsBuilder builder(description, prefix);
  declare(builder);
  std::vector<std::string> args;
  for (const auto& o : overrides) args.push_back("--" + prefix + "." + o);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(description).run(), vm);
  po::notify(vm);
  return vm;
}

// Making `plugin` with the one override `line` (and `cache`) must fail with a message naming `key`.
inline void expect_error_naming(const std::string& plugin, const fs::path& cache, const std::string& line,
                                const std::string& key) {
  try {
    test::make_device(plugin, {line, "cache_dir=" + cache.string()});
    BOOST_ERROR("no error for " << line);
  } catch (const std::exception& e) {
    BOOST_TEST(std::string(e.what()).find(key) != std::string::npos, "message names " << key << ": " << e.what());
  }
}

// The one calibration file in `dir`, read back (the plugin wrote it).
inline smtj_llg::CalibrationCurve cached_curve(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".h5") files.push_back(e.path());
  BOOST_REQUIRE_EQUAL(files.size(), 1u);
  const auto key = smtj_llg::calibration_file_key(files[0]);
  BOOST_REQUIRE(key.has_value());
  auto curve = smtj_llg::load_calibration(files[0], *key);
  BOOST_REQUIRE(curve.has_value());
  return *curve;
}

struct Fraction {
  double p, se;
};
inline Fraction fraction_of_ones(const std::vector<std::uint8_t>& bits) {
  double ones = 0;
  for (auto b : bits) ones += b;
  const double n = static_cast<double>(bits.size()), p = ones / n;
  return {p, std::sqrt(std::max(p * (1.0 - p), 0.25 / n) / n)};  // binomial SE (floor: one event)
}

inline std::vector<RandomStream> streams(std::uint64_t seed, std::size_t n) {
  const RandomStream base(seed, "pulsed-mtj-test");
  std::vector<RandomStream> s;
  for (std::size_t j = 0; j < n; ++j) s.push_back(base.substream(j));
  return s;
}

// P(1) of a device's streams at a grid point of its calibration agrees with that point (4 combined
// binomial SE: the calibration's and the streams'), and energy and time follow the closed forms.
inline void check_streams_at_grid_point(BitSource& device, const smtj_llg::CalibrationCurve& curve, std::size_t k,
                                        double expected_energy_J, double expected_time_s) {
  const double p = curve.p_monotone[k];
  BOOST_TEST(device.control_for(p) == curve.bias[k], boost::test_tools::tolerance(1e-9));
  const std::size_t n_streams = 16, n_bits = 128;
  std::vector<std::uint64_t> words(words_for_bits(n_bits));
  double ones = 0;
  const RandomStream base(3, "pulsed-mtj-streams");
  for (std::size_t s = 0; s < n_streams; ++s) {
    RandomStream rng = base.substream(s);
    device.generate({p, n_bits, 0}, words, rng);
    for (auto w : words) ones += std::popcount(w);
  }
  const double n = double(n_streams * n_bits), measured = ones / n;
  const double se = std::hypot(std::sqrt(std::max(p * (1 - p), 0.25 / n) / n), curve.p_one_se[k]);
  BOOST_TEST_MESSAGE("grid point " << curve.bias[k] << " " << curve.bias_unit << ": calibrated P(1) " << p << ", streams "
                                   << measured << " (combined SE " << se << ")");
  BOOST_TEST(std::abs(measured - p) <= 4.0 * se + 1e-12);
  BOOST_TEST(device.energy_per_bit_J(p) == expected_energy_J, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(device.time_per_bit_s(p) == expected_time_s, boost::test_tools::tolerance(1e-12));
  // The same random stream gives the same bits.
  std::vector<std::uint64_t> a(2), b(2);
  RandomStream r1 = base.substream(77), r2 = base.substream(77);
  device.generate({p, 100, 0}, a, r1);
  device.generate({p, 100, 0}, b, r2);
  BOOST_TEST(a == b);
  BOOST_TEST((a[1] >> 36) == 0u);
}

}  // namespace pulsed_test
