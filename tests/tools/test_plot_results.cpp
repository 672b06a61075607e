// Requirement ("Plots"): `spinsc plot RESULTS.h5` draws the Figure 6, energy, hardware, latency and
// device what-if plots of a results file made here by `spinsc run` (a tiny network study: two
// activation units, two devices, two seeds, the logic priced by the 45 nm technology file), and
// the device characterization plots of a characterization file (also drawn by the scripts
// tools/plot_characterization.py and tools/plot_results.py run alone); every PNG exists, is a
// PNG, is not trivially small and is not blank (decoded: drawn and coloured pixels; a figure of
// empty axes is refused); the hardware table holds the latency parts the study implies. A bad file, a missing file, a kind the file has no data for, a missing interpreter and a missing Python
// module each give a non-zero exit and a message naming the file/kind/interpreter/module.
// Skipped, with a message, only when /usr/bin/python3 cannot import h5py, matplotlib and numpy
// (under CI=true they run anyway and fail).
#define BOOST_TEST_MODULE plot_results
#include <sys/wait.h>

#include <boost/test/unit_test.hpp>

#include "test_prerequisites.hpp"
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace fs = std::filesystem;

namespace {

const char* const kPython = "/usr/bin/python3";  // Debian's, with python3-h5py and python3-matplotlib

struct Result {
  int exit_code = -1;
  std::string out, err;
};

const fs::path& work_dir() {
  static const fs::path dir = [] {
    fs::path d = fs::path(SPINSC_BINARY_DIR) / "test-scratch" / "plot_results";
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

Result shell(const std::string& command) {
  const fs::path out = work_dir() / "stdout.txt", err = work_dir() / "stderr.txt";
  const std::string full = "cd '" + work_dir().string() + "' && " + command + " > '" + out.string() + "' 2> '" +
                           err.string() + "'";
  BOOST_TEST_MESSAGE(command);
  const int status = std::system(full.c_str());
  Result r{WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(out), read_file(err)};
  if (r.exit_code != 0) BOOST_TEST_MESSAGE("exit " << r.exit_code << ", stderr: " << r.err);
  return r;
}

Result spinsc(const std::string& arguments) { return shell(std::string("SPINSC_PLUGIN_PATH= ") + SPINSC_CLI + " " + arguments); }

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

// Big-endian 32-bit number at offset of a PNG (IHDR width at 16, height at 20).
std::uint32_t be32(const std::string& bytes, std::size_t offset) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[offset + i]);
  return v;
}

// Drawn, not blank: the size alone does not tell (a figure of two empty, titled and labelled axes
// is a 30 kB PNG). Decoded by matplotlib: at least 5 % of the pixels differ from the background
// (the corner pixel) and at least 0.2 % are coloured (max - min channel > 60 of 255: a data series;
// axes and text are grey). Empty titled axes: 1.7 % and 0 %; the plots of this test: 11-33 % and
// 0.9-28 %.
struct PixelFractions {
  double drawn = -1.0, coloured = -1.0;
};
PixelFractions pixel_fractions(const fs::path& file) {
  const Result r = shell(std::string(kPython) +
                         " -c 'import sys, numpy as n, matplotlib.image as m; "
                         "a = (m.imread(sys.argv[1])[..., :3] * 255).round().astype(n.int16); "
                         "drawn = (a != a[0, 0]).any(axis=2).mean(); "
                         "coloured = ((a.max(axis=2) - a.min(axis=2)) > 60).mean(); "
                         "print(drawn, coloured)' '" + file.string() + "'");
  BOOST_TEST_REQUIRE(r.exit_code == 0, "decoding " << file << ": " << r.err);
  PixelFractions f;
  std::istringstream(r.out) >> f.drawn >> f.coloured;
  return f;
}
bool is_blank(const PixelFractions& f) { return f.drawn < 0.05 || f.coloured < 0.002; }
void check_not_blank(const fs::path& file) {
  const PixelFractions f = pixel_fractions(file);
  BOOST_TEST(!is_blank(f), file << " looks blank: " << f.drawn << " of the pixels differ from the background, "
                                << f.coloured << " are coloured");
}

// A readable plot: a PNG of at least 800 x 400 pixels and 20 kB (an empty figure of that size
// compresses to a few kB; axes, text and data make it tens of kB).
void check_png(const fs::path& file) {
  BOOST_TEST_INFO("PNG " << file);
  BOOST_TEST_REQUIRE(fs::is_regular_file(file));
  const std::string bytes = read_file(file);
  BOOST_TEST_REQUIRE(bytes.size() > 24u);
  BOOST_TEST(bytes.substr(0, 8) == std::string("\x89PNG\r\n\x1a\n", 8));
  BOOST_TEST(bytes.substr(12, 4) == "IHDR");
  BOOST_TEST(be32(bytes, 16) >= 800u);
  BOOST_TEST(be32(bytes, 20) >= 400u);
  BOOST_TEST(bytes.size() > 20000u);
  check_not_blank(file);
}

struct PlotModules {
  boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id) const {
    static const bool ok = std::system((std::string(kPython) + " -c 'import h5py, matplotlib, numpy' 2>/dev/null").c_str()) == 0;
    // Under CI=true the tests run anyway and fail on the missing modules: no silent skip in CI.
    boost::test_tools::assertion_result result(ok || spinsc_prerequisites::running_in_ci());
    if (!ok)
      result.message() << kPython << " cannot import h5py, matplotlib and numpy (Debian python3-h5py, "
                       << "python3-matplotlib; install-deps.sh installs them): plot tests skipped";
    return result;
  }
};

