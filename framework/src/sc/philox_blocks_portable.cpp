// Philox4x64-10 blocks (PhiloxBlocks of spinsc/random.hpp) with Random123 itself, block by block:
// the reference for the vector implementations and the fallback on any CPU.
#include <Random123/philox.h>

#include "sc/kernel_tables.hpp"

namespace spinsc::sc {

void philox_blocks_portable(const std::uint64_t* key, const std::uint64_t* counter, std::uint64_t first,
                            std::size_t n_blocks, std::uint64_t* out) {
  const r123::Philox4x64::key_type k = {{key[0], key[1]}};
  r123::Philox4x64::ctr_type c = {{counter[0], counter[1], counter[2], first}};
  for (std::size_t i = 0; i < n_blocks; ++i, ++c.v[3]) {
    const r123::Philox4x64::ctr_type r = r123::Philox4x64()(c, k);
    for (int j = 0; j < 4; ++j) out[4 * i + j] = r.v[j];
  }
}

}  // namespace spinsc::sc
