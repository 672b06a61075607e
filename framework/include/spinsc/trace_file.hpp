#pragma once
// Device trace files (HDF5): recorded bitstreams or resistance time series of a random-bit
// device at a set of levels, replayed by device.trace and written by `spinsc trace export`.
// The schema is documented in docs/trace-format.md:
//   /                 attrs format = "spinsc-trace", format_version = 1, source, clock_period_s
//   /levels/NNN       attrs probability, control, control_unit, [energy_per_bit_J]
//     bits            uint64 [ceil(n_bits/64)], attr n_bits (packed as BitSource streams)
//   or resistance_ohm float64 [n_samples], attrs sample_period_s, threshold_low_ohm, threshold_high_ohm
#include <boost/config.hpp>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace spinsc {

// A missing, unreadable or malformed trace file. what() names the file and what is wrong.
class BOOST_SYMBOL_VISIBLE TraceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  ~TraceError() override;
};

inline constexpr std::int64_t kTraceFormatVersion = 1;

struct TraceLevel {
  double probability = 0.5;     // nominal P(1) (AP) the level was recorded for
  double control = 0.0;         // bias (or pulse width, threshold) that set the level; NaN if none
  std::string control_unit;     // "V", "s", ...
  double energy_per_bit_J = -1; // < 0: not recorded
  // Either a packed bitstream ...
  std::vector<std::uint64_t> bits;
  std::uint64_t n_bits = 0;
  // ... or a resistance time series (Ohm), read out with a Schmitt trigger.
  std::vector<double> resistance_ohm;
  double sample_period_s = 0;
  double threshold_low_ohm = 0;   // R <= low: P (0)
  double threshold_high_ohm = 0;  // R >= high: AP (1); in between: previous state
  bool is_resistance() const { return !resistance_ohm.empty(); }
};

struct TraceFile {
  std::string source;           // what produced it, e.g. "spinsc trace export device.smtj_telegraph"
  double clock_period_s = 0;    // clock of the bit streams (and default replay clock)
  std::vector<TraceLevel> levels;
};

// Writes the file in one piece (temporary + rename: an existing file is replaced only on success).
void write_trace_file(const std::filesystem::path& file, const TraceFile& trace);
// Reads and validates; throws TraceError naming the file, the object and what is wrong.
TraceFile read_trace_file(const std::filesystem::path& file);

// Bits of a resistance level: Schmitt trigger (start state from the first sample against the
// midpoint of the thresholds), sampled at t_k = k clock_period_s (the sample at or before t_k).
// Returns the packed stream; *n_bits receives its length.
std::vector<std::uint64_t> resistance_to_bits(const TraceLevel& level, double clock_period_s, std::uint64_t* n_bits);

}  // namespace spinsc
