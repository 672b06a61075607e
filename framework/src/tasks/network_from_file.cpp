// `[network] from` (see network_from_file.hpp).
#include "tasks/network_from_file.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "spinsc/shipped_files.hpp"

namespace spinsc {

bool network_from_file_is_set(const Params& config) { return !config.get<std::string>("network.from").empty(); }

StoredNetwork network_from_file(const Params& config, const NetworkSpec& spec) {
  const std::string file = config.get<std::string>("network.from");
  StoredNetwork stored =
      read_stored_network(resolve_shipped_path(file), config.get<std::string>("network.from_run"), "network.from",
                          "network.from_run");
  const std::string source = fmt::format("the network of run {} in {}", stored.run_index, file);
  auto differs = [&](const std::string& key, const std::string& here, const std::string& there) {
    throw ParamError(fmt::format("'network.{}' = {} but {} has {} = {}: set it to {} to evaluate that network", key,
                                 here, source, key, there, there));
  };
  if (stored.layers != spec.layers)
    differs("layers", fmt::format("{}", fmt::join(spec.layers, ",")), fmt::format("{}", fmt::join(stored.layers, ",")));
  if (stored.levels != spec.levels) differs("levels", std::to_string(spec.levels), std::to_string(stored.levels));
  if (stored.hidden_activation != to_string(spec.hidden))
    differs("hidden_activation", to_string(spec.hidden), stored.hidden_activation);
  if (stored.output_activation != to_string(spec.output))
    differs("output_activation", to_string(spec.output), stored.output_activation);
  if (stored.bias != spec.bias) differs("bias", spec.bias ? "true" : "false", stored.bias ? "true" : "false");
  if (stored.topology != (spec.topology.convolutional() ? spec.topology.text() : ""))
    differs("layers", spec.topology.convolutional() ? spec.topology.text() : fmt::format("{}", fmt::join(spec.layers, ",")),
            stored.topology.empty() ? fmt::format("{}", fmt::join(stored.layers, ",")) : stored.topology);
  const std::vector<WeightLayer> geometry = spec.weight_layers();
  for (std::size_t l = 0; l < geometry.size(); ++l) {
    const std::size_t rows = std::size_t(geometry[l].outputs),
                      cols = std::size_t(geometry[l].synapses()) + (spec.bias ? 1 : 0);
    if (stored.weight_shapes[l] != std::pair{rows, cols} || stored.weights[l].size() != rows * cols)
      throw ParamError(fmt::format("'network.from' = {}: layer {} of run {} has {}x{} weights, not {}x{}", file, l + 1,
                                   stored.run_index, stored.weight_shapes[l].first, stored.weight_shapes[l].second, rows,
                                   cols));
  }
  if (stored.quant_lower && *stored.quant_lower != spec.lower)
    differs("quant_lower", fmt::format("{}", spec.lower), fmt::format("{}", *stored.quant_lower));
  if (stored.quant_upper && *stored.quant_upper != spec.upper)
    differs("quant_upper", fmt::format("{}", spec.upper), fmt::format("{}", *stored.quant_upper));
  if (!stored.activation_gain.empty() && stored.activation_gain != spec.activation_gain)
    differs("activation_gain", fmt::format("{}", fmt::join(spec.activation_gain, ",")),
            fmt::format("{}", fmt::join(stored.activation_gain, ",")));
  return stored;
}

void load_weights(Mlp& network, const StoredNetwork& stored) {
  for (std::size_t l = 0; l < network.n_layers(); ++l) {
    Matrix& w = network.weights(l);
    const std::vector<double>& values = stored.weights[l];
    for (Eigen::Index i = 0; i < w.size(); ++i) w.data()[i] = float(values[std::size_t(i)]);  // row-major both
  }
}

}  // namespace spinsc
