#pragma once
// The macrospin equation of motion of device.smtj_llg, in explicit Landau–Lifshitz form
// (docs/smtj_llg.md, physics.md section A). With gamma' = gamma0 / (1 + alpha^2), the polarizer
// p = z (perpendicular MTJ: reference layer along the easy axis) and H = H_eff + H_th:
//
//   dm/dt = -gamma' [ m x H + alpha m x (m x H) ]
//           -gamma' [ (a_J + alpha b_J) m x (m x p) + (b_J - alpha a_J) m x p ]
//
//   H_eff = H_Ku m_z z - Ms N.m + H_ext            (uniaxial anisotropy, demagnetization, field)
//   a_J(m) = a_J0 (1 + kappa m_z) (1 + c) / (1 + c m_z),  c = (Lambda^2 - 1)/(Lambda^2 + 1)
//   b_J = beta a_J
//
// a_J = hbar eta J / (e mu0 Ms t_F) with Slonczewski's eta = P Lambda^2/(Lambda^2 + 1 + (Lambda^2 - 1) m.p),
// so a_J = hbar P J / (2 e mu0 Ms t_F) at m = p (hbar/2 per polarized electron);
// a_J0 is its value for eta(m = p) = P/2 and the current at m_z = 0; kappa makes the current follow
// the conductance G(m) under a voltage bias; Lambda is Slonczewski's angular asymmetry
// (Lambda = 1: angle-independent efficiency). Positive a_J favours m = +p (the parallel state).
// The thermal field H_th enters both the precession and the damping term.
#include <cmath>

#include "physical_constants.hpp"

namespace spinsc::smtj_llg {

struct Vec3 {
  double x = 0, y = 0, z = 0;
};

// Ensemble-wide constants of the equation of motion. Fields in A/m, SI throughout.
struct MacrospinModel {
  double alpha = 0.1;                               // Gilbert damping
  double ms_A_per_m = 1e6;                          // saturation magnetization Ms
  double demag_x = 0.0, demag_y = 0.0, demag_z = 1.0;  // demagnetizing factors N (sum 1)
  Vec3 h_ext_A_per_m{};                             // external field
  double field_like_ratio = 0.0;                    // beta = b_J / a_J
  double slonczewski_lambda = 1.0;                  // Lambda; 1 = angle-independent efficiency
  double current_asymmetry = 0.0;                   // kappa: I ∝ 1 + kappa m_z (voltage bias)

  double gamma_prime() const { return kGamma0_m_per_A_s / (1.0 + alpha * alpha); }
  // H_K,eff = H_Ku - (N_z - N_x) Ms for a given uniaxial anisotropy field H_Ku = 2 K_u/(mu0 Ms).
  double hk_eff_A_per_m(double hk_uniaxial_A_per_m) const {
    return hk_uniaxial_A_per_m - (demag_z - demag_x) * ms_A_per_m;
  }
};

// Per-junction constants: device-to-device variation lives here.
struct JunctionCoefficients {
  double hk_uniaxial_A_per_m = 0.0;   // H_Ku = 2 K_u / (mu0 Ms)
  double thermal_diffusion = 0.0;     // D = 2 alpha kB T / (gamma0 mu0 Ms V) in A^2 s / m^2;
                                      // the thermal field per component has variance D / dt
  double aj0_A_per_m = 0.0;           // damping-like torque a_J0 (see above), A/m
};

// D = 2 alpha kB T / (gamma0 mu0 Ms V): the fluctuation–dissipation strength of the thermal field.
inline double thermal_diffusion(double alpha, double temperature_K, double ms_A_per_m, double volume_m3) {
  return 2.0 * alpha * kBoltzmann_J_per_K * temperature_K / (kGamma0_m_per_A_s * kMu0 * ms_A_per_m * volume_m3);
}

// The terms of the drift that do not change from junction to junction, precomputed once.
struct DriftTerms {
  double gamma_prime, alpha;
  double ms_nx, ms_ny, ms_nz;  // Ms N, A/m
  Vec3 h_ext;
  double beta, angular_c, kappa;

  explicit DriftTerms(const MacrospinModel& model)
      : gamma_prime(model.gamma_prime()),
        alpha(model.alpha),
        ms_nx(model.ms_A_per_m * model.demag_x),
        ms_ny(model.ms_A_per_m * model.demag_y),
        ms_nz(model.ms_A_per_m * model.demag_z),
        h_ext(model.h_ext_A_per_m),
        beta(model.field_like_ratio),
        angular_c((model.slonczewski_lambda * model.slonczewski_lambda - 1.0) /
                  (model.slonczewski_lambda * model.slonczewski_lambda + 1.0)),
        kappa(model.current_asymmetry) {}
};

// dm/dt (1/s) at magnetization m under thermal field h_th (A/m). Branch-free and inline so that
// the loop over junctions vectorizes.
inline Vec3 llg_drift(const Vec3& m, const Vec3& h_th, double hk_uniaxial, double aj0, const DriftTerms& c) {
  const double hx = -c.ms_nx * m.x + c.h_ext.x + h_th.x;
  const double hy = -c.ms_ny * m.y + c.h_ext.y + h_th.y;
  const double hz = (hk_uniaxial - c.ms_nz) * m.z + c.h_ext.z + h_th.z;
  const double aj = aj0 * (1.0 + c.kappa * m.z) * (1.0 + c.angular_c) / (1.0 + c.angular_c * m.z);
  const double bj = c.beta * aj;
  // m x H
  const double px = m.y * hz - m.z * hy, py = m.z * hx - m.x * hz, pz = m.x * hy - m.y * hx;
  // m x (m x H) = m (m.H) - H (m.m)
  const double mh = m.x * hx + m.y * hy + m.z * hz;
  const double mm = m.x * m.x + m.y * m.y + m.z * m.z;
  const double qx = m.x * mh - hx * mm, qy = m.y * mh - hy * mm, qz = m.z * mh - hz * mm;
  // p = z: m x p = (m_y, -m_x, 0); m x (m x p) = m m_z - z (m.m)
  const double damping_like = aj + c.alpha * bj, field_like = bj - c.alpha * aj;
  const double g = -c.gamma_prime;
  return {g * (px + c.alpha * qx + damping_like * m.x * m.z + field_like * m.y),
          g * (py + c.alpha * qy + damping_like * m.y * m.z - field_like * m.x),
          g * (pz + c.alpha * qz + damping_like * (m.z * m.z - mm))};
}

}  // namespace spinsc::smtj_llg
