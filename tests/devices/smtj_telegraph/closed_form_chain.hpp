#pragma once
// The telegraph junction sampled every T, from the textbook solution of the two-state master
// equation, written here independently of the device code (telegraph_model.hpp): with exit rates
// k_AP = 1/tau_AP (AP -> P) and k_P = 1/tau_P (P -> AP), K = k_AP + k_P,
//   P(P at T | AP at 0) = (k_AP / K) (1 - exp(-K T)),   P(AP at T | P at 0) = (k_P / K) (1 - exp(-K T)),
// stationary P(AP) = k_P / K, and the lag-k autocorrelation of the sampled chain exp(-K T)^k.
// The tests use it both as the input of the generators and as the expected values, so a wrong
// SampledChain::of cannot hide behind a test that takes its own output for the truth.
#include <cmath>

#include "../../../devices/smtj_telegraph/telegraph_model.hpp"

namespace spinsc::test {

inline telegraph::SampledChain closed_form_chain(double tau_p_s, double tau_ap_s, double clock_s) {
  const double k_ap = 1.0 / tau_ap_s, k_p = 1.0 / tau_p_s, K = k_ap + k_p;
  const double relax = -std::expm1(-K * clock_s);  // 1 - exp(-K T)
  telegraph::SampledChain c;
  c.p_ap = k_p / K;
  c.rho = std::exp(-K * clock_s);
  c.leave_ap = k_ap / K * relax;
  c.leave_p = k_p / K * relax;
  return c;
}
inline telegraph::SampledChain closed_form_chain(const telegraph::DwellTimes& dwell, double clock_s) {
  return closed_form_chain(dwell.tau_p_s, dwell.tau_ap_s, clock_s);
}

}  // namespace spinsc::test
