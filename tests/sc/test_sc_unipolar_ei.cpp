// The unipolar excitatory / inhibitory encoding ([sc] encoding = unipolar_ei): each weight w as
// two unipolar streams P(1) = max(w, 0) and max(-w, 0), inputs P(1) = x in [0, 1], AND products
// into two counters, s = (C+ - C-) / L. Oracles: the exact sum sum_j x_j w_j from the level
// values (computed here, not by the engine), the bipolar engine's expected sums on the same
// network and levels, the unipolar variance sum_j |x_j w_j| (1 - |x_j w_j|) / L of independent
// streams, and event counts from the network's shape by hand. 33 levels on [-1, 1] (weight
// resolution 1/16) in every mode and stream policy.
#define BOOST_TEST_MODULE sc_unipolar_ei
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "sc/sc_test_util.hpp"
#include "spinsc/sc_engine.hpp"

using namespace spinsc;

namespace {

constexpr int kQ = 33;  // levels on [-1, 1]: step 1/16

double level_value(int k, int q = kQ) { return -1.0 + 2.0 * k / (q - 1); }

// SC units from the real plugins, made once; engines over them for each case.
struct Units {
  std::unique_ptr<BitSource> device = test::make_plugin<BitSource>("device.bernoulli", {"energy_per_bit_J=2e-14"});
  std::unique_ptr<Multiplier> and_gate = test::make_plugin<Multiplier>("sc.and", {"energy_per_op_J=1e-15"});
  std::unique_ptr<Multiplier> xnor = test::make_plugin<Multiplier>("sc.xnor");
  std::unique_ptr<Adder> counter = test::make_plugin<Adder>("sc.parallel_counter");
  std::vector<std::unique_ptr<Activation>> luts;
  Units() {
    for (std::uint64_t l = 0; l < 2; ++l) luts.push_back(test::make_plugin<Activation>("sc.lut_sigmoid", {}, l));
  }
  ScUnits units(Multiplier* multiplier = nullptr) {
    ScUnits u{multiplier ? multiplier : and_gate.get(), counter.get(), {}, device.get()};
    for (auto& a : luts) u.activations.push_back(a.get());
    return u;
  }
};

ActivationSetup sigmoid_setup(const std::string& function = "sigmoid") {
  ActivationSetup a;
  a.function = function;
  a.gain = 0.5;
  a.target = [](double s) { return test::sigmoid(0.5 * s); };
  return a;
}

ScSettings ei_settings(ScMode mode, StreamPolicy policy, unsigned threads = 1, std::size_t bank = 256) {
  ScSettings s;
  s.encoding = ScEncoding::unipolar_ei;
  s.mode = mode;
  s.policy = policy;
  s.threads = threads;
  s.bank_size = bank;
  s.window_trace_bits = 1 << 16;
  s.multiplier_id = "sc.and";
  s.device_id = "device.bernoulli";
  return s;
}

std::unique_ptr<ScEngine> make_engine(Units& u, const ScSettings& s, const std::vector<ScLayerShape>& shapes,
                                      std::size_t L, std::uint64_t seed = 7, Multiplier* multiplier = nullptr,
                                      LevelGrid grid = {kQ, -1.0, 1.0}, const std::string& function = "sigmoid") {
  auto engine = std::make_unique<ScEngine>(s, u.units(multiplier), grid, std::vector{sigmoid_setup(function)},
                                           RandomStream(seed, "ei-test"));
  engine->prepare(shapes, L);
  return engine;
}

// Weight levels anywhere on the grid; input levels non-negative (value in [0, 1]).
std::vector<std::uint8_t> random_levels(std::size_t n, int lowest, std::uint64_t seed) {
  RandomStream rng(seed, "ei-test-levels");
  std::vector<std::uint8_t> v(n);
  for (auto& k : v) k = static_cast<std::uint8_t>(lowest + rng.below(kQ - lowest));
  return v;
}
constexpr int kZeroLevel = (kQ - 1) / 2;

double exact_sum(const std::uint8_t* w, const std::vector<std::uint8_t>& x) {
  double s = 0;
  for (std::size_t j = 0; j < x.size(); ++j) s += level_value(x[j]) * level_value(w[j]);
  return s;
}
// Variance of (C+ - C-) / L for independent streams: one of w+, w- is 0, so per synapse one
// Bernoulli(|x w|) product a clock.
double unipolar_variance(const std::uint8_t* w, const std::vector<std::uint8_t>& x, std::size_t L) {
  double v = 0;
  for (std::size_t j = 0; j < x.size(); ++j) {
    const double z = std::abs(level_value(x[j]) * level_value(w[j]));
    v += z * (1 - z) / double(L);
  }
  return v;
}

template <class F>
bool throws_naming(F f, const std::vector<std::string>& words) {
  try {
    f();
  } catch (const ParamError& e) {
    const std::string what = e.what();
    for (const auto& w : words)
      if (what.find(w) == std::string::npos) {
        BOOST_TEST_MESSAGE("message lacks '" << w << "': " << what);
        return false;
      }
    return true;
  }
  return false;
}

}  // namespace

