// The three fidelity modes of one layer for one inference: bit, binomial, expected.
#include <random>

#include "sc/bit_kernels.hpp"
#include "sc/engine_impl.hpp"

namespace spinsc {

using sc::draw_binomial;
using sc::fill_row;

void ScEngine::Impl::layer_expected(const ScLayerView& view, std::size_t layer, std::span<double> sums,
                                    std::span<std::uint8_t> levels_out, ScWorkspace& ws) const {
  const std::size_t fan = fan_in(view), q = levels;
  const bool exact = units.adder->is_exact_counter();
  const double sum_per_unit = units.adder->clock_stream(fan).sum_per_unit;
  for (std::size_t i = 0; i < view.n_out; ++i) {
    fill_row(view, i, ws.row_levels.data());
    double s = 0.0;
    if (exact) {
      for (std::size_t j = 0; j < fan; ++j) s += product_value[ws.in_levels[j] * q + ws.row_levels[j]];
    } else {
      for (std::size_t j = 0; j < fan; ++j)
        ws.probabilities[j] = class_probability[product_class[ws.in_levels[j] * q + ws.row_levels[j]]];
      s = sum_per_unit * units.adder->expected_unit(std::span<const double>(ws.probabilities.data(), fan));
    }
    sums[i] = s;
    if (!levels_out.empty()) levels_out[i] = static_cast<std::uint8_t>(units.activations[layer]->expected_level(s));
  }
}

// The circuit's randomness in two steps, as in bit mode with fresh streams from an ideal device:
// 1. each input stream of the layer once: K_j ~ Binomial(L, P(1) of input j), shared by every
//    neuron (the bias input +1 is all ones);
// 2. per neuron, given the K_j, the product stream of synapse j has Binomial(K_j, g1) ones where
//    the input bit is 1 and Binomial(L - K_j, g0) where it is 0, with g1 = P(product = 1 | x = 1),
//    g0 = P(product = 1 | x = 0) of the gate for the weight's level (XNOR: p_w and 1 - p_w; AND:
//    p_w and 0). Binomials of equal probability add, so per neuron the synapses are pooled by
//    weight level (and, for the signed AND coding, the input's sign): 2 draws per pool.
// Exact in distribution for independent weight streams; neurons of a layer covary through the
// shared inputs as in the circuit (Cov(s_o, s_p) = sum_j w_oj w_pj (1 - x_j^2) / L for XNOR).
void ScEngine::Impl::layer_binomial(const ScLayerView& view, std::size_t layer, RandomStream& rng,
                                    std::span<double> sums, std::span<std::uint8_t> levels_out,
                                    ScWorkspace& ws) const {
  const std::size_t fan = fan_in(view), q = levels;
  const long long L = static_cast<long long>(n_bits);
  for (std::size_t j = 0; j < view.n_in; ++j) ws.input_ones[j] = draw_binomial(L, level_probability[ws.in_levels[j]], rng);
  if (view.bias_levels) ws.input_ones[view.n_in] = L;  // the constant +1 stream
  const std::size_t n_pools = 2 * q;                   // (input sign slot, weight level)
  for (std::size_t i = 0; i < view.n_out; ++i) {
    fill_row(view, i, ws.row_levels.data());
    std::fill(ws.pool_ones.begin(), ws.pool_ones.begin() + n_pools, 0);
    std::fill(ws.pool_zeros.begin(), ws.pool_zeros.begin() + n_pools, 0);
    for (std::size_t j = 0; j < fan; ++j) {
      const std::size_t pool = input_sign_slot[ws.in_levels[j]] * q + ws.row_levels[j];
      ws.pool_ones[pool] += ws.input_ones[j];
      ws.pool_zeros[pool] += L - ws.input_ones[j];
    }
    long long signed_ones = 0;
    for (std::size_t pool = 0; pool < n_pools; ++pool) {
      if (ws.pool_ones[pool] == 0 && ws.pool_zeros[pool] == 0) continue;
      const std::size_t b = pool % q;
      const long long ones = draw_binomial(ws.pool_ones[pool], product_given_one[b], rng) +
                             draw_binomial(ws.pool_zeros[pool], product_given_zero[b], rng);
      signed_ones += pool_sign[pool] * ones;
    }
    const double s = coding == Coding::bipolar ? 2.0 * double(signed_ones) / double(L) - double(fan)
                                               : double(signed_ones) / double(L);
    sums[i] = s;
    if (!levels_out.empty()) levels_out[i] = static_cast<std::uint8_t>(units.activations[layer]->level_for_sum(s));
  }
}

std::uint64_t ScEngine::Impl::layer_bits(const ScLayerView& view, std::size_t layer, const RandomStream& layer_rng,
                                         std::span<double> sums, std::span<std::uint8_t> levels_out,
                                         ScWorkspace& ws) const {
  const std::size_t W = words, n = view.n_in, fan = fan_in(view), q = levels;
  const double L = static_cast<double>(n_bits);
  const std::uint64_t tail_mask = (n_bits & 63u) ? (1ull << (n_bits & 63u)) - 1 : ~0ull;
  sc::IndexDraw draw = supply->make_draw(layer_rng);
  RandomStream fresh = layer_rng.derive("sc_fresh");
  fresh.use_blocks(kernels->philox_blocks);  // the kernel set in use draws the fresh streams' random words too
  RandomStream select_rng = layer_rng.derive("sc_select");
  const std::uint64_t device0 = layer_device_base[layer];
  std::uint64_t* xs = ws.x_streams.data();
  supply->streams(sc::StreamRole::input, ws.in_levels.data(), n, draw, fresh, device0, xs);
  if (view.bias_levels) {  // the bias input is the constant +1: all ones
    std::fill(xs + n * W, xs + (n + 1) * W, ~0ull);
    xs[(n + 1) * W - 1] &= tail_mask;
  }
  Activation* act = hidden(layer) ? units.activations[layer] : nullptr;
  const bool clocked_activation = act && act->needs_clocks();
  const bool fused = units.adder->is_exact_counter() && !clocked_activation;
  const bool bank_fast = fused && coding == Coding::bipolar && supply->policy() == StreamPolicy::bank;
  const ClockStreamInfo clock = units.adder->clock_stream(fan);
  const GateKind gate = units.multiplier->gate();
  std::uint64_t select_bits = 0;
  for (std::size_t i = 0; i < view.n_out; ++i) {
    std::uint8_t* row = ws.row_levels.data();
    fill_row(view, i, row);
    double s;
    if (bank_fast) {
      draw.fill(ws.indices.data(), fan);
      const std::uint64_t* const* banks = bank_of_level.data();
      const std::uint32_t* idx = ws.indices.data();
      const std::uint64_t d = sc::bank_xor_for(*kernels, W)(xs, row, idx, fan, banks, W);
      s = double(fan) - 2.0 * double(d) / L;
    } else {
      std::uint64_t* ws_w = ws.w_streams.data();
      supply->streams(sc::StreamRole::weight, row, fan, draw, fresh, device0 + n + i * fan, ws_w);
      if (fused && coding == Coding::bipolar) {
        s = double(fan) - 2.0 * double(kernels->xor_count(xs, ws_w, fan * W)) / L;
      } else if (fused) {
        long long signed_ones = 0;
        for (std::size_t j = 0; j < fan; ++j)
          signed_ones += product_sign[ws.in_levels[j] * q + row[j]] *
                         static_cast<long long>(kernels->and_count(xs + j * W, ws_w + j * W, W));
        s = double(signed_ones) / L;
      } else {
        std::uint64_t* prod = ws.products.data();
        for (std::size_t j = 0; j < fan; ++j) {
          for (std::size_t w = 0; w < W; ++w) {
            const std::uint64_t a = xs[j * W + w], b = ws_w[j * W + w];
            prod[j * W + w] = gate == GateKind::xnor ? ~(a ^ b) : (a & b);
          }
          prod[j * W + W - 1] &= tail_mask;
        }
        ReduceInput input{prod, fan, W, n_bits, units.device, &select_rng, &ws.adder_scratch, &ws.adder_streams};
        select_bits += units.adder->reduce(input, std::span<std::int32_t>(ws.units.data(), n_bits));
        long long total = 0;
        for (std::size_t t = 0; t < n_bits; ++t) total += ws.units[t];
        s = clock.sum_per_unit * double(total) / L;
        if (clocked_activation && !levels_out.empty())
          levels_out[i] = static_cast<std::uint8_t>(act->level_for_clocks(std::span<const std::int32_t>(ws.units.data(), n_bits)));
      }
    }
    sums[i] = s;
    if (act && !clocked_activation && !levels_out.empty()) levels_out[i] = static_cast<std::uint8_t>(act->level_for_sum(s));
  }
  return select_bits;
}

}  // namespace spinsc
