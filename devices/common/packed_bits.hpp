#pragma once
// Helpers shared by the device plugins (header only; devices/common/ has no CMakeLists.txt, so it
// is not a plugin): packed-stream bit access, runs of equal bits, ideal Bernoulli words.
//
// Packing (bit_source.hpp): bit t of a stream is bit t % 64 of word t / 64.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <span>

#include "spinsc/random.hpp"
#include "spinsc/stream_statistics.hpp"

namespace spinsc::device_bits {

inline bool get_bit(std::span<const std::uint64_t> words, std::size_t t) {
  return (words[t >> 6] >> (t & 63)) & 1u;
}

// Sets bits [begin, end) of a zero-initialised packed stream to 1.
inline void set_run(std::span<std::uint64_t> words, std::size_t begin, std::size_t end) {
  if (begin >= end) return;
  std::size_t first = begin >> 6, last = (end - 1) >> 6;
  const std::uint64_t head = ~0ull << (begin & 63);
  const std::uint64_t tail = ~0ull >> (63 - ((end - 1) & 63));
  if (first == last) {
    words[first] |= head & tail;
    return;
  }
  words[first] |= head;
  for (std::size_t i = first + 1; i < last; ++i) words[i] = ~0ull;
  words[last] |= tail;
}

// One 64-bit word of independent bits with P(1) = p rounded to 32 binary digits: one uniform
// word per binary digit of p, from the last digit to the first, w <- digit ? (w | r) : (w & r)
// (each step maps P(1) = q to (1 + q)/2 or q/2). Exact to 2^-32; 5-state levels cost <= 2 words.
inline std::uint64_t bernoulli_word(std::uint64_t p_fixed32, RandomStream& rng) {
  if (p_fixed32 >= (1ull << 32)) return ~0ull;
  if (p_fixed32 == 0) return 0;
  std::uint64_t w = 0;
  for (int digit = std::countr_zero(p_fixed32); digit < 32; ++digit) {
    const std::uint64_t r = rng.next_u64();
    w = ((p_fixed32 >> digit) & 1u) ? (w | r) : (w & r);
  }
  return w;
}
// Same distribution (P(1) = p to 32 binary digits) with fewer random words: each bit compares
// a uniform U with p digit by digit from the most significant, and is decided at the first
// digit where they differ; all 64 comparisons finish after ~log2(64) + 2 words on average.
inline std::uint64_t bernoulli_word_lazy(std::uint64_t p_fixed32, RandomStream& rng) {
  if (p_fixed32 >= (1ull << 32)) return ~0ull;
  if (p_fixed32 == 0) return 0;
  std::uint64_t undecided = ~0ull, below = 0;
  const int last = std::countr_zero(p_fixed32);  // digits past the last 1 of p are all 0
  for (int digit = 31; digit >= last && undecided; --digit) {
    const std::uint64_t u = rng.next_u64();      // digit of U for every bit
    if ((p_fixed32 >> digit) & 1u) {
      below |= undecided & ~u;                   // U digit 0 < p digit 1: U < p
      undecided &= u;
    } else {
      undecided &= ~u;                           // U digit 1 > p digit 0: U > p
    }
  }
  return below;  // still undecided after the last 1-digit of p: U >= p
}

// Two words from the same uniforms: bit i of .first is [U_i < a], of .second [U_i < b], one U_i
// per lane shared by both comparisons (each word alone is distributed as bernoulli_word_lazy).
// Costs about as many random words as one comparison.
struct CoupledWords {
  std::uint64_t below_a, below_b;
};
inline CoupledWords coupled_bernoulli_words_lazy(std::uint64_t a_fixed32, std::uint64_t b_fixed32, RandomStream& rng) {
  struct Comparison {
    std::uint64_t p, undecided, below = 0;
    int last;
    explicit Comparison(std::uint64_t p_fixed)
        : p(p_fixed), undecided(p_fixed == 0 || p_fixed >= (1ull << 32) ? 0 : ~0ull),
          below(p_fixed >= (1ull << 32) ? ~0ull : 0), last(p_fixed == 0 ? 32 : std::countr_zero(p_fixed)) {}
    void digit(int d, std::uint64_t u) {
      if (!undecided) return;
      if (d < last) {       // the remaining digits of p are 0: undecided lanes have U >= p
        undecided = 0;
        return;
      }
      if ((p >> d) & 1u) {
        below |= undecided & ~u;
        undecided &= u;
      } else {
        undecided &= ~u;
      }
    }
  } a(a_fixed32), b(b_fixed32);
  for (int d = 31; d >= 0 && (a.undecided | b.undecided); --d) {
    const std::uint64_t u = rng.next_u64();
    a.digit(d, u);
    b.digit(d, u);
  }
  return {a.below, b.below};
}

inline std::uint64_t probability_to_fixed32(double p) {
  return static_cast<std::uint64_t>(std::llround(std::clamp(p, 0.0, 1.0) * 4294967296.0));
}

// Clears the bits at and past n_bits in the last word of a stream of n_bits.
inline void clear_padding(std::span<std::uint64_t> words, std::size_t n_bits) {
  if (n_bits % 64 != 0) words[n_bits / 64] &= (1ull << (n_bits % 64)) - 1;
}

// Stream statistics live in the framework (the characterization task uses them too).
using stream_stats::autocorrelation;
using stream_stats::count_lagged_ones;
using stream_stats::count_ones;
using stream_stats::count_toggles;
using stream_stats::scc;

}  // namespace spinsc::device_bits