// Two activation units on one trained network (latency), two devices (what-if), two seeds (error
// bars), two lengths: 4 runs of a 784-32-10 network on 1000 images, well under a minute.
const std::string kNetworkStudy = R"(name = plot_study
seed = 1
task = network
[data]
dataset = mnist
train_size = 1000
test_size = 200
[network]
layers = 784,32,10
levels = 5
hidden_activation = sigmoid
output_activation = sigmoid
[train]
strategy = train.qat
epochs = 1
loss = mse
init = gaussian_clipped
init_std = 0.3
[sc]
policy = bank
bank_size = 64
technology = cmos45_horowitz2014
[sc.lut_sigmoid]
latency_cycles = 9
[sc.sigmoid32]
latency_cycles = 80
[eval]
sc = true
lengths = 32,64
sc_samples = 100
sc_activations = sc.lut_sigmoid, sc.sigmoid32
[device.bernoulli]
energy_per_bit_J = 20e-15
[device.lfsr]
energy_per_bit_J = 5e-15
[sweep]
device.plugin = device.bernoulli, device.lfsr
repeats = 2
)";

const fs::path& network_results() {
  static const fs::path file = [] {
    const fs::path ini = work_dir() / "plot_study.ini";
    std::ofstream(ini) << kNetworkStudy;
    const fs::path h5 = work_dir() / "plot_study.h5";
    const Result r = spinsc("run '" + ini.string() + "' -o '" + h5.string() + "'");
    BOOST_TEST_REQUIRE(r.exit_code == 0, "spinsc run of the plot study failed: " << r.err);
    return h5;
  }();
  return file;
}

}  // namespace

BOOST_AUTO_TEST_CASE(help_of_command_and_script) {
  const Result cli = spinsc("plot --help");
  BOOST_TEST(cli.exit_code == 0);
  BOOST_TEST(contains(cli.out, "spinsc plot RESULTS.h5"));
  BOOST_TEST(contains(cli.out, "figure6"));
  BOOST_TEST(contains(cli.out, "plot_results.py"));
  const Result none = spinsc("plot");
  BOOST_TEST(none.exit_code != 0);
  BOOST_TEST(contains(none.out, "Usage: spinsc plot"));
}

// The blank check can fail: two titled, labelled axes without data (a 30 kB PNG, above the size
// bound) are refused, and the same axes with a bar series drawn pass.
BOOST_AUTO_TEST_CASE(blank_check_refuses_empty_axes, *boost::unit_test::precondition(PlotModules())) {
  const auto draw = [](const std::string& name, bool with_data) {
    const fs::path file = work_dir() / name;
    const Result r = shell(std::string(kPython) +
                           " -c 'import matplotlib; matplotlib.use(\"Agg\"); import matplotlib.pyplot as plt; "
                           "fig, ax = plt.subplots(1, 2, figsize=(12, 5)); "
                           "[(a.set_title(\"accuracy against stream length\"), a.set_xlabel(\"L (bits)\"), "
                           "a.set_ylabel(\"accuracy (%)\")) for a in ax]; " +
                           (with_data ? std::string("[a.bar([100, 200, 300, 400, 500], [80, 90, 93, 94, 95], width=60) for a in ax]; ") : "") +
                           "fig.savefig(\"" + file.string() + "\", dpi=150)'");
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    return file;
  };
  const fs::path empty = draw("empty_axes.png", false);
  BOOST_TEST(fs::file_size(empty) > 20000u);  // the size bound alone would pass it
  BOOST_TEST(is_blank(pixel_fractions(empty)));
  BOOST_TEST(!is_blank(pixel_fractions(draw("bars.png", true))));
}

