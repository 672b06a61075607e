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
#include "spinsc/bit_source.hpp"
#include "spinsc/sc_units.hpp"
#include "spinsc/shipped_files.hpp"
#include "tasks/network_from_file.hpp"

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

// A device that replays recorded data (it has a `file` key): the file must exist, and it must
// serve every P(1) the network's streams need, or the error would come only after training.
void require_recorded_device_covers(const PluginRegistry& registry, const Params& config, const std::string& device_id,
                                    const NetworkSpec& spec, Coding coding) {
  const std::string key = device_id + ".file";
  if (!config.has(key)) return;
  const auto file = config.get<std::string>(key);
  if (!std::filesystem::is_regular_file(resolve_shipped_path(file)))
    throw ParamError(fmt::format("'{}' = {}: no such file (a relative path is taken from the working folder {}, "
                                 "else from spinsc's own folder)",
                                 key, file, std::filesystem::current_path().string()));
  const std::unique_ptr<Component> made = registry.create(device_id, config.values(), ComponentContext{});
  const auto* device = dynamic_cast<const BitSource*>(made.get());
  if (!device) return;
  const LevelGrid grid{spec.levels, spec.lower, spec.upper};
  for (int k = 0; k < grid.states; ++k) {
    const double v = grid.value(k);
    const double p = coding == Coding::bipolar ? (v + 1.0) / 2.0 : std::abs(v);
    try {
      device->energy_per_bit_J(p);  // a replayed device finds the recorded level that serves p
    } catch (const std::exception& e) {
      throw ParamError(fmt::format("'{}' = {} does not cover the network's {} levels ('network.levels' = {}): {}", key,
                                   file, grid.states, spec.levels, e.what()));
    }
  }
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
  if (spec.topology.convolutional() && (spec.topology.input.height != side || spec.topology.input.width != side ||
                                        spec.topology.input.channels != 1))
    throw ParamError(fmt::format("'network.layers' starts with a {}x{}x{} image but {} images with [data] downscale = "
                                 "{} are 1x{}x{}",
                                 spec.topology.input.channels, spec.topology.input.height, spec.topology.input.width,
                                 data.dataset, data.downscale, side, side));
  if (spec.layers.back() != 10)
    throw ParamError(fmt::format("'network.layers' ends with {} outputs but {} has 10 classes", spec.layers.back(),
                                 data.dataset));
  if (network_from_file_is_set(config)) network_from_file(config, spec);  // the file, the run, the same network
  const std::string strategy = config.get<std::string>("train.strategy");
  const std::vector<std::string> read_by_training = registry.sections_read(strategy, config.values());
  const bool sc_in_training = std::find(read_by_training.begin(), read_by_training.end(), "sc") != read_by_training.end();
  const bool sc_in_evaluation = config.get<bool>("eval.sc");
  if (!sc_in_training && !sc_in_evaluation) return;
  for (const WeightLayer& g : spec.weight_layers())
    if (g.pool == PoolKind::max)
      throw ParamError(fmt::format("'network.layers' has max pooling, which no SC unit computes, but {}: use average "
                                   "pooling (poolN), or set eval.sc = false with a training strategy without SC",
                                   sc_in_training ? "'train.strategy' = " + strategy + " runs SC in training"
                                                  : "'eval.sc' = true evaluates with SC"));
  require_unit<Multiplier>(registry, config, "sc.multiplier", config.get<std::string>("sc.multiplier"), "a multiplier");
  const std::unique_ptr<Component> multiplier =
      registry.create(config.get<std::string>("sc.multiplier"), config.values(), ComponentContext{});
  require_unit<Adder>(registry, config, "sc.adder", config.get<std::string>("sc.adder"), "an adder");
  require_unit<Activation>(registry, config, "sc.activation", config.get<std::string>("sc.activation"),
                           "an activation");
  for (const auto& id : config.get<List<std::string>>("eval.sc_activations").values)
    require_unit<Activation>(registry, config, "eval.sc_activations", id, "an activation");
  require_recorded_device_covers(registry, config, config.get<std::string>("device.plugin"), spec,
                                 dynamic_cast<const Multiplier&>(*multiplier).coding());
}

}  // namespace

SPINSC_REGISTER_RUN_CHECK("network", check_network_point)

}  // namespace spinsc
