// Requirement (issue 5, physics.md E row 7): the telegraph generators reproduce the occupancy
// tau_AP/(tau_AP+tau_P), the lag correlation exp(-kT/tau_c), geometric (sampled exponential)
// dwells and the switching rate, and the Markov and event-driven generators agree.
// Tolerances: 5 standard errors (Markov-corrected variance of physics.md B, or batch means over
// independent streams where stated); fixed seeds.
#define BOOST_TEST_MODULE device_smtj_telegraph_oracles
#include <boost/test/unit_test.hpp>
#include <bit>
#include <vector>

#include "../../../devices/smtj_telegraph/telegraph_sampler.hpp"
#include "closed_form_chain.hpp"
#include "spinsc/bit_source.hpp"

using namespace spinsc;
using namespace spinsc::telegraph;

namespace {

struct Case {
  double tau_p_s, tau_ap_s, clock_s;
};
const Case kCases[] = {
    {20e-9, 20e-9, 10e-9},   // zero bias, T = tau_c
    {5e-9, 60e-9, 2e-9},     // AP favoured, T < tau_c
    {80e-9, 8e-9, 30e-9},    // P favoured, T > tau_c
};

// method: 0 = geometric runs, 1 = 64-sample words, 2 = event-driven.
const char* kMethodName[] = {"runs", "words", "event"};
StreamResult make(int method, const Case& c, std::size_t n_bits, std::vector<std::uint64_t>& words,
                  RandomStream& rng) {
  const DwellTimes dwell{c.tau_p_s, c.tau_ap_s};
  const SampledChain chain = test::closed_form_chain(c.tau_p_s, c.tau_ap_s, c.clock_s);
  words.assign(words_for_bits(n_bits), 0);
  const bool start_ap = rng.uniform() < chain.p_ap;  // stationary start
  if (method == 2) return events(dwell, c.clock_s, start_ap, n_bits, words, rng);
  if (method == 1) return markov_words(chain, start_ap, n_bits, words, rng);
  return markov_runs(chain, start_ap, n_bits, words, rng);
}

// Lengths of the complete runs of `value` (the first and last runs are cut by the stream ends).
std::vector<std::size_t> complete_runs(const std::vector<std::uint64_t>& words, std::size_t n_bits, bool value) {
  std::vector<std::size_t> runs;
  std::size_t start = 0;
  for (std::size_t t = 1; t <= n_bits; ++t) {
    if (t == n_bits || device_bits::get_bit(words, t) != device_bits::get_bit(words, t - 1)) {
      if (start > 0 && t < n_bits && device_bits::get_bit(words, start) == value) runs.push_back(t - start);
      start = t;
    }
  }
  return runs;
}

struct MeanSe {
  double mean, se;
};
MeanSe batch_mean(const std::vector<double>& v) {
  double s = 0, s2 = 0;
  for (double x : v) s += x, s2 += x * x;
  const double m = s / v.size();
  return {m, std::sqrt((s2 / v.size() - m * m) / (v.size() - 1))};
}

}  // namespace

BOOST_AUTO_TEST_CASE(occupancy_matches_dwell_ratio) {
  const std::size_t n_bits = 1 << 21;
  std::vector<std::uint64_t> words;
  int index = 0;
  for (int method : {0, 1, 2}) {
    for (const Case& c : kCases) {
      RandomStream rng(11, "telegraph-occupancy", 0, index++);
      make(method, c, n_bits, words, rng);
      const SampledChain chain = test::closed_form_chain(c.tau_p_s, c.tau_ap_s, c.clock_s);
      const double measured = double(device_bits::count_ones(words, n_bits)) / n_bits;
      const double se = std::sqrt(occupancy_estimate_variance(chain.p_ap, chain.rho, n_bits));  // Markov-corrected SE
      BOOST_TEST(std::abs(measured - chain.p_ap) < 5 * se,
                 kMethodName[method] << " pi=" << chain.p_ap << " measured=" << measured << " se=" << se);
    }
  }
}

