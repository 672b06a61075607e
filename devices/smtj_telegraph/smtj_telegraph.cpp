// device.smtj_telegraph: superparamagnetic MTJ as a two-state Néel–Arrhenius telegraph process,
// sampled at the clock (model and equations: telegraph_model.hpp; generators: telegraph_sampler.hpp;
// physics.md sections B and C).
//
// Control: the bias for a requested P(1) = P(AP) comes from the analytic inverse of the junction's
// sigmoid (the calibration of the nominal junction: the DAC level), at the operating temperature
// unless calibration_temperature_K says the levels were calibrated at another one (a what-if:
// a controller calibrated at 300 K driving a warmer junction delivers the wrong P(1)).
// The bias is limited to [-max_bias_V, max_bias_V]: a level outside the reachable range is
// delivered at the end of the range (e.g. P(AP) = 1.8 % instead of 0 at +1 V with the defaults).
// Default calibration reproduces Shao et al. 2021: P(AP) = 98.2 % at -1 V, 1.8 % at +1 V, dwell
// times tau0 e^Delta = 20 ns at 0 V (tau_c = 10 ns).
// Device-to-device variation (delta_spread, tau0_spread, v50_spread_V) is drawn per device_index
// from the experiment seed: the controller still uses the nominal calibration, so variation shows
// up as an error in P(1).
//
// Junction state between calls: by default every stream starts from the stationary state at its
// bias (the bias is held for >> tau_c before sampling), so streams are independent and results do
// not depend on call order. With carry_state = true the junction's last state is kept per
// device_index and the next stream starts one clock period later: consecutive streams of one
// device are then correlated as in hardware, but results depend on the order of calls (use one
// thread per device_index).
//
// Energy per bit (physics.md C): E = V^2 T (pi_P / R_P + pi_AP / R_AP) + E_SA with V the drive
// voltage (the papers' ~1 V), T the clock period; 20 fJ at P(AP) = 0.5 with the defaults.
//
// Example experiment block:
//   [device]
//   plugin = device.smtj_telegraph
//   [device.smtj_telegraph]
//   clock_period_s = 20e-9
//   sampling = markov
//   temperature_K = 320
//   delta_spread = 0.05
#include <fmt/format.h>

#include <array>
#include <map>
#include <mutex>

#include "spinsc/bit_source.hpp"
#include "spinsc/plugin.hpp"
#include "telegraph_sampler.hpp"

namespace {

using namespace spinsc::telegraph;

class SmtjTelegraph final : public spinsc::BitSource {
 public:
  static void declare(spinsc::OptionsBuilder& add) {
    add("model", spinsc::param("arrhenius")->choices({"arrhenius", "voltage"}),
        "arrhenius: tau = tau0 exp[Delta(1 -/+ (V-V50)/V_c)^n]; voltage: P_AP = 1/(1+exp((V-V50)/V0)) with a correlation time");
    add("tau0_s", spinsc::param<double>(1e-9)->unit("s")->above(0.0), "attempt time tau0 (arrhenius)");
    add("delta", spinsc::param<double>(3.0)->above(0.0), "energy barrier Delta = E_b/(k_B T) at 300 K (arrhenius)");
    add("exponent", spinsc::param<int>(1)->range(1, 2), "n in Delta(1 -/+ v)^n: 1 (phenomenological) or 2 (perpendicular macrospin)");
    add("critical_voltage_V", spinsc::param<double>(1.5)->unit("V")->above(0.0), "V_c: bias at which the barrier vanishes (arrhenius)");
    add("v50_V", spinsc::param<double>(0.0)->unit("V"), "bias of P(AP) = 0.5");
    add("v0_V", spinsc::param<double>(0.25)->unit("V")->above(0.0), "logit width V0 at 300 K (voltage)");
    add("correlation_time_s", spinsc::param<double>(10e-9)->unit("s")->above(0.0), "correlation time tau_c (voltage)");
    add("temperature_K", spinsc::param<double>(300.0)->unit("K")->above(0.0), "temperature: Delta = delta * 300 K / T");
    add("calibration_temperature_K", spinsc::param<double>(0.0)->unit("K")->min(0.0),
        "temperature at which the bias levels were calibrated; 0 = the operating temperature (recalibrated)");
    add("delta_spread", spinsc::param<double>(0.0)->range(0.0, 1.0), "relative device-to-device spread of Delta (normal)");
    add("tau0_spread", spinsc::param<double>(0.0)->range(0.0, 3.0), "relative device-to-device spread of tau0 (log-normal sigma)");
    add("v50_spread_V", spinsc::param<double>(0.0)->unit("V")->min(0.0), "device-to-device spread of V50 (normal, absolute)");
    add("clock_period_s", spinsc::param<double>(10e-9)->unit("s")->above(0.0), "sampling clock period T (time per bit)");
    add("max_bias_V", spinsc::param<double>(1.0)->unit("V")->above(0.0), "bias range of the DAC: |V| <= max_bias_V");
    add("sampling", spinsc::param("markov")->choices({"markov", "event"}),
        "markov: exact per-sample chain (geometric runs, or 8-sample alias tables when runs are short); event: exponential dwells in continuous time (counts every switch)");
    add("carry_state", spinsc::param<bool>(false), "keep the junction state per device_index between streams (call-order dependent)");
    add("drive_voltage_V", spinsc::param<double>(1.0)->unit("V")->min(0.0), "voltage across the junction for the energy estimate");
    add("r_p_ohm", spinsc::param<double>(375e3)->unit("Ohm")->above(0.0), "resistance in P");
    add("r_ap_ohm", spinsc::param<double>(750e3)->unit("Ohm")->above(0.0), "resistance in AP (TMR 100 %)");
    add("sense_energy_J", spinsc::param<double>(0.0)->unit("J")->min(0.0), "sense amplifier energy per bit E_SA");
  }

