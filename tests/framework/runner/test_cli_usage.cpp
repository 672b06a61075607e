// Requirement (the command line tells the user what went wrong): every command of the real
// `spinsc` prints its usage for --help and -h (exit 0, nothing on stderr); a usage error (no
// command, an unknown command, a missing argument, an unknown option or argument) exits non-zero
// with a message on stderr that names the culprit; `spinsc describe` lists what there is to
// describe without a name, describes a plugin or a framework section by name, and refuses an
// unknown name naming it (with the close names when there are some).
#define BOOST_TEST_MODULE cli_usage
#include <sys/wait.h>

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct Result {
  int exit_code = -1;
  std::string out, err;
};

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

const fs::path& work_dir() {
  static const fs::path dir = [] {
    fs::path d = fs::path(SPINSC_BINARY_DIR) / "test-scratch" / "cli_usage";
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

// `spinsc ARGUMENTS` in the scratch folder, with the build tree's plugins only.
Result spinsc(const std::string& arguments) {
  const fs::path out = work_dir() / "stdout.txt", err = work_dir() / "stderr.txt";
  const std::string command = "cd '" + work_dir().string() + "' && SPINSC_PLUGIN_PATH= " + SPINSC_CLI + " " +
                              arguments + " > '" + out.string() + "' 2> '" + err.string() + "' < /dev/null";
  const int status = std::system(command.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(out), read_file(err)};
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The command names `spinsc --help` lists: the lines of its "Commands:" block.
std::set<std::string> listed_commands(const std::string& help) {
  std::set<std::string> names;
  std::istringstream in(help.substr(help.find("Commands:\n") + 10));
  for (std::string line; std::getline(in, line) && line.rfind("  ", 0) == 0;) {
    std::istringstream words(line);
    std::string name;
    words >> name;
    names.insert(name);
  }
  return names;
}

const std::set<std::string> kCommands = {"describe", "experiments", "plot", "plugins", "run", "show", "trace"};

}  // namespace

BOOST_AUTO_TEST_CASE(help_lists_every_command_and_each_has_its_usage) {
  const Result help = spinsc("--help");
  BOOST_TEST(help.exit_code == 0);
  BOOST_TEST(help.err.empty(), help.err);
  // A new command gets a line in kCommands and so its usage checked below.
  BOOST_TEST(listed_commands(help.out) == kCommands, help.out);
  BOOST_TEST(spinsc("-h").out == help.out);
  for (const std::string& command : kCommands) {
    for (const std::string flag : {"--help", "-h"}) {
      BOOST_TEST_CONTEXT("spinsc " << command << " " << flag) {
        const Result r = spinsc(command + " " + flag);
        BOOST_TEST(r.exit_code == 0);
        BOOST_TEST(r.err.empty(), r.err);
        BOOST_TEST(r.out.rfind("Usage: spinsc " + command, 0) == 0u, r.out);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(no_command_or_an_unknown_one_is_a_usage_error) {
  const Result none = spinsc("");
  BOOST_TEST(none.exit_code != 0);
  BOOST_TEST(contains(none.err, "missing the command"), none.err);
  BOOST_TEST(listed_commands(none.out) == kCommands, none.out);  // and says which there are

  const Result unknown = spinsc("frobnicate");
  BOOST_TEST(unknown.exit_code == 2);
  BOOST_TEST(contains(unknown.err, "unknown command 'frobnicate'"), unknown.err);
  for (const std::string& command : kCommands) BOOST_TEST(contains(unknown.err, " " + command), unknown.err);
}

BOOST_AUTO_TEST_CASE(usage_errors_name_the_culprit) {
  std::ofstream(work_dir() / "e.ini") << "task = device_characterization\n";
  struct UsageError {
    std::string arguments, culprit;
  };
  const std::vector<UsageError> cases = {
      // missing arguments
      {"plot", "missing the results file (RESULTS.h5)"},
      {"show", "missing the results file (RESULTS.h5)"},
      {"trace", "missing the subcommand (export)"},
      {"trace export -o t.h5", "--device ID is required"},
      {"trace export --device device.bernoulli", "-o FILE.h5 is required"},
      {"trace export --device", "--device needs a value"},
      {"run e.ini -o", "-o needs a file name"},
      {"show r.h5 --width", "--width needs a value"},
      {"show r.h5 --columns", "--columns needs a value"},
      {"plot r.h5 --python", "--python needs the path of an interpreter"},
      // unknown options and arguments
      {"experiments --bogus", "unexpected argument '--bogus'"},
      {"experiments extra", "unexpected argument 'extra'"},
      {"plugins --bogus", "unexpected argument '--bogus'"},
      {"describe device.bernoulli extra", "unexpected argument 'extra'"},
      {"run e.ini --bogus", "command line --bogus: expected --section.key=value"},
      {"run e.ini --bogus.key=1", "bogus"},
      {"run e.ini extra.ini", "unexpected argument 'extra.ini'"},
      {"show r.h5 --bogus", "unexpected argument '--bogus'"},
      {"show r.h5 other.h5", "unexpected argument 'other.h5'"},
      {"show r.h5 --width=wide", "--width 'wide'"},
      {"trace bogus", "unknown trace subcommand 'bogus'"},
      {"trace export --bogus", "unexpected argument '--bogus'"},
      {"trace export --device device.bernoulli -o t.h5 --levels many", "--levels expects a number, got 'many'"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT("spinsc " << c.arguments) {
      const Result r = spinsc(c.arguments);
      BOOST_TEST(r.exit_code != 0);
      BOOST_TEST(r.exit_code < 124, "ended by a signal or a time-out (exit " << r.exit_code << ")");
      BOOST_TEST(contains(r.err, c.culprit), "stderr does not name '" << c.culprit << "':\n" << r.err);
    }
  }
  BOOST_TEST(!fs::exists(work_dir() / "t.h5"));  // no usage error wrote anything
}

BOOST_AUTO_TEST_CASE(describe_without_a_name_lists_every_section_task_and_plugin) {
  const Result r = spinsc("describe");
  BOOST_TEST(r.exit_code == 0);
  BOOST_TEST(r.err.empty(), r.err);
  for (const char* section : {"characterization", "data", "device", "eval", "network", "sc", "sweep", "train"})
    BOOST_TEST(contains(r.out, std::string(" ") + section), section);
  for (const char* task : {"device_characterization", "network"}) BOOST_TEST(contains(r.out, task), task);
  // Every usable plugin of the build tree, as `spinsc describe --names` (the completion's list) has them.
  const Result names = spinsc("describe --names");
  BOOST_TEST_REQUIRE(names.exit_code == 0);
  std::istringstream in(names.out);
  std::size_t plugins = 0;
  for (std::string name; std::getline(in, name);) {
    if (name.find('.') == std::string::npos) continue;  // a framework section
    ++plugins;
    BOOST_TEST(contains(r.out, "  " + name + " "), name << " is not in the overview");
  }
  BOOST_TEST(plugins >= 10u, names.out);  // the build tree has the devices, SC units and trainers
}

BOOST_AUTO_TEST_CASE(describe_a_plugin_and_a_section_by_name) {
  const Result plugin = spinsc("describe device.bernoulli");
  BOOST_TEST(plugin.exit_code == 0);
  BOOST_TEST(plugin.out.rfind("device.bernoulli ", 0) == 0u, plugin.out);
  BOOST_TEST(contains(plugin.out, "libspinsc_device_bernoulli.so"), plugin.out);
  // Its two keys, each with type, default and unit.
  BOOST_TEST(contains(plugin.out, "energy_per_bit_J             real             0              J"), plugin.out);
  BOOST_TEST(contains(plugin.out, "time_per_bit_s               real             1e-09          s"), plugin.out);

  const Result section = spinsc("describe network");
  BOOST_TEST(section.exit_code == 0);
  BOOST_TEST(section.out.rfind("[network] (framework section)", 0) == 0u, section.out);
  BOOST_TEST(contains(section.out, "\nlayers "), section.out);
  BOOST_TEST(contains(section.out, "\nlevels "), section.out);
}

BOOST_AUTO_TEST_CASE(describe_an_unknown_name_names_it) {
  const Result far = spinsc("describe device.nosuch_at_all");
  BOOST_TEST(far.exit_code == 1);
  BOOST_TEST(far.out.empty(), far.out);
  BOOST_TEST(contains(far.err, "'device.nosuch_at_all' is neither a framework section nor a plugin"), far.err);
  // A typo gets the close names.
  const Result typo = spinsc("describe device.bernouli");
  BOOST_TEST(typo.exit_code == 1);
  BOOST_TEST(contains(typo.err, "'device.bernouli'"), typo.err);
  BOOST_TEST(contains(typo.err, "Did you mean: device.bernoulli"), typo.err);
}
