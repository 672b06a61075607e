// Requirement (issue 5, device.trace and `spinsc trace export`): the shipped telegraph fixture
// replays with the telegraph statistics; export -> replay round trip gives back the device's
// streams (bit streams and resistance series through the Schmitt trigger); the nearest level
// serves a request and an out-of-tolerance request is an error; malformed files give a clear
// error naming the file and what is wrong. Statistical tolerances: 5 SE (Markov-corrected).
#define BOOST_TEST_MODULE device_trace
#include <boost/test/unit_test.hpp>
#include <hdf5.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "../../../devices/smtj_telegraph/telegraph_model.hpp"
#include "devices/smtj_telegraph/closed_form_chain.hpp"
#include "devices/device_test_util.hpp"
#include "spinsc/stream_statistics.hpp"
#include "spinsc/trace_file.hpp"

using namespace spinsc;
namespace fs = std::filesystem;

namespace {
const fs::path kFixture = fs::path(SPINSC_SOURCE_DIR) / "data/traces/smtj_telegraph_5levels.h5";
const fs::path kResistanceFixture = fs::path(SPINSC_SOURCE_DIR) / "data/traces/smtj_telegraph_resistance_3levels.h5";

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::path(SPINSC_BINARY_DIR) / "test-scratch" / "trace";
  fs::create_directories(dir);
  return dir / name;
}

