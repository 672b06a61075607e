// Requirement (issue 4, physics.md D): XNOR multiplies bipolar values (mean x*y, variance
// (1 - z^2)/L for independent streams); AND multiplies unipolar values; both through the plugins.
#define BOOST_TEST_MODULE sc_multipliers
#include <boost/test/unit_test.hpp>
#include <bit>
#include <cmath>

#include "sc/sc_test_util.hpp"

using namespace spinsc;

namespace {
// T products of independent streams with P(1) = pa and pb, each L bits; returns mean and sample
// variance of the product's estimate (bipolar 2 ones/L - 1, or unipolar ones/L).
std::pair<double, double> product_moments(const Multiplier& m, BitSource& device, double pa, double pb,
                                          std::size_t L, int T, bool bipolar, std::uint64_t seed) {
  std::vector<std::uint64_t> a(words_for_bits(L)), b(words_for_bits(L));
  RandomStream rng(seed, "sc-multiplier-test");
  const std::uint64_t tail = (L % 64) ? (1ull << (L % 64)) - 1 : ~0ull;
  double s = 0, s2 = 0;
  for (int t = 0; t < T; ++t) {
    device.generate({pa, L, 0}, a, rng);
    device.generate({pb, L, 1}, b, rng);
    std::uint64_t ones = 0;
    for (std::size_t w = 0; w < a.size(); ++w) {
      std::uint64_t z = m.apply(a[w], b[w]);
      if (w + 1 == a.size()) z &= tail;
      ones += std::popcount(z);
    }
    const double est = bipolar ? 2.0 * double(ones) / double(L) - 1.0 : double(ones) / double(L);
    s += est;
    s2 += est * est;
  }
  const double mean = s / T;
  return {mean, (s2 - T * mean * mean) / (T - 1)};
}
}  // namespace

BOOST_AUTO_TEST_CASE(xnor_mean_and_variance) {
  auto xnor = test::make_plugin<Multiplier>("sc.xnor");
  auto device = test::make_plugin<BitSource>("device.bernoulli");
  BOOST_TEST((xnor->gate() == GateKind::xnor));
  const std::size_t L = 300;
  const int T = 4000;
  const double pairs[][2] = {{0.5, -0.5}, {1.0, 0.25}, {-0.75, -0.5}, {0.0, 0.8}, {0.2, 0.6}};
  std::uint64_t seed = 10;
  for (const auto& pr : pairs) {
    const double x = pr[0], y = pr[1], z = x * y;
    const auto [mean, var] = product_moments(*xnor, *device, (x + 1) / 2, (y + 1) / 2, L, T, true, seed++);
    const double var_exact = (1 - z * z) / L;
    BOOST_TEST(xnor->product_probability((x + 1) / 2, (y + 1) / 2) == (z + 1) / 2, boost::test_tools::tolerance(1e-12));
    // Mean: SE = sqrt(var / T). Variance: SE of a sample variance ~ var * sqrt(2 / (T - 1)).
    BOOST_TEST(std::abs(mean - z) <= 5 * std::sqrt(var_exact / T) + 1e-12, "x=" << x << " y=" << y << " mean=" << mean);
    BOOST_TEST(std::abs(var - var_exact) <= 5 * var_exact * std::sqrt(2.0 / (T - 1)) + 1e-12,
               "x=" << x << " y=" << y << " var=" << var << " exact=" << var_exact);
  }
}

BOOST_AUTO_TEST_CASE(xnor_of_a_stream_with_itself_is_one) {
  // Fully correlated operands (SCC = +1, same stream): z = 1 - 2|px - py| = 1.
  auto xnor = test::make_plugin<Multiplier>("sc.xnor");
  BOOST_TEST(xnor->apply(0x0123456789abcdefull, 0x0123456789abcdefull) == ~0ull);
}

BOOST_AUTO_TEST_CASE(and_multiplies_unipolar_values) {
  auto and_gate = test::make_plugin<Multiplier>("sc.and");
  auto device = test::make_plugin<BitSource>("device.bernoulli");
  BOOST_TEST((and_gate->gate() == GateKind::and_gate));
  BOOST_TEST((and_gate->coding() == Coding::unipolar_signed));
  const std::size_t L = 256;
  const int T = 4000;
  const auto [mean, var] = product_moments(*and_gate, *device, 0.75, 0.5, L, T, false, 3);
  const double p = 0.375;
  BOOST_TEST(std::abs(mean - p) <= 5 * std::sqrt(p * (1 - p) / L / T));  // SE of the mean of T estimates
  BOOST_TEST(std::abs(var - p * (1 - p) / L) <= 5 * (p * (1 - p) / L) * std::sqrt(2.0 / (T - 1)));
}

BOOST_AUTO_TEST_CASE(unit_parameters_are_validated) {
  BOOST_CHECK_THROW(test::make_plugin<Multiplier>("sc.xnor", {"energy_per_op_J=-1"}), std::exception);
  auto xnor = test::make_plugin<Multiplier>("sc.xnor", {"energy_per_op_J=2e-15"});
  BOOST_TEST(xnor->energy_per_op_J() == 2e-15);
}
