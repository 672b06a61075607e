#pragma once
// Per-thread cache of chunk tables (telegraph_chunk_table.hpp) for markov_stream. A table costs a
// few microseconds to build, as much as ~10^4 samples: a network asks for many streams at a few
// levels (the same chains again and again), so the build is paid once per level and thread.
// With device-to-device variation every junction has its own chain; then a short stream whose
// chain is new gets no table (the caller uses markov_words, which needs none) unless the same
// chain was asked for recently. The cache only decides speed: the table is a function of the
// chain, so streams are the same with or without it.
#include <array>
#include <cstdint>
#include <cstring>
#include <memory>

#include "telegraph_chunk_table.hpp"

namespace spinsc::telegraph {

class ChunkTableCache {
 public:
  static constexpr std::size_t kSlots = 16;               // 16 x 2 KiB of tables
  static constexpr std::size_t kBuildAlwaysBits = 8192;   // longer streams repay a build at once

  // The table for `chain`, or nullptr when building one would cost more than it saves.
  const ChunkTable* find(const SampledChain& chain, std::size_t n_bits) {
    const Key key{chain.leave_ap, chain.leave_p};
    for (std::size_t i = 0; i < kSlots; ++i)
      if (keys_[i] == key) return &tables_[i];
    Key& seen = seen_[hash(key) % seen_.size()];
    if (n_bits < kBuildAlwaysBits && !(seen == key)) {
      seen = key;  // a second request for this chain will build
      return nullptr;
    }
    const std::size_t slot = next_slot_++ % kSlots;
    tables_[slot].build(chain);
    keys_[slot] = key;
    return &tables_[slot];
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
  static std::size_t hash(const Key& k) {
    std::uint64_t a, b;
    static_assert(sizeof(double) == sizeof(std::uint64_t));
    std::memcpy(&a, &k.leave_ap, sizeof a);
    std::memcpy(&b, &k.leave_p, sizeof b);
    return std::size_t((a * 0x9E3779B97F4A7C15ull ^ b) * 0xBF58476D1CE4E5B9ull >> 32);
  }

  std::array<Key, kSlots> keys_{};
  std::array<ChunkTable, kSlots> tables_{};
  std::array<Key, 64> seen_{};  // chains asked once for a short stream, direct mapped
  std::size_t next_slot_ = 0;   // round-robin replacement
};

}  // namespace spinsc::telegraph
