// device.trace: replays recorded device traces from an HDF5 file (schema: docs/trace-format.md,
// spinsc/trace_file.hpp). Each level of the file is a bitstream, or a resistance time series
// turned into bits at load time with the file's Schmitt-trigger thresholds, sampled at the clock
// (clock_period_s, or the file's clock when 0).
//
// A requested P(1) is served by the level whose measured P(1) (the fraction of ones in its
// recording) is nearest; if none lies within `tolerance`, generate() throws naming the file, the
// request and the recorded levels. A stream is a window of n_bits consecutive recorded bits
// starting at a uniformly drawn offset (from the caller's random stream), so the recording's
// autocorrelation is kept; a request longer than the recording is an error.
// Energy per bit: the level's recorded energy_per_bit_J, else the parameter. Time per bit: the clock.
//
// Example experiment block:
//   [device]
//   plugin = device.trace
//   [device.trace]
//   file = data/traces/smtj_telegraph_5levels.h5
//   tolerance = 0.05
#include <fmt/format.h>

#include <cmath>

#include "spinsc/bit_source.hpp"
#include "spinsc/plugin.hpp"
#include "spinsc/shipped_files.hpp"
#include "spinsc/stream_statistics.hpp"
#include "spinsc/trace_file.hpp"

namespace {

struct ReplayLevel {
  std::vector<std::uint64_t> bits;
  std::uint64_t n_bits = 0;
  double measured_p1 = 0;
  spinsc::TraceLevel info;  // probability, control, energy (its own data vectors emptied)
};

class Trace final : public spinsc::BitSource {
 public:
  static void declare(spinsc::OptionsBuilder& add) {
    add("file", spinsc::param<std::string>(), "trace file (HDF5, docs/trace-format.md); a relative path is taken from the working folder, else from spinsc's own folder (data/traces/... works anywhere)");
    add("tolerance", spinsc::param<double>(0.05)->range(0.0, 1.0),
        "largest |requested P(1) - recorded P(1)| served by the nearest level; beyond it: error");
    add("clock_period_s", spinsc::param<double>(0.0)->unit("s")->min(0.0),
        "replay clock for resistance traces and time per bit; 0 = the file's clock_period_s");
    add("energy_per_bit_J", spinsc::param<double>(0.0)->unit("J")->min(0.0),
        "energy per bit for levels that do not record their own");
  }

  Trace(const spinsc::Params& params, const spinsc::ComponentContext&)
      : file_(spinsc::resolve_shipped_path(params.get<std::string>("file")).string()),
        tolerance_(params.get<double>("tolerance")),
        energy_per_bit_J_(params.get<double>("energy_per_bit_J")) {
    spinsc::TraceFile trace = spinsc::read_trace_file(file_);
    const double configured = params.get<double>("clock_period_s");
    clock_period_s_ = configured > 0 ? configured : trace.clock_period_s;
    for (spinsc::TraceLevel& level : trace.levels) {
      ReplayLevel replay;
      if (level.is_resistance()) {
        try {
          replay.bits = spinsc::resistance_to_bits(level, clock_period_s_, &replay.n_bits);
        } catch (const spinsc::TraceError& e) {
          throw spinsc::TraceError(fmt::format("trace file '{}': {}", file_, e.what()));
        }
      } else {
        replay.bits = std::move(level.bits);
        replay.n_bits = level.n_bits;
      }
      level.bits.clear();
      level.resistance_ohm.clear();
      replay.measured_p1 = double(spinsc::stream_stats::count_ones(replay.bits, replay.n_bits)) / double(replay.n_bits);
      replay.info = std::move(level);
      levels_.push_back(std::move(replay));
    }
  }

  std::uint64_t generate(const spinsc::StreamRequest& request, std::span<std::uint64_t> words,
                         spinsc::RandomStream& rng) override {
    const ReplayLevel& level = level_for(request.probability);
    if (request.n_bits > level.n_bits)
      throw spinsc::TraceError(fmt::format("trace file '{}': a stream of {} bits was requested but the level with "
                                           "P(1) = {:.4g} holds only {} bits", file_, request.n_bits,
                                           level.measured_p1, level.n_bits));
    const std::uint64_t offset = rng.below(level.n_bits - request.n_bits + 1);
    const std::size_t n_words = spinsc::words_for_bits(request.n_bits);
    const std::size_t q = offset / 64, r = offset % 64;
    for (std::size_t i = 0; i < n_words; ++i) {
      std::uint64_t w = level.bits[q + i] >> r;
      if (r && q + i + 1 < level.bits.size()) w |= level.bits[q + i + 1] << (64 - r);
      words[i] = w;
    }
    if (request.n_bits % 64) words[n_words - 1] &= (1ull << (request.n_bits % 64)) - 1;
    return spinsc::stream_stats::count_toggles(words, request.n_bits);
  }

  double energy_per_bit_J(double probability) const override {
    const ReplayLevel& level = level_for(probability);
    return level.info.energy_per_bit_J >= 0 ? level.info.energy_per_bit_J : energy_per_bit_J_;
  }
  double time_per_bit_s(double) const override { return clock_period_s_; }
  double control_for(double probability) const override { return level_for(probability).info.control; }
  std::string control_unit() const override { return levels_.front().info.control_unit; }

 private:
  const ReplayLevel& level_for(double p) const {
    const ReplayLevel* best = &levels_.front();
    for (const ReplayLevel& level : levels_)
      if (std::abs(level.measured_p1 - p) < std::abs(best->measured_p1 - p)) best = &level;
    if (std::abs(best->measured_p1 - p) > tolerance_) {
      std::string recorded;
      for (const ReplayLevel& level : levels_) recorded += fmt::format("{}{:.4g}", recorded.empty() ? "" : ", ", level.measured_p1);
      throw spinsc::TraceError(fmt::format(
          "trace file '{}': no recorded level within tolerance {} of requested P(1) = {:.4g} (recorded P(1): {}); "
          "raise device.trace.tolerance or record that level", file_, tolerance_, p, recorded));
    }
    return *best;
  }

  std::string file_;
  double tolerance_;
  double energy_per_bit_J_;
  double clock_period_s_ = 0;
  std::vector<ReplayLevel> levels_;
};

}  // namespace

SPINSC_PLUGIN(Trace, "device", "trace", "1.0.0", "replays recorded device traces (bitstreams or resistance series) from HDF5")