BOOST_AUTO_TEST_CASE(script_runs_standalone, *boost::unit_test::precondition(PlotModules())) {
  const Result r = shell(std::string(kPython) + " '" SPINSC_SOURCE_DIR "/tools/plot_results.py' --help");
  BOOST_TEST(r.exit_code == 0);
  BOOST_TEST(contains(r.out, "RESULTS.h5"));
  BOOST_TEST(contains(r.out, "whatif"));
}

BOOST_AUTO_TEST_CASE(auto_draws_every_kind_of_a_network_study, *boost::unit_test::precondition(PlotModules())) {
  const fs::path out = work_dir() / "network_plots";
  const Result r = spinsc("plot '" + network_results().string() + "' -o '" + out.string() + "'");
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  const std::vector<std::string> written = lines_of(r.out);
  BOOST_TEST(written.size() == 6u, r.out);  // four PNGs, the Figure 6 and the hardware tables
  for (const char* kind : {"figure6", "energy", "hardware", "whatif"}) {
    const fs::path png = out / (std::string("plot_study_") + kind + ".png");
    BOOST_TEST(contains(r.out, png.string()), "spinsc plot did not print " << png);
    check_png(png);
  }
  // The numbers behind Figure 6: one row per series and length, 2 seeds each, the no-SC accuracy.
  const fs::path table = out / "plot_study_figure6.md";
  BOOST_TEST(contains(r.out, table.string()));
  const std::string text = read_file(table);
  BOOST_TEST(contains(text, "| 784-32-10 | method 1 (QAT), Q=5, plugin=device.lfsr, sc.sigmoid32 | 64 | "), text);
  std::size_t rows = 0;
  for (const auto& line : lines_of(text))
    if (line.rfind("| 784-32-10 |", 0) == 0) {
      ++rows;
      BOOST_TEST(contains(line, " | 2 | "), line);
    }
  BOOST_TEST(rows == 8u);  // 2 devices x 2 activation units x 2 lengths
}

// The hardware table: per unit and length the latency parts of the critical path. Oracle: the study
// itself: streaming = L bit clocks in each of the 2 layers, counting = the counter's 1-cycle
// pipeline in each layer, activation = the unit's latency_cycles (9 and 80 above) in the 1 hidden
// layer; the technology file prices the gates, so their energy is not 0.
BOOST_AUTO_TEST_CASE(hardware_table_splits_latency_and_energy, *boost::unit_test::precondition(PlotModules())) {
  const fs::path out = work_dir() / "hardware_only";
  const Result r = spinsc("plot '" + network_results().string() + "' --kind hardware --length 32 -o '" +
                          out.string() + "'");
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  check_png(out / "plot_study_hardware.png");
  std::size_t rows = 0;
  for (const auto& line : lines_of(read_file(out / "plot_study_hardware.md"))) {
    for (const auto& [unit, cycles] : {std::pair<std::string, std::string>{"sc.lut_sigmoid", "9"}, {"sc.sigmoid32", "80"}})
      for (const std::string device : {"device.bernoulli", "device.lfsr"})
        for (const std::string L : {"32", "64"})
          if (line.rfind("| " + unit + ", plugin=" + device + " | " + L + " | ", 0) == 0) {
            ++rows;
            const std::string streaming = std::to_string(2 * std::stoi(L));
            BOOST_TEST(contains(line, " | " + streaming + " | 2 | " + cycles + " | "), line);
            // The energy cells (gates, counters, activation, ...) are priced, not 0.
            BOOST_TEST(!contains(line, "| 0 | 0 |"), line);
          }
  }
  BOOST_TEST(rows == 8u);  // 2 units x 2 devices (each its own unit, not averaged) x 2 lengths
}

