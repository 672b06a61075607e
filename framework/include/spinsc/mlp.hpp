#pragma once
// The quantized multilayer perceptron of Sabyasachi et al. (arXiv 2504.06414, section III).
//
// Layers: from one key, `[network] layers = 784,128,10` (input first), dense or convolutional
// (`layers = 28x28, conv6x5x5:pad2, pool2, conv16x5x5, pool2, 120, 84, 10`: the syntax and the
// pooling rule are in network_topology.hpp). Each weight layer l has float "shadow" weights W_l
// (n_out × n_in, + 1 bias column if bias = true; a convolution: channels × K·K·C_in (+ 1), one
// kernel a row, in the input map's HWC order), kept in [-1, 1] by clipping after every update.
// A convolution is computed as a dense product over rows: its input matrix has one row per
// sample and output position (the receptive field, im2col; with average pooling the N² fields
// of a pooled position side by side, and the kernel repeated N² times), so an SC provider sees
// each position as an ordinary row of synapses. Two forward modes:
//   float      x / max(X) → z = W x (+ b) → act(g z) → ...            (the float baseline)
//   quantized  xq = Q(x / max(X));  Wq = Q(W);  z = provider(Wq, xq);  h = Q(act(g z)) → ...
// Q is the quantizer of eqs. (1)-(3) with the same Q states on [a, b] for weights, inputs and
// hidden outputs: a sigmoid hidden output on Q = 5 states has 3 values (0, 0.5, 1), on Q = 11
// six (the paper's Figure 4a). The output layer is not quantized: the paper applies a sigmoid
// to it and trains it with MSE (eq. 4); softmax (with cross-entropy) and identity are options.
// Backward: the straight-through estimator: dQ(u)/du = 1 inside [a, b] and 0 outside, and
// dL/dW = dL/dWq; the paper's variant (eq. 6: the error propagates without f') is an option.
//
// Example experiment block:
//   [network]
//   layers = 784,392,196,98,10
//   levels = 11
//   hidden_activation = sigmoid
//   output_activation = sigmoid
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "spinsc/ledger.hpp"
#include "spinsc/network_topology.hpp"
#include "spinsc/params.hpp"
#include "spinsc/preactivation_provider.hpp"
#include "spinsc/quantized_matrix.hpp"
#include "spinsc/random.hpp"

namespace spinsc {

enum class HiddenActivation { sigmoid, tanh, relu, hard_sigmoid };
enum class OutputActivation { sigmoid, softmax, identity };
enum class ForwardMode { float_precision, quantized };

// Member initializers mirror declare_network_section() (checked by test_defaults.cpp).
struct NetworkSpec {
  std::vector<int> layers{784, 128, 10};  // widths (a layer's output size), input layer first
  // The layers as `[network] layers` wrote them (convolutions); empty: the dense layers of `layers`.
  NetworkTopology topology;
  HiddenActivation hidden = HiddenActivation::sigmoid;
  OutputActivation output = OutputActivation::sigmoid;
  bool bias = false;               // a bias weight per neuron (a constant-1 input in SC)
  int levels = 5;                  // Q, the number of quantization states
  double lower = -1.0, upper = 1.0;  // [a, b] of the quantizer
  // Layer l applies its activation to gain(l) · z (a LUT absorbs the gain in hardware). One value
  // for every layer, or one per weight layer.
  std::vector<double> activation_gain{1.0};
  double gain(std::size_t l) const { return activation_gain.size() == 1 ? activation_gain[0] : activation_gain.at(l); }
  // The gain applied to layer l's sums: gain(l), divided by the window of an average pooling
  // (the sum of N² convolution positions times 1/N² is their mean).
  double effective_gain(std::size_t l) const;
  // The weight layers: `topology`'s, or dense layers of `layers` when it is empty.
  std::vector<WeightLayer> weight_layers() const;
  // Reads the [network] section (section = params.section("network")).
  static NetworkSpec from_params(const Params& network_section);
};

// Declares the keys of [network] (registered as a framework section).
void declare_network_section(OptionsBuilder& add);

// What one forward pass over a chunk of samples leaves behind: backward needs it, and the SC
// engine and tests may inspect it. Index l runs over weight layers.
struct ForwardState {
  // Inputs of layer l, one row per sample (a convolution: per sample and output position,
  // WeightLayer::rows_per_sample()), + 1 bias column of ones. Quantized mode: values and levels;
  // float mode: values only (levels empty). inputs[0] is the (quantized) image.
  std::vector<QuantizedMatrix> inputs;
  // Pre-activations z_l = W_l x_l, batch × n_out (exact product of the weights and inputs used,
  // even when a provider computed the forward value: the straight-through backward uses it).
  std::vector<Matrix> preactivations;
  // Activated outputs before quantization act(g z) (or the provider's activated outputs).
  std::vector<Matrix> activations;
  Matrix output;  // batch × n_classes: the network's output (scores after the output activation)
  // The output layer's g·z as the forward pass computed it (the provider's estimate with one),
  // before the output activation; empty if a provider wrote activated outputs. The class is its
  // argmax (predicted_class): every output activation is increasing, and a float32 sigmoid
  // rounds every sum above about 16.6 to exactly 1, which would tie saturated classes.
  Matrix output_preactivation;
  // Dropout masks of the hidden layers (0 or 1/(1 − p)), batch × n_out; empty without dropout.
  std::vector<Matrix> dropout_masks;
  // Max pooling of layer l: for each element of preactivations[l], the input row (sample ·
  // rows_per_sample + window row) whose convolution sum was the largest; empty otherwise.
  std::vector<std::vector<std::int32_t>> pool_choice;
};

// How a forward pass is computed beyond its mode.
struct ForwardOptions {
  // Quantized weights of every layer (from Mlp::quantize_weights()); required in quantized mode.
  const std::vector<QuantizedMatrix>* quantized_weights = nullptr;
  // nullptr = exact product. Only used in quantized mode.
  const PreactivationProvider* provider = nullptr;
  std::span<const std::uint64_t> sample_ids;  // batch: global ids, for the provider's substreams
  const RandomStream* stream = nullptr;       // per (phase, epoch); layer l uses derive("layer<l>")
  bool training = false;
  EnergyLedger* ledger = nullptr;             // this chunk's ledger (provider events), or nullptr
  // Dropout probability of hidden outputs, float mode with training = true only (scaling by
  // 1/(1 − p) would move quantized outputs off their levels). Masks come from
  // stream->derive("dropout<l>").substream(sample id).
  double dropout = 0.0;
};

class Mlp {
 public:
  explicit Mlp(NetworkSpec spec);

