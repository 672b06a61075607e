// sc.lut_sigmoid: the look-up-table activation of arXiv 2504.06414 (sec. III, Fig. 4). With
// quantized outputs, sigmoid(g s) rounded to the Q-state grid takes only 3 (Q = 5) or 6 (Q = 11)
// values, so the activation is a table from the accumulated sum to those states: a handful of
// comparators on the counter output. Here the table is built from the network's own activation
// and quantizer: for each output level k the threshold t_k = min{ s : level(f(s)) >= k } is found
// by bisection to adjacent doubles, so level_for_sum(s) equals level_of(f(s)) exactly for any s
// (f monotone non-decreasing). Latency 9 cycles: the paper's FPGA figure for the 11-state LUT
// (against 80 cycles for a 32-bit sigmoid, see sc.sigmoid32).
//
// Example experiment block:
//   [sc]
//   activation = sc.lut_sigmoid
//   [sc.lut_sigmoid]
//   latency_cycles = 9
#include <algorithm>
#include <cmath>
#include <limits>

#include "spinsc/params.hpp"
#include "spinsc/plugin.hpp"
#include "spinsc/sc_units.hpp"

namespace {

class LutSigmoid final : public spinsc::Activation {
 public:
  static void declare(spinsc::OptionsBuilder& add) {
    add("latency_cycles", spinsc::param<double>(9.0)->unit("cycles")->min(0.0),
        "cycles of one look-up (9: 11-state LUT on FPGA, arXiv 2504.06414 sec. IV)");
    add("energy_per_op_J", spinsc::param<double>(0.0)->unit("J")->min(0.0),
        "energy of one look-up; the papers give none, so the default charges nothing");
  }
  LutSigmoid(const spinsc::Params& p, const spinsc::ComponentContext&)
      : cycles_(p.get<double>("latency_cycles")), energy_J_(p.get<double>("energy_per_op_J")) {}

  void setup(const spinsc::ActivationSetup& s) override {
    if (!s.target) throw spinsc::ParamError("sc.lut_sigmoid: the engine gave no activation function");
    grid_ = s.output_grid;
    clock_ = s.clock;
    const auto level = [&](double x) { return grid_.level_of(s.target(x)); };
    // Sums lie within +-fan_in * sum_per_unit; search a little wider.
    const double bound = 2.0 * (double(s.fan_in) + 1.0) * std::max(1.0, s.clock.sum_per_unit);
    base_level_ = level(-bound);
    thresholds_.clear();
    for (int k = base_level_ + 1; k < grid_.states; ++k) {
      if (level(bound) < k) break;  // never reached
      double lo = -bound, hi = bound;  // level(lo) < k <= level(hi)
      while (true) {
        const double mid = lo + (hi - lo) / 2;
        if (mid <= lo || mid >= hi) break;
        (level(mid) >= k ? hi : lo) = mid;
      }
      thresholds_.push_back(hi);
    }
  }
  bool needs_clocks() const override { return false; }
  int level_for_sum(double s) const override {
    return base_level_ + static_cast<int>(std::upper_bound(thresholds_.begin(), thresholds_.end(), s) - thresholds_.begin());
  }
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
  spinsc::LevelGrid grid_;
  spinsc::ClockStreamInfo clock_;
  int base_level_ = 0;
  std::vector<double> thresholds_;  // ascending: s >= thresholds_[i] means level >= base + i + 1
};

}  // namespace

SPINSC_PLUGIN(LutSigmoid, "sc", "lut_sigmoid", "1.0.0", "sigmoid by look-up table on the quantized output states")