BOOST_AUTO_TEST_CASE(stream_levels_are_the_distinct_unipolar_probabilities) {
  Units u;
  auto e = make_engine(u, ei_settings(ScMode::bit, StreamPolicy::bank, 1, 4), {{8, 2, false}}, 64);
  const auto& p = e->stream_probabilities();
  BOOST_TEST_REQUIRE(p.size() == 17u);  // 0, 1/16, ..., 1
  for (std::size_t k = 0; k < p.size(); ++k) BOOST_TEST(p[k] == k / 16.0, boost::test_tools::tolerance(1e-12));
  // One bank per unipolar probability and role.
  const BankStatistics b = e->bank_statistics();
  BOOST_TEST(b.level_probability.size() == 17u);
  BOOST_TEST(b.p1_mean[1].size() == 17u);
  BOOST_TEST(b.p1_mean[1].front() == 0.0);
  BOOST_TEST(b.p1_mean[1].back() == 1.0);
}

BOOST_AUTO_TEST_CASE(expected_mode_is_the_exact_sum_and_the_bipolar_result) {
  // Same network and levels through the bipolar engine (sc.xnor, expected) and the E/I engine.
  Units u;
  const std::size_t n = 50, m = 6;
  const auto w = random_levels(n * m, 0, 1);
  const auto x = random_levels(n, kZeroLevel, 2);
  const ScLayerView view{n, m, w.data(), nullptr, nullptr};
  auto ei = make_engine(u, ei_settings(ScMode::expected, StreamPolicy::bank), {{n, m, false}}, 100);
  ScSettings bip = ei_settings(ScMode::expected, StreamPolicy::bank);
  bip.encoding = ScEncoding::bipolar;
  bip.multiplier_id = "sc.xnor";
  auto bipolar = make_engine(u, bip, {{n, m, false}}, 100, 7, u.xnor.get());
  auto ws1 = ei->make_workspace(), ws2 = bipolar->make_workspace();
  std::vector<double> a(m), b(m);
  ei->run_layer(view, 0, x, RandomStream(1, "s"), a, {}, *ws1, nullptr);
  bipolar->run_layer(view, 0, x, RandomStream(1, "s"), b, {}, *ws2, nullptr);
  for (std::size_t i = 0; i < m; ++i) {
    BOOST_TEST(a[i] == exact_sum(w.data() + i * n, x), boost::test_tools::tolerance(1e-12));
    BOOST_TEST(a[i] == b[i], boost::test_tools::tolerance(1e-12));
  }
}

BOOST_AUTO_TEST_CASE(bit_fresh_and_binomial_have_the_exact_mean_and_the_unipolar_variance) {
  // T inferences of one layer (40 inputs, 33 levels, bias included). Per neuron the mean of
  // s = (C+ - C-) / L must be the exact sum within 4.5 SE, SE = sqrt(var / T), var the unipolar
  // variance above (the bias synapse: x = 1, so |w_b| (1 - |w_b|) / L); the sample variance must
  // be var within 5 SE, SE of a sample variance var sqrt(2 / (T - 1)) (near-normal sums).
  Units u;
  const std::size_t n = 40, m = 5, L = 128;
  const int T = 2000;
  const auto w = random_levels(n * m, 0, 3);
  const auto bias = random_levels(m, 0, 4);
  const auto x = random_levels(n, kZeroLevel, 5);
  const ScLayerView view{n, m, w.data(), bias.data(), nullptr};
  for (ScMode mode : {ScMode::bit, ScMode::binomial}) {
    auto e = make_engine(u, ei_settings(mode, StreamPolicy::fresh), {{n, m, true}}, L);
    auto ws = e->make_workspace();
    std::vector<double> s(m, 0), s2(m, 0), sums(m);
    const RandomStream base(11, "ei-moments");
    for (int t = 0; t < T; ++t) {
      e->run_layer(view, 0, x, base.substream(t), sums, {}, *ws, nullptr);
      for (std::size_t i = 0; i < m; ++i) s[i] += sums[i], s2[i] += sums[i] * sums[i];
    }
    std::vector<std::uint8_t> x1 = x;
    x1.push_back(kQ - 1);  // the bias input +1
    for (std::size_t i = 0; i < m; ++i) {
      std::vector<std::uint8_t> row(w.begin() + i * n, w.begin() + (i + 1) * n);
      row.push_back(bias[i]);
      const double exact = exact_sum(row.data(), x1), var = unipolar_variance(row.data(), x1, L);
      const double mean = s[i] / T, sample_var = (s2[i] - T * mean * mean) / (T - 1);
      BOOST_TEST(std::abs(mean - exact) <= 4.5 * std::sqrt(var / T),
                 to_string(mode) << " neuron " << i << " mean " << mean << " exact " << exact);
      BOOST_TEST(std::abs(sample_var - var) <= 5 * var * std::sqrt(2.0 / (T - 1)),
                 to_string(mode) << " neuron " << i << " var " << sample_var << " expected " << var);
    }
  }
}

