// sc.parallel_counter: the exact parallel counter. Each clock t it counts the ones among the n
// product bits, c_t = sum_i b_i,t (E[c_t] = sum_i p_i), and emits the bipolar integer
// u_t = 2 c_t - n, so that the bipolar sum is s = sum_i x_i = mean_t(u_t) (physics.md D).
// The engine replaces it by the fused gate+popcount total whenever only the total is needed
// (LUT activation); an FSM activation gets the clock-by-clock counts from reduce().
//
// Example experiment block:
//   [sc]
//   adder = sc.parallel_counter
//   [sc.parallel_counter]
//   energy_per_op_J = 0
#include "spinsc/plugin.hpp"
#include "spinsc/sc_counting.hpp"
#include "spinsc/sc_units.hpp"

namespace {

class ParallelCounter final : public spinsc::Adder {
 public:
  static void declare(spinsc::OptionsBuilder& add) {
    add("energy_per_op_J", spinsc::param<double>(0.0)->unit("J")->min(0.0),
        "energy of one count of n inputs at one clock; the papers give none, so the default charges nothing");
    add("latency_cycles", spinsc::param<double>(1.0)->unit("cycles")->min(0.0), "pipeline depth of the counter");
    // Read by the SC engine, which knows the fan-in: one count costs energy_per_op_J + n * this.
    add("energy_per_input_J", spinsc::param<double>(0.0)->unit("J")->range(0.0, 1e-9),
        "energy per input counted at one clock, on top of energy_per_op_J (a counter of n inputs is about n full adders); 0: not priced");
  }
  ParallelCounter(const spinsc::Params& p, const spinsc::ComponentContext&)
      : energy_J_(p.get<double>("energy_per_op_J")), cycles_(p.get<double>("latency_cycles")) {}

  bool is_exact_counter() const override { return true; }
  spinsc::ClockStreamInfo clock_stream(std::size_t n) const override { return {static_cast<int>(n), 1.0}; }
  std::uint64_t reduce(const spinsc::ReduceInput& in, std::span<std::int32_t> out) const override {
    spinsc::count_ones_per_clock(in.products, in.n_streams, in.n_words, in.n_bits, out, *in.scratch);
    const auto n = static_cast<std::int32_t>(in.n_streams);
    for (std::size_t t = 0; t < in.n_bits; ++t) out[t] = 2 * out[t] - n;
    return 0;
  }
  double expected_unit(std::span<const double> probs) const override {
    double sum = 0;
    for (double p : probs) sum += p;
    return 2 * sum - double(probs.size());
  }
  double energy_per_op_J() const override { return energy_J_; }
  double latency_cycles() const override { return cycles_; }

 private:
  double energy_J_, cycles_;
};

}  // namespace

SPINSC_PLUGIN(ParallelCounter, "sc", "parallel_counter", "1.0.0", "exact parallel counter (count of ones per clock)")
