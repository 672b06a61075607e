// spinsc describe [KIND.NAME | SECTION]: every parameter of a plugin (or of a framework section
// such as `network`), read from its options_description; without a name, what there is to describe.
#include <fmt/core.h>

#include "commands.hpp"
#include "experiment/composed_options.hpp"
#include "plugin_roles.hpp"
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
    // Required: no default at all. An empty default (a path, a list) is "(none)": the
    // description says what empty means.
    boost::any value;
    const bool has_default = option->semantic()->apply_default(value);
    const std::string def = !has_default ? "(required)" : info->default_text().empty() ? "(none)" : info->default_text();
    fmt::print("{:<28} {:<16} {:<14} {:<6} {:<18} {}\n", shown_key, info->type_name(), def,
               info->unit().empty() ? "-" : info->unit(), info->range_text().empty() ? "any" : info->range_text(),
               option->description());
  }
}

// The plugin's kind and, for sc plugins, its role: "sc (activation)".
std::string kind_text(const PluginRegistry& registry, const PluginEntry& entry) {
  const std::string role = sc_role(registry, entry.id);
  return role.empty() ? entry.kind : entry.kind + " (" + role + ")";
}

void print_overview(const PluginRegistry& registry) {
  fmt::print("Framework sections (keys in [SECTION] of an experiment file):\n ");
  for (const auto& section : registered_sections()) fmt::print(" {}", section.section);
  fmt::print("\n\nTasks (the experiment's `task` key):\n");
  for (const auto& task : registered_tasks()) fmt::print("  {:<24} {}\n", task.name, task.description);
  fmt::print("\nPlugins (keys in [KIND.NAME]):\n");
  for (const auto& entry : registry.entries())
    if (entry.usable()) fmt::print("  {:<26} {:<18} {}\n", entry.id, kind_text(registry, entry), entry.description);
  fmt::print("\n`spinsc describe NAME` lists the keys of one of them: type, default, unit, valid range.\n");
}

}  // namespace

int command_describe(const Arguments& args) {
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    fmt::print(
        "Usage: spinsc describe [KIND.NAME | SECTION]\n\nPrints every parameter of a plugin (e.g. device.lfsr) or of a\n"
        "framework section (e.g. network): key, type, default, unit, valid range and description.\n"
        "In an experiment file the plugin's keys go in the section named after it, [device.lfsr].\n"
        "Without a name: every section, task and plugin there is to describe.\n\n"
        "  --names   every section and plugin id, one per line (for shell completion)\n"
        "  --keys    every key an experiment may set (section.key), one per line\n");
    return 0;
  }
  if (args.size() > 1) {  // one name at a time: a second one is not silently ignored
    fmt::print(stderr, "spinsc describe: unexpected argument '{}' (describe takes one name; spinsc describe --help)\n",
               args[1]);
    return 2;
  }
  PluginRegistry registry;
  if (!args.empty() && (args[0] == "--names" || args[0] == "--keys")) {
    const experiment_detail::ComposedOptions composed = experiment_detail::compose_options(registry);
    if (args[0] == "--keys") {
      for (const auto& [key, owner] : composed.owner_of_key) fmt::print("{}\n", key);
    } else {
      for (const auto& section : composed.framework_sections) fmt::print("{}\n", section);
      for (const auto& id : composed.plugin_ids) fmt::print("{}\n", id);
    }
    return 0;
  }
  if (args.empty()) {
    print_overview(registry);
    return 0;
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
  const bool known = std::any_of(registry.entries().begin(), registry.entries().end(),
                                 [&](const PluginEntry& e) { return e.id == id; });
  if (!known) {
    std::vector<std::string> names;
    for (const auto& section : registered_sections()) names.push_back(section.section);
    for (const auto& entry : registry.entries())
      if (entry.usable()) names.push_back(entry.id);
    const std::vector<std::string> close = close_names(id, names);
    std::string message = fmt::format("spinsc describe: '{}' is neither a framework section nor a plugin.", id);
    if (!close.empty()) {
      message += " Did you mean:";
      for (const auto& name : close) message += " " + name;
      message += "?";
    } else {
      message += " `spinsc describe` lists every section and plugin (a plugin built elsewhere: add its folder "
                 "to SPINSC_PLUGIN_PATH).";
    }
    fmt::print(stderr, "{}\n", message);
    return 1;
  }
  const PluginEntry& entry = registry.find(id);  // names the file and the reason if it failed to load
  registry.declare_options(id, description);
  fmt::print("{} {} [{}]: {}\nfile: {}\n\n", entry.id, entry.version, kind_text(registry, entry), entry.description,
             entry.file.string());
  print_parameters(description);
  return 0;
}

}  // namespace spinsc::cli

SPINSC_CLI_COMMAND("describe", spinsc::cli::command_describe,
                   "print every parameter of a plugin or framework section; without a name, list them")
