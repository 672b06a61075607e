// device.mtj_sng: precessional-regime MTJ stochastic number generator of Mondal & Srivastava,
// normal and biased (BMS) modes. Model, equations and energy/time per bit: precessional_sng.hpp.
// Every bit is an independent reset-write-read cycle, so bits are i.i.d. with P(1) = 1 - x
// (normal) or the BMS mux output; the write pulse width for a requested p is the control value.
// Device-to-device variation: Delta and I/I_c0 of each junction (device_index) spread around the
// nominal values, drawn from the experiment seed; the controller sets pulse widths from the
// nominal calibration, so variation shows up as an error in P(1). Temperature: Delta(T) =
// Delta_300K * 300 K / T. Switching events reported: write switches plus their resets.
//
// Example experiment block:
//   [device]
//   plugin = device.mtj_sng
//   [device.mtj_sng]
//   mode = bms
//   schedule = fixed
//   energy_pricing = per_stream   ; or per_generator (Table I's average power per generator)
#include <fmt/format.h>

#include "../common/packed_bits.hpp"
#include "precessional_sng.hpp"
#include "spinsc/bit_source.hpp"
#include "spinsc/plugin.hpp"

namespace {

using namespace spinsc::mtj_sng;

class MtjSng final : public spinsc::BitSource {
 public:
  static void declare(spinsc::OptionsBuilder& add) {
    add("mode", spinsc::param("normal")->choices({"normal", "bms"}),
        "normal: switch AP->P with probability 1-p; bms: with min(p, 1-p), output inverted for p < 1/2");
    add("delta", spinsc::param<double>(47.5)->above(0.0), "thermal stability factor Delta at 300 K (paper: 47.5)");
    add("damping", spinsc::param<double>(6.82e-3)->above(0.0), "Gilbert damping alpha (paper: 6.82e-3)");
    add("mu0_field_T", spinsc::param<double>(0.8)->unit("T")->above(0.0),
        "mu0 H in the damping time tau_D (in-plane free layer: about mu0 (H_K + Ms/2))");
    add("current_ratio", spinsc::param<double>(2.7866)->above(1.0),
        "write current over critical current I/I_c0 (fitted: 3.40 ns for 99.9 %, 1.49 ns for 50 %)");
    add("temperature_K", spinsc::param<double>(300.0)->unit("K")->above(0.0), "temperature: Delta = delta * 300 K / T");
    add("delta_spread", spinsc::param<double>(0.0)->range(0.0, 1.0), "relative device-to-device spread of Delta (normal)");
    add("current_ratio_spread", spinsc::param<double>(0.0)->range(0.0, 1.0),
        "relative device-to-device spread of I/I_c0 - 1 (normal)");
    add("max_switching_probability", spinsc::param<double>(0.999)->range(0.5, 1.0 - 1e-12),
        "largest write switching probability (normal mode; paper: 99.9 %)");
    add("write_voltage_V", spinsc::param<double>(1.2)->unit("V")->above(0.0), "write pulse voltage (paper: 1.2 V)");
    add("r_p_ohm", spinsc::param<double>(2024.0)->unit("Ohm")->above(0.0), "effective write-path resistance in P (fit to Table I)");
    add("r_ap_ohm", spinsc::param<double>(9255.0)->unit("Ohm")->above(0.0), "effective write-path resistance in AP (fit to Table I)");
    add("reset_time_s", spinsc::param<double>(4.33e-9)->unit("s")->min(0.0), "reset pulse P->AP (paper: 4.33 ns)");
    add("reset_energy_J", spinsc::param<double>(0.46e-12)->unit("J")->min(0.0), "reset energy P->AP at 99.9 % (paper: 0.46 pJ)");
    add("read_voltage_V", spinsc::param<double>(0.1)->unit("V")->min(0.0), "read bias magnitude (paper: -0.1 V)");
    add("read_time_s", spinsc::param<double>(2e-9)->unit("s")->min(0.0), "read time (paper: 2 ns)");
    add("mux_energy_J", spinsc::param<double>(0.0)->unit("J")->min(0.0), "BMS inverter and mux energy per bit");
    add("schedule", spinsc::param("fixed")->choices({"fixed", "adaptive"}),
        "fixed: every bit takes reset + longest write + read (Table I); adaptive: expected time at p");
    add("pulse_resolution_s", spinsc::param<double>(0.0)->unit("s")->min(0.0),
        "pulse-width resolution of the driver (0 = continuous)");
    add("energy_pricing", spinsc::param("per_stream")->choices({"per_stream", "per_generator"}),
        "per_stream: each bit at the energy of its stream's level (the device model); per_generator: each bit "
        "at the generator's average power x time per bit, whatever the level (the paper's network tables)");
    add("generator_power_normal_W", spinsc::param<double>(80e-6)->unit("W")->above(0.0),
        "per_generator pricing: average power of a normal generator (Table I: 80 uW)");
    add("generator_power_bms_W", spinsc::param<double>(62e-6)->unit("W")->above(0.0),
        "per_generator pricing: average power of a BMS generator (Table I: 62 uW)");
    add("constant_stream_switching_probability", spinsc::param<double>(0.0)->range(0.0, 0.5),
        "a stream that needs no write pulse (P(1) = 1; BMS also 0) costs only its read; > 0: price it as a "
        "write of this switching probability (a circuit that clocks the generator anyway; 1/254 = the level "
        "next to +-1 on a 255-level grid); its bits stay constant");
  }

