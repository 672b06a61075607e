#pragma once
// Physical constants (CODATA 2018) used by device.smtj_llg, SI units.
namespace spinsc::smtj_llg {

inline constexpr double kMu0 = 1.25663706212e-6;                 // vacuum permeability, T m / A
inline constexpr double kGammaE_rad_per_s_T = 1.76085963023e11;  // electron gyromagnetic ratio
inline constexpr double kGamma0_m_per_A_s = kMu0 * kGammaE_rad_per_s_T;  // 2.2128e5 m/(A s)
inline constexpr double kBoltzmann_J_per_K = 1.380649e-23;
inline constexpr double kHbar_J_s = 1.054571817e-34;
inline constexpr double kElementaryCharge_C = 1.602176634e-19;
inline constexpr double kPi = 3.14159265358979323846;

}  // namespace spinsc::smtj_llg
