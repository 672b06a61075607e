#pragma once
// Fused gate + popcount over packed streams: the inner loop of the bit mode.
// Counting XOR instead of XNOR: bits past L are zero in both operands, so XOR leaves them zero and
// the XNOR ones of a synapse are L - popcount(x ^ w) without masking.
// W (words per stream) is a template parameter for the common lengths so that the loop over words
// is unrolled; dispatch_words() picks the instance.
#include <bit>
#include <cstddef>
#include <cstdint>
#ifdef __AVX2__
#include <immintrin.h>
#endif

namespace spinsc::sc {

template <int W>
inline std::uint64_t xor_count(const std::uint64_t* a, const std::uint64_t* b) {
  std::uint64_t c = 0;
  for (int w = 0; w < W; ++w) c += std::popcount(a[w] ^ b[w]);
  return c;
}
inline std::uint64_t xor_count_n(const std::uint64_t* a, const std::uint64_t* b, std::size_t n) {
  std::uint64_t c = 0;
  for (std::size_t w = 0; w < n; ++w) c += std::popcount(a[w] ^ b[w]);
  return c;
}
inline std::uint64_t and_count_n(const std::uint64_t* a, const std::uint64_t* b, std::size_t n) {
  std::uint64_t c = 0;
  for (std::size_t w = 0; w < n; ++w) c += std::popcount(a[w] & b[w]);
  return c;
}

#ifdef __AVX2__
// Bytewise popcount of 256 bits (nibble look-up with vpshufb; Mula, Kurz & Lemire 2018).
inline __m256i popcount_bytes(__m256i v) {
  const __m256i lookup = _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2,
                                          2, 3, 2, 3, 3, 4);
  const __m256i low = _mm256_set1_epi8(0x0f);
  const __m256i lo = _mm256_and_si256(v, low);
  const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(v, 4), low);
  return _mm256_add_epi8(_mm256_shuffle_epi8(lookup, lo), _mm256_shuffle_epi8(lookup, hi));
}
#endif

// Bank-policy neuron: D = sum_j popcount(x_j ^ bank[level_j][index_j]).
// xs: n x W input streams; levels, indices: n each; bank_of_level[k]: K x W words.
// With AVX2 and W >= 4, the first 4 * (W / 4) words of each synapse go through 256-bit XOR and a
// bytewise popcount accumulated in 8-bit lanes (flushed with vpsadbw before they can overflow);
// the remaining W % 4 words use the scalar popcount.
template <int W>
inline std::uint64_t bank_neuron_xor(const std::uint64_t* xs, const std::uint8_t* levels,
                                     const std::uint32_t* indices, std::size_t n,
                                     const std::uint64_t* const* bank_of_level) {
#ifdef __AVX2__
  if constexpr (W >= 4) {
    constexpr int V = W / 4, R = W % 4;
    // Each byte lane gains at most 8 * V per synapse: flush every 255 / (8 V) synapses.
    constexpr std::size_t kChunk = 255 / (8 * V);
    const __m256i zero = _mm256_setzero_si256();
    __m256i total = zero;
    std::uint64_t scalar = 0;
    for (std::size_t j0 = 0; j0 < n; j0 += kChunk) {
      const std::size_t j1 = j0 + kChunk < n ? j0 + kChunk : n;
      __m256i bytes = zero;
      for (std::size_t j = j0; j < j1; ++j) {
        const std::uint64_t* x = xs + j * W;
        const std::uint64_t* w = bank_of_level[levels[j]] + static_cast<std::size_t>(indices[j]) * W;
        for (int v = 0; v < V; ++v) {
          const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x + 4 * v));
          const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + 4 * v));
          bytes = _mm256_add_epi8(bytes, popcount_bytes(_mm256_xor_si256(a, b)));
        }
        for (int r = 0; r < R; ++r) scalar += std::popcount(x[4 * V + r] ^ w[4 * V + r]);
      }
      total = _mm256_add_epi64(total, _mm256_sad_epu8(bytes, zero));
    }
    alignas(32) std::uint64_t lanes[4];
    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), total);
    return lanes[0] + lanes[1] + lanes[2] + lanes[3] + scalar;
  }
#endif
  std::uint64_t d = 0;
  for (std::size_t j = 0; j < n; ++j)
    d += xor_count<W>(xs + j * W, bank_of_level[levels[j]] + static_cast<std::size_t>(indices[j]) * W);
  return d;
}
inline std::uint64_t bank_neuron_xor_n(const std::uint64_t* xs, const std::uint8_t* levels,
                                       const std::uint32_t* indices, std::size_t n,
                                       const std::uint64_t* const* bank_of_level, std::size_t words) {
  std::uint64_t d = 0;
  for (std::size_t j = 0; j < n; ++j)
    d += xor_count_n(xs + j * words, bank_of_level[levels[j]] + static_cast<std::size_t>(indices[j]) * words, words);
  return d;
}

// Calls f.template operator()<W>() for W in 1..8, or f.template operator()<0>() for longer streams.
template <class F>
inline auto dispatch_words(std::size_t words, F&& f) {
  switch (words) {
    case 1: return f.template operator()<1>();
    case 2: return f.template operator()<2>();
    case 3: return f.template operator()<3>();
    case 4: return f.template operator()<4>();
    case 5: return f.template operator()<5>();
    case 6: return f.template operator()<6>();
    case 7: return f.template operator()<7>();
    case 8: return f.template operator()<8>();
    default: return f.template operator()<0>();
  }
}

}  // namespace spinsc::sc
