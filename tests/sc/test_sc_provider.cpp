// Requirement (issue 4): the SC engine behind the network's PreactivationProvider hook: expected
// mode reproduces the exact quantized product; results do not depend on how samples are chunked;
// FSM activations write quantized activated outputs; an experiment with train.qat_sc and the SC
// evaluation runs end to end through the CLI.
#define BOOST_TEST_MODULE sc_provider
#include <boost/test/unit_test.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "sc/sc_test_util.hpp"
#include "spinsc/sc_network.hpp"

using namespace spinsc;

namespace {
struct ProviderFixture {
  NetworkSpec spec;
  std::unique_ptr<BitSource> device = test::make_plugin<BitSource>("device.bernoulli");
  std::unique_ptr<Multiplier> xnor = test::make_plugin<Multiplier>("sc.xnor");
  std::unique_ptr<Adder> counter = test::make_plugin<Adder>("sc.parallel_counter");
  std::vector<std::unique_ptr<Activation>> acts;
  std::unique_ptr<ScEngine> engine;
  std::vector<Activation*> act_ptrs;
  QuantizedMatrix x, w;
  Quantizer quantizer{5};

  ProviderFixture(ScMode mode, const std::string& activation, std::size_t L,
                  StreamPolicy policy = StreamPolicy::bank) {
    spec.layers = {20, 12, 4};
    spec.levels = 5;
    spec.bias = true;
    acts.push_back(test::make_plugin<Activation>(activation));
    act_ptrs.push_back(acts.back().get());
    ScSettings s;
    s.mode = mode;
    s.policy = policy;
    engine = make_sc_engine(spec, s, ScUnits{xnor.get(), counter.get(), act_ptrs, device.get()}, RandomStream(2, "p"));
    const auto shapes = provider_shapes_of(spec);
    engine->prepare(shapes, L);
    RandomStream rng(4, "provider-test");
    Matrix xf(16, 21), wf(12, 21);
    for (Eigen::Index i = 0; i < xf.size(); ++i) xf.data()[i] = float(rng.uniform());
    for (Eigen::Index i = 0; i < wf.size(); ++i) wf.data()[i] = float(2 * rng.uniform() - 1);
    xf.col(20).setOnes();  // the bias input
    quantize_matrix(quantizer, xf, x);
    quantize_matrix(quantizer, wf, w);
  }
  PreactivationRequest request(std::span<const std::uint64_t> ids, const QuantizedMatrix* inputs) const {
    PreactivationRequest r;
    r.layer = 0;
    r.n_layers = 2;
    r.inputs = inputs;
    r.weights = &w;
    r.quantizer = &quantizer;
    r.sample_ids = ids;
    r.has_bias = true;
    return r;
  }
};
}  // namespace

BOOST_AUTO_TEST_CASE(expected_mode_equals_the_exact_product) {
  ProviderFixture f(ScMode::expected, "sc.lut_sigmoid", 100);
  ScPreactivationProvider provider(*f.engine, f.act_ptrs);
  std::vector<std::uint64_t> ids(16);
  for (std::size_t i = 0; i < 16; ++i) ids[i] = i;
  Matrix sc(16, 12), exact(16, 12);
  const RandomStream stream(1, "layer0");
  provider.compute(f.request(ids, &f.x), sc, stream);
  ExactPreactivation().compute(f.request(ids, &f.x), exact, stream);
  BOOST_TEST((sc - exact).cwiseAbs().maxCoeff() <= 1e-5f);
  BOOST_TEST(!provider.computes_activation(0));
}