BOOST_AUTO_TEST_CASE(bank_and_window_estimates_are_unbiased_over_recordings) {
  // Bank (K = 8 per unipolar probability) and window policies, 33 levels: each trial makes new
  // recordings (engine seed t) and runs one inference. Over recordings and draws every product
  // has the mean x w (inputs and weights from separate recordings, w+ and w- from different
  // ones), so the trials' mean is the exact sum within 4.5 SE; the SE is the trials' sample
  // standard deviation / sqrt(T) (synapses sharing a recording covary, so the independent-stream
  // variance does not apply; a shared input with weights of opposite sign even lowers it).
  Units u;
  const std::size_t n = 24, m = 3, L = 96;
  const int T = 400;
  const auto w = random_levels(n * m, 0, 6);
  const auto x = random_levels(n, kZeroLevel, 7);
  const ScLayerView view{n, m, w.data(), nullptr, nullptr};
  for (StreamPolicy policy : {StreamPolicy::bank, StreamPolicy::window}) {
    std::vector<double> s(m, 0), s2(m, 0), sums(m);
    for (int t = 0; t < T; ++t) {
      ScSettings st = ei_settings(ScMode::bit, policy, 1, 8);
      st.window_trace_bits = 4096;  // offsets in [0, 4000]: windows of a level overlap often
      auto e = make_engine(u, st, {{n, m, false}}, L, 1000 + t);
      auto ws = e->make_workspace();
      e->run_layer(view, 0, x, RandomStream(3, "ei-rec").substream(t), sums, {}, *ws, nullptr);
      for (std::size_t i = 0; i < m; ++i) s[i] += sums[i], s2[i] += sums[i] * sums[i];
    }
    for (std::size_t i = 0; i < m; ++i) {
      const double exact = exact_sum(w.data() + i * n, x);
      const double mean = s[i] / T, sample_var = (s2[i] - T * mean * mean) / (T - 1);
      BOOST_TEST(sample_var > 0.0);
      BOOST_TEST(std::abs(mean - exact) <= 4.5 * std::sqrt(sample_var / T),
                 to_string(policy) << " neuron " << i << " mean " << mean << " exact " << exact);
    }
  }
}

BOOST_AUTO_TEST_CASE(whole_network_results_do_not_depend_on_the_thread_count) {
  Units u;
  const std::vector<std::size_t> widths{30, 12, 5};
  const std::size_t N = 23;
  const auto x = random_levels(N * 30, kZeroLevel, 8);
  std::vector<std::vector<std::uint8_t>> w{random_levels(30 * 12, 0, 9), random_levels(12 * 5, 0, 10)};
  std::vector<std::uint8_t> b0 = random_levels(12, 0, 11), b1 = random_levels(5, 0, 12);
  const std::vector<ScLayerView> views{{30, 12, w[0].data(), b0.data(), nullptr}, {12, 5, w[1].data(), b1.data(), nullptr}};
  const std::vector<ScLayerShape> shapes{{30, 12, true}, {12, 5, true}};
  const std::pair<ScMode, StreamPolicy> cases[] = {{ScMode::bit, StreamPolicy::bank},
                                                   {ScMode::bit, StreamPolicy::fresh},
                                                   {ScMode::bit, StreamPolicy::window},
                                                   {ScMode::binomial, StreamPolicy::bank},
                                                   {ScMode::expected, StreamPolicy::bank}};
  for (const auto& [mode, policy] : cases) {
    std::vector<double> results[3];
    ScEvents events[3];
    for (unsigned threads : {1u, 2u, 3u}) {
      auto e = make_engine(u, ei_settings(mode, policy, threads), shapes, 130);
      results[threads - 1] = e->output_sums(views, x.data(), N, 0, &events[threads - 1]);
    }
    for (int t = 1; t < 3; ++t) {
      BOOST_TEST(results[0] == results[t], boost::test_tools::per_element());
      BOOST_TEST(events[0].layers[1].bits_per_level == events[t].layers[1].bits_per_level,
                 boost::test_tools::per_element());
    }
    // Not all equal: the sums vary with the sample (the network is not degenerate).
    BOOST_TEST(results[0][0] != results[0][5]);
  }
}