  SmtjTelegraph(const spinsc::Params& params, const spinsc::ComponentContext& context)
      : settings_(read_settings(params)),
        nominal_(settings_),
        calibration_(calibration_settings(settings_, params.get<double>("calibration_temperature_K"))),
        variation_(context.seed, "device.smtj_telegraph/variation", 0, context.instance),
        clock_period_s_(params.get<double>("clock_period_s")),
        max_bias_V_(params.get<double>("max_bias_V")),
        event_sampling_(params.get<std::string>("sampling") == "event"),
        carry_state_(params.get<bool>("carry_state")),
        drive_voltage_V_(params.get<double>("drive_voltage_V")),
        r_p_ohm_(params.get<double>("r_p_ohm")),
        r_ap_ohm_(params.get<double>("r_ap_ohm")),
        sense_energy_J_(params.get<double>("sense_energy_J")) {}

  std::uint64_t generate(const spinsc::StreamRequest& request, std::span<std::uint64_t> words,
                         spinsc::RandomStream& rng) override {
    if (request.n_bits == 0) return 0;
    const Junction junction(settings_, variation_, request.device_index);
    const DwellTimes dwell = junction.dwell_times(control_for(request.probability));
    const SampledChain chain = SampledChain::of(dwell, clock_period_s_);
    const bool initial_ap = initial_state(request.device_index, chain, rng);
    const StreamResult result = event_sampling_
        ? events(dwell, clock_period_s_, initial_ap, request.n_bits, words, rng)
        : markov_stream(chain, initial_ap, request.n_bits, words, rng, !settings_.has_variation());
    if (carry_state_) {
      std::lock_guard lock(state_mutex_);
      last_state_ap_[request.device_index] = result.final_ap;
    }
    return result.switching_events;
  }

  // Many streams: without device-to-device variation, event sampling or a carried state, a stream's
  // chain depends on its level only, so the junction, its dwell times, the chain and the chunk
  // table are worked out once per level and call instead of once per stream; each stream then
  // draws exactly what generate() draws (its initial state, then its generator's numbers).
  void generate_streams(const spinsc::StreamBatch& batch, std::uint64_t* out, std::size_t stride_words,
                        spinsc::RandomStream& rng) override {
    const std::size_t n_levels = batch.level_probabilities.size();
    if (event_sampling_ || carry_state_ || settings_.has_variation() || batch.n_bits == 0 ||
        n_levels > ChunkTableCache::kSlots) {
      BitSource::generate_streams(batch, out, stride_words, rng);
      return;
    }
    struct LevelSetUp {
      SampledChain chain;
      StreamGenerator generator;
      const ChunkTable* table;  // chunks: this thread's cached table (at most kSlots levels: none evicted here)
    };
    std::array<LevelSetUp, ChunkTableCache::kSlots> levels;
    for (std::size_t k = 0; k < n_levels; ++k) {
      const DwellTimes dwell = nominal_.dwell_times(control_for(batch.level_probabilities[k]));
      const SampledChain chain = SampledChain::of(dwell, clock_period_s_);
      const StreamGenerator generator = markov_generator(chain, batch.n_bits, true);
      levels[k] = {chain, generator,
                   generator == StreamGenerator::chunks ? &ChunkTableCache::for_this_thread().find(chain) : nullptr};
    }
    for (std::size_t j = 0; j < batch.n_streams; ++j) {
      const LevelSetUp& level = levels[batch.levels[j]];
      const std::span<std::uint64_t> words(out + j * stride_words, stride_words);
      const bool initial_ap = rng.uniform() < level.chain.p_ap;  // initial_state() without a carried state
      switch (level.generator) {
        case StreamGenerator::runs: markov_runs(level.chain, initial_ap, batch.n_bits, words, rng); break;
        case StreamGenerator::chunks: markov_chunks(*level.table, initial_ap, batch.n_bits, words, rng); break;
        case StreamGenerator::words: markov_words(level.chain, initial_ap, batch.n_bits, words, rng); break;
      }
    }
  }

