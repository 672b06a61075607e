// device.smtj_llg: a superparamagnetic MTJ simulated as a macrospin by the stochastic
// Landau–Lifshitz–Gilbert equation with Slonczewski spin-transfer torque (macrospin_model.hpp),
// integrated by a fixed-step stochastic Heun (Stratonovich) stepper for Boost.Odeint
// (heun_stepper.hpp), read out through its resistance by a Schmitt trigger once per clock period.
//
// The bias (voltage or current) sets P(1) = P(antiparallel); the bias for a requested P(1) comes
// from a calibration curve simulated on a bias grid and cached in HDF5 (calibration.hpp,
// calibration_cache.hpp). Energy per bit: V^2 T_clock (pi_P/R_P + pi_AP/R_AP(V)) + E_read.
// Device-to-device variation: Delta of device `device_index` is Delta exp(delta_spread z), z a
// standard normal drawn from the experiment seed. Reference: docs/smtj_llg.md, physics.md A, C, E.
//
// Example experiment block:
//   [device]
//   plugin = device.smtj_llg
//   [device.smtj_llg]
//   temperature_K = 300
//   damping = 0.1
//   delta_spread = 0.1
//   clock_period_s = 10e-9
#include <algorithm>
#include <cmath>
#include <cstring>

#include "calibration_cache.hpp"
#include "clocked_readout.hpp"
#include "delta_variation.hpp"
#include "device_physics.hpp"
#include "spinsc/bit_source.hpp"
#include "spinsc/plugin.hpp"

namespace {

using namespace spinsc::smtj_llg;

class SmtjLlg final : public spinsc::BitSource {
 public:
  static void declare(spinsc::OptionsBuilder& add) { declare_device_parameters(add); }

  SmtjLlg(const spinsc::Params& params, const spinsc::ComponentContext& context)
      : physics_(DevicePhysics::from_params(params)),
        settings_(CalibrationSettings::from_params(params, physics_.bias_mode)),
        segment_bits_(static_cast<std::size_t>(params.get<int>("stream_segment_bits"))),
        burn_in_clocks_(static_cast<std::size_t>(params.get<int>("stream_burn_in_clocks"))),
        context_(context),
        calibration_(obtain_calibration(physics_, settings_)) {}

  std::uint64_t generate(const spinsc::StreamRequest& request, std::span<std::uint64_t> words,
                         spinsc::RandomStream& rng) override {
    const std::size_t n_words = spinsc::words_for_bits(request.n_bits);
    std::fill(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(n_words), 0ull);
    if (request.n_bits == 0) return 0;
    const double bias = control_for(request.probability);
    const double p_start = calibration_.curve.p_one_at(bias);
    const JunctionCoefficients junction = physics_.junction_at(bias, delta_factor(request.device_index));

    // The stream is cut into segments, each made by its own copy of the junction; all copies
    // are integrated together (vectorized). Each starts in the state it occupies with the
    // calibrated probability and runs stream_burn_in_clocks before its first bit.
    const std::size_t segment = segment_bits_ == 0 ? request.n_bits : std::min(segment_bits_, request.n_bits);
    const std::size_t n_segments = (request.n_bits + segment - 1) / segment;
    // Consume from the caller's stream, so that repeated calls and different substreams differ.
    const std::uint64_t nonce = rng.next_u64();
    const spinsc::RandomStream thermal(nonce, "device.smtj_llg.thermal");
    std::vector<spinsc::RandomStream> streams;
    std::vector<std::uint8_t> start(n_segments);
    for (std::size_t g = 0; g < n_segments; ++g) {
      streams.push_back(thermal.substream(g));
      start[g] = rng.uniform() < p_start ? 1 : 0;
    }
    const ClockedReadoutResult result =
        run_clocked_readout(physics_, bias, std::vector<JunctionCoefficients>(n_segments, junction), std::move(streams),
                            start, burn_in_clocks_, segment);
    std::uint64_t switches = 0;
    for (std::size_t g = 0; g < n_segments; ++g) {
      switches += result.switches[g];
      for (std::size_t t = 0; t < segment; ++t) {
        const std::size_t bit = g * segment + t;
        if (bit >= request.n_bits) break;
        const std::uint64_t value = (result.words[g * result.words_per_junction + t / 64] >> (t % 64)) & 1u;
        words[bit / 64] |= value << (bit % 64);
      }
    }
    return switches;
  }

  double energy_per_bit_J(double probability) const override {
    const double bias = control_for(probability);
    return physics_.energy_per_bit_J(bias, calibration_.curve.p_one_at(bias));
  }
  double time_per_bit_s(double) const override {
    return static_cast<double>(steps_per_clock(physics_)) * physics_.time_step_s;
  }
  double control_for(double probability) const override {
    return calibration_.curve.bias_for(std::clamp(probability, 0.0, 1.0));
  }
  std::string control_unit() const override { return physics_.bias_unit(); }

 private:
  // Delta of device `index` relative to the nominal one (delta_variation.hpp).
  double delta_factor(std::uint64_t device_index) const {
    return spinsc::smtj_llg::delta_factor(physics_.delta_spread, context_, "device.smtj_llg.variation", device_index);
  }

  DevicePhysics physics_;
  CalibrationSettings settings_;
  std::size_t segment_bits_, burn_in_clocks_;
  spinsc::ComponentContext context_;
  CalibrationSource calibration_;
};

}  // namespace

SPINSC_PLUGIN(SmtjLlg, "device", "smtj_llg", "1.0.0",
              "s-MTJ: macrospin stochastic LLG with spin-transfer torque, Heun/Odeint, calibrated bias, HDF5 cache")
