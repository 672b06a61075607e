#pragma once
// Statistics of packed bitstreams (bit t of a stream is bit t % 64 of word t / 64): counts of
// ones and of toggles, lagged autocorrelation, the SCC of two streams (Alaghi & Hayes 2013) and
// run lengths. Used by the device_characterization task, device plugins and tests.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

namespace spinsc::stream_stats {

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

// Lengths of the runs of equal bits with value `value` that are complete (not cut by either end
// of the stream), in bits.
inline std::vector<std::size_t> complete_runs(std::span<const std::uint64_t> words, std::size_t n_bits, bool value) {
  auto bit = [&](std::size_t t) { return ((words[t >> 6] >> (t & 63)) & 1u) != 0; };
  std::vector<std::size_t> runs;
  std::size_t start = 0;
  for (std::size_t t = 1; t <= n_bits; ++t) {
    if (t == n_bits || bit(t) != bit(t - 1)) {
      if (start > 0 && t < n_bits && bit(start) == value) runs.push_back(t - start);
      start = t;
    }
  }
  return runs;
}

}  // namespace spinsc::stream_stats