  // P(1) actually delivered by the nominal junction at the bias chosen for p.
  double delivered_probability(double p) const { return nominal_.p_ap(control_for(p)); }

  double energy_per_bit_J(double probability) const override {
    const double pi_ap = delivered_probability(probability);
    return drive_voltage_V_ * drive_voltage_V_ * clock_period_s_ * ((1.0 - pi_ap) / r_p_ohm_ + pi_ap / r_ap_ohm_) +
           sense_energy_J_;
  }
  double time_per_bit_s(double) const override { return clock_period_s_; }
  double control_for(double probability) const override {
    if (!(probability > 0.0)) return max_bias_V_;   // P(AP) -> 0: most positive bias
    if (!(probability < 1.0)) return -max_bias_V_;
    return std::clamp(calibration_.bias_for(probability), -max_bias_V_, max_bias_V_);
  }
  std::string control_unit() const override { return "V"; }

 private:
  static TelegraphSettings read_settings(const spinsc::Params& params) {
    TelegraphSettings s;
    s.model = params.get<std::string>("model") == "voltage" ? Model::voltage : Model::arrhenius;
    s.tau0_s = params.get<double>("tau0_s");
    s.delta_300K = params.get<double>("delta");
    s.exponent = params.get<int>("exponent");
    s.critical_voltage_V = params.get<double>("critical_voltage_V");
    s.v50_V = params.get<double>("v50_V");
    s.v0_300K_V = params.get<double>("v0_V");
    s.correlation_time_s = params.get<double>("correlation_time_s");
    s.temperature_K = params.get<double>("temperature_K");
    s.delta_spread = params.get<double>("delta_spread");
    s.tau0_spread = params.get<double>("tau0_spread");
    s.v50_spread_V = params.get<double>("v50_spread_V");
    const double barrier = s.delta_300K * 300.0 / s.temperature_K;
    if (s.model == Model::arrhenius && barrier * std::pow(2.0, s.exponent) > 700.0)
      throw spinsc::ParamError(fmt::format(
          "'device.smtj_telegraph.delta' = {} at temperature_K = {}: dwell times tau0 exp(Delta 2^n) overflow; "
          "this model is for superparamagnetic junctions (Delta <~ 100)", s.delta_300K, s.temperature_K));
    return s;
  }

  static TelegraphSettings calibration_settings(TelegraphSettings s, double calibration_temperature_K) {
    if (calibration_temperature_K > 0) s.temperature_K = calibration_temperature_K;
    return s;
  }

  bool initial_state(std::uint64_t device_index, const SampledChain& chain, spinsc::RandomStream& rng) {
    if (carry_state_) {
      std::lock_guard lock(state_mutex_);
      auto it = last_state_ap_.find(device_index);
      if (it != last_state_ap_.end()) {
        // One clock period after the previous stream's last sample, under the new bias.
        const double p_ap_next = it->second ? 1.0 - chain.leave_ap : chain.leave_p;
        return rng.uniform() < p_ap_next;
      }
    }
    return rng.uniform() < chain.p_ap;  // stationary at this bias
  }

  TelegraphSettings settings_;
  Junction nominal_;      // the nominal junction at the operating temperature
  Junction calibration_;  // what the controller believes: nominal junction at the calibration temperature
  spinsc::RandomStream variation_;
  double clock_period_s_;
  double max_bias_V_;
  bool event_sampling_;
  bool carry_state_;
  double drive_voltage_V_;
  double r_p_ohm_;
  double r_ap_ohm_;
  double sense_energy_J_;
  std::mutex state_mutex_;
  std::map<std::uint64_t, bool> last_state_ap_;
};

}  // namespace

SPINSC_PLUGIN(SmtjTelegraph, "device", "smtj_telegraph", "1.0.0",
              "superparamagnetic MTJ, Neel-Arrhenius telegraph model sampled at the clock (Markov or event-driven)")
