// Vectorized Box–Muller (see thermal_noise.hpp). This file alone is compiled with -ffast-math so
// that GCC calls glibc's vector logf/cosf (libmvec); sin(phi) is written as cos(phi - pi/2) so
// that GCC does not fuse the pair into sincosf, which has no vector variant it can call.
#include <cmath>

#include "thermal_noise.hpp"

namespace spinsc::smtj_llg {

void box_muller(const std::uint32_t* __restrict u1, const std::uint32_t* __restrict u2, float* __restrict z0,
                float* __restrict z1, std::size_t n) {
  const int count = static_cast<int>(n);
  for (int i = 0; i < count; ++i) {
    // 24 significant bits each: exact in float; u_radius in (0, 1) so the log is finite.
    const float u_radius = (static_cast<float>(static_cast<int>(u1[i] >> 8)) + 0.5f) * 0x1.0p-24f;
    const float u_angle = static_cast<float>(static_cast<int>(u2[i] >> 8)) * 0x1.0p-24f;
    const float r = std::sqrt(-2.0f * std::log(u_radius));
    const float phi = 6.28318530718f * u_angle;
    z0[i] = r * std::cos(phi);
    z1[i] = r * std::cos(phi - 1.57079632679f);
  }
}

}  // namespace spinsc::smtj_llg
