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

// For each (output position, window offset, synapse) of a convolution, the element of a sample's
// HWC input map it reads (-1: zero padding). Positions run over the output map (pooled, when
// pooled), window offsets over the pool's N x N convolution positions (one without pooling),
// synapses over the kernel in (ky, kx, channel) order, the weights' column order.
std::vector<std::int32_t> receptive_field_table(const WeightLayer& g) {
  const FeatureShape& in = g.in;
  const int n = g.pool == PoolKind::none ? 1 : g.pool_size;
  std::vector<std::int32_t> table;
  table.reserve(std::size_t(g.out.positions()) * n * n * g.synapses());
  for (int py = 0; py < g.out.height; ++py)
    for (int px = 0; px < g.out.width; ++px)
      for (int wy = 0; wy < n; ++wy)
        for (int wx = 0; wx < n; ++wx) {
          const int cy = py * n + wy, cx = px * n + wx;  // the convolution's output position
          for (int ky = 0; ky < g.kernel; ++ky)
            for (int kx = 0; kx < g.kernel; ++kx) {
              const int iy = cy * g.stride - g.pad + ky, ix = cx * g.stride - g.pad + kx;
              const bool inside = iy >= 0 && iy < in.height && ix >= 0 && ix < in.width;
              for (int c = 0; c < in.channels; ++c)
                table.push_back(inside ? (iy * in.width + ix) * in.channels + c : -1);
            }
        }
  return table;
}

// `block` columns repeated `copies` times, then the remaining (bias) columns once.
template <class M>
M repeat_columns(const M& w, Eigen::Index block, int copies) {
  M out(w.rows(), block * copies + (w.cols() - block));
  for (int c = 0; c < copies; ++c) out.middleCols(c * block, block) = w.leftCols(block);
  out.rightCols(w.cols() - block) = w.rightCols(w.cols() - block);
  return out;
}

}  // namespace

double NetworkSpec::effective_gain(std::size_t l) const {
  // Only a convolution can pool; an MLP (empty topology) has window 1 everywhere.
  const int window = l < topology.layers.size() ? topology.layers[l].window() : 1;
  return gain(l) / double(window);
}

std::vector<WeightLayer> NetworkSpec::weight_layers() const {
  return topology.layers.empty() ? dense_topology(layers).layers : topology.layers;
}

Mlp::Mlp(NetworkSpec spec) : spec_(std::move(spec)), quantizer_(spec_.levels, spec_.lower, spec_.upper) {
  if (spec_.layers.size() < 2) throw ParamError("a network needs at least two layer widths");
  if (spec_.activation_gain.size() != 1 && spec_.activation_gain.size() != spec_.layers.size() - 1)
    throw ParamError("activation_gain needs one value or one per weight layer");
  geometry_ = spec_.weight_layers();
  if (geometry_.size() + 1 != spec_.layers.size())
    throw std::invalid_argument("network spec: 'layers' widths and topology disagree");
  for (const WeightLayer& g : geometry_) {
    weights_.emplace_back(Matrix::Zero(g.outputs, g.synapses() + (spec_.bias ? 1 : 0)));
    receptive_fields_.push_back(g.convolution ? receptive_field_table(g) : std::vector<std::int32_t>{});
  }
}

void Mlp::fill_input(std::size_t l, const Matrix& a, const Quantizer* quantizer, QuantizedMatrix& dst) const {
  const float bias_value = quantizer ? static_cast<float>(quantizer->value(quantizer->levels() - 1)) : 1.0f;
  if (!geometry_[l].convolution) {
    fill_layer_input(a, quantizer, spec_.bias, bias_value, dst);
    return;
  }
  // The map (quantized as a whole), then each row's receptive field(s) gathered from it.
  QuantizedMatrix map;
  fill_layer_input(a, quantizer, false, bias_value, map);
  const std::vector<std::int32_t>& table = receptive_fields_[l];
  const WeightLayer& g = geometry_[l];
  const Eigen::Index cols = input_columns(l), per_row = cols - (spec_.bias ? 1 : 0);
  const Eigen::Index rows_per_sample = g.rows_per_sample();
  const Eigen::Index batch = a.rows(), n_map = a.cols();
  dst.values.resize(batch * rows_per_sample, cols);
  const int pad_level = quantizer ? quantizer->index(0.0) : 0;
  const float pad_value = quantizer ? static_cast<float>(quantizer->value(pad_level)) : 0.0f;
  if (quantizer) dst.levels.resize(dst.values.rows(), cols); else dst.levels.resize(0, 0);
  for (Eigen::Index s = 0; s < batch; ++s) {
    const float* values = map.values.data() + s * n_map;
    const std::uint8_t* levels = quantizer ? map.levels.data() + s * n_map : nullptr;
    for (Eigen::Index r = 0; r < rows_per_sample; ++r) {
      const std::int32_t* field = table.data() + r * per_row;
      const Eigen::Index row = s * rows_per_sample + r;
      float* out = dst.values.data() + row * cols;
      for (Eigen::Index j = 0; j < per_row; ++j) out[j] = field[j] < 0 ? pad_value : values[field[j]];
      if (spec_.bias) out[per_row] = bias_value;
      if (!quantizer) continue;
      std::uint8_t* out_levels = dst.levels.data() + row * cols;
      for (Eigen::Index j = 0; j < per_row; ++j)
        out_levels[j] = field[j] < 0 ? std::uint8_t(pad_level) : levels[field[j]];
      if (spec_.bias) out_levels[per_row] = std::uint8_t(quantizer->levels() - 1);
    }
  }
}

