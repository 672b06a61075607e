#pragma once
// SC arithmetic units: the interfaces of the plugins of kind "sc" (Multiplier, Adder, Activation).
//
// A neuron of an SC layer sees n product streams (one per synapse, 64 clocks a packed word):
//   product_j = Multiplier(input stream x_j, weight stream w_j)          bitwise, one gate a clock
//   reduced   = Adder(product_1 .. product_n)                            per clock, or a total count
//   output    = Activation(reduced)                                      LUT on the sum, or an FSM
// Coding: bipolar (XNOR) carries v in [-1, 1] as P(1) = (v + 1) / 2; unipolar sign-magnitude (AND)
// carries |v| as P(1) = |v| and routes the sign of the product to a + or - count. The engine's
// encoding unipolar_ei (sc_engine.hpp) uses the AND gate for the two-stream excitatory /
// inhibitory split of Daniels et al. 2020 instead.
//
// Speed: the SC engine never calls a virtual function per word on the common path. A multiplier
// states its gate kind and the engine runs that gate fused with popcount over packed words; an
// adder that is an exact parallel counter says so and its total is that fused popcount. Only units
// that need the clock-by-clock values (APC, MUX, FSM activations) get the per-clock path.
//
// Every unit states its energy per operation (J) and latency (clock cycles) as parameters; the
// engine prices the events it causes in the ledger (see docs/sc.md).
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "spinsc/component.hpp"
#include "spinsc/random.hpp"

namespace spinsc {

class BitSource;

// The quantized states of eqs. (1)-(3): `states` levels evenly spaced on [lo, hi].
struct LevelGrid {
  int states = 5;
  double lo = -1.0, hi = 1.0;
  double step() const { return (hi - lo) / (states - 1); }
  double value(int level) const { return level == states - 1 ? hi : lo + level * step(); }
  // Eq. (3): clip to [lo, hi], round to the nearest level (halves up), as Quantizer::index.
  int level_of(double v) const;
};

enum class GateKind { xnor, and_gate };
enum class Coding { bipolar, unipolar_signed };

class BOOST_SYMBOL_VISIBLE Multiplier : public Component {
 public:
  ~Multiplier() override;
  virtual GateKind gate() const = 0;
  Coding coding() const { return gate() == GateKind::xnor ? Coding::bipolar : Coding::unipolar_signed; }
  // The gate on one packed word (64 clocks); the engine fuses this with popcount when it can.
  virtual std::uint64_t apply(std::uint64_t a, std::uint64_t b) const = 0;
  // P(1) of the product of independent streams with P(1) = pa and pb.
  virtual double product_probability(double pa, double pb) const = 0;
  virtual double energy_per_op_J() const = 0;  // one gate evaluation (one bit)
  virtual double latency_cycles() const = 0;   // pipeline depth of the gate
};

// What an adder produces each clock, and how it maps back to the sum of products.
// Each clock t the adder emits an integer u_t in [-range, range] (a bipolar integer stream, as in
// integral SC): for an exact counter u_t = 2 c_t - n (c_t = ones among the n products at t); for a
// MUX u_t = 2 b_t - 1. The estimate of the bipolar sum s = sum_j x_j w_j is
//   s_hat = sum_per_unit * mean_t(u_t).
struct ClockStreamInfo {
  int range = 0;              // max |u_t|
  double sum_per_unit = 1.0;  // s_hat = sum_per_unit * mean(u_t)
};

// Scratch and inputs of one per-clock reduction (owned by the engine, reused between neurons).
// Units must not keep mutable state of their own: one unit serves all threads at once.
struct ReduceInput {
  const std::uint64_t* products = nullptr;  // n_streams x n_words packed product streams, row-major
  std::size_t n_streams = 0;
  std::size_t n_words = 0;
  std::size_t n_bits = 0;
  BitSource* device = nullptr;              // source of select bits (MUX)
  RandomStream* rng = nullptr;              // randomness for the device
  std::vector<std::uint64_t>* scratch = nullptr;          // per-thread scratch (counter planes)
  std::vector<std::uint64_t>* scratch_streams = nullptr;  // per-thread scratch for intermediate streams
};

class BOOST_SYMBOL_VISIBLE Adder : public Component {
 public:
  ~Adder() override;
  // True for the exact parallel counter: the engine may replace the per-clock path by the fused
  // gate+popcount total (identical result: the sum over clocks of the exact count).
  virtual bool is_exact_counter() const = 0;
  virtual ClockStreamInfo clock_stream(std::size_t n_streams) const = 0;
  // Writes u_t for t < n_bits into `out` (size n_bits). Returns the number of select bits drawn
  // from the device (0 for counters), for the ledger.
  virtual std::uint64_t reduce(const ReduceInput& in, std::span<std::int32_t> out) const = 0;
  // Expected u_t (no stochastic error) for independent product streams with P(1) = probs[j].
  virtual double expected_unit(std::span<const double> probs) const = 0;
  virtual double energy_per_op_J() const = 0;  // one reduction of n inputs at one clock
  virtual double latency_cycles() const = 0;
};

// Everything an activation needs to know about the layer it serves.
struct ActivationSetup {
  std::string function = "sigmoid";      // the network's float activation: "sigmoid" or "tanh"
  double gain = 1.0;                     // f(s) = sigmoid(gain * s) or tanh(gain * s)
  std::function<double(double)> target;  // that function itself, s -> f(s)
  LevelGrid output_grid;                 // the quantized states the outputs are rounded to
  std::size_t fan_in = 0;                // product streams per neuron
  std::size_t n_bits = 0;                // stream length L
  ClockStreamInfo clock;                 // what the adder emits each clock
};

class BOOST_SYMBOL_VISIBLE Activation : public Component {
 public:
  ~Activation() override;
  // Called by the engine for each layer and stream length before use. One instance serves one
  // layer (the engine makes one per hidden layer).
  virtual void setup(const ActivationSetup& setup) = 0;
  virtual bool needs_clocks() const = 0;  // true for FSMs (driven clock by clock)
  // Value path (LUT): output level index for the reduced sum estimate s_hat.
  virtual int level_for_sum(double s_hat) const = 0;
  // Clock path (FSM): output level index from the adder's per-clock integers u_t.
  virtual int level_for_clocks(std::span<const std::int32_t> units) const = 0;
  // Expected mode: the level of the ideal function the unit implements, for the exact sum s.
  virtual int expected_level(double s) const = 0;
  // Operations per activation (1 look-up, or L FSM steps) and their price (busy cycles per op).
  virtual std::uint64_t ops_per_activation(std::size_t n_bits) const = 0;
  virtual double energy_per_op_J() const = 0;
  virtual double cycles_per_op() const = 0;
  // Latency the activation adds after the last stream clock (cycles): a LUT's look-up time; an
  // FSM runs in step with the stream and adds only its output stage.
  virtual double latency_cycles() const = 0;
};

}  // namespace spinsc
