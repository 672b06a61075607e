#pragma once
// Precessional-regime MTJ stochastic number generator of Mondal & Srivastava (header only;
// shared by device.mtj_sng and its tests). physics.md section (c); paper section III.
//
// Switching probability of a write pulse of width t (thermal initial-angle model, I > I_c0):
//   P_sw(t) = exp[-(pi^2 Delta / 4) exp(-2 (i - 1) t / tau_D)],  tau_D = (1 + alpha^2) / (alpha gamma_e mu0 H)
//   inverse: t(x) = tau_D ln[pi^2 Delta / (4 ln(1/x))] / (2 (i - 1))
// with i = I / I_c0 and mu0 H the effective field of the damping time. Cross-check against the
// paper: with Delta = 47.5 (their value) the two pulse widths they quote, 3.40 ns for 99.9 % and
// 1.49 ns for 50 %, fix the rate 2(i-1)/tau_D; fitted to 3.40 ns, the formula gives 1.4946 ns for
// 50 % (paper: 1.49 ns). alpha = 6.82e-3 (paper) and mu0 H = 0.8 T (~ mu0 Ms / 2 for their
// in-plane 1222 emu/cc free layer) then give i = 2.7866.
//
// Bit generation (reset state AP = logic 1; writing switches AP -> P with probability x):
//   normal: x = 1 - p, bit = AP;                      x <= max_switching_probability
//   BMS:    x = min(p, 1 - p); the output is inverted when p < 1/2 (2:1 mux on the MSB).
// Per bit: write pulse t(x); read (2 ns at 0.1 V); reset pulse only if the junction switched.
//
// Energy per bit (paper eqs. 6-8 for the write; V = write voltage, I_s = V / R_s):
//   E_write = V [I_AP M + I_P (t P_sw - M)] + V I_AP t (1 - P_sw),   M = int_0^t s dP_sw(s)
//   E_bit   = E_write + x E_reset + V_r^2 t_r ((1-x)/R_AP + x/R_P) + (BMS: E_mux)
// The two resistances are effective write-path values fitted so that the average over uniform p
// reproduces Table I (0.59 pJ normal, 0.34 pJ BMS) with the paper's E_reset = 0.46 pJ. The same
// fit gives E_write(99.9 %) = 1.56 pJ where the paper quotes 0.93 pJ: the paper's SPICE energies
// are not reproduced by eqs. 6-8 with two fixed resistances (docs/devices.md).
// Constant streams: a request whose write pulse is 0 (x = 0: P(1) = 1 in both modes, P(1) = 0 in
// BMS) needs no write and no reset, only the read: 0.0022 pJ, against 0.14 pJ for BMS one level
// inside on a 255-level grid (x = 1/254 still needs a 0.89 ns pulse: P_sw is a double exponential
// in t, so the pulse shrinks only like ln ln(1/x) and vanishes only below x = exp(-pi^2 Delta / 4)).
// constant_stream_switching_probability > 0 prices such a stream as a write of that switching
// probability instead (a circuit that clocks the generator whatever the level); its bits stay
// constant.
// Pricing per generator (the basis of the paper's network tables): every bit costs the
// generator's average power, whatever its level (Table I: 80 uW normal, 62 uW BMS), times the
// time per bit. Table I's power column is not its energy over its time (0.59 pJ / 9.73 ns =
// 61 uW, 0.34 pJ / 7.82 ns = 43 uW), so the powers are parameters, not derived.
// Time per bit: fixed schedule t_reset + t(x_max) + t_read (9.73 ns normal with x_max = 0.999,
// 7.82 ns BMS with x_max = 0.5: Table I), or adaptive: x t_reset + t(x) + t_read.
#include <algorithm>
#include <cmath>
#include <numbers>

namespace spinsc::mtj_sng {

inline constexpr double kGyromagneticRatio = 1.76086e11;  // gamma_e, rad/(s T)

struct SwitchingModel {
  double delta = 47.5;           // thermal stability factor at the operating temperature
  double damping = 6.82e-3;      // alpha
  double mu0_field_T = 0.8;      // mu0 H in tau_D
  double current_ratio = 2.7866; // i = I / I_c0 (> 1)

  double tau_d_s() const { return (1 + damping * damping) / (damping * kGyromagneticRatio * mu0_field_T); }
  double rate_per_s() const { return 2 * (current_ratio - 1) / tau_d_s(); }
  double amplitude() const { return std::numbers::pi * std::numbers::pi * delta / 4; }

