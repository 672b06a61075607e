// Every experiment file shipped in experiments/ and experiments/paper/ loads and validates with
// the plugins of this build: keys, types, ranges, plugin ids and every swept value, and the
// configuration of every run point builds. Files are found by globbing, so a file added later is
// checked without editing this test. The seconds-long ones also run end to end through the CLI.
#define BOOST_TEST_MODULE shipped_experiments
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
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

BOOST_AUTO_TEST_CASE(the_short_experiments_run_through_the_cli) {
  // The seconds-long experiments, run as a user would, into a scratch results file.
  const fs::path dir = fs::temp_directory_path() / ("spinsc_shipped_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  for (const char* name : {"smoke"}) {
    const fs::path ini = fs::path(SPINSC_SOURCE_DIR) / "experiments" / (std::string(name) + ".ini");
    const fs::path out = dir / (std::string(name) + ".h5");
    const std::string command = std::string(SPINSC_CLI) + " run " + ini.string() + " -o " + out.string() + " > " +
                                (dir / "log.txt").string() + " 2>&1";
    BOOST_TEST(std::system(command.c_str()) == 0, name);
    BOOST_TEST(fs::file_size(out) > 0u, name);
  }
  fs::remove_all(dir);
}
