#pragma once
// Every key an experiment may set: the top-level keys (name, seed, task), the keys of every
// framework section (registered_sections()) and the keys of every usable plugin the registry
// found, each remembered with its owner so that errors can list the valid keys of a section.
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "spinsc/params.hpp"

namespace spinsc {
class PluginRegistry;
}

namespace spinsc::experiment_detail {

struct ComposedOptions {
  std::shared_ptr<po::options_description> description;
  std::map<std::string, std::string> owner_of_key;  // full key -> "" (top level), section, or plugin id
  std::set<std::string> framework_sections;         // "device", "sweep", ...
  std::set<std::string> plugin_ids;                 // usable plugins

  const po::option_description* find(const std::string& key) const;  // nullptr if undeclared
  std::vector<std::string> keys_of(const std::string& owner) const;   // short names, sorted
  bool is_plugin_key(const std::string& key) const;
};

ComposedOptions compose_options(const PluginRegistry& registry);

// Parses `text` as the value of the declared `key` and checks its range. Throws ExperimentError
// "<where>: ..." naming the key, the value and what was expected.
void check_value(const ComposedOptions& options, const std::string& key, const std::string& text,
                 const std::string& where);

// The default's text, or nothing if the key has no default.
std::optional<std::string> default_text(const po::option_description& option);
bool is_list_valued(const po::option_description& option);

}  // namespace spinsc::experiment_detail
