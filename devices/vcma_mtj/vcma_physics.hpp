#pragma once
// device.vcma_mtj: a voltage-controlled-magnetic-anisotropy MTJ as a random-bit generator.
//
// Write: a voltage pulse V across the MTJ (oxide thickness t_ox) lowers the interface anisotropy by
// the VCMA coefficient xi: K_i(V) = K_i - xi V / t_ox, so that during the pulse
//
//   H_K,eff(V) = 2 (K_i - xi V / t_ox) / (mu0 Ms t_F) - Ms.
//
// The in-plane bias field H_x then dominates and the magnetization precesses about it: a pulse of
// about half a precession period leaves it near -z, where it relaxes when the anisotropy returns
// (precessional switching). The thermal spread of the start and of the path makes the outcome a
// coin: P(1) is set by the pulse amplitude at a given width (the control is V). The pulse's current
// V / R_P also gives a small spin-transfer torque a_J = hbar P J / (2 e mu0 Ms t_F) (s = -z: it helps
// the write), `spin_polarization` = 0 turns it off.
//
// Zero-temperature threshold (the oracle of the tests; alpha -> 0, no STT): the precession during
// the pulse conserves E(m) = -H_K,eff(V) m_z^2 / 2 - H_x m_x, and the orbit from the rest state
// (sin theta0 = H_x / H_K,eff(0)) reaches the equator iff E(m0) >= -H_x, i.e. iff
//   H_K,eff(V) <= H_c = 2 H_x / (1 + H_x / H_K,eff(0)),
// so V_c = (H_K,eff(0) - H_c) mu0 Ms t_F t_ox / (2 xi).
//
// Energy per write: C V^2 + V^2 t_pulse / R_P (charging the junction, C = eps0 eps_r A / t_ox, and the
// conduction during the pulse at the parallel resistance it starts from); plus the read and the
// reset of a 1 (pulsed_device.hpp).
//
// Parameter sources: Ms = 1.2e6 A/m, 50 nm x 1.1 nm, alpha = 0.03, R_P and TMR 120 % after the VCMA
// device of the UT Stochastic_MTJ_Model (Liu et al., IEEE JXCDC 8(2), 2022); K_i = 1.0614e-3 J/m^2
// (mu0 H_K,eff = 0.10 T, Delta = 31), H_x = 20 mT, xi = 100 fJ/(V m), t_ox = 1.5 nm, eps_r = 9 (MgO),
// R_P = 500 kOhm (RA ~ 1 kOhm um^2: little current, as VCMA junctions are built) are ours.
#include <fmt/format.h>

#include <cmath>
#include <string>

#include "pulsed_device.hpp"

namespace spinsc::vcma_mtj {

using pulsed_mtj::PulsePhase;
using pulsed_mtj::PulsedMacrospin;
using pulsed_mtj::PulsedPhysics;

inline constexpr double kEpsilon0_F_per_m = 8.8541878128e-12;

inline pulsed_mtj::PulsedDefaults vcma_defaults() {
  pulsed_mtj::PulsedDefaults d{};
  d.anisotropy_J_per_m2 = 1.0614e-3;
  d.time_step_s = 1e-12;
  d.pulse_s = 0.9e-9;
  d.relax_s = 5e-9;
  d.parallel_resistance_ohm = 500e3;
  d.bias_field_x_A_per_m = 15915.0;
  d.max_control = 0.9;  // P(1) = 1 from 0.8 V; it falls again beyond ~1.2 V at 0.9 ns (the precession overshoots)
  d.control_key = "calibration_max_voltage_V";
  d.control_unit = "V";
  d.control_text = "calibration grid spans pulse amplitudes [0, max]";
  return d;
}

inline void declare_vcma_parameters(OptionsBuilder& add) {
  pulsed_mtj::declare_pulsed_parameters(add, vcma_defaults());
  add("vcma_coefficient_J_per_V_m", param<double>(100e-15)->unit("J/(V m)")->min(0.0),
      "VCMA coefficient xi: K_i falls by xi V / t_ox under V");
  add("oxide_thickness_m", param<double>(1.5e-9)->unit("m")->above(0.0), "tunnel barrier thickness t_ox");
  add("oxide_relative_permittivity", param<double>(9.0)->above(0.0), "relative permittivity of the barrier (MgO: 9)");
  add("calibration_min_voltage_V", param<double>(0.5)->unit("V")->min(0.0),
      "bottom of the calibration grid (P(1) = 0.008 at 0.5 V: below it the pulse does not switch)");
  add("spin_polarization", param<double>(0.58)->range(0.0, 1.0),
      "spin polarization P of the pulse current (its spin-transfer torque; 0: none)");
}

struct VcmaPhysics {
  PulsedPhysics layer;
  double xi_J_per_V_m, oxide_thickness_m, relative_permittivity, spin_polarization;

  static VcmaPhysics from_params(const Params& p) {
    return {PulsedPhysics::from_params(p), p.get<double>("vcma_coefficient_J_per_V_m"),
            p.get<double>("oxide_thickness_m"), p.get<double>("oxide_relative_permittivity"),
            p.get<double>("spin_polarization")};
  }
  double hk_eff_at_A_per_m(double voltage_V) const {
    return layer.hk_eff_A_per_m(layer.anisotropy_J_per_m2 - xi_J_per_V_m * voltage_V / oxide_thickness_m);
  }
  double capacitance_F() const { return kEpsilon0_F_per_m * relative_permittivity * layer.area_m2() / oxide_thickness_m; }
  PulsedMacrospin model() const {
    PulsedMacrospin m = layer.macrospin();
    m.spin_direction = {0.0, 0.0, -1.0};  // the pulse current's torque favours AP: it helps the write
    m.field_like_ratio = 0.0;
    return m;
  }
  PulsePhase pulse_at(double voltage_V) const {
    const double j = voltage_V / (layer.r_parallel_ohm * layer.area_m2());
    return {layer.pulse_s, hk_eff_at_A_per_m(voltage_V), layer.torque_per_current_density(spin_polarization) * j, 0.0};
  }
  double write_energy_J(double voltage_V) const {
    return capacitance_F() * voltage_V * voltage_V + voltage_V * voltage_V * layer.pulse_s / layer.r_parallel_ohm;
  }
  // The alpha -> 0 threshold amplitude (header comment).
  double threshold_voltage_V() const {
    const double hk0 = layer.hk_eff_A_per_m(), hx = std::abs(layer.h_ext_A_per_m.x);
    const double h_c = 2.0 * hx / (1.0 + hx / hk0);
    return (hk0 - h_c) * smtj_llg::kMu0 * layer.ms_A_per_m * layer.thickness_m * oxide_thickness_m / (2.0 * xi_J_per_V_m);
  }
  std::string key_text() const {
    return fmt::format("xi={:.17g}\nt_ox={:.17g}\neps_r={:.17g}\nP={:.17g}\nR_P={:.17g}\n", xi_J_per_V_m,
                       oxide_thickness_m, relative_permittivity, spin_polarization, layer.r_parallel_ohm);
  }
};

}  // namespace spinsc::vcma_mtj
