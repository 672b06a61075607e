// device.vcma_mtj: a voltage-controlled-magnetic-anisotropy MTJ random-bit generator (equations
// and parameter sources in vcma_physics.hpp): each bit is a voltage pulse that lowers the
// perpendicular anisotropy of a reset free layer so that it precesses about an in-plane field,
// integrated by the stochastic LLG (Heun/Odeint) of device.smtj_llg, then read. The control is the
// pulse amplitude (V) at a fixed width; its calibration against P(1) is simulated and cached
// (pulsed_device.hpp).
//
// Example experiment block:
//   [device]
//   plugin = device.vcma_mtj
//   [device.vcma_mtj]
//   pulse_width_s = 0.9e-9
//   bias_field_x_A_per_m = 15915
#include <fmt/format.h>

#include "pulsed_device.hpp"
#include "vcma_physics.hpp"
#include "spinsc/plugin.hpp"

namespace {

using namespace spinsc;

class VcmaMtj final : public pulsed_mtj::PulsedMtjDevice {
 public:
  static void declare(OptionsBuilder& add) { vcma_mtj::declare_vcma_parameters(add); }

  VcmaMtj(const Params& params, const ComponentContext& context)
      : PulsedMtjDevice(params, context, "device.vcma_mtj", "V", "calibration_max_voltage_V"),
        vcma_(vcma_mtj::VcmaPhysics::from_params(params)) {
    min_control_ = params.get<double>("calibration_min_voltage_V");
    if (!(min_control_ < params.get<double>("calibration_max_voltage_V")))
      throw ParamError(fmt::format("'{}' = {} V must be below '{}'", params.full_key("calibration_min_voltage_V"),
                                   min_control_, params.full_key("calibration_max_voltage_V")));
    calibrate();
  }

 private:
  pulsed_mtj::PulsedMacrospin model_at(double) const override { return vcma_.model(); }
  pulsed_mtj::PulsePhase pulse_at(double voltage_V) const override { return vcma_.pulse_at(voltage_V); }
  pulsed_mtj::PulsePhase relax_at(double) const override { return {0.0, vcma_.layer.hk_eff_A_per_m(), 0.0, 0.0}; }
  bool settles() const override { return true; }  // precessional switching depends on the start
  double write_energy_J(double voltage_V) const override { return vcma_.write_energy_J(voltage_V); }
  // A reset after a 1: a write at the top of the calibrated range (the grid's deterministic end).
  double reset_energy_J() const override { return vcma_.write_energy_J(calibration().bias.back()); }
  std::string device_key_text() const override { return vcma_.key_text(); }

  vcma_mtj::VcmaPhysics vcma_;
};

}  // namespace

SPINSC_PLUGIN(VcmaMtj, "device", "vcma_mtj", "1.0.0",
              "VCMA-MTJ: voltage pulse lowers the anisotropy, precessional switching in an in-plane field, stochastic LLG, calibrated amplitude")
