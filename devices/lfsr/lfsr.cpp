// device.lfsr: CMOS LFSR stochastic number generator. A Fibonacci LFSR of `width` bits (8..32,
// maximal-length taps by default) is compared each clock with the binary target B: the bit is 1
// iff R_t < B, B = 1 + round(p (2^n - 1)). Over one period there are exactly B - 1 ones
// (physics.md section D; equations in lfsr_core.hpp). The stream is deterministic given the start
// state: streams of one polynomial are shifted copies, so they stay correlated.
//
// Start state (`seeding`):
//   device  the state is drawn once per junction-equivalent `device_index` from the experiment
//           seed: every stream of that device index restarts from the same state (an SNG reset to
//           its seed register before each stream);
//   stream  a fresh start state from the caller's random stream on every call (random phase);
//   fixed   `initial_state` for every stream.
// Energy: E_bit = energy_per_bit_J (default 10 fJ, the papers' CMOS figure, step + comparator).
// Switching events reported: toggles of the output bit.
//
// Example experiment block:
//   [device]
//   plugin = device.lfsr
//   [device.lfsr]
//   width = 16
//   taps = table          # or e.g. 16,14,13,11
//   seeding = device
#include <fmt/format.h>

#include "../common/packed_bits.hpp"
#include "lfsr_core.hpp"
#include "spinsc/bit_source.hpp"
#include "spinsc/plugin.hpp"

namespace {

std::vector<int> parse_taps(const std::string& text, int width) {
  if (text == "table") return spinsc::lfsr::maximal_taps(width);
  std::vector<int> taps;
  for (const std::string& item : spinsc::split_list_keeping_empty(text)) {
    // "16,,14" or "16,14," is a typo, not a shorter list of taps.
    if (item.empty())
      throw spinsc::ParamError("value '" + text +
                               "' of 'device.lfsr.taps' has an empty item (two commas in a row, or one at an end)");
    try {
      std::size_t used = 0;
      taps.push_back(std::stoi(item, &used));
      if (used != item.size()) throw std::invalid_argument(item);
    } catch (const std::exception&) {
      throw spinsc::ParamError("value '" + text + "' of 'device.lfsr.taps' is not 'table' or a list of integers");
    }
  }
  return taps;
}

class Lfsr final : public spinsc::BitSource {
 public:
  static void declare(spinsc::OptionsBuilder& add) {
    add("width", spinsc::param<int>(16)->range(8, 32), "register width n in bits (period 2^n - 1)");
    add("taps", spinsc::param("table"),
        "feedback taps, XAPP052 numbering (e.g. 16,15,13,4); 'table' = maximal-length taps for the width");
    add("seeding", spinsc::param("device")->choices({"device", "stream", "fixed"}),
        "start state: per device_index from the seed, per stream from the caller's random stream, or initial_state");
    add("initial_state", spinsc::param<std::int64_t>(1)->min(1), "start state when seeding = fixed (1..2^n - 1)");
    add("energy_per_bit_J", spinsc::param<double>(10e-15)->unit("J")->min(0.0),
        "energy per bit: LFSR step plus comparator (papers: about 10 fJ)");
    add("time_per_bit_s", spinsc::param<double>(1e-9)->unit("s")->above(0.0), "clock period (one bit per clock)");
  }

  Lfsr(const spinsc::Params& params, const spinsc::ComponentContext& context)
      : width_(params.get<int>("width")),
        seeding_(params.get<std::string>("seeding")),
        initial_state_(params.get<std::int64_t>("initial_state")),
        energy_per_bit_J_(params.get<double>("energy_per_bit_J")),
        time_per_bit_s_(params.get<double>("time_per_bit_s")),
        seed_stream_(context.seed, "device.lfsr/initial_state", 0, context.instance) {
    try {
      mask_ = spinsc::lfsr::tap_mask(width_, parse_taps(params.get<std::string>("taps"), width_));
    } catch (const std::invalid_argument& e) {
      throw spinsc::ParamError(fmt::format("'device.lfsr.taps' = '{}' is not valid for width {}: {}",
                                           params.get<std::string>("taps"), width_, e.what()));
    }
    if (seeding_ == "fixed" && std::uint64_t(initial_state_) > spinsc::lfsr::period_of_width(width_))
      throw spinsc::ParamError(fmt::format("value {} of 'device.lfsr.initial_state' is out of range 1..{} for width {}",
                                           initial_state_, spinsc::lfsr::period_of_width(width_), width_));
  }

  std::uint64_t generate(const spinsc::StreamRequest& request, std::span<std::uint64_t> words,
                         spinsc::RandomStream& rng) override {
    spinsc::lfsr::FibonacciLfsr lfsr(width_, mask_, start_state(request.device_index, rng));
    spinsc::lfsr::fill_stream(lfsr, spinsc::lfsr::comparator_threshold(request.probability, width_),
                              request.n_bits, words.data());
    return spinsc::device_bits::count_toggles(words, request.n_bits);
  }

  double energy_per_bit_J(double) const override { return energy_per_bit_J_; }
  double time_per_bit_s(double) const override { return time_per_bit_s_; }
  double control_for(double probability) const override {
    return double(spinsc::lfsr::comparator_threshold(probability, width_));
  }
  std::string control_unit() const override { return "LSB"; }

 private:
  std::uint32_t start_state(std::uint64_t device_index, spinsc::RandomStream& rng) const {
    const std::uint64_t period = spinsc::lfsr::period_of_width(width_);
    if (seeding_ == "fixed") return static_cast<std::uint32_t>(initial_state_);
    if (seeding_ == "stream") return static_cast<std::uint32_t>(1 + rng.below(period));
    spinsc::RandomStream device_stream = seed_stream_.substream(device_index);
    return static_cast<std::uint32_t>(1 + device_stream.below(period));
  }

  int width_;
  std::string seeding_;
  std::int64_t initial_state_;
  double energy_per_bit_J_;
  double time_per_bit_s_;
  spinsc::RandomStream seed_stream_;
  std::uint32_t mask_ = 0;
};

}  // namespace

SPINSC_PLUGIN(Lfsr, "device", "lfsr", "1.0.0", "CMOS LFSR stochastic number generator (Fibonacci LFSR + comparator)")
