// Forward and backward passes of the quantized MLP (see mlp.hpp for the equations).
#include "spinsc/mlp.hpp"

#include <cmath>
#include <fmt/format.h>
#include <stdexcept>

namespace spinsc {

namespace {

// Writes activations a (batch × n) into dst as a layer input: quantized (values and levels) or
// float (values only), followed by a constant-1 bias column (level Q − 1) if `bias`.
void fill_layer_input(const Matrix& a, const Quantizer* quantizer, bool bias, float bias_value,
                      QuantizedMatrix& dst) {
  const Eigen::Index rows = a.rows(), n = a.cols(), cols = n + (bias ? 1 : 0);
  dst.values.resize(rows, cols);
  if (quantizer) {
    dst.levels.resize(rows, cols);
    std::vector<float> level_value(quantizer->levels());
    for (int k = 0; k < quantizer->levels(); ++k) level_value[k] = static_cast<float>(quantizer->value(k));
    for (Eigen::Index r = 0; r < rows; ++r) {
      const float* src = a.data() + r * n;
      float* values = dst.values.data() + r * cols;
      std::uint8_t* levels = dst.levels.data() + r * cols;
      for (Eigen::Index c = 0; c < n; ++c) {
        const int k = quantizer->index(src[c]);
        levels[c] = static_cast<std::uint8_t>(k);
        values[c] = level_value[k];
      }
      if (bias) {
        levels[n] = static_cast<std::uint8_t>(quantizer->levels() - 1);
        values[n] = level_value[quantizer->levels() - 1];
      }
    }
  } else {
    dst.levels.resize(0, 0);
    dst.values.leftCols(n) = a;
    if (bias) dst.values.col(n).setConstant(bias_value);
  }
}

void apply_output_activation(OutputActivation kind, const Matrix& u, Matrix& y) {
  switch (kind) {
    case OutputActivation::sigmoid: y = (1.0f + (-u.array()).exp()).inverse().matrix(); break;
    case OutputActivation::identity: y = u; break;
    case OutputActivation::softmax: {
      y.resize(u.rows(), u.cols());
      for (Eigen::Index r = 0; r < u.rows(); ++r) {
        const float m = u.row(r).maxCoeff();  // shift for overflow-free exp
        y.row(r) = (u.row(r).array() - m).exp().matrix();
        y.row(r) /= y.row(r).sum();
      }
      break;
    }
  }
}

}  // namespace

Mlp::Mlp(NetworkSpec spec) : spec_(std::move(spec)), quantizer_(spec_.levels, spec_.lower, spec_.upper) {
  if (spec_.layers.size() < 2) throw ParamError("a network needs at least two layer widths");
  if (spec_.activation_gain.size() != 1 && spec_.activation_gain.size() != spec_.layers.size() - 1)
    throw ParamError("activation_gain needs one value or one per weight layer");
  for (std::size_t l = 0; l + 1 < spec_.layers.size(); ++l)
    weights_.emplace_back(Matrix::Zero(spec_.layers[l + 1], spec_.layers[l] + (spec_.bias ? 1 : 0)));
}

void Mlp::clip_weights() {
  const auto a = static_cast<float>(spec_.lower), b = static_cast<float>(spec_.upper);
  for (auto& w : weights_) w = w.cwiseMax(a).cwiseMin(b);
}

std::vector<QuantizedMatrix> Mlp::quantize_weights() const {
  std::vector<QuantizedMatrix> q(weights_.size());
  for (std::size_t l = 0; l < weights_.size(); ++l) quantize_matrix(quantizer_, weights_[l], q[l]);
  return q;
}

void Mlp::forward(const Eigen::Ref<const Matrix>& x, ForwardMode mode, const ForwardOptions& options,
                  ForwardState& state) const {
  if (x.cols() != n_inputs())
    throw std::invalid_argument(fmt::format("network input has {} columns, the network expects {}", x.cols(), n_inputs()));
  const bool quantized = mode == ForwardMode::quantized;
  if (quantized && (!options.quantized_weights || options.quantized_weights->size() != n_layers()))
    throw std::invalid_argument("quantized forward pass without quantized weights");
  const std::size_t L = n_layers();
  state.inputs.resize(L);
  state.preactivations.resize(L);
  state.activations.resize(L);
  const bool dropout = options.training && options.dropout > 0.0;
  if (dropout && quantized) throw std::invalid_argument("dropout is for float forward passes only");
  if (dropout && (!options.stream || options.sample_ids.size() != std::size_t(x.rows())))
    throw std::invalid_argument("dropout needs a random stream and one sample id per row");
  state.dropout_masks.resize(dropout ? L - 1 : 0);
  const Quantizer* q = quantized ? &quantizer_ : nullptr;
  const float bias_value = quantized ? static_cast<float>(quantizer_.value(quantizer_.levels() - 1)) : 1.0f;
  fill_layer_input(Matrix(x), q, spec_.bias, bias_value, state.inputs[0]);

  const PreactivationProvider* provider = quantized ? options.provider : nullptr;
  Matrix provided;  // batch × n_out from the provider
  for (std::size_t l = 0; l < L; ++l) {
    const Matrix& w = quantized ? (*options.quantized_weights)[l].values : weights_[l];
    Matrix& z = state.preactivations[l];
    z.noalias() = state.inputs[l].values * w.transpose();  // batch × n_out
    const float g = static_cast<float>(spec_.gain(l));
    bool activated = false;
    const Matrix* forward_z = &z;
    if (provider) {
      PreactivationRequest request;
      request.layer = l;
      request.n_layers = L;
      request.inputs = &state.inputs[l];
      request.weights = &(*options.quantized_weights)[l];
      request.quantizer = &quantizer_;
      request.sample_ids = options.sample_ids;
      request.training = options.training;
      request.has_bias = spec_.bias;
      request.ledger = options.ledger;
      provided.resize(z.rows(), z.cols());
      const RandomStream base = options.stream ? *options.stream : RandomStream(0, "preactivation");
      provider->compute(request, provided, base.derive(fmt::format("layer{}", l)));
      activated = provider->computes_activation(l);
      forward_z = &provided;
    }
    Matrix& act = state.activations[l];
    if (l + 1 < L) {
      if (activated) {
        act = provided;
      } else {
        act.resize(z.rows(), z.cols());
        const float* zs = forward_z->data();
        float* as = act.data();
        for (Eigen::Index i = 0; i < act.size(); ++i) as[i] = hidden_activation(spec_.hidden, g * zs[i]);
      }
      if (dropout) {
        Matrix& mask = state.dropout_masks[l];
        mask.resize(act.rows(), act.cols());
        const float keep_scale = float(1.0 / (1.0 - options.dropout));
        const RandomStream base = options.stream->derive(fmt::format("dropout{}", l));
        for (Eigen::Index s = 0; s < act.rows(); ++s) {
          RandomStream rng = base.substream(options.sample_ids[std::size_t(s)]);
          for (Eigen::Index c = 0; c < act.cols(); ++c) mask(s, c) = rng.uniform() < options.dropout ? 0.0f : keep_scale;
        }
        fill_layer_input(act.cwiseProduct(mask), q, spec_.bias, bias_value, state.inputs[l + 1]);
      } else {
        fill_layer_input(act, q, spec_.bias, bias_value, state.inputs[l + 1]);
      }
    } else {
      if (activated) {
        act = provided;
        state.output_preactivation.resize(0, 0);
      } else {
        state.output_preactivation = g * *forward_z;
        apply_output_activation(spec_.output, state.output_preactivation, act);
      }
      state.output = act;
    }
  }
}

int predicted_class(const ForwardState& state, Eigen::Index row) {
  const Matrix& scores = state.output_preactivation.size() ? state.output_preactivation : state.output;
  Eigen::Index best = 0;
  scores.row(row).maxCoeff(&best);
  return int(best);
}

void Mlp::backward(const ForwardState& state, const Matrix& output_delta,
                   const std::vector<QuantizedMatrix>* quantized_weights, bool paper_backprop,
                   std::vector<Matrix>& grads) const {
  std::vector<Matrix> deltas;
  backward_deltas(state, output_delta, quantized_weights, paper_backprop, deltas);
  for (std::size_t l = 0; l < n_layers(); ++l)
    grads[l].noalias() += deltas[l].transpose() * state.inputs[l].values;  // n_out × n_in(+1)
}

void Mlp::backward_deltas(const ForwardState& state, const Matrix& output_delta,
                          const std::vector<QuantizedMatrix>* quantized_weights, bool paper_backprop,
                          std::vector<Matrix>& deltas) const {
  const std::size_t L = n_layers();
  const auto a = static_cast<float>(spec_.lower), b = static_cast<float>(spec_.upper);
  const bool quantized = quantized_weights != nullptr;
  deltas.resize(L);
  deltas[L - 1] = output_delta;   // dL/dz of the output layer, batch × n_out
  Matrix carried = output_delta;  // what propagates to layer l−1 (paper variant: without f')
  Matrix error;                   // dL/d(output of layer l−1), batch × n_in
  for (std::size_t l = L - 1; l > 0; --l) {
    // Straight-through: dL/dx = Wqᵀ δ with the weights the forward pass used (dL/dWq is taken
    // as dL/dW). The bias column carries a constant and gets no error.
    const int n_in = spec_.layers[l];
    const Matrix& w = quantized ? (*quantized_weights)[l].values : weights_[l];
    error.noalias() = carried * w.leftCols(n_in);
    const Matrix& z = state.preactivations[l - 1];
    const Matrix& act = state.activations[l - 1];
    const float g = static_cast<float>(spec_.gain(l - 1));
    Matrix& delta = deltas[l - 1];
    delta.resize(error.rows(), error.cols());
    for (Eigen::Index i = 0; i < delta.size(); ++i) {
      // The hidden quantizer passes the gradient inside [a, b] and blocks it where it clips.
      const float v = act.data()[i];
      const bool inside = !quantized || (v >= a && v <= b);
      const float d = inside ? g * hidden_activation_derivative(spec_.hidden, g * z.data()[i]) : 0.0f;
      delta.data()[i] = error.data()[i] * d;
    }
    if (l - 1 < state.dropout_masks.size()) {
      error.array() *= state.dropout_masks[l - 1].array();  // the dropped units got no input
      delta.array() *= state.dropout_masks[l - 1].array();
    }
    // The paper (eqs. 6-7): f' enters the weight update of a layer, not the propagated error.
    if (paper_backprop) carried = error; else carried = delta;
  }
}

}  // namespace spinsc