BOOST_AUTO_TEST_CASE(ledger_counts_two_streams_and_two_gates_a_weight_and_two_counters_a_neuron) {
  // Hand counts from the network's shape (20-8-4, no bias): streams per inference are the
  // inputs (20, then 8 hidden outputs) and two per weight (2 x 160, then 2 x 32).
  Units u;
  const std::size_t N = 4, L = 100;
  ScSettings s = ei_settings(ScMode::bit, StreamPolicy::bank);
  s.dac_energy_per_level_J = 5e-15;
  auto e = make_engine(u, s, {{20, 8, false}, {8, 4, false}}, L);
  const auto x = random_levels(N * 20, kZeroLevel, 13);
  const auto w0 = random_levels(160, 0, 14), w1 = random_levels(32, 0, 15);
  const std::vector<ScLayerView> views{{20, 8, w0.data(), nullptr, nullptr}, {8, 4, w1.data(), nullptr, nullptr}};
  ScEvents events;
  e->classify(views, x.data(), N, 0, &events);
  // Layer 1 bits by unipolar probability k / 16: inputs at x, each weight at max(w,0) and max(-w,0).
  std::vector<std::uint64_t> bits(17, 0);
  const auto stream_level = [](double p) { return static_cast<std::size_t>(std::lround(p * 16)); };
  for (std::size_t k = 0; k < N * 20; ++k) bits[stream_level(level_value(x[k]))] += L;
  for (std::uint8_t level : w0) {
    bits[stream_level(std::max(level_value(level), 0.0))] += N * L;
    bits[stream_level(std::max(-level_value(level), 0.0))] += N * L;
  }
  BOOST_TEST(events.layers[0].bits_per_level == bits, boost::test_tools::per_element());
  EnergyLedger ledger;
  e->charge(events, ledger);
  const double streams = 20 + 2 * 160 + 8 + 2 * 32;
  BOOST_TEST(double(ledger.event_totals("bits_generated").events) == N * streams * L);
  BOOST_TEST(ledger.component_totals("device.bernoulli").energy_J == N * streams * L * 2e-14,
             boost::test_tools::tolerance(1e-12));
  BOOST_TEST(double(ledger.event_totals("dac_levels").events) == N * streams);
  BOOST_TEST(ledger.event_totals("gate_ops").events == N * 2 * (160 + 32) * L);
  BOOST_TEST(ledger.component_totals("sc.and").energy_J == N * 2.0 * (160 + 32) * L * 1e-15,
             boost::test_tools::tolerance(1e-12));
  BOOST_TEST(ledger.event_totals("counter_ops").events == N * 2 * (8 + 4) * L);
  BOOST_TEST(ledger.event_totals("activation_ops").events == N * 8u);
}

