#pragma once
// device.sot_mtj: a three-terminal spin-orbit-torque MTJ as a random-bit generator (the SOT
// device of Liu et al., "Random Bitstream Generation Using Voltage-Controlled Magnetic Anisotropy
// and Spin Orbit Torque Magnetic Tunnel Junctions", IEEE JXCDC 8(2), 2022).
//
// Structure: perpendicular free layer (disk, easy axis z) on a heavy-metal channel (along x,
// width w, thickness d, resistivity rho); the MTJ on top carries a small bias current and the read.
// Write, every bit: a current pulse I_SOT through the channel (its own path, R_ch = rho L / (w d))
// gives a spin current polarized along s = +y (spin Hall angle theta_SH) and the damping-like
// spin-orbit torque
//
//   a_SO = hbar theta_SH J / (2 e mu0 Ms t_F),   J = I_SOT / (w d),   b_SO = beta a_SO (field-like, optional),
//
// which drives m into the plane (towards +y) whatever the previous bit: the pulse erases the state.
// When it ends m falls to +z or -z; the bias current I_b through the MTJ (the control, during the
// pulse and the relaxation) tilts the fall by its spin-transfer torque a_J = hbar P J_b/(2 e mu0 Ms t_F)
// towards -z (AP) for I_b > 0. P(1) rises from 0 to 1 with I_b; I_b = 0 gives 1/2 (less any
// in-plane field's bias). In the equation of motion (pulsed_macrospin.hpp) a_SO is the torque
// towards s = y and a_J the second torque towards s2 = -z.
//
// Zero-temperature threshold of the pulse (H_x = 0, beta = 0, no bias; the oracle of the tests):
// the equilibria of m x (H_K m_z z + a (m x s)) = 0 off the y axis satisfy m_x m_z = -a/H_K,eff,
// which has solutions only for a <= H_K,eff/2: above I_c0 = (H_K,eff/2)(2 e mu0 Ms t_F/(hbar theta_SH)) w d
// nothing holds m out of the plane (Lee et al., APL 102, 112410 (2013), at H_x = 0). The default pulse
// is 4.8 I_c0.
//
// In-plane free layer (free_layer = in_plane): K_i low enough that H_K,eff < 0 (the thin film's
// demagnetizing field wins: easy plane) and an in-plane uniaxial anisotropy H_K,x (shape or crystal,
// `in_plane_anisotropy_A_per_m`) along the channel, x: easy axis x, the reference layer along x,
// the bit read along x (1 iff m_x < 0), the bias torque towards -x. The spin polarization s = y is
// perpendicular to the easy axis again ("type x"), so the pulse drives m to +y and the fall to +-x
// is the coin. The damping-like torque acts as the field a (m x y), out of the plane for m = x,
// against the demagnetizing field: the equilibria m x (H + a m x s) = 0 off the y axis lie in the
// x-z plane, tilted out of it by m_x m_z = a / (H_K,x - H_K,eff). Unlike the perpendicular layer's,
// they do not survive up to the fold at a = (H_K,x - H_K,eff)/2: linearized about the tilted state
// (tilt theta, tangent coordinates u along y and v in the x-z plane) the Gilbert equation gives
//   du/dt = -gamma' (alpha B u + A v),  dv/dt = gamma' (B u - alpha A v),
//   A = (H_K,x - H_K,eff) cos 2 theta,  B = H_K,x cos^2 theta + H_K,eff sin^2 theta,
// stable iff A > 0 and B > 0 (alpha only sets the rates). B, the stiffness against turning towards
// y, vanishes first, where tan^2 theta = H_K,x / |H_K,eff|, i.e. at
//   a_c = sqrt(H_K,x |H_K,eff|),   I_c0 = sqrt(H_K,x |H_K,eff|) (2 e mu0 Ms t_F/(hbar theta_SH)) w d,
// the geometric mean of the in-plane and the demagnetizing fields (0.28 mA in the tests' layer,
// H_K,x = 2e4 A/m, |H_K,eff| = 6e5 A/m, against 15.8 uA for the perpendicular default); beyond it m
// turns to +-y. The precession about the demagnetizing field needs a time step ~30 times shorter
// (time_step_s <= 0.05 / (gamma0 (|H_K,eff| + H_K,x)), about 0.2 ps).
//
// Energy per write: I_SOT^2 R_ch t_pulse (channel) + I_b^2 R_P (t_pulse + t_relax) (the bias through the
// MTJ, at R_P); plus the read. No reset: the next pulse erases the state.
//
// Parameter sources: Ms = 1.2e6 A/m, K_i = 1.0056e-3 J/m^2 (mu0 H_K,eff = 15.6 mT, Delta = 6.2), 50 nm x
// 1.1 nm, alpha = 0.03, theta_SH = 0.3, heavy metal 3 nm, J_SOT = 5e11 A/m^2 (75 uA), 10 ns pulse, 15 ns
// relaxation, R_P = 5 kOhm, TMR 120 % are the SOT ("SHE") device defaults of the UT Stochastic_MTJ_Model
// (the code of Liu et al.); P = 0.58 for the bias torque as device.smtj_llg; rho = 200 uOhm cm (beta-W)
// after zhuzibn's SOT_STT_compact_model; the channel length (50 nm) is ours. The UT model's layer has
// the demagnetizing factors of a finite disk (N_z = 0.9788, N_x = N_y = 0.0106: mu0 H_K,eff = 63.8 mT,
// Delta = 20); ours is a thin film (N_z = 1), softer: its layer is ours at K_i = 1.0373e-3 J/m^2
// (test_sot_reference.cpp reproduces its P(1) table on that layer).
#include <fmt/format.h>