BOOST_AUTO_TEST_CASE(one_kind_at_a_time, *boost::unit_test::precondition(PlotModules())) {
  const fs::path out = work_dir() / "latency_only";
  const Result r = spinsc("plot '" + network_results().string() + "' --kind latency --length 32 -o '" + out.string() + "'");
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(lines_of(r.out).size() == 1u);
  check_png(out / "plot_study_latency.png");
  const Result bad_length = spinsc("plot '" + network_results().string() + "' --kind latency --length 99 -o '" +
                                   out.string() + "'");
  BOOST_TEST(bad_length.exit_code == 1);
  BOOST_TEST(contains(bad_length.err, "--length 99 was not evaluated"));
  // A kind the file has no data for is an error naming the file and what is missing.
  const Result none = spinsc("plot '" + network_results().string() + "' --kind characterization -o '" +
                             out.string() + "'");
  BOOST_TEST(none.exit_code == 1);
  BOOST_TEST(contains(none.err, network_results().string()));
  BOOST_TEST(contains(none.err, "device/p1_measured"));
  const Result unknown_option = spinsc("plot '" + network_results().string() + "' --colour red");
  BOOST_TEST(unknown_option.exit_code == 2);
  BOOST_TEST(contains(unknown_option.err, "unrecognized arguments: --colour red"), unknown_option.err);
  const Result bad_kind = spinsc("plot '" + network_results().string() + "' --kind pie");
  BOOST_TEST(bad_kind.exit_code == 2);
  BOOST_TEST(contains(bad_kind.err, "pie"));
}

BOOST_AUTO_TEST_CASE(failed_runs_are_left_out_with_a_note, *boost::unit_test::precondition(PlotModules())) {
  // A copy of the study whose first run failed (as `spinsc run` records it): the rest is plotted.
  const fs::path copy = work_dir() / "with_failed_run.h5";
  fs::copy_file(network_results(), copy, fs::copy_options::overwrite_existing);
  const Result made = shell(std::string(kPython) + " -c \"import h5py; h5py.File('" + copy.string() +
                            "', 'r+')['runs/000000'].attrs['status'] = 'failed: out of memory'\"");
  BOOST_TEST_REQUIRE(made.exit_code == 0);
  const fs::path out = work_dir() / "failed_plots";
  const Result r = spinsc("plot '" + copy.string() + "' --kind figure6 -o '" + out.string() + "'");
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(contains(r.err, "run 000000: failed: out of memory"), r.err);
  check_png(out / "plot_study_figure6.png");
  // Run 0 is the first seed of device.bernoulli: its rows now have n = 1, those of device.lfsr n = 2.
  std::size_t checked = 0;
  for (const auto& line : lines_of(read_file(out / "plot_study_figure6.md"))) {
    if (contains(line, "plugin=device.bernoulli, sc.lut_sigmoid | 32 |")) {
      BOOST_TEST(contains(line, " | 1 | "), line);
      ++checked;
    } else if (contains(line, "plugin=device.lfsr, sc.lut_sigmoid | 32 |")) {
      BOOST_TEST(contains(line, " | 2 | "), line);
      ++checked;
    }
  }
  BOOST_TEST(checked == 2u);
}

