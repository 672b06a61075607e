// Requirement: every Philox4x64-10 implementation of the kernel sets this CPU runs (AVX-512, AVX2,
// portable) gives exactly Random123's r123::Philox4x64 block for every key, counter and position,
// including the edge values of each word (0, 1, 2^32 - 1, 2^32, 2^63, 2^64 - 1: where the 32-bit
// halves of the vector products carry), positions that wrap past 2^64 - 1 inside a vector, and
// every count of blocks that leaves a partial vector; and RandomStream::fill(n) gives the words of
// n next_u64() calls and leaves the stream where they leave it, whatever the split points.
#define BOOST_TEST_MODULE philox_blocks
#include <Random123/philox.h>

#include <boost/test/unit_test.hpp>
#include <vector>

#include "spinsc/random.hpp"
#include "spinsc/sc_kernels.hpp"

using namespace spinsc;

namespace {

// The oracle: Random123 itself, block by block.
std::vector<std::uint64_t> reference_blocks(const std::uint64_t key[2], const std::uint64_t counter[3],
                                            std::uint64_t first, std::size_t n) {
  std::vector<std::uint64_t> out;
  for (std::size_t i = 0; i < n; ++i) {
    const r123::Philox4x64::ctr_type c = {{counter[0], counter[1], counter[2], first + i}};
    const r123::Philox4x64::ctr_type r = r123::Philox4x64()(c, r123::Philox4x64::key_type{{key[0], key[1]}});
    out.insert(out.end(), r.v, r.v + 4);
  }
  return out;
}

const std::uint64_t kEdges[] = {0ull, 1ull, 0xffffffffull, 0x100000000ull, 0x8000000000000000ull, ~0ull};

}  // namespace

BOOST_AUTO_TEST_CASE(every_implementation_gives_random123_blocks_at_edge_values) {
  int failures = 0, compared = 0;
  for (const auto* k : sc_kernels_available()) {
    for (std::uint64_t a : kEdges)
      for (std::uint64_t b : kEdges) {
        const std::uint64_t key[2] = {a, b ^ 0x9E3779B97F4A7C15ull};
        const std::uint64_t counter[3] = {b, a, ~a};
        // Positions just before the wrap of the block counter: lanes of one vector straddle it.
        for (std::uint64_t first : {a, std::uint64_t(~0ull - 5), std::uint64_t(~0ull - 30)}) {
          const std::size_t n = 37;  // 24 + 8 + 5 (AVX-512), 3 x 12 + 1 (AVX2): every code path
          const auto want = reference_blocks(key, counter, first, n);
          std::vector<std::uint64_t> got(4 * n + 4, 0xdeadbeefull);
          k->philox_blocks(key, counter, first, n, got.data());
          ++compared;
          if (!std::equal(want.begin(), want.end(), got.begin())) {
            ++failures;
            BOOST_ERROR(k->name << " key " << key[0] << "," << key[1] << " first " << first);
          }
          for (int w = 0; w < 4; ++w) BOOST_TEST(got[4 * n + w] == 0xdeadbeefull, k->name << ": wrote past the end");
        }
      }
  }
  BOOST_TEST(compared > 0);
  BOOST_TEST(failures == 0);
}

BOOST_AUTO_TEST_CASE(every_implementation_gives_random123_blocks_for_random_keys_and_every_count) {
  RandomStream rng(23, "philox-test");
  int failures = 0;
  for (int trial = 0; trial < 200; ++trial) {
    const std::uint64_t key[2] = {rng.next_u64(), rng.next_u64()};
    const std::uint64_t counter[3] = {rng.next_u64(), rng.next_u64(), rng.next_u64()};
    const std::uint64_t first = rng.next_u64();
    const std::size_t n = trial % 70;  // 0 .. 69 blocks: every tail of 8 and of 4 lanes
    const auto want = reference_blocks(key, counter, first, n);
    for (const auto* k : sc_kernels_available()) {
      std::vector<std::uint64_t> got(4 * n);
      k->philox_blocks(key, counter, first, n, got.data());
      if (got != want) {
        ++failures;
        BOOST_ERROR(k->name << " trial " << trial << " n " << n);
      }
    }
  }
  BOOST_TEST(failures == 0);
}

BOOST_AUTO_TEST_CASE(fill_gives_the_words_of_next_u64_across_any_split) {
  // Split points inside a block, at block ends, long runs; a stream that has buffered words
  // left over from next_u64() before fill(), and next_u64() after fill() continuing the sequence.
  for (const auto* k : sc_kernels_available()) {
    RandomStream one(41, "philox-fill", 3, 2), many(41, "philox-fill", 3, 2);
    many.use_blocks(k->philox_blocks);
    RandomStream pattern(5, "philox-fill-pattern");
    std::size_t mismatches = 0, drawn = 0;
    for (int step = 0; step < 300; ++step) {
      const std::size_t n = step % 7 == 0 ? 0 : step % 5 == 0 ? 1000 + pattern.below(300) : pattern.below(40);
      std::vector<std::uint64_t> got(n);
      many.fill(got.data(), n);
      for (std::size_t i = 0; i < n; ++i) mismatches += got[i] != one.next_u64();
      const std::size_t singles = pattern.below(6);  // next_u64 on both: leaves a block part used
      for (std::size_t i = 0; i < singles; ++i) mismatches += many.next_u64() != one.next_u64();
      drawn += n + singles;
    }
    BOOST_TEST(drawn > 10000u);
    BOOST_TEST(mismatches == 0u, k->name);
    // The substreams of a filled stream are those of the other: same counters, same key.
    BOOST_TEST(many.substream(9).next_u64() == one.substream(9).next_u64());
  }
}
