#pragma once
// Internals of ScEngine shared by its source files (layer evaluation, batches, ledger).
#include <algorithm>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "sc/stream_supply.hpp"
#include "spinsc/sc_kernels.hpp"
#include "spinsc/sc_engine.hpp"

namespace spinsc {

namespace sc {
// The weight levels of neuron i of a layer, its bias level appended.
inline void fill_row(const ScLayerView& view, std::size_t i, std::uint8_t* row) {
  std::copy(view.weight_levels + i * view.n_in, view.weight_levels + (i + 1) * view.n_in, row);
  if (view.bias_levels) row[view.n_in] = view.bias_levels[i];
}
// Binomial(trials, p) with the degenerate ends exact (std::binomial_distribution needs 0 < p < 1
// for speed and gives the same answer there).
inline long long draw_binomial(long long trials, double p, RandomStream& rng) {
  if (trials <= 0 || p <= 0.0) return 0;
  if (p >= 1.0) return trials;
  return std::binomial_distribution<long long>(trials, p)(rng);
}
}  // namespace sc

struct ScWorkspace {
  std::vector<std::uint64_t> x_streams;  // (max fan-in) x W input streams of the current layer
  std::vector<std::uint64_t> w_streams;  // (max fan-in) x W weight streams of the current neuron
  std::vector<std::uint64_t> w_minus_streams;  // unipolar_ei: the inhibitory weight streams
  std::vector<std::uint8_t> ei_levels;           // unipolar_ei: stream levels of w+ (fan), then of w- (fan)
  std::vector<std::uint64_t> products;   // (max fan-in) x W product streams (per-clock path)
  std::vector<std::uint64_t> adder_scratch, adder_streams;
  std::vector<std::int32_t> units;       // L adder outputs u_t
  std::vector<std::uint32_t> indices;    // bank indices of the current neuron's synapses
  std::vector<std::uint8_t> row_levels;  // weight levels of the current neuron, bias appended
  std::vector<std::uint8_t> in_levels;   // input levels of the current layer, bias input appended
  std::vector<long long> input_ones;     // binomial: ones of each input stream of the layer
  std::vector<long long> pool_ones, pool_zeros;  // binomial: input ones / zeros per (sign slot, weight level)
  std::vector<double> probabilities;     // expected mode: P(1) of each product
  std::vector<std::vector<std::uint8_t>> layer_levels;  // hidden outputs per layer
  std::vector<double> sums;
};

struct ScEngine::Impl {
  ScUnits units;
  std::vector<ActivationSetup> hidden_setups;
  RandomStream base{0, "sc_engine"};
  std::vector<ScLayerShape> shapes;
  std::vector<std::string> layer_purposes;           // "sc_layer1", ...
  std::vector<std::uint64_t> layer_device_base;      // first device index of each layer (fresh)
  std::unique_ptr<sc::StreamSupply> supply;
  std::size_t n_bits = 0, words = 0, max_fan_in = 0;
  Coding coding = Coding::bipolar;
  ScMode mode = ScMode::bit;
  int levels = 0;
  int one_level = -1;                                // level of the value +1 (bias input), or -1
  std::vector<double> level_probability;             // P(1) of a stream at each level
  std::vector<double> product_value;                 // Q x Q: x * w (expected sums)
  std::vector<std::int8_t> product_sign;             // Q x Q: sign of x * w (unipolar coding)
  std::vector<std::uint16_t> product_class;          // Q x Q: class of equal product P(1) and sign
  std::vector<double> class_probability;
  // Binomial mode: P(product = 1 | input bit 1 / 0) per weight level; per input level its sign
  // slot (0: non-negative, 1: negative; always 0 for bipolar); per (slot, weight level) the sign
  // with which the product's ones enter the count.
  std::vector<double> product_given_one, product_given_zero;
  std::vector<std::uint8_t> input_sign_slot;
  std::vector<int> pool_sign;
  std::vector<const std::uint64_t*> bank_of_level;   // bank policy: weight bank base per stream level
  // P(1) of each stream level (the supply's levels): level_probability, or for unipolar_ei the
  // distinct unipolar probabilities; per grid level, unipolar_ei's stream level of max(v, 0)
  // (excitatory weight part, or an input) and of max(-v, 0) (inhibitory weight part).
  std::vector<double> stream_probability;
  std::vector<std::uint8_t> ei_plus, ei_minus;
  bool unipolar_ei = false;
  LevelGrid ei_grid;  // unipolar_ei: the level values (to name a negative input)
  const ScBitKernels* kernels = nullptr;             // gate + popcount kernels (run-time choice)

  void run_layer(const ScLayerView& view, std::size_t layer, std::span<const std::uint8_t> in_levels,
                 const RandomStream& layer_rng, std::span<double> sums, std::span<std::uint8_t> levels_out,
                 ScWorkspace& ws, ScEvents* events) const;
  void layer_expected(const ScLayerView& view, std::size_t layer, std::span<double> sums,
                      std::span<std::uint8_t> levels_out, ScWorkspace& ws) const;
  void layer_binomial(const ScLayerView& view, std::size_t layer, RandomStream& rng, std::span<double> sums,
                      std::span<std::uint8_t> levels_out, ScWorkspace& ws) const;
  std::uint64_t layer_bits(const ScLayerView& view, std::size_t layer, const RandomStream& layer_rng,
                           std::span<double> sums, std::span<std::uint8_t> levels_out, ScWorkspace& ws) const;
  // unipolar_ei (unipolar_ei.cpp): the tables, the configuration checks, the three modes, events.
  void set_up_unipolar_ei(const LevelGrid& grid, const ScSettings& settings);
  void check_unipolar_ei_layers(const ScSettings& settings) const;
  void check_unipolar_ei_inputs(std::size_t layer, std::span<const std::uint8_t> in) const;
  void layer_expected_ei(const ScLayerView& view, std::size_t layer, std::span<double> sums,
                         std::span<std::uint8_t> levels_out, ScWorkspace& ws) const;
  void layer_binomial_ei(const ScLayerView& view, std::size_t layer, RandomStream& rng, std::span<double> sums,
                         std::span<std::uint8_t> levels_out, ScWorkspace& ws) const;
  void layer_bits_ei(const ScLayerView& view, std::size_t layer, const RandomStream& layer_rng,
                     std::span<double> sums, std::span<std::uint8_t> levels_out, ScWorkspace& ws) const;
  void add_events_ei(const ScLayerView& view, std::size_t layer, std::span<const std::uint8_t> in,
                     ScLayerEvents& e) const;
  std::size_t fan_in(const ScLayerView& view) const { return view.n_in + (view.bias_levels ? 1 : 0); }
  bool hidden(std::size_t layer) const { return layer + 1 < shapes.size(); }
};

}  // namespace spinsc
