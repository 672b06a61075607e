// Requirement (issue 5): the fast telegraph generator markov_chunks (8-sample alias tables,
// telegraph_chunk_table.hpp, random bits from philox_lanes.hpp) is the exact per-sample Markov
// chain: its tables deliver every 8-sample pattern within 2^-32 of the exact probability, its
// SIMD parts equal their scalar references bit for bit, and its streams reproduce the occupancy,
// lag correlation (across chunk and word boundaries), geometric dwells and per-position
// transition probabilities, and agree with the geometric-run generator.
// Tolerances: 5 standard errors (Markov-corrected or binomial variance, or batch means over
// independent streams); fixed seeds.
#define BOOST_TEST_MODULE device_smtj_telegraph_chunks
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
    {20e-9, 20e-9, 10e-9},   // zero bias, T = tau_c: the hard case of the benchmark
    {5e-9, 60e-9, 2e-9},     // AP favoured, T < tau_c
    {80e-9, 8e-9, 30e-9},    // P favoured, T > tau_c
};

// The chain from the closed-form master-equation solution, not from the device code under test.
SampledChain chain_of(const Case& c) { return test::closed_form_chain(c.tau_p_s, c.tau_ap_s, c.clock_s); }

StreamResult make_chunks(const SampledChain& chain, std::size_t n_bits, std::vector<std::uint64_t>& words,
                         RandomStream& rng) {
  words.assign(words_for_bits(n_bits), 0);
  const bool start_ap = rng.uniform() < chain.p_ap;  // stationary start
  return markov_chunks(ChunkTable(chain), start_ap, n_bits, words, rng);
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

BOOST_AUTO_TEST_CASE(tables_deliver_exact_pattern_probabilities) {
  // Deterministic: mass(j)/2^32 reconstructed from the alias columns against the product of the
  // transition probabilities; rounding the cumulative sums keeps each within one unit of 2^-32.
  std::vector<SampledChain> chains;
  for (const Case& c : kCases) chains.push_back(chain_of(c));
  chains.push_back(test::closed_form_chain(1e-9, 1e-3, 1e-9));   // nearly always AP, long AP dwells
  chains.push_back({1.0, 1.0, 0.0, 0.0});                   // frozen: patterns all 0 or all 1
  chains.push_back({0.3, 0.2, 0.56, 0.24});                 // generic transition probabilities
  for (const SampledChain& chain : chains) {
    const ChunkTable table(chain);
    for (bool ap : {false, true}) {
      std::uint64_t total = 0;
      double worst_units = 0;
      bool impossible_stay_impossible = true;
      for (unsigned j = 0; j < ChunkTable::kPatterns; ++j) {
        const std::uint64_t mass = table.mass(ap, j);
        const double exact = ChunkTable::pattern_probability(chain, ap, j);
        total += mass;
        worst_units = std::max(worst_units, std::abs(double(mass) - exact * 4294967296.0));
        if (exact == 0.0 && mass != 0) impossible_stay_impossible = false;
      }
      BOOST_TEST(total == ChunkTable::kTotalMass);
      BOOST_TEST(worst_units <= 1.0 + 1e-3, "leave_ap=" << chain.leave_ap << " ap=" << ap << " worst=" << worst_units);
      BOOST_TEST(impossible_stay_impossible);
    }
  }
}

BOOST_AUTO_TEST_CASE(philox_lanes_are_random123_philox4x32) {
  RandomStream rng(21, "philox-lanes");
  PhiloxLanes lanes(rng);
  const PhiloxLanes reference = lanes;
  for (std::uint64_t batch = 0; batch < 5; ++batch) {
    const PhiloxLanes::Batch b = lanes.next();
    for (int j = 0; j < 4; ++j) {
      const std::array<std::uint32_t, 8> got = lanes_to_array(b.lanes[j]);
      for (int c = 0; c < 8; ++c) BOOST_TEST(got[c] == reference.block(8 * batch + c)[j], "batch " << batch << " word " << j << " lane " << c);
    }
  }
  // Different caller streams give different keys, so different numbers.
  RandomStream other(22, "philox-lanes");
  PhiloxLanes other_lanes(other);
  const bool differ = lanes_to_array(other_lanes.next().lanes[0]) != lanes_to_array(PhiloxLanes(reference).next().lanes[0]);
  BOOST_TEST(differ);
}

BOOST_AUTO_TEST_CASE(simd_draw_and_chain_equal_their_references) {
  const ChunkTable table(chain_of(kCases[0]));
  RandomStream rng(23, "chunk-draw");
  PhiloxLanes lanes(rng);
  for (int trial = 0; trial < 2000; ++trial) {
    const Lanes8 random = lanes.next().lanes[trial % 4];
    const ChunkTable::Candidates8 fast = table.draw8(random), reference = table.draw8_portable(lanes_to_array(random));
    BOOST_TEST_REQUIRE(fast.after_p == reference.after_p);
    BOOST_TEST_REQUIRE(fast.after_ap == reference.after_ap);
    // chain(): chunk by chunk, the candidate of the state (bit 7) the previous chunk ended in.
    for (std::uint64_t start : {0ull, 1ull}) {
      std::uint64_t previous = start, expected = 0, state = start;
      for (int c = 0; c < 8; ++c) {
        const std::uint64_t pattern = ((state ? fast.after_ap : fast.after_p) >> (8 * c)) & 0xFF;
        expected |= pattern << (8 * c);
        state = pattern >> 7;
      }
      BOOST_TEST_REQUIRE(ChunkTable::chain(fast, previous) == expected);
      BOOST_TEST_REQUIRE(previous == state);
    }
  }
}

BOOST_AUTO_TEST_CASE(occupancy_and_lag_correlation_across_chunk_and_word_boundaries) {
  // Occupancy: one stream of 2^21 bits, Markov-corrected SE. Lags: batch means over 32 streams of
  // 2^16 bits; lags 7-9 straddle the chunk (8 samples) boundaries.
  int index = 0;
  for (const Case& c : kCases) {
    const SampledChain chain = chain_of(c);
    std::vector<std::uint64_t> words;
    {
      const std::size_t n_bits = 1 << 21;
      RandomStream rng(24, "chunks-occupancy", 0, index);
      make_chunks(chain, n_bits, words, rng);
      const double measured = double(device_bits::count_ones(words, n_bits)) / n_bits;
      const double se = std::sqrt(occupancy_estimate_variance(chain.p_ap, chain.rho, n_bits));
      BOOST_TEST(std::abs(measured - chain.p_ap) < 5 * se, "pi=" << chain.p_ap << " measured=" << measured << " se=" << se);
    }
    const std::size_t n_bits = 1 << 16, n_streams = 32;
    for (std::size_t lag : {1, 2, 5, 7, 8, 9}) {
      const double expected = std::pow(chain.rho, double(lag));
      std::vector<double> r;
      for (std::size_t s = 0; s < n_streams; ++s) {
        RandomStream rng(25, "chunks-lag", index * 100 + lag, s);
        make_chunks(chain, n_bits, words, rng);
        r.push_back(device_bits::autocorrelation(words, n_bits, lag));
      }
      const MeanSe m = batch_mean(r);
      BOOST_TEST(std::abs(m.mean - expected) < 5 * m.se, "lag " << lag << " rho^k=" << expected << " measured=" << m.mean << " se=" << m.se);
    }
    ++index;
  }
}

BOOST_AUTO_TEST_CASE(transition_probabilities_hold_at_every_position_in_a_word) {
  // P(AP -> P) and P(P -> AP) from samples t -> t+1, counted separately for each t mod 64, so a
  // seam between chunks or words that broke the chain would show at its position. Binomial SE
  // (transitions 64 samples apart are practically independent here: rho^64 < 1e-17).
  const Case c = kCases[0];
  const SampledChain chain = chain_of(c);
  const std::size_t n_bits = 1 << 22;
  std::vector<std::uint64_t> words;
  RandomStream rng(26, "chunks-transitions");
  make_chunks(chain, n_bits, words, rng);
  std::array<std::array<double, 64>, 2> n_from{}, n_left{};
  for (std::size_t t = 0; t + 1 < n_bits; ++t) {
    const bool a = device_bits::get_bit(words, t), b = device_bits::get_bit(words, t + 1);
    n_from[a][t % 64] += 1;
    n_left[a][t % 64] += a != b;
  }
  int failures = 0;
  for (int state = 0; state < 2; ++state) {
    const double q = state ? chain.leave_ap : chain.leave_p;
    for (int phase = 0; phase < 64; ++phase) {
      const double measured = n_left[state][phase] / n_from[state][phase];
      const double se = std::sqrt(q * (1 - q) / n_from[state][phase]);
      if (std::abs(measured - q) >= 5 * se) {
        ++failures;
        BOOST_TEST_MESSAGE("state " << state << " phase " << phase << " q=" << q << " measured=" << measured);
      }
    }
  }
  BOOST_TEST(failures == 0);
}

BOOST_AUTO_TEST_CASE(dwells_are_geometric) {
  // Mean run 1/q (SE sqrt((1-q)/q^2/n)) and tail P(L > k) = (1-q)^k (binomial SE).
  const Case c{40e-9, 100e-9, 4e-9};
  const SampledChain chain = chain_of(c);
  const std::size_t n_bits = 1 << 22;
  std::vector<std::uint64_t> words;
  RandomStream rng(27, "chunks-dwell");
  make_chunks(chain, n_bits, words, rng);
  for (bool ap : {false, true}) {
    const double q = ap ? chain.leave_ap : chain.leave_p;
    const auto runs = stream_stats::complete_runs(words, n_bits, ap);
    BOOST_TEST_REQUIRE(runs.size() > 5000u);
    double sum = 0;
    for (auto r : runs) sum += r;
    const double mean = sum / runs.size();
    BOOST_TEST(std::abs(mean - 1 / q) < 5 * std::sqrt((1 - q) / (q * q) / runs.size()), "ap=" << ap << " mean=" << mean);
    for (double multiple : {1.0, 2.0, 3.0}) {
      const std::size_t k = std::size_t(multiple / q);
      const double expected = std::pow(1 - q, double(k));
      double above = 0;
      for (auto r : runs) above += r > k;
      BOOST_TEST(std::abs(above / runs.size() - expected) < 5 * std::sqrt(expected * (1 - expected) / runs.size()),
                 "tail k=" << k << " ap=" << ap);
    }
  }
}

BOOST_AUTO_TEST_CASE(chunks_agree_with_geometric_runs) {
  // Two-sample comparison of occupancy and lag-1 correlation over 32 streams each.
  const std::size_t n_bits = 1 << 16, n_streams = 32;
  std::vector<std::uint64_t> words;
  int index = 0;
  for (const Case& c : kCases) {
    const SampledChain chain = chain_of(c);
    std::vector<double> occupancy[2], lag1[2];
    for (int method = 0; method < 2; ++method) {
      for (std::size_t s = 0; s < n_streams; ++s) {
        RandomStream rng(28, "chunks-agree", index * 2 + method, s);
        if (method == 0) {
          make_chunks(chain, n_bits, words, rng);
        } else {
          words.assign(words_for_bits(n_bits), 0);
          markov_runs(chain, rng.uniform() < chain.p_ap, n_bits, words, rng);
        }
        occupancy[method].push_back(double(device_bits::count_ones(words, n_bits)) / n_bits);
        lag1[method].push_back(device_bits::autocorrelation(words, n_bits, 1));
      }
    }
    ++index;
    for (auto* measure : {occupancy, lag1}) {
      const MeanSe a = batch_mean(measure[0]), b = batch_mean(measure[1]);
      BOOST_TEST(std::abs(a.mean - b.mean) < 5 * std::hypot(a.se, b.se), "chunks " << a.mean << " runs " << b.mean);
    }
  }
}

BOOST_AUTO_TEST_CASE(stream_edges_state_and_switch_count) {
  const SampledChain chain = chain_of(kCases[0]);
  const ChunkTable table(chain);
  std::vector<std::uint64_t> words(3, ~0ull);
  RandomStream rng(29, "chunks-edges");
  for (bool start : {false, true}) {
    for (std::size_t n_bits : {1u, 63u, 64u, 65u, 130u, 192u}) {
      std::fill(words.begin(), words.end(), ~0ull);
      const StreamResult r = markov_chunks(table, start, n_bits, words, rng);
      BOOST_TEST(device_bits::get_bit(words, 0) == start);  // sample 0 is the initial state
      if (n_bits % 64) BOOST_TEST((words[n_bits / 64] >> (n_bits % 64)) == 0u);  // zero padding
      BOOST_TEST(r.switching_events == device_bits::count_toggles(words, n_bits));
      BOOST_TEST(r.final_ap == device_bits::get_bit(words, n_bits - 1));
    }
  }
  // Deterministic chains: frozen in AP; alternating every sample (leave probability 1).
  markov_chunks(ChunkTable({1.0, 1.0, 0.0, 0.0}), true, 130, words, rng);
  BOOST_TEST(device_bits::count_ones(words, 192) == 130u);
  const StreamResult alternating = markov_chunks(ChunkTable({0.5, -1.0, 1.0, 1.0}), false, 130, words, rng);
  BOOST_TEST(alternating.switching_events == 129u);
  BOOST_TEST(words[0] == 0xAAAAAAAAAAAAAAAAull);
  BOOST_TEST(words[2] == 0x2ull);
}

BOOST_AUTO_TEST_CASE(streams_do_not_depend_on_what_the_thread_generated_before) {
  // The generator is chosen from the chain, the length and chains_repeat alone: a short stream
  // gives the same bits whether its chain's table is already cached or not (a first request used
  // to get markov_words and a repeated one markov_chunks: different bits for the same seed).
  const SampledChain chain = chain_of(kCases[0]), other = chain_of(kCases[1]);
  for (const bool chains_repeat : {false, true}) {
    for (const std::size_t n_bits : {std::size_t(256), std::size_t(1) << 14}) {
      std::vector<std::uint64_t> first(words_for_bits(n_bits)), again(words_for_bits(n_bits)),
          expected(words_for_bits(n_bits));
      RandomStream rng_first(30, "chunks-cache", n_bits), rng_again(30, "chunks-cache", n_bits),
          rng_expected(30, "chunks-cache", n_bits);
      markov_stream(chain, true, n_bits, first, rng_first, chains_repeat);
      for (int i = 0; i < 40; ++i) {  // fill and cycle this thread's cache with other chains
        RandomStream scratch(31, "chunks-cache-other", std::uint64_t(i));
        markov_stream(i % 2 ? other : chain, false, n_bits, again, scratch, chains_repeat);
      }
      markov_stream(chain, true, n_bits, again, rng_again, chains_repeat);
      BOOST_TEST(first == again, "chains_repeat " << chains_repeat << ", " << n_bits << " bits");
      // Which generator: chunks when chains repeat or the stream is long, else words.
      if (chains_repeat || n_bits >= kChunksFromBits)
        markov_chunks(ChunkTable(chain), true, n_bits, expected, rng_expected);
      else
        markov_words(chain, true, n_bits, expected, rng_expected);
      BOOST_TEST(first == expected, "chains_repeat " << chains_repeat << ", " << n_bits << " bits");
    }
  }
}