BOOST_AUTO_TEST_CASE(bad_configurations_are_errors_naming_the_keys) {
  Units u;
  const std::vector<ScLayerShape> one{{8, 2, false}}, two{{8, 4, false}, {4, 2, false}};
  const ScSettings s = ei_settings(ScMode::bit, StreamPolicy::bank);
  BOOST_TEST(throws_naming([&] { make_engine(u, s, one, 64, 7, u.xnor.get()); }, {"[sc] encoding", "[sc] multiplier", "sc.and"}));
  BOOST_TEST(throws_naming([&] { make_engine(u, s, one, 64, 7, nullptr, {kQ, -1.0, 2.0}); },
                           {"[sc] encoding", "[network] lower", "upper"}));
  // 3 levels on [-1, 0.4]: -1, -0.3, 0.4; an input of 0 becomes -0.3.
  BOOST_TEST(throws_naming([&] { make_engine(u, s, one, 64, 7, nullptr, {3, -1.0, 0.4}); },
                           {"[sc] encoding", "[network] levels", "-0.3"}));
  BOOST_TEST(throws_naming([&] { make_engine(u, s, two, 64, 7, nullptr, {kQ, -1.0, 1.0}, "tanh"); },
                           {"[sc] encoding", "[network] hidden_activation = tanh"}));
  {
    auto apc = test::make_plugin<Adder>("sc.apc");
    ScUnits units = u.units();
    units.adder = apc.get();
    ScSettings sa = s;
    sa.adder_id = "sc.apc";
    BOOST_TEST(throws_naming(
        [&] {
          ScEngine e(sa, units, {kQ, -1.0, 1.0}, {sigmoid_setup()}, RandomStream(1, "x"));
          e.prepare(one, 64);
        },
        {"[sc] encoding", "[sc] adder", "sc.apc"}));
    auto fsm = test::make_plugin<Activation>("sc.fsm_sigmoid");
    units = u.units();
    units.activations = {fsm.get()};
    ScSettings sf = s;
    sf.activation_id = "sc.fsm_sigmoid";
    BOOST_TEST(throws_naming(
        [&] {
          ScEngine e(sf, units, {kQ, -1.0, 1.0}, {sigmoid_setup()}, RandomStream(1, "x"));
          e.prepare(two, 64);
        },
        {"[sc] encoding", "[sc] activation", "sc.fsm_sigmoid"}));
  }
  // A negative input level at run time, in every mode.
  for (ScMode mode : {ScMode::bit, ScMode::binomial, ScMode::expected}) {
    auto e = make_engine(u, ei_settings(mode, StreamPolicy::bank), one, 64);
    const auto w = random_levels(16, 0, 16);
    std::vector<std::uint8_t> x(8, kZeroLevel);
    x[3] = kZeroLevel - 1;  // -1/16
    auto ws = e->make_workspace();
    std::vector<double> sums(2);
    BOOST_TEST(throws_naming([&] { e->run_layer({8, 2, w.data(), nullptr, nullptr}, 0, x, RandomStream(1, "n"), sums, {},
                                                *ws, nullptr); },
                             {"[sc] encoding", "input 4 of layer 1", "-0.0625"}));
  }
  BOOST_TEST(throws_naming([] { parse_sc_encoding("unipolar"); }, {"[sc] encoding", "unipolar_ei", "bipolar"}));
}

BOOST_AUTO_TEST_CASE(an_experiment_runs_with_unipolar_ei_and_names_bad_keys) {
  // From an experiment file: 33 levels, training with the E/I engine in the forward pass
  // (train.qat_sc, binomial mode), SC evaluation in bit mode under two policies; then the
  // same file with a tanh hidden layer and with sc.xnor: non-zero exit, the keys named.
  const auto dir = std::filesystem::temp_directory_path() / ("spinsc_ei_e2e_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto ini = dir / "ei.ini";
  std::ofstream(ini) << "name = ei_e2e\nseed = 3\ntask = network\n"
                        "[data]\ntrain_size = 600\ntest_size = 100\n"
                        "[network]\nlayers = 784,16,10\nlevels = 33\n"
                        "[train]\nstrategy = train.qat_sc\nepochs = 1\nbatch_size = 32\n"
                        "[train.qat_sc]\nlength = 64\nmode = binomial\n"
                        "[sc]\nmultiplier = sc.and\nencoding = unipolar_ei\n"
                        "[eval]\nlengths = 64,128\nsc_policies = bank:16,fresh\n";
  const auto log = dir / "log.txt";
  const auto run = [&](const std::string& extra) {
    const std::string cmd = std::string(SPINSC_CLI) + " run " + ini.string() + " -o " + (dir / "r.h5").string() +
                            " " + extra + " > " + log.string() + " 2>&1";
    const int status = std::system(cmd.c_str());
    std::ifstream in(log);
    return std::make_pair(status, std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
  };
  const auto [status, text] = run("");
  BOOST_TEST(status == 0, text);
  BOOST_TEST(text.find("bank K=16) L = 128") != std::string::npos, text);
  BOOST_TEST(text.find("fresh) L = 64") != std::string::npos, text);
  const auto [tanh_status, tanh_text] = run("--network.hidden_activation=tanh");
  BOOST_TEST(tanh_status != 0);
  BOOST_TEST(tanh_text.find("[network] hidden_activation = tanh") != std::string::npos, tanh_text);
  const auto [xnor_status, xnor_text] = run("--sc.multiplier=sc.xnor");
  BOOST_TEST(xnor_status != 0);
  BOOST_TEST(xnor_text.find("[sc] multiplier = sc.and") != std::string::npos, xnor_text);
  const auto [bad_status, bad_text] = run("--sc.encoding=unipolar");
  BOOST_TEST(bad_status != 0);
  BOOST_TEST(bad_text.find("sc.encoding") != std::string::npos, bad_text);
  std::filesystem::remove_all(dir);
}
