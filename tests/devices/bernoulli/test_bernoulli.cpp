// Requirement: device.bernoulli loads through the plugin registry and produces independent bits
// with the requested P(1) (bipolar levels of 5- and 11-state quantization), zero padding past L.
#define BOOST_TEST_MODULE device_bernoulli
#include <boost/test/unit_test.hpp>
#include <bit>
#include <cmath>

#include "spinsc/bit_source.hpp"
#include "spinsc/plugin_registry.hpp"

using namespace spinsc;

namespace {
std::unique_ptr<BitSource> make_bernoulli(PluginRegistry& registry, po::variables_map& vm) {
  po::options_description description;
  registry.declare_options("device.bernoulli", description);
  po::store(po::parsed_options(&description), vm);
  po::notify(vm);
  return create_as<BitSource>(registry, "device.bernoulli", vm, ComponentContext{1, 0, 0});
}
}  // namespace

BOOST_AUTO_TEST_CASE(probability_of_one_matches_request) {
  PluginRegistry registry({SPINSC_BUILD_PLUGIN_DIR});
  po::variables_map vm;
  auto device = make_bernoulli(registry, vm);
  const std::size_t n_bits = 1 << 20;
  std::vector<std::uint64_t> words(words_for_bits(n_bits));
  for (int k = 0; k <= 10; ++k) {
    const double p = k / 10.0;
    RandomStream rng(3, "bernoulli-test", 0, k);
    device->generate({p, n_bits, 0}, words, rng);
    std::uint64_t ones = 0;
    for (auto w : words) ones += std::popcount(w);
    const double se = std::sqrt(p * (1 - p) / n_bits);
    BOOST_TEST(std::abs(double(ones) / n_bits - p) <= 5 * se + 1e-12, "p=" << p);
  }
}

BOOST_AUTO_TEST_CASE(lag_one_correlation_is_zero) {
  PluginRegistry registry({SPINSC_BUILD_PLUGIN_DIR});
  po::variables_map vm;
  auto device = make_bernoulli(registry, vm);
  const std::size_t n_bits = 1 << 20;
  std::vector<std::uint64_t> words(words_for_bits(n_bits));
  RandomStream rng(4, "bernoulli-test");
  device->generate({0.3, n_bits, 0}, words, rng);
  auto bit = [&](std::size_t t) { return double((words[t / 64] >> (t % 64)) & 1u); };
  double s = 0, s2 = 0, lag = 0;
  for (std::size_t t = 0; t < n_bits; ++t) {
    s += bit(t);
    s2 += bit(t);
    if (t + 1 < n_bits) lag += bit(t) * bit(t + 1);
  }
  const double mean = s / n_bits, var = s2 / n_bits - mean * mean;
  const double rho = (lag / (n_bits - 1) - mean * mean) / var;
  BOOST_TEST(std::abs(rho) < 5 / std::sqrt(double(n_bits)));  // SE of rho ~ 1/sqrt(n)
}

BOOST_AUTO_TEST_CASE(bits_past_length_are_zero) {
  PluginRegistry registry({SPINSC_BUILD_PLUGIN_DIR});
  po::variables_map vm;
  auto device = make_bernoulli(registry, vm);
  std::vector<std::uint64_t> words(2);
  RandomStream rng(5, "bernoulli-test");
  device->generate({1.0, 100, 0}, words, rng);
  BOOST_TEST(words[0] == ~0ull);
  BOOST_TEST(words[1] == (1ull << 36) - 1);
}

BOOST_AUTO_TEST_CASE(bits_are_the_digit_construction_with_one_random_word_per_digit) {
  // The documented algorithm, written out here with one next_u64() per digit, word by word: the
  // plugin gives exactly these bits (so a faster implementation must keep them), at levels
  // of 1 to 32 digits, lengths ending inside a word and long streams, and it leaves the random stream where the construction leaves it. The switch count is the number of
  // changes between consecutive bits.
  PluginRegistry registry({SPINSC_BUILD_PLUGIN_DIR});
  po::variables_map vm;
  auto device = make_bernoulli(registry, vm);
  for (double p : {0.0, 0.25, 0.5, 0.75, 1.0, 0.1, 1.0 / 3.0, 0.999, 0x1.0p-32 * 12345.0})
    for (std::size_t n_bits : {std::size_t(1), std::size_t(63), std::size_t(500), std::size_t(64 * 300 + 5)}) {
      RandomStream a(9, "bernoulli-digits"), b = a;
      a.next_u64();  // start both streams inside a Philox block
      b.next_u64();
      std::vector<std::uint64_t> got(words_for_bits(n_bits));
      const std::uint64_t switches = device->generate({p, n_bits, 0}, got, a);
      const auto fixed = static_cast<std::uint64_t>(std::llround(p * 4294967296.0));
      std::uint64_t changes = 0;
      int previous = -1;
      for (std::size_t i = 0; i < got.size(); ++i) {
        std::uint64_t w = fixed >= (1ull << 32) ? ~0ull : 0ull;
        if (fixed != 0 && fixed < (1ull << 32))
          for (int digit = std::countr_zero(fixed); digit < 32; ++digit) {
            const std::uint64_t r = b.next_u64();
            w = ((fixed >> digit) & 1u) ? (w | r) : (w & r);
          }
        const std::size_t bits_here = std::min<std::size_t>(64, n_bits - 64 * i);
        if (bits_here < 64) w &= (1ull << bits_here) - 1;
        BOOST_TEST_REQUIRE(got[i] == w, "p=" << p << " n_bits=" << n_bits << " word " << i);
        for (std::size_t t = 0; t < bits_here; ++t) {
          const int bit = int((w >> t) & 1u);
          changes += previous >= 0 && bit != previous;
          previous = bit;
        }
      }
      BOOST_TEST(switches == changes, "p=" << p << " n_bits=" << n_bits);
      BOOST_TEST(a.next_u64() == b.next_u64(), "p=" << p << " n_bits=" << n_bits);
    }
}
