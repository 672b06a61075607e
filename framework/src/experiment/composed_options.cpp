#include "experiment/composed_options.hpp"

#include <algorithm>
#include <cmath>

#include "spinsc/experiment.hpp"
#include "spinsc/framework_parts.hpp"
#include "spinsc/plugin_registry.hpp"
#include "error_text.hpp"

namespace spinsc::experiment_detail {

namespace {

// The top-level keys. `name` has no useful default of its own: empty means "the file stem".
void declare_top_level(OptionsBuilder& add) {
  std::vector<std::string> tasks;
  std::string task_text = "what each run does:";
  for (const auto& task : registered_tasks()) {
    tasks.push_back(task.name);
    task_text += " " + task.name + " (" + task.description + ");";
  }
  add("name", param<std::string>(""), "experiment name; results go to results/<name>.h5 (empty: the file's stem)");
  add("seed", param<std::int64_t>(1)->min(0), "experiment seed: every random stream of every run derives from it");
  add("task", param<std::string>()->choices(tasks), task_text.c_str());
}

const ParamInfo* info_of(const po::option_description& option) {
  return dynamic_cast<const ParamInfo*>(option.semantic().get());
}

}  // namespace

const po::option_description* ComposedOptions::find(const std::string& key) const {
  return description->find_nothrow(key, false, false, false);
}

std::vector<std::string> ComposedOptions::keys_of(const std::string& owner) const {
  std::vector<std::string> keys;
  for (const auto& [key, key_owner] : owner_of_key)
    if (key_owner == owner) keys.push_back(owner.empty() ? key : key.substr(owner.size() + 1));
  return keys;
}

bool ComposedOptions::is_plugin_key(const std::string& key) const {
  auto it = owner_of_key.find(key);
  return it != owner_of_key.end() && plugin_ids.count(it->second) > 0;
}

ComposedOptions compose_options(const PluginRegistry& registry) {
  ComposedOptions composed;
  composed.description = std::make_shared<po::options_description>();
  auto& description = *composed.description;
  auto declare = [&](const std::string& owner, auto&& declare_into) {
    const std::size_t before = description.options().size();
    declare_into();
    for (std::size_t i = before; i < description.options().size(); ++i)
      composed.owner_of_key[description.options()[i]->long_name()] = owner;
  };
  declare("", [&] {
    OptionsBuilder builder(description, "");
    declare_top_level(builder);
  });
  for (const auto& section : registered_sections()) {
    composed.framework_sections.insert(section.section);
    declare(section.section, [&] {
      OptionsBuilder builder(description, section.section);
      section.declare(builder);
    });
  }
  for (const auto& entry : registry.entries()) {
    if (!entry.usable() || composed.plugin_ids.count(entry.id)) continue;
    composed.plugin_ids.insert(entry.id);
    declare(entry.id, [&] { registry.declare_options(entry.id, description); });
  }
  return composed;
}

void check_value(const ComposedOptions& options, const std::string& key, const std::string& text,
                 const std::string& where) {
  const po::option_description* option = options.find(key);
  if (!option) throw ExperimentError(where + ": unknown key '" + key + "'");
  const ParamInfo* info = info_of(*option);
  const std::string type = info ? info->type_name() : "value";
  boost::any value;
  try {
    option->semantic()->parse(value, {text}, false);
  } catch (const std::exception&) {
    throw ExperimentError(where + ": wrong type: value '" + shown_in_error(text) + "' of '" + key +
                          "' is not a valid " + type);
  }
  if (!info) return;
  // Numbers: inf and nan parse, but are never a valid setting of any parameter. Lists: an empty
  // item ("0.1,,0.9", "1,2,") is a typo, not a shorter list.
  const auto refuse = [&](const std::string& why) {
    throw ExperimentError(where + ": value '" + shown_in_error(text) + "' of '" + key + "' " + why);
  };
  if (const auto* number = boost::any_cast<double>(&value); number && !std::isfinite(*number))
    refuse("is not a finite number");
  if (const auto* list = boost::any_cast<List<double>>(&value))
    for (double item : list->values)
      if (!std::isfinite(item)) refuse("holds a number that is not finite");
  if (is_list_valued(*option)) {
    const auto items = split_list_keeping_empty(text);
    if (items.size() > 1 && std::find(items.begin(), items.end(), "") != items.end())
      refuse("has an empty item (two commas in a row, or one at an end)");
  }
  try {
    info->check(value, key);
  } catch (const std::exception& e) {
    throw ExperimentError(where + ": " + e.what());
  }
}

std::optional<std::string> default_text(const po::option_description& option) {
  boost::any value;
  if (!option.semantic()->apply_default(value)) return std::nullopt;
  const ParamInfo* info = info_of(option);
  return info ? info->default_text() : std::string("?");
}

bool is_list_valued(const po::option_description& option) {
  const ParamInfo* info = info_of(option);
  return info && info->type_name().rfind("list", 0) == 0;
}

}  // namespace spinsc::experiment_detail
