#pragma once
// The pulsed MTJ shared by device.sot_mtj and device.vcma_mtj: a macrospin free layer (thin film,
// N = (0, 0, 1), easy axis z = the reference layer, or x for an in-plane layer), written by a pulse
// and read through the tunnel junction. Each bit is one write cycle of a freshly reset junction:
//
//   settle (no drive) -> pulse (drive on) -> relax (no drive) -> read: bit 1 iff m_z < 0 (AP; m_x in plane)
//
// integrated by the Heun (Stratonovich) scheme of device.smtj_llg (heun_stepper.hpp,
// SystemHeunStepper driven by Boost.Odeint's integrate_const) with the same thermal field
// (thermal_noise.hpp). Equation of motion, Landau–Lifshitz form, gamma' = gamma0/(1 + alpha^2):
//
//   dm/dt = -gamma' [ m x H + alpha m x (m x H) ] - gamma' [ (a + alpha b) m x (m x s) + (b - alpha a) m x s ]
//   H = H_K,x m_x x + H_K,eff(t) m_z z + H_ext + H_th,   H_K,eff = 2 K_i/(mu0 Ms t_F) - Ms   (interface anisotropy K_i)
//
// A perpendicular layer has H_K,eff > 0 and H_K,x = 0 (easy axis z, read along z); an in-plane layer
// has H_K,eff < 0 (the thin film's demagnetizing field wins: easy plane) and an in-plane uniaxial
// anisotropy H_K,x > 0 (shape or crystal: easy axis x, the reference layer along x, read along x).
//
// a (A/m) is a damping-like torque towards the unit vector s and b = beta a a field-like one
// (spin-orbit torque: s = y; spin-transfer torque: s = +-z); a second damping-like torque a2
// towards s2 (no field-like part) lets a spin-transfer bias act together with a spin-orbit pulse.
// a, a2 and H_K,eff are constant within a phase (a pulse is a phase). Thermal field per component N(0, 2 alpha kB T/(gamma0 mu0 Ms V dt)).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "heun_stepper.hpp"
#include "junction_ensemble.hpp"
#include "macrospin_model.hpp"
#include "physical_constants.hpp"
#include "spinsc/random.hpp"

namespace spinsc::pulsed_mtj {

using smtj_llg::EnsembleState;
using smtj_llg::ThermalFieldView;
using smtj_llg::Vec3;

struct PulsedMacrospin {
  double alpha = 0.03;
  Vec3 h_ext_A_per_m{};              // bias field (in plane for both pulsed devices)
  Vec3 spin_direction{0.0, 1.0, 0.0};  // s of the damping-like torque, unit vector
  double field_like_ratio = 0.0;     // beta = b / a
  Vec3 second_direction{0.0, 0.0, -1.0};  // s2 of the second damping-like torque, unit vector
  double thermal_diffusion = 0.0;    // D = 2 alpha kB T / (gamma0 mu0 Ms V), A^2 s / m^2; 0: T = 0
  double in_plane_anisotropy_A_per_m = 0.0;  // H_K,x of an in-plane layer (0: perpendicular)
  // The easy axis the bit is read along: z (perpendicular) or x (in-plane); bit 1 iff m < 0 on it.
  bool in_plane() const { return in_plane_anisotropy_A_per_m > 0.0; }
};

// One phase of a write cycle: the drive is constant within it.
struct PulsePhase {
  double duration_s = 0.0;
  double hk_eff_A_per_m = 0.0;  // H_K,eff during the phase (VCMA lowers it during the pulse)
  double torque_A_per_m = 0.0;  // damping-like torque a during the phase (towards s)
  double second_torque_A_per_m = 0.0;  // damping-like torque a2 (towards s2)
};

// N junctions of one model, one phase at a time: the "system" of SystemHeunStepper.
class PulsedEnsemble {
 public:
  // `streams`: one per junction (may be empty at T = 0).
  PulsedEnsemble(const PulsedMacrospin& model, std::size_t n, std::vector<RandomStream> streams);

  std::size_t size() const { return n_; }
  void set_phase(const PulsePhase& phase) {
    hk_ = phase.hk_eff_A_per_m;
    a_ = phase.torque_A_per_m;
    a2_ = phase.second_torque_A_per_m;
  }
  ThermalFieldView thermal_field(double dt);

  Vec3 drift(std::size_t /*j*/, const Vec3& m, const Vec3& h_th) const {
    const Vec3 h{model_.in_plane_anisotropy_A_per_m * m.x + model_.h_ext_A_per_m.x + h_th.x, model_.h_ext_A_per_m.y + h_th.y,
                 hk_ * m.z + model_.h_ext_A_per_m.z + h_th.z};
    const Vec3& s = model_.spin_direction;
    const Vec3& s2 = model_.second_direction;
    const Vec3 mxh = cross(m, h), mxmxh = cross(m, mxh), mxs = cross(m, s), mxmxs = cross(m, mxs);
    const Vec3 mxs2 = cross(m, s2), mxmxs2 = cross(m, mxs2);
    const double b = model_.field_like_ratio * a_;
    const double damping_like = a_ + model_.alpha * b, field_like = b - model_.alpha * a_;
    const double field_like2 = -model_.alpha * a2_;  // (b2 - alpha a2) with b2 = 0
    return {-gamma_prime_ * (mxh.x + model_.alpha * mxmxh.x + damping_like * mxmxs.x + field_like * mxs.x +
                             a2_ * mxmxs2.x + field_like2 * mxs2.x),
            -gamma_prime_ * (mxh.y + model_.alpha * mxmxh.y + damping_like * mxmxs.y + field_like * mxs.y +
                             a2_ * mxmxs2.y + field_like2 * mxs2.y),
            -gamma_prime_ * (mxh.z + model_.alpha * mxmxh.z + damping_like * mxmxs.z + field_like * mxs.z +
                             a2_ * mxmxs2.z + field_like2 * mxs2.z)};
  }

 private:
  static Vec3 cross(const Vec3& u, const Vec3& v) {
    return {u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x};
  }
  PulsedMacrospin model_;
  std::size_t n_;
  double gamma_prime_;
  double hk_ = 0.0, a_ = 0.0, a2_ = 0.0;
  std::vector<double> sigma_;
  double sigma_dt_ = -1.0;
  std::shared_ptr<smtj_llg::ThermalNoise> noise_;
};

struct WriteCycleResult {
  std::vector<std::uint8_t> bits;  // per junction: 1 iff m < 0 along the easy axis at the end (AP)
  std::vector<double> final_mz;    // per junction: m_z at the end
  std::vector<double> final_mx;    // per junction: m_x at the end
  double min_mz_during_pulse = 1.0;  // over all junctions and steps of the phases marked `watch`
  std::uint64_t steps = 0;         // integration steps per junction
};

// Runs the phases in order on n junctions started at m = `start` (default: +z, or +x for an in-plane
// layer: parallel), fixed step dt;
// junction j draws its thermal field from streams[j]. Records the smallest m_z seen during phases
// whose index is in `watch` (the T = 0 threshold tests look at the pulse).
WriteCycleResult run_write_cycle(const PulsedMacrospin& model, const std::vector<PulsePhase>& phases, std::size_t n,
                                 std::vector<RandomStream> streams, double dt, std::vector<std::size_t> watch = {},
                                 std::optional<Vec3> start = std::nullopt);

}  // namespace spinsc::pulsed_mtj
