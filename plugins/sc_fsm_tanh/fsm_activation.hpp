#pragma once
// The FSM activation component, parameterized by the function it realizes (tanh or sigmoid).
// The FSM runs over the adder's per-clock integers; the fraction of ones in its output stream is
// the activation (sigmoid: P(1); tanh: 2 P(1) - 1), rounded to the output grid for the next layer.
#include "fsm_core.hpp"
#include "spinsc/params.hpp"
#include "spinsc/sc_units.hpp"

namespace spinsc::fsm {

class FsmActivation : public Activation {
 public:
  static void declare(OptionsBuilder& add) {
    add("mode", param("nstanh")->choices({"nstanh", "btanh", "stanh"}),
        "FSM design: nstanh (integer input, Ardakani), btanh (parallel-counter input, Kim), stanh (one stream, Brown & Card; needs sc.mux_adder)");
    add("states", param<int>(0)->min(0),
        "number of FSM states (even); 0 derives it from the network's gain, the fan-in and the adder");
    add("energy_per_op_J", param<double>(0.0)->unit("J")->min(0.0),
        "energy of one FSM step (one clock); the papers give none, so the default charges nothing");
    add("cycles_per_op", param<double>(1.0)->unit("cycles")->min(0.0), "busy cycles of one FSM step");
    add("latency_cycles", param<double>(1.0)->unit("cycles")->min(0.0),
        "cycles after the last stream clock until the output is ready (the FSM runs in step with the stream)");
  }
  FsmActivation(const Params& p, std::string function, std::string id)
      : function_(std::move(function)), id_(std::move(id)), design_(parse_design(p.get<std::string>("mode"))),
        fixed_states_(p.get<int>("states")), energy_J_(p.get<double>("energy_per_op_J")),
        cycles_per_op_(p.get<double>("cycles_per_op")), latency_cycles_(p.get<double>("latency_cycles")) {
    if (fixed_states_ % 2) throw ParamError(id_ + ".states must be even, got " + std::to_string(fixed_states_));
  }

  void setup(const ActivationSetup& s) override {
    if (s.function != function_)
      throw ParamError(id_ + " realizes " + function_ + " but the network's hidden activation is " + s.function);
    if (design_ == Design::stanh && s.clock.range != 1)
      throw ParamError(id_ + ".mode = stanh needs a single input stream per clock (adder sc.mux_adder)");
    grid_ = s.output_grid;
    gain_ = s.gain;
    clock_ = s.clock;
    // sigmoid(g s) = (1 + tanh(g s / 2)) / 2: the FSM realizes tanh(G s) with G = g / 2.
    const double G = function_ == "sigmoid" ? s.gain / 2 : s.gain;
    states_ = fixed_states_ ? fixed_states_ : states_for_gain(design_, G, s.clock.range, s.clock.sum_per_unit, s.fan_in);
  }
  bool needs_clocks() const override { return true; }
  int level_for_sum(double s) const override { return expected_level(s); }
  int level_for_clocks(std::span<const std::int32_t> units) const override {
    const double p_one = double(run_ones(units, states_)) / double(units.size());
    return grid_.level_of(function_ == "sigmoid" ? p_one : 2 * p_one - 1);
  }
  int expected_level(double s) const override {
    const double y = function_ == "sigmoid" ? 1 / (1 + std::exp(-gain_ * s)) : std::tanh(gain_ * s);
    return grid_.level_of(y);
  }
  std::uint64_t ops_per_activation(std::size_t n_bits) const override { return n_bits; }
  double energy_per_op_J() const override { return energy_J_; }
  double cycles_per_op() const override { return cycles_per_op_; }
  double latency_cycles() const override { return latency_cycles_; }
  int states() const { return states_; }

 private:
  std::string function_, id_;
  Design design_;
  int fixed_states_;
  double energy_J_, cycles_per_op_, latency_cycles_;
  LevelGrid grid_;
  double gain_ = 1;
  ClockStreamInfo clock_;
  int states_ = 2;
};

}  // namespace spinsc::fsm
