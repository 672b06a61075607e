// Checks of a `network` run point before any work (spinsc run and spinsc run --dry-run), each
// error naming the key: mistakes that would otherwise surface only after the data set is loaded
// or a network trained.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "spinsc/dataset.hpp"
#include "spinsc/framework_parts.hpp"
#include "spinsc/mlp.hpp"
#include "spinsc/plugin_registry.hpp"
#include "spinsc/sc_units.hpp"

namespace spinsc {

namespace {

std::string kind_of_unit(const Component* made) {
  if (dynamic_cast<const Multiplier*>(made)) return "a multiplier";
  if (dynamic_cast<const Adder*>(made)) return "an adder";
  if (dynamic_cast<const Activation*>(made)) return "an activation";
  return "not an SC unit";
}

// The plugin `id` given for `key` must implement T (`what` says which kind that is).
template <class T>
void require_unit(const PluginRegistry& registry, const Params& config, const std::string& key, const std::string& id,
                  const std::string& what) {
  const std::unique_ptr<Component> made = registry.create(id, config.values(), ComponentContext{});
  if (!dynamic_cast<const T*>(made.get()))
    throw ParamError(fmt::format("'{}' = {} is {}, not {} (valid: {})", key, id, kind_of_unit(made.get()), what,
                                 fmt::join(registry.ids_of_kind("sc"), ", ")));
}

// A plugin's `file` key, when it has one, must name a file that exists.
void require_input_file(const Params& config, const std::string& plugin_id) {
  const std::string key = plugin_id + ".file";
  if (!config.has(key)) return;
  const auto file = config.get<std::string>(key);
  if (!std::filesystem::is_regular_file(file))
    throw ParamError(fmt::format("'{}' = {}: no such file (relative paths are from the working folder {})", key,
                                 file, std::filesystem::current_path().string()));
}

void check_network_point(const Params& config, const PluginRegistry& registry) {
  const NetworkSpec spec = NetworkSpec::from_params(config.section("network"));  // widths, odd levels
  const DataOptions data = DataOptions::from_params(config.section("data"));
  // Both data sets the loader reads (MNIST, Fashion-MNIST) are 28x28 images of 10 classes.
  const int side = 28 / data.downscale;
  if (spec.layers.front() != side * side)
    throw ParamError(fmt::format("'network.layers' starts with {} inputs but {} images with [data] downscale = {} "
                                 "have {}x{} = {} pixels",
                                 spec.layers.front(), data.dataset, data.downscale, side, side, side * side));
  if (spec.layers.back() != 10)
    throw ParamError(fmt::format("'network.layers' ends with {} outputs but {} has 10 classes", spec.layers.back(),
                                 data.dataset));
  const std::string strategy = config.get<std::string>("train.strategy");
  const std::vector<std::string> read_by_training = registry.sections_read(strategy, config.values());
  const bool sc_in_training = std::find(read_by_training.begin(), read_by_training.end(), "sc") != read_by_training.end();
  const bool sc_in_evaluation = config.get<bool>("eval.sc");
  if (!sc_in_training && !sc_in_evaluation) return;
  require_unit<Multiplier>(registry, config, "sc.multiplier", config.get<std::string>("sc.multiplier"), "a multiplier");
  require_unit<Adder>(registry, config, "sc.adder", config.get<std::string>("sc.adder"), "an adder");
  require_unit<Activation>(registry, config, "sc.activation", config.get<std::string>("sc.activation"),
                           "an activation");
  for (const auto& id : config.get<List<std::string>>("eval.sc_activations").values)
    require_unit<Activation>(registry, config, "eval.sc_activations", id, "an activation");
  require_input_file(config, config.get<std::string>("device.plugin"));
}

}  // namespace

SPINSC_REGISTER_RUN_CHECK("network", check_network_point)

}  // namespace spinsc
