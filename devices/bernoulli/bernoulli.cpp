// device.bernoulli: the ideal reference source. Every bit is an independent Bernoulli trial with
// the requested P(1): no correlation, no bias, no device physics.
//
// Algorithm: P(1) is rounded to 32 binary digits p = 0.b1 b2 ... b32; a word of 64 bits with
// P(1) = p is built from one uniform random word per digit, from the last digit to the first:
// w <- b ? (w | r) : (w & r). Each step maps P(1) = q to (1 + q)/2 or q/2, so after the last
// digit P(1) = p exactly (to 2^-32), for all 64 bits at once. Trailing zero digits are skipped,
// so the quantized levels of 5-state SC (0, 1/4, 1/2, 3/4, 1) cost at most 2 random words.
// The random words come from RandomStream::fill: the Philox blocks of a stream (and, through
// generate_streams, of many streams at once) are computed side by side in the CPU's vector lanes.
//
// Example experiment block:
//   [device]
//   plugin = device.bernoulli
//   [device.bernoulli]
//   energy_per_bit_J = 20e-15
#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <vector>

#include "spinsc/bit_source.hpp"
#include "spinsc/plugin.hpp"

namespace {

// P(1) as 32 binary digits, and the first digit that is not zero (digits below it cost nothing).
struct Level {
  double probability = -1.0;  // the request it was made for
  std::uint64_t fixed = 0;    // round(p 2^32); 2^32 = always 1
  int lowest = 32;            // first nonzero digit; 32 = no random word needed
  std::size_t digits() const { return std::size_t(32 - lowest); }  // random words per 64 bits
};
Level level_of(double p) {
  Level level;
  level.probability = p;
  level.fixed = static_cast<std::uint64_t>(std::llround(std::clamp(p, 0.0, 1.0) * 4294967296.0));  // p * 2^32
  level.lowest = level.fixed == 0 || level.fixed >= (1ull << 32) ? 32 : std::countr_zero(level.fixed);
  return level;
}
// Word i of a stream from its D random words r[D i .. D i + D): w = r_0 (the lowest nonzero digit
// is a 1: 0 | r), then per higher digit w = digit ? (w | r_k) : (w & r_k). D is a template
// argument for the few digits of a coarse level grid, so the loop has no data-dependent branch.
template <int D>
const std::uint64_t* combine_words(std::uint64_t fixed, int lowest, std::size_t digits, std::size_t n_words,
                                   const std::uint64_t* r, std::uint64_t* words) {
  const std::size_t d = D > 0 ? std::size_t(D) : digits;
  for (std::size_t i = 0; i < n_words; ++i, r += d) {
    std::uint64_t w = r[0];
    for (std::size_t k = 1; k < d; ++k) {
      const std::uint64_t one = 0 - ((fixed >> (lowest + int(k))) & 1u);  // digit 1: w | r, digit 0: w & r
      w = (w & r[k]) | (one & (w | r[k]));
    }
    words[i] = w;
  }
  return r;
}

// The stream of `level` into words (zero past n_bits) from its random words r; returns r past them.
const std::uint64_t* combine(const Level& level, std::size_t n_bits, const std::uint64_t* r, std::uint64_t* words) {
  const std::size_t n_words = spinsc::words_for_bits(n_bits);
  switch (level.digits()) {
    case 0: std::fill(words, words + n_words, level.fixed >= (1ull << 32) ? ~0ull : 0ull); break;
    case 1: r = combine_words<1>(level.fixed, level.lowest, 1, n_words, r, words); break;
    case 2: r = combine_words<2>(level.fixed, level.lowest, 2, n_words, r, words); break;
    case 3: r = combine_words<3>(level.fixed, level.lowest, 3, n_words, r, words); break;
    default: r = combine_words<0>(level.fixed, level.lowest, level.digits(), n_words, r, words); break;
  }
  if (n_bits & 63u) words[n_words - 1] &= (1ull << (n_bits & 63u)) - 1;
  return r;
}
// This thread's buffer of random words, at least n long (it only grows: no allocation per stream).
std::vector<std::uint64_t>& random_buffer(std::size_t n) {
  thread_local std::vector<std::uint64_t> buffer;
  if (buffer.size() < n) buffer.resize(n);
  return buffer;
}
constexpr std::size_t kBatchWords = 8192;    // 64 KiB of random words per fill
constexpr std::size_t kChunkStreams = 2048;  // and at most this many streams (levels 0 and 1 take no words)

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
    const Level level = level_of(request.probability);
    const std::size_t needed = spinsc::words_for_bits(request.n_bits) * level.digits();
    std::vector<std::uint64_t>& random = random_buffer(needed);
    rng.fill(random.data(), needed);
    combine(level, request.n_bits, random.data(), words.data());
    const std::size_t n_words = spinsc::words_for_bits(request.n_bits);
    std::uint64_t switches = 0;
    std::uint64_t previous_bit = 2;  // no previous bit yet
    for (std::size_t i = 0; i < n_words; ++i) {
      const std::uint64_t w = words[i];
      const std::size_t bits_here = std::min<std::size_t>(64, request.n_bits - 64 * i);
      // A switching event is a change between consecutive bits (the state of the ideal source).
      const std::uint64_t changes = (w ^ (w >> 1)) & ((bits_here == 64 ? ~0ull : (1ull << bits_here) - 1) >> 1);
      switches += std::popcount(changes);
      if (previous_bit != 2 && previous_bit != (w & 1u)) ++switches;
      previous_bit = (w >> (bits_here - 1)) & 1u;
    }
    return switches;
  }

  // Many streams: the random words of a batch of streams are drawn in one RandomStream::fill (the
  // Philox blocks computed side by side in vector lanes), then combined stream by stream. The words
  // are the ones generate() would draw, in the same order, so the bits are the same.
  // The streams go level by level (a counting sort of their indices), so the combination of each
  // level runs without a data-dependent branch; where a stream's random words start in the fill
  // is fixed by the streams before it, as generate() would draw them.
  void generate_streams(const spinsc::StreamBatch& batch, std::uint64_t* out, std::size_t stride_words,
                        spinsc::RandomStream& rng) override {
    std::array<Level, 256> levels;  // the batch's level grid (levels are bytes)
    const std::size_t n_levels = std::min<std::size_t>(batch.level_probabilities.size(), levels.size());
    for (std::size_t k = 0; k < n_levels; ++k) levels[k] = level_of(batch.level_probabilities[k]);
    const std::size_t n_words = spinsc::words_for_bits(batch.n_bits);
    thread_local std::vector<std::uint32_t> offset, order;  // per stream of a chunk; they only grow
    if (offset.size() < kChunkStreams) offset.resize(kChunkStreams), order.resize(kChunkStreams);
    for (std::size_t j = 0; j < batch.n_streams;) {
      // The streams [j, end) whose random words fit kBatchWords together (at least one stream).
      std::array<std::uint32_t, 257> first_of_level{};  // counts, then where each level starts in `order`
      std::size_t end = j, needed = 0;
      for (; end < batch.n_streams && end - j < kChunkStreams; ++end) {
        const std::uint8_t k = batch.levels[end];
        const std::size_t words = n_words * levels[k].digits();
        if (end > j && needed + words > kBatchWords) break;
        offset[end - j] = std::uint32_t(needed);
        needed += words;
        ++first_of_level[k + 1];
      }
      for (std::size_t k = 0; k < n_levels; ++k) first_of_level[k + 1] += first_of_level[k];
      std::array<std::uint32_t, 256> next = {};
      std::copy(first_of_level.begin(), first_of_level.begin() + n_levels, next.begin());
      for (std::size_t i = 0; i < end - j; ++i) order[next[batch.levels[j + i]]++] = std::uint32_t(i);
      std::vector<std::uint64_t>& random = random_buffer(needed);
      rng.fill(random.data(), needed);
      for (std::size_t k = 0; k < n_levels; ++k)
        for (std::uint32_t o = first_of_level[k]; o < first_of_level[k + 1]; ++o) {
          const std::size_t i = order[o];
          combine(levels[k], batch.n_bits, random.data() + offset[i], out + (j + i) * stride_words);
        }
      j = end;
    }
  }

  double energy_per_bit_J(double) const override { return energy_per_bit_J_; }
  double time_per_bit_s(double) const override { return time_per_bit_s_; }

 private:
  double energy_per_bit_J_;
  double time_per_bit_s_;
};

}  // namespace

SPINSC_PLUGIN(Bernoulli, "device", "bernoulli", "1.0.0", "ideal independent Bernoulli bits (the reference source)")
