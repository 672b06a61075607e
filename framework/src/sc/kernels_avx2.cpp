// The AVX2 SC kernels: 256-bit XOR/AND and a bytewise popcount by nibble look-up (vpshufb;
// Mula, Kurz & Lemire 2018) accumulated in 8-bit lanes, flushed to 64-bit lanes with vpsadbw
// before a lane can pass 255. Words that do not fill a 256-bit vector use the scalar popcount.
#include "sc/kernel_tables.hpp"

#ifdef SPINSC_SC_X86_KERNELS
#include <immintrin.h>

#define SPINSC_AVX2 __attribute__((target("avx2,popcnt")))

namespace spinsc::sc {

namespace {

SPINSC_AVX2 inline __m256i popcount_bytes(__m256i v) {
  const __m256i lookup = _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2,
                                          2, 3, 2, 3, 3, 4);
  const __m256i low = _mm256_set1_epi8(0x0f);
  const __m256i lo = _mm256_and_si256(v, low);
  const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(v, 4), low);
  return _mm256_add_epi8(_mm256_shuffle_epi8(lookup, lo), _mm256_shuffle_epi8(lookup, hi));
}

SPINSC_AVX2 inline std::uint64_t sum_lanes(__m256i v) {
  alignas(32) std::uint64_t lanes[4];
  _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), v);
  return lanes[0] + lanes[1] + lanes[2] + lanes[3];
}

// The first 4 * (words / 4) words of each synapse go through the vector path, the rest scalar.
template <int W, bool And>
SPINSC_AVX2 std::uint64_t bank_gate(const std::uint64_t* xs, const std::uint8_t* levels, const std::uint32_t* indices,
                                   std::size_t n, const std::uint64_t* const* bank_of_level, std::size_t words) {
  const std::size_t nw = W > 0 ? std::size_t(W) : words;  // a constant for W > 0: the loops unroll
  const std::size_t V = nw / 4, R = nw % 4;
  std::uint64_t scalar = 0;
  if (V == 0) {
    for (std::size_t j = 0; j < n; ++j) {
      const std::uint64_t* x = xs + j * nw;
      const std::uint64_t* w = bank_of_level[levels[j]] + static_cast<std::size_t>(indices[j]) * nw;
      for (std::size_t r = 0; r < R; ++r) scalar += __builtin_popcountll(And ? (x[r] & w[r]) : (x[r] ^ w[r]));
    }
    return scalar;
  }
  // Each byte lane gains at most 8 per vector, V vectors per synapse: flush every 255 / (8 V)
  // synapses (at least one: for V > 31 the flush comes after every 31 vectors instead).
  const std::size_t vectors_per_flush = 31;
  const std::size_t chunk = V <= vectors_per_flush ? vectors_per_flush / V : 1;
  const __m256i zero = _mm256_setzero_si256();
  __m256i total = zero;
  for (std::size_t j0 = 0; j0 < n; j0 += chunk) {
    const std::size_t j1 = j0 + chunk < n ? j0 + chunk : n;
    __m256i bytes = zero;
    std::size_t pending = 0;  // vectors added to `bytes` since its last flush
    for (std::size_t j = j0; j < j1; ++j) {
      const std::uint64_t* x = xs + j * nw;
      const std::uint64_t* w = bank_of_level[levels[j]] + static_cast<std::size_t>(indices[j]) * nw;
      for (std::size_t v = 0; v < V; ++v) {
        const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x + 4 * v));
        const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + 4 * v));
        bytes = _mm256_add_epi8(bytes, popcount_bytes(And ? _mm256_and_si256(a, b) : _mm256_xor_si256(a, b)));
        if (V > vectors_per_flush && ++pending == vectors_per_flush) {
          total = _mm256_add_epi64(total, _mm256_sad_epu8(bytes, zero));
          bytes = zero;
          pending = 0;
        }
      }
      for (std::size_t r = 0; r < R; ++r)
        scalar += __builtin_popcountll(And ? (x[4 * V + r] & w[4 * V + r]) : (x[4 * V + r] ^ w[4 * V + r]));
    }
    total = _mm256_add_epi64(total, _mm256_sad_epu8(bytes, zero));
  }
  return sum_lanes(total) + scalar;
}

template <bool And>
SPINSC_AVX2 std::uint64_t gate_count(const std::uint64_t* a, const std::uint64_t* b, std::size_t n) {
  const __m256i zero = _mm256_setzero_si256();
  __m256i total = zero;
  std::size_t w = 0;
  while (w + 4 <= n) {
    __m256i bytes = zero;
    // At most 31 vectors of at most 8 ones per byte lane before the flush: 248 <= 255.
    for (int k = 0; k < 31 && w + 4 <= n; ++k, w += 4) {
      const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + w));
      const __m256i y = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + w));
      bytes = _mm256_add_epi8(bytes, popcount_bytes(And ? _mm256_and_si256(x, y) : _mm256_xor_si256(x, y)));
    }
    total = _mm256_add_epi64(total, _mm256_sad_epu8(bytes, zero));
  }
  std::uint64_t c = sum_lanes(total);
  for (; w < n; ++w) c += __builtin_popcountll(And ? (a[w] & b[w]) : (a[w] ^ b[w]));
  return c;
}

}  // namespace

const ScBitKernels kAvx2Kernels{
    "avx2",
    "AVX2, nibble look-up popcount (vpshufb) in byte lanes",
    SPINSC_BANK_GATE_ROW(bank_gate, false),
    &gate_count<false>,
    &gate_count<true>,
    SPINSC_BANK_GATE_ROW(bank_gate, true),
    &philox_blocks_avx2};

}  // namespace spinsc::sc
#endif
