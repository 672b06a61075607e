// Philox4x64-10 blocks (PhiloxBlocks of spinsc/random.hpp) in AVX-512F lanes: 8 counters per vector,
// 3 vectors in flight (their rounds are independent, so the multiplies of one overlap the others'
// adds). AVX-512 has no 64 x 64 -> 128-bit multiply: the product by Philox's constant M is built
// from four 32 x 32 -> 64-bit vpmuludq (a = a1 2^32 + a0, M = m1 2^32 + m0):
//   t = a1 m0 + hi32(a0 m0),  u = a0 m1 + lo32(t)        (neither overflows 64 bits)
//   lo = lo32(u) 2^32 + lo32(a0 m0),  hi = a1 m1 + hi32(t) + hi32(u)
// which is the exact 128-bit product. tests/sc/test_philox_blocks.cpp compares every block with
// Random123's.
#include <Random123/philox.h>

#include <cstring>

#include "sc/kernel_tables.hpp"

#ifdef SPINSC_SC_X86_KERNELS
#include <immintrin.h>

#define SPINSC_AVX512F __attribute__((target("avx512f")))

namespace spinsc::sc {

namespace {

struct Multiplier {
  __m512i low, high;  // m0 and m1 in the low 32 bits of every lane
};

SPINSC_AVX512F inline void mulhilo(__m512i a, const Multiplier& m, __m512i& lo, __m512i& hi) {
  const __m512i low32 = _mm512_set1_epi64(0xffffffffll);
  const __m512i a1 = _mm512_srli_epi64(a, 32);
  const __m512i p00 = _mm512_mul_epu32(a, m.low), p01 = _mm512_mul_epu32(a, m.high);
  const __m512i p10 = _mm512_mul_epu32(a1, m.low), p11 = _mm512_mul_epu32(a1, m.high);
  const __m512i t = _mm512_add_epi64(p10, _mm512_srli_epi64(p00, 32));
  const __m512i u = _mm512_add_epi64(p01, _mm512_and_si512(t, low32));
  hi = _mm512_add_epi64(p11, _mm512_add_epi64(_mm512_srli_epi64(t, 32), _mm512_srli_epi64(u, 32)));
  lo = _mm512_mask_blend_epi32(0xAAAA, p00, _mm512_slli_epi64(u, 32));
}

// Words 0..3 of the 8 blocks in c[0..3] (lane i = block i) -> 8 blocks of 4 words each at out.
SPINSC_AVX512F inline void store_blocks(const __m512i c[4], std::uint64_t* out) {
  const __m512i t0 = _mm512_unpacklo_epi64(c[0], c[1]), t1 = _mm512_unpackhi_epi64(c[0], c[1]);  // w0 w1 of even / odd blocks
  const __m512i t2 = _mm512_unpacklo_epi64(c[2], c[3]), t3 = _mm512_unpackhi_epi64(c[2], c[3]);  // w2 w3
  const __m512i first_half = _mm512_setr_epi64(0, 1, 8, 9, 2, 3, 10, 11), second_half = _mm512_setr_epi64(4, 5, 12, 13, 6, 7, 14, 15);
  const __m512i u0 = _mm512_permutex2var_epi64(t0, first_half, t2), u1 = _mm512_permutex2var_epi64(t1, first_half, t3);
  const __m512i u2 = _mm512_permutex2var_epi64(t0, second_half, t2), u3 = _mm512_permutex2var_epi64(t1, second_half, t3);
  const __m512i low_pairs = _mm512_setr_epi64(0, 1, 2, 3, 8, 9, 10, 11), high_pairs = _mm512_setr_epi64(4, 5, 6, 7, 12, 13, 14, 15);
  _mm512_storeu_si512(out, _mm512_permutex2var_epi64(u0, low_pairs, u1));        // blocks 0, 1
  _mm512_storeu_si512(out + 8, _mm512_permutex2var_epi64(u0, high_pairs, u1));   // blocks 2, 3
  _mm512_storeu_si512(out + 16, _mm512_permutex2var_epi64(u2, low_pairs, u3));   // blocks 4, 5
  _mm512_storeu_si512(out + 24, _mm512_permutex2var_epi64(u2, high_pairs, u3));  // blocks 6, 7
}

// V vectors of 8 blocks from position `first`, written to out (32 V words).
template <int V>
SPINSC_AVX512F inline void vectors(const std::uint64_t* key, const std::uint64_t* counter, std::uint64_t first,
                                   std::uint64_t* out) {
  const Multiplier m0{_mm512_set1_epi64(std::int64_t(PHILOX_M4x64_0 & 0xffffffffu)), _mm512_set1_epi64(std::int64_t(PHILOX_M4x64_0 >> 32))};
  const Multiplier m1{_mm512_set1_epi64(std::int64_t(PHILOX_M4x64_1 & 0xffffffffu)), _mm512_set1_epi64(std::int64_t(PHILOX_M4x64_1 >> 32))};
  __m512i c[V][4];
  for (int v = 0; v < V; ++v) {
    c[v][0] = _mm512_set1_epi64(std::int64_t(counter[0]));
    c[v][1] = _mm512_set1_epi64(std::int64_t(counter[1]));
    c[v][2] = _mm512_set1_epi64(std::int64_t(counter[2]));
    c[v][3] = _mm512_add_epi64(_mm512_set1_epi64(std::int64_t(first + 8 * v)), _mm512_setr_epi64(0, 1, 2, 3, 4, 5, 6, 7));
  }
  std::uint64_t k0 = key[0], k1 = key[1];
  for (int round = 0; round < 10; ++round) {
    // Random123's round: (c0, c1, c2, c3) <- (hi(M1 c2) ^ c1 ^ k0, lo(M1 c2), hi(M0 c0) ^ c3 ^ k1, lo(M0 c0)).
    const __m512i key0 = _mm512_set1_epi64(std::int64_t(k0)), key1 = _mm512_set1_epi64(std::int64_t(k1));
    for (int v = 0; v < V; ++v) {
      __m512i lo0, hi0, lo1, hi1;
      mulhilo(c[v][0], m0, lo0, hi0);
      mulhilo(c[v][2], m1, lo1, hi1);
      c[v][0] = _mm512_ternarylogic_epi64(hi1, c[v][1], key0, 0x96);  // three-way XOR
      c[v][1] = lo1;
      c[v][2] = _mm512_ternarylogic_epi64(hi0, c[v][3], key1, 0x96);
      c[v][3] = lo0;
    }
    k0 += PHILOX_W64_0;  // the key schedule (its bump after the last round is not used)
    k1 += PHILOX_W64_1;
  }
  for (int v = 0; v < V; ++v) store_blocks(c[v], out + 32 * v);
}

}  // namespace

SPINSC_AVX512F void philox_blocks_avx512(const std::uint64_t* key, const std::uint64_t* counter, std::uint64_t first,
                                         std::size_t n_blocks, std::uint64_t* out) {
  std::size_t i = 0;
  for (; i + 24 <= n_blocks; i += 24) vectors<3>(key, counter, first + i, out + 4 * i);
  for (; i + 8 <= n_blocks; i += 8) vectors<1>(key, counter, first + i, out + 4 * i);
  if (i < n_blocks) {  // fewer than 8 blocks: a whole vector, of which the first ones are kept
    std::uint64_t rest[32];
    vectors<1>(key, counter, first + i, rest);
    std::memcpy(out + 4 * i, rest, 4 * (n_blocks - i) * sizeof(std::uint64_t));
  }
}

}  // namespace spinsc::sc
#endif
