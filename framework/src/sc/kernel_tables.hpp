#pragma once
// The kernel sets of spinsc/sc_kernels.hpp, one per source file (kernels_*.cpp). The AVX2 and
// AVX-512 sets are compiled with function target attributes, not with a file-wide -m flag, so
// that nothing else of the library (inline functions of headers included there) can be built
// for an instruction set the CPU may lack; they exist only on x86-64 with GCC or Clang.
#include "spinsc/sc_kernels.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SPINSC_SC_X86_KERNELS 1
#endif

// The bank_xor[0..8] row of a kernel set, from its source file's function template bank_xor<W>
// (W words per stream, 0 = any): one spelling of the row for every kernel set.
#define SPINSC_BANK_XOR_ROW(f) \
  { &f<0>, &f<1>, &f<2>, &f<3>, &f<4>, &f<5>, &f<6>, &f<7>, &f<8> }

namespace spinsc::sc {

extern const ScBitKernels kPortableKernels;
#ifdef SPINSC_SC_X86_KERNELS
extern const ScBitKernels kAvx2Kernels;
extern const ScBitKernels kAvx512Kernels;
#endif

}  // namespace spinsc::sc
