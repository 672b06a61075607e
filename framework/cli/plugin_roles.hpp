#pragma once
// What an `sc` plugin is for: a multiplier, an adder or an activation (the experiment's keys
// [sc] multiplier, adder and activation take plugins of that role only). Found by making the
// plugin with its defaults and asking which SC interface it implements.
#include <string>

#include "spinsc/plugin_registry.hpp"

namespace spinsc::cli {

// "multiplier", "adder", "activation", or "" (not an sc plugin, or it cannot be made with defaults).
std::string sc_role(const PluginRegistry& registry, const std::string& id);

// Names among `candidates` close to `wanted` (a typo, or one contains the other), closest first.
std::vector<std::string> close_names(const std::string& wanted, const std::vector<std::string>& candidates);

}  // namespace spinsc::cli
