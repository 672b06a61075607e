// Philox4x64-10 blocks (PhiloxBlocks of spinsc/random.hpp) in AVX2 lanes: 4 counters per vector, 3
// vectors in flight. The 64 x 64 -> 128-bit products by Philox's constants are built from four
// 32 x 32 -> 64-bit vpmuludq as in philox_blocks_avx512.cpp (a = a1 2^32 + a0, M = m1 2^32 + m0):
//   t = a1 m0 + hi32(a0 m0),  u = a0 m1 + lo32(t),  lo = lo32(u) 2^32 + lo32(a0 m0),
//   hi = a1 m1 + hi32(t) + hi32(u).
// tests/sc/test_philox_blocks.cpp compares every block with Random123's.
#include <Random123/philox.h>

#include <cstring>

#include "sc/kernel_tables.hpp"

#ifdef SPINSC_SC_X86_KERNELS
#include <immintrin.h>

#define SPINSC_AVX2_ONLY __attribute__((target("avx2")))

namespace spinsc::sc {

namespace {

struct Multiplier {
  __m256i low, high;  // m0 and m1 in the low 32 bits of every lane
};

SPINSC_AVX2_ONLY inline void mulhilo(__m256i a, const Multiplier& m, __m256i& lo, __m256i& hi) {
  const __m256i low32 = _mm256_set1_epi64x(0xffffffffll);
  const __m256i a1 = _mm256_srli_epi64(a, 32);
  const __m256i p00 = _mm256_mul_epu32(a, m.low), p01 = _mm256_mul_epu32(a, m.high);
  const __m256i p10 = _mm256_mul_epu32(a1, m.low), p11 = _mm256_mul_epu32(a1, m.high);
  const __m256i t = _mm256_add_epi64(p10, _mm256_srli_epi64(p00, 32));
  const __m256i u = _mm256_add_epi64(p01, _mm256_and_si256(t, low32));
  hi = _mm256_add_epi64(p11, _mm256_add_epi64(_mm256_srli_epi64(t, 32), _mm256_srli_epi64(u, 32)));
  lo = _mm256_blend_epi32(p00, _mm256_slli_epi64(u, 32), 0xAA);
}

// Words 0..3 of the 4 blocks in c[0..3] (lane i = block i) -> 4 blocks of 4 words each at out.
SPINSC_AVX2_ONLY inline void store_blocks(const __m256i c[4], std::uint64_t* out) {
  const __m256i t0 = _mm256_unpacklo_epi64(c[0], c[1]), t1 = _mm256_unpackhi_epi64(c[0], c[1]);  // w0 w1 of blocks 0, 2 / 1, 3
  const __m256i t2 = _mm256_unpacklo_epi64(c[2], c[3]), t3 = _mm256_unpackhi_epi64(c[2], c[3]);  // w2 w3
  auto* o = reinterpret_cast<__m256i*>(out);
  _mm256_storeu_si256(o, _mm256_permute2x128_si256(t0, t2, 0x20));
  _mm256_storeu_si256(o + 1, _mm256_permute2x128_si256(t1, t3, 0x20));
  _mm256_storeu_si256(o + 2, _mm256_permute2x128_si256(t0, t2, 0x31));
  _mm256_storeu_si256(o + 3, _mm256_permute2x128_si256(t1, t3, 0x31));
}

// V vectors of 4 blocks from position `first`, written to out (16 V words).
template <int V>
SPINSC_AVX2_ONLY inline void vectors(const std::uint64_t* key, const std::uint64_t* counter, std::uint64_t first,
                                     std::uint64_t* out) {
  const Multiplier m0{_mm256_set1_epi64x(std::int64_t(PHILOX_M4x64_0 & 0xffffffffu)), _mm256_set1_epi64x(std::int64_t(PHILOX_M4x64_0 >> 32))};
  const Multiplier m1{_mm256_set1_epi64x(std::int64_t(PHILOX_M4x64_1 & 0xffffffffu)), _mm256_set1_epi64x(std::int64_t(PHILOX_M4x64_1 >> 32))};
  __m256i c[V][4];
  for (int v = 0; v < V; ++v) {
    c[v][0] = _mm256_set1_epi64x(std::int64_t(counter[0]));
    c[v][1] = _mm256_set1_epi64x(std::int64_t(counter[1]));
    c[v][2] = _mm256_set1_epi64x(std::int64_t(counter[2]));
    c[v][3] = _mm256_add_epi64(_mm256_set1_epi64x(std::int64_t(first + 4 * v)), _mm256_setr_epi64x(0, 1, 2, 3));
  }
  std::uint64_t k0 = key[0], k1 = key[1];
  for (int round = 0; round < 10; ++round) {
    // Random123's round: (c0, c1, c2, c3) <- (hi(M1 c2) ^ c1 ^ k0, lo(M1 c2), hi(M0 c0) ^ c3 ^ k1, lo(M0 c0)).
    const __m256i key0 = _mm256_set1_epi64x(std::int64_t(k0)), key1 = _mm256_set1_epi64x(std::int64_t(k1));
    for (int v = 0; v < V; ++v) {
      __m256i lo0, hi0, lo1, hi1;
      mulhilo(c[v][0], m0, lo0, hi0);
      mulhilo(c[v][2], m1, lo1, hi1);
      c[v][0] = _mm256_xor_si256(_mm256_xor_si256(hi1, c[v][1]), key0);
      c[v][1] = lo1;
      c[v][2] = _mm256_xor_si256(_mm256_xor_si256(hi0, c[v][3]), key1);
      c[v][3] = lo0;
    }
    k0 += PHILOX_W64_0;  // the key schedule (its bump after the last round is not used)
    k1 += PHILOX_W64_1;
  }
  for (int v = 0; v < V; ++v) store_blocks(c[v], out + 16 * v);
}

}  // namespace

SPINSC_AVX2_ONLY void philox_blocks_avx2(const std::uint64_t* key, const std::uint64_t* counter, std::uint64_t first,
                                         std::size_t n_blocks, std::uint64_t* out) {
  std::size_t i = 0;
  for (; i + 12 <= n_blocks; i += 12) vectors<3>(key, counter, first + i, out + 4 * i);
  for (; i + 4 <= n_blocks; i += 4) vectors<1>(key, counter, first + i, out + 4 * i);
  if (i < n_blocks) {  // fewer than 4 blocks: a whole vector, of which the first ones are kept
    std::uint64_t rest[16];
    vectors<1>(key, counter, first + i, rest);
    std::memcpy(out + 4 * i, rest, 4 * (n_blocks - i) * sizeof(std::uint64_t));
  }
}

}  // namespace spinsc::sc
#endif
