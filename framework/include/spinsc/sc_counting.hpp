#pragma once
// Exact per-clock counting of many packed streams, for SC unit plugins (parallel counter, APC).
// Bit-sliced ("vertical") counters: for each word of 64 clocks, plane b holds bit b of the 64
// running counts; adding a stream is a ripple-carry over the planes with word-wide AND/XOR, so
// n streams cost about 2n word operations instead of 64n bit extractions.
#include <bit>
#include <cstdint>
#include <span>
#include <vector>

namespace spinsc {

// counts[t] = number of ones at clock t among the n streams (n x words, row-major), t < n_bits.
inline void count_ones_per_clock(const std::uint64_t* streams, std::size_t n, std::size_t words, std::size_t n_bits,
                                 std::span<std::int32_t> counts, std::vector<std::uint64_t>& planes) {
  const int n_planes = std::bit_width(n) + 1;
  planes.assign(static_cast<std::size_t>(n_planes), 0);
  for (std::size_t w = 0; w < words; ++w) {
    std::fill(planes.begin(), planes.end(), 0);
    for (std::size_t j = 0; j < n; ++j) {
      std::uint64_t carry = streams[j * words + w];
      for (int b = 0; carry && b < n_planes; ++b) {
        const std::uint64_t next = planes[b] & carry;
        planes[b] ^= carry;
        carry = next;
      }
    }
    const std::size_t clocks = std::min<std::size_t>(64, n_bits - 64 * w);
    for (std::size_t t = 0; t < clocks; ++t) {
      std::int32_t c = 0;
      for (int b = 0; b < n_planes; ++b) c |= static_cast<std::int32_t>((planes[b] >> t) & 1u) << b;
      counts[64 * w + t] = c;
    }
  }
}

}  // namespace spinsc
