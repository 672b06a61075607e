// The configuration of one run point, and the experiment's identity for the results file.
#include "spinsc/experiment.hpp"
#include "spinsc/framework_parts.hpp"
#include "spinsc/plugin_registry.hpp"
#include "spinsc/version.hpp"

namespace spinsc {

po::variables_map Experiment::config_for(const RunPoint& point) const {
  std::map<std::string, std::string> values;
  for (const auto& [key, setting] : settings) values[key] = setting.value;
  for (const auto& [key, value] : point.swept)
    if (key != "repeat") values[key] = value;
  values["name"] = name;
  po::parsed_options parsed(options.get());
  for (const auto& [key, value] : values) {
    po::option option(key, {value});
    option.original_tokens = {key + "=" + value};
    parsed.options.push_back(std::move(option));
  }
  po::variables_map config;
  po::store(parsed, config);  // parses each value again (validated when loaded) and adds defaults
  po::notify(config);
  return config;
}

void check_run_points(const Experiment& experiment, const PluginRegistry& registry) {
  for (const RunPoint& point : experiment.points) {
    const po::variables_map config = experiment.config_for(point);
    const Params params(config, "");
    for (const auto& entry : registered_run_checks()) {
      if (entry.task != experiment.task) continue;
      try {
        entry.check(params, registry);
      } catch (const std::exception& e) {
        std::string label;
        for (const auto& [key, value] : point.swept) label += (label.empty() ? "" : " ") + key + "=" + value;
        throw ExperimentError((experiment.source_path.empty() ? experiment.name : experiment.source_path) +
                              ": run point " + std::to_string(point.run_index) +
                              (label.empty() ? "" : " (" + label + ")") + ": " + e.what());
      }
    }
  }
}

ExperimentIdentity Experiment::identity(const PluginRegistry& registry) const {
  ExperimentIdentity id;
  id.name = name;
  id.experiment_text = text;
  id.source_path = source_path;
  id.effective = effective;
  id.overrides = overrides;
  id.seed = seed;
  id.spinsc_version = version();
  id.git_revision = git_revision();
  for (const auto& plugin : used_plugins) {
    const PluginEntry& entry = registry.find(plugin);
    id.plugins.push_back({entry.id, entry.version, entry.file.string(), entry.abi_version});
  }
  return id;
}

}  // namespace spinsc
