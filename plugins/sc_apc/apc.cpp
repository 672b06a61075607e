// sc.apc: the approximate parallel counter of Kim, Lee & Choi (ISOCC 2015).
// The n inputs are paired (0,1), (2,3), ...; pairs go alternately through an OR and an AND gate
// (pair 0: OR, pair 1: AND, ...; as diwu1990/stochasticSim apcadd: in0|in1, in2&in3, ...). The
// ceil(n/2) gate outputs are counted exactly and the count is doubled (the LSB is lost), so the
// output is always even. An odd last input is paired with a constant 0.
// Exact bias (physics.md D): E[APC] - sum_i p_i = sum_OR P(a xor b) - sum_AND P(c xor d),
// P(a xor b) = pa + pb - 2 pa pb; zero when both inputs of every pair have equal p.
// Emits u_t = 2 * APC_t - n, so the bipolar sum is s = mean_t(u_t) like the exact counter.
//
// Example experiment block:
//   [sc]
//   adder = sc.apc
#include "spinsc/plugin.hpp"
#include "spinsc/sc_counting.hpp"
#include "spinsc/sc_units.hpp"

namespace {

class Apc final : public spinsc::Adder {
 public:
  static void declare(spinsc::OptionsBuilder& add) {
    add("energy_per_op_J", spinsc::param<double>(0.0)->unit("J")->min(0.0),
        "energy of one APC evaluation of n inputs at one clock; not given by the papers");
    add("latency_cycles", spinsc::param<double>(1.0)->unit("cycles")->min(0.0), "pipeline depth");
    // Read by the SC engine, which knows the fan-in: one count costs energy_per_op_J + n * this.
    add("energy_per_input_J", spinsc::param<double>(0.0)->unit("J")->range(0.0, 1e-9),
        "energy per input counted at one clock, on top of energy_per_op_J (a counter of n inputs is about n full adders); 0: not priced");
  }
  Apc(const spinsc::Params& p, const spinsc::ComponentContext&)
      : energy_J_(p.get<double>("energy_per_op_J")), cycles_(p.get<double>("latency_cycles")) {}

  bool is_exact_counter() const override { return false; }
  spinsc::ClockStreamInfo clock_stream(std::size_t n) const override { return {static_cast<int>(n + 1), 1.0}; }

  std::uint64_t reduce(const spinsc::ReduceInput& in, std::span<std::int32_t> out) const override {
    const std::size_t pairs = (in.n_streams + 1) / 2, W = in.n_words;
    // The gate layer: pairs x W words, kept after the planes in the scratch buffer.
    std::vector<std::uint64_t>& gates_ = *in.scratch_streams;
    gates_.assign(pairs * W, 0);
    for (std::size_t k = 0; k < pairs; ++k) {
      const std::uint64_t* a = in.products + 2 * k * W;
      const bool has_b = 2 * k + 1 < in.n_streams;
      for (std::size_t w = 0; w < W; ++w) {
        const std::uint64_t b = has_b ? a[W + w] : 0;
        gates_[k * W + w] = (k % 2 == 0) ? (a[w] | b) : (a[w] & b);
      }
    }
    spinsc::count_ones_per_clock(gates_.data(), pairs, W, in.n_bits, out, *in.scratch);
    const auto n = static_cast<std::int32_t>(in.n_streams);
    for (std::size_t t = 0; t < in.n_bits; ++t) out[t] = 2 * (2 * out[t]) - n;
    return 0;
  }
  double expected_unit(std::span<const double> probs) const override {
    double apc = 0;  // E[APC_t] = 2 * sum over gates of P(gate output = 1)
    for (std::size_t k = 0; 2 * k < probs.size(); ++k) {
      const double pa = probs[2 * k], pb = 2 * k + 1 < probs.size() ? probs[2 * k + 1] : 0.0;
      apc += 2 * ((k % 2 == 0) ? pa + pb - pa * pb : pa * pb);
    }
    return 2 * apc - double(probs.size());
  }
  double energy_per_op_J() const override { return energy_J_; }
  double latency_cycles() const override { return cycles_; }

 private:
  double energy_J_, cycles_;
};

}  // namespace

SPINSC_PLUGIN(Apc, "sc", "apc", "1.0.0", "approximate parallel counter (Kim, Lee & Choi 2015)")
