// Requirement (technology files, docs/sc.md): `[sc] technology = NAME` prices the SC units and the
// DAC level from data/technology/NAME.ini; a key the experiment file, the command line or the
// sweep sets wins; a bad technology file is an error naming its file and line; an unknown name
// lists the shipped technologies; the units the experiment does not use raise no notes.
#define BOOST_TEST_MODULE technology_file
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <functional>
#include <fstream>
#include <map>

#include "spinsc/experiment.hpp"
#include "spinsc/plugin_registry.hpp"

using namespace spinsc;
namespace fs = std::filesystem;

namespace {

PluginRegistry& registry() {
  static PluginRegistry instance({SPINSC_BUILD_PLUGIN_DIR});
  return instance;
}

const std::string kNetwork = "task = network\n[sc]\ntechnology = cmos45_horowitz2014\n";

fs::path scratch() {
  static const fs::path dir = [] {
    fs::path d = fs::path(SPINSC_BINARY_DIR) / "test-scratch" / "technology_file";
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

void expect_error(const std::function<void()>& load, const std::vector<std::string>& expected) {
  try {
    load();
  } catch (const ExperimentError& e) {
    const std::string message = e.what();
    for (const auto& part : expected)
      BOOST_TEST(message.find(part) != std::string::npos, "'" << part << "' not in: " << message);
    return;
  }
  BOOST_FAIL("no error");
}

}  // namespace

BOOST_AUTO_TEST_CASE(shipped_file_prices_units_and_the_experiment_wins) {
  const Experiment e = load_experiment_text(kNetwork + "[sc.xnor]\nenergy_per_op_J = 1e-15\n", "probe.ini",
                                            {"sc.lut_sigmoid.energy_per_op_J=2e-12"}, registry());
  // Values as data/technology/cmos45_horowitz2014.ini writes them, with their origin.
  const Setting& counter = e.settings.at("sc.parallel_counter.energy_per_input_J");
  BOOST_TEST(counter.value == "3.75e-15");
  BOOST_TEST(counter.origin.find("technology file ") == 0u, counter.origin);
  BOOST_TEST(counter.origin.find("cmos45_horowitz2014.ini:") != std::string::npos, counter.origin);
  BOOST_TEST(e.settings.at("sc.dac_energy_per_level_J").value == "3e-15");
  BOOST_TEST(e.settings.at("sc.fsm_sigmoid.energy_per_op_J").value == "0.03e-12");
  // The experiment file and the command line win over the technology file.
  BOOST_TEST(e.settings.at("sc.xnor.energy_per_op_J").value == "1e-15");
  BOOST_TEST(e.settings.at("sc.xnor.energy_per_op_J").origin == "probe.ini:5");
  BOOST_TEST(e.settings.at("sc.lut_sigmoid.energy_per_op_J").value == "2e-12");
  // The units this experiment does not use (sc.and, sc.apc, ...) are priced without a note.
  for (const auto& note : e.notes) BOOST_TEST(note.find("technology") == std::string::npos, note);
}

BOOST_AUTO_TEST_CASE(a_swept_key_wins_and_the_technology_cannot_be_swept) {
  const Experiment e = load_experiment_text(
      kNetwork + "[sweep]\nsc.parallel_counter.energy_per_op_J = 1e-13, 2e-13\n", "probe.ini", {}, registry());
  BOOST_TEST(!e.settings.count("sc.parallel_counter.energy_per_op_J"));
  BOOST_TEST(e.points.size() == 2u);
  expect_error([] { load_experiment_text("task = network\n[sweep]\nsc.technology = a, b\n", "probe.ini", {}, registry()); },
               {"probe.ini:3", "cannot sweep over 'sc.technology'"});
}

BOOST_AUTO_TEST_CASE(an_unknown_technology_lists_the_shipped_ones) {
  expect_error([] { load_experiment_text("task = network\n[sc]\ntechnology = cmos7_nowhere\n", "probe.ini", {}, registry()); },
               {"probe.ini:3", "technology file 'cmos7_nowhere' not found", "cmos7_nowhere.ini", "cmos45_horowitz2014"});
}

BOOST_AUTO_TEST_CASE(a_file_beside_the_experiment_is_validated_line_by_line) {
  const fs::path experiment = scratch() / "experiment.ini";
  std::ofstream(experiment) << "task = network\n[sc]\ntechnology = mine.ini\n";
  std::ofstream(scratch() / "mine.ini") << "# my process\n[sc.xnor]\nenergy_per_op_J = 2e-15\n";
  const Experiment e = load_experiment(experiment, {}, registry());
  BOOST_TEST(e.settings.at("sc.xnor.energy_per_op_J").value == "2e-15");
  BOOST_TEST(e.settings.at("sc.xnor.energy_per_op_J").origin.find("mine.ini:3") != std::string::npos);

  std::ofstream(scratch() / "mine.ini") << "[sc.xnor]\nenergy_per_opp_J = 2e-15\n";
  expect_error([&] { load_experiment(experiment, {}, registry()); }, {"mine.ini:2", "unknown key 'energy_per_opp_J'"});
  std::ofstream(scratch() / "mine.ini") << "[sc.xnor]\nenergy_per_op_J = -1\n";
  expect_error([&] { load_experiment(experiment, {}, registry()); }, {"mine.ini:2", "energy_per_op_J"});
  std::ofstream(scratch() / "mine.ini") << "seed = 3\n";
  expect_error([&] { load_experiment(experiment, {}, registry()); }, {"mine.ini:1", "cannot be set by a technology file"});
  std::ofstream(scratch() / "mine.ini") << "[sweep]\nsc.xnor.energy_per_op_J = 1e-15, 2e-15\n";
  expect_error([&] { load_experiment(experiment, {}, registry()); }, {"mine.ini:1", "[sweep]"});
}

// data/technology/cmos180_osu018.ini: every SC unit and the DAC level priced, each value the cell
// count its comment states times the cells' energies. The cell figures are the library's (OSU
// 0.18 um standard cells, energy per output transition at 0.025 pF and 0.18 ns, as
// tools/liberty_energy.py prints them); the arithmetic from them to each unit is checked here,
// to the file's three significant digits.
BOOST_AUTO_TEST_CASE(standard_cell_file_prices_every_unit_from_its_cells) {
  const Experiment e = load_experiment_text("task = network\n[sc]\ntechnology = cmos180_osu018\n", "probe.ini", {},
                                            registry());
  const double xnor = 126.94e-15, and2 = 83.88e-15, mux2 = 96.98e-15, full_adder = 232.59e-15,
               half_adder = 194.54e-15, flip_flop_q = 103.55e-15, flip_flop_clock = 130.21e-15;
  const double activity = 0.5;  // random SC bits: an output toggles in half of the clocks
  const double fa = activity * full_adder, mux = activity * mux2, ha = activity * half_adder;
  const double reg = flip_flop_clock + activity * flip_flop_q;  // one register bit per clock
  const double multiply = 576 * activity * and2 + 528 * fa, add = 24 * fa + 2 * 24 * 5 * mux;
  const std::map<std::string, double> expected = {
      {"sc.xnor.energy_per_op_J", activity * xnor},
      {"sc.and.energy_per_op_J", activity * and2},
      {"sc.parallel_counter.energy_per_input_J", fa},
      {"sc.parallel_counter.energy_per_op_J", 20 * fa + 20 * reg},
      {"sc.apc.energy_per_input_J", fa},
      {"sc.apc.energy_per_op_J", 20 * fa + 20 * reg},
      {"sc.mux_adder.energy_per_input_J", mux},
      {"sc.mux_adder.energy_per_op_J", 10 * ha + 10 * reg},
      {"sc.lut_sigmoid.energy_per_op_J", 10 * 16 * fa + 15 * 8 * mux},
      {"sc.sigmoid32.energy_per_op_J", 10 * multiply + 7 * add},
      {"sc.fsm_sigmoid.energy_per_op_J", 8 * fa + 8 * reg},
      {"sc.fsm_tanh.energy_per_op_J", 8 * fa + 8 * reg},
      {"sc.dac_energy_per_level_J", 4 * mux},
  };
  for (const auto& [key, value] : expected) {
    BOOST_TEST_CONTEXT(key) {
      BOOST_REQUIRE(e.settings.count(key) == 1u);
      const Setting& s = e.settings.at(key);
      BOOST_TEST(s.origin.find("cmos180_osu018.ini:") != std::string::npos, s.origin);
      BOOST_TEST(std::stod(s.value) == value, boost::test_tools::tolerance(0.005));
    }
  }
}
