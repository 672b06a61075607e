// sc.and: the unipolar SC multiplier. P(1) of the AND of independent streams is pa * pb.
// Signed values use sign-magnitude coding: a stream carries |v| (P(1) = |v|) and the sign of each
// product routes its count to a + or - counter. With [sc] encoding = unipolar_ei the engine uses
// it for the separate excitatory and inhibitory paths of Daniels et al. (PR Applied 13, 034016,
// 2020): two streams a weight, P(1) = max(w, 0) and max(-w, 0). Works with sc.parallel_counter.
//
// Example experiment block:
//   [sc]
//   multiplier = sc.and
//   encoding = unipolar_ei     # optional: excitatory / inhibitory streams
#include "spinsc/plugin.hpp"
#include "spinsc/sc_units.hpp"

namespace {

class And final : public spinsc::Multiplier {
 public:
  static void declare(spinsc::OptionsBuilder& add) {
    add("energy_per_op_J", spinsc::param<double>(0.0)->unit("J")->min(0.0),
        "energy of one AND evaluation (one bit); the papers give none, so the default charges nothing");
    add("latency_cycles", spinsc::param<double>(1.0)->unit("cycles")->min(0.0), "gate delay in clock cycles");
  }
  And(const spinsc::Params& p, const spinsc::ComponentContext&)
      : energy_J_(p.get<double>("energy_per_op_J")), cycles_(p.get<double>("latency_cycles")) {}

  spinsc::GateKind gate() const override { return spinsc::GateKind::and_gate; }
  std::uint64_t apply(std::uint64_t a, std::uint64_t b) const override { return a & b; }
  double product_probability(double pa, double pb) const override { return pa * pb; }
  double energy_per_op_J() const override { return energy_J_; }
  double latency_cycles() const override { return cycles_; }

 private:
  double energy_J_, cycles_;
};

}  // namespace

SPINSC_PLUGIN(And, "sc", "and", "1.0.0", "unipolar SC multiplier (AND gate, sign-magnitude coding)")
