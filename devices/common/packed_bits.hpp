#pragma once
// Helpers shared by the device plugins (header only; devices/common/ has no CMakeLists.txt, so it
// is not a plugin): packed-stream bit access, runs of equal bits, ideal Bernoulli words, and
// stream statistics used by the tests and the characterization task.
//
// Packing (bit_source.hpp): bit t of a stream is bit t % 64 of word t / 64.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <span>

#include "spinsc/random.hpp"

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

inline std::uint64_t probability_to_fixed32(double p) {
  return static_cast<std::uint64_t>(std::llround(std::clamp(p, 0.0, 1.0) * 4294967296.0));
}

// Clears the bits at and past n_bits in the last word of a stream of n_bits.
inline void clear_padding(std::span<std::uint64_t> words, std::size_t n_bits) {
  if (n_bits % 64 != 0) words[n_bits / 64] &= (1ull << (n_bits % 64)) - 1;
}

// Number of positions t in [1, n_bits) with bit t != bit t-1: visible state changes.
inline std::uint64_t count_toggles(std::span<const std::uint64_t> words, std::size_t n_bits) {
  if (n_bits < 2) return 0;
  std::uint64_t toggles = 0;
  const std::size_t n_words = (n_bits + 63) / 64;
  for (std::size_t i = 0; i < n_words; ++i) {
    const std::uint64_t w = words[i];
    std::uint64_t previous = (w << 1);                       // bit t holds bit t-1 of this word
    if (i > 0) previous |= words[i - 1] >> 63;               // carry from the word before
    std::uint64_t diff = w ^ previous;
    if (i == 0) diff &= ~1ull;                               // bit 0 has no predecessor
    const std::size_t bits_here = std::min<std::size_t>(64, n_bits - 64 * i);
    if (bits_here < 64) diff &= (1ull << bits_here) - 1;
    toggles += std::popcount(diff);
  }
  return toggles;
}

inline std::uint64_t count_ones(std::span<const std::uint64_t> words, std::size_t n_bits) {
  std::uint64_t ones = 0;
  const std::size_t n_words = (n_bits + 63) / 64;
  for (std::size_t i = 0; i < n_words; ++i) {
    std::uint64_t w = words[i];
    const std::size_t bits_here = std::min<std::size_t>(64, n_bits - 64 * i);
    if (bits_here < 64) w &= (1ull << bits_here) - 1;
    ones += std::popcount(w);
  }
  return ones;
}

// Number of t in [0, n_bits - lag) with bit t = bit t+lag = 1 (for lagged autocorrelation).
inline std::uint64_t count_lagged_ones(std::span<const std::uint64_t> words, std::size_t n_bits,
                                       std::size_t lag) {
  if (lag >= n_bits) return 0;
  // Word i of the stream advanced by `lag` bits: bit t of it is bit t + lag of the stream.
  const std::size_t n_words = (n_bits + 63) / 64, q = lag / 64, r = lag % 64;
  auto word_or_zero = [&](std::size_t i) { return i < n_words ? words[i] : 0ull; };
  const std::size_t valid = n_bits - lag;  // positions t in [0, valid)
  std::uint64_t both = 0;
  for (std::size_t i = 0; i * 64 < valid; ++i) {
    std::uint64_t advanced = word_or_zero(i + q) >> r;
    if (r) advanced |= word_or_zero(i + q + 1) << (64 - r);
    std::uint64_t w = words[i] & advanced;
    const std::size_t bits_here = std::min<std::size_t>(64, valid - 64 * i);
    if (bits_here < 64) w &= (1ull << bits_here) - 1;
    both += std::popcount(w);
  }
  return both;
}

// Sample autocorrelation of a 0/1 stream at `lag`: (mean(b_t b_{t+lag}) - m^2) / (m (1 - m)),
// m = mean over the whole stream. NaN for a constant stream.
inline double autocorrelation(std::span<const std::uint64_t> words, std::size_t n_bits, std::size_t lag) {
  const double m = double(count_ones(words, n_bits)) / double(n_bits);
  if (m <= 0.0 || m >= 1.0 || lag >= n_bits) return std::nan("");
  const double joint = double(count_lagged_ones(words, n_bits, lag)) / double(n_bits - lag);
  return (joint - m * m) / (m * (1.0 - m));
}

// Stochastic cross-correlation (Alaghi & Hayes 2013) of two streams of n_bits. 0 for independent
// streams in expectation, +1 for maximal overlap, -1 for minimal overlap; 0 if either is constant.
inline double scc(std::span<const std::uint64_t> x, std::span<const std::uint64_t> y, std::size_t n_bits) {
  const double px = double(count_ones(x, n_bits)) / double(n_bits);
  const double py = double(count_ones(y, n_bits)) / double(n_bits);
  std::uint64_t both = 0;
  const std::size_t n_words = (n_bits + 63) / 64;
  for (std::size_t i = 0; i < n_words; ++i) {
    std::uint64_t w = x[i] & y[i];
    const std::size_t bits_here = std::min<std::size_t>(64, n_bits - 64 * i);
    if (bits_here < 64) w &= (1ull << bits_here) - 1;
    both += std::popcount(w);
  }
  const double pxy = double(both) / double(n_bits);
  const double independent = px * py;
  const double delta = pxy - independent;
  const double scale = delta > 0 ? std::min(px, py) - independent
                                 : independent - std::max(px + py - 1.0, 0.0);
  return scale > 0 ? delta / scale : 0.0;
}

}  // namespace spinsc::device_bits
