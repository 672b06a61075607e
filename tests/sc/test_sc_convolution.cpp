// A convolutional network through the SC engine: every output position of a convolution (with
// zero padding and average pooling in the counters) is estimated without bias by bit-level SC
// with fresh streams, and so is the dense layer that reads the convolution's output map.
//
// Oracle (XNOR products, an exact counter, independent streams): a row of n synapses with
// bipolar values x_j, w_j gives s = (2·ones − n·L)/L with mean Σ x_j w_j and variance
// (n − Σ (x_j w_j)²)/L (each product bit is +-1 with mean x_j w_j). With the unipolar
// excitatory/inhibitory encoding (AND products, two counters) s = (C+ − C−)/L has the same mean
// and variance Σ |x_j w_j| (1 − |x_j w_j|)/L (one Bernoulli(|x_j w_j|) product a synapse and
// clock: one of w+, w− is 0). Over N samples of the same image the mean of each position's
// estimate must lie within 4 standard errors of the exact sum.
#define BOOST_TEST_MODULE sc_convolution
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "sc/sc_test_util.hpp"
#include "spinsc/params.hpp"
#include "spinsc/sc_network.hpp"

using namespace spinsc;

namespace {
void check_convolution_sums(ScEncoding encoding) {
  const bool ei = encoding == ScEncoding::unipolar_ei;
  const std::size_t L = 64, N = 1500;
  NetworkSpec spec;
  spec.topology = parse_network_topology(split_list("1x6x6, conv2x3x3:pad1, pool2, 3"), "network.layers");
  spec.layers = spec.topology.widths();
  spec.levels = 5;
  Mlp net(spec);
  RandomStream rng(3, "sc-convolution-test");
  for (std::size_t l = 0; l < net.n_layers(); ++l)
    for (Eigen::Index i = 0; i < net.weights(l).size(); ++i) net.weights(l).data()[i] = float(2 * rng.uniform() - 1);
  Matrix image(1, 36);
  for (Eigen::Index i = 0; i < image.size(); ++i) image(0, i) = float(rng.uniform());
  const Matrix x = image.replicate(Eigen::Index(N), 1);
  std::vector<std::uint64_t> ids(N);
  for (std::size_t i = 0; i < N; ++i) ids[i] = 100 + i;

  auto device = test::make_plugin<BitSource>("device.bernoulli");
  auto multiplier = test::make_plugin<Multiplier>(ei ? "sc.and" : "sc.xnor");
  auto counter = test::make_plugin<Adder>("sc.parallel_counter");
  auto lut = test::make_plugin<Activation>("sc.lut_sigmoid");
  ScSettings settings;
  settings.policy = StreamPolicy::fresh;
  settings.encoding = encoding;
  const std::unique_ptr<ScEngine> engine =
      make_sc_engine(spec, settings, ScUnits{multiplier.get(), counter.get(), {lut.get()}, device.get()}, RandomStream(5, "e"));
  engine->prepare(provider_shapes_of(spec), L);
  const ScPreactivationProvider provider(*engine, {lut.get()});

  const auto qw = net.quantize_weights();
  ForwardOptions exact_options;
  exact_options.quantized_weights = &qw;
  ForwardState exact, sc;
  net.forward(image, ForwardMode::quantized, exact_options, exact);
  ForwardOptions sc_options = exact_options;
  sc_options.provider = &provider;
  sc_options.sample_ids = ids;
  const RandomStream stream(7, "sc-convolution-forward");
  sc_options.stream = &stream;
  net.forward(x, ForwardMode::quantized, sc_options, sc);

  // The convolution: the network applied act(g z) with g = 1/4 to the provider's sums; the sums
  // are recovered as 4 · logit(act) (act is in (0, 1) for |z| <= n, far from float's limits).
  const WeightLayer& conv = net.layer(0);
  const Eigen::Index positions = conv.out.positions(), channels = conv.outputs;
  const Eigen::Index n = conv.row_synapses();
  const QuantizedMatrix& rows = exact.inputs[0];  // one row per position, the image's receptive fields
  BOOST_TEST(rows.rows() == positions);
  BOOST_TEST(rows.cols() == n);
  const Matrix repeated_w = [&] {
    Matrix w(channels, n);
    for (int c = 0; c < conv.window(); ++c) w.middleCols(c * conv.synapses(), conv.synapses()) = qw[0].values;
    return w;
  }();
  for (Eigen::Index p = 0; p < positions; ++p)
    for (Eigen::Index o = 0; o < channels; ++o) {
      double exact_sum = 0.0, variance_L = 0.0;  // variance of s times L
      for (Eigen::Index j = 0; j < n; ++j) {
        const double xw = double(rows.values(p, j)) * double(repeated_w(o, j));
        exact_sum += xw;
        variance_L += ei ? std::abs(xw) * (1.0 - std::abs(xw)) : 1.0 - xw * xw;
      }
      BOOST_TEST(std::abs(exact.preactivations[0](0, p * channels + o) - exact_sum) < 1e-5);
      double mean = 0.0;
      for (std::size_t s = 0; s < N; ++s) {
        const double a = sc.activations[0](Eigen::Index(s), p * channels + o);
        mean += 4.0 * std::log(a / (1.0 - a)) / double(N);
      }
      const double se = std::sqrt(variance_L / double(L) / double(N));
      BOOST_TEST(std::abs(mean - exact_sum) <= 4.0 * se,
                 "position " << p << " channel " << o << ": SC mean " << mean << ", exact " << exact_sum << ", SE " << se);
    }

  // The dense layer reads the quantized SC outputs of the convolution, which vary by sample: the
  // difference of each sample's SC sum and the exact sum of the same inputs has mean 0; its
  // standard error is taken from the differences themselves.
  const Eigen::Index classes = net.n_outputs();
  for (Eigen::Index o = 0; o < classes; ++o) {
    double mean = 0.0, square = 0.0;
    for (std::size_t s = 0; s < N; ++s) {
      const double d = double(sc.output_preactivation(Eigen::Index(s), o)) - double(sc.preactivations[1](Eigen::Index(s), o));
      mean += d / double(N);
      square += d * d / double(N);
    }
    const double se = std::sqrt((square - mean * mean) / double(N - 1));
    BOOST_TEST(se > 0.0);
    BOOST_TEST(std::abs(mean) <= 4.0 * se, "class " << o << ": mean difference " << mean << ", SE " << se);
  }
}
}  // namespace

BOOST_AUTO_TEST_CASE(sc_convolution_sums_have_the_exact_expected_value) { check_convolution_sums(ScEncoding::bipolar); }

BOOST_AUTO_TEST_CASE(unipolar_ei_convolution_sums_have_the_exact_expected_value) {
  check_convolution_sums(ScEncoding::unipolar_ei);
}
