// spinsc describe KIND.NAME: every parameter of a plugin (or of a framework section such as
// `network`), read from its options_description.
#include <fmt/core.h>

#include "commands.hpp"
#include "spinsc/framework_parts.hpp"
#include "spinsc/plugin_registry.hpp"

namespace spinsc::cli {

namespace {
void print_parameters(const po::options_description& description) {
  fmt::print("{:<28} {:<16} {:<14} {:<6} {:<18} {}\n", "key", "type", "default", "unit", "valid", "description");
  for (const auto& option : description.options()) {
    const auto* info = dynamic_cast<const ParamInfo*>(option->semantic().get());
    const std::string key = option->long_name();
    const std::string shown_key = key.substr(key.rfind('.') + 1);
    if (!info) {
      fmt::print("{:<28} {:<16} {:<14} {:<6} {:<18} {}\n", shown_key, "?", "", "", "", option->description());
      continue;
    }
    const std::string def = info->default_text().empty() ? "(required)" : info->default_text();
    fmt::print("{:<28} {:<16} {:<14} {:<6} {:<18} {}\n", shown_key, info->type_name(), def,
               info->unit().empty() ? "-" : info->unit(), info->range_text().empty() ? "any" : info->range_text(),
               option->description());
  }
}
}  // namespace

int command_describe(const Arguments& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    fmt::print(
        "Usage: spinsc describe KIND.NAME | SECTION\n\nPrints every parameter of a plugin (e.g. device.lfsr) or of a\n"
        "framework section (e.g. network): key, type, default, unit, valid range and description.\n"
        "In an experiment file the plugin's keys go in the section named after it, [device.lfsr].\n");
    return args.empty() ? 1 : 0;
  }
  const std::string& id = args[0];
  po::options_description description;
  for (const auto& section : registered_sections()) {
    if (section.section != id) continue;
    OptionsBuilder builder(description, section.section);
    section.declare(builder);
    fmt::print("[{}] (framework section)\n\n", id);
    print_parameters(description);
    return 0;
  }
  PluginRegistry registry;
  const PluginEntry& entry = registry.find(id);
  registry.declare_options(id, description);
  fmt::print("{} {}: {}\nfile: {}\n\n", entry.id, entry.version, entry.description, entry.file.string());
  print_parameters(description);
  return 0;
}

}  // namespace spinsc::cli

SPINSC_CLI_COMMAND("describe", spinsc::cli::command_describe, "print every parameter of a plugin or framework section")
