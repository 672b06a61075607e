// Requirement (issue 2, bad input): a plugin with another ABI version and a library that fails
// to load are reported (by the registry and by `spinsc plugins`, naming the file), and naming
// such a plugin in an experiment is an error that names the file and the reason.
#define BOOST_TEST_MODULE broken_plugins
#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "spinsc/experiment.hpp"
#include "spinsc/plugin_registry.hpp"
#include "spinsc/run_context.hpp"

using namespace spinsc;

namespace {
void run_nothing(RunContext&) {}

PluginRegistry& registry() {
  static PluginRegistry instance({SPINSC_BUILD_PLUGIN_DIR, SPINSC_FIXTURE_PLUGIN_DIR});
  return instance;
}

const PluginEntry* entry_from(const std::string& file_part) {
  for (const auto& e : registry().entries())
    if (e.file.string().find(file_part) != std::string::npos) return &e;
  return nullptr;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
}  // namespace

SPINSC_REGISTER_TASK("nothing", run_nothing, "test task that does nothing")

BOOST_AUTO_TEST_CASE(abi_mismatch_is_refused_naming_the_file) {
  const PluginEntry* entry = entry_from("spinsc_fixture_abi_mismatch");
  BOOST_REQUIRE(entry);
  BOOST_TEST(!entry->usable());
  BOOST_TEST(entry->abi_version == 999u);
  BOOST_TEST(contains(entry->load_error, "ABI version 999"), entry->load_error);
  BOOST_TEST(contains(entry->load_error, entry->file.string()), entry->load_error);
  BOOST_TEST(entry->kind.empty());  // nothing but the version was read
}

BOOST_AUTO_TEST_CASE(library_that_fails_to_load_is_reported) {
  const PluginEntry* entry = entry_from("spinsc_fixture_unloadable");
  BOOST_REQUIRE(entry);
  BOOST_TEST(!entry->usable());
  BOOST_TEST(contains(entry->load_error, "cannot be loaded"), entry->load_error);
  BOOST_TEST(contains(entry->load_error, "spinsc_fixture_symbol_that_exists_nowhere"), entry->load_error);
}

BOOST_AUTO_TEST_CASE(good_plugins_still_load_next_to_broken_ones) {
  BOOST_TEST(registry().find("device.bernoulli").usable());
}

BOOST_AUTO_TEST_CASE(naming_a_broken_plugin_in_an_experiment_is_an_error) {
  for (const std::string text : {"task = nothing\n[device]\nplugin = device.abi_fixture\n",
                                 "task = nothing\n[device.abi_fixture]\nx = 1\n"}) {
    try {
      load_experiment_text(text, "broken.ini", {}, registry());
      BOOST_FAIL("accepted: " << text);
    } catch (const ExperimentError& e) {
      const std::string message = e.what();
      BOOST_TEST(contains(message, "broken.ini:"), message);
      BOOST_TEST(contains(message, "device.abi_fixture"), message);
      BOOST_TEST(contains(message, "device.bernoulli"), message);             // the valid ones
      BOOST_TEST(contains(message, "spinsc_fixture_abi_mismatch"), message);  // the broken files
      BOOST_TEST(contains(message, "ABI version 999"), message);
      BOOST_TEST(contains(message, "spinsc_fixture_unloadable"), message);
    }
  }
}

BOOST_AUTO_TEST_CASE(spinsc_plugins_lists_broken_libraries_with_reasons) {
  const std::string out = std::string(SPINSC_BINARY_DIR) + "/broken_plugins_listing.txt";
  const std::string command = std::string("SPINSC_PLUGIN_PATH=") + SPINSC_FIXTURE_PLUGIN_DIR + " " + SPINSC_CLI +
                              " plugins > " + out + " 2>&1";
  const int status = std::system(command.c_str());
  BOOST_TEST(status == 0);
  std::ifstream in(out);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  BOOST_TEST(contains(text, "device.bernoulli"), text);
  BOOST_TEST(contains(text, "spinsc_fixture_abi_mismatch"), text);
  BOOST_TEST(contains(text, "ABI version 999"), text);
  BOOST_TEST(contains(text, "spinsc_fixture_unloadable"), text);
  std::remove(out.c_str());
}
