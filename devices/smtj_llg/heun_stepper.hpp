#pragma once
// HeunStratonovichStepper: the stochastic Heun scheme with a FIXED step, written as a
// Boost.Odeint stepper (stepper_tag, do_step), like Odeint's own stochastic_euler example, so
// that integrate_const / integrate_n_steps drive it. Never use it with an adaptive driver: the
// noise of a step must not be redrawn or rescaled. It converges to the Stratonovich solution,
// the right interpretation for a physical (coloured-noise limit) thermal field.
//
//   predictor:  m~ = normalize(m + dt f(m, H_th))
//   corrector:  m  = normalize(m + dt/2 [f(m, H_th) + f(m~, H_th)])     same H_th in both
//
// The System is a JunctionEnsemble (or a reference to one): all junctions advance in one
// branch-free loop that the compiler vectorizes.
#include <boost/numeric/odeint/stepper/stepper_categories.hpp>
#include <boost/numeric/odeint/util/unwrap_reference.hpp>
#include <cmath>

#include "junction_ensemble.hpp"

namespace spinsc::smtj_llg {

// One step of the scheme for one unit vector m under the drift f (the step's thermal field held
// fixed inside f): predictor, corrector, both normalized.
template <class Drift>
inline Vec3 heun_step(const Vec3& m, Drift&& f, double dt) {
  const Vec3 f1 = f(m);
  Vec3 p{m.x + dt * f1.x, m.y + dt * f1.y, m.z + dt * f1.z};
  const double inv_p = 1.0 / std::sqrt(p.x * p.x + p.y * p.y + p.z * p.z);
  p = {p.x * inv_p, p.y * inv_p, p.z * inv_p};
  const Vec3 f2 = f(p);
  const double half = 0.5 * dt;
  const Vec3 c{m.x + half * (f1.x + f2.x), m.y + half * (f1.y + f2.y), m.z + half * (f1.z + f2.z)};
  const double inv_c = 1.0 / std::sqrt(c.x * c.x + c.y * c.y + c.z * c.z);
  return {c.x * inv_c, c.y * inv_c, c.z * inv_c};
}

class HeunStratonovichStepper {
 public:
  using state_type = EnsembleState;
  using deriv_type = EnsembleState;
  using value_type = double;
  using time_type = double;
  using order_type = unsigned short;
  using stepper_category = boost::numeric::odeint::stepper_tag;

  // Weak order 1 with noise; second order for the deterministic (T = 0) equation.
  static constexpr order_type order() { return 1; }

  template <class System>
  void do_step(System system, state_type& m, time_type /*t*/, time_type dt) {
    typename boost::numeric::odeint::unwrap_reference<System>::type& ensemble = system;
    const ThermalFieldView field = ensemble.thermal_field(dt);
    const DriftTerms& terms = ensemble.drift_terms();
    const double* __restrict hk = ensemble.hk_uniaxial();
    const double* __restrict aj0 = ensemble.aj0();
    const double* __restrict sigma = field.sigma_A_per_m;
    double* __restrict mx = m.x.data();
    double* __restrict my = m.y.data();
    double* __restrict mz = m.z.data();
    const std::size_t n = ensemble.size();
    if (field.normal_x == nullptr) {
      for (std::size_t j = 0; j < n; ++j) advance(mx[j], my[j], mz[j], Vec3{}, hk[j], aj0[j], terms, dt);
      return;
    }
    const float* __restrict nx = field.normal_x;
    const float* __restrict ny = field.normal_y;
    const float* __restrict nz = field.normal_z;
    for (std::size_t j = 0; j < n; ++j) {
      const Vec3 h_th{sigma[j] * nx[j], sigma[j] * ny[j], sigma[j] * nz[j]};
      advance(mx[j], my[j], mz[j], h_th, hk[j], aj0[j], terms, dt);
    }
  }

 private:
  static inline void advance(double& mx, double& my, double& mz, const Vec3& h_th, double hk, double aj0,
                             const DriftTerms& terms, double dt) {
    const Vec3 c = heun_step({mx, my, mz}, [&](const Vec3& x) { return llg_drift(x, h_th, hk, aj0, terms); }, dt);
    mx = c.x;
    my = c.y;
    mz = c.z;
  }
};

// The same scheme for any ensemble ("system") that gives, per step, a thermal field
// (`ThermalFieldView thermal_field(double dt)`), its size and the drift of junction j,
// `Vec3 drift(std::size_t j, const Vec3& m, const Vec3& h_th) const`: the pulsed devices
// (devices/pulsed_mtj) use it with their own equation of motion.
class SystemHeunStepper {
 public:
  using state_type = EnsembleState;
  using deriv_type = EnsembleState;
  using value_type = double;
  using time_type = double;
  using order_type = unsigned short;
  using stepper_category = boost::numeric::odeint::stepper_tag;
  static constexpr order_type order() { return 1; }

  template <class System>
  void do_step(System system, state_type& m, time_type /*t*/, time_type dt) {
    typename boost::numeric::odeint::unwrap_reference<System>::type& ensemble = system;
    const ThermalFieldView field = ensemble.thermal_field(dt);
    const std::size_t n = ensemble.size();
    for (std::size_t j = 0; j < n; ++j) {
      const Vec3 h_th = field.normal_x == nullptr
                            ? Vec3{}
                            : Vec3{field.sigma_A_per_m[j] * field.normal_x[j], field.sigma_A_per_m[j] * field.normal_y[j],
                                   field.sigma_A_per_m[j] * field.normal_z[j]};
      m.set(j, heun_step(m.at(j), [&](const Vec3& x) { return ensemble.drift(j, x, h_th); }, dt));
    }
  }
};

}  // namespace spinsc::smtj_llg
