// sc.sigmoid32: the baseline the LUT replaces: the activation computed at 32-bit precision from
// the counter output, then quantized. Same outputs as sc.lut_sigmoid (both are level_of(f(s)));
// it differs in cost: 80 clock cycles, the paper's FPGA figure for a 32-bit sigmoid
// (arXiv 2504.06414 sec. IV), against 9 for the 11-state LUT.
//
// Example experiment block:
//   [sc]
//   activation = sc.sigmoid32
#include "spinsc/params.hpp"
#include "spinsc/plugin.hpp"
#include "spinsc/sc_units.hpp"

namespace {

class Sigmoid32 final : public spinsc::Activation {
 public:
  static void declare(spinsc::OptionsBuilder& add) {
    add("latency_cycles", spinsc::param<double>(80.0)->unit("cycles")->min(0.0),
        "cycles of one 32-bit sigmoid (80: FPGA figure of arXiv 2504.06414 sec. IV)");
    add("energy_per_op_J", spinsc::param<double>(0.0)->unit("J")->min(0.0),
        "energy of one evaluation; the papers give none, so the default charges nothing");
  }
  Sigmoid32(const spinsc::Params& p, const spinsc::ComponentContext&)
      : cycles_(p.get<double>("latency_cycles")), energy_J_(p.get<double>("energy_per_op_J")) {}

  void setup(const spinsc::ActivationSetup& s) override {
    if (!s.target) throw spinsc::ParamError("sc.sigmoid32: the engine gave no activation function");
    target_ = s.target;
    grid_ = s.output_grid;
    clock_ = s.clock;
  }
  bool needs_clocks() const override { return false; }
  int level_for_sum(double s) const override { return grid_.level_of(static_cast<float>(target_(s))); }
  int level_for_clocks(std::span<const std::int32_t> units) const override {
    long long total = 0;
    for (auto u : units) total += u;
    return level_for_sum(clock_.sum_per_unit * double(total) / double(units.size()));
  }
  int expected_level(double s) const override { return level_for_sum(s); }
  std::uint64_t ops_per_activation(std::size_t) const override { return 1; }
  double energy_per_op_J() const override { return energy_J_; }
  double cycles_per_op() const override { return cycles_; }
  double latency_cycles() const override { return cycles_; }

 private:
  double cycles_, energy_J_;
  std::function<double(double)> target_;
  spinsc::LevelGrid grid_;
  spinsc::ClockStreamInfo clock_;
};

}  // namespace

SPINSC_PLUGIN(Sigmoid32, "sc", "sigmoid32", "1.0.0", "32-bit sigmoid on the counter output (the LUT's baseline)")