#include <cmath>
#include <string>

#include "pulsed_device.hpp"

namespace spinsc::sot_mtj {

using pulsed_mtj::PulsePhase;
using pulsed_mtj::PulsedMacrospin;
using pulsed_mtj::PulsedPhysics;

inline pulsed_mtj::PulsedDefaults sot_defaults() {
  pulsed_mtj::PulsedDefaults d{};
  d.anisotropy_J_per_m2 = 1.0056364e-3;
  d.time_step_s = 5e-12;
  d.pulse_s = 10e-9;
  d.relax_s = 15e-9;
  d.parallel_resistance_ohm = 5e3;
  d.bias_field_x_A_per_m = 0.0;
  d.max_control = 6e-6;  // P(1) = 0.02 at -5 uA, 0.96 at +5 uA
  d.control_key = "calibration_max_bias_current_A";
  d.control_unit = "A";
  d.control_text = "calibration grid spans MTJ bias currents [-max, max]";
  return d;
}

inline void declare_sot_parameters(OptionsBuilder& add) {
  pulsed_mtj::declare_pulsed_parameters(add, sot_defaults());
  add("sot_current_A", param<double>(75e-6)->unit("A")->above(0.0), "channel current of the write pulse I_SOT");
  add("spin_hall_angle", param<double>(0.3)->above(0.0), "spin Hall angle theta_SH of the channel");
  add("spin_polarization", param<double>(0.58)->range(0.0, 1.0), "spin polarization P of the MTJ bias current");
  add("field_like_ratio", param<double>(0.0), "field-like spin-orbit torque b_SO / a_SO (beta)");
  add("channel_width_m", param<double>(50e-9)->unit("m")->above(0.0), "heavy-metal channel width w");
  add("channel_thickness_m", param<double>(3e-9)->unit("m")->above(0.0), "heavy-metal channel thickness d");
  add("channel_length_m", param<double>(50e-9)->unit("m")->above(0.0), "heavy-metal channel length L (write path)");
  add("channel_resistivity_ohm_m", param<double>(200e-8)->unit("ohm m")->above(0.0), "channel resistivity rho");
  add("free_layer", param("perpendicular")->choices({"perpendicular", "in_plane"}),
      "perpendicular: easy axis z (H_K,eff > 0); in_plane: easy axis x along the channel (H_K,eff < 0, "
      "in_plane_anisotropy_A_per_m; needs time_step_s ~0.2 ps)");
  add("in_plane_anisotropy_A_per_m", param<double>(2e4)->unit("A/m")->above(0.0),
      "in-plane uniaxial anisotropy field H_K,x along x of an in-plane free layer (shape or crystal)");
}

struct SotPhysics {
  PulsedPhysics layer;
  double sot_current_A, spin_hall_angle, spin_polarization, field_like_ratio, width_m, thickness_m, length_m,
      resistivity_ohm_m;