BOOST_AUTO_TEST_CASE(lag_correlation_is_exponential_in_lag) {
  // Batch means over 32 independent streams of 2^16 bits; the O(1/L) bias of the sample
  // autocorrelation (~1e-4) is below 0.3 SE here.
  const std::size_t n_bits = 1 << 16, n_streams = 32;
  std::vector<std::uint64_t> words;
  int index = 0;
  for (int method : {0, 1, 2}) {
    for (const Case& c : kCases) {
      const SampledChain chain = test::closed_form_chain(c.tau_p_s, c.tau_ap_s, c.clock_s);
      for (std::size_t lag : {1, 2, 5}) {
        std::vector<double> r;
        for (std::size_t s = 0; s < n_streams; ++s) {
          RandomStream rng(12, "telegraph-lag", index, s);
          make(method, c, n_bits, words, rng);
          r.push_back(device_bits::autocorrelation(words, n_bits, lag));
        }
        ++index;
        const MeanSe m = batch_mean(r);
        const double expected = std::pow(chain.rho, double(lag));
        BOOST_TEST(std::abs(m.mean - expected) < 5 * m.se,
                   kMethodName[method] << " lag " << lag << " rho^k=" << expected << " measured=" << m.mean
                                                << " se=" << m.se);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(dwells_are_geometric_samples_of_exponentials) {
  // Sampled at T, an exponential dwell of mean tau becomes a geometric run with exit probability
  // q = leave_state; mean 1/q (SE sqrt((1-q)/q^2/n)), tail P(L > k) = (1-q)^k (binomial SE).
  const std::size_t n_bits = 1 << 22;
  std::vector<std::uint64_t> words;
  const Case c{40e-9, 100e-9, 4e-9};
  const SampledChain chain = test::closed_form_chain(c.tau_p_s, c.tau_ap_s, c.clock_s);
  int index = 0;
  for (int method : {0, 1, 2}) {
    RandomStream rng(13, "telegraph-dwell", 0, index++);
    make(method, c, n_bits, words, rng);
    for (bool ap : {false, true}) {
      const double q = ap ? chain.leave_ap : chain.leave_p;
      const auto runs = complete_runs(words, n_bits, ap);
      BOOST_TEST_REQUIRE(runs.size() > 5000u);
      double sum = 0;
      for (auto r : runs) sum += r;
      const double mean = sum / runs.size();
      const double se = std::sqrt((1 - q) / (q * q) / runs.size());
      BOOST_TEST(std::abs(mean - 1 / q) < 5 * se, kMethodName[method] << " ap=" << ap << " mean=" << mean
                                                                             << " expected=" << 1 / q);
      for (double multiple : {1.0, 2.0, 3.0}) {
        const std::size_t k = std::size_t(multiple / q);
        const double expected = std::pow(1 - q, double(k));
        double above = 0;
        for (auto r : runs) above += r > k;
        const double fraction = above / runs.size();
        const double se_tail = std::sqrt(expected * (1 - expected) / runs.size());
        BOOST_TEST(std::abs(fraction - expected) < 5 * se_tail, "tail k=" << k << " ap=" << ap);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(event_sampling_counts_switches_at_the_telegraph_rate) {
  // Stationary switching rate 2/(tau_P + tau_AP); switches counted in (0, (L-1)T]. Batch means
  // over 64 streams. Includes switches that revert between samples (T > tau_c case).
  const std::size_t n_bits = 1 << 14, n_streams = 64;
  std::vector<std::uint64_t> words;
  int index = 0;
  for (const Case& c : kCases) {
    std::vector<double> counts;
    for (std::size_t s = 0; s < n_streams; ++s) {
      RandomStream rng(14, "telegraph-switches", index, s);
      counts.push_back(double(make(2, c, n_bits, words, rng).switching_events));
    }
    ++index;
    const MeanSe m = batch_mean(counts);
    const double expected = 2.0 / (c.tau_p_s + c.tau_ap_s) * (n_bits - 1) * c.clock_s;
    BOOST_TEST(std::abs(m.mean - expected) < 5 * m.se, "expected " << expected << " measured " << m.mean);
  }
}

BOOST_AUTO_TEST_CASE(markov_and_event_streams_agree) {
  // Two-sample comparison of occupancy and lag-1 correlation: |a - b| < 5 sqrt(se_a^2 + se_b^2).
  const std::size_t n_bits = 1 << 16, n_streams = 32;
  std::vector<std::uint64_t> words;
  int index = 0;
  for (const Case& c : kCases) {
    std::vector<double> occupancy[3], lag1[3];
    for (int method = 0; method < 3; ++method) {
      for (std::size_t s = 0; s < n_streams; ++s) {
        RandomStream rng(15, "telegraph-agree", index * 3 + method, s);
        make(method, c, n_bits, words, rng);
        occupancy[method].push_back(double(device_bits::count_ones(words, n_bits)) / n_bits);
        lag1[method].push_back(device_bits::autocorrelation(words, n_bits, 1));
      }
    }
    ++index;
    for (auto* measure : {occupancy, lag1}) {
      for (int method : {0, 1}) {
        const MeanSe a = batch_mean(measure[method]), b = batch_mean(measure[2]);
        BOOST_TEST(std::abs(a.mean - b.mean) < 5 * std::hypot(a.se, b.se), kMethodName[method] << " " << a.mean << " event " << b.mean);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(stream_edges_and_padding) {
  std::vector<std::uint64_t> words(3, ~0ull);
  RandomStream rng(16, "telegraph-edges");
  const SampledChain always_ap{1.0, 1.0, 0.0, 0.0};
  markov_runs(always_ap, true, 130, words, rng);
  BOOST_TEST(device_bits::count_ones(words, 192) == 130u);
  const SampledChain alternating{0.5, -1.0, 1.0, 1.0};
  const StreamResult r = markov_runs(alternating, false, 130, words, rng);
  BOOST_TEST(r.switching_events == 129u);
  BOOST_TEST(words[0] == 0xAAAAAAAAAAAAAAAAull);
  BOOST_TEST(words[2] == 0x2ull);
}

BOOST_AUTO_TEST_CASE(coupled_lazy_comparisons_have_the_right_marginals) {
  // [U < a] and [U < b] from the same U: B implies A (b < a), frequencies a and b (binomial 5 SE).
  RandomStream rng(17, "coupled-words");
  const double a = 0.8123, b = 0.3141;
  const std::uint64_t fa = device_bits::probability_to_fixed32(a), fb = device_bits::probability_to_fixed32(b);
  const int n_words = 1 << 14;
  double ones_a = 0, ones_b = 0;
  bool nested = true;
  for (int i = 0; i < n_words; ++i) {
    const auto w = device_bits::coupled_bernoulli_words_lazy(fa, fb, rng);
    nested &= (w.below_b & ~w.below_a) == 0;
    ones_a += std::popcount(w.below_a), ones_b += std::popcount(w.below_b);
  }
  const double n = 64.0 * n_words;
  BOOST_TEST(nested);
  BOOST_TEST(std::abs(ones_a / n - a) < 5 * std::sqrt(a * (1 - a) / n));
  BOOST_TEST(std::abs(ones_b / n - b) < 5 * std::sqrt(b * (1 - b) / n));
  const auto edge = device_bits::coupled_bernoulli_words_lazy(1ull << 32, 0, rng);
  BOOST_TEST(edge.below_a == ~0ull);
  BOOST_TEST(edge.below_b == 0u);
}

BOOST_AUTO_TEST_CASE(the_sampled_chain_is_the_master_equation_solution) {
  // SampledChain::of (the device's chain) against the closed form of closed_form_chain.hpp, over
  // dwell ratios from 1e-3 to 1e3 and clock periods from 1e-3 to 30 correlation times.
  int wrong = 0;
  for (double tau_p : {1e-9, 20e-9, 3e-6})
    for (double ratio : {1e-3, 0.2, 1.0, 7.0, 1e3})
      for (double clock_over_tau_c : {1e-3, 0.1, 1.0, 4.0, 30.0}) {
        const double tau_ap = tau_p * ratio, tau_c = tau_p * tau_ap / (tau_p + tau_ap);
        const double clock = clock_over_tau_c * tau_c;
        const SampledChain got = SampledChain::of({tau_p, tau_ap}, clock);
        const SampledChain want = test::closed_form_chain(tau_p, tau_ap, clock);
        const auto close = [](double a, double b) { return std::abs(a - b) <= 1e-12 * std::max(std::abs(b), 1e-300); };
        if (!(close(got.p_ap, want.p_ap) && close(got.rho, want.rho) && close(got.leave_ap, want.leave_ap) &&
              close(got.leave_p, want.leave_p))) {
          ++wrong;
          BOOST_TEST_MESSAGE("tau_p " << tau_p << " ratio " << ratio << " T/tau_c " << clock_over_tau_c);
        }
      }
  BOOST_TEST(wrong == 0);
}