BOOST_AUTO_TEST_CASE(gaussian_mode_has_the_binomial_mean_and_variance) {
  // Oracle (physics.md, XNOR + exact counter): for independent streams the layer sum
  // s = n - 2D/L has mean sum_j x_j w_j and variance (n - sum_j (x_j w_j)^2) / L. Both the
  // binomial mode (exact in distribution for independent weight streams) and the gaussian mode (its normal approximation) must
  // reproduce them; tolerances are 4 standard errors over N samples (mean: sigma/sqrt(N);
  // variance: sigma^2 sqrt(2/(N-1)); D's rounding adds (2/L)^2/12, far below both).
  const std::size_t L = 100, N = 4000;
  ProviderFixture f(ScMode::binomial, "sc.lut_sigmoid", L);
  ScPreactivationProvider binomial(*f.engine, f.act_ptrs);
  ScGaussianPreactivation gaussian(L);
  QuantizedMatrix many;  // sample row 3 of the fixture, N times under distinct sample ids
  const Matrix rows = f.x.values.row(3).replicate(Eigen::Index(N), 1);
  quantize_matrix(f.quantizer, rows, many);
  std::vector<std::uint64_t> ids(N);
  for (std::size_t i = 0; i < N; ++i) ids[i] = 1000 + i;
  const double n = double(f.x.cols());
  const RandomStream stream(5, "gaussian-vs-binomial");
  for (const PreactivationProvider* provider : {static_cast<const PreactivationProvider*>(&binomial),
                                                static_cast<const PreactivationProvider*>(&gaussian)}) {
    Matrix out(Eigen::Index(N), f.w.rows());
    provider->compute(f.request(ids, &many), out, stream);
    for (Eigen::Index o = 0; o < f.w.rows(); ++o) {
      const Eigen::ArrayXd xw = (many.values.row(0).cast<double>().array() * f.w.values.row(o).cast<double>().array());
      const double mean = xw.sum(), variance = (n - xw.square().sum()) / double(L);
      const Eigen::ArrayXd col = out.col(o).cast<double>().array();
      const double m = col.mean(), v = (col - m).square().sum() / double(N - 1);
      BOOST_TEST(std::abs(m - mean) <= 4.0 * std::sqrt(variance / double(N)), "neuron " << o << ": mean " << m << " vs " << mean);
      BOOST_TEST(std::abs(v - variance) <= 4.0 * variance * std::sqrt(2.0 / double(N - 1)),
                 "neuron " << o << ": variance " << v << " vs " << variance);
    }
  }
}

BOOST_AUTO_TEST_CASE(every_mode_shares_each_input_stream_across_neurons) {
  // Oracle: in hardware (and in the bit-mode engine) input j's stream feeds every neuron of the
  // layer, so the error of its mean is common to them: Cov(s_o, s_p) = sum_j w_oj w_pj (1 - x_j^2)/L
  // for o != p (zero for independent per-neuron draws). Tolerance 4 SE of a sample covariance,
  // SE = sqrt((var_o var_p + cov^2) / N); the pair tested has an oracle covariance above 8 SE, so
  // a mode with independent neurons fails. Checked for the gaussian and binomial modes and for
  // bit mode with fresh streams (the reference), and bit against binomial directly: the SE of the
  // difference of two independent sample covariances is sqrt(2) SE.
  const std::size_t L = 100, N = 4000;
  ProviderFixture binomial_f(ScMode::binomial, "sc.lut_sigmoid", L);
  ProviderFixture bit_f(ScMode::bit, "sc.lut_sigmoid", L, StreamPolicy::fresh);
  const ProviderFixture& f = binomial_f;  // same weights and inputs in both (same seeds)
  BOOST_TEST_REQUIRE((bit_f.w.levels.array() == f.w.levels.array()).all());
  ScGaussianPreactivation gaussian(L);
  ScPreactivationProvider binomial(*binomial_f.engine, binomial_f.act_ptrs), bit(*bit_f.engine, bit_f.act_ptrs);
  QuantizedMatrix many;
  quantize_matrix(f.quantizer, f.x.values.row(3).replicate(Eigen::Index(N), 1), many);
  std::vector<std::uint64_t> ids(N);
  for (std::size_t i = 0; i < N; ++i) ids[i] = 5000 + i;
  const Eigen::ArrayXd x = many.values.row(0).cast<double>().array();
  const double n = double(x.size());
  auto oracle_cov = [&](Eigen::Index o, Eigen::Index p) {
    const Eigen::ArrayXd wo = f.w.values.row(o).cast<double>().array(), wp = f.w.values.row(p).cast<double>().array();
    return o == p ? (n - (x * wo).square().sum()) / double(L) : (wo * wp * (1.0 - x.square())).sum() / double(L);
  };
  Eigen::Index best_o = 0, best_p = 1;
  for (Eigen::Index o = 0; o < f.w.rows(); ++o)
    for (Eigen::Index p = o + 1; p < f.w.rows(); ++p)
      if (std::abs(oracle_cov(o, p)) > std::abs(oracle_cov(best_o, best_p))) best_o = o, best_p = p;
  const double c = oracle_cov(best_o, best_p), vo = oracle_cov(best_o, best_o), vp = oracle_cov(best_p, best_p);
  const double se = std::sqrt((vo * vp + c * c) / double(N));
  BOOST_TEST_REQUIRE(std::abs(c) > 8.0 * se, "the fixture must have a detectable covariance");
  const std::pair<const char*, const PreactivationProvider*> providers[] = {
      {"gaussian", &gaussian}, {"binomial", &binomial}, {"bit", &bit}};
  std::vector<double> measured;
  for (const auto& [name, provider] : providers) {
    Matrix out(Eigen::Index(N), f.w.rows());
    provider->compute(f.request(ids, &many), out, RandomStream(6, "mode-covariance"));
    const Eigen::ArrayXd a = out.col(best_o).cast<double>().array(), b = out.col(best_p).cast<double>().array();
    measured.push_back(((a - a.mean()) * (b - b.mean())).sum() / double(N - 1));
    BOOST_TEST(std::abs(measured.back() - c) <= 4.0 * se,
               name << ": covariance " << measured.back() << " vs oracle " << c << " (SE " << se << ")");
  }
  BOOST_TEST(std::abs(measured[2] - measured[1]) <= 4.0 * std::sqrt(2.0) * se,
             "bit " << measured[2] << " vs binomial " << measured[1] << " (SE of the difference " << std::sqrt(2.0) * se << ")");
}

