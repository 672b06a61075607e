#pragma once
// PulsedMtjDevice: what device.sot_mtj and device.vcma_mtj share — a pulsed MTJ (perpendicular, or in plane for device.sot_mtj)
// (pulsed_macrospin.hpp) as a BitSource. A derived device says what its control does (the write
// pulse's phases and torque at a control value, the write energy) and declares its own
// parameters; this class owns the free layer, the read path, the calibration and the streams.
//
//   bit cycle      [settle (relax_s, no drive: the previous bit's relaxation)] -> pulse -> relax -> read
//   bit            1 iff m_z < 0 after the relaxation (AP, high resistance); every bit starts from a
//                  reset junction (P), so bits are independent
//   calibration    P(1) at `calibration_points` controls in [0, max]: `calibration_junctions`
//                  write cycles each, SE = sqrt(p(1-p)/N) (independent cycles); made monotone and
//                  interpolated in logit(P) (device.smtj_llg's CalibrationCurve); cached in HDF5
//                  under <cache_dir>/<plugin>_calibration_<hash>.h5, keyed by every parameter
//   energy per bit E_write(control) + P(1) E_reset + E_read: a device whose write depends on the
//                  start state resets after every 1 (E_reset: the device says); E_read =
//                  V_r^2 t_r (pi_P/R_P + pi_AP/R_AP) + the sense amplifier's energy
//   time per bit   pulse + relax + read time
//   variation      device `device_index` has Delta_device = Delta exp(delta_spread z) (the draw of
//                  delta_variation.hpp, shared with device.smtj_llg) through its anisotropy: its
//                  interface K_i differs, which shifts H_K,eff by (Delta_device/Delta - 1) H_K,eff(0)
//                  in every phase (under a VCMA pulse too); an in-plane layer's H_K,x is scaled
//                  by Delta_device/Delta instead. The calibration and the energy are the
//                  nominal device's (the DAC level does not know the junction), so the spread shows
//                  as an error in each junction's P(1)
#include <string>
#include <vector>

#include "calibration.hpp"
#include "pulsed_macrospin.hpp"
#include "spinsc/bit_source.hpp"
#include "spinsc/params.hpp"

namespace spinsc::pulsed_mtj {

// Defaults of the shared parameters, set by each device. Those with a value here are the same
// for both (the 50 nm x 1.1 nm free layer, alpha = 0.03 and TMR 120 % of the UT
// Stochastic_MTJ_Model devices); the others differ.
struct PulsedDefaults {
  double anisotropy_J_per_m2;  // interface anisotropy K_i
  double diameter_m = 50e-9, thickness_m = 1.1e-9;
  double damping = 0.03;
  double time_step_s;
  double pulse_s, relax_s;
  double parallel_resistance_ohm, tmr = 1.2;
  double bias_field_x_A_per_m;
  double max_control;  // top of the calibration grid, in the device's control unit
  const char* control_key;  // e.g. "calibration_max_current_A"
  const char* control_unit;  // "A" or "V"
  const char* control_text;
};

void declare_pulsed_parameters(OptionsBuilder& add, const PulsedDefaults& defaults);

// The free layer and read path of a pulsed MTJ, read from the shared parameters.
struct PulsedPhysics {
  double temperature_K, ms_A_per_m, anisotropy_J_per_m2, diameter_m, thickness_m, alpha;
  Vec3 h_ext_A_per_m;
  double time_step_s, pulse_s, relax_s;
  double r_parallel_ohm, tmr, read_voltage_V, read_time_s, sense_energy_J;
  double delta_spread;  // sigma of ln(Delta_device / Delta)

  double in_plane_anisotropy_A_per_m = 0.0;  // H_K,x of an in-plane layer; 0: perpendicular

  // A device that declares `free_layer` may ask for an in-plane layer (free_layer = in_plane: easy
  // axis x, H_K,x = in_plane_anisotropy_A_per_m, needs H_K,eff < 0); else it is perpendicular
  // (needs H_K,eff > 0).
  static PulsedPhysics from_params(const Params& p);
  bool in_plane() const { return in_plane_anisotropy_A_per_m > 0.0; }
  double area_m2() const;
  double volume_m3() const;
  // H_K,eff = 2 K_i/(mu0 Ms t_F) - Ms for an interface anisotropy K_i (J/m^2).
  double hk_eff_A_per_m(double anisotropy_J_per_m2) const;
  double hk_eff_A_per_m() const { return hk_eff_A_per_m(anisotropy_J_per_m2); }
  double delta() const;  // mu0 Ms H_K V / (2 kB T) at rest, H_K = H_K,eff (perpendicular) or H_K,x (in plane)
  // The macrospin of this layer (damping, bias field, thermal diffusion); the device sets the
  // directions of its torques.
  PulsedMacrospin macrospin() const;
  double thermal_diffusion() const;
  // hbar P J / (2 e mu0 Ms t_F) style prefactor: damping-like torque (A/m) per A/m^2 of spin
  // current efficiency `efficiency` (spin Hall angle for SOT, P for STT).
  double torque_per_current_density(double efficiency) const;
  double read_energy_J(double p_one) const;
  std::string key_text() const;  // every parameter above, full precision
};

class PulsedMtjDevice : public BitSource {
 public:
  std::uint64_t generate(const StreamRequest& request, std::span<std::uint64_t> words, RandomStream& rng) override;
  double energy_per_bit_J(double probability) const override;
  double time_per_bit_s(double) const override;
  double control_for(double probability) const override;

  const smtj_llg::CalibrationCurve& calibration() const { return curve_; }
  bool calibration_from_cache() const { return from_cache_; }
  const PulsedPhysics& physics() const { return physics_; }
  // One write cycle of n fresh junctions at `control` (the calibration and the streams use it), of
  // a device whose Delta is `delta_factor` times the nominal one (its H_K,eff shifted, see above).
  WriteCycleResult write_cycles(double control, std::size_t n, std::vector<RandomStream> streams,
                                double delta_factor = 1.0) const;
  // Delta_device / Delta of device `device_index` (1 without a spread).
  double delta_factor(std::uint64_t device_index) const;

 protected:
  // control_key: the parameter with the top of the calibration grid (PulsedDefaults::control_key).
  PulsedMtjDevice(const Params& params, const ComponentContext& context, std::string plugin_id, std::string control_unit,
                  const std::string& control_key);
  // The model and the pulse and relaxation phases at a control value (durations are set here).
  virtual PulsedMacrospin model_at(double control) const = 0;
  virtual PulsePhase pulse_at(double control) const = 0;
  virtual PulsePhase relax_at(double control) const = 0;
  // Whether a cycle starts with a settling phase in the parallel state (a write that depends on
  // the start state) or not (a write that erases it).
  virtual bool settles() const = 0;
  virtual double write_energy_J(double control) const = 0;
  virtual double reset_energy_J() const = 0;
  // The device's own parameters as text (cache key), full precision.
  virtual std::string device_key_text() const = 0;
  // Loads or computes the calibration; the derived constructor calls it once its fields are set.
  void calibrate();

  PulsedPhysics physics_;

 private:
  ComponentContext context_;
  std::string plugin_id_, control_unit_;
  int points_, junctions_;
  double max_control_;
 protected:
  double min_control_ = 0.0;  // grid [min, max]: a derived device may make it symmetric
 private:
  std::uint64_t seed_;
  std::string cache_dir_;
  smtj_llg::CalibrationCurve curve_;
  bool from_cache_ = false;

 public:
  std::string control_unit() const override { return control_unit_; }
};

}  // namespace spinsc::pulsed_mtj
