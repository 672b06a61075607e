#pragma once
// Alias tables that draw 8 consecutive samples of the sampled telegraph chain (SampledChain) at
// once: the generator markov_chunks (telegraph_sampler.hpp) uses them when runs are short
// (T ~ tau_c), where one uniform per sample or per run costs too much.
//
// Given the state s of the sample before a chunk, the next 8 samples form a pattern j (bit k =
// sample k+1) with P(j | s) = prod_k P(b_{k-1} -> b_k), b_{-1} = s: a distribution over 256
// patterns. It is rounded to integer masses m_j with sum 2^32 (every pattern within 2^-32 of its
// exact probability, the precision of markov_words) and put in a Walker/Vose alias table of 256
// columns of capacity 2^24: 32 random bits draw one pattern, 8 bits for the column c, 24 bits u
// for the split, pattern = u < threshold_c ? c : alias_c. Integer arithmetic makes the table
// deliver exactly m_j / 2^32 (mass() reconstructs it for the tests). Both states' patterns are
// drawn from the same bits and chain() keeps the right one, so 64 samples cost 256 random bits,
// two AVX2 gathers and a few dozen branch-free integer operations.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#if defined(__AVX2__) || defined(__BMI2__)
#include <immintrin.h>
#endif

#include "philox_lanes.hpp"
#include "telegraph_model.hpp"

namespace spinsc::telegraph {

class ChunkTable {
 public:
  static constexpr int kChunkBits = 8;
  static constexpr unsigned kPatterns = 1u << kChunkBits;
  static constexpr int kSplitBits = 24;                       // bits of u; column capacity 2^24
  static constexpr std::uint64_t kCapacity = 1ull << kSplitBits;
  static constexpr std::uint64_t kTotalMass = kCapacity * kPatterns;  // 2^32

  ChunkTable() = default;
  explicit ChunkTable(const SampledChain& chain) { build(chain); }

  void build(const SampledChain& chain) {
    after_p_ = alias_columns(pattern_masses(chain, false));
    after_ap_ = alias_columns(pattern_masses(chain, true));
  }

  // One chunk: its pattern after a sample in P and after one in AP, from the same 32 random bits
  // (the caller keeps the one of the actual state; each alone is exactly distributed).
  struct Candidates {
    std::uint32_t after_p, after_ap;
  };
  Candidates draw(std::uint32_t random32) const {
    const std::uint32_t column = random32 & (kPatterns - 1), u = random32 >> kChunkBits;
    const auto pick = [&](std::uint32_t entry) { return u < (entry >> kChunkBits) ? column : (entry & (kPatterns - 1)); };
    return {pick(after_p_[column]), pick(after_ap_[column])};
  }

  // Eight chunks, chunk c from the 32 random bits of lane c; the pattern of chunk c in byte c of
  // .after_p / .after_ap. AVX2: two gathers for all eight; draw8_portable is the reference.
  struct Candidates8 {
    std::uint64_t after_p, after_ap;
  };
  Candidates8 draw8(const Lanes8& random) const {
#if defined(__AVX2__)
    const __m256i low8 = _mm256_set1_epi32(kPatterns - 1);
    const __m256i column = _mm256_and_si256(random, low8), u = _mm256_srli_epi32(random, kChunkBits);
    const auto pick = [&](const std::array<std::uint32_t, kPatterns>& table) {
      const __m256i entry = _mm256_i32gather_epi32(reinterpret_cast<const int*>(table.data()), column, 4);
      const __m256i below = _mm256_cmpgt_epi32(_mm256_srli_epi32(entry, kChunkBits), u);  // both < 2^24: signed ok
      return _mm256_blendv_epi8(_mm256_and_si256(entry, low8), column, below);
    };
    // Lanes hold values < 256: pack to bytes. Per 128-bit half the packs give p(4) ap(4) p(4) ap(4)
    // bytes; the permutation collects p0-3 p4-7 ap0-3 ap4-7.
    const __m256i words16 = _mm256_packus_epi32(pick(after_p_), pick(after_ap_));
    const __m256i bytes = _mm256_packus_epi16(words16, words16);
    const __m128i ordered = _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 4, 1, 5, 0, 0, 0, 0)));
    return {std::uint64_t(_mm_cvtsi128_si64(ordered)), std::uint64_t(_mm_extract_epi64(ordered, 1))};
