// spinsc plot RESULTS.h5 [-o DIR] [--kind ...]: draws the plots of a results file (docs/plotting.md).
// The plotting itself is tools/plot_results.py (matplotlib and h5py from Debian), run with
// /usr/bin/python3: Python's plotting is what users of the results already have, and keeping it in
// one script means the same plots come from `spinsc plot` and from the script run by hand.
#include <fmt/core.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/dll/runtime_symbol_info.hpp>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "commands.hpp"
#include "spinsc/result_store.hpp"

extern char** environ;

namespace spinsc::cli {

namespace fs = std::filesystem;

namespace {

constexpr const char* kDefaultPython = "/usr/bin/python3";
constexpr const char* kScriptName = "plot_results.py";

// The installed copy next to this spinsc (<prefix>/bin/../share/spinsc/tools) first, so that an
// installed spinsc uses the script of its own version; then the source tree it was built from.
std::vector<fs::path> script_candidates() {
  std::vector<fs::path> candidates;
  const fs::path exe_dir = boost::dll::program_location().parent_path().string();
  candidates.push_back((exe_dir / ".." / "share" / "spinsc" / "tools" / kScriptName).lexically_normal());
#ifdef SPINSC_SOURCE_DIR
  candidates.push_back((fs::path(SPINSC_SOURCE_DIR) / "tools" / kScriptName).lexically_normal());
#endif
  return candidates;
}

fs::path find_script() {
  std::string looked;
  for (const auto& candidate : script_candidates()) {
    if (fs::is_regular_file(candidate)) return candidate;
    looked += "\n  " + candidate.string();
  }
  throw std::runtime_error(fmt::format("the plotting script {} is not in any of:{}", kScriptName, looked));
}

void print_plot_help() {
  std::string script;
  try {
    script = find_script().string();
  } catch (const std::exception& e) {
    script = e.what();
  }
  fmt::print(
      "Usage: spinsc plot RESULTS.h5 [-o DIR] [--kind KIND] [--length L] [--no-paper-points] [--python PATH]\n\n"
      "Draws PNG plots of a results file (spinsc run ... -o RESULTS.h5) and prints their paths; figure6\n"
      "and hardware also write their numbers as markdown tables (<name>_figure6.md, <name>_hardware.md).\n\n"
      "  -o, --output DIR     folder for the PNGs (default: RESULTS_plots beside the file)\n"
      "  --kind KIND          figure6: SC accuracy against stream length per method and Q, error bars\n"
      "                                over seeds, one panel per topology (the paper's Figure 6)\n"
      "                       energy: energy per inference against accuracy, ledger breakdown per component\n"
      "                       hardware: the activation units side by side: accuracy per length, latency\n"
      "                                 (streaming, counting, activation) and energy by part\n"
      "                       latency: activation latency alone (cycles, ns) per activation unit\n"
      "                       whatif: accuracy, energy and latency per inference per device variant\n"
      "                       characterization: device characterization runs (one PNG per run)\n"
      "                       auto: every kind the file has data for (default; hardware, not latency)\n"
      "  --length L           hardware and latency plots: the length of the bars (default the longest);\n"
      "                       energy plot: the length of the per-component bars when not every point has one\n"
      "  --no-paper-points    figure6 without the paper's stated values (black stars)\n"
      "  --python PATH        Python interpreter with h5py and matplotlib (default $SPINSC_PYTHON, else {})\n\n"
      "Runs {} ({}); see docs/plotting.md.\n",
      kDefaultPython, kScriptName, script);
}

fs::path python_interpreter(const std::string& option) {
  std::string chosen = option;
  std::string origin = "--python";
  if (chosen.empty()) {
    const char* env = std::getenv("SPINSC_PYTHON");
    if (env && *env) {
      chosen = env;
      origin = "SPINSC_PYTHON";
    } else {
      chosen = kDefaultPython;
      origin = "the default";
    }
  }
  if (!fs::exists(chosen))
    throw std::runtime_error(fmt::format("Python interpreter '{}' ({}) does not exist; install Debian's python3, "
                                         "python3-h5py and python3-matplotlib (install-deps.sh does), or name one "
                                         "with --python PATH",
                                         chosen, origin));
  if (access(chosen.c_str(), X_OK) != 0)
    throw std::runtime_error(fmt::format("Python interpreter '{}' ({}) is not executable", chosen, origin));
  return chosen;
}

// Runs the interpreter on the script with the arguments; returns its exit status (128 + signal
// number when it was killed, as a shell reports it).
int run_script(const fs::path& python, const fs::path& script, const Arguments& forwarded) {
  std::vector<std::string> argv_text{python.string(), script.string()};
  argv_text.insert(argv_text.end(), forwarded.begin(), forwarded.end());
  std::vector<char*> argv;
  for (auto& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::fflush(stdout);
  std::fflush(stderr);
  pid_t pid = 0;
  const int error = posix_spawn(&pid, python.c_str(), nullptr, nullptr, argv.data(), environ);
  if (error != 0)
    throw std::runtime_error(fmt::format("cannot start '{}': {}", python.string(), std::strerror(error)));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw std::runtime_error(fmt::format("waiting for '{}': {}", python.string(), std::strerror(errno)));
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) {
    fmt::print(stderr, "spinsc plot: {} was killed by signal {}\n", script.filename().string(), WTERMSIG(status));
    return 128 + WTERMSIG(status);
  }
  return 1;
}

// The RESULTS.h5 argument among the script's arguments (the first that is neither an option nor
// an option's value), or "".
std::string results_argument(const Arguments& forwarded) {
  for (std::size_t i = 0; i < forwarded.size(); ++i) {
    const std::string& arg = forwarded[i];
    if (arg == "-o" || arg == "--output" || arg == "--kind" || arg == "--length") {
      ++i;
    } else if (arg.empty() || arg[0] != '-') {
      return arg;
    }
  }
  return "";
}

int command_plot(const Arguments& args) {
  if (args.empty()) {
    fmt::print(stderr, "spinsc plot: missing the results file (RESULTS.h5)\n\n");
    print_plot_help();
    return 1;
  }
  std::string python_option;
  Arguments forwarded;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      print_plot_help();
      return 0;
    } else if (arg == "--python") {
      if (i + 1 >= args.size()) throw std::runtime_error("--python needs the path of an interpreter");
      python_option = args[++i];
    } else if (arg.rfind("--python=", 0) == 0) {
      python_option = arg.substr(9);
    } else {
      forwarded.push_back(arg);  // the script checks its own options and says what is wrong
    }
  }
  const fs::path python = python_interpreter(python_option);
  // h5py reads with the same libhdf5 as spinsc: a damaged file is refused here, with its name,
  // instead of crashing the plotting script.
  const std::string results = results_argument(forwarded);
  std::error_code ec;
  if (!results.empty() && fs::is_regular_file(results, ec)) check_results_file_readable(results);
  return run_script(python, find_script(), forwarded);
}

}  // namespace

}  // namespace spinsc::cli

SPINSC_CLI_COMMAND("plot", spinsc::cli::command_plot, "draw the plots of a results file (Figure 6, energy, hardware, what-if)")
