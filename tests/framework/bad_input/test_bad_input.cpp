// Requirement (bad input never crashes, hangs or passes silently): every case of the table below
// runs the real `spinsc` command on bad input (experiment files, overrides, sweeps, data, traces,
// plugins, results files) and must
//   - end within its time limit (run under `timeout`; 124 means it hung),
//   - exit with a non-zero code that is not a signal (a crash would be 128 + signal),
//   - print a message that names the culprit (the file, key or value: `culprit` below),
//   - leave every file that existed before it byte-identical (checksums before and after).
// The inputs are made from valid files that spinsc writes itself (a trace and a results file),
// damaged in the ways a hostile user or a broken disk would.
#define BOOST_TEST_MODULE bad_input
#include <hdf5.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "../damaged_hdf5_files.hpp"
#include "permission_checks_as_root.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path kRoot = fs::path(SPINSC_BINARY_DIR) / "bad-input";
const std::string kSpinsc = SPINSC_CLI;
constexpr int kTimeLimitSeconds = 60;  // the bound: every bad input ends within 60 s

std::string read_bytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
void write_bytes(const fs::path& file, const std::string& bytes) {
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
}

// FNV-1a of every regular file below `folder`, by relative path.
std::map<std::string, std::uint64_t> checksums(const fs::path& folder) {
  std::map<std::string, std::uint64_t> sums;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (!entry.is_regular_file()) continue;
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : read_bytes(entry.path())) h = (h ^ c) * 1099511628211ull;
    sums[fs::relative(entry.path(), folder).string()] = h;
  }
  return sums;
}

const std::string kExperiment =
    "task = device_characterization\n[characterization]\nlevels = 3\nn_bits = 64\nn_streams = 2\n";

std::string trace_experiment(const std::string& trace_file) {
  return kExperiment + "[device]\nplugin = device.trace\n[device.trace]\nfile = " + trace_file + "\n";
}

// Valid files made once by spinsc itself, to be copied and damaged by the cases.
struct Originals {
  std::string trace;    // bytes of a valid trace file (3 levels x 256 bits)
  std::string results;      // bytes of a valid results file of kExperiment (out.h5: the index)
  std::string results_run;  // bytes of its one run file (out.h5.runs/000000.h5)
  Originals() {
    const fs::path folder = kRoot / "originals";
    fs::remove_all(folder);
    fs::create_directories(folder);
    write_bytes(folder / "e.ini", kExperiment);
    const std::string cd = "cd '" + folder.string() + "' && ";
    BOOST_REQUIRE(std::system((cd + kSpinsc + " trace export --device device.bernoulli --levels 3 --bits 256 "
                               "-o trace.h5 > log 2>&1").c_str()) == 0);
    // Written as out.h5, the name the cases use: the index refers to its run files by name.
    BOOST_REQUIRE(std::system((cd + kSpinsc + " run e.ini -o out.h5 > log 2>&1").c_str()) == 0);
    trace = read_bytes(folder / "trace.h5");
    results = read_bytes(folder / "out.h5");
    results_run = read_bytes(folder / "out.h5.runs" / "000000.h5");
    BOOST_REQUIRE(!results_run.empty());
  }
};
const Originals& originals() {
  static const Originals instance;
  return instance;
}

// Bytes with `at` replaced by `with`, or empty if `marker` is missing.
std::string patched(std::string bytes, const std::string& marker, std::size_t offset, const std::string& with) {
  const std::size_t at = bytes.find(marker);
  BOOST_REQUIRE_MESSAGE(at != std::string::npos, "marker '" << marker << "' not in the original file");
  bytes.replace(at + offset, with.size(), with);
  return bytes;
}
std::string corrupt_heap(const std::string& bytes) { return damaged_hdf5::with_corrupt_heap(bytes); }

// A small file whose root text attribute `name` = `value` has a damaged heap reference (libhdf5
// reads out of bounds when it reads the text: damaged_text_reference_crashes_libhdf5 below).
std::string damaged_text_reference(const char* name, const std::string& value) {
  return damaged_hdf5::with_damaged_text_reference(kRoot / "reference.h5", name, value);
}

