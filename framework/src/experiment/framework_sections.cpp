// The framework sections owned by the experiment runtime: [device] (which device makes the bits)
// and [sweep] (how the run points are formed; its other keys are the swept keys).
#include "spinsc/run_context.hpp"

namespace spinsc {

namespace {

void declare_device_section(OptionsBuilder& add) {
  add("plugin", param<std::string>("device.bernoulli"),
      "the random-bit device, a device plugin id (spinsc plugins lists them); its own keys go in the "
      "section named after it, e.g. [device.lfsr]");
}

void declare_sweep_section(OptionsBuilder& add) {
  add("mode", param<std::string>("grid")->choices({"grid", "zip"}),
      "grid: every combination of the swept values (first key slowest); zip: the i-th values together");
  add("repeats", param<std::int64_t>(1)->range(1, 1e6),
      "runs per sweep point; repeat r >= 1 gets its own seed derived from the seed and r");
}

}  // namespace

}  // namespace spinsc

SPINSC_REGISTER_SECTION("device", spinsc::declare_device_section)
SPINSC_REGISTER_SECTION("sweep", spinsc::declare_sweep_section)
