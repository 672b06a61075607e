#pragma once
// FSM activations of stochastic computing (shared by sc.fsm_tanh and sc.fsm_sigmoid).
//
// One saturating up/down counter with S states (S even) covers the three classic designs:
//   Stanh  (Brown & Card 2001): input one stream; +1 on a 1, -1 on a 0
//   Btanh  (Kim et al. 2016):   input the parallel-counter output; state += 2 c_t - n
//   NStanh (Ardakani et al., arXiv 1509.08972): input an integer stream u_t in [-m, m]; state += u_t
// The state starts at S/2, saturates in [0, S-1]; the output bit is 1 iff state >= S/2.
// Stationary output for i.i.d. input (bipolar y = 2 P(1) - 1):
//   Stanh:  y = tanh((S/2) artanh x) = [(1+x)^(S/2) - (1-x)^(S/2)] / [(1+x)^(S/2) + (1-x)^(S/2)]  (exact)
//   NStanh: y ~= tanh(S x_int / (2 m)), x_int = mean(u_t)  (physics.md D, [ver] numerically)
// So to realize y = tanh(G s) from a sum estimate s = sum_per_unit * mean(u): S = 2 m G sum_per_unit.
// Btanh's state count r = 2 (round[(1-s)(n-1) / (s(1-q))] + n), q = 1.835 (2n)^-0.5552, meant to
// approximate tanh(t / s) for the counter sum t (BlockWorker/SCSimulation Btanh calculate_r).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>

namespace spinsc::fsm {

enum class Design { stanh, btanh, nstanh };

inline Design parse_design(const std::string& text) {
  if (text == "stanh") return Design::stanh;
  if (text == "btanh") return Design::btanh;
  if (text == "nstanh") return Design::nstanh;
  throw std::invalid_argument("unknown FSM design '" + text + "' (valid: btanh, nstanh, stanh)");
}

inline int even_states(double s) { return std::max(2, 2 * static_cast<int>(std::lround(s / 2.0))); }

// Number of ones the FSM outputs over the input sequence u (one step a clock), counting the
// clocks from `burn_in` on (the hardware counts all: burn_in = 0).
inline std::uint64_t run_ones(std::span<const std::int32_t> u, int states, std::size_t burn_in = 0) {
  const std::int64_t top = states - 1, half = states / 2;
  std::int64_t state = half;
  std::uint64_t ones = 0;
  for (std::size_t t = 0; t < u.size(); ++t) {
    state = std::clamp<std::int64_t>(state + u[t], 0, top);
    if (t >= burn_in) ones += state >= half;
  }
  return ones;
}

// Exact stationary bipolar output of Stanh with N states for an i.i.d. input of bipolar value x.
inline double stanh_stationary(double x, int n_states) {
  const double a = std::pow(1 + x, n_states / 2.0), b = std::pow(1 - x, n_states / 2.0);
  return (a - b) / (a + b);
}

// Kim et al.'s Btanh state count for n counter inputs approximating tanh(t / s).
inline int btanh_states(std::size_t n, double s) {
  const double q = 1.835 * std::pow(2.0 * double(n), -0.5552);
  const double r = 2.0 * (std::round((1 - s) * (double(n) - 1) / (s * (1 - q))) + double(n));
  return even_states(r);
}

// States realizing y = tanh(G * s_hat) for an adder emitting integers in [-range, range] with
// s_hat = sum_per_unit * mean(u).
inline int states_for_gain(Design design, double gain_G, int range, double sum_per_unit, std::size_t fan_in) {
  if (design == Design::btanh) return btanh_states(fan_in, 1.0 / gain_G);
  return even_states(2.0 * double(range) * gain_G * sum_per_unit);
}

}  // namespace spinsc::fsm
