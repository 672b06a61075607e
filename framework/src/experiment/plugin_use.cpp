#include "experiment/plugin_use.hpp"

#include <set>

#include "spinsc/plugin_registry.hpp"

namespace spinsc::experiment_detail {

namespace {

bool is_plugin_kind(const std::string& kind) { return kind == "device" || kind == "sc" || kind == "train"; }

// Does `value` have the form of a plugin name, where the key `key` (owned by `owner`) expects one?
bool looks_like_plugin_reference(const ComposedOptions& options, const std::string& key, const std::string& owner,
                                 const std::string& value) {
  const std::size_t dot = value.find('.');
  if (dot == std::string::npos || value.find('.', dot + 1) != std::string::npos) return false;
  const std::string kind = value.substr(0, dot);
  if (!is_plugin_kind(kind) || dot + 1 == value.size()) return false;
  for (char c : value.substr(dot + 1))
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  const bool framework_section_of_kind = options.framework_sections.count(owner) && owner == kind;
  const std::string leaf = key.substr(key.rfind('.') + 1);
  const bool plugin_key = leaf.size() >= 6 && leaf.compare(leaf.size() - 6, 6, "plugin") == 0;
  return framework_section_of_kind || plugin_key;
}

}  // namespace

std::string broken_libraries(const PluginRegistry& registry) {
  std::string text;
  for (const auto& entry : registry.entries())
    if (!entry.usable()) text += "\n  " + entry.file.string() + ": " + entry.load_error;
  return text.empty() ? "" : "\nLibraries on the plugin path that cannot be used:" + text;
}

void resolve_plugins(const ComposedOptions& options, const PluginRegistry& registry, Experiment& experiment) {
  std::map<std::string, const SweepAxis*> swept;
  for (const auto& axis : experiment.axes) swept[axis.key] = &axis;

  std::set<std::string> used;
  std::set<std::string> considered_owners;  // "" and framework sections, then used plugins
  std::vector<std::string> to_consider{""};
  for (const auto& section : options.framework_sections) to_consider.push_back(section);

  while (!to_consider.empty()) {
    const std::string owner = to_consider.back();
    to_consider.pop_back();
    if (!considered_owners.insert(owner).second) continue;
    for (const auto& [key, key_owner] : options.owner_of_key) {
      if (key_owner != owner) continue;
      std::vector<std::pair<std::string, std::string>> values;  // value, where it was written ("" = default)
      if (auto axis = swept.find(key); axis != swept.end()) {
        for (const auto& v : axis->second->values) values.emplace_back(v, axis->second->origin);
      } else if (auto setting = experiment.settings.find(key); setting != experiment.settings.end()) {
        values.emplace_back(setting->second.value, setting->second.origin);
      } else if (auto def = default_text(*options.find(key))) {
        values.emplace_back(*def, "");
      }
      if (is_list_valued(*options.find(key))) {  // "sc.lut_sigmoid,sc.fsm_sigmoid": each item may name one
        std::vector<std::pair<std::string, std::string>> items;
        for (const auto& [value, where] : values)
          for (const auto& item : split_list(value)) items.emplace_back(item, where);
        values = std::move(items);
      }
      for (const auto& [value, where] : values) {
        if (options.plugin_ids.count(value)) {
          if (used.insert(value).second) to_consider.push_back(value);
        } else if (!where.empty() && looks_like_plugin_reference(options, key, owner, value)) {
          try {
            registry.find(value);
          } catch (const std::exception& e) {
            throw ExperimentError(where + ": " + key + " = " + value + ": " + e.what() + broken_libraries(registry));
          }
        }
      }
    }
  }
  experiment.used_plugins.assign(used.begin(), used.end());

  // Keys without a default that a used plugin needs.
  for (const auto& id : experiment.used_plugins) {
    for (const auto& [key, owner] : options.owner_of_key) {
      if (owner != id || experiment.settings.count(key) || swept.count(key)) continue;
      if (!default_text(*options.find(key)))
        throw ExperimentError("plugin " + id + " needs the key '" + key.substr(id.size() + 1) +
                              "' (no default): set it in section [" + id + "]");
    }
  }

  // Every framework key and every key of a used plugin, with its resolved value.
  experiment.effective.clear();
  for (const auto& [key, owner] : options.owner_of_key) {
    if (options.plugin_ids.count(owner) && !used.count(owner)) continue;
    std::string value;
    if (auto axis = swept.find(key); axis != swept.end()) {
      value = "sweep:";
      for (std::size_t i = 0; i < axis->second->values.size(); ++i)
        value += (i ? (is_list_valued(*options.find(key)) ? "|" : ",") : " ") + axis->second->values[i];
    } else if (key == "name") {
      value = experiment.name;
    } else if (auto setting = experiment.settings.find(key); setting != experiment.settings.end()) {
      value = setting->second.value;
    } else {
      value = default_text(*options.find(key)).value_or("");
    }
    experiment.effective.emplace_back(key, value);
  }  // owner_of_key is a std::map: already sorted by key

  // Keys set for plugins no key selects have no effect: say so rather than ignore them silently.
  std::set<std::string> noted;
  for (const auto& [key, setting] : experiment.settings) {
    auto owner = options.owner_of_key.find(key);
    if (owner == options.owner_of_key.end() || !options.plugin_ids.count(owner->second)) continue;
    if (used.count(owner->second) || !noted.insert(owner->second).second) continue;
    // A technology file prices every unit; the ones this experiment does not use are not news.
    if (setting.origin.rfind(kTechnologyOrigin, 0) == 0) continue;
    experiment.notes.push_back("[" + owner->second + "] is set (" + setting.origin + ") but no key selects " +
                               owner->second + ": its keys have no effect in this experiment");
  }
}

}  // namespace spinsc::experiment_detail
