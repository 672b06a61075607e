#pragma once
// Helpers of the SC tests: make SC unit and device plugins through the real PluginRegistry, with
// parameter overrides "key=value" (keys relative to the plugin id).
#include <memory>
#include <string>
#include <vector>

#include "spinsc/bit_source.hpp"
#include "spinsc/plugin_registry.hpp"
#include "spinsc/sc_units.hpp"

namespace spinsc::test {

inline PluginRegistry& registry() {
  static PluginRegistry r({SPINSC_BUILD_PLUGIN_DIR});
  return r;
}

template <class T>
std::unique_ptr<T> make_plugin(const std::string& id, const std::vector<std::string>& overrides = {},
                               std::uint64_t instance = 0) {
  po::options_description description;
  registry().declare_options(id, description);
  std::vector<std::string> args;
  for (const auto& o : overrides) args.push_back("--" + id + "." + o);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(description).run(), vm);
  po::notify(vm);
  // Range checks, as the experiment loader does them.
  for (const auto& option : description.options()) {
    const auto* info = dynamic_cast<const ParamInfo*>(option->semantic().get());
    const std::string& key = option->long_name();
    if (info && vm.count(key)) info->check(vm[key].value(), key);
  }
  return create_as<T>(registry(), id, vm, ComponentContext{1, 0, instance});
}

inline double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

}  // namespace spinsc::test
