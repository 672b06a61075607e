// device.oot_threshold: a deliberately trivial device for the install test. Every bit is 1 when
// the requested P(1) reaches `threshold`, else 0 (a comparator against a constant: no noise).
//
// Example experiment block:
//   [device]
//   plugin = device.oot_threshold
//   [device.oot_threshold]
//   threshold = 0.5
#include <algorithm>

#include "spinsc/bit_source.hpp"
#include "spinsc/plugin.hpp"

namespace {

class OotThreshold final : public spinsc::BitSource {
 public:
  static void declare(spinsc::OptionsBuilder& add) {
    add("threshold", spinsc::param<double>(0.5)->range(0.0, 1.0), "P(1) from which every bit is 1");
    add("energy_per_bit_J", spinsc::param<double>(3e-15)->unit("J")->min(0.0), "energy per generated bit");
  }

  OotThreshold(const spinsc::Params& params, const spinsc::ComponentContext&)
      : threshold_(params.get<double>("threshold")), energy_per_bit_J_(params.get<double>("energy_per_bit_J")) {}

  std::uint64_t generate(const spinsc::StreamRequest& request, std::span<std::uint64_t> words,
                         spinsc::RandomStream&) override {
    const std::uint64_t fill = request.probability >= threshold_ ? ~0ull : 0ull;
    const std::size_t n_words = spinsc::words_for_bits(request.n_bits);
    for (std::size_t i = 0; i < n_words; ++i) {
      const std::size_t bits_here = std::min<std::size_t>(64, request.n_bits - 64 * i);
      words[i] = bits_here < 64 ? fill & ((1ull << bits_here) - 1) : fill;
    }
    return 0;  // a constant stream never switches
  }
  double energy_per_bit_J(double) const override { return energy_per_bit_J_; }
  double time_per_bit_s(double) const override { return 1e-9; }

 private:
  double threshold_;
  double energy_per_bit_J_;
};

}  // namespace

SPINSC_PLUGIN(OotThreshold, "device", "oot_threshold", "0.3.0", "out-of-tree test device: bits are 1 from a threshold P(1)")
