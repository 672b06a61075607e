// Requirement (issue 4): the SC engine's modes agree: expected = exact sums; binomial and bit
// (independent streams) have the exact mean and variance of the count, and the same accuracy
// within its standard error; results are identical for any thread count; stream policies and
// ledger behave as documented; bad combinations are errors.
#define BOOST_TEST_MODULE sc_engine
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "sc/sc_engine_fixture.hpp"

using namespace spinsc;
using test::EngineFixture;

namespace {
ScSettings settings(ScMode mode, StreamPolicy policy, unsigned threads = 1, std::size_t bank = 256) {
  ScSettings s;
  s.mode = mode;
  s.policy = policy;
  s.threads = threads;
  s.bank_size = bank;
  s.window_trace_bits = 1 << 16;
  return s;
}
double level_value(int k, int q) { return -1.0 + 2.0 * k / (q - 1); }
}  // namespace

BOOST_AUTO_TEST_CASE(expected_mode_is_the_exact_sum) {
  const int Q = 11;
  EngineFixture f({40, 7}, Q, settings(ScMode::expected, StreamPolicy::bank), 100);
  const auto x = EngineFixture::random_inputs(1, 40, Q, 1);
  auto ws = f.engine->make_workspace();
  std::vector<double> sums(7);
  f.engine->run_layer(f.views[0], 0, x, RandomStream(1, "s"), sums, {}, *ws, nullptr);
  for (std::size_t i = 0; i < 7; ++i) {
    double exact = 0;
    for (std::size_t j = 0; j < 40; ++j) exact += level_value(x[j], Q) * level_value(f.weights[0][i * 40 + j], Q);
    BOOST_TEST(sums[i] == exact, boost::test_tools::tolerance(1e-9));
  }
}

