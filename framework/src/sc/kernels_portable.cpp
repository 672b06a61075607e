// The portable SC kernels: plain C++ on 64-bit words (std::popcount), for any CPU.
#include <bit>

#include "sc/kernel_tables.hpp"

namespace spinsc::sc {

namespace {

template <int W, bool And>
std::uint64_t bank_gate(const std::uint64_t* xs, const std::uint8_t* levels, const std::uint32_t* indices,
                       std::size_t n, const std::uint64_t* const* bank_of_level, std::size_t words) {
  const std::size_t nw = W > 0 ? std::size_t(W) : words;  // a constant for W > 0: the loop unrolls
  std::uint64_t d = 0;
  for (std::size_t j = 0; j < n; ++j) {
    const std::uint64_t* x = xs + j * nw;
    const std::uint64_t* w = bank_of_level[levels[j]] + static_cast<std::size_t>(indices[j]) * nw;
    for (std::size_t k = 0; k < nw; ++k) d += std::popcount(And ? (x[k] & w[k]) : (x[k] ^ w[k]));
  }
  return d;
}

std::uint64_t xor_count(const std::uint64_t* a, const std::uint64_t* b, std::size_t n) {
  std::uint64_t c = 0;
  for (std::size_t w = 0; w < n; ++w) c += std::popcount(a[w] ^ b[w]);
  return c;
}

std::uint64_t and_count(const std::uint64_t* a, const std::uint64_t* b, std::size_t n) {
  std::uint64_t c = 0;
  for (std::size_t w = 0; w < n; ++w) c += std::popcount(a[w] & b[w]);
  return c;
}

}  // namespace

const ScBitKernels kPortableKernels{
    "portable",
    "plain C++, std::popcount on 64-bit words",
    SPINSC_BANK_GATE_ROW(bank_gate, false),
    &xor_count,
    &and_count,
    SPINSC_BANK_GATE_ROW(bank_gate, true),
    &philox_blocks_portable};

}  // namespace spinsc::sc