// A copy of a valid file damaged through the HDF5 C API (spinsc's own writer cannot write bad
// attributes, and byte patches would break the checksums of the object headers).
std::string damaged(const std::string& original, const std::function<void(hid_t file)>& tweak) {
  const fs::path file = kRoot / "damaging.h5";
  write_bytes(file, original);
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  BOOST_REQUIRE(f >= 0);
  tweak(f);
  H5Fclose(f);
  return read_bytes(file);
}
template <class T>
void set_attribute(hid_t file, const char* object, const char* name, hid_t type, T value) {
  const hid_t o = H5Oopen(file, object, H5P_DEFAULT);
  BOOST_REQUIRE(o >= 0);
  if (H5Aexists(o, name) > 0) H5Adelete(o, name);
  const hid_t space = H5Screate(H5S_SCALAR);
  const hid_t a = H5Acreate2(o, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  H5Awrite(a, type, &value);
  H5Aclose(a), H5Sclose(space), H5Oclose(o);
}
std::function<std::string()> trace_with(const char* object, const char* name, std::int64_t value) {
  return [=] { return damaged(originals().trace, [&](hid_t f) { set_attribute(f, object, name, H5T_NATIVE_INT64, value); }); };
}
std::function<std::string()> trace_with(const char* object, const char* name, double value) {
  return [=] { return damaged(originals().trace, [&](hid_t f) { set_attribute(f, object, name, H5T_NATIVE_DOUBLE, value); }); };
}
// Level 000's bits replaced by an empty dataset with the given n_bits.
std::string trace_with_empty_bits(std::int64_t n_bits) {
  return damaged(originals().trace, [&](hid_t f) {
    H5Ldelete(f, "levels/000/bits", H5P_DEFAULT);
    const hsize_t dims[1] = {0};
    const hid_t space = H5Screate_simple(1, dims, nullptr);
    const hid_t d = H5Dcreate2(f, "levels/000/bits", H5T_STD_U64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dclose(d), H5Sclose(space);
    set_attribute(f, "levels/000/bits", "n_bits", H5T_NATIVE_INT64, n_bits);
  });
}
// Level 000's bits replaced by a dataset that claims 2^31 words (16 GiB) but stores none: HDF5
// allocates contiguous storage only when written, so the file stays small.
std::string trace_with_unstored_bits() {
  return damaged(originals().trace, [&](hid_t f) {
    H5Ldelete(f, "levels/000/bits", H5P_DEFAULT);
    const hsize_t dims[1] = {hsize_t(1) << 31};
    const hid_t space = H5Screate_simple(1, dims, nullptr);
    const hid_t d = H5Dcreate2(f, "levels/000/bits", H5T_STD_U64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dclose(d), H5Sclose(space);
    set_attribute(f, "levels/000/bits", "n_bits", H5T_NATIVE_INT64, std::int64_t{1} << 37);
  });
}
// Level 000 turned into a resistance series with the given sample period.
std::string trace_with_resistance(double sample_period_s) {
  return damaged(originals().trace, [&](hid_t f) {
    H5Ldelete(f, "levels/000/bits", H5P_DEFAULT);
    const std::vector<double> r = {1.0, 3.0, 1.0, 3.0};
    const hsize_t dims[1] = {r.size()};
    const hid_t space = H5Screate_simple(1, dims, nullptr);
    const hid_t d = H5Dcreate2(f, "levels/000/resistance_ohm", H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT,
                               H5P_DEFAULT);
    H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, r.data());
    H5Dclose(d), H5Sclose(space);
    set_attribute(f, "levels/000/resistance_ohm", "sample_period_s", H5T_NATIVE_DOUBLE, sample_period_s);
    set_attribute(f, "levels/000/resistance_ohm", "threshold_low_ohm", H5T_NATIVE_DOUBLE, 1.5);
    set_attribute(f, "levels/000/resistance_ohm", "threshold_high_ohm", H5T_NATIVE_DOUBLE, 2.5);
  });
}

std::string le64(std::uint64_t v) {
  std::string s(8, '\0');
  for (int i = 0; i < 8; ++i) s[i] = char((v >> (8 * i)) & 0xff);
  return s;
}

struct Case {
  std::string name;
  std::map<std::string, std::function<std::string()>> files;  // created before the command runs
  std::string command;   // arguments after `spinsc`, run in the case's folder
  std::string culprit;   // must appear in the output
  std::string environment = "";  // prefix, e.g. "SPINSC_PLUGIN_PATH=... "
  std::vector<std::string> folders = {};  // created before the command runs
  std::vector<std::string> locked_folders = {};  // created with mode 000 (unlocked again after)
};

std::function<std::string()> text(const std::string& t) {
  return [t] { return t; };
}
std::function<std::string()> experiment_with(const std::string& extra) {
  return [extra] { return kExperiment + extra; };
}

const std::string kFixtures = std::string(SPINSC_BINARY_DIR) + "/plugin-fixtures";

std::vector<Case> cases() {
  std::vector<Case> c;
  const auto run = [](const std::string& extra_args = "") { return "run e.ini -o out.h5 " + extra_args; };
  // --- experiment files
  c.push_back({"missing experiment file", {}, "run nosuch.ini", "nosuch.ini"});
  c.push_back({"folder as experiment file", {}, "run adir", "adir", "", {"adir"}});
  c.push_back({"empty experiment file", {{"e.ini", text("")}}, run(), "'task' is missing"});
  c.push_back({"binary experiment file", {{"e.ini", text(std::string("\x7f" "ELF\x01\x02\0\0 garbage", 16))}}, run(),
               "e.ini:1"});
  c.push_back({"unknown top-level key", {{"e.ini", experiment_with("colour = red\n")}}, run(), "colour"});
  c.push_back({"unknown section", {{"e.ini", experiment_with("[nosuch]\nx = 1\n")}}, run(), "nosuch"});
  c.push_back({"seed not a number", {{"e.ini", text("seed = abc\n" + kExperiment)}}, run(), "seed"});
  c.push_back({"negative seed", {{"e.ini", text("seed = -1\n" + kExperiment)}}, run(), "seed"});
  c.push_back({"unknown task", {{"e.ini", text("task = fly\n")}}, run(), "fly"});
  c.push_back({"key set twice", {{"e.ini", text("seed = 1\nseed = 2\n" + kExperiment)}}, run(), "set twice"});
  c.push_back({"malformed section header", {{"e.ini", experiment_with("[device\n")}}, run(), "[device"});
  c.push_back({"line without '='", {{"e.ini", experiment_with("just words\n")}}, run(), "just words"});
  c.push_back({"name with folders", {{"e.ini", text("name = ../../x\n" + kExperiment)}}, "run e.ini", "../../x"});
  c.push_back({"absolute name", {{"e.ini", text("name = /tmp/x\n" + kExperiment)}}, "run e.ini", "/tmp/x"});
  c.push_back({"inf energy", {{"e.ini", experiment_with("[device.bernoulli]\nenergy_per_bit_J = inf\n")}}, run(),
               "energy_per_bit_J"});
  c.push_back({"nan energy", {{"e.ini", experiment_with("[device.bernoulli]\nenergy_per_bit_J = nan\n")}}, run(),
               "energy_per_bit_J"});
  c.push_back({"empty item in probabilities",
               {{"e.ini", text("task = device_characterization\n[characterization]\nprobabilities = 0.1,,0.9\n"
                               "n_bits = 64\nn_streams = 2\n")}}, run(), "characterization.probabilities"});
  c.push_back({"empty item in a list of reals",
               {{"e.ini", experiment_with("[network]\nactivation_gain = 1,,2\n")}}, run(), "network.activation_gain"});
  c.push_back({"inf in a list of reals", {{"e.ini", experiment_with("[network]\nactivation_gain = 1,inf\n")}}, run(),
               "network.activation_gain"});
  // device.lfsr.taps is text ('table' or a list), so the plugin itself refuses an empty item.
  for (const char* taps : {"16,,15,13,4", "16,15,13,4,"})
    c.push_back({std::string("empty item in device.lfsr.taps ") + taps,
                 {{"e.ini", experiment_with(std::string("[device]\nplugin = device.lfsr\n[device.lfsr]\ntaps = ") +
                                            taps + "\n")}},
                 run(), std::string("value '") + taps + "' of 'device.lfsr.taps' has an empty item"});
  c.push_back({"levels out of range", {{"e.ini", experiment_with("")}}, run("--characterization.levels=1"),
               "characterization.levels"});
  c.push_back({"5 MB value is not echoed whole",
               {{"e.ini", [] { return "seed = " + std::string(5'000'000, 'x') + "\n" + kExperiment; }}}, run(),
               "characters in all"});
  c.push_back({"unknown plugin", {{"e.ini", experiment_with("[device]\nplugin = device.nosuch\n")}}, run(),
               "device.nosuch"});
  c.push_back({"section of an unknown plugin", {{"e.ini", experiment_with("[device.nosuch]\nx = 1\n")}}, run(),
               "device.nosuch"});
  c.push_back({"unknown key of a plugin", {{"e.ini", experiment_with("[device.bernoulli]\ncolour = 1\n")}}, run(),
               "colour"});
  // --- overrides
  c.push_back({"override seed not a number", {{"e.ini", experiment_with("")}}, run("--seed=abc"), "seed"});
  c.push_back({"override of an unknown key", {{"e.ini", experiment_with("")}}, run("--nosuch.key=1"), "nosuch"});
  c.push_back({"override huge integer", {{"e.ini", experiment_with("")}}, run("--characterization.n_bits=1e400"),
               "characterization.n_bits"});
  c.push_back({"override negative energy", {{"e.ini", experiment_with("")}},
               run("--device.bernoulli.energy_per_bit_J=-1"), "energy_per_bit_J"});
  c.push_back({"override inf energy", {{"e.ini", experiment_with("")}}, run("--device.bernoulli.energy_per_bit_J=inf"),
               "energy_per_bit_J"});
  c.push_back({"override name with folders", {{"e.ini", experiment_with("")}}, "run e.ini --name=../x", "../x"});
  c.push_back({"override without a value", {{"e.ini", experiment_with("")}}, run("--seed"), "seed"});
  c.push_back({"unknown option", {{"e.ini", experiment_with("")}}, run("--frobnicate"), "frobnicate"});
  // --- sweeps
  const auto sweep = [](const std::string& value) {
    return std::map<std::string, std::function<std::string()>>{{"e.ini", experiment_with("[sweep]\nseed = " + value + "\n")}};
  };
  c.push_back({"range overflowing 2^64", sweep("range(64,1e20,1)"), run(), "range(64,1e20,1)"});
  c.push_back({"range of 1e10 values", sweep("range(64,1e10,1)"), run(), "range(64,1e10,1)"});
  c.push_back({"range without values", sweep("range(1,1,1)"), run(), "range(1,1,1)"});
  c.push_back({"range with zero step", sweep("range(0,1,0)"), run(), "range(0,1,0)"});
  c.push_back({"range stepping away", sweep("range(0,1,-1)"), run(), "range(0,1,-1)"});
  c.push_back({"range to inf", sweep("range(0,inf,1)"), run(), "inf"});
  c.push_back({"range with a word", sweep("range(0,10,x)"), run(), "'x'"});
  c.push_back({"range lacking ')'", sweep("range(0,10,1"), run(), "closing"});
  c.push_back({"linspace of 0 values", sweep("linspace(0,1,0)"), run(), "linspace(0,1,0)"});
  c.push_back({"linspace of 1e7 values", sweep("linspace(0,1,1e7)"), run(), "linspace(0,1,1e7)"});
  c.push_back({"linspace of 2.5 values", sweep("linspace(0,1,2.5)"), run(), "linspace(0,1,2.5)"});
  c.push_back({"linspace with two arguments", sweep("linspace(0,1)"), run(), "three arguments"});
  c.push_back({"empty sweep item", sweep("1,,2"), run(), "empty item"});
  c.push_back({"grid x repeats beyond any run", {{"e.ini", experiment_with("[sweep]\nseed = range(0,20000,1)\n"
                                                                           "repeats = 1000\n")}}, run(),
               "20000 combinations x 1000 repeats"});
  c.push_back({"zip of unequal lists", {{"e.ini", experiment_with("[sweep]\nmode = zip\nseed = 1,2\n"
                                                                  "characterization.levels = 3,4,5\n")}}, run(),
               "equally long"});
  c.push_back({"unknown sweep mode", {{"e.ini", experiment_with("[sweep]\nmode = diagonal\nseed = 1,2\n")}}, run(),
               "diagonal"});
  c.push_back({"sweep over an unknown key", {{"e.ini", experiment_with("[sweep]\nnosuch.key = 1,2\n")}}, run(),
               "nosuch"});
  c.push_back({"swept value out of range", sweep("1,-5"), run(), "-5"});
  // --- data
  const std::string network = "task = network\n[data]\npath = data\ntrain_size = 10\ntest_size = 10\n";
  const auto data_case = [&](const std::string& name, const std::string& bytes, const std::string& culprit) {
    std::map<std::string, std::function<std::string()>> files = {{"e.ini", text(network)}};
    for (const char* f : {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                          "t10k-labels-idx1-ubyte"})
      files["data/" + std::string(f)] = text(bytes);
    return Case{name, files, run(), culprit, "", {"data"}};
  };
  c.push_back({"data folder that does not exist", {{"e.ini", text(network)}}, run(), "data"});
  c.push_back(data_case("IDX file of 3 bytes", "abc", "-ubyte'"));
  c.push_back(data_case("IDX with a wrong magic number", std::string("\x12\x34\x08\x03", 4) + std::string(12, '\0'),
                        "-ubyte'"));
  c.push_back(data_case("IDX header whose size product wraps",
                        std::string("\x00\x00\x08\x04\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff",
                                    20), "-ubyte'"));
  c.push_back(data_case("IDX shorter than its header says",
                        std::string("\x00\x00\x08\x03\x00\x00\x00\x0a\x00\x00\x00\x1c\x00\x00\x00\x1c", 16) + "xx",
                        "-ubyte'"));
  c.push_back(data_case("gzip stream cut short", std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\x01\x02", 12),
                        "-ubyte'"));
  // --- traces (device.trace)
  const auto trace_case = [&](const std::string& name, std::function<std::string()> bytes, const std::string& culprit) {
    return Case{name, {{"e.ini", text(trace_experiment("t.h5"))}, {"t.h5", bytes}}, run(), culprit};
  };
  c.push_back({"missing trace file", {{"e.ini", text(trace_experiment("nosuch.h5"))}}, run(), "nosuch.h5"});
  c.push_back({"folder as trace file", {{"e.ini", text(trace_experiment("adir"))}}, run(), "adir", "", {"adir"}});
  c.push_back(trace_case("text file as trace", text("not HDF5\n"), "t.h5"));
  c.push_back(trace_case("trace cut in half", [] { return originals().trace.substr(0, originals().trace.size() / 2); },
                         "t.h5"));
  c.push_back(trace_case("trace with a corrupt global heap", [] { return corrupt_heap(originals().trace); }, "t.h5"));
  c.push_back(trace_case("n_bits = -1", trace_with("levels/000/bits", "n_bits", std::int64_t{-1}), "n_bits"));
  c.push_back(trace_case("n_bits = -1 and no bits", [] { return trace_with_empty_bits(-1); }, "n_bits"));
  c.push_back(trace_case("n_bits = 10 and no bits", [] { return trace_with_empty_bits(10); }, "n_bits"));
  c.push_back(trace_case("bits claiming 16 GiB the file does not hold", [] { return trace_with_unstored_bits(); },
                         "more than the file"));
  c.push_back(trace_case("n_bits = 0", trace_with("levels/000/bits", "n_bits", std::int64_t{0}), "n_bits"));
  c.push_back(trace_case("n_bits = 1e30", trace_with("levels/000/bits", "n_bits", 1e30), "1e+30"));
  c.push_back(trace_case("n_bits = 2.5", trace_with("levels/000/bits", "n_bits", 2.5), "n_bits"));
  c.push_back(trace_case("n_bits beyond the bits", trace_with("levels/000/bits", "n_bits", std::int64_t{1} << 20),
                         "n_bits"));
  c.push_back(trace_case("sample_period_s = inf", [] { return trace_with_resistance(HUGE_VAL); }, "sample_period_s"));
  c.push_back(trace_case("sample_period_s = 0", [] { return trace_with_resistance(0); }, "sample_period_s"));
  c.push_back(trace_case("replay of 1e300 bits", [] { return trace_with_resistance(1e290); }, "t.h5"));
  c.push_back(trace_case("probability = 2", trace_with("levels/000", "probability", 2.0), "probability"));
  c.push_back(trace_case("probability = nan", trace_with("levels/000", "probability", std::nan("")), "probability"));
  c.push_back(trace_case("energy_per_bit_J = inf", trace_with("levels/000", "energy_per_bit_J", HUGE_VAL),
                         "energy_per_bit_J"));
  c.push_back(trace_case("clock_period_s = 0", trace_with("/", "clock_period_s", 0.0), "clock_period_s"));
  c.push_back(trace_case("clock_period_s = -inf", trace_with("/", "clock_period_s", -HUGE_VAL), "clock_period_s"));
  c.push_back(trace_case("format_version = 2", trace_with("/", "format_version", std::int64_t{2}), "format_version"));
  c.push_back(trace_case("format attribute wrong", [] { return patched(originals().trace, "spinsc-trace", 0, "spinsc-traXe"); },
                         "format"));
  c.push_back(trace_case("trace whose text attribute has a damaged heap reference",
                         [] { return damaged_text_reference("format", "spinsc-trace"); }, "crashes HDF5"));
  // --- trace export
  c.push_back({"trace export to a full disk", {}, "trace export --device device.bernoulli --bits 100000 -o big.h5",
               "big.h5", "trap '' XFSZ; ulimit -f 4; "});
  c.push_back({"trace export into a file as folder", {{"f", text("x")}}, "trace export --device device.bernoulli -o f/t.h5",
               "f/t.h5"});
  c.push_back({"trace export with nan levels", {}, "trace export --device device.bernoulli --levels nan -o t.h5",
               "--levels"});
  c.push_back({"trace export with a negative seed", {}, "trace export --device device.bernoulli --seed -1 -o t.h5",
               "--seed"});
  c.push_back({"trace export with an inf device parameter", {},
               "trace export --device device.bernoulli --device.bernoulli.energy_per_bit_J=inf -o t.h5",
               "energy_per_bit_J"});
  // --- plugins
  c.push_back({"describe a plugin whose options throw", {}, "describe device.throws_std_fixture",
               "spinsc_fixture_options_throw_std", "SPINSC_PLUGIN_PATH=" + kFixtures + " "});
  c.push_back({"experiment using a plugin whose options throw a non-std exception",
               {{"e.ini", experiment_with("[device]\nplugin = device.throws_int_fixture\n")}}, run(),
               "spinsc_fixture_options_throw_int", "SPINSC_PLUGIN_PATH=" + kFixtures + " "});
  c.push_back({"experiment using a plugin of another ABI", {{"e.ini", experiment_with("[device]\nplugin = device.abi_fixture\n")}},
               run(), "spinsc_fixture_abi_mismatch", "SPINSC_PLUGIN_PATH=" + kFixtures + " "});
  // A plugin folder that cannot be read (mode 000; as root, run without root's permission
  // override, see permission_checks_as_root.hpp): the plugin looked for may be in it, so the
  // refusal names the folder and why, not only "unknown plugin".
  {
    Case locked{"experiment using a plugin of a folder that cannot be read",
                {{"e.ini", experiment_with("[device]\nplugin = device.mine\n")}}, run(),
                "my-plugins: plugin folder cannot be read",
                "SPINSC_PLUGIN_PATH=my-plugins " + spinsc_permissions::without_permission_override()};
    locked.locked_folders = {"my-plugins"};
    c.push_back(locked);
  }
  // --- results files (-o onto something that must not be overwritten)
  const auto onto = [&](const std::string& name, std::function<std::string()> bytes, const std::string& culprit) {
    return Case{name, {{"e.ini", experiment_with("")}, {"out.h5", bytes}}, run(), culprit};
  };
  // An index with its run file (the file as spinsc leaves it), either of them damaged.
  const auto with_run = [&](const std::string& name, std::function<std::string()> index,
                            std::function<std::string()> run_file, const std::string& culprit,
                            const std::string& args = "") {
    return Case{name, {{"e.ini", experiment_with("")}, {"out.h5", index}, {"out.h5.runs/000000.h5", run_file}},
                run(args), culprit};
  };
  const auto index = [] { return originals().results; };
  const auto run_file = [] { return originals().results_run; };
  c.push_back(onto("results onto a text file", text("my notes\n"), "out.h5"));
  c.push_back(with_run("results onto another experiment's file", index, run_file,
                       "written by the experiment 'e', not 'another'", "--name=another"));
  c.push_back(with_run("results with a corrupt global heap", [] { return corrupt_heap(originals().results); },
                       run_file, "damaged"));
  c.push_back(with_run("results cut in half",
                       [] { return originals().results.substr(0, originals().results.size() / 2); }, run_file,
                       "out.h5"));
  c.push_back(with_run("results with 'status' not text", index, [] {
                         return damaged(originals().results_run, [](hid_t f) {
                           set_attribute(f, "/", "status", H5T_NATIVE_INT64, std::int64_t{7});
                         });
                       }, "out.h5.runs/000000.h5"));
  c.push_back(onto("results whose run file is missing", index, "out.h5.runs/000000.h5"));
  c.push_back(with_run("results whose run file has a corrupt global heap", index,
                       [] { return corrupt_heap(originals().results_run); }, "out.h5.runs/000000.h5"));
  c.push_back(with_run("results whose run file is cut in half", index,
                       [] { return originals().results_run.substr(0, originals().results_run.size() / 2); },
                       "out.h5.runs/000000.h5"));
  c.push_back(with_run("results whose index has a damaged text reference",
                       [] { return damaged_text_reference("format", "spinsc-results"); }, run_file,
                       "'out.h5' is damaged"));
  c.push_back(with_run("results whose run file has a damaged text reference", index,
                       [] { return damaged_text_reference("status", "complete"); },
                       "'out.h5.runs/000000.h5' is damaged"));
  c.push_back(Case{"[network] from a file whose run file has a damaged text reference",
                   {{"e.ini", text("task = network\n[network]\nfrom = other/out.h5\n")},
                    {"other/out.h5", index},
                    {"other/out.h5.runs/000000.h5", [] { return damaged_text_reference("status", "complete"); }}},
                   run(), "other/out.h5.runs/000000.h5' is damaged"});
  for (const char* command : {"show out.h5", "plot out.h5 -o plots"}) {
    c.push_back(Case{std::string(command) + " of a run file with a damaged text reference",
                     {{"out.h5", index}, {"out.h5.runs/000000.h5", [] { return damaged_text_reference("status", "complete"); }}},
                     command, "000000.h5' is damaged"});
  }
  c.push_back({"results onto a folder", {{"e.ini", experiment_with("")}}, run(), "out.h5", "", {"out.h5"}});
  c.push_back({"results below a file", {{"e.ini", experiment_with("")}, {"f", text("x")}}, "run e.ini -o f/out.h5",
               "f/out.h5"});
  c.push_back({"results file being written by another spinsc",
               {{"e.ini", experiment_with("")}, {"out.h5.lock", text("")}}, "run e.ini -o out.h5",
               "being written by another spinsc", "flock out.h5.lock "});
  return c;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_bad_input_is_refused_cleanly) {
  originals();
  const std::vector<Case> all = cases();
  BOOST_TEST_MESSAGE(all.size() << " bad-input cases");
  BOOST_TEST(all.size() >= 60u);
  for (std::size_t i = 0; i < all.size(); ++i) {
    const Case& k = all[i];
    BOOST_TEST_CONTEXT("case " << i << ": " << k.name) {
      const fs::path folder = kRoot / ("case" + std::to_string(i));
      fs::remove_all(folder);
      fs::create_directories(folder);
      for (const auto& f : k.folders) fs::create_directories(folder / f);
      for (const auto& f : k.locked_folders) fs::create_directories(folder / f);
      for (const auto& [name, make] : k.files) {
        fs::create_directories((folder / name).parent_path());
        write_bytes(folder / name, make());
      }
      const auto before = checksums(folder);
      for (const auto& f : k.locked_folders) fs::permissions(folder / f, fs::perms::none);
      // The environment prefix is variables, a shell statement (trap, ulimit) or a wrapper (flock).
      const std::string timed = "timeout -k 5 " + std::to_string(kTimeLimitSeconds) + " " + kSpinsc + " " + k.command;
      const std::string shell = "cd '" + folder.string() + "' && " + k.environment + timed + " > output.txt 2>&1";
      const int status = std::system(shell.c_str());
      const std::string output = read_bytes(folder / "output.txt");
      for (const auto& f : k.locked_folders) fs::permissions(folder / f, fs::perms::owner_all);
      BOOST_REQUIRE(WIFEXITED(status));
      const int code = WEXITSTATUS(status);
      BOOST_TEST(code != 0, "exit 0 on bad input; output:\n" << output.substr(0, 2000));
      BOOST_TEST(code != 124, "did not end within " << kTimeLimitSeconds << " s (hang)");
      BOOST_TEST(code < 124, "ended by a signal (exit " << code << "); output:\n" << output.substr(0, 2000));
      BOOST_TEST(output.find(k.culprit) != std::string::npos,
                 "message does not name '" << k.culprit << "':\n" << output.substr(0, 2000));
      BOOST_TEST(output.size() < 20000u, "the message is " << output.size() << " bytes long");
      auto after = checksums(folder);
      for (const auto& [file, sum] : before) {
        BOOST_TEST(after.count(file) == 1u, file << " disappeared");
        if (after.count(file)) BOOST_TEST(after[file] == sum, file << " was changed");
      }
    }
  }
}

// The damaged reference above is a real crash of libhdf5, not a file it refuses: read in a child
// process, the attribute kills it (a signal; a sanitizer's report in an instrumented build). (So the cases that use it show spinsc's guard.)
BOOST_AUTO_TEST_CASE(damaged_text_reference_crashes_libhdf5) {
  const fs::path file = kRoot / "crashing.h5";
  write_bytes(file, damaged_text_reference("format", "spinsc-trace"));
  const pid_t child = fork();
  BOOST_REQUIRE(child >= 0);
  if (child == 0) {
    for (int signal_number : {SIGSEGV, SIGBUS, SIGABRT}) std::signal(signal_number, SIG_DFL);  // not Boost.Test's
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    const hid_t a = H5Aopen(f, "format", H5P_DEFAULT);
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    char* text = nullptr;
    H5Aread(a, type, &text);
    _exit(0);  // read without a crash
  }
  int status = 0;
  BOOST_REQUIRE(waitpid(child, &status, 0) == child);
  // A signal, or a sanitizer's report and exit in an instrumented build: anything but a clean read.
  BOOST_TEST(!(WIFEXITED(status) && WEXITSTATUS(status) == 0), "reading the damaged attribute did not crash libhdf5");
}

BOOST_AUTO_TEST_CASE(planted_symlinks_are_never_written_through) {
  // A symlink planted under the temporary's name must not have its target truncated or written.
  const fs::path folder = kRoot / "symlink";
  fs::remove_all(folder);
  fs::create_directories(folder);
  write_bytes(folder / "precious.txt", "precious\n");
  write_bytes(folder / "e.ini", kExperiment);
  fs::create_symlink(folder / "precious.txt", folder / "out.h5.writing");
  fs::create_symlink(folder / "precious.txt", folder / "t.h5.writing");
  fs::create_directories(folder / "out.h5.runs");
  fs::create_symlink(folder / "precious.txt", folder / "out.h5.runs" / "000000.h5.writing");
  const std::string cd = "cd '" + folder.string() + "' && ";
  BOOST_TEST(std::system((cd + kSpinsc + " run e.ini -o out.h5 > log 2>&1").c_str()) == 0);
  BOOST_TEST(std::system((cd + kSpinsc + " trace export --device device.bernoulli --bits 64 -o t.h5 > log 2>&1").c_str()) == 0);
  BOOST_TEST(read_bytes(folder / "precious.txt") == "precious\n");
  BOOST_TEST(fs::is_regular_file(folder / "out.h5"));
  BOOST_TEST(fs::is_regular_file(folder / "t.h5"));
}
