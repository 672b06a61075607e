// sc.mux_adder: scaled addition through a multiplexer (Aygun et al., NANOARCH 2023; Brown & Card
// 2001). Each clock a select index picks one of the n product bits; the output stream has value
// z = (1/n') sum_i x_i with n' = 2^ceil(log2 n), and Var(z_hat) = (1 - z^2)/L (physics.md D).
// The select index is made of ceil(log2 n) streams with P(1) = 1/2 drawn from the experiment's
// device (in hardware: random bits from the same kind of junction), so their energy is charged.
// Inputs n..n'-1 of the MUX are the bipolar zero: the alternating stream 0101... (bit t = t mod 2),
// which needs no random bits. Emits u_t = 2 b_t - 1, s = n' * mean(u_t).
//
// Example experiment block:
//   [sc]
//   adder = sc.mux_adder
#include <bit>

#include "spinsc/bit_source.hpp"
#include "spinsc/params.hpp"
#include "spinsc/plugin.hpp"
#include "spinsc/sc_units.hpp"

namespace {

constexpr std::uint64_t kSelectDeviceBase = 1ull << 48;  // device indices of the select junctions

class MuxAdder final : public spinsc::Adder {
 public:
  static void declare(spinsc::OptionsBuilder& add) {
    add("energy_per_op_J", spinsc::param<double>(0.0)->unit("J")->min(0.0),
        "energy of one MUX selection at one clock; not given by the papers");
    add("latency_cycles", spinsc::param<double>(1.0)->unit("cycles")->min(0.0), "MUX delay in clock cycles");
    // Read by the SC engine, which knows the fan-in: one count costs energy_per_op_J + n * this.
    add("energy_per_input_J", spinsc::param<double>(0.0)->unit("J")->range(0.0, 1e-9),
        "energy per input counted at one clock, on top of energy_per_op_J (a multiplexer tree has one 2:1 multiplexer per input); 0: not priced");
  }
  MuxAdder(const spinsc::Params& p, const spinsc::ComponentContext&)
      : energy_J_(p.get<double>("energy_per_op_J")), cycles_(p.get<double>("latency_cycles")) {}

  static int select_bits(std::size_t n) { return n <= 1 ? 0 : std::bit_width(n - 1); }
  bool is_exact_counter() const override { return false; }
  spinsc::ClockStreamInfo clock_stream(std::size_t n) const override {
    return {1, static_cast<double>(1ull << select_bits(n))};
  }

  std::uint64_t reduce(const spinsc::ReduceInput& in, std::span<std::int32_t> out) const override {
    if (!in.device || !in.rng) throw spinsc::ParamError("sc.mux_adder needs a device for its select stream");
    const int k = select_bits(in.n_streams);
    const std::size_t W = in.n_words;
    std::vector<std::uint64_t>& select = *in.scratch_streams;
    select.assign(static_cast<std::size_t>(k) * W, 0);
    for (int b = 0; b < k; ++b)
      in.device->generate({0.5, in.n_bits, kSelectDeviceBase + static_cast<std::uint64_t>(b)},
                          std::span(select.data() + b * W, W), *in.rng);
    for (std::size_t t = 0; t < in.n_bits; ++t) {
      const std::size_t w = t >> 6, shift = t & 63u;
      std::size_t index = 0;
      for (int b = 0; b < k; ++b) index |= ((select[b * W + w] >> shift) & 1u) << b;
      const std::uint64_t bit = index < in.n_streams ? (in.products[index * W + w] >> shift) & 1u : (t & 1u);
      out[t] = 2 * static_cast<std::int32_t>(bit) - 1;
    }
    return static_cast<std::uint64_t>(k) * in.n_bits;
  }
  double expected_unit(std::span<const double> probs) const override {
    const double n_mux = static_cast<double>(1ull << select_bits(probs.size()));
    double sum = 0;
    for (double p : probs) sum += p;
    const double p_out = (sum + 0.5 * (n_mux - double(probs.size()))) / n_mux;
    return 2 * p_out - 1;
  }
  double energy_per_op_J() const override { return energy_J_; }
  double latency_cycles() const override { return cycles_; }

 private:
  double energy_J_, cycles_;
};

}  // namespace

SPINSC_PLUGIN(MuxAdder, "sc", "mux_adder", "1.0.0", "scaled MUX adder with device-driven select")
