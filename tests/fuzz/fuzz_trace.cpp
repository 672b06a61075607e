// Fuzzes the trace-file reader (HDF5: attributes, bit and resistance datasets), then turns a
// resistance level that was accepted into bits, as device.trace does.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "spinsc/trace_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = spinsc::fuzz::as_file(data, size, "trace.h5");
  try {
    const spinsc::TraceFile trace = spinsc::read_trace_file(file);
    for (const auto& level : trace.levels) {
      std::uint64_t n_bits = 0;
      if (level.is_resistance()) spinsc::resistance_to_bits(level, trace.clock_period_s, &n_bits);
    }
  } catch (const spinsc::TraceError&) {
  }
  return 0;
}
