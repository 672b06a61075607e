#pragma once
// Device-to-device variation of the energy barrier, shared by the macrospin devices (device.smtj_llg,
// device.sot_mtj, device.vcma_mtj): device `device_index` has Delta_device = Delta exp(spread z),
// z ~ N(0, 1) drawn from the run seed, the component's stream key and the device index, so a device
// keeps its Delta for the whole run and every bank entry or fresh stream of a given index is the same
// junction. A log-normal spread keeps Delta positive; for small spreads `spread` is the relative
// standard deviation of Delta.
#include <cmath>
#include <cstdint>
#include <string_view>

#include "spinsc/component.hpp"
#include "spinsc/random.hpp"

namespace spinsc::smtj_llg {

// Delta_device / Delta; `purpose` keys the draw (e.g. "device.smtj_llg.variation").
inline double delta_factor(double spread, const ComponentContext& context, std::string_view purpose,
                           std::uint64_t device_index) {
  if (spread == 0.0) return 1.0;
  RandomStream draw(context.seed, purpose, context.stream_key, device_index);
  return std::exp(spread * draw.normal());
}

}  // namespace spinsc::smtj_llg
