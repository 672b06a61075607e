// The unipolar excitatory / inhibitory encoding of the SC engine ([sc] encoding = unipolar_ei),
// after the separate excitatory and inhibitory paths of Daniels et al., Phys. Rev. Applied 13,
// 034016 (2020).
//
// Every weight w is split into its positive part w+ = max(w, 0) and its negative part
// w- = max(-w, 0), each carried by its own unipolar stream with P(1) = w+ or w- (one of the two is
// the P(1) = 0 stream of its device). Inputs and hidden outputs x lie in [0, 1] and are unipolar
// streams with P(1) = x. Per synapse two AND gates share the input stream: x AND w+ into the
// neuron's excitatory counter C+, x AND w- into its inhibitory counter C-. The estimate of
// s = sum_j x_j w_j is (C+ - C-) / L, which the activation's look-up table reads as it reads a
// bipolar sum. Given the input bit, a synapse's two products are independent (different weight
// devices), and one of w+, w- is 0, so for independent streams of an ideal device
//   E[(C+ - C-) / L] = sum_j x_j (w+_j - w-_j) = s,
//   Var[(C+ - C-) / L] = sum_j |x_j w_j| (1 - |x_j w_j|) / L.
//
// Stream levels: the distinct unipolar probabilities of the grid's levels (17 for 33 levels on
// [-1, 1], resolution 1/16), so a bank, a trace or a fresh device serves each probability once
// whatever the sign it carries. Needs sc.and, an exact counter (two of them per neuron) and LUT
// activations: an FSM is driven clock by clock by one bipolar count, which this encoding does
// not make (an error says so).
#include <map>

#include "sc/bit_kernels.hpp"
#include "sc/engine_impl.hpp"
#include "spinsc/bit_source.hpp"
#include "spinsc/params.hpp"