BOOST_AUTO_TEST_CASE(delivered_level_values_measure_what_the_device_delivers) {
  // Oracles: device.bernoulli delivers the grid exactly. The s-MTJ telegraph (physics.md, defaults
  // Delta = 3, V_c = 1.5 V, bias range +-1 V) reaches P(AP) = 1/(1 + e^(2 Delta / 1.5)) = 1.80 % at
  // the end of its range, so the levels -1 and +1 come out as -+0.9640; the inner levels are
  // reachable and exact. Tolerance 4 SE of 2 p_hat - 1 over 64 x 4096 bits, with the telegraph's
  // variance inflated by (1 + rho)/(1 - rho) at its largest lag-1 correlation rho = e^(-T/tau_c(0 V)) = e^-1.
  const std::size_t devices = 64, bits = 4096;
  const Quantizer q(5);
  const double end = 1.0 / (1.0 + std::exp(2.0 * 3.0 / 1.5));
  for (const std::string id : {"device.bernoulli", "device.smtj_telegraph"}) {
    std::unique_ptr<BitSource> device = test::make_plugin<BitSource>(id);
    const std::vector<double> values = delivered_level_values(*device, q, devices, bits, RandomStream(8, "levels"));
    BOOST_TEST_REQUIRE(values.size() == 5u);
    const bool telegraph = id == "device.smtj_telegraph";
    const double rho = std::exp(-1.0), inflation = telegraph ? (1.0 + rho) / (1.0 - rho) : 1.0;
    for (int k = 0; k < 5; ++k) {
      double p = (q.value(k) + 1.0) / 2.0;
      if (telegraph) p = std::clamp(p, end, 1.0 - end);
      const double se = 2.0 * std::sqrt(std::max(p * (1.0 - p), 1e-12) * inflation / double(devices * bits));
      BOOST_TEST(std::abs(values[std::size_t(k)] - (2.0 * p - 1.0)) <= 4.0 * se + 1e-12,
                 id << " level " << k << ": " << values[std::size_t(k)] << " vs " << 2.0 * p - 1.0);
    }
  }
}

BOOST_AUTO_TEST_CASE(gaussian_mode_refuses_units_it_does_not_model) {
  std::unique_ptr<Multiplier> and_gate = test::make_plugin<Multiplier>("sc.and");
  std::unique_ptr<Adder> counter = test::make_plugin<Adder>("sc.parallel_counter");
  std::unique_ptr<Activation> lut = test::make_plugin<Activation>("sc.lut_sigmoid");
  BOOST_CHECK_EXCEPTION(ScGaussianPreactivation::require_units(*and_gate, *counter, {lut.get()}, "sc.and, sc.parallel_counter"),
                        ParamError, [](const ParamError& e) { return std::string(e.what()).find("sc.and") != std::string::npos; });
  std::unique_ptr<Multiplier> xnor = test::make_plugin<Multiplier>("sc.xnor");
  BOOST_CHECK_NO_THROW(ScGaussianPreactivation::require_units(*xnor, *counter, {lut.get()}, "sc.xnor"));
}

