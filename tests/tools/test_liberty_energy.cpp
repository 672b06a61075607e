// Requirement (technology files priced from a standard-cell library, docs/sc.md):
// tools/liberty_energy.py reads a cell's energy per output transition from a Liberty library's
// internal_power tables (bilinear in output load and input transition, whichever order the table's
// template gives), adds the load's 1/2 C V^2 per output and gives a flip-flop's clock energy per
// cycle. Oracle: a small library written here whose values were chosen so the results can be
// worked out by hand (see each expectation). Bad arguments: a non-zero exit that names them.
#define BOOST_TEST_MODULE liberty_energy
#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <sys/wait.h>

namespace fs = std::filesystem;

namespace {

const char* const kPython = "/usr/bin/python3";  // Debian's python3 (standard library only)

const char* const kLibrary = R"LIB(/* a test library: numbers chosen by hand */
library(test_cells) {
  nom_voltage : 1.0;
  capacitive_load_unit (1,pf);
  power_lut_template(load_then_slew) {
    variable_1 : total_output_net_capacitance;
    variable_2 : input_transition_time;
    index_1 ("1000.0, 1001.0");
    index_2 ("1000.0, 1001.0");
  }
  power_lut_template(slew_then_load) {
    variable_1 : input_transition_time;
    variable_2 : total_output_net_capacitance;
    index_1 ("1000.0, 1001.0");
    index_2 ("1000.0, 1001.0");
  }
  power_lut_template(slew_only) {
    variable_1 : input_transition_time;
    index_1 ("1000.0, 1001.0");
  }
  cell (G) {
    pin(A) { direction : input; capacitance : 0.01; }
    pin(Y) {
      direction : output;
      function : "(!A)";
      internal_power() {
        related_pin : "A";
        rise_power(load_then_slew) { index_1 ("0.01, 0.03"); index_2 ("0.1, 0.3"); values ("1, 2", "3, 4"); }
        fall_power(load_then_slew) { index_1 ("0.01, 0.03"); index_2 ("0.1, 0.3"); values ("5, 6", "7, 8"); }
      }
    }
  }
  cell (S) {
    pin(A) { direction : input; }
    pin(Y) {
      direction : output;
      internal_power() {
        related_pin : "A";
        rise_power(slew_then_load) { index_1 ("0.1, 0.3"); index_2 ("0.01, 0.03"); values ("1, 3", "5, 7"); }
        fall_power(slew_then_load) { index_1 ("0.1, 0.3"); index_2 ("0.01, 0.03"); values ("1, 3", "5, 7"); }
      }
    }
  }
  cell (FF) {
    pin(CLK) {
      direction : input;
      clock : true;
      internal_power() {
        rise_power(slew_only) { index_1 ("0.1, 0.3"); values ("0.2, 0.4"); }
        fall_power(slew_only) { index_1 ("0.1, 0.3"); values ("0.6, 0.8"); }
      }
    }
    pin(Q) {
      direction : output;
      internal_power() {
        related_pin : "CLK";
        rise_power(load_then_slew) { index_1 ("0.01, 0.03"); index_2 ("0.1, 0.3"); values ("1, 1", "1, 1"); }
        fall_power(load_then_slew) { index_1 ("0.01, 0.03"); index_2 ("0.1, 0.3"); values ("1, 1", "1, 1"); }
      }
    }
  }
}
)LIB";

struct Result {
  int exit_code = -1;
  std::string output;
};

Result run(const std::string& arguments) {
  const std::string command = std::string(kPython) + " '" + SPINSC_SOURCE_DIR + "/tools/liberty_energy.py' " +
                              arguments + " 2>&1";
  Result r;
  FILE* pipe = popen(command.c_str(), "r");
  BOOST_REQUIRE(pipe);
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe)) r.output += buffer;
  const int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  return r;
}

fs::path library_file() {
  const fs::path dir = fs::path(SPINSC_BINARY_DIR) / "test-scratch" / "liberty_energy";
  fs::create_directories(dir);
  std::ofstream(dir / "cells.lib") << kLibrary;
  return dir / "cells.lib";
}

// cell -> {internal, load, total, clock} in fJ, from the script's table ("-" clock = -1).
std::map<std::string, std::vector<double>> table(const std::string& output) {
  std::map<std::string, std::vector<double>> rows;
  std::istringstream in(output);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line.rfind("cell ", 0) == 0) continue;
    std::istringstream fields(line);
    std::string cell, outputs, clock;
    double internal = 0, load = 0, total = 0;
    fields >> cell >> outputs >> internal >> load >> total >> clock;
    rows[cell] = {internal, load, total, clock == "-" ? -1.0 : std::stod(clock)};
  }
  return rows;
}

}  // namespace

BOOST_AUTO_TEST_CASE(energies_at_the_middle_of_the_tables) {
  const Result r = run("'" + library_file().string() + "' --load-pf 0.02 --transition-ns 0.2");
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  auto rows = table(r.output);
  // G: the middle of rise (1 2 / 3 4) is 2.5 pJ, of fall (5 6 / 7 8) 6.5 pJ: mean 4.5 pJ; the load
  // adds 1/2 x 0.02 pF x (1 V)^2 = 10 fJ.
  BOOST_TEST(rows.at("G") == (std::vector<double>{4500, 10, 4510, -1}), boost::test_tools::per_element());
  // S: its template names the transition first; the middle of (1 3 / 5 7) is 4 pJ either way.
  BOOST_TEST(rows.at("S")[0] == 4000);
  // FF: output 1 pJ everywhere; the clock pin's rise 0.3 and fall 0.7 pJ at 0.2 ns: 2 x 0.5 pJ.
  BOOST_TEST(rows.at("FF") == (std::vector<double>{1000, 10, 1010, 1000}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(energies_at_a_corner_follow_each_templates_order) {
  const Result r = run("'" + library_file().string() + "' G S FF --load-pf 0.01 --transition-ns 0.1");
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  auto rows = table(r.output);
  BOOST_TEST(rows.size() == 3u);
  BOOST_TEST(rows.at("G")[0] == 3000);  // (rise 1 + fall 5) / 2 pJ at the first load and transition
  BOOST_TEST(rows.at("S")[0] == 1000);  // the transition index first: values[0][0] = 1 pJ
  BOOST_TEST(rows.at("FF")[3] == 800);  // clock (0.2 + 0.6) / 2 x 2 pJ
  BOOST_TEST(rows.at("G")[1] == 5);     // 1/2 x 0.01 pF x 1 V^2
}

BOOST_AUTO_TEST_CASE(bad_arguments_are_named) {
  const Result missing = run("/nonexistent/cells.lib");
  BOOST_TEST(missing.exit_code != 0);
  BOOST_TEST(missing.output.find("/nonexistent/cells.lib") != std::string::npos, missing.output);
  const fs::path text = library_file().parent_path() / "notes.txt";
  std::ofstream(text) << "not a library\n";
  const Result not_liberty = run("'" + text.string() + "'");
  BOOST_TEST(not_liberty.exit_code != 0);
  BOOST_TEST(not_liberty.output.find("not a Liberty library") != std::string::npos, not_liberty.output);
  const Result no_cell = run("'" + library_file().string() + "' NAND9");
  BOOST_TEST(no_cell.exit_code != 0);
  BOOST_TEST(no_cell.output.find("NAND9") != std::string::npos, no_cell.output);
}
