#pragma once
// The gate + popcount kernels of the bit-mode SC engine, one set per instruction set, chosen at
// run time from the CPU the program runs on (the build itself stays at its portable -march):
//   avx512    AVX-512F + VPOPCNTDQ: 512-bit XOR/AND and a popcount per 64-bit lane
//   avx2      AVX2: 256-bit XOR/AND and the nibble look-up popcount (vpshufb), byte lanes
//             flushed with vpsadbw before they can overflow
//   portable  plain C++ (std::popcount on 64-bit words)
// Every kernel counts exactly, so all of them give the same bits and the same results.
// Each set also computes Philox4x64-10 blocks (spinsc/random.hpp, PhiloxBlocks) in its vector lanes
// (8 or 4 counters at once; portable: Random123 itself), the same numbers from every set: the
// random words of fresh streams (RandomStream::fill).
// The environment variable SPINSC_SC_KERNEL=portable|avx2|avx512 forces one (for tests and
// speed comparisons); unset or empty means the best one this CPU supports.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "spinsc/random.hpp"

namespace spinsc {

struct ScBitKernels {
  // Bank-policy neuron: D = sum_j popcount(xs_j ^ bank_of_level[levels[j]][indices[j]]), with
  // xs n x words input streams and bank_of_level[k] the K x words bank of level k.
  using BankXor = std::uint64_t (*)(const std::uint64_t* xs, const std::uint8_t* levels,
                                    const std::uint32_t* indices, std::size_t n,
                                    const std::uint64_t* const* bank_of_level, std::size_t words);
  // popcount(a ^ b) or popcount(a & b) summed over n words.
  using Count = std::uint64_t (*)(const std::uint64_t* a, const std::uint64_t* b, std::size_t n);

  const char* name;         // "avx512", "avx2", "portable"
  const char* description;  // the instructions it uses
  // bank_xor[W] is unrolled for W words per stream (W = 1..8); bank_xor[0] takes any `words`.
  BankXor bank_xor[9];
  Count xor_count;
  Count and_count;
  // The same bank neuron with AND: sum_j popcount(xs_j & bank_of_level[levels[j]][indices[j]])
  // (the unipolar excitatory / inhibitory counts); indexed like bank_xor.
  BankXor bank_and[9];
  PhiloxBlocks philox_blocks;
};

// The kernels this CPU can run, best first (the portable one is always last).
std::vector<const ScBitKernels*> sc_kernels_available();
// The kernels for a request: "" = the best available; otherwise a name above. Throws ParamError
// for an unknown name or one this CPU cannot run, naming SPINSC_SC_KERNEL and the valid values.
const ScBitKernels& sc_kernels_for(std::string_view request);
// The kernels in use: sc_kernels_for(getenv("SPINSC_SC_KERNEL")), resolved once per process.
const ScBitKernels& sc_kernels();

}  // namespace spinsc
