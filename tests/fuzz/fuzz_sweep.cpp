// Fuzzes the sweep expander: one value text (lists, linspace, range) for a scalar and a
// list-valued key, then the run points of a grid over what it expanded to, with repeats.
#include <cstddef>
#include <cstdint>
#include <string>

#include "spinsc/experiment.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const bool list_valued = data[0] & 1;
  const std::uint64_t repeats = 1 + (data[0] >> 1);
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    std::vector<spinsc::SweepAxis> axes(2);
    axes[0].key = "a";
    axes[0].values = spinsc::expand_sweep_values(text, list_valued);
    axes[1].key = "b";
    axes[1].values = {"1", "2"};
    spinsc::expand_run_points("grid", axes, repeats, 1);
    spinsc::expand_run_points("zip", {axes[0]}, repeats, 1);
  } catch (const spinsc::ExperimentError&) {
  }
  return 0;
}