  const NetworkSpec& spec() const { return spec_; }
  const Quantizer& quantizer() const { return quantizer_; }
  std::size_t n_layers() const { return weights_.size(); }  // weight layers
  int n_inputs() const { return spec_.layers.front(); }
  int n_outputs() const { return spec_.layers.back(); }
  // Float shadow weights of layer l: n_out × (n_in + bias).
  const Matrix& weights(std::size_t l) const { return weights_[l]; }
  Matrix& weights(std::size_t l) { return weights_[l]; }
  // Clips every weight to [a, b] (after each update).
  void clip_weights();
  // Quantized weights of every layer (values and level indices), from the current float weights.
  std::vector<QuantizedMatrix> quantize_weights() const;

  // x: batch × n_inputs, normalized to [0, 1] (X / max(X)). Fills `state`.
  void forward(const Eigen::Ref<const Matrix>& x, ForwardMode mode, const ForwardOptions& options,
               ForwardState& state) const;
  // Back-propagates output_delta = dL/dz of the output layer (batch × n_out; any 1/batch scaling
  // is the caller's) through the network and adds dL/dW_l to grads[l] (sized like the weights).
  // quantized_weights: the weights of a quantized forward pass (straight-through estimator), or
  // nullptr after a float forward pass. paper_backprop: the error passed down is Wᵀ δ without
  // the activation derivative, which enters only the weight update (the paper's eqs. 6-7);
  // otherwise the full chain rule.
  void backward(const ForwardState& state, const Matrix& output_delta,
                const std::vector<QuantizedMatrix>* quantized_weights, bool paper_backprop,
                std::vector<Matrix>& grads) const;
  // The same, stopping short of the weight gradients: deltas[l] = the δ of layer l that the
  // update of W_l uses, one row per row of state.inputs[l] (a dense layer: batch × n_out; a
  // convolution: (batch · rows_per_sample) × channels);
  // dL/dW_l = fold_gradient(l, deltas[l]ᵀ · state.inputs[l].values).
  void backward_deltas(const ForwardState& state, const Matrix& output_delta,
                       const std::vector<QuantizedMatrix>* quantized_weights, bool paper_backprop,
                       std::vector<Matrix>& deltas) const;
  // deltas[l]ᵀ · inputs[l] is the gradient of the weights as the rows use them; with average
  // pooling the kernel appears N² times there, and its gradient is the sum of those blocks.
  Matrix fold_gradient(std::size_t l, const Matrix& row_gradient) const;
  const WeightLayer& layer(std::size_t l) const { return geometry_[l]; }
  // Columns of layer l's input rows: its row synapses (max pooling: one window position's), + bias.
  Eigen::Index input_columns(std::size_t l) const;

 private:
  // The input rows of layer l from the outputs `a` of the layer before (batch × its width).
  void fill_input(std::size_t l, const Matrix& a, const Quantizer* quantizer, QuantizedMatrix& dst) const;
  // The weights as layer l's rows multiply them (the kernel repeated with average pooling).
  Matrix row_weights(std::size_t l, const Matrix& w) const;
  // δ per sample (batch × width of layer l) in the row form of layer l's inputs.
  Matrix delta_rows(std::size_t l, const Matrix& per_sample, const ForwardState& state) const;

  NetworkSpec spec_;
  Quantizer quantizer_;
  std::vector<Matrix> weights_;
  std::vector<WeightLayer> geometry_;
  // Per convolution: for each (output position, window offset, synapse) the element of a
  // sample's input map it reads, or -1 for zero padding; empty for dense layers.
  std::vector<std::vector<std::int32_t>> receptive_fields_;
};

// The predicted class of row `row` of a forward pass: argmax of output_preactivation (of output
// when that is empty); ties: lowest index.
int predicted_class(const ForwardState& state, Eigen::Index row);

// Activation helpers (shared with the SC engine's LUT): act(g z) for a hidden layer.
float hidden_activation(HiddenActivation kind, float u);
// d act(u) / du at u (u = g z).
float hidden_activation_derivative(HiddenActivation kind, float u);
// The distinct values a quantized hidden output can take (e.g. 0, 0.5, 1 for sigmoid on Q = 5),
// lowest first: the LUT's output alphabet.
std::vector<double> hidden_output_levels(const NetworkSpec& spec);

std::string to_string(HiddenActivation kind);
std::string to_string(OutputActivation kind);

}  // namespace spinsc
