// Fuzzes `[network] layers`: the topology reader, then, for a network small enough to run, the
// network itself: one float and one quantized forward pass and a backward pass on a batch of two
// images, which walks every receptive field (padding, stride, pooling windows, a remainder of the
// map) through the gather and scatter of the convolution. A documented refusal (ParamError) is a
// correct answer; a crash, a sanitizer report (an index outside a map) or another exception is a
// finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "spinsc/loss.hpp"
#include "spinsc/mlp.hpp"
#include "spinsc/params.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  spinsc::NetworkSpec spec;
  try {
    spec.topology = spinsc::parse_network_topology(spinsc::split_list(text), "network.layers");
  } catch (const spinsc::ParamError&) {
    return 0;
  }
  spec.layers = spec.topology.widths();
  if (!spec.topology.convolutional()) spec.topology = {};
  // Run only networks of up to 2^18 weights, map elements and receptive-field entries a layer.
  for (const spinsc::WeightLayer& g : spec.weight_layers()) {
    const std::int64_t entries = std::int64_t(g.rows_per_sample()) * g.row_synapses();
    if (entries > (1 << 18) || std::int64_t(g.outputs) * (g.synapses() + 1) > (1 << 18) || g.out.size() > (1 << 18))
      return 0;
  }
  if (spec.layers.front() > (1 << 18)) return 0;
  spec.bias = size % 2 == 1;
  const spinsc::Mlp network(spec);
  spinsc::Matrix x = spinsc::Matrix::Constant(2, network.n_inputs(), 0.5f);
  spinsc::ForwardState state;
  network.forward(x, spinsc::ForwardMode::float_precision, {}, state);
  spinsc::Matrix delta;
  spinsc::loss_and_output_delta(network.spec(), "mse", state, std::vector<int>{0, 0}, delta);
  std::vector<spinsc::Matrix> grads;
  for (std::size_t l = 0; l < network.n_layers(); ++l)
    grads.push_back(spinsc::Matrix::Zero(network.weights(l).rows(), network.weights(l).cols()));
  network.backward(state, delta, nullptr, false, grads);
  const auto qw = network.quantize_weights();
  spinsc::ForwardOptions options;
  options.quantized_weights = &qw;
  network.forward(x, spinsc::ForwardMode::quantized, options, state);
  return 0;
}