#else
    return draw8_portable(random);
#endif
  }
  Candidates8 draw8_portable(const std::array<std::uint32_t, 8>& random) const {
    Candidates8 out{0, 0};
    for (int c = 0; c < 8; ++c) {
      const Candidates one = draw(random[c]);
      out.after_p |= std::uint64_t(one.after_p) << (8 * c);
      out.after_ap |= std::uint64_t(one.after_ap) << (8 * c);
    }
    return out;
  }

  // Keeps, chunk by chunk, the candidate of the state the previous chunk ended in (its bit 7),
  // starting from `previous` (0 or 1); returns the 64 samples and updates `previous`. Chunk c maps
  // the state before it to the state after it, f_c(s) = bit 7 of (s ? AP : P candidate); the
  // prefix compositions f_c o ... o f_0 take 3 doubling steps on 8-bit vectors (x = f(0),
  // y = f(1) per chunk), so the only serial dependency between words is one select.
  static std::uint64_t chain(const Candidates8& c, std::uint64_t& previous) {
    constexpr std::uint64_t kTopBits = 0x8080808080808080ull, kLowBits = 0x0101010101010101ull;
    std::uint64_t x = top_bits(c.after_p, kTopBits), y = top_bits(c.after_ap, kTopBits);
    for (int d = 1; d < 8; d <<= 1) {
      // f_c <- f_c o f_{c-d} for c >= d; chunks c < d see the identity (x = 0, y = 1) shifted in.
      const std::uint64_t x_before = x << d, y_before = (y << d) | ((1u << d) - 1);
      const std::uint64_t flip = x ^ y;
      const std::uint64_t x_new = x ^ (flip & x_before), y_new = x ^ (flip & y_before);
      x = x_new & 0xFF, y = y_new & 0xFF;
    }
    const std::uint64_t after = x ^ ((x ^ y) & (0 - previous));  // state after each chunk (no branch:
                                                                 // previous is unpredictable)
    const std::uint64_t before = ((after << 1) | previous) & 0xFF;  // state before each chunk
    previous = after >> 7;
    const std::uint64_t take_ap = spread_bits_to_bytes(before, kLowBits) * 0xFF;
    return (c.after_ap & take_ap) | (c.after_p & ~take_ap);
  }

  // Mass (in units of 2^-32) with which draw() delivers `pattern` after state `ap`.
  std::uint64_t mass(bool ap, unsigned pattern) const {
    const auto& table = ap ? after_ap_ : after_p_;
    std::uint64_t total = 0;
    for (unsigned c = 0; c < kPatterns; ++c) {
      const std::uint64_t threshold = table[c] >> kChunkBits, alias = table[c] & (kPatterns - 1);
      if (c == pattern) total += threshold;
      if (alias == pattern) total += kCapacity - threshold;
    }
    return total;
  }

  // Exact P(pattern | previous state ap), sample by sample (the reference for the tests).
  static double pattern_probability(const SampledChain& chain, bool ap, unsigned pattern) {
    const double stay_ap = 1.0 - chain.leave_ap, stay_p = 1.0 - chain.leave_p;
    double p = 1.0;
    bool previous = ap;
    for (int k = 0; k < kChunkBits; ++k) {
      const bool bit = (pattern >> k) & 1u;
      p *= previous ? (bit ? stay_ap : chain.leave_ap) : (bit ? chain.leave_p : stay_p);
      previous = bit;
    }
    return p;
  }

 private:
  // Bit 7 of byte c -> bit c, and back (bit c -> bit 0 of byte c).
  static std::uint64_t top_bits(std::uint64_t w, std::uint64_t top) {
#if defined(__BMI2__)
    return _pext_u64(w, top);
#else
    std::uint64_t out = 0;
    for (int c = 0; c < 8; ++c) out |= ((w & top) >> (8 * c + 7) & 1) << c;
    return out;
#endif
  }
  static std::uint64_t spread_bits_to_bytes(std::uint64_t bits, std::uint64_t low) {
#if defined(__BMI2__)
    return _pdep_u64(bits, low);
#else
    std::uint64_t out = 0;
    for (int c = 0; c < 8; ++c) out |= ((bits >> c) & 1) << (8 * c);
    return out & low;
#endif
  }

  // P(pattern | ap) for all 256 patterns, extending the patterns one sample at a time.
  static std::array<double, kPatterns> pattern_probabilities(const SampledChain& chain, bool ap) {
    const double to_ap[2] = {chain.leave_p, 1.0 - chain.leave_ap};  // P(next = AP | previous)
    std::array<double, kPatterns> p{};
    p[0] = 1.0 - to_ap[ap], p[1] = to_ap[ap];
    for (int k = 1; k < kChunkBits; ++k) {
      for (unsigned j = 0; j < (1u << k); ++j) {
        const unsigned last = (j >> (k - 1)) & 1u;
        p[j | (1u << k)] = p[j] * to_ap[last];
        p[j] *= 1.0 - to_ap[last];
      }
    }
    return p;
  }

  // Integer masses with sum exactly 2^32 by rounding the cumulative sums: each mass is within one
  // unit (2^-32) of the exact value and impossible patterns keep mass 0.
  static std::array<std::uint64_t, kPatterns> pattern_masses(const SampledChain& chain, bool ap) {
    const std::array<double, kPatterns> p = pattern_probabilities(chain, ap);
    std::array<std::uint64_t, kPatterns> masses{};
    double cumulative = 0.0;
    std::uint64_t rounded_before = 0;
    for (unsigned j = 0; j < kPatterns; ++j) {
      cumulative += std::clamp(p[j], 0.0, 1.0);
      const std::uint64_t rounded = j + 1 == kPatterns
          ? kTotalMass
          : std::uint64_t(std::min(cumulative, 1.0) * double(kTotalMass) + 0.5);  // <= 2^32
      masses[j] = rounded - rounded_before;
      rounded_before = rounded;
    }
    return masses;
  }

  // Vose's alias construction in integers: column c keeps mass threshold_c of its own pattern and
  // fills the rest (2^24 - threshold_c) with pattern alias_c. Packed as threshold << 8 | alias; a
  // full column is stored as threshold 0 with alias c (2^24 does not fit in 24 bits).
  static std::array<std::uint32_t, kPatterns> alias_columns(std::array<std::uint64_t, kPatterns> masses) {
    std::array<unsigned, kPatterns> small{}, large{};
    unsigned n_small = 0, n_large = 0;
    for (unsigned j = 0; j < kPatterns; ++j) (masses[j] < kCapacity ? small[n_small++] : large[n_large++]) = j;
    std::array<std::uint32_t, kPatterns> columns{};
    for (unsigned j = 0; j < kPatterns; ++j) columns[j] = j;  // full column until assigned
    // Invariant: the unassigned columns hold (their number) x 2^24, so the lists empty together
    // and every column left over is exactly full.
    while (n_small > 0 && n_large > 0) {
      const unsigned s = small[--n_small], l = large[n_large - 1];
      columns[s] = std::uint32_t(masses[s] << kChunkBits) | l;
      masses[l] -= kCapacity - masses[s];
      if (masses[l] < kCapacity) {
        --n_large;
        small[n_small++] = l;
      }
    }
    return columns;
  }

  std::array<std::uint32_t, kPatterns> after_p_{}, after_ap_{};  // column c: threshold << 8 | alias
};

}  // namespace spinsc::telegraph
