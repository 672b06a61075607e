#pragma once
// The kernel sets of spinsc/sc_kernels.hpp, one per source file (kernels_*.cpp). The AVX2 and
// AVX-512 sets are compiled with function target attributes, not with a file-wide -m flag, so
// that nothing else of the library (inline functions of headers included there) can be built
// for an instruction set the CPU may lack; they exist only on x86-64 with GCC or Clang.
#include "spinsc/sc_kernels.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SPINSC_SC_X86_KERNELS 1
#endif

// The bank_xor[0..8] and bank_and[0..8] rows of a kernel set, from its source file's function
// template bank_gate<W, And> (W words per stream, 0 = any; And: AND, else XOR): one spelling of
// the rows for every kernel set.
#define SPINSC_BANK_GATE_ROW(f, and_gate)                                                                          \
  {                                                                                                                \
    &f<0, and_gate>, &f<1, and_gate>, &f<2, and_gate>, &f<3, and_gate>, &f<4, and_gate>, &f<5, and_gate>,          \
        &f<6, and_gate>, &f<7, and_gate>, &f<8, and_gate>                                                          \
  }

namespace spinsc::sc {

extern const ScBitKernels kPortableKernels;
#ifdef SPINSC_SC_X86_KERNELS
extern const ScBitKernels kAvx2Kernels;
extern const ScBitKernels kAvx512Kernels;
#endif

// Philox4x64-10 blocks (PhiloxBlocks of spinsc/random.hpp), one per kernel set (philox_blocks_*.cpp).
void philox_blocks_portable(const std::uint64_t* key, const std::uint64_t* counter, std::uint64_t first,
                            std::size_t n_blocks, std::uint64_t* out);
#ifdef SPINSC_SC_X86_KERNELS
void philox_blocks_avx2(const std::uint64_t* key, const std::uint64_t* counter, std::uint64_t first,
                        std::size_t n_blocks, std::uint64_t* out);
void philox_blocks_avx512(const std::uint64_t* key, const std::uint64_t* counter, std::uint64_t first,
                          std::size_t n_blocks, std::uint64_t* out);
#endif

}  // namespace spinsc::sc
