// spinsc: co-simulation of spintronic random-bit devices and stochastic-computing networks.
#include <fmt/core.h>

#include <exception>
#include <functional>
#include <map>

#include "commands.hpp"

namespace {

struct Command {
  std::function<int(const spinsc::cli::Arguments&)> run;
  const char* summary;
};

const std::map<std::string, Command>& commands() {
  static const std::map<std::string, Command> table = {
      {"plugins", {spinsc::cli::command_plugins, "list every plugin found on the plugin path"}},
      {"describe", {spinsc::cli::command_describe, "print every parameter of a plugin or section"}},
  };
  return table;
}

void print_help() {
  fmt::print(
      "spinsc {}: co-simulation of spintronic random-bit devices and stochastic-computing networks\n\n"
      "Usage: spinsc COMMAND [ARGS...]\n\nCommands:\n",
      SPINSC_VERSION);
  for (const auto& [name, command] : commands()) fmt::print("  {:<10} {}\n", name, command.summary);
  fmt::print("\n`spinsc COMMAND --help` says more about each command.\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
    print_help();
    return argc < 2 ? 1 : 0;
  }
  if (std::string(argv[1]) == "--version") {
    fmt::print("spinsc {}\n", SPINSC_VERSION);
    return 0;
  }
  const auto it = commands().find(argv[1]);
  if (it == commands().end()) {
    fmt::print(stderr, "spinsc: unknown command '{}'. Valid commands are:", argv[1]);
    for (const auto& entry : commands()) fmt::print(stderr, " {}", entry.first);
    fmt::print(stderr, "\n");
    return 2;
  }
  try {
    return it->second.run(spinsc::cli::Arguments(argv + 2, argv + argc));
  } catch (const std::exception& e) {
    fmt::print(stderr, "spinsc {}: error: {}\n", argv[1], e.what());
    return 1;
  }
}