  MtjSng(const spinsc::Params& params, const spinsc::ComponentContext& context)
      : variation_(context.seed, "device.mtj_sng/variation", 0, context.instance) {
    nominal_.delta = params.get<double>("delta") * 300.0 / params.get<double>("temperature_K");
    nominal_.damping = params.get<double>("damping");
    nominal_.mu0_field_T = params.get<double>("mu0_field_T");
    nominal_.current_ratio = params.get<double>("current_ratio");
    delta_spread_ = params.get<double>("delta_spread");
    current_ratio_spread_ = params.get<double>("current_ratio_spread");
    circuit_.biased = params.get<std::string>("mode") == "bms";
    circuit_.max_switching_probability = params.get<double>("max_switching_probability");
    circuit_.write_voltage_V = params.get<double>("write_voltage_V");
    circuit_.r_p_ohm = params.get<double>("r_p_ohm");
    circuit_.r_ap_ohm = params.get<double>("r_ap_ohm");
    circuit_.reset_time_s = params.get<double>("reset_time_s");
    circuit_.reset_energy_J = params.get<double>("reset_energy_J");
    circuit_.read_voltage_V = params.get<double>("read_voltage_V");
    circuit_.read_time_s = params.get<double>("read_time_s");
    circuit_.mux_energy_J = params.get<double>("mux_energy_J");
    circuit_.adaptive_schedule = params.get<std::string>("schedule") == "adaptive";
    circuit_.pulse_resolution_s = params.get<double>("pulse_resolution_s");
    circuit_.constant_stream_switching_probability = params.get<double>("constant_stream_switching_probability");
    circuit_.per_generator_pricing = params.get<std::string>("energy_pricing") == "per_generator";
    circuit_.generator_power_W = params.get<double>(circuit_.biased ? "generator_power_bms_W" : "generator_power_normal_W");
  }

  std::uint64_t generate(const spinsc::StreamRequest& request, std::span<std::uint64_t> words,
                         spinsc::RandomStream& rng) override {
    const WriteTarget target = write_target(circuit_, request.probability);
    const double pulse = control_for(request.probability);
    const double x = junction(request.device_index).switching_probability(pulse);
    // Bit = 1 when the junction stays AP (not switched), inverted by the BMS mux.
    const double p_one = target.inverted ? x : 1 - x;
    const std::uint64_t fixed = spinsc::device_bits::probability_to_fixed32(p_one);
    const std::size_t n_words = spinsc::words_for_bits(request.n_bits);
    for (std::size_t i = 0; i < n_words; ++i) words[i] = spinsc::device_bits::bernoulli_word_lazy(fixed, rng);
    spinsc::device_bits::clear_padding(words, request.n_bits);
    const std::uint64_t ones = spinsc::device_bits::count_ones(words, request.n_bits);
    const std::uint64_t switched = target.inverted ? ones : request.n_bits - ones;
    return 2 * switched;  // each switched write is followed by a reset
  }

  double energy_per_bit_J(double probability) const override {
    return spinsc::mtj_sng::energy_per_bit_J(nominal_, circuit_, probability);
  }
  double time_per_bit_s(double probability) const override {
    return spinsc::mtj_sng::time_per_bit_s(nominal_, circuit_, probability);
  }
  // Write pulse width (s) for P(1) = p from the nominal calibration.
  double control_for(double probability) const override {
    return quantize_pulse(circuit_, nominal_.pulse_for(write_target(circuit_, probability).x));
  }
  std::string control_unit() const override { return "s"; }

 private:
  SwitchingModel junction(std::uint64_t device_index) const {
    if (delta_spread_ == 0 && current_ratio_spread_ == 0) return nominal_;
    spinsc::RandomStream draw = variation_.substream(device_index);
    SwitchingModel m = nominal_;
    m.delta *= std::max(0.1, 1 + delta_spread_ * draw.normal());
    m.current_ratio = 1 + (nominal_.current_ratio - 1) * std::max(0.1, 1 + current_ratio_spread_ * draw.normal());
    return m;
  }

  SwitchingModel nominal_;
  SngCircuit circuit_;
  double delta_spread_ = 0, current_ratio_spread_ = 0;
  spinsc::RandomStream variation_;
};

}  // namespace

SPINSC_PLUGIN(MtjSng, "device", "mtj_sng", "1.0.0",
              "precessional MTJ stochastic number generator of Mondal & Srivastava (normal and biased BMS)")
