#pragma once
// Fused gate + popcount over packed streams: the inner loop of the bit mode, through the kernel
// set chosen at run time (spinsc/sc_kernels.hpp; kernels_*.cpp hold the implementations).
// Counting XOR instead of XNOR: bits past L are zero in both operands, so XOR leaves them zero and
// the XNOR ones of a synapse are L - popcount(x ^ w) without masking.
#include <cstddef>
#include <cstdint>

#include "spinsc/sc_kernels.hpp"

namespace spinsc::sc {

// The bank_xor entry for W words per stream: unrolled for 1..8 words, the general one beyond.
inline ScBitKernels::BankXor bank_xor_for(const ScBitKernels& k, std::size_t words) {
  return k.bank_xor[words <= 8 ? words : 0];
}
// The same for bank_and (D = sum_j popcount(x_j & bank[level_j][index_j])).
inline ScBitKernels::BankXor bank_and_for(const ScBitKernels& k, std::size_t words) {
  return k.bank_and[words <= 8 ? words : 0];
}

// Bank-policy neuron: D = sum_j popcount(x_j ^ bank[level_j][index_j]).
// xs: n x W input streams; levels, indices: n each; bank_of_level[k]: K x W words.
template <int W>
inline std::uint64_t bank_neuron_xor(const std::uint64_t* xs, const std::uint8_t* levels,
                                     const std::uint32_t* indices, std::size_t n,
                                     const std::uint64_t* const* bank_of_level) {
  static_assert(W >= 1 && W <= 8, "bank_neuron_xor_n takes longer streams");
  return sc_kernels().bank_xor[W](xs, levels, indices, n, bank_of_level, W);
}
inline std::uint64_t bank_neuron_xor_n(const std::uint64_t* xs, const std::uint8_t* levels,
                                       const std::uint32_t* indices, std::size_t n,
                                       const std::uint64_t* const* bank_of_level, std::size_t words) {
  return sc_kernels().bank_xor[0](xs, levels, indices, n, bank_of_level, words);
}
// popcount(a ^ b) and popcount(a & b) over n words.
inline std::uint64_t xor_count_n(const std::uint64_t* a, const std::uint64_t* b, std::size_t n) {
  return sc_kernels().xor_count(a, b, n);
}
inline std::uint64_t and_count_n(const std::uint64_t* a, const std::uint64_t* b, std::size_t n) {
  return sc_kernels().and_count(a, b, n);
}

}  // namespace spinsc::sc
