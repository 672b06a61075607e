#pragma once
// For the benchmark programs: a plugin of the build tree made with its default options.
#include <memory>
#include <string>

#include "spinsc/plugin_registry.hpp"

namespace spinsc::bench {

// Declares the plugin's options into `vm` (defaults only) and creates it as a T.
template <class T>
std::unique_ptr<T> make(PluginRegistry& registry, const std::string& id, po::variables_map& vm) {
  po::options_description description;
  registry.declare_options(id, description);
  po::store(po::parsed_options(&description), vm);
  po::notify(vm);
  return create_as<T>(registry, id, vm, ComponentContext{1, 0, 0});
}

}  // namespace spinsc::bench
