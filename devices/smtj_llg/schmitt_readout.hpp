#pragma once
// Read-out of the junctions' bits: the resistance R(m) = 1/G(m) of each junction and a Schmitt
// trigger (comparator with hysteresis) on it.
//
//   G(m) = G_P (1 + m.p)/2 + G_AP (1 - m.p)/2,  R_AP = R_P (1 + TMR(V)),  TMR(V) = TMR0/(1 + V^2/V_h^2)
//
// The thresholds are given on the normalized resistance r = (R - R_P)/(R_AP - R_P): the bit turns
// 1 (antiparallel, high resistance) when r rises above r_high and 0 when r falls below r_low.
// G is monotone in m.p = m_z, so the thresholds are converted once to thresholds on m_z and the
// per-step comparison is on m_z: identical decisions, no division per step.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace spinsc::smtj_llg {

struct ResistanceModel {
  double r_parallel_ohm = 100e3;  // R_P
  double tmr0 = 1.0;              // TMR at zero bias (1.0 = 100 %)
  double tmr_half_bias_V = 0.5;   // V_h of the roll-off TMR0/(1 + V^2/V_h^2)

  double tmr(double bias_V) const { return tmr0 / (1.0 + (bias_V * bias_V) / (tmr_half_bias_V * tmr_half_bias_V)); }
  double r_antiparallel_ohm(double bias_V) const { return r_parallel_ohm * (1.0 + tmr(bias_V)); }
  double conductance_S(double mz, double bias_V) const {
    return 0.5 * (1.0 + mz) / r_parallel_ohm + 0.5 * (1.0 - mz) / r_antiparallel_ohm(bias_V);
  }
  // m_z at which the normalized resistance equals r (in [0, 1]).
  double mz_at_normalized_resistance(double r, double bias_V) const {
    const double r_ap = r_antiparallel_ohm(bias_V);
    const double g = 1.0 / (r_parallel_ohm + r * (r_ap - r_parallel_ohm));
    const double g_p = 1.0 / r_parallel_ohm, g_ap = 1.0 / r_ap;
    return (2.0 * g - g_p - g_ap) / (g_p - g_ap);
  }
};

// Schmitt trigger on m_z for N junctions. bit 1: m_z went below mz_one_below; bit 0: m_z went
// above mz_zero_above (mz_one_below <= mz_zero_above); in between the bit holds.
class SchmittTrigger {
 public:
  SchmittTrigger(double mz_one_below, double mz_zero_above, std::size_t n)
      : one_below_(mz_one_below), zero_above_(mz_zero_above), bits_(n, 0), flipped_(n, 0), flips_(n, 0) {}

  // Start from the state each junction is in (the sign of m_z decides inside the hysteresis).
  void reset(const double* mz) {
    for (std::size_t j = 0; j < bits_.size(); ++j) bits_[j] = mz[j] < 0.0 ? 1 : 0;
    std::fill(flips_.begin(), flips_.end(), 0);
  }
  // One observation; returns how many junctions flipped (flipped()[j] says which).
  std::size_t update(const double* __restrict mz) {
    std::uint32_t* __restrict bits = bits_.data();
    std::uint32_t* __restrict flipped = flipped_.data();
    std::uint32_t* __restrict flips = flips_.data();
    std::uint32_t total = 0;
    for (std::size_t j = 0; j < bits_.size(); ++j) {
      const std::uint32_t old_bit = bits[j];
      const std::uint32_t new_bit = mz[j] < one_below_ ? 1u : (mz[j] > zero_above_ ? 0u : old_bit);
      const std::uint32_t changed = old_bit ^ new_bit;
      bits[j] = new_bit;
      flipped[j] = changed;
      flips[j] += changed;
      total += changed;
    }
    return total;
  }
  const std::vector<std::uint32_t>& bits() const { return bits_; }
  const std::vector<std::uint32_t>& flipped() const { return flipped_; }
  const std::vector<std::uint32_t>& flips() const { return flips_; }  // since reset()
  void clear_flips() { std::fill(flips_.begin(), flips_.end(), 0); }

 private:
  double one_below_, zero_above_;
  std::vector<std::uint32_t> bits_, flipped_, flips_;
};

}  // namespace spinsc::smtj_llg
