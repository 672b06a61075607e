// Requirement (bad input): a plugin with another ABI version, a library that fails to load, a
// truncated library and a plugin whose options function throws are reported (by the registry and
// by `spinsc plugins`, naming the file), never crash the host, and naming such a plugin in an
// experiment is an error that names the file and the reason; experiments that do not use them run.
#define BOOST_TEST_MODULE broken_plugins
#include <boost/test/unit_test.hpp>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
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

namespace {
std::string command_output(const std::string& command, int* status) {
  const std::string out = std::string(SPINSC_BINARY_DIR) + "/broken_plugins_command.txt";
  *status = std::system((command + " > " + out + " 2>&1").c_str());
  std::ifstream in(out);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::remove(out.c_str());
  return text;
}
}  // namespace

BOOST_AUTO_TEST_CASE(options_function_that_throws_is_listed_with_its_file) {
  for (const std::string flavour : {"std", "int"}) {
    const PluginEntry* entry = entry_from("spinsc_fixture_options_throw_" + flavour);
    BOOST_REQUIRE(entry);
    BOOST_TEST(!entry->usable());
    BOOST_TEST(contains(entry->load_error, "options function"), entry->load_error);
    BOOST_TEST(contains(entry->load_error, entry->file.string()), entry->load_error);
  }
  BOOST_TEST(contains(entry_from("options_throw_std")->load_error, "fixture: options cannot be declared"));
  BOOST_TEST(contains(entry_from("options_throw_int")->load_error, "non-standard exception"));
}

BOOST_AUTO_TEST_CASE(experiment_without_the_throwing_plugin_still_loads) {
  // The registry holds both throwing fixtures; an experiment that does not use them loads.
  const auto experiment = load_experiment_text("task = nothing\n[device]\nplugin = device.bernoulli\n", "good.ini",
                                               {}, registry());
  BOOST_TEST(experiment.points.size() == 1u);
  try {
    load_experiment_text("task = nothing\n[device]\nplugin = device.throws_int_fixture\n", "uses.ini", {},
                         registry());
    BOOST_FAIL("a plugin whose options throw was accepted");
  } catch (const ExperimentError& e) {
    BOOST_TEST(contains(e.what(), "spinsc_fixture_options_throw_int"), e.what());
  }
}

BOOST_AUTO_TEST_CASE(commands_survive_throwing_options_and_truncated_libraries) {
  // A truncated copy of a real plugin (half its bytes): dlopen would map pages past the end of
  // the file and die with SIGBUS; it must be listed with its error instead.
  namespace fs = std::filesystem;
  const fs::path folder = fs::path(SPINSC_BINARY_DIR) / "truncated-plugin-fixture";
  fs::remove_all(folder);
  fs::create_directories(folder);
  const fs::path whole = fs::path(SPINSC_BUILD_PLUGIN_DIR) / "device.lfsr" / "libspinsc_device_lfsr.so";
  BOOST_REQUIRE(fs::exists(whole));
  std::ifstream in(whole, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::ofstream(folder / "libtrunc.so", std::ios::binary).write(bytes.data(), std::streamsize(bytes.size() / 2));
  std::ofstream(folder / "libempty.so");  // zero bytes
  std::ofstream(folder / "libtext.so") << std::string(200, '#') << "\nnot a library\n";  // longer than an ELF header
  const std::string path = "SPINSC_PLUGIN_PATH=" + folder.string() + ":" + SPINSC_FIXTURE_PLUGIN_DIR + " ";
  int status = 0;
  const std::string listing = command_output(path + SPINSC_CLI + " plugins", &status);
  BOOST_TEST(WIFEXITED(status));
  BOOST_TEST(WEXITSTATUS(status) == 0, listing);
  for (const char* part : {"libtrunc.so", "truncated", "libempty.so", "libtext.so", "not an ELF file",
                           "spinsc_fixture_options_throw_std", "spinsc_fixture_options_throw_int", "device.bernoulli"})
    BOOST_TEST(contains(listing, part), part << " missing from:\n" << listing);
  const std::string describe = command_output(path + SPINSC_CLI + " describe device.bernoulli", &status);
  BOOST_TEST(WIFEXITED(status));
  BOOST_TEST(WEXITSTATUS(status) == 0, describe);
  const std::string broken = command_output(path + SPINSC_CLI + " describe device.throws_std_fixture", &status);
  BOOST_TEST(WIFEXITED(status));
  BOOST_TEST(WEXITSTATUS(status) == 1, broken);
  BOOST_TEST(contains(broken, "spinsc_fixture_options_throw_std"), broken);
  fs::remove_all(folder);
}
