#pragma once
// Which plugins an experiment uses, the checks on plugin names, and the effective configuration.
#include <string>

#include "experiment/composed_options.hpp"
#include "spinsc/experiment.hpp"

namespace spinsc::experiment_detail {

// A plugin is used when a resolved key value (defaults included) or a swept value equals its id
// (for a list-valued key: one of its items),
// looking at framework keys and, transitively, at the keys of used plugins. A value written in
// the file, on the command line or in the sweep that has the form of a plugin name where one is
// expected (value K.name for a key of framework section [K], K a plugin kind, or any key whose
// name ends in "plugin") must name a usable plugin: otherwise the error lists the valid ones.
// Fills experiment.used_plugins, .effective and .notes; throws ExperimentError.
void resolve_plugins(const ComposedOptions& options, const PluginRegistry& registry, Experiment& experiment);

// The origin of a setting read from a technology file begins with this (technology_file.hpp).
inline constexpr const char* kTechnologyOrigin = "technology file ";

// "\nLibraries on the plugin path that cannot be used:\n  <file>: <reason>" or "".
std::string broken_libraries(const PluginRegistry& registry);

}  // namespace spinsc::experiment_detail
