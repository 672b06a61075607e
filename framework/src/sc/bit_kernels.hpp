#pragma once
// Fused gate + popcount over packed streams: the inner loop of the bit mode.
// Counting XOR instead of XNOR: bits past L are zero in both operands, so XOR leaves them zero and
// the XNOR ones of a synapse are L - popcount(x ^ w) without masking.
// W (words per stream) is a template parameter for the common lengths so that the loop over words
// is unrolled; dispatch_words() picks the instance.
#include <bit>
#include <cstddef>
#include <cstdint>

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

// Bank-policy neuron: D = sum_j popcount(x_j ^ bank[level_j][index_j]).
// xs: n x W input streams; levels, indices: n each; bank_of_level[k]: K x W words.
template <int W>
inline std::uint64_t bank_neuron_xor(const std::uint64_t* xs, const std::uint8_t* levels,
                                     const std::uint32_t* indices, std::size_t n,
                                     const std::uint64_t* const* bank_of_level) {
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
