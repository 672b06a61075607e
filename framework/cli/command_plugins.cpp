// spinsc plugins: every plugin library found on the plugin path, usable or not.
#include <fmt/core.h>

#include "commands.hpp"
#include "spinsc/plugin_registry.hpp"

namespace spinsc::cli {

int command_plugins(const Arguments& args) {
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    fmt::print(
        "Usage: spinsc plugins\n\nLists every plugin on the plugin path: kind, name, version and a one-line\n"
        "description. The path is the install prefix (or the build tree, run from there), then the folders in\n"
        "SPINSC_PLUGIN_PATH (colon-separated). Libraries that fail to load are listed with the reason.\n");
    return 0;
  }
  if (!args.empty()) {  // a usage error names what was not understood
    fmt::print(stderr, "spinsc plugins: unexpected argument '{}' (the command takes none; spinsc plugins --help)\n",
               args[0]);
    return 2;
  }
  PluginRegistry registry;
  fmt::print("Plugin path:\n");
  for (const auto& folder : registry.search_path()) fmt::print("  {}\n", folder.string());
  fmt::print("\n{:<8} {:<26} {:<9} {}\n", "kind", "id", "version", "description");
  int broken = 0;
  for (const auto& e : registry.entries()) {
    if (!e.usable()) continue;
    fmt::print("{:<8} {:<26} {:<9} {}\n", e.kind, e.id, e.version, e.description);
  }
  for (const auto& e : registry.entries()) {
    if (e.usable()) continue;
    if (broken++ == 0) fmt::print("\nLibraries that cannot be used:\n");
    fmt::print("  {}: {}\n", e.file.string(), e.load_error);
  }
  return 0;
}

}  // namespace spinsc::cli

SPINSC_CLI_COMMAND("plugins", spinsc::cli::command_plugins, "list every plugin found on the plugin path")
