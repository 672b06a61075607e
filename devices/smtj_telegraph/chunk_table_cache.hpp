#pragma once
// Per-thread cache of chunk tables (telegraph_chunk_table.hpp) for markov_stream. A table costs a
// few microseconds to build, as much as ~10^4 samples: a network asks for many streams at a few
// levels (the same chains again and again), so the build is paid once per level and thread.
// The cache only decides speed: the table is a function of the chain, so a stream is the same
// whether its table was cached or built. Which generator a stream uses must never depend on the
// cache (that would make the bits depend on what this thread generated before): markov_stream
// decides that from the chain, the length and whether chains repeat.
#include <array>
#include <cstdint>
#include <memory>

#include "telegraph_chunk_table.hpp"

namespace spinsc::telegraph {

class ChunkTableCache {
 public:
  static constexpr std::size_t kSlots = 16;  // 16 x 2 KiB of tables

  // The table for `chain`: cached, or built now (replacing the oldest slot).
  const ChunkTable& find(const SampledChain& chain) {
    const Key key{chain.leave_ap, chain.leave_p};
    for (std::size_t i = 0; i < kSlots; ++i)
      if (keys_[i] == key) return tables_[i];
    const std::size_t slot = next_slot_++ % kSlots;
    tables_[slot].build(chain);
    keys_[slot] = key;
    return tables_[slot];
  }

  // This thread's cache.
  static ChunkTableCache& for_this_thread() {
    thread_local std::unique_ptr<ChunkTableCache> cache = std::make_unique<ChunkTableCache>();
    return *cache;
  }

 private:
  struct Key {
    double leave_ap = -1.0, leave_p = -1.0;  // no chain has negative probabilities: empty slot
    bool operator==(const Key& o) const { return leave_ap == o.leave_ap && leave_p == o.leave_p; }
  };

  std::array<Key, kSlots> keys_{};
  std::array<ChunkTable, kSlots> tables_{};
  std::size_t next_slot_ = 0;   // round-robin replacement
};

}  // namespace spinsc::telegraph
