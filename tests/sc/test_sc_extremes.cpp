// The SC arithmetic at its extremes, where wrap-around and scale bugs hide: all-zero and all-ones
// streams, counts of exactly 0 and n, fan-ins well past the MNIST network's 785, lengths that are
// and are not multiples of 64 (and of the 256-bit vector), and every adder (exact counter, APC,
// MUX) feeding every activation (LUT, sigmoid32, FSM) through the engine. Every expected value
// here is exact and derived in the test from the definition of the unit: a saturated product
// stream has no stochastic error, so nothing needs a tolerance.
#define BOOST_TEST_MODULE sc_extremes
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "sc/bit_kernels.hpp"
#include "sc/sc_test_util.hpp"
#include "spinsc/sc_counting.hpp"
#include "spinsc/sc_engine.hpp"
#include "spinsc/sc_kernels.hpp"

using namespace spinsc;

namespace {

// Fan-ins: 1, around word and plane boundaries (2^k - 1, 2^k, 2^k + 1), the AVX2 kernel's flush
// chunks (31/32 synapses at 4 words, 15/16 at 8), MNIST's 785 and a large 4097.
const std::size_t kFanIns[] = {1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 255, 256, 257, 785, 1024, 4097};
// Lengths: a single clock, one word short and over, the 256-bit vector and its neighbours, 8 words.
const std::size_t kLengths[] = {1, 63, 64, 65, 127, 255, 256, 257, 320, 500, 512, 513};

std::uint64_t tail_mask(std::size_t L) { return (L & 63u) ? (1ull << (L & 63u)) - 1 : ~0ull; }

// n streams of L bits: stream j is all ones if ones(j), else all zeros (bits past L are zero).
template <class Pred>
std::vector<std::uint64_t> constant_streams(std::size_t n, std::size_t L, Pred ones) {
  const std::size_t W = words_for_bits(L);
  std::vector<std::uint64_t> s(n * W, 0);
  for (std::size_t j = 0; j < n; ++j)
    if (ones(j)) {
      std::fill(s.begin() + j * W, s.begin() + (j + 1) * W, ~0ull);
      s[(j + 1) * W - 1] &= tail_mask(L);
    }
  return s;
}

std::vector<std::int32_t> reduce(const Adder& adder, const std::vector<std::uint64_t>& streams, std::size_t n,
                                 std::size_t L) {
  std::vector<std::uint64_t> scratch, scratch_streams;
  std::vector<std::int32_t> out(L, 12345);
  adder.reduce({streams.data(), n, words_for_bits(L), L, nullptr, nullptr, &scratch, &scratch_streams}, out);
  return out;
}

bool all_equal(const std::vector<std::int32_t>& u, std::int32_t v) {
  return std::all_of(u.begin(), u.end(), [v](std::int32_t x) { return x == v; });
}

// The APC of Kim, Lee & Choi on constant inputs, from its definition: gate k pairs inputs 2k and
// 2k+1 (a missing partner is 0), OR for even k, AND for odd k; output 2 * (ones among the gates).
int apc_constant_output(std::size_t n, bool ones) {
  int gate_ones = 0;
  for (std::size_t k = 0; 2 * k < n; ++k) {
    const bool a = ones, b = 2 * k + 1 < n && ones;
    gate_ones += (k % 2 == 0) ? (a || b) : (a && b);
  }
  return 2 * gate_ones;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_counters_count_exactly_0_and_n) {
  auto counter = test::make_plugin<Adder>("sc.parallel_counter");
  auto apc = test::make_plugin<Adder>("sc.apc");
  for (std::size_t n : kFanIns)
    for (std::size_t L : {std::size_t(1), std::size_t(63), std::size_t(64), std::size_t(65), std::size_t(130)}) {
      const auto ones = constant_streams(n, L, [](std::size_t) { return true; });
      const auto zeros = constant_streams(n, L, [](std::size_t) { return false; });
      // u_t = 2 c_t - n with c_t = n (all ones) and c_t = 0 (all zeros), at every clock.
      BOOST_TEST(all_equal(reduce(*counter, ones, n, L), std::int32_t(n)), "counter all ones n=" << n << " L=" << L);
      BOOST_TEST(all_equal(reduce(*counter, zeros, n, L), -std::int32_t(n)), "counter all zeros n=" << n << " L=" << L);
      // All but one stream full: c_t = n - 1 (the largest count below a plane boundary when n = 2^k).
      const auto all_but_last = constant_streams(n, L, [n](std::size_t j) { return j + 1 < n; });
      BOOST_TEST(all_equal(reduce(*counter, all_but_last, n, L), std::int32_t(n) - 2), "counter n-1 ones n=" << n);
      BOOST_TEST(all_equal(reduce(*apc, ones, n, L), 2 * apc_constant_output(n, true) - std::int32_t(n)),
                 "apc all ones n=" << n << " L=" << L);
      BOOST_TEST(all_equal(reduce(*apc, zeros, n, L), -std::int32_t(n)), "apc all zeros n=" << n << " L=" << L);
    }
  // For even n the APC is exact on constant streams (every gate sees two equal bits).
  BOOST_TEST(apc_constant_output(64, true) == 64);
}

BOOST_AUTO_TEST_CASE(the_counter_sees_0_and_n_within_one_word) {
  // Clocks alternate: even clocks all n streams are 1, odd clocks all are 0, so counts of n and 0
  // share every word; stream j additionally drops clock 3 when j is odd (count n - n/2 there).
  auto counter = test::make_plugin<Adder>("sc.parallel_counter");
  for (std::size_t n : kFanIns) {
    const std::size_t L = 200, W = words_for_bits(L);
    std::vector<std::uint64_t> s(n * W, 0);
    for (std::size_t j = 0; j < n; ++j)
      for (std::size_t t = 0; t < L; ++t) {
        const bool bit = t % 2 == 0 || (t == 3 && j % 2 == 0);
        if (bit) s[j * W + t / 64] |= 1ull << (t % 64);
      }
    const auto u = reduce(*counter, s, n, L);
    bool ok = true;
    for (std::size_t t = 0; t < L; ++t) {
      const std::int32_t c = t % 2 == 0 ? std::int32_t(n) : t == 3 ? std::int32_t((n + 1) / 2) : 0;
      ok = ok && u[t] == 2 * c - std::int32_t(n);
    }
    BOOST_TEST(ok, "n=" << n);
  }
}

BOOST_AUTO_TEST_CASE(count_ones_per_clock_reaches_n_for_every_plane_boundary) {
  // The bit-sliced counter itself, for every n up to 1100: all n streams full gives a count of n.
  std::vector<std::uint64_t> planes;
  long wrong = 0;
  for (std::size_t n = 1; n <= 1100; ++n) {
    const auto ones = constant_streams(n, 64, [](std::size_t) { return true; });
    std::vector<std::int32_t> counts(64);
    count_ones_per_clock(ones.data(), n, 1, 64, counts, planes);
    wrong += !all_equal(counts, std::int32_t(n));
  }
  BOOST_TEST(wrong == 0);
}

namespace {
// One kernel set over n synapses whose XOR is all ones (input all ones, bank entry all zeros) or
// all zeros, with L bits per stream (the tail of the last word zero in both, as the engine makes
// them), through its W-word bank entry, its general entry and its gate counts.
void check_saturated_kernel(const ScBitKernels& k, std::size_t W, std::size_t n, std::size_t L) {
  const std::size_t K = 3;
  std::vector<std::uint64_t> xs(n * W, ~0ull);
  for (std::size_t j = 0; j < n; ++j) xs[j * W + W - 1] &= tail_mask(L);
  std::vector<std::uint64_t> zero_bank(K * W, 0), ones_bank(K * W, ~0ull), zeros(n * W, 0);
  for (std::size_t b = 0; b < K; ++b) ones_bank[b * W + W - 1] &= tail_mask(L);
  const std::uint64_t* banks[2] = {zero_bank.data(), ones_bank.data()};
  std::vector<std::uint32_t> idx(n);
  for (std::size_t j = 0; j < n; ++j) idx[j] = std::uint32_t(j % K);
  const std::vector<std::uint8_t> all_zero_level(n, 0), all_one_level(n, 1);
  std::vector<std::uint8_t> mixed(n);
  for (std::size_t j = 0; j < n; ++j) mixed[j] = std::uint8_t(j % 2);
  const std::uint64_t full = std::uint64_t(n) * L;
  const std::string what = std::string(k.name) + " W=" + std::to_string(W) + " n=" + std::to_string(n) + " L=" + std::to_string(L);
  for (const auto bank_xor : {k.bank_xor[W <= 8 ? W : 0], k.bank_xor[0]}) {
    BOOST_TEST(bank_xor(xs.data(), all_zero_level.data(), idx.data(), n, banks, W) == full, what);
    BOOST_TEST(bank_xor(xs.data(), all_one_level.data(), idx.data(), n, banks, W) == 0u, what);
    BOOST_TEST(bank_xor(xs.data(), mixed.data(), idx.data(), n, banks, W) == std::uint64_t((n + 1) / 2) * L, what);
  }
  BOOST_TEST(k.xor_count(xs.data(), zeros.data(), n * W) == full, what);
  BOOST_TEST(k.xor_count(xs.data(), xs.data(), n * W) == 0u, what);
  BOOST_TEST(k.and_count(xs.data(), xs.data(), n * W) == full, what);
  BOOST_TEST(k.and_count(xs.data(), zeros.data(), n * W) == 0u, what);
}
}  // namespace

BOOST_AUTO_TEST_CASE(no_kernel_wraps_on_saturated_synapses) {
  // Every kernel set this CPU runs (AVX-512, AVX2, portable), not only the one in use: the AVX2
  // byte lanes gain 8 per 256-bit vector per synapse, so any flush interval longer than 31
  // vectors wraps a lane when every product bit is a one.
  const auto kernels = sc_kernels_available();
  BOOST_TEST_REQUIRE(!kernels.empty());
  const std::pair<std::size_t, std::size_t> shapes[] = {{1, 64},  {1, 33},  {2, 127}, {3, 192}, {4, 256},
                                                        {4, 255}, {5, 257}, {6, 384}, {7, 400}, {8, 512},
                                                        {8, 449}, {9, 576}, {13, 800}, {40, 2560}};
  for (const ScBitKernels* k : kernels)
    for (std::size_t n : kFanIns)
      for (auto [W, L] : shapes) check_saturated_kernel(*k, W, n, L);
}

BOOST_AUTO_TEST_CASE(the_engine_uses_the_kernel_for_the_stream_length) {
  // bank_xor_for picks the entry unrolled for W words (1..8), the general one beyond.
  const ScBitKernels& k = sc_kernels();
  for (std::size_t W = 1; W <= 8; ++W) BOOST_TEST((sc::bank_xor_for(k, W) == k.bank_xor[W]), "W=" << W);
  BOOST_TEST((sc::bank_xor_for(k, 9) == k.bank_xor[0]));
  BOOST_TEST((sc::bank_xor_for(k, 100) == k.bank_xor[0]));
}

namespace {
ActivationSetup hidden_setup(const std::string& function, double gain, int levels, std::size_t fan_in, std::size_t L,
                             ClockStreamInfo clock) {
  ActivationSetup s;
  s.function = function;
  s.gain = gain;
  if (function == "sigmoid") s.target = [gain](double x) { return test::sigmoid(gain * x); };
  else s.target = [gain](double x) { return std::tanh(gain * x); };
  s.output_grid = LevelGrid{levels, -1.0, 1.0};
  s.fan_in = fan_in;
  s.n_bits = L;
  s.clock = clock;
  return s;
}
// Eq. (3) written out: clip to [-1, 1] and round to the nearest of the Q levels, halves up.
int level_of(double y, int Q) {
  const double step = 2.0 / (Q - 1);
  return int(std::floor((std::clamp(y, -1.0, 1.0) + 1.0) / step + 0.5));
}
}  // namespace

BOOST_AUTO_TEST_CASE(value_activations_scale_the_clock_stream_by_the_adders_factor) {
  // A MUX adder over n inputs emits u_t in {-1, +1} with s_hat = n' mean(u) (n' = 8 for n = 5..8):
  // level_for_clocks must apply that factor, for every count of ones k among the L clocks.
  for (const char* id : {"sc.lut_sigmoid", "sc.sigmoid32"}) {
    auto act = test::make_plugin<Activation>(id);
    for (double scale : {8.0, 1024.0}) {
      const std::size_t L = 257;
      const int Q = 11;
      const double gain = 8.0 / scale;  // s_hat / scale in [-1, 1] spreads over the sigmoid's range
      act->setup(hidden_setup("sigmoid", gain, Q, std::size_t(scale), L, {1, scale}));
      long wrong = 0;
      std::vector<std::int32_t> u(L, -1);
      for (std::size_t k = 0; k <= L; ++k) {
        if (k > 0) u[k - 1] = 1;
        const double s_hat = scale * (2.0 * double(k) - double(L)) / double(L);
        const int want = level_of(test::sigmoid(gain * s_hat), Q);
        wrong += act->level_for_clocks(u) != want;
      }
      BOOST_TEST(wrong == 0, id << " scale=" << scale);
    }
    // An exact counter's clock stream (scale 1, range n): the same rule, u_t = 2 c_t - n.
    const std::size_t n = 9, L = 64;
    act->setup(hidden_setup("tanh", 0.3, 5, n, L, {int(n), 1.0}));
    std::vector<std::int32_t> u(L, -int(n));
    BOOST_TEST(act->level_for_clocks(u) == level_of(std::tanh(-0.3 * 9.0), 5), id);
    std::fill(u.begin(), u.end(), int(n));
    BOOST_TEST(act->level_for_clocks(u) == 4, id);
  }
}

namespace {
// A two-layer network {n0, m, k} whose every product stream is constant:
//   inputs x_j = +1 for even j, -1 for odd j (all-ones and all-zeros streams side by side);
//   layer 1, neuron i: w_ij = sign_i x_j with sign_i = +1 for even i, -1 for odd i, so s_i = sign_i n0;
//   tanh hidden outputs at +-1 (levels Q-1 and 0); layer 2, neuron r: v_ri = sign_r sign_i, so
//   every product is sign_r and the output sums are exactly sign_r m.
struct SaturatedNetwork {
  int Q = 5;
  std::size_t n0, m, k;
  std::vector<std::uint8_t> x, w1, w2;
  SaturatedNetwork(std::size_t n0_, std::size_t m_, std::size_t k_) : n0(n0_), m(m_), k(k_) {
    const auto sign = [](std::size_t i) { return i % 2 == 0 ? 1 : -1; };
    const auto level = [this](int s) { return std::uint8_t(s > 0 ? Q - 1 : 0); };
    for (std::size_t j = 0; j < n0; ++j) x.push_back(level(sign(j)));
    for (std::size_t i = 0; i < m; ++i)
      for (std::size_t j = 0; j < n0; ++j) w1.push_back(level(sign(i) * sign(j)));
    for (std::size_t r = 0; r < k; ++r)
      for (std::size_t i = 0; i < m; ++i) w2.push_back(level(sign(r) * sign(i)));
  }
};

struct UnitsCase {
  const char* multiplier;
  const char* adder;
  const char* activation;
  std::vector<std::string> activation_overrides;
  const char* function;  // the network's hidden activation
};

ScSettings engine_settings(ScMode mode, StreamPolicy policy, std::size_t L) {
  ScSettings s;
  s.mode = mode;
  s.policy = policy;
  s.threads = 1;
  s.bank_size = 4;
  s.window_trace_bits = 4096;
  s.n_bits = L;
  return s;
}
}  // namespace

BOOST_AUTO_TEST_CASE(every_adder_feeding_every_activation_is_exact_on_saturated_streams) {
  // Fan-ins are powers of two (the MUX is exact then: no padding selects) and even (the APC is
  // exact then); the lengths cover 1 word, 4 and 8 words (the AVX2 kernel's chunking) and tails.
  const std::vector<UnitsCase> cases = {
      {"sc.xnor", "sc.parallel_counter", "sc.lut_sigmoid", {}, "tanh"},
      {"sc.xnor", "sc.parallel_counter", "sc.sigmoid32", {}, "tanh"},
      {"sc.xnor", "sc.parallel_counter", "sc.fsm_tanh", {}, "tanh"},
      {"sc.xnor", "sc.parallel_counter", "sc.fsm_tanh", {"mode=btanh"}, "tanh"},
      {"sc.xnor", "sc.apc", "sc.lut_sigmoid", {}, "tanh"},
      {"sc.xnor", "sc.apc", "sc.sigmoid32", {}, "tanh"},
      {"sc.xnor", "sc.apc", "sc.fsm_tanh", {}, "tanh"},
      {"sc.xnor", "sc.mux_adder", "sc.lut_sigmoid", {}, "tanh"},
      {"sc.xnor", "sc.mux_adder", "sc.sigmoid32", {}, "tanh"},
      {"sc.xnor", "sc.mux_adder", "sc.fsm_tanh", {}, "tanh"},
      {"sc.xnor", "sc.mux_adder", "sc.fsm_tanh", {"mode=stanh"}, "tanh"},
      {"sc.and", "sc.parallel_counter", "sc.lut_sigmoid", {}, "tanh"},  // FSMs need sc.xnor
  };
  auto device = test::make_plugin<BitSource>("device.bernoulli");
  const SaturatedNetwork net(64, 32, 4);
  const double gain = 0.5;
  for (const UnitsCase& c : cases) {
    auto multiplier = test::make_plugin<Multiplier>(c.multiplier);
    auto adder = test::make_plugin<Adder>(c.adder);
    auto activation = test::make_plugin<Activation>(c.activation, c.activation_overrides);
    ActivationSetup hidden = hidden_setup(c.function, gain, net.Q, 0, 0, {});
    for (std::size_t L : kLengths)
      for (StreamPolicy policy : {StreamPolicy::bank, StreamPolicy::fresh, StreamPolicy::window}) {
        const std::string what = std::string(c.multiplier) + "/" + c.adder + "/" + c.activation +
                                 (c.activation_overrides.empty() ? "" : "." + c.activation_overrides[0]) + " " +
                                 to_string(policy) + " L=" + std::to_string(L);
        ScEngine engine(engine_settings(ScMode::bit, policy, L), {multiplier.get(), adder.get(), {activation.get()}, device.get()},
                        LevelGrid{net.Q, -1.0, 1.0}, {hidden}, RandomStream(3, "extremes"));
        const std::vector<ScLayerShape> shapes{{net.n0, net.m, false}, {net.m, net.k, false}};
        engine.prepare(shapes, L);
        const ScLayerView views[] = {{net.n0, net.m, net.w1.data(), nullptr, nullptr},
                                     {net.m, net.k, net.w2.data(), nullptr, nullptr}};
        // Layer 1 alone: sums +-n0 and hidden levels Q-1 / 0.
        auto ws = engine.make_workspace();
        std::vector<double> sums(net.m);
        std::vector<std::uint8_t> levels(net.m, 99);
        engine.run_layer(views[0], 0, net.x, RandomStream(4, "layer"), sums, levels, *ws, nullptr);
        bool layer_ok = true;
        for (std::size_t i = 0; i < net.m; ++i) {
          const bool up = i % 2 == 0;
          layer_ok = layer_ok && sums[i] == (up ? 64.0 : -64.0) && levels[i] == (up ? net.Q - 1 : 0);
        }
        BOOST_TEST(layer_ok, what << ": layer 1 sums " << sums[0] << "," << sums[1] << " levels " << int(levels[0])
                                  << "," << int(levels[1]));
        // The whole network: output sums exactly +-m.
        const auto out = engine.output_sums(views, net.x.data(), 1, 0);
        bool out_ok = true;
        for (std::size_t r = 0; r < net.k; ++r) out_ok = out_ok && out[r] == (r % 2 == 0 ? 32.0 : -32.0);
        BOOST_TEST(out_ok, what << ": output sums " << out[0] << "," << out[1]);
      }
  }
}

BOOST_AUTO_TEST_CASE(sigmoid_activations_saturate_at_the_top_and_the_middle_level) {
  // Sigmoid hidden layer with outputs on [-1, 1]: sigmoid(g n) rounds to +1 (top level) and
  // sigmoid(-g n) to 0, the middle level (Q - 1) / 2, for LUT, sigmoid32 and the FSM alike.
  auto device = test::make_plugin<BitSource>("device.bernoulli");
  auto multiplier = test::make_plugin<Multiplier>("sc.xnor");
  const SaturatedNetwork net(64, 8, 2);
  for (const char* adder_id : {"sc.parallel_counter", "sc.apc", "sc.mux_adder"})
    for (const char* act_id : {"sc.lut_sigmoid", "sc.sigmoid32", "sc.fsm_sigmoid"})
      for (std::size_t L : {std::size_t(1), std::size_t(64), std::size_t(255), std::size_t(256), std::size_t(513)}) {
        auto adder = test::make_plugin<Adder>(adder_id);
        auto act = test::make_plugin<Activation>(act_id);
        ScEngine engine(engine_settings(ScMode::bit, StreamPolicy::bank, L), {multiplier.get(), adder.get(), {act.get()}, device.get()},
                        LevelGrid{net.Q, -1.0, 1.0}, {hidden_setup("sigmoid", 0.5, net.Q, 0, 0, {})},
                        RandomStream(5, "extremes"));
        const std::vector<ScLayerShape> shapes{{net.n0, net.m, false}, {net.m, net.k, false}};
        engine.prepare(shapes, L);
        const ScLayerView view{net.n0, net.m, net.w1.data(), nullptr, nullptr};
        auto ws = engine.make_workspace();
        std::vector<double> sums(net.m);
        std::vector<std::uint8_t> levels(net.m, 99);
        engine.run_layer(view, 0, net.x, RandomStream(6, "layer"), sums, levels, *ws, nullptr);
        bool ok = true;
        for (std::size_t i = 0; i < net.m; ++i) ok = ok && levels[i] == (i % 2 == 0 ? net.Q - 1 : (net.Q - 1) / 2);
        BOOST_TEST(ok, adder_id << "/" << act_id << " L=" << L << " levels " << int(levels[0]) << "," << int(levels[1]));
      }
}

BOOST_AUTO_TEST_CASE(the_largest_fan_in_with_a_bias_saturates_exactly) {
  // 4096 inputs and a bias (fan-in 4097, the bias input the constant +1): all products +1 gives
  // s = 4097 and all -1 gives -4097, in bit (bank and fresh), binomial and expected modes.
  auto device = test::make_plugin<BitSource>("device.bernoulli");
  auto multiplier = test::make_plugin<Multiplier>("sc.xnor");
  auto adder = test::make_plugin<Adder>("sc.parallel_counter");
  const std::size_t n = 4096;
  const int Q = 5;
  std::vector<std::uint8_t> x(n), w(2 * n), bias{std::uint8_t(Q - 1), 0};
  for (std::size_t j = 0; j < n; ++j) {
    x[j] = j % 3 ? std::uint8_t(Q - 1) : 0;
    w[j] = x[j];                                  // neuron 0: w = x, every product +1
    w[n + j] = std::uint8_t(Q - 1 - x[j]);        // neuron 1: w = -x, every product -1
  }
  for (ScMode mode : {ScMode::bit, ScMode::binomial, ScMode::expected})
    for (StreamPolicy policy : {StreamPolicy::bank, StreamPolicy::fresh})
      for (std::size_t L : {std::size_t(64), std::size_t(256), std::size_t(300)}) {
        ScEngine engine(engine_settings(mode, policy, L), {multiplier.get(), adder.get(), {}, device.get()},
                        LevelGrid{Q, -1.0, 1.0}, {}, RandomStream(7, "extremes"));
        const std::vector<ScLayerShape> shapes{{n, 2, true}};
        engine.prepare(shapes, L);
        const ScLayerView view{n, 2, w.data(), bias.data(), nullptr};
        const auto out = engine.output_sums(std::span(&view, 1), x.data(), 1, 0);
        BOOST_TEST((out[0] == 4097.0 && out[1] == -4097.0),
                   to_string(mode) << "/" << to_string(policy) << " L=" << L << ": " << out[0] << ", " << out[1]);
      }
}
