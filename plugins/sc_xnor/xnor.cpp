// sc.xnor: the bipolar SC multiplier. Value x in [-1, 1] is a stream with P(1) = (x + 1) / 2; the
// XNOR of two independent streams has P(1) = pa pb + (1 - pa)(1 - pb), i.e. value x * y
// (Brown & Card 2001; arXiv 2504.06414 sec. II.A). The engine runs it fused with popcount.
//
// Example experiment block:
//   [sc]
//   multiplier = sc.xnor
//   [sc.xnor]
//   energy_per_op_J = 0.5e-15
#include "spinsc/plugin.hpp"
#include "spinsc/sc_units.hpp"

namespace {

class Xnor final : public spinsc::Multiplier {
 public:
  static void declare(spinsc::OptionsBuilder& add) {
    add("energy_per_op_J", spinsc::param<double>(0.0)->unit("J")->min(0.0),
        "energy of one XNOR evaluation (one bit); the papers give none, so the default charges nothing");
    add("latency_cycles", spinsc::param<double>(1.0)->unit("cycles")->min(0.0), "gate delay in clock cycles");
  }
  Xnor(const spinsc::Params& p, const spinsc::ComponentContext&)
      : energy_J_(p.get<double>("energy_per_op_J")), cycles_(p.get<double>("latency_cycles")) {}

  spinsc::GateKind gate() const override { return spinsc::GateKind::xnor; }
  std::uint64_t apply(std::uint64_t a, std::uint64_t b) const override { return ~(a ^ b); }
  double product_probability(double pa, double pb) const override { return pa * pb + (1 - pa) * (1 - pb); }
  double energy_per_op_J() const override { return energy_J_; }
  double latency_cycles() const override { return cycles_; }

 private:
  double energy_J_, cycles_;
};

}  // namespace

SPINSC_PLUGIN(Xnor, "sc", "xnor", "1.0.0", "bipolar SC multiplier (XNOR gate)")
