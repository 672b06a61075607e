#pragma once
// Néel–Arrhenius two-state model of a superparamagnetic MTJ (physics.md section B), header only,
// shared by device.smtj_telegraph, its tests and its benchmark.
//
// States: P (parallel, low resistance, bit 0) and AP (antiparallel, high resistance, bit 1).
// Sign convention (Shao et al. 2021): positive bias favours P, so P(AP) falls from > 95 % at
// -1 V to < 5 % at +1 V.
//
// model = arrhenius: u = (V - V50) / V_c, clamped to [-1, 1],
//     tau_AP(V) = tau0 exp[Delta (1 - u)^n],   tau_P(V) = tau0 exp[Delta (1 + u)^n],   n = 1 or 2
//     P_AP = tau_AP / (tau_AP + tau_P) = 1 / (1 + exp(2 n Delta u))      (exact for n = 1, 2)
// model = voltage: P_AP(V) = 1 / (1 + exp((V - V50) / V0)), correlation time tau_c given:
//     tau_AP = tau_c / (1 - P_AP),  tau_P = tau_c / P_AP
// Correlation time tau_c = (1/tau_P + 1/tau_AP)^-1.
// Temperature: Delta(T) = Delta_300K * 300 / T; in the voltage form V0(T) = V0_300K * T / 300
// (V0 is the logit width, proportional to 1/Delta).
// Device-to-device variation, per junction: Delta_i = Delta (1 + s_Delta z1) (floored at 0.1 Delta),
// tau0_i = tau0 exp(s_tau0 z2) (log-normal, relative spread s_tau0), V50_i = V50 + s_V50 z3;
// in the voltage form V0_i = V0 Delta / Delta_i and tau_c,i = tau_c tau0_i / tau0.
#include <algorithm>
#include <cmath>
#include <string>

#include "spinsc/random.hpp"

namespace spinsc::telegraph {

enum class Model { arrhenius, voltage };

struct TelegraphSettings {
  Model model = Model::arrhenius;
  double tau0_s = 1e-9;
  double delta_300K = 3.0;
  int exponent = 1;
  double critical_voltage_V = 1.5;
  double v50_V = 0.0;
  double v0_300K_V = 0.25;
  double correlation_time_s = 10e-9;
  double temperature_K = 300.0;
  double delta_spread = 0.0;
  double tau0_spread = 0.0;
  double v50_spread_V = 0.0;
  // Device-to-device variation: every junction has its own chain (else all share a few).
  bool has_variation() const { return delta_spread != 0 || tau0_spread != 0 || v50_spread_V != 0; }
};

struct DwellTimes {
  double tau_p_s;
  double tau_ap_s;
  double p_ap() const { return tau_ap_s / (tau_ap_s + tau_p_s); }
  double correlation_time_s() const { return tau_ap_s * tau_p_s / (tau_ap_s + tau_p_s); }
};

// One junction at its temperature, variation applied.
class Junction {
 public:
  // The nominal junction (no variation).
  explicit Junction(const TelegraphSettings& s)
      : model_(s.model), exponent_(s.exponent), critical_voltage_V_(s.critical_voltage_V),
        delta_(s.delta_300K * 300.0 / s.temperature_K), tau0_s_(s.tau0_s), v50_V_(s.v50_V),
        v0_V_(s.v0_300K_V * s.temperature_K / 300.0), correlation_time_s_(s.correlation_time_s) {}

  // Junction number `device_index` of a set whose variation is drawn from `variation` (a stream
  // keyed by seed and component instance): the same index always gives the same junction.
  Junction(const TelegraphSettings& s, const RandomStream& variation, std::uint64_t device_index) : Junction(s) {
    if (!s.has_variation()) return;
    RandomStream draw = variation.substream(device_index);
    const double z_delta = draw.normal(), z_tau0 = draw.normal(), z_v50 = draw.normal();
    const double delta_factor = std::max(0.1, 1.0 + s.delta_spread * z_delta);
    const double tau0_factor = std::exp(s.tau0_spread * z_tau0);
    delta_ *= delta_factor;
    v0_V_ /= delta_factor;
    tau0_s_ *= tau0_factor;
    correlation_time_s_ *= tau0_factor;
    v50_V_ += s.v50_spread_V * z_v50;
  }

  DwellTimes dwell_times(double bias_V) const {
    if (model_ == Model::voltage) {
      const double p = 1.0 / (1.0 + std::exp((bias_V - v50_V_) / v0_V_));
      // Keep both dwells finite for |logit| up to ~700 (P_AP underflows to 0 or 1 beyond).
      const double p_safe = std::clamp(p, 1e-300, 1.0 - 1e-16);
      return {correlation_time_s_ / p_safe, correlation_time_s_ / (1.0 - p_safe)};
    }
    const double u = std::clamp((bias_V - v50_V_) / critical_voltage_V_, -1.0, 1.0);
    return {tau0_s_ * std::exp(delta_ * std::pow(1.0 + u, exponent_)),
            tau0_s_ * std::exp(delta_ * std::pow(1.0 - u, exponent_))};
  }
  double p_ap(double bias_V) const { return dwell_times(bias_V).p_ap(); }

  // The bias that gives P_AP = p (analytic inverse of the sigmoid), before any clamping to the
  // bias range. p must be in (0, 1).
  double bias_for(double p) const {
    const double logit = std::log(p / (1.0 - p));
    if (model_ == Model::voltage) return v50_V_ - v0_V_ * logit;
    return v50_V_ - critical_voltage_V_ * logit / (2.0 * exponent_ * delta_);
  }

  double delta() const { return delta_; }
  double tau0_s() const { return tau0_s_; }
  double v50_V() const { return v50_V_; }

 private:
  Model model_;
  int exponent_;
  double critical_voltage_V_;
  double delta_;
  double tau0_s_;
  double v50_V_;
  double v0_V_;
  double correlation_time_s_;
};

// The per-sample Markov chain of the junction sampled every clock_period_s (exact for a constant
// bias): rho = exp(-T / tau_c),  P(AP -> AP) = pi + (1 - pi) rho,  P(P -> AP) = pi (1 - rho).
struct SampledChain {
  double p_ap;          // stationary P(AP) = pi
  double rho;           // lag-1 autocorrelation; lag k: rho^k
  double leave_ap;      // P(AP -> P) per sample = (1 - pi)(1 - rho)
  double leave_p;       // P(P -> AP) per sample = pi (1 - rho)
  static SampledChain of(const DwellTimes& dwell, double clock_period_s) {
    const double pi = dwell.p_ap();
    const double rho = std::exp(-clock_period_s / dwell.correlation_time_s());
    return {pi, rho, (1.0 - pi) * (1.0 - rho), pi * (1.0 - rho)};
  }
};

// Variance of the mean of L samples of the stationary chain (physics.md section B):
// pi(1-pi)/L [(1+rho)/(1-rho) - 2 rho (1 - rho^L) / (L (1-rho)^2)].
inline double occupancy_estimate_variance(double pi, double rho, double length) {
  if (rho <= 0) return pi * (1 - pi) / length;
  return pi * (1 - pi) / length *
         ((1 + rho) / (1 - rho) - 2 * rho * (1 - std::pow(rho, length)) / (length * (1 - rho) * (1 - rho)));
}

}  // namespace spinsc::telegraph
