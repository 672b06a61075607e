// The [network] section: topology, quantization and activations (declared once, here).
#include "spinsc/mlp.hpp"
#include "spinsc/run_context.hpp"

namespace spinsc {

void declare_network_section(OptionsBuilder& add) {
  add("layers", param<List<std::string>>({"784", "128", "10"}),
      "the layers, input first: widths for an MLP (784 for 28x28 images, 196 with [data] downscale = 2), or "
      "with convolutions: 28x28, conv6x5x5:pad2, pool2, conv16x5x5, pool2, 120, 84, 10 (convCxKxK with options "
      ":strideS :padP; poolN average, maxpoolN max pooling after a convolution; flatten optional)");
  add("levels", param<int>(5)->range(3, 255), "Q: quantization states of weights, inputs and hidden outputs (odd)");
  add("quant_lower", param<double>(-1.0), "lower end a of the quantization range");
  add("quant_upper", param<double>(1.0), "upper end b of the quantization range");
  add("hidden_activation", param("sigmoid")->choices({"sigmoid", "tanh", "relu", "hard_sigmoid"}),
      "activation of the hidden layers (the paper: sigmoid)");
  add("output_activation", param("sigmoid")->choices({"sigmoid", "softmax", "identity"}),
      "activation of the output layer (the paper: sigmoid, trained with MSE)");
  add("bias", param<bool>(false), "a bias weight per neuron (in SC: a constant-1 input stream)");
  add("activation_gain", param<List<double>>({1.0})->above(0.0),
      "activations are applied to gain * z (z = sum of products; a LUT absorbs the gain): one value, "
      "or one per weight layer");
  add("from", param(""),
      "evaluate a network trained before instead of training: a results file (.h5) holding it; the other "
      "[network] keys must describe that network, [train] is not used (empty: train)");
  add("from_run", param(""),
      "which network of the 'from' file: a run number (the run column of spinsc show), a training id or a run id "
      "(empty: the file's only trained network)");
}

SPINSC_REGISTER_SECTION("network", declare_network_section)

NetworkSpec NetworkSpec::from_params(const Params& p) {
  NetworkSpec spec;
  const NetworkTopology topology =
      parse_network_topology(p.get<List<std::string>>("layers").values, p.full_key("layers"));
  spec.layers = topology.widths();
  if (topology.convolutional()) spec.topology = topology;
  spec.levels = p.get<int>("levels");
  if (spec.levels % 2 == 0)
    throw ParamError("'" + p.full_key("levels") + "' = " + to_text(spec.levels) + " must be odd (0 must be a level)");
  spec.lower = p.get<double>("quant_lower");
  spec.upper = p.get<double>("quant_upper");
  if (!(spec.lower < spec.upper))
    throw ParamError("'" + p.full_key("quant_lower") + "' must be below '" + p.full_key("quant_upper") + "'");
  const auto hidden = p.get<std::string>("hidden_activation");
  spec.hidden = hidden == "tanh"           ? HiddenActivation::tanh
                : hidden == "relu"         ? HiddenActivation::relu
                : hidden == "hard_sigmoid" ? HiddenActivation::hard_sigmoid
                                           : HiddenActivation::sigmoid;
  const auto output = p.get<std::string>("output_activation");
  spec.output = output == "softmax"    ? OutputActivation::softmax
                : output == "identity" ? OutputActivation::identity
                                       : OutputActivation::sigmoid;
  spec.bias = p.get<bool>("bias");
  spec.activation_gain = p.get<List<double>>("activation_gain").values;
  if (spec.activation_gain.size() != 1 && spec.activation_gain.size() != spec.layers.size() - 1)
    throw ParamError("'" + p.full_key("activation_gain") + "' needs 1 or " + to_text(spec.layers.size() - 1) +
                     " values (one per weight layer), got " + to_text(spec.activation_gain.size()));
  return spec;
}

}  // namespace spinsc
