#pragma once
// The free-layer parameters that device.smtj_llg and the pulsed devices (devices/pulsed_mtj)
// declare under the same keys with the same meaning, read into their physics structs in one place.
#include "spinsc/params.hpp"

namespace spinsc::smtj_llg {

// Physics: any struct with temperature_K, ms_A_per_m, diameter_m, thickness_m and alpha.
template <class Physics>
void read_free_layer(const Params& p, Physics& d) {
  d.temperature_K = p.get<double>("temperature_K");
  d.ms_A_per_m = p.get<double>("saturation_magnetization_A_per_m");
  d.diameter_m = p.get<double>("free_layer_diameter_m");
  d.thickness_m = p.get<double>("free_layer_thickness_m");
  d.alpha = p.get<double>("damping");
}

}  // namespace spinsc::smtj_llg
