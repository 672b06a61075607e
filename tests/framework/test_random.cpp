// Requirement: random streams are counter-based and reproducible: the same key gives the same
// numbers in any order, different purposes/runs/instances/substreams give different numbers, and
// the uniform and normal draws have the right moments.
#define BOOST_TEST_MODULE random
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <set>

#include "spinsc/random.hpp"

using spinsc::RandomStream;

BOOST_AUTO_TEST_CASE(same_key_same_numbers) {
  RandomStream a(42, "weights", 3, 1), b(42, "weights", 3, 1);
  for (int i = 0; i < 100; ++i) BOOST_TEST(a.next_u64() == b.next_u64());
}

BOOST_AUTO_TEST_CASE(random_access_matches_sequence) {
  RandomStream a(7, "x");
  const auto block5 = a.block(5);
  for (int i = 0; i < 20; ++i) a.next_u64();
  for (int i = 0; i < 4; ++i) BOOST_TEST(a.next_u64() == block5[i]);
}

BOOST_AUTO_TEST_CASE(keys_separate_streams) {
  // Not only the first number: streams of different keys share no 64-bit value among their first
  // 4096 (a shared value among 2 x 4096 independent uniform 64-bit numbers has probability
  // about 4096^2 / 2^64 = 1e-12), so a key that shifts or reuses another stream's counter
  // (substream k = the base stream k blocks on, say) is caught at any offset within that window.
  const auto first_numbers = [](RandomStream s) {
    std::set<std::uint64_t> v;
    for (int i = 0; i < 4096; ++i) v.insert(s.next_u64());
    return v;
  };
  const std::set<std::uint64_t> base = first_numbers(RandomStream(1, "a", 0, 0));
  BOOST_TEST(base.size() == 4096u);
  const RandomStream others[] = {RandomStream(2, "a", 0, 0),          RandomStream(1, "b", 0, 0),
                                 RandomStream(1, "a", 1, 0),          RandomStream(1, "a", 0, 1),
                                 RandomStream(1, "a", 0, 0).substream(1), RandomStream(1, "a", 0, 0).derive("c"),
                                 RandomStream(1, "a", 0, 0).substream(2)};
  for (std::size_t k = 0; k < std::size(others); ++k) {
    const std::set<std::uint64_t> other = first_numbers(others[k]);
    std::size_t shared = 0;
    for (auto x : other) shared += base.count(x);
    BOOST_TEST(shared == 0u, "stream " << k);
  }
}

BOOST_AUTO_TEST_CASE(uniform_and_normal_moments) {
  // n = 1e6 draws: SE of the uniform mean = sqrt(1/12/n) = 2.9e-4; of the normal variance
  // = sqrt(2/n) = 1.4e-3. Tolerance 5 SE.
  RandomStream rng(11, "moments");
  const int n = 1000000;
  double su = 0, sn = 0, sn2 = 0;
  for (int i = 0; i < n; ++i) {
    su += rng.uniform();
    const double z = rng.normal();
    sn += z;
    sn2 += z * z;
  }
  BOOST_TEST(std::abs(su / n - 0.5) < 5 * 2.9e-4);
  BOOST_TEST(std::abs(sn / n) < 5 * 1e-3);
  BOOST_TEST(std::abs(sn2 / n - 1.0) < 5 * 1.42e-3);
}

BOOST_AUTO_TEST_CASE(below_is_in_range_and_uniform) {
  RandomStream rng(5, "below");
  std::vector<int> counts(7, 0);
  const int n = 700000;
  for (int i = 0; i < n; ++i) {
    const auto k = rng.below(7);
    BOOST_REQUIRE(k < 7);
    ++counts[k];
  }
  // Each count ~ Binomial(n, 1/7): SE = sqrt(n p (1-p)) = 296.
  for (int c : counts) BOOST_TEST(std::abs(c - n / 7.0) < 5 * 296.0);
}
