#pragma once
// DevicePhysics: the physical description of one s-MTJ of device.smtj_llg (free-layer geometry
// and material, spin torque, resistance read-out, integration and clock), read from the plugin's
// parameters, and the conversions from it to the macrospin model: fields, torques and thermal
// strength in A/m at a given bias, Schmitt thresholds on m_z, energy per bit.
//
// Its parameters are declared once, in declare_device_parameters(); the plugin, the benchmark and
// the tests all read their defaults from there (default_device_parameters()).
#include <boost/program_options.hpp>
#include <string>

#include "macrospin_model.hpp"
#include "schmitt_readout.hpp"
#include "spinsc/params.hpp"

namespace spinsc::smtj_llg {

// Version of the equations (part of the calibration cache key): bump it whenever a change of the
// model changes P(1) against bias. 2: the spin-transfer torque is hbar P J / (2 e mu0 Ms t_F) at
// m = p (version 1 had half of it).
inline constexpr int kPhysicsVersion = 2;

enum class BiasMode { kVoltage, kCurrent };
enum class VariationVia { kVolume, kAnisotropy };

struct DevicePhysics {
  double temperature_K;
  double ms_A_per_m;
  double anisotropy_J_per_m3;  // K_u
  double demag_x, demag_y, demag_z;
  double diameter_m, thickness_m;
  double alpha;
  Vec3 h_ext_A_per_m;
  double spin_polarization, slonczewski_lambda, field_like_ratio;
  ResistanceModel resistance;
  BiasMode bias_mode;
  double time_step_s, clock_period_s;
  double read_threshold_low, read_threshold_high;  // normalized resistance
  double read_energy_J;
  double delta_spread;  // sigma of ln(Delta_device / Delta)
  VariationVia variation_via;

  // Checks the combination of parameters (positive H_K,eff, demag factors summing to 1, a time
  // step small enough for the precession): throws spinsc::ParamError naming the key.
  static DevicePhysics from_params(const Params& params);

  double area_m2() const { return 0.25 * kPi * diameter_m * diameter_m; }
  double volume_m3() const { return area_m2() * thickness_m; }
  double hk_uniaxial_A_per_m() const { return 2.0 * anisotropy_J_per_m3 / (kMu0 * ms_A_per_m); }
  double hk_eff_A_per_m() const { return hk_uniaxial_A_per_m() - (demag_z - demag_x) * ms_A_per_m; }
  // Energy barrier Delta = mu0 Ms H_K,eff V / (2 kB T) of the nominal device.
  double delta() const;
  std::string bias_unit() const { return bias_mode == BiasMode::kVoltage ? "V" : "A"; }

  // The ensemble-wide model at a bias (in voltage mode the current follows G(m), whose asymmetry
  // depends on the bias through TMR(V)).
  MacrospinModel model_at(double bias) const;
  // One junction's constants at a bias; delta_factor scales its Delta (device variation) through
  // the volume (area at fixed thickness) or the anisotropy.
  JunctionCoefficients junction_at(double bias, double delta_factor = 1.0) const;
  // Schmitt thresholds on m_z: {bit turns 1 below, bit turns 0 above}.
  std::pair<double, double> mz_thresholds_at(double bias) const;
  // Bias voltage across the junction for a bias in the device's mode, at resistance state m_z.
  double voltage_V(double bias, double mz) const;
  // E_bit = V^2 T_clock (pi_P / R_P + pi_AP / R_AP(V)) + E_read, with pi_AP = P(AP) (current mode:
  // I^2 R instead of V^2 / R).
  double energy_per_bit_J(double bias, double p_antiparallel) const;
  // Canonical text of every parameter a calibration curve depends on (cache key).
  std::string calibration_key_text() const;
};

// Declares the physical parameters (under the builder's prefix).
void declare_device_parameters(OptionsBuilder& add);
// Values of all declared parameters at their defaults (for benchmarks and tests); `overrides`
// are "key=value" lines, keys without prefix.
boost::program_options::variables_map default_device_parameters(const std::string& prefix,
                                                                 const std::vector<std::string>& overrides = {});

}  // namespace spinsc::smtj_llg