namespace spinsc {

using sc::draw_binomial;
using sc::fill_row;

namespace {
constexpr const char* kEncoding = "[sc] encoding = unipolar_ei";
}

void ScEngine::Impl::set_up_unipolar_ei(const LevelGrid& grid, const ScSettings& settings) {
  if (units.multiplier->gate() != GateKind::and_gate)
    throw ParamError(fmt::format("{} multiplies by AND gates: it needs [sc] multiplier = sc.and, not {}", kEncoding,
                                 settings.multiplier_id));
  if (grid.lo < -1.0 || grid.hi > 1.0)
    throw ParamError(fmt::format("{}: a unipolar stream carries a magnitude in [0, 1] as its P(1), so the quantizer's "
                                 "range [network] lower = {}, upper = {} must lie within [-1, 1]",
                                 kEncoding, grid.lo, grid.hi));
  const double zero_input = grid.value(grid.level_of(0.0));
  if (zero_input < 0.0)
    throw ParamError(fmt::format("{} needs non-negative inputs, but [network] levels = {}, lower = {}, upper = {} "
                                 "quantize an input of 0 to the negative level {} (choose a range whose level "
                                 "nearest to 0 is not negative, e.g. lower = -upper)",
                                 kEncoding, grid.states, grid.lo, grid.hi, zero_input));
  ei_grid = grid;
  // Distinct unipolar probabilities, keyed like the product classes (equal to 1e-12).
  std::map<long long, double> distinct;
  const auto key = [](double p) { return std::llround(p * 1e12); };
  for (int k = 0; k < grid.states; ++k) {
    const double v = grid.value(k);
    distinct.emplace(key(std::max(v, 0.0)), std::max(v, 0.0));
    distinct.emplace(key(std::max(-v, 0.0)), std::max(-v, 0.0));
  }
  if (distinct.size() > 255) throw ParamError(fmt::format("{}: more than 255 distinct stream probabilities", kEncoding));
  std::map<long long, std::uint8_t> index;
  stream_probability.clear();
  for (const auto& [k, p] : distinct) {
    index[k] = static_cast<std::uint8_t>(stream_probability.size());
    stream_probability.push_back(p);
  }
  ei_plus.clear(), ei_minus.clear();
  for (int k = 0; k < grid.states; ++k) {
    const double v = grid.value(k);
    ei_plus.push_back(index.at(key(std::max(v, 0.0))));
    ei_minus.push_back(index.at(key(std::max(-v, 0.0))));
  }
}

void ScEngine::Impl::check_unipolar_ei_layers(const ScSettings& settings) const {
  if (!units.adder->is_exact_counter())
    throw ParamError(fmt::format("{} counts the excitatory and inhibitory products in two exact counters per neuron: "
                                 "it needs [sc] adder = sc.parallel_counter, not {}",
                                 kEncoding, settings.adder_id));
  for (std::size_t l = 0; l + 1 < shapes.size(); ++l) {
    const Activation* act = units.activations.at(l);
    if (act && act->needs_clocks())
      throw ParamError(fmt::format("{}: the FSM activation {} is driven clock by clock by one bipolar count, which "
                                   "this encoding does not make; use a look-up activation ([sc] activation = "
                                   "sc.lut_sigmoid or sc.sigmoid32)",
                                   kEncoding, settings.activation_id));
    const ActivationSetup& setup = hidden_setups.size() == 1 ? hidden_setups[0] : hidden_setups[l];
    if (setup.function == "tanh")
      throw ParamError(fmt::format("{} carries hidden outputs as unipolar streams (values in [0, 1]), but [network] "
                                   "hidden_activation = tanh has negative outputs: use sigmoid, hard_sigmoid or relu, "
                                   "or [sc] encoding = bipolar",
                                   kEncoding));
  }
}

void ScEngine::Impl::check_unipolar_ei_inputs(std::size_t layer, std::span<const std::uint8_t> in) const {
  for (std::size_t j = 0; j < in.size(); ++j) {
    const double v = ei_grid.value(in[j]);
    if (v < 0.0)
      throw ParamError(fmt::format("{}: input {} of layer {} is at the negative level {} (index {}); a unipolar "
                                   "stream carries only values in [0, 1], so the network's inputs must not be "
                                   "negative (use [sc] encoding = bipolar)",
                                   kEncoding, j + 1, layer + 1, v, in[j]));
  }
}

void ScEngine::Impl::layer_expected_ei(const ScLayerView& view, std::size_t layer, std::span<double> sums,
                                       std::span<std::uint8_t> levels_out, ScWorkspace& ws) const {
  const std::size_t fan = fan_in(view);
  const double* p = stream_probability.data();
  for (std::size_t i = 0; i < view.n_out; ++i) {
    fill_row(view, i, ws.row_levels.data());
    double s = 0.0;  // E[C+ - C-] / L: sum of P(x AND w+) - P(x AND w-)
    for (std::size_t j = 0; j < fan; ++j) {
      const double px = p[ei_plus[ws.in_levels[j]]];
      const std::uint8_t w = ws.row_levels[j];
      s += px * p[ei_plus[w]] - px * p[ei_minus[w]];
    }
    sums[i] = s;
    if (!levels_out.empty()) levels_out[i] = static_cast<std::uint8_t>(units.activations[layer]->expected_level(s));
  }
}

// As bit mode with fresh streams from an ideal device, in the two steps of layer_binomial: each
// input stream's ones K_j ~ Binomial(L, x_j) once per layer (the bias input: L); then per neuron,
// given the K_j, x_j AND w+_j has Binomial(K_j, w+_j) ones and x_j AND w-_j, from another device,
// an independent Binomial(K_j, w-_j) (an AND is 0 where the input bit is 0). Binomials of equal
// probability add: the synapses pool by the stream level of w+ (into C+) and of w- (into C-).
void ScEngine::Impl::layer_binomial_ei(const ScLayerView& view, std::size_t layer, RandomStream& rng,
                                       std::span<double> sums, std::span<std::uint8_t> levels_out,
                                       ScWorkspace& ws) const {
  const std::size_t fan = fan_in(view), u = stream_probability.size();
  const long long L = static_cast<long long>(n_bits);
  for (std::size_t j = 0; j < view.n_in; ++j)
    ws.input_ones[j] = draw_binomial(L, stream_probability[ei_plus[ws.in_levels[j]]], rng);
  if (view.bias_levels) ws.input_ones[view.n_in] = L;  // the constant +1 stream
  long long* plus = ws.pool_ones.data();  // u excitatory pools, then u inhibitory pools
  long long* minus = plus + u;
  for (std::size_t i = 0; i < view.n_out; ++i) {
    fill_row(view, i, ws.row_levels.data());
    std::fill(plus, plus + 2 * u, 0);
    for (std::size_t j = 0; j < fan; ++j) {
      plus[ei_plus[ws.row_levels[j]]] += ws.input_ones[j];
      minus[ei_minus[ws.row_levels[j]]] += ws.input_ones[j];
    }
    long long c_plus = 0, c_minus = 0;
    for (std::size_t k = 0; k < u; ++k) c_plus += draw_binomial(plus[k], stream_probability[k], rng);
    for (std::size_t k = 0; k < u; ++k) c_minus += draw_binomial(minus[k], stream_probability[k], rng);
    const double s = double(c_plus - c_minus) / double(L);
    sums[i] = s;
    if (!levels_out.empty()) levels_out[i] = static_cast<std::uint8_t>(units.activations[layer]->level_for_sum(s));
  }
}

// Bit mode: device streams of every policy. Device indices (fresh): inputs device0 + j, then per
// synapse (i, j) two devices, device0 + n + 2 (i fan + j) for w+ and the next for w-. The bank
// policy counts straight from the bank (bank_and kernel): per neuron the bank entries of its w+
// streams are drawn, then those of its w- streams.
void ScEngine::Impl::layer_bits_ei(const ScLayerView& view, std::size_t layer, const RandomStream& layer_rng,
                                   std::span<double> sums, std::span<std::uint8_t> levels_out,
                                   ScWorkspace& ws) const {
  const std::size_t W = words, n = view.n_in, fan = fan_in(view);
  const double L = static_cast<double>(n_bits);
  const std::uint64_t tail_mask = (n_bits & 63u) ? (1ull << (n_bits & 63u)) - 1 : ~0ull;
  sc::IndexDraw draw = supply->make_draw(layer_rng);
  RandomStream fresh = layer_rng.derive("sc_fresh");
  const std::uint64_t device0 = layer_device_base[layer];
  std::uint64_t* xs = ws.x_streams.data();
  for (std::size_t j = 0; j < n; ++j)
    supply->stream(sc::StreamRole::input, ei_plus[ws.in_levels[j]], draw, fresh, device0 + j, xs + j * W);
  if (view.bias_levels) {  // the bias input is the constant +1: all ones
    std::fill(xs + n * W, xs + (n + 1) * W, ~0ull);
    xs[(n + 1) * W - 1] &= tail_mask;
  }
  Activation* act = hidden(layer) ? units.activations[layer] : nullptr;
  std::uint64_t* wp = ws.w_streams.data();
  std::uint64_t* wm = ws.w_minus_streams.data();
  const bool bank = supply->policy() == StreamPolicy::bank;
  const ScBitKernels::BankXor bank_and = sc::bank_and_for(*kernels, W);
  for (std::size_t i = 0; i < view.n_out; ++i) {
    std::uint8_t* row = ws.row_levels.data();
    fill_row(view, i, row);
    std::uint64_t c_plus = 0, c_minus = 0;  // the neuron's two counters over its synapses and clocks
    if (bank) {
      std::uint8_t* plus = ws.ei_levels.data();
      std::uint8_t* minus = plus + fan;
      for (std::size_t j = 0; j < fan; ++j) plus[j] = ei_plus[row[j]], minus[j] = ei_minus[row[j]];
      draw.fill(ws.indices.data(), fan);
      c_plus = bank_and(xs, plus, ws.indices.data(), fan, bank_of_level.data(), W);
      draw.fill(ws.indices.data(), fan);
      c_minus = bank_and(xs, minus, ws.indices.data(), fan, bank_of_level.data(), W);
    } else {
      for (std::size_t j = 0; j < fan; ++j) {
        const std::uint64_t device = device0 + n + 2 * (i * fan + j);
        supply->stream(sc::StreamRole::weight, ei_plus[row[j]], draw, fresh, device, wp + j * W);
        supply->stream(sc::StreamRole::weight, ei_minus[row[j]], draw, fresh, device + 1, wm + j * W);
      }
      c_plus = kernels->and_count(xs, wp, fan * W);  // the streams are contiguous
      c_minus = kernels->and_count(xs, wm, fan * W);
    }
    const double s = (double(c_plus) - double(c_minus)) / L;
    sums[i] = s;
    if (act && !levels_out.empty()) levels_out[i] = static_cast<std::uint8_t>(act->level_for_sum(s));
  }
}

// The events of one layer and inference: the input streams at the stream level of x, two weight
// streams a synapse (w+ and w-, the bias included; the constant +1 input needs no device), two
// AND gates a synapse and clock, two counts (C+ and C-) a neuron and clock. The difference
// C+ - C- is one subtraction a neuron and inference, part of the look-up that reads it.
void ScEngine::Impl::add_events_ei(const ScLayerView& view, std::size_t layer, std::span<const std::uint8_t> in,
                                   ScLayerEvents& e) const {
  if (e.bits_per_level.empty()) e.bits_per_level.assign(stream_probability.size(), 0);
  for (std::size_t j = 0; j < view.n_in; ++j) e.bits_per_level[ei_plus[in[j]]] += n_bits;
  const auto add_synapses = [&](std::size_t level, std::uint64_t count) {
    e.bits_per_level[ei_plus[level]] += count * n_bits;
    e.bits_per_level[ei_minus[level]] += count * n_bits;
  };
  if (view.weight_level_counts) {
    for (int k = 0; k < levels; ++k) add_synapses(k, view.weight_level_counts[k]);
  } else {
    for (std::size_t i = 0; i < view.n_out * view.n_in; ++i) add_synapses(view.weight_levels[i], 1);
    if (view.bias_levels)
      for (std::size_t i = 0; i < view.n_out; ++i) add_synapses(view.bias_levels[i], 1);
  }
  e.gate_ops += 2 * view.n_out * fan_in(view) * n_bits;
  e.counter_ops += 2 * view.n_out * n_bits;
  if (hidden(layer)) e.activation_ops += view.n_out * units.activations[layer]->ops_per_activation(n_bits);
}

}  // namespace spinsc
