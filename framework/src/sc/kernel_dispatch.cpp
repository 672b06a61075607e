// Run-time choice of the SC kernels (spinsc/sc_kernels.hpp): from the CPU's features, or forced
// by SPINSC_SC_KERNEL.
#include <cstdlib>
#include <string>

#include "sc/kernel_tables.hpp"
#include "spinsc/params.hpp"

namespace spinsc {

namespace {

// Every kernel set this build has, best first, whether or not this CPU runs it.
std::vector<const ScBitKernels*> compiled_kernels() {
#ifdef SPINSC_SC_X86_KERNELS
  return {&sc::kAvx512Kernels, &sc::kAvx2Kernels, &sc::kPortableKernels};
#else
  return {&sc::kPortableKernels};
#endif
}

bool cpu_runs(const ScBitKernels& k) {
#ifdef SPINSC_SC_X86_KERNELS
  // __builtin_cpu_supports also checks that the OS saves the vector registers (XCR0).
  __builtin_cpu_init();
  if (&k == &sc::kAvx512Kernels) return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vpopcntdq");
  if (&k == &sc::kAvx2Kernels) return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt");
#endif
  return &k == &sc::kPortableKernels;
}

std::string names(const std::vector<const ScBitKernels*>& kernels) {
  std::string s;
  for (const auto* k : kernels) s += (s.empty() ? "" : ", ") + std::string(k->name);
  return s;
}

}  // namespace

std::vector<const ScBitKernels*> sc_kernels_available() {
  std::vector<const ScBitKernels*> out;
  for (const auto* k : compiled_kernels())
    if (cpu_runs(*k)) out.push_back(k);
  return out;
}

const ScBitKernels& sc_kernels_for(std::string_view request) {
  const auto available = sc_kernels_available();
  if (request.empty()) return *available.front();
  for (const auto* k : available)
    if (request == k->name) return *k;
  for (const auto* k : compiled_kernels())
    if (request == k->name)
      throw ParamError("SPINSC_SC_KERNEL=" + std::string(request) + ": this CPU cannot run it (" + k->description +
                       "); available here: " + names(available));
  throw ParamError("SPINSC_SC_KERNEL=" + std::string(request) + ": unknown SC kernel; valid values: " +
                   names(compiled_kernels()) + " (or unset for the best this CPU runs: " + available.front()->name + ")");
}

const ScBitKernels& sc_kernels() {
  static const ScBitKernels& chosen = [] () -> const ScBitKernels& {
    const char* env = std::getenv("SPINSC_SC_KERNEL");
    return sc_kernels_for(env ? std::string_view(env) : std::string_view());
  }();
  return chosen;
}

PhiloxBlocks philox_blocks_of_this_cpu() { return sc_kernels().philox_blocks; }

}  // namespace spinsc