std::vector<std::uint64_t> stream(BitSource& device, double p, std::size_t n_bits, std::uint64_t seed, std::uint64_t k,
                                  std::uint64_t* switches = nullptr) {
  std::vector<std::uint64_t> words(words_for_bits(n_bits));
  RandomStream rng = RandomStream(seed, "trace-export").substream(k);
  const auto s = device.generate({p, n_bits, 0}, words, rng);
  if (switches) *switches = s;
  return words;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

// Minimal raw HDF5 writers for malformed files.
struct RawFile {
  hid_t id;
  explicit RawFile(const fs::path& p) : id(H5Fcreate(p.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT)) {}
  ~RawFile() { H5Fclose(id); }
};
void string_attribute(hid_t object, const char* name, const std::string& value) {
  hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, value.size());
  hid_t space = H5Screate(H5S_SCALAR);
  hid_t a = H5Acreate2(object, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  H5Awrite(a, type, value.data());
  H5Aclose(a), H5Sclose(space), H5Tclose(type);
}
void real_attribute(hid_t object, const char* name, double value) {
  hid_t space = H5Screate(H5S_SCALAR);
  hid_t a = H5Acreate2(object, name, H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT);
  H5Awrite(a, H5T_NATIVE_DOUBLE, &value);
  H5Aclose(a), H5Sclose(space);
}
void uint_dataset(hid_t group, const char* name, const std::vector<std::uint64_t>& v, double n_bits) {
  const hsize_t dims[1] = {v.size()};
  hid_t space = H5Screate_simple(1, dims, nullptr);
  hid_t d = H5Dcreate2(group, name, H5T_STD_U64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  H5Dwrite(d, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
  real_attribute(d, "n_bits", n_bits);
  H5Dclose(d), H5Sclose(space);
}
// A file with the root attributes and one level group; `tweak` may damage it.
fs::path make_raw(const std::string& name, const std::function<void(hid_t root, hid_t level)>& tweak,
                  bool format = true, double version = 1) {
  const fs::path p = scratch(name);
  RawFile f(p);
  if (format) string_attribute(f.id, "format", "spinsc-trace");
  real_attribute(f.id, "format_version", version);
  real_attribute(f.id, "clock_period_s", 1e-8);
  hid_t levels = H5Gcreate2(f.id, "levels", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  hid_t level = H5Gcreate2(levels, "000", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  real_attribute(level, "probability", 0.5);
  tweak(f.id, level);
  H5Gclose(level), H5Gclose(levels);
  return p;
}
}  // namespace

BOOST_AUTO_TEST_CASE(fixture_replays_telegraph_statistics) {
  BOOST_TEST_REQUIRE(fs::file_size(kFixture) < 1000000u);
  auto dut = test::make_device("device.trace", {"file=" + kFixture.string()});
  const telegraph::Junction junction{telegraph::TelegraphSettings{}};
  const std::size_t n_bits = 1 << 15;
  for (double p : {0.25, 0.5, 0.75}) {
    const auto chain = test::closed_form_chain(junction.dwell_times(dut->device->control_for(p)), 10e-9);
    BOOST_TEST(chain.p_ap == p, boost::test_tools::tolerance(1e-9));  // the recorded bias gives p
    std::vector<std::uint64_t> words(words_for_bits(n_bits));
    RandomStream rng(41, "trace-test");
    dut->device->generate({p, n_bits, 0}, words, rng);
    const double measured = double(stream_stats::count_ones(words, n_bits)) / n_bits;
    const double se = std::sqrt(telegraph::occupancy_estimate_variance(p, chain.rho, n_bits));
    BOOST_TEST(std::abs(measured - p) < 5 * se, "p=" << p << " measured " << measured);
    // SE of the lag-1 sample autocorrelation of a process with rho_k = rho^k: sqrt((1 - rho^2) / N) (Bartlett).
    const double r1 = stream_stats::autocorrelation(words, n_bits, 1);
    BOOST_TEST(std::abs(r1 - chain.rho) < 5 * std::sqrt((1 - chain.rho * chain.rho) / n_bits), "lag-1 " << r1);
  }
  BOOST_TEST(dut->device->time_per_bit_s(0.5) == 10e-9);
  BOOST_TEST(dut->device->energy_per_bit_J(0.5) == 20e-15, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(dut->device->control_unit() == "V");
}

BOOST_AUTO_TEST_CASE(export_then_replay_gives_back_the_device_streams) {
  const fs::path file = scratch("roundtrip.h5");
  const std::string command = std::string(SPINSC_CLI) + " trace export --device device.smtj_telegraph -o " + file.string() +
                              " --probabilities 0.2,0.5,0.9 --bits 20000 --seed 7 --device.smtj_telegraph.clock_period_s=5e-9 > /dev/null";
  BOOST_TEST_REQUIRE(std::system(command.c_str()) == 0);
  auto source = test::make_device("device.smtj_telegraph", {"clock_period_s=5e-9"}, 7);
  auto replay = test::make_device("device.trace", {"file=" + file.string(), "tolerance=0.02"});
  BOOST_TEST(replay->device->time_per_bit_s(0.5) == 5e-9);
  const double targets[] = {0.2, 0.5, 0.9};
  for (std::uint64_t k = 0; k < 3; ++k) {
    const auto expected = stream(*source->device, targets[k], 20000, 7, k);
    // The whole recording (offset 0 is the only window): the very same bits.
    std::vector<std::uint64_t> words(words_for_bits(20000));
    RandomStream rng(1, "unused");
    replay->device->generate({targets[k], 20000, 0}, words, rng);
    BOOST_TEST(words == expected, "level " << k);
    BOOST_TEST(replay->device->control_for(targets[k]) == source->device->control_for(targets[k]));
    BOOST_TEST(replay->device->energy_per_bit_J(targets[k]) == source->device->energy_per_bit_J(targets[k]));
  }
  // Shorter windows are stretches of the recording at random offsets.
  std::vector<std::uint64_t> a(words_for_bits(1000)), b(words_for_bits(1000));
  RandomStream r1(2, "window"), r2(3, "window");
  replay->device->generate({0.5, 1000, 0}, a, r1);
  replay->device->generate({0.5, 1000, 0}, b, r2);
  BOOST_TEST(a != b);
}

BOOST_AUTO_TEST_CASE(export_works_for_any_device_plugin) {
  // device.lfsr (deterministic): one period of a 12-bit register per level, replayed bit for bit,
  // with B - 1 ones; the comparator threshold is the recorded control value.
  const fs::path file = scratch("roundtrip_lfsr.h5");
  const std::string command = std::string(SPINSC_CLI) + " trace export --device device.lfsr -o " + file.string() +
                              " --levels 5 --bits 4095 --seed 3 --device.lfsr.width=12 > /dev/null";
  BOOST_TEST_REQUIRE(std::system(command.c_str()) == 0);
  auto source = test::make_device("device.lfsr", {"width=12"}, 3);
  auto replay = test::make_device("device.trace", {"file=" + file.string(), "tolerance=0.001"});
  for (std::uint64_t k = 0; k < 5; ++k) {
    const double p = k / 4.0;
    std::vector<std::uint64_t> words(words_for_bits(4095));
    RandomStream rng(1, "unused");
    replay->device->generate({p, 4095, 0}, words, rng);
    BOOST_TEST(words == stream(*source->device, p, 4095, 3, k), "level " << k);
    BOOST_TEST(stream_stats::count_ones(words, 4095) == std::uint64_t(std::llround(p * 4095)));
    BOOST_TEST(replay->device->control_for(p) == 1 + std::round(p * 4095));
  }
  BOOST_TEST(replay->device->control_unit() == "LSB");
}

BOOST_AUTO_TEST_CASE(resistance_series_round_trip_through_the_schmitt_trigger) {
  // Thresholds at 525 and 600 kOhm between R_P = 375 and R_AP = 750 kOhm: a false trigger needs an
  // 11-sigma excursion of the 20 kOhm noise, so the bits must come back exactly (every bit checked).
  const fs::path file = scratch("roundtrip_resistance.h5");
  const std::string command = std::string(SPINSC_CLI) + " trace export --device device.smtj_telegraph -o " + file.string() +
                              " --probabilities 0.3,0.7 --bits 5000 --seed 9 --resistance --oversample 3 --noise-ohm 20e3 > /dev/null";
  BOOST_TEST_REQUIRE(std::system(command.c_str()) == 0);
  auto source = test::make_device("device.smtj_telegraph", {}, 9);
  auto replay = test::make_device("device.trace", {"file=" + file.string()});
  for (std::uint64_t k = 0; k < 2; ++k) {
    const double p = k ? 0.7 : 0.3;
    const auto expected = stream(*source->device, p, 5000, 9, k);
    std::vector<std::uint64_t> words(words_for_bits(5000));
    RandomStream rng(1, "unused");
    replay->device->generate({p, 5000, 0}, words, rng);
    std::size_t differing = 0;
    for (std::size_t t = 0; t < 5000; ++t) differing += ((words[t / 64] ^ expected[t / 64]) >> (t % 64)) & 1u;
    BOOST_TEST(differing == 0u, "level " << k);
  }
  // The shipped resistance fixture loads and serves its three levels.
  auto fixture = test::make_device("device.trace", {"file=" + kResistanceFixture.string()});
  BOOST_TEST(fixture->device->control_for(0.5) == 0.0, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(requests_beyond_the_recording_are_errors) {
  auto dut = test::make_device("device.trace", {"file=" + kFixture.string(), "tolerance=0.01"});
  std::vector<std::uint64_t> words(words_for_bits(1 << 17));
  RandomStream rng(1, "trace-errors");
  const std::string far = error_of([&] { dut->device->generate({0.4, 64, 0}, words, rng); });
  BOOST_TEST(far.find(kFixture.string()) != std::string::npos);
  BOOST_TEST(far.find("no recorded level within tolerance 0.01") != std::string::npos, far);
  const std::string longer = error_of([&] { dut->device->generate({0.5, 1 << 17, 0}, words, rng); });
  BOOST_TEST(longer.find("holds only 65536 bits") != std::string::npos, longer);
}

BOOST_AUTO_TEST_CASE(malformed_files_give_clear_errors) {
  auto open = [](const fs::path& p) { return error_of([&] { read_trace_file(p); }); };
  auto expect = [&](const fs::path& p, const std::string& phrase) {
    const std::string message = open(p);
    BOOST_TEST(message.find(p.string()) != std::string::npos, message);
    BOOST_TEST(message.find(phrase) != std::string::npos, "expected '" << phrase << "' in: " << message);
  };
  expect(scratch("absent.h5"), "does not exist");
  {
    std::ofstream(scratch("text.h5")) << "not hdf5\n";
  }
  expect(scratch("text.h5"), "is not an HDF5 file");
  const auto good_bits = [](hid_t, hid_t level) { uint_dataset(level, "bits", {0xF0F0ull}, 64); };
  expect(make_raw("no_format.h5", good_bits, false), "'format' is missing");
  expect(make_raw("version.h5", good_bits, true, 7), "format_version 7 is not supported");
  expect(make_raw("empty_level.h5", [](hid_t, hid_t) {}), "/levels/000 has neither 'bits' nor 'resistance_ohm'");
  expect(make_raw("short_bits.h5", [](hid_t, hid_t level) { uint_dataset(level, "bits", {1, 2}, 200); }),
         "/levels/000/bits has 2 words but n_bits = 200 needs 4");
  expect(make_raw("no_nbits.h5",
                  [](hid_t, hid_t level) {
                    const hsize_t dims[1] = {1};
                    hid_t space = H5Screate_simple(1, dims, nullptr);
                    hid_t d = H5Dcreate2(level, "bits", H5T_STD_U64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
                    H5Dclose(d), H5Sclose(space);
                  }),
         "/levels/000/bits has no attribute 'n_bits'");
  expect(make_raw("thresholds.h5",
                  [](hid_t, hid_t level) {
                    const hsize_t dims[1] = {4};
                    const double r[4] = {1, 2, 3, 4};
                    hid_t space = H5Screate_simple(1, dims, nullptr);
                    hid_t d = H5Dcreate2(level, "resistance_ohm", H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
                    H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, r);
                    real_attribute(d, "sample_period_s", 1e-9);
                    real_attribute(d, "threshold_low_ohm", 3.0);
                    real_attribute(d, "threshold_high_ohm", 2.0);
                    H5Dclose(d), H5Sclose(space);
                  }),
         "threshold_low_ohm = 3 is above threshold_high_ohm = 2");
  expect(make_raw("probability.h5", [](hid_t, hid_t level) {
           H5Adelete(level, "probability");
           real_attribute(level, "probability", 1.5);
           uint_dataset(level, "bits", {1}, 64);
         }), "'probability' = 1.5 is outside [0, 1]");
  // Through the plugin: the same message, naming the file.
  const std::string via_plugin = error_of([&] { test::make_device("device.trace", {"file=" + scratch("version.h5").string()}); });
  BOOST_TEST(via_plugin.find("format_version 7") != std::string::npos, via_plugin);
  // A failed export leaves an existing file untouched.
  const fs::path keep = scratch("keep.h5");
  fs::copy_file(kFixture, keep, fs::copy_options::overwrite_existing);
  const std::string bad = std::string(SPINSC_CLI) + " trace export --device device.nonexistent -o " + keep.string() + " 2> /dev/null";
  BOOST_TEST(std::system(bad.c_str()) != 0);
  BOOST_TEST(fs::file_size(keep) == fs::file_size(kFixture));
}