Eigen::Index Mlp::input_columns(std::size_t l) const {
  const WeightLayer& g = geometry_[l];
  return (g.pool == PoolKind::max ? g.synapses() : g.row_synapses()) + (spec_.bias ? 1 : 0);
}

Matrix Mlp::row_weights(std::size_t l, const Matrix& w) const {
  const WeightLayer& g = geometry_[l];
  return g.window() > 1 ? repeat_columns(w, g.synapses(), g.window()) : w;
}

Matrix Mlp::fold_gradient(std::size_t l, const Matrix& row_gradient) const {
  const WeightLayer& g = geometry_[l];
  if (g.window() == 1) return row_gradient;
  const Eigen::Index block = g.synapses(), extra = row_gradient.cols() - block * g.window();
  Matrix folded = row_gradient.leftCols(block);
  for (int c = 1; c < g.window(); ++c) folded += row_gradient.middleCols(c * block, block);
  Matrix out(row_gradient.rows(), block + extra);
  out.leftCols(block) = folded;
  out.rightCols(extra) = row_gradient.rightCols(extra);
  return out;
}

Matrix Mlp::delta_rows(std::size_t l, const Matrix& per_sample, const ForwardState& state) const {
  const WeightLayer& g = geometry_[l];
  const Eigen::Index batch = per_sample.rows();
  Matrix rows;
  if (g.pool != PoolKind::max) {
    // Row-major: a sample's (position, channel) values are its rows' channels, in order.
    rows = per_sample;
    rows.resize(batch * g.rows_per_sample(), g.outputs);
    return rows;
  }
  rows = Matrix::Zero(batch * g.rows_per_sample(), g.outputs);
  const std::vector<std::int32_t>& choice = state.pool_choice[l];
  for (Eigen::Index i = 0; i < per_sample.size(); ++i) rows(choice[std::size_t(i)], i % g.outputs) = per_sample.data()[i];
  return rows;
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
  state.pool_choice.resize(L);
  const Quantizer* q = quantized ? &quantizer_ : nullptr;
  fill_input(0, Matrix(x), q, state.inputs[0]);

  const PreactivationProvider* provider = quantized ? options.provider : nullptr;
  Matrix provided;  // the provider's output, one row per input row
  std::vector<std::uint64_t> row_ids;
  const Eigen::Index batch = x.rows();
  for (std::size_t l = 0; l < L; ++l) {
    const WeightLayer& geometry = geometry_[l];
    const Eigen::Index rows_per_sample = geometry.rows_per_sample(), width = spec_.layers[l + 1];
    const bool max_pool = geometry.pool == PoolKind::max;
    const Matrix& stored_w = quantized ? (*options.quantized_weights)[l].values : weights_[l];
    Matrix repeated_w;
    if (geometry.window() > 1) repeated_w = row_weights(l, stored_w);
    const Matrix& w = geometry.window() > 1 ? repeated_w : stored_w;
    // The exact sums of every input row (a Matrix is row-major: the rows of one sample, channels
    // each, are that sample's output map, so the resize keeps the numbers where they belong).
    Matrix row_sums = state.inputs[l].values * w.transpose();  // (batch · rows_per_sample) × outputs
    Matrix& z = state.preactivations[l];
    if (max_pool) {
      // The largest sum of each pooled window; its row is remembered for the backward pass.
      const int window = geometry.pool_size * geometry.pool_size, outputs = geometry.outputs;
      const Eigen::Index positions = geometry.out.positions();
      z.resize(batch, width);
      std::vector<std::int32_t>& choice = state.pool_choice[l];
      choice.assign(std::size_t(z.size()), 0);
      for (Eigen::Index s = 0; s < batch; ++s)
        for (Eigen::Index p = 0; p < positions; ++p)
          for (int c = 0; c < outputs; ++c) {
            const Eigen::Index first = (s * positions + p) * window;
            Eigen::Index best = first;
            for (Eigen::Index r = first + 1; r < first + window; ++r)
              if (row_sums(r, c) > row_sums(best, c)) best = r;
            z(s, p * outputs + c) = row_sums(best, c);
            choice[std::size_t((s * positions + p) * outputs + c)] = std::int32_t(best);
          }
    } else {
      z = std::move(row_sums);
      z.resize(batch, width);
      state.pool_choice[l].clear();
    }
    const float g = static_cast<float>(spec_.effective_gain(l));
    bool activated = false;
    const Matrix* forward_z = &z;
    if (provider) {
      if (max_pool)
        throw std::invalid_argument("max pooling has no SC unit: an SC forward pass needs average pooling (poolN)");
      const QuantizedMatrix& stored = (*options.quantized_weights)[l];
      QuantizedMatrix repeated;
      if (geometry.window() > 1) {
        repeated.values = w;
        repeated.levels = repeat_columns(stored.levels, geometry.synapses(), geometry.window());
      }
      PreactivationRequest request;
      request.layer = l;
      request.n_layers = L;
      request.inputs = &state.inputs[l];
      request.weights = geometry.window() > 1 ? &repeated : &stored;
      request.quantizer = &quantizer_;
      request.sample_ids = options.sample_ids;
      if (rows_per_sample > 1) {
        // Every row its own substream: sample id · rows + row (unique within the layer's stream).
        row_ids.resize(std::size_t(batch * rows_per_sample));
        for (Eigen::Index s = 0; s < batch; ++s) {
          const std::uint64_t id = std::size_t(s) < options.sample_ids.size() ? options.sample_ids[std::size_t(s)] : std::uint64_t(s);
          for (Eigen::Index r = 0; r < rows_per_sample; ++r)
            row_ids[std::size_t(s * rows_per_sample + r)] = id * std::uint64_t(rows_per_sample) + std::uint64_t(r);
        }
        request.sample_ids = row_ids;
      }
      request.rows_per_sample = std::size_t(rows_per_sample);
      request.training = options.training;
      request.has_bias = spec_.bias;
      request.ledger = options.ledger;
      provided.resize(batch * rows_per_sample, geometry.outputs);
      const RandomStream base = options.stream ? *options.stream : RandomStream(0, "preactivation");
      provider->compute(request, provided, base.derive(fmt::format("layer{}", l)));
      provided.resize(batch, width);
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
        fill_input(l + 1, act.cwiseProduct(mask), q, state.inputs[l + 1]);
      } else {
        fill_input(l + 1, act, q, state.inputs[l + 1]);
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
    grads[l] += fold_gradient(l, deltas[l].transpose() * state.inputs[l].values);  // n_out × n_in(+1)
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
    const WeightLayer& geometry = geometry_[l];
    const Matrix& stored_w = quantized ? (*quantized_weights)[l].values : weights_[l];
    Matrix repeated_w;
    if (geometry.window() > 1) repeated_w = row_weights(l, stored_w);
    const Matrix& w = geometry.window() > 1 ? repeated_w : stored_w;
    if (!geometry.convolution) {
      error.noalias() = carried * w.leftCols(geometry.synapses());
    } else {
      // Each row's error, added back to the map elements its receptive fields read (col2im).
      const Eigen::Index per_row = geometry.pool == PoolKind::max ? geometry.synapses() : geometry.row_synapses();
      const Matrix row_error = carried * w.leftCols(per_row);  // (batch · rows) × per_row
      const Eigen::Index batch = state.preactivations[l].rows(), rows_per_sample = geometry.rows_per_sample();
      const std::vector<std::int32_t>& table = receptive_fields_[l];
      error = Matrix::Zero(batch, spec_.layers[l]);
      for (Eigen::Index s = 0; s < batch; ++s)
        for (Eigen::Index r = 0; r < rows_per_sample; ++r) {
          const float* from = row_error.data() + (s * rows_per_sample + r) * per_row;
          const std::int32_t* field = table.data() + r * per_row;
          float* to = error.data() + s * error.cols();
          for (Eigen::Index j = 0; j < per_row; ++j)
            if (field[j] >= 0) to[field[j]] += from[j];
        }
    }
    const Matrix& z = state.preactivations[l - 1];
    const Matrix& act = state.activations[l - 1];
    const float g = static_cast<float>(spec_.effective_gain(l - 1));
    Matrix delta;
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
    // Both go on in the row form of layer l − 1's inputs.
    carried = delta_rows(l - 1, paper_backprop ? error : delta, state);
    deltas[l - 1] = paper_backprop ? delta_rows(l - 1, delta, state) : carried;
  }
}

}  // namespace spinsc
