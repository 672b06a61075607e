#pragma once
// Random numbers for the chunk generator (markov_chunks in telegraph_sampler.hpp): Random123's
// Philox4x32-10 evaluated on 8 consecutive counters at once, one counter per 32-bit AVX2 lane
// (r123::Philox4x32 block by block without AVX2: the same numbers). The scalar Philox4x64 of
// RandomStream costs ~3 ns per word, a serial chain of 10 multiply rounds; 8 independent blocks
// in SIMD lanes cost a fraction of that, and the chunk generator needs 256 random bits per 64
// samples, so this is where its time would go.
//
// Keyed by one word of the caller's RandomStream, with the counter's upper half from another:
// a stream stays fully determined by the caller's stream (seed, purpose, counters).
// Counter of block b: {b mod 2^32, b / 2^32, nonce low, nonce high}; key {key low, key high}.
// A batch is blocks 8n ... 8n+7; lanes[j] holds word j of those 8 blocks (lane c = block 8n + c).
#include <Random123/philox.h>

#include <array>
#include <cstdint>
#if defined(__AVX2__)
#include <immintrin.h>
#endif

#include "spinsc/random.hpp"

namespace spinsc::telegraph {

#if defined(__AVX2__)
using Lanes8 = __m256i;  // 8 lanes of 32 random bits
inline std::array<std::uint32_t, 8> lanes_to_array(const Lanes8& v) {
  std::array<std::uint32_t, 8> out;
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(out.data()), v);
  return out;
}
#else
using Lanes8 = std::array<std::uint32_t, 8>;
inline std::array<std::uint32_t, 8> lanes_to_array(const Lanes8& v) { return v; }
#endif

class PhiloxLanes {
 public:
  struct Batch {
    Lanes8 lanes[4];
  };

  explicit PhiloxLanes(RandomStream& rng) {
    const std::uint64_t key = rng.next_u64(), nonce = rng.next_u64();
    key_ = {{std::uint32_t(key), std::uint32_t(key >> 32)}};
    nonce_ = {std::uint32_t(nonce), std::uint32_t(nonce >> 32)};
  }

  // Block b exactly as Random123 computes it (the reference for the SIMD path).
  std::array<std::uint32_t, 4> block(std::uint64_t b) const {
    const r123::Philox4x32::ctr_type ctr = {{std::uint32_t(b), std::uint32_t(b >> 32), nonce_[0], nonce_[1]}};
    const r123::Philox4x32::ctr_type out = r123::Philox4x32()(ctr, key_);
    return {out.v[0], out.v[1], out.v[2], out.v[3]};
  }

  // The next 8 blocks.
  Batch next() {
    const std::uint64_t first = next_block_;
    next_block_ += 8;
#if defined(__AVX2__)
    // Random123's round on 8 counters: (c0, c1, c2, c3) <- (hi(M1 c2) ^ c1 ^ k0, lo(M1 c2),
    // hi(M0 c0) ^ c3 ^ k1, lo(M0 c0)), the key bumped by (W0, W1) between rounds.
    __m256i c0 = _mm256_add_epi32(_mm256_set1_epi32(int(std::uint32_t(first))), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    __m256i c1 = _mm256_set1_epi32(int(std::uint32_t(first >> 32)));  // first is a multiple of 8: no carry
    __m256i c2 = _mm256_set1_epi32(int(nonce_[0])), c3 = _mm256_set1_epi32(int(nonce_[1]));
    const __m256i m0 = _mm256_set1_epi32(int(PHILOX_M4x32_0)), m1 = _mm256_set1_epi32(int(PHILOX_M4x32_1));
    std::uint32_t k0 = key_.v[0], k1 = key_.v[1];
    for (int round = 0; round < 10; ++round) {
      __m256i lo0, hi0, lo1, hi1;
      mulhilo(c0, m0, lo0, hi0);
      mulhilo(c2, m1, lo1, hi1);
      c0 = _mm256_xor_si256(_mm256_xor_si256(hi1, c1), _mm256_set1_epi32(int(k0)));
      c1 = lo1;
      c2 = _mm256_xor_si256(_mm256_xor_si256(hi0, c3), _mm256_set1_epi32(int(k1)));
      c3 = lo0;
      k0 += PHILOX_W32_0;
      k1 += PHILOX_W32_1;
    }
    return {{c0, c1, c2, c3}};
#else
    Batch batch;
    for (int c = 0; c < 8; ++c) {
      const std::array<std::uint32_t, 4> words = block(first + c);
      for (int j = 0; j < 4; ++j) batch.lanes[j][c] = words[j];
    }
    return batch;
#endif
  }

 private:
#if defined(__AVX2__)
  // 32 x 32 -> 64-bit products of every lane: even lanes directly, odd lanes shifted down.
  static void mulhilo(__m256i a, __m256i m, __m256i& lo, __m256i& hi) {
    const __m256i even = _mm256_mul_epu32(a, m);
    const __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(a, 32), m);
    lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
    hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
  }
#endif

  r123::Philox4x32::key_type key_{};
  std::array<std::uint32_t, 2> nonce_{};
  std::uint64_t next_block_ = 0;
};

}  // namespace spinsc::telegraph
