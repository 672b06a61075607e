// device.sot_mtj: a spin-orbit-torque MTJ random-bit generator (equations and parameter sources
// in sot_physics.hpp): each bit is a channel-current pulse that drives the free layer (perpendicular,
// or in plane with free_layer = in_plane) to the spin direction y, then its fall to P or AP, tilted by a bias current through the MTJ (the
// control, A), integrated by the stochastic LLG (Heun/Odeint) of device.smtj_llg and read through
// the MTJ. The calibration of the bias against P(1) is simulated and cached (pulsed_device.hpp).
//
// Example experiment block:
//   [device]
//   plugin = device.sot_mtj
//   [device.sot_mtj]
//   pulse_width_s = 10e-9
//   sot_current_A = 75e-6
#include "pulsed_device.hpp"
#include "sot_physics.hpp"
#include "spinsc/plugin.hpp"

namespace {

using namespace spinsc;

class SotMtj final : public pulsed_mtj::PulsedMtjDevice {
 public:
  static void declare(OptionsBuilder& add) { sot_mtj::declare_sot_parameters(add); }

  SotMtj(const Params& params, const ComponentContext& context)
      : PulsedMtjDevice(params, context, "device.sot_mtj", "A", "calibration_max_bias_current_A"),
        sot_(sot_mtj::SotPhysics::from_params(params)) {
    min_control_ = -params.get<double>("calibration_max_bias_current_A");  // the grid is [-max, max]
    calibrate();
  }

 private:
  pulsed_mtj::PulsedMacrospin model_at(double) const override { return sot_.model(); }
  pulsed_mtj::PulsePhase pulse_at(double bias_A) const override { return sot_.pulse_at(bias_A); }
  pulsed_mtj::PulsePhase relax_at(double bias_A) const override { return sot_.relax_at(bias_A); }
  bool settles() const override { return false; }  // the pulse erases the state
  double write_energy_J(double bias_A) const override { return sot_.write_energy_J(bias_A); }
  double reset_energy_J() const override { return 0.0; }
  std::string device_key_text() const override { return sot_.key_text(); }

  sot_mtj::SotPhysics sot_;
};

}  // namespace

SPINSC_PLUGIN(SotMtj, "device", "sot_mtj", "1.0.0",
              "SOT-MTJ: channel-current pulse puts the free layer in plane, an MTJ bias current tilts its fall; stochastic LLG, calibrated bias")