  static SotPhysics from_params(const Params& p) {
    return {PulsedPhysics::from_params(p),         p.get<double>("sot_current_A"),
            p.get<double>("spin_hall_angle"),     p.get<double>("spin_polarization"),
            p.get<double>("field_like_ratio"),    p.get<double>("channel_width_m"),
            p.get<double>("channel_thickness_m"), p.get<double>("channel_length_m"),
            p.get<double>("channel_resistivity_ohm_m")};
  }
  double channel_resistance_ohm() const { return resistivity_ohm_m * length_m / (width_m * thickness_m); }
  double torque_A_per_m(double current_A) const {
    return layer.torque_per_current_density(spin_hall_angle) * current_A / (width_m * thickness_m);
  }
  // Spin-transfer torque of the bias current through the MTJ (towards AP, -z or -x, for I_b > 0).
  double bias_torque_A_per_m(double bias_A) const {
    return layer.torque_per_current_density(spin_polarization) * bias_A / layer.area_m2();
  }
  PulsedMacrospin model() const {
    PulsedMacrospin m = layer.macrospin();
    m.spin_direction = {0.0, 1.0, 0.0};
    m.field_like_ratio = field_like_ratio;
    m.second_direction = layer.in_plane() ? pulsed_mtj::Vec3{-1.0, 0.0, 0.0} : pulsed_mtj::Vec3{0.0, 0.0, -1.0};
    return m;
  }
  // The pulse at SOT channel current `sot_A` with MTJ bias `bias_A`; the relaxation with the bias only.
  PulsePhase pulse_at(double bias_A, double sot_A) const {
    return {layer.pulse_s, layer.hk_eff_A_per_m(), torque_A_per_m(sot_A), bias_torque_A_per_m(bias_A)};
  }
  PulsePhase pulse_at(double bias_A) const { return pulse_at(bias_A, sot_current_A); }
  PulsePhase relax_at(double bias_A) const { return {layer.relax_s, layer.hk_eff_A_per_m(), 0.0, bias_torque_A_per_m(bias_A)}; }
  double write_energy_J(double bias_A) const {
    return sot_current_A * sot_current_A * channel_resistance_ohm() * layer.pulse_s +
           bias_A * bias_A * layer.r_parallel_ohm * (layer.pulse_s + layer.relax_s);
  }
  // The H_x = 0 threshold current I_c0 = (H_K,eff / 2) / (a_SO per ampere); in plane
  // sqrt(H_K,x |H_K,eff|) / (a_SO per ampere) (header comment).
  double threshold_current_A() const {
    const double a_c = layer.in_plane() ? std::sqrt(layer.in_plane_anisotropy_A_per_m * std::abs(layer.hk_eff_A_per_m()))
                                        : 0.5 * layer.hk_eff_A_per_m();
    return a_c / torque_A_per_m(1.0);
  }
  std::string key_text() const {
    return fmt::format("sot_current={:.17g}\nspin_hall_angle={:.17g}\nP={:.17g}\nfield_like_ratio={:.17g}\n"
                       "channel={:.17g},{:.17g},{:.17g},{:.17g}\nR_P={:.17g}\n",
                       sot_current_A, spin_hall_angle, spin_polarization, field_like_ratio, width_m, thickness_m, length_m,
                       resistivity_ohm_m, layer.r_parallel_ohm);
  }
};

}  // namespace spinsc::sot_mtj
