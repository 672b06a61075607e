// The AVX-512 SC kernels (AVX-512F + VPOPCNTDQ): 512-bit XOR/AND and vpopcntq, a popcount per
// 64-bit lane, accumulated in 64-bit lanes (no overflow to guard). A stream of W words is
// ceil(W / 8) vectors; the last one is a masked load, whose masked-out words read as zero (and
// are not touched in memory, so nothing past the stream is read).
#include "sc/kernel_tables.hpp"

#ifdef SPINSC_SC_X86_KERNELS
#include <immintrin.h>

#define SPINSC_AVX512 __attribute__((target("avx512f,avx512vpopcntdq,popcnt")))

namespace spinsc::sc {

namespace {

SPINSC_AVX512 inline __m512i load_words(const std::uint64_t* p, __mmask8 mask) {
  return mask == 0xff ? _mm512_loadu_si512(p) : _mm512_maskz_loadu_epi64(mask, p);
}

// acc + the lane popcounts of x ^ w (And: x & w) over one stream of V vectors, the last one
// loaded with `last`.
template <bool And>
SPINSC_AVX512 inline __m512i add_gate_count(__m512i acc, const std::uint64_t* x, const std::uint64_t* w, std::size_t V,
                                           __mmask8 last) {
  for (std::size_t v = 0; v < V; ++v) {
    const __mmask8 m = v + 1 == V ? last : __mmask8(0xff);
    const __m512i a = load_words(x + 8 * v, m), b = load_words(w + 8 * v, m);
    acc = _mm512_add_epi64(acc, _mm512_popcnt_epi64(And ? _mm512_and_si512(a, b) : _mm512_xor_si512(a, b)));
  }
  return acc;
}

template <int W, bool And>
SPINSC_AVX512 std::uint64_t bank_gate(const std::uint64_t* xs, const std::uint8_t* levels,
                                     const std::uint32_t* indices, std::size_t n,
                                     const std::uint64_t* const* bank_of_level, std::size_t words) {
  const std::size_t nw = W > 0 ? std::size_t(W) : words;  // a constant for W > 0: the loops unroll
  const std::size_t V = (nw + 7) / 8;
  const __mmask8 last = static_cast<__mmask8>(nw % 8 ? (1u << (nw % 8)) - 1 : 0xffu);
  // Two accumulators: consecutive synapses do not wait on each other's add.
  __m512i acc0 = _mm512_setzero_si512(), acc1 = _mm512_setzero_si512();
  std::size_t j = 0;
  for (; j + 2 <= n; j += 2) {
    acc0 = add_gate_count<And>(acc0, xs + j * nw, bank_of_level[levels[j]] + std::size_t(indices[j]) * nw, V, last);
    acc1 = add_gate_count<And>(acc1, xs + (j + 1) * nw, bank_of_level[levels[j + 1]] + std::size_t(indices[j + 1]) * nw, V,
                         last);
  }
  if (j < n) acc0 = add_gate_count<And>(acc0, xs + j * nw, bank_of_level[levels[j]] + std::size_t(indices[j]) * nw, V, last);
  return static_cast<std::uint64_t>(_mm512_reduce_add_epi64(_mm512_add_epi64(acc0, acc1)));
}

template <bool And>
SPINSC_AVX512 std::uint64_t gate_count(const std::uint64_t* a, const std::uint64_t* b, std::size_t n) {
  __m512i acc = _mm512_setzero_si512();
  for (std::size_t w = 0; w < n; w += 8) {
    const __mmask8 m = n - w >= 8 ? __mmask8(0xff) : static_cast<__mmask8>((1u << (n - w)) - 1);
    const __m512i x = load_words(a + w, m), y = load_words(b + w, m);
    acc = _mm512_add_epi64(acc, _mm512_popcnt_epi64(And ? _mm512_and_si512(x, y) : _mm512_xor_si512(x, y)));
  }
  return static_cast<std::uint64_t>(_mm512_reduce_add_epi64(acc));
}

}  // namespace

const ScBitKernels kAvx512Kernels{
    "avx512",
    "AVX-512F + VPOPCNTDQ, vpopcntq in 64-bit lanes",
    SPINSC_BANK_GATE_ROW(bank_gate, false),
    &gate_count<false>,
    &gate_count<true>,
    SPINSC_BANK_GATE_ROW(bank_gate, true),
    &philox_blocks_avx512};

}  // namespace spinsc::sc
#endif