  double switching_probability(double pulse_s) const {
    if (pulse_s <= 0) return 0.0;
    return std::exp(-amplitude() * std::exp(-rate_per_s() * pulse_s));
  }
  // Pulse width for switching probability x (0 for x <= P_sw(0), i.e. no pulse).
  double pulse_for(double x) const {
    if (x <= 0) return 0.0;
    const double ratio = amplitude() / std::log(1 / x);
    return ratio <= 1 ? 0.0 : std::log(ratio) / rate_per_s();
  }
  // M(t) = int_0^t s dP_sw(s) = t P_sw(t) - int_0^t P_sw(s) ds (Simpson, 400 intervals).
  double mean_switching_time_mass(double pulse_s) const {
    if (pulse_s <= 0) return 0.0;
    const int n = 400;
    const double h = pulse_s / n;
    double sum = switching_probability(0) + switching_probability(pulse_s);
    for (int j = 1; j < n; ++j) sum += (j % 2 ? 4 : 2) * switching_probability(j * h);
    return pulse_s * switching_probability(pulse_s) - sum * h / 3;
  }
};

struct SngCircuit {
  bool biased = false;                  // BMS
  double max_switching_probability = 0.999;
  double write_voltage_V = 1.2;
  double r_p_ohm = 2024.0;              // effective write-path resistances (fit to Table I)
  double r_ap_ohm = 9255.0;
  double reset_time_s = 4.33e-9;
  double reset_energy_J = 0.46e-12;
  double read_voltage_V = 0.1;
  double read_time_s = 2e-9;
  double mux_energy_J = 0.0;            // BMS inverter + mux per bit
  bool adaptive_schedule = false;
  double pulse_resolution_s = 0.0;      // 0: continuous pulse widths
  double constant_stream_switching_probability = 0.0;  // > 0: price a no-pulse stream as this write
  bool per_generator_pricing = false;   // every bit at generator_power_W x time per bit
  double generator_power_W = 80e-6;     // per-generator pricing: average power of this generator
};

// Switching probability the circuit asks for to make P(1) = p, and whether the output is inverted.
struct WriteTarget {
  double x;
  bool inverted;
};
inline WriteTarget write_target(const SngCircuit& c, double p) {
  p = std::clamp(p, 0.0, 1.0);
  if (c.biased) return p < 0.5 ? WriteTarget{p, true} : WriteTarget{1 - p, false};
  return {std::min(1 - p, c.max_switching_probability), false};
}

inline double quantize_pulse(const SngCircuit& c, double pulse_s) {
  if (c.pulse_resolution_s <= 0) return pulse_s;
  return std::round(pulse_s / c.pulse_resolution_s) * c.pulse_resolution_s;
}

inline double write_energy_J(const SwitchingModel& m, const SngCircuit& c, double pulse_s) {
  if (pulse_s <= 0) return 0.0;
  const double v = c.write_voltage_V, i_p = v / c.r_p_ohm, i_ap = v / c.r_ap_ohm;
  const double p_sw = m.switching_probability(pulse_s), mass = m.mean_switching_time_mass(pulse_s);
  return v * (i_ap * mass + i_p * (pulse_s * p_sw - mass)) + v * i_ap * pulse_s * (1 - p_sw);
}

// The write pulse (s) a stream of P(1) = p is priced at: the one the driver applies, or for a
// stream that needs none, the pulse of constant_stream_switching_probability when that is set.
inline double priced_pulse_s(const SwitchingModel& m, const SngCircuit& c, double p) {
  const double pulse = quantize_pulse(c, m.pulse_for(write_target(c, p).x));
  if (pulse > 0 || c.constant_stream_switching_probability <= 0) return pulse;
  return quantize_pulse(c, m.pulse_for(c.constant_stream_switching_probability));
}

// Time (s) of one bit.
inline double time_per_bit_s(const SwitchingModel& m, const SngCircuit& c, double p) {
  if (!c.adaptive_schedule) {
    const double x_max = c.biased ? 0.5 : c.max_switching_probability;
    return c.reset_time_s + quantize_pulse(c, m.pulse_for(x_max)) + c.read_time_s;
  }
  const double pulse = priced_pulse_s(m, c, p);
  return m.switching_probability(pulse) * c.reset_time_s + pulse + c.read_time_s;
}

// Expected energy (J) of one bit of a stream with requested P(1) = p.
inline double energy_per_bit_J(const SwitchingModel& m, const SngCircuit& c, double p) {
  if (c.per_generator_pricing) return c.generator_power_W * time_per_bit_s(m, c, p);
  const double pulse = priced_pulse_s(m, c, p);
  const double x = m.switching_probability(pulse);
  const double read = c.read_voltage_V * c.read_voltage_V * c.read_time_s * ((1 - x) / c.r_ap_ohm + x / c.r_p_ohm);
  return write_energy_J(m, c, pulse) + x * c.reset_energy_J + read + (c.biased ? c.mux_energy_J : 0.0);
}

}  // namespace spinsc::mtj_sng