BOOST_AUTO_TEST_CASE(device_characterization_file, *boost::unit_test::precondition(PlotModules())) {
  const fs::path ini = work_dir() / "characterization.ini";
  std::ofstream(ini) << "name = characterization\ntask = device_characterization\n[characterization]\n"
                        "n_bits = 4096\nn_streams = 2\nlevels = 5\n[sweep]\n"
                        "device.plugin = device.bernoulli, device.lfsr\n";
  const fs::path h5 = work_dir() / "characterization.h5";
  BOOST_TEST_REQUIRE(spinsc("run '" + ini.string() + "' -o '" + h5.string() + "'").exit_code == 0);
  const fs::path out = work_dir() / "characterization_plots";
  const Result r = spinsc("plot '" + h5.string() + "' -o '" + out.string() + "'");
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  const std::vector<std::string> written = lines_of(r.out);
  BOOST_TEST(written.size() == 2u, r.out);
  for (const auto& png : written) check_png(png);
  // The two scripts run alone draw the same plots: tools/plot_characterization.py (one PNG per run)
  // and tools/plot_results.py (what `spinsc plot` runs, here called without it).
  const fs::path alone = work_dir() / "characterization_script";
  const Result script = shell(std::string(kPython) + " '" SPINSC_SOURCE_DIR "/tools/plot_characterization.py' '" +
                              h5.string() + "' '" + alone.string() + "'");
  BOOST_TEST_REQUIRE(script.exit_code == 0, script.err);
  const std::vector<std::string> drawn_alone = lines_of(script.out);
  BOOST_TEST(drawn_alone.size() == 2u, script.out);  // one per run: two devices
  for (const auto& png : drawn_alone) {
    BOOST_TEST(fs::path(png).parent_path() == alone, png);
    check_png(png);
  }
  const fs::path by_results_script = work_dir() / "results_script";
  const Result results_script = shell(std::string(kPython) + " '" SPINSC_SOURCE_DIR "/tools/plot_results.py' '" +
                                      h5.string() + "' -o '" + by_results_script.string() + "'");
  BOOST_TEST_REQUIRE(results_script.exit_code == 0, results_script.err);
  BOOST_TEST(lines_of(results_script.out).size() == 2u, results_script.out);
  for (const auto& png : lines_of(results_script.out)) check_png(png);
  const Result script_no_file = shell(std::string(kPython) + " '" SPINSC_SOURCE_DIR "/tools/plot_characterization.py' '" +
                                      (work_dir() / "missing.h5").string() + "'");
  BOOST_TEST(script_no_file.exit_code == 1);
  BOOST_TEST(contains(script_no_file.err, "missing.h5: no such results file"), script_no_file.err);
  // A characterization file has no SC evaluation: asking for Figure 6 says so.
  const Result figure6 = spinsc("plot '" + h5.string() + "' --kind figure6 -o '" + out.string() + "'");
  BOOST_TEST(figure6.exit_code == 1);
  BOOST_TEST(contains(figure6.err, "evaluation/sc"));
}

BOOST_AUTO_TEST_CASE(bad_files_are_named, *boost::unit_test::precondition(PlotModules())) {
  const fs::path text = work_dir() / "not_results.h5";
  std::ofstream(text) << "this is not HDF5\n";
  const Result not_hdf5 = spinsc("plot '" + text.string() + "'");
  BOOST_TEST(not_hdf5.exit_code == 1);
  BOOST_TEST(contains(not_hdf5.err, text.string()));
  BOOST_TEST(contains(not_hdf5.err, "not a readable HDF5 file"));

  const fs::path missing = work_dir() / "missing.h5";
  const Result no_file = spinsc("plot '" + missing.string() + "'");
  BOOST_TEST(no_file.exit_code == 1);
  BOOST_TEST(contains(no_file.err, missing.string()));
  BOOST_TEST(contains(no_file.err, "no such results file"));

  // An HDF5 file that is not a spinsc results file (a trace file has no format attribute).
  const fs::path other = work_dir() / "other.h5";
  const Result made = shell(std::string(kPython) + " -c \"import h5py; h5py.File('" + other.string() +
                            "', 'w').create_dataset('x', data=[1, 2])\"");
  BOOST_TEST_REQUIRE(made.exit_code == 0);
  const Result not_spinsc = spinsc("plot '" + other.string() + "'");
  BOOST_TEST(not_spinsc.exit_code == 1);
  BOOST_TEST(contains(not_spinsc.err, "not a spinsc results file"));
}

BOOST_AUTO_TEST_CASE(missing_interpreter_or_module_is_named, *boost::unit_test::precondition(PlotModules())) {
  const Result no_python = spinsc("plot --python /nonexistent/python3 '" + network_results().string() + "'");
  BOOST_TEST(no_python.exit_code == 1);
  BOOST_TEST(contains(no_python.err, "/nonexistent/python3"));
  BOOST_TEST(contains(no_python.err, "python3-matplotlib"));

  // A module that cannot be imported: a stand-in h5py earlier on PYTHONPATH that fails to import.
  const fs::path fake = work_dir() / "fake_modules";
  fs::create_directories(fake);
  std::ofstream(fake / "h5py.py") << "raise ImportError('simulated: h5py is not installed')\n";
  const Result no_h5py = shell("PYTHONPATH='" + fake.string() + "' SPINSC_PLUGIN_PATH= " + SPINSC_CLI + " plot '" +
                               network_results().string() + "'");
  BOOST_TEST(no_h5py.exit_code == 3);
  BOOST_TEST(contains(no_h5py.err, "h5py"));
  BOOST_TEST(contains(no_h5py.err, "python3-h5py"));
  BOOST_TEST(contains(no_h5py.err, kPython));
}