BOOST_AUTO_TEST_CASE(bias_as_a_separate_level_equals_a_constant_input_column) {
  const int Q = 5;
  ScSettings s = settings(ScMode::expected, StreamPolicy::bank);
  EngineFixture plain({11, 3}, Q, s, 64);     // 10 inputs + a column at +1 (level 4)
  EngineFixture biased({10, 3}, Q, s, 64);
  std::vector<std::uint8_t> w10(30), bias(3);
  for (std::size_t i = 0; i < 3; ++i) {
    for (std::size_t j = 0; j < 10; ++j) w10[i * 10 + j] = plain.weights[0][i * 11 + j];
    bias[i] = plain.weights[0][i * 11 + 10];
  }
  const std::vector<ScLayerShape> shapes{{10, 3, true}};
  biased.engine->prepare(shapes, 64);
  const ScLayerView view{10, 3, w10.data(), bias.data(), nullptr};
  auto x = EngineFixture::random_inputs(1, 11, Q, 2);
  x[10] = 4;
  auto ws1 = plain.engine->make_workspace();
  auto ws2 = biased.engine->make_workspace();
  std::vector<double> a(3), b(3);
  plain.engine->run_layer(plain.views[0], 0, x, RandomStream(1, "s"), a, {}, *ws1, nullptr);
  biased.engine->run_layer(view, 0, std::span(x.data(), 10), RandomStream(1, "s"), b, {}, *ws2, nullptr);
  for (int i = 0; i < 3; ++i) BOOST_TEST(a[i] == b[i], boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(bit_and_binomial_have_the_exact_mean_and_variance) {
  // One layer, T inferences per mode; per neuron the estimate s_hat = 2 C / L - n has mean
  // sum_j x_j w_j and variance (4 / L) sum_j p_j (1 - p_j) for independent streams (p_j: P(1) of
  // product j). SE of the mean: sqrt(var / T); of the sample variance: var sqrt(2 / (T - 1)).
  const int Q = 5;
  const std::size_t n_in = 60, n_out = 6, L = 100;
  const int T = 1500;
  const auto x = EngineFixture::random_inputs(1, n_in, Q, 3);
  for (ScMode mode : {ScMode::bit, ScMode::binomial}) {
    for (StreamPolicy policy : {StreamPolicy::fresh, StreamPolicy::bank}) {
      if (mode == ScMode::binomial && policy == StreamPolicy::bank) continue;
      EngineFixture f({n_in, n_out}, Q, settings(mode, policy), L);
      auto ws = f.engine->make_workspace();
      std::vector<double> s(n_out, 0), s2(n_out, 0), sums(n_out);
      const RandomStream base(5, "moments");
      for (int t = 0; t < T; ++t) {
        f.engine->run_layer(f.views[0], 0, x, base.substream(t), sums, {}, *ws, nullptr);
        for (std::size_t i = 0; i < n_out; ++i) {
          s[i] += sums[i];
          s2[i] += sums[i] * sums[i];
        }
      }
      for (std::size_t i = 0; i < n_out; ++i) {
        double mean_exact = 0, var_exact = 0;
        // Bank policy (K entries per level and role, fixed for all T inferences): each synapse
        // draws its input entry e and weight entry f independently, so given the bank the Z_j
        // (= mean over clocks of product j) are independent, and Var(s | bank) = sum_j of the
        // variance of Z over the K^2 entry pairs. With x = xbar + xi (per-clock deviation of an
        // input stream, variance 1 - xbar^2) and likewise w, that variance is
        //   wbar^2 V_x(a) + xbar^2 V_w(b) + (1 - xbar^2)(1 - wbar^2) / L,
        // V_x(a) the variance over the K entries of level a of mean_t xi, expected
        // sigma_a^2 (1 - 1/K), sigma_a^2 = (1 - xbar_a^2) / L; so over banks the expected variance
        // is var_exact - (1/K) sum_j [wbar_j^2 sigma_x(j)^2 + xbar_j^2 sigma_w(j)^2], and it
        // fluctuates from bank to bank by SD sqrt(2/K) sigma^2 per level (a sample variance of K
        // values), the synapses of one level sharing one fluctuation:
        //   sd_bank^2 = (2/K) [sum_a (sigma_a^2 sum_{j in a} wbar_j^2)^2 + the same over weight levels].
        // The bank's mean E[s | bank] is off the exact mean by the entry means' deviations:
        //   var_mean_bank = (1/K) [sum_a sigma_a^2 (sum_{j in a} wbar_j)^2 + sum_b sigma_b^2 (sum_{j in b} xbar_j)^2].
        const bool bank = policy == StreamPolicy::bank;
        const double K = 256;
        std::vector<double> in_w(Q, 0), in_w2(Q, 0), w_x(Q, 0), w_x2(Q, 0);
        double finite_bank = 0;
        for (std::size_t j = 0; j < n_in; ++j) {
          const int a = x[j], b = f.weights[0][i * n_in + j];
          const double xv = level_value(a, Q), wv = level_value(b, Q), z = xv * wv;
          const double p = (z + 1) / 2;
          mean_exact += z;
          var_exact += 4.0 / L * p * (1 - p);
          in_w[a] += wv, in_w2[a] += wv * wv, w_x[b] += xv, w_x2[b] += xv * xv;
          finite_bank += (wv * wv * (1 - xv * xv) + xv * xv * (1 - wv * wv)) / L / K;
        }
        double sd_bank2 = 0, var_mean_bank = 0;
        for (int level = 0; level < Q; ++level) {
          const double sigma2 = (1 - std::pow(level_value(level, Q), 2)) / L;
          sd_bank2 += 2 / K * (std::pow(sigma2 * in_w2[level], 2) + std::pow(sigma2 * w_x2[level], 2));
          var_mean_bank += sigma2 / K * (in_w[level] * in_w[level] + w_x[level] * w_x[level]);
        }
        const double var_expected = bank ? var_exact - finite_bank : var_exact;
        if (!bank) sd_bank2 = var_mean_bank = 0;
        const double mean = s[i] / T, var = (s2[i] - T * mean * mean) / (T - 1);
        BOOST_TEST(std::abs(mean - mean_exact) <= 5 * std::sqrt(var_exact / T + var_mean_bank),
                   to_string(mode) << "/" << to_string(policy) << " neuron " << i << " mean " << mean << " exact " << mean_exact);
        const double se_var = std::sqrt(std::pow(var_expected, 2) * 2.0 / (T - 1) + sd_bank2);
        BOOST_TEST(std::abs(var - var_expected) <= 5 * se_var,
                   to_string(mode) << "/" << to_string(policy) << " neuron " << i << " var " << var << " expected "
                                   << var_expected << " se " << se_var);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(bit_and_binomial_accuracy_agree_within_the_standard_error) {
  // Labels: the expected-mode class. Accuracies a_bit, a_binomial over N samples: the SE of their
  // difference is sqrt(2 a (1 - a) / N) for independent runs.
  const int Q = 5;
  const std::vector<std::size_t> widths{64, 32, 16, 10};
  const std::size_t N = 1500, L = 64;
  const auto x = EngineFixture::random_inputs(N, 64, Q, 4);
  EngineFixture exact(widths, Q, settings(ScMode::expected, StreamPolicy::fresh, 2), L);
  const auto labels = exact.engine->classify(exact.views, x.data(), N, 0);
  double acc[2];
  int k = 0;
  for (ScMode mode : {ScMode::bit, ScMode::binomial}) {
    EngineFixture f(widths, Q, settings(mode, StreamPolicy::fresh, 2), L);
    const auto predicted = f.engine->classify(f.views, x.data(), N, 1000000);
    std::size_t correct = 0;
    for (std::size_t i = 0; i < N; ++i) correct += predicted[i] == labels[i];
    acc[k++] = double(correct) / N;
  }
  const double a = (acc[0] + acc[1]) / 2;
  BOOST_TEST(a > 0.2);  // far from chance: the SC noise at L = 64 is moderate
  BOOST_TEST(std::abs(acc[0] - acc[1]) <= 5 * std::sqrt(2 * a * (1 - a) / N), "bit " << acc[0] << " binomial " << acc[1]);
}

BOOST_AUTO_TEST_CASE(results_do_not_depend_on_the_thread_count) {
  const int Q = 5;
  const std::vector<std::size_t> widths{30, 12, 5};
  const auto x = EngineFixture::random_inputs(37, 30, Q, 6);
  struct Case {
    ScMode mode;
    StreamPolicy policy;
    const char* adder;
    const char* activation;
  };
  const Case cases[] = {{ScMode::bit, StreamPolicy::bank, "sc.parallel_counter", "sc.lut_sigmoid"},
                        {ScMode::bit, StreamPolicy::fresh, "sc.parallel_counter", "sc.lut_sigmoid"},
                        {ScMode::bit, StreamPolicy::window, "sc.apc", "sc.lut_sigmoid"},
                        {ScMode::bit, StreamPolicy::bank, "sc.mux_adder", "sc.fsm_sigmoid"},
                        {ScMode::bit, StreamPolicy::bank, "sc.parallel_counter", "sc.fsm_sigmoid"},
                        {ScMode::binomial, StreamPolicy::bank, "sc.parallel_counter", "sc.lut_sigmoid"}};
  for (const Case& c : cases) {
    std::vector<double> results[2];
    ScEvents events[2];
    for (unsigned threads : {1u, 2u}) {
      EngineFixture f(widths, Q, settings(c.mode, c.policy, threads), 130, c.adder, c.activation);
      results[threads - 1] = f.engine->output_sums(f.views, x.data(), 37, 0, &events[threads - 1]);
    }
    BOOST_TEST(results[0] == results[1], boost::test_tools::per_element());
    BOOST_TEST(events[0].layers[0].gate_ops == events[1].layers[0].gate_ops);
    BOOST_TEST(events[0].layers[0].select_bits == events[1].layers[0].select_bits);
  }
}

BOOST_AUTO_TEST_CASE(a_bank_of_one_stream_per_level_shares_the_stream) {
  // K = 1: every synapse of a level gets the same stream; with all inputs and weights at one level
  // every product stream is the same, so the XOR count D is a multiple of the fan-in.
  EngineFixture f({9, 2}, 5, settings(ScMode::bit, StreamPolicy::bank, 1, 1), 200);
  std::fill(f.weights[0].begin(), f.weights[0].end(), std::uint8_t(1));
  const std::vector<std::uint8_t> x(9, 3);
  auto ws = f.engine->make_workspace();
  std::vector<double> sums(2);
  f.engine->run_layer(f.views[0], 0, x, RandomStream(1, "k1"), sums, {}, *ws, nullptr);
  for (double s : sums) {
    const double d = (9 - s) * 200 / 2;  // D = (n - s) L / 2
    BOOST_TEST(std::fmod(std::round(d), 9.0) == 0.0);
    BOOST_TEST(sums[0] == s);
  }
}

BOOST_AUTO_TEST_CASE(ledger_prices_bits_gates_counters_and_activations) {
  ScSettings s = settings(ScMode::bit, StreamPolicy::bank);
  s.device_id = "device.bernoulli";
  EngineFixture f({20, 8, 4}, 5, s, 100, "sc.parallel_counter", "sc.lut_sigmoid", "sc.xnor", 7,
                  {"energy_per_bit_J=2e-14"});
  const std::size_t N = 5;
  const auto x = EngineFixture::random_inputs(N, 20, 5, 8);
  ScEvents events;
  f.engine->classify(f.views, x.data(), N, 0, &events);
  EnergyLedger ledger;
  f.engine->charge(events, ledger);
  const double bits_per_inference = (20 + 20 * 8 + 8 + 8 * 4) * 100.0;
  BOOST_TEST(events.inferences == N);
  BOOST_TEST(double(ledger.event_totals("bits_generated").events) == N * bits_per_inference);
  BOOST_TEST(ledger.component_totals("device.bernoulli").energy_J == N * bits_per_inference * 2e-14,
             boost::test_tools::tolerance(1e-12));
  BOOST_TEST(ledger.event_totals("gate_ops").events == N * (20 * 8 + 8 * 4) * 100u);
  BOOST_TEST(ledger.event_totals("counter_ops").events == N * (8 + 4) * 100u);
  BOOST_TEST(ledger.event_totals("activation_ops").events == N * 8u);  // output layer: no activation
  BOOST_TEST(ledger.event_totals("activation_latency").cycles == N * 9.0);
}

// The costs a technology file adds: the counter's energy per counted input (times the layer's
// fan-in), one DAC level per stream and inference, and the counter's pipeline depth on the
// critical path. Oracle: the counts from the network's shape by hand (as in the test above).
BOOST_AUTO_TEST_CASE(ledger_prices_dac_levels_counted_inputs_and_counter_latency) {
  ScSettings s = settings(ScMode::bit, StreamPolicy::bank);
  s.device_id = "device.bernoulli";
  s.adder_energy_per_input_J = 3e-15;
  s.dac_energy_per_level_J = 5e-15;
  EngineFixture f({20, 8, 4}, 5, s, 100, "sc.parallel_counter", "sc.lut_sigmoid", "sc.xnor", 7);
  const std::size_t N = 5;
  const auto x = EngineFixture::random_inputs(N, 20, 5, 8);
  ScEvents events;
  f.engine->classify(f.views, x.data(), N, 0, &events);
  EnergyLedger ledger;
  f.engine->charge(events, ledger);
  // Streams per inference: 20 inputs + 20 x 8 weights, then 8 hidden outputs + 8 x 4 weights.
  const double streams = 20 + 20 * 8 + 8 + 8 * 4;
  BOOST_TEST(double(ledger.event_totals("dac_levels").events) == N * streams);
  BOOST_TEST(ledger.event_totals("dac_levels").energy_J == N * streams * 5e-15, boost::test_tools::tolerance(1e-12));
  // One count per neuron and clock; each of the fan-in inputs costs 3 fJ (the unit's own 0 J).
  const double counted_inputs = (8 * 20 + 4 * 8) * 100.0;
  BOOST_TEST(ledger.event_totals("counter_ops").energy_J == N * counted_inputs * 3e-15,
             boost::test_tools::tolerance(1e-12));
  // Two layers, the counter's default pipeline depth of 1 cycle each, at the logic clock.
  BOOST_TEST(ledger.event_totals("counter_latency").cycles == N * 2.0);
  BOOST_TEST(ledger.event_totals("counter_latency").latency_s == N * 2.0 * s.clock_period_s,
             boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(bad_combinations_are_errors) {
  BOOST_CHECK_THROW(EngineFixture({10, 4, 2}, 5, settings(ScMode::binomial, StreamPolicy::bank), 64,
                                  "sc.parallel_counter", "sc.fsm_sigmoid"),
                    ParamError);
  BOOST_CHECK_THROW(EngineFixture({10, 4, 2}, 5, settings(ScMode::binomial, StreamPolicy::bank), 64, "sc.apc"),
                    ParamError);
  BOOST_CHECK_THROW(EngineFixture({10, 2}, 5, settings(ScMode::bit, StreamPolicy::bank), 64, "sc.apc",
                                  "sc.lut_sigmoid", "sc.and"),
                    ParamError);
  BOOST_CHECK_THROW(parse_sc_mode("bits"), ParamError);
  BOOST_CHECK_THROW(parse_stream_policy("banks"), ParamError);
  BOOST_CHECK_THROW(EngineFixture({10, 2}, 5, settings(ScMode::bit, StreamPolicy::bank), 0), ParamError);
}

BOOST_AUTO_TEST_CASE(unipolar_and_multiplier_estimates_signed_sums) {
  // sc.and with sign-magnitude coding: expected sum exact; bit-mode and binomial-mode means within
  // 5 SE of it (the binomial mode's signed pools: input sign x weight sign).
  const int Q = 5;
  const std::size_t n_in = 30, L = 256;
  const int T = 800;
  for (ScMode mode : {ScMode::bit, ScMode::binomial}) {
    EngineFixture f({n_in, 3}, Q, settings(mode, StreamPolicy::fresh), L, "sc.parallel_counter", "sc.lut_sigmoid",
                    "sc.and");
    const auto x = EngineFixture::random_inputs(1, n_in, Q, 9);
    auto ws = f.engine->make_workspace();
    std::vector<double> s(3, 0), sums(3);
    for (int t = 0; t < T; ++t) {
      f.engine->run_layer(f.views[0], 0, x, RandomStream(3, "and").substream(t), sums, {}, *ws, nullptr);
      for (int i = 0; i < 3; ++i) s[i] += sums[i];
    }
    for (std::size_t i = 0; i < 3; ++i) {
      double exact = 0, var = 0;
      for (std::size_t j = 0; j < n_in; ++j) {
        const double z = level_value(x[j], Q) * level_value(f.weights[0][i * n_in + j], Q);
        exact += z;
        var += std::abs(z) * (1 - std::abs(z)) / L;  // Bernoulli(|z|) counts / L
      }
      BOOST_TEST(std::abs(s[i] / T - exact) <= 5 * std::sqrt(var / T) + 1e-12, to_string(mode) << " neuron " << i);
    }
  }
}

BOOST_AUTO_TEST_CASE(inputs_and_weights_never_share_a_recorded_stream) {
  // Inputs and weights come from separate banks: with K = 1 and both at the level of 0.5 the
  // product estimate is z = 0.25 within its SE sqrt((1 - z^2) / L) (a shared stream would give
  // XNOR = all ones, z = 1, for every synapse).
  const std::size_t L = 512;
  EngineFixture f({6, 1}, 5, settings(ScMode::bit, StreamPolicy::bank, 1, 1), L);
  std::fill(f.weights[0].begin(), f.weights[0].end(), std::uint8_t(3));  // value 0.5
  const std::vector<std::uint8_t> x(6, 3);
  auto ws = f.engine->make_workspace();
  std::vector<double> sums(1);
  f.engine->run_layer(f.views[0], 0, x, RandomStream(1, "k1"), sums, {}, *ws, nullptr);
  BOOST_TEST(std::abs(sums[0] / 6 - 0.25) <= 5 * std::sqrt((1 - 0.0625) / L));
}