BOOST_AUTO_TEST_CASE(bit_mode_does_not_depend_on_chunking) {
  ProviderFixture f(ScMode::bit, "sc.lut_sigmoid", 200);
  ScPreactivationProvider provider(*f.engine, f.act_ptrs);
  std::vector<std::uint64_t> ids(16);
  for (std::size_t i = 0; i < 16; ++i) ids[i] = 1000 + i;
  const RandomStream stream(1, "layer0");
  Matrix whole(16, 12);
  provider.compute(f.request(ids, &f.x), whole, stream);
  for (int half = 0; half < 2; ++half) {
    QuantizedMatrix part{f.x.values.middleRows(8 * half, 8), f.x.levels.middleRows(8 * half, 8)};
    Matrix out(8, 12);
    provider.compute(f.request(std::span(ids).subspan(8 * half, 8), &part), out, stream);
    BOOST_TEST((out - whole.middleRows(8 * half, 8)).cwiseAbs().maxCoeff() == 0.0f);
  }
  // SC noise is real: the bit-mode sums differ from the exact ones somewhere.
  Matrix exact(16, 12);
  ExactPreactivation().compute(f.request(ids, &f.x), exact, stream);
  BOOST_TEST((whole - exact).cwiseAbs().maxCoeff() > 0.0f);
}

BOOST_AUTO_TEST_CASE(fsm_activation_writes_quantized_outputs) {
  ProviderFixture f(ScMode::bit, "sc.fsm_sigmoid", 256);
  ScPreactivationProvider provider(*f.engine, f.act_ptrs);
  BOOST_TEST(provider.computes_activation(0));
  std::vector<std::uint64_t> ids(16);
  for (std::size_t i = 0; i < 16; ++i) ids[i] = i;
  Matrix out(16, 12);
  provider.compute(f.request(ids, &f.x), out, RandomStream(1, "layer0"));
  bool on_grid = true;
  for (Eigen::Index i = 0; i < out.size(); ++i) {
    const float v = out.data()[i];
    on_grid = on_grid && v >= 0.0f && v <= 1.0f && std::abs(v - float(f.quantizer.quantize(v))) < 1e-6f;
  }
  BOOST_TEST(on_grid);  // sigmoid outputs on the Q = 5 grid: 0, 0.5 or 1
}

BOOST_AUTO_TEST_CASE(train_qat_sc_and_sc_evaluation_run_end_to_end) {
  const auto dir = std::filesystem::temp_directory_path() / ("spinsc_sc_e2e_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto ini = dir / "e2e.ini";
  std::ofstream(ini) << "name = sc_e2e\nseed = 3\ntask = network\n"
                        "[data]\ntrain_size = 600\ntest_size = 100\n"
                        "[network]\nlayers = 784,16,10\nlevels = 5\n"
                        "[train]\nstrategy = train.qat_sc\nepochs = 1\nbatch_size = 32\n"
                        "[train.qat_sc]\nlength = 64\nmode = bit\n"
                        "[eval]\nlengths = 64,128\nsc_policies = bank:4,window\n"
                        "[device.bernoulli]\nenergy_per_bit_J = 20e-15\n";
  const auto log = dir / "log.txt";
  const std::string cmd = std::string(SPINSC_CLI) + " run " + ini.string() + " -o " + (dir / "r.h5").string() +
                          " > " + log.string() + " 2>&1";
  const int status = std::system(cmd.c_str());
  std::ifstream in(log);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  BOOST_TEST(status == 0, text);
  BOOST_TEST(text.find("train.qat_sc: forward passes with SC, L = 64 bits, mode bit") != std::string::npos);
  BOOST_TEST(text.find("bank K=4) L = 128") != std::string::npos);
  BOOST_TEST(text.find("window) L = 64") != std::string::npos);
  // A bad policy list is an error naming the key.
  const std::string bad = std::string(SPINSC_CLI) + " run " + ini.string() + " -o " + (dir / "bad.h5").string() +
                          " --eval.sc_policies=bank:x > " + log.string() + " 2>&1";
  BOOST_TEST(std::system(bad.c_str()) != 0);
  std::ifstream in2(log);
  const std::string text2((std::istreambuf_iterator<char>(in2)), std::istreambuf_iterator<char>());
  BOOST_TEST(text2.find("eval.sc_policies") != std::string::npos, text2);
  std::filesystem::remove_all(dir);
}
