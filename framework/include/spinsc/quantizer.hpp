#pragma once
// Uniform quantizer of Sabyasachi et al. (arXiv 2504.06414, section III, eqs. 1-3):
//   clip(m, a, b) = min(max(m, a), b)                          (1)
//   Δ = (b − a) / (Q − 1)                                       (2)
//   q = round((clip(m, a, b) − a) / Δ) · Δ + a                  (3)
// Q is odd and >= 3 so that 0 is a level. The level index k = round((clip(m) − a) / Δ) lies in
// [0, Q − 1] and the level value is a + kΔ. Rounding is half away from zero; the argument is
// never negative, so a value exactly halfway between two levels goes to the upper level.
//
// Example: Q = 5 on [-1, 1]: levels -1, -0.5, 0, 0.5, 1; quantize(0.25) = 0.5, quantize(-0.26) = -0.5.
// A sigmoid output (in [0, 1]) takes only the levels >= 0: 3 of them for Q = 5, 6 for Q = 11.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "spinsc/params.hpp"

namespace spinsc {

class Quantizer {
 public:
  // Throws ParamError if Q is even, below 3, above 255 (level indices are stored in 8 bits),
  // or if lower >= upper.
  explicit Quantizer(int levels = 5, double lower = -1.0, double upper = 1.0)
      : levels_(levels), lower_(lower), upper_(upper), step_((upper - lower) / (levels - 1)) {
    if (levels < 3 || levels % 2 == 0 || levels > 255)
      throw ParamError("number of quantization states Q = " + std::to_string(levels) +
                       " is not valid: Q must be odd, 3 <= Q <= 255");
    if (!(lower < upper))
      throw ParamError("quantization range [" + to_text(lower) + ", " + to_text(upper) + "] is empty");
  }

  int levels() const { return levels_; }
  double lower() const { return lower_; }
  double upper() const { return upper_; }
  double step() const { return step_; }  // Δ, eq. (2)

  static double clip(double m, double a, double b) { return std::min(std::max(m, a), b); }  // eq. (1)

  // Level index k in [0, Q − 1] of eq. (3). NaN maps to the lowest level.
  int index(double m) const {
    const double t = (clip(m, lower_, upper_) - lower_) / step_;
    const double k = std::floor(t + 0.5);
    if (!(k >= 0.0)) return 0;
    return k > levels_ - 1 ? levels_ - 1 : static_cast<int>(k);
  }
  // The value a + kΔ of level k. The top level is exactly b.
  double value(int k) const { return k == levels_ - 1 ? upper_ : lower_ + k * step_; }
  double quantize(double m) const { return value(index(m)); }  // eq. (3)

  // All Q level values, lowest first.
  std::vector<double> level_values() const {
    std::vector<double> v(levels_);
    for (int k = 0; k < levels_; ++k) v[k] = value(k);
    return v;
  }

 private:
  int levels_;
  double lower_, upper_, step_;
};

}  // namespace spinsc
