// Every experiment file shipped in experiments/ and experiments/paper/ loads and validates with
// the plugins of this build: keys, types, ranges, plugin ids and every swept value, and the
// configuration of every run point builds. Files are found by globbing, so a file added later is
// checked without editing this test. Each is also planned by `spinsc run --dry-run`, and the
// seconds-long ones run end to end through the CLI.
#define BOOST_TEST_MODULE shipped_experiments
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "spinsc/experiment.hpp"
#include "spinsc/plugin_registry.hpp"

namespace fs = std::filesystem;
using namespace spinsc;

namespace {

PluginRegistry& registry() {
  static PluginRegistry r({SPINSC_BUILD_PLUGIN_DIR});
  return r;
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<fs::path> shipped_files() {
  std::vector<fs::path> files;
  for (const char* folder : {"experiments", "experiments/paper"})
    for (const auto& entry : fs::directory_iterator(fs::path(SPINSC_SOURCE_DIR) / folder))
      if (entry.is_regular_file() && entry.path().extension() == ".ini") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_shipped_experiment_loads_and_every_point_configures) {
  const auto files = shipped_files();
  BOOST_TEST_REQUIRE(files.size() >= 10u);  // both folders were found
  std::set<std::string> names;
  for (const fs::path& file : files) {
    const std::string what = fs::relative(file, SPINSC_SOURCE_DIR).string();
    try {
      const Experiment e = load_experiment(file, {}, registry());
      BOOST_TEST(!e.points.empty(), what);
      BOOST_TEST(!e.task.empty(), what);
      for (const std::string& id : e.used_plugins) {
        const auto& entries = registry().entries();
        const bool usable = std::any_of(entries.begin(), entries.end(), [&](const auto& p) { return p.id == id && p.usable(); });
        BOOST_TEST(usable, what << " uses plugin " << id << ", which this build does not provide");
      }
      for (const RunPoint& point : e.points) e.config_for(point);
      // Two shipped experiments of one name would write into the same default results file.
      BOOST_TEST(names.insert(e.name).second, what << ": another shipped experiment is also named " << e.name);
    } catch (const std::exception& error) {
      BOOST_ERROR(what << ": " << error.what());
    }
  }
}

// What `spinsc run FILE` prints at its end when every run completed: "N runs: N complete, 0 failed".
bool every_run_complete(const std::string& log, std::size_t runs) {
  const std::string n = std::to_string(runs);
  return log.find(n + (runs == 1 ? " run: " : " runs: ") + n + " complete, 0 failed") != std::string::npos;
}

BOOST_AUTO_TEST_CASE(every_shipped_experiment_plans_through_the_cli) {
  // `spinsc run FILE --dry-run`, as a user checks a file before a long run: exit 0, the plan, and
  // nothing written.
  const fs::path dir = fs::temp_directory_path() / ("spinsc_shipped_dry_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  for (const fs::path& ini : shipped_files()) {
    const std::string what = fs::relative(ini, SPINSC_SOURCE_DIR).string();
    const fs::path out = dir / "plan.h5", log = dir / "log.txt";
    const std::string command = "SPINSC_PLUGIN_PATH= " + std::string(SPINSC_CLI) + " run '" + ini.string() +
                                "' --dry-run -o '" + out.string() + "' > '" + log.string() + "' 2>&1";
    BOOST_TEST(std::system(command.c_str()) == 0, what << ":\n" << read_text(log));
    BOOST_TEST(read_text(log).find("Nothing was run or written (--dry-run)") != std::string::npos, what);
    BOOST_TEST(!fs::exists(out), what << ": a dry run wrote " << out);
  }
  fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(the_short_experiments_run_through_the_cli) {
  // The seconds-long experiments (each under a few seconds here; the others train on all of
  // MNIST or simulate the sLLG for tens of seconds), run as a user would, into a scratch results
  // file: every run of the file's sweep must complete.
  const fs::path dir = fs::temp_directory_path() / ("spinsc_shipped_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::vector<std::pair<std::string, std::size_t>> short_ones = {
      {"smoke", 2}, {"device_characterization", 8}, {"device_trace_replay", 1}, {"smtj_temperature_whatif", 4},
      {"paper/sng_mondal_table1", 2}};
  for (const auto& [name, runs] : short_ones) {
    const fs::path ini = fs::path(SPINSC_SOURCE_DIR) / "experiments" / (name + ".ini");
    const fs::path out = dir / (fs::path(name).filename().string() + ".h5"), log = dir / "log.txt";
    const std::string command = "SPINSC_PLUGIN_PATH= " + std::string(SPINSC_CLI) + " run '" + ini.string() + "' -o '" +
                                out.string() + "' > '" + log.string() + "' 2>&1";
    BOOST_TEST(std::system(command.c_str()) == 0, name << ":\n" << read_text(log));
    BOOST_TEST(every_run_complete(read_text(log), runs), name << ":\n" << read_text(log));
    BOOST_TEST(fs::is_regular_file(out), name);
  }
  fs::remove_all(dir);
}
