// spinsc: co-simulation of spintronic random-bit devices and stochastic-computing networks.
#include <fmt/core.h>

#include <algorithm>
#include <exception>

#include "commands.hpp"
#include "distributed_run.hpp"
#include "spinsc/sc_kernels.hpp"
#include "spinsc/version.hpp"

namespace spinsc::cli {

namespace {
std::vector<CommandEntry>& command_table() {
  static std::vector<CommandEntry> table;
  return table;
}
}  // namespace

CommandRegistration::CommandRegistration(const char* name, CommandFunction run, const char* summary) {
  command_table().push_back({name, run, summary});
  std::sort(command_table().begin(), command_table().end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
}
const std::vector<CommandEntry>& registered_commands() { return command_table(); }

}  // namespace spinsc::cli

namespace {
void print_help() {
  fmt::print(
      "spinsc {}: co-simulation of spintronic random-bit devices and stochastic-computing networks\n\n"
      "Usage: spinsc COMMAND [ARGS...]\n\nCommands:\n",
      SPINSC_VERSION);
  std::size_t width = 0;
  for (const auto& c : spinsc::cli::registered_commands()) width = std::max(width, c.name.size());
  for (const auto& c : spinsc::cli::registered_commands()) fmt::print("  {:<{}}  {}\n", c.name, width, c.summary);
  fmt::print("\n`spinsc COMMAND --help` says more about each command.\n");
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
    if (argc < 2) fmt::print(stderr, "spinsc: missing the command\n\n");
    print_help();
    return argc < 2 ? 1 : 0;
  }
  if (std::string(argv[1]) == "--version") {
    fmt::print("spinsc {} (git {})\n", spinsc::version(), spinsc::git_revision());
    try {
      const spinsc::ScBitKernels& k = spinsc::sc_kernels();
      fmt::print("SC kernel: {} ({})\n", k.name, k.description);
      fmt::print("MPI: {}\n", spinsc::cli::mpi_description());
    } catch (const std::exception& e) {
      fmt::print(stderr, "spinsc --version: error: {}\n", e.what());
      return 1;
    }
    return 0;
  }
  const auto& commands = spinsc::cli::registered_commands();
  const auto it = std::find_if(commands.begin(), commands.end(), [&](const auto& c) { return c.name == argv[1]; });
  if (it == commands.end()) {
    fmt::print(stderr, "spinsc: unknown command '{}'. Valid commands are:", argv[1]);
    for (const auto& c : commands) fmt::print(stderr, " {}", c.name);
    fmt::print(stderr, "\n");
    return 2;
  }
  try {
    return it->run(spinsc::cli::Arguments(argv + 2, argv + argc));
  } catch (const std::exception& e) {
    // The last line of defence against an error that quotes a huge value: the start (which names
    // the file, key or value) and the end, never megabytes.
    std::string message = e.what();
    constexpr std::size_t kHead = 3000, kTail = 200;
    if (message.size() > kHead + kTail + 100)
      message = message.substr(0, kHead) + " [... " + std::to_string(message.size() - kHead - kTail) +
                " characters left out ...] " + message.substr(message.size() - kTail);
    fmt::print(stderr, "spinsc {}: error: {}\n", argv[1], message);
    return 1;
  }
}
