// device.bernoulli: the ideal reference source. Every bit is an independent Bernoulli trial with
// the requested P(1): no correlation, no bias, no device physics.
//
// Algorithm: P(1) is rounded to 32 binary digits p = 0.b1 b2 ... b32; a word of 64 bits with
// P(1) = p is built from one uniform random word per digit, from the last digit to the first:
// w <- b ? (w | r) : (w & r). Each step maps P(1) = q to (1 + q)/2 or q/2, so after the last
// digit P(1) = p exactly (to 2^-32), for all 64 bits at once. Trailing zero digits are skipped,
// so the quantized levels of 5-state SC (0, 1/4, 1/2, 3/4, 1) cost at most 2 random words.
//
// Example experiment block:
//   [device]
//   plugin = device.bernoulli
//   [device.bernoulli]
//   energy_per_bit_J = 20e-15
#include <bit>
#include <cmath>

#include "spinsc/bit_source.hpp"
#include "spinsc/plugin.hpp"

namespace {

class Bernoulli final : public spinsc::BitSource {
 public:
  static void declare(spinsc::OptionsBuilder& add) {
    add("energy_per_bit_J", spinsc::param<double>(0.0)->unit("J")->min(0.0),
        "energy charged per generated bit (an ideal source costs what you say it costs)");
    add("time_per_bit_s", spinsc::param<double>(1e-9)->unit("s")->above(0.0), "time per generated bit");
  }

  Bernoulli(const spinsc::Params& params, const spinsc::ComponentContext&)
      : energy_per_bit_J_(params.get<double>("energy_per_bit_J")),
        time_per_bit_s_(params.get<double>("time_per_bit_s")) {}

  std::uint64_t generate(const spinsc::StreamRequest& request, std::span<std::uint64_t> words,
                         spinsc::RandomStream& rng) override {
    const double p = std::clamp(request.probability, 0.0, 1.0);
    const auto fixed = static_cast<std::uint64_t>(std::llround(p * 4294967296.0));  // p * 2^32
    const std::size_t n_words = spinsc::words_for_bits(request.n_bits);
    std::uint64_t switches = 0;
    std::uint64_t previous_bit = 2;  // no previous bit yet
    for (std::size_t i = 0; i < n_words; ++i) {
      std::uint64_t w = 0;
      if (fixed >= (1ull << 32)) {
        w = ~0ull;
      } else if (fixed != 0) {
        const int lowest = std::countr_zero(fixed);
        for (int digit = lowest; digit < 32; ++digit) {
          const std::uint64_t r = rng.next_u64();
          w = ((fixed >> digit) & 1u) ? (w | r) : (w & r);
        }
      }
      const std::size_t bits_here = std::min<std::size_t>(64, request.n_bits - 64 * i);
      if (bits_here < 64) w &= (1ull << bits_here) - 1;
      // A switching event is a change between consecutive bits (the state of the ideal source).
      const std::uint64_t changes = (w ^ (w >> 1)) & ((bits_here == 64 ? ~0ull : (1ull << bits_here) - 1) >> 1);
      switches += std::popcount(changes);
      if (previous_bit != 2 && previous_bit != (w & 1u)) ++switches;
      previous_bit = (w >> (bits_here - 1)) & 1u;
      words[i] = w;
    }
    return switches;
  }

  double energy_per_bit_J(double) const override { return energy_per_bit_J_; }
  double time_per_bit_s(double) const override { return time_per_bit_s_; }

 private:
  double energy_per_bit_J_;
  double time_per_bit_s_;
};

}  // namespace

SPINSC_PLUGIN(Bernoulli, "device", "bernoulli", "1.0.0", "ideal independent Bernoulli bits (the reference source)")
