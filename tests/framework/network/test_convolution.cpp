// Convolution and pooling layers of the network: the `layers` syntax (shapes, and errors that name
// the item), the forward pass against a direct loop over positions, kernels and channels (float
// and quantized, with zero padding, stride, average and max pooling, a convolution after a
// convolution), the backward pass against finite differences, and the row form an SC provider
// sees (the exact provider gives the network's own sums).
#define BOOST_TEST_MODULE network_convolution
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "framework/network/network_test_support.hpp"
#include "spinsc/loss.hpp"
#include "spinsc/mlp.hpp"
#include "spinsc/params.hpp"
#include "spinsc/random.hpp"

using namespace spinsc;

namespace spinsc {
std::ostream& operator<<(std::ostream& out, const FeatureShape& s) {
  return out << s.channels << "x" << s.height << "x" << s.width;
}
}  // namespace spinsc

namespace {

std::vector<std::string> items_of(const std::string& text) { return split_list(text); }

NetworkSpec spec_of(const std::string& layers, bool bias, std::vector<double> gains = {1.0}) {
  NetworkSpec spec;
  spec.topology = parse_network_topology(items_of(layers), "network.layers");
  spec.layers = spec.topology.widths();
  spec.bias = bias;
  spec.activation_gain = std::move(gains);
  return spec;
}

Mlp random_network(NetworkSpec spec, std::uint64_t seed) { return test::random_network(std::move(spec), seed, "convolution-test"); }
Matrix random_inputs(int rows, int cols, std::uint64_t seed) { return test::random_inputs(rows, cols, seed, "convolution-inputs"); }

// A map of one sample, HWC: element (y, x, c).
struct Map {
  FeatureShape shape;
  std::vector<double> v;
  double at(int y, int x, int c) const {
    if (y < 0 || y >= shape.height || x < 0 || x >= shape.width) return 0.0;  // zero padding
    return v[std::size_t((y * shape.width + x) * shape.channels + c)];
  }
};

// The pre-activation map of a convolution layer by the textbook loop, then its pooling, as the
// layer defines it: average pooling sums the window's N² kernel sums and adds the bias once (the
// gain then divides by N²: the mean, with the bias scaled by 1/N²); max pooling takes the largest
// biased sum.
Map direct_convolution(const WeightLayer& g, const Matrix& w, bool bias, const Map& in) {
  Map conv{g.conv_out, std::vector<double>(std::size_t(g.conv_out.size()))};
  for (int y = 0; y < g.conv_out.height; ++y)
    for (int x = 0; x < g.conv_out.width; ++x)
      for (int o = 0; o < g.outputs; ++o) {
        double sum = 0.0;
        for (int ky = 0; ky < g.kernel; ++ky)
          for (int kx = 0; kx < g.kernel; ++kx)
            for (int c = 0; c < g.in.channels; ++c)
              sum += double(w(o, (ky * g.kernel + kx) * g.in.channels + c)) *
                     in.at(y * g.stride - g.pad + ky, x * g.stride - g.pad + kx, c);
        conv.v[std::size_t((y * g.conv_out.width + x) * g.outputs + o)] = sum;
      }
  auto bias_of = [&](int o) { return bias ? double(w(o, w.cols() - 1)) : 0.0; };
  if (g.pool == PoolKind::none) {
    for (std::size_t i = 0; i < conv.v.size(); ++i) conv.v[i] += bias_of(int(i % std::size_t(g.outputs)));
    return conv;
  }
  Map pooled{g.out, std::vector<double>(std::size_t(g.out.size()))};
  const int n = g.pool_size;
  for (int y = 0; y < g.out.height; ++y)
    for (int x = 0; x < g.out.width; ++x)
      for (int o = 0; o < g.outputs; ++o) {
        double sum = 0.0, max = -1e300;
        for (int wy = 0; wy < n; ++wy)
          for (int wx = 0; wx < n; ++wx) {
            const double v = conv.at(y * n + wy, x * n + wx, o);
            sum += v;
            max = std::max(max, v);
          }
        pooled.v[std::size_t((y * g.out.width + x) * g.outputs + o)] = (g.pool == PoolKind::max ? max : sum) + bias_of(o);
      }
  return pooled;
}

const char* const kNetworks[] = {
    "2x7x7, conv3x3x3:stride2:pad1, pool2, 4",  // stride, padding, average pooling, two channels in
    "1x6x6, conv2x3x3, maxpool2, 3",            // max pooling
    "1x5x5, conv2x3x3:pad1, conv3x2x2, 3",      // a convolution after a convolution, no pooling
    "1x8x8, conv2x3x3, pool4, 3",               // a pooling that leaves a remainder row and column
};

}  // namespace

BOOST_AUTO_TEST_CASE(lenet5_layers_have_the_shapes_of_lenet5) {
  const NetworkTopology t = parse_network_topology(
      items_of("28x28, conv6x5x5:pad2, pool2, conv16x5x5, pool2, flatten, 120, 84, 10"), "network.layers");
  BOOST_TEST(t.widths() == (std::vector<int>{784, 6 * 14 * 14, 16 * 5 * 5, 120, 84, 10}), boost::test_tools::per_element());
  BOOST_TEST(t.layers.size() == 5u);
  BOOST_TEST(t.layers[0].synapses() == 25);
  BOOST_TEST(t.layers[0].conv_out == (FeatureShape{6, 28, 28}));
  BOOST_TEST(t.layers[0].rows_per_sample() == 14 * 14);
  BOOST_TEST(t.layers[0].row_synapses() == 4 * 25);
  BOOST_TEST(t.layers[1].in == (FeatureShape{6, 14, 14}));
  BOOST_TEST(t.layers[1].synapses() == 150);
  BOOST_TEST(t.layers[1].conv_out == (FeatureShape{16, 10, 10}));
  BOOST_TEST(t.layers[2].synapses() == 400);
  BOOST_TEST(!t.layers[2].convolution);
  BOOST_TEST(t.text() == "1x28x28, conv6x5x5:pad2, pool2, conv16x5x5, pool2, 120, 84, 10");
  // A width before a convolution is a square one-channel image; an MLP keeps its widths.
  BOOST_TEST(parse_network_topology(items_of("784, conv4x3x3, 10"), "k").input == (FeatureShape{1, 28, 28}));
  BOOST_TEST(parse_network_topology(items_of("784, 128, 10"), "k").text() == "784, 128, 10");
  BOOST_TEST(!parse_network_topology(items_of("784, 128, 10"), "k").convolutional());
  const NetworkTopology s = parse_network_topology(items_of("3x9x9, conv4x3x3:stride2:pad1, maxpool2, 10"), "k");
  BOOST_TEST(s.layers[0].conv_out == (FeatureShape{4, 5, 5}));
  BOOST_TEST(s.layers[0].out == (FeatureShape{4, 2, 2}));
  BOOST_TEST(s.layers[0].rows_per_sample() == 16);
  BOOST_TEST(s.text() == "3x9x9, conv4x3x3:stride2:pad1, maxpool2, 10");
}

BOOST_AUTO_TEST_CASE(bad_layers_are_refused_naming_key_and_item) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"28x28, conv6x5x3, 10", "item 'conv6x5x3' has a kernel that is not square"},
      {"28x28, conv6x5, 10", "item 'conv6x5' is not a convolution"},
      {"28x28, 100, pool2, 10", "item 'pool2' can only follow a convolution"},
      {"28x28, 100, conv6x5x5, 10", "item 'conv6x5x5' follows a dense layer"},
      {"28x28, conv6x5x5", "item 'conv6x5x5' ends the network"},
      {"28x28, conv6x5x5:pad9, 10", "pads by as much as its kernel"},
      {"28x28, conv6x5x5:padding2, 10", "item 'conv6x5x5:padding2' has option 'padding2' without a valid number"},
      {"28x28, conv6x5x5:dilate2, 10", "unknown option 'dilate2'"},
      {"4x4, conv2x5x5, 10", "kernel larger than its 4x4 input"},
      {"28x28, conv6x5x5, pool2, pool2, 10", "follows a pooling"},
      {"28x28, conv6x5x5, pool1, 10", "pools over 1 x 1 windows"},
      {"28x28, conv6x5x5, pool30, 10", "pools over 30x30 windows of a 24x24 map"},
      {"28x28, conv6x5x5, sixteen, 10", "item 'sixteen' is not a layer"},
      {"783, conv6x5x5, 10", "item '783' is not a square image"},
      {"28x28x1x1, 10", "item '28x28x1x1' is not an input"},
      {"28x28, flatten, 10", "item 'flatten' can only follow a convolution"},
      {"28x28, 0, 10", "item '0' is not a layer"},
      {"784", "needs at least two items"},
      {"100000x100000x100000, 10", "makes a layer too large: 268435457 input elements"},
      {"1x1, conv1x5000x5000:pad4999, 10", "makes a layer too large"},
      {"784, 1000000, 10", "item '1000000' makes a layer too large: 784000000 weights"},
  };
  for (const auto& [text, expected] : cases) {
    try {
      parse_network_topology(items_of(text), "network.layers");
      BOOST_ERROR("accepted: " << text);
    } catch (const ParamError& e) {
      const std::string what = e.what();
      BOOST_TEST(what.find("'network.layers'") != std::string::npos, what);
      BOOST_TEST(what.find(expected) != std::string::npos, text << " -> " << what);
    }
  }
}

BOOST_AUTO_TEST_CASE(forward_pass_equals_the_direct_loop) {
  for (const char* layers : kNetworks)
    for (bool bias : {false, true})
      for (ForwardMode mode : {ForwardMode::float_precision, ForwardMode::quantized}) {
        Mlp net = random_network(spec_of(layers, bias), 5);
        const int batch = 3, n_in = net.n_inputs();
        const Matrix x = random_inputs(batch, n_in, 6);
        const bool quantized = mode == ForwardMode::quantized;
        const auto qw = net.quantize_weights();
        ForwardOptions options;
        if (quantized) options.quantized_weights = &qw;
        ForwardState state;
        net.forward(x, mode, options, state);
        const Quantizer& q = net.quantizer();
        for (int s = 0; s < batch; ++s) {
          Map map{net.layer(0).in, {}};
          for (int i = 0; i < n_in; ++i) map.v.push_back(quantized ? q.quantize(x(s, i)) : double(x(s, i)));
          for (std::size_t l = 0; l + 1 < net.n_layers(); ++l) {
            const WeightLayer& g = net.layer(l);
            const Matrix& w = quantized ? qw[l].values : net.weights(l);
            Map z;
            if (g.convolution) {
              z = direct_convolution(g, w, bias, map);
            } else {
              z.shape = g.out;
              for (int o = 0; o < g.outputs; ++o) {
                double sum = bias ? double(w(o, w.cols() - 1)) : 0.0;
                for (int i = 0; i < g.synapses(); ++i) sum += double(w(o, i)) * map.v[std::size_t(i)];
                z.v.push_back(sum);
              }
            }
            for (std::size_t i = 0; i < z.v.size(); ++i)
              BOOST_TEST(std::abs(state.preactivations[l](s, Eigen::Index(i)) - z.v[i]) < 2e-5,
                         layers << " layer " << l << " element " << i);
            // The next layer's map from the network's own sums (checked just above), so a level
            // boundary cannot tell float from double: act(z / N²) (gain 1, average pooling's 1/N²).
            map = Map{g.out, {}};
            for (std::size_t i = 0; i < z.v.size(); ++i) {
              const float u = state.preactivations[l](s, Eigen::Index(i)) / float(g.window());
              const double a = hidden_activation(HiddenActivation::sigmoid, u);
              map.v.push_back(quantized ? q.quantize(a) : a);
            }
          }
          const std::size_t last = net.n_layers() - 1;
          const Matrix& w = quantized ? qw[last].values : net.weights(last);
          for (int o = 0; o < net.n_outputs(); ++o) {
            double sum = bias ? double(w(o, w.cols() - 1)) : 0.0;
            for (int i = 0; i < net.layer(last).synapses(); ++i) sum += double(w(o, i)) * map.v[std::size_t(i)];
            BOOST_TEST(std::abs(state.preactivations[last](s, o) - sum) < 2e-5, layers << " output " << o);
          }
        }
      }
}

BOOST_AUTO_TEST_CASE(gradients_match_finite_differences) {
  const std::vector<int> labels{0, 2, 1};
  for (const char* layers : kNetworks)
    for (bool bias : {false, true})
      for (const std::string loss : {"mse", "cross_entropy"}) {
        NetworkSpec spec = spec_of(layers, bias);
        spec.activation_gain.assign(spec.layers.size() - 1, 1.1);
        spec.output = loss == "mse" ? OutputActivation::sigmoid : OutputActivation::softmax;
        Mlp net = random_network(spec, 7);
        const Matrix x = random_inputs(3, net.n_inputs(), 8);
        const std::vector<Matrix> grads = test::float_gradients(net, x, labels, loss);
        // Central differences in float32 with step h: rounding ~1e-7 / h, truncation ~h² times the
        // third derivative. h = 1e-2 puts both near 1e-4. Max pooling is not differentiable where
        // two sums of a window tie: its step is 1e-3, so that the perturbation (at most
        // 1e-3 per input of [0, 1]) does not carry a sum past a rival (the seed's windows have no
        // rivals that close).
        const float h = std::string(layers).find("maxpool") != std::string::npos ? 1e-3f : 1e-2f;
        for (std::size_t l = 0; l < net.n_layers(); ++l)
          for (Eigen::Index i = 0; i < net.weights(l).size(); ++i) {
            const double fd = test::central_difference(net, l, i, h, x, labels, loss);
            const double analytic = grads[l].data()[i];
            BOOST_TEST(std::abs(analytic - fd) <= 2e-3 + 1e-2 * std::abs(fd),
                       layers << " bias " << bias << " " << loss << " layer " << l << " weight " << i << ": analytic "
                              << analytic << " fd " << fd);
          }
      }
}

BOOST_AUTO_TEST_CASE(the_exact_provider_sees_rows_and_gives_the_networks_sums) {
  // A provider gets one row per sample and output position (and the kernel repeated N² times with
  // average pooling); ExactPreactivation's product of those rows must be the layer's sums.
  for (const char* layers : {kNetworks[0], kNetworks[2], kNetworks[3]})
    for (bool bias : {false, true}) {
      Mlp net = random_network(spec_of(layers, bias), 9);
      const Matrix x = random_inputs(4, net.n_inputs(), 10);
      const auto qw = net.quantize_weights();
      ForwardOptions plain;
      plain.quantized_weights = &qw;
      ForwardState expected, provided;
      net.forward(x, ForwardMode::quantized, plain, expected);
      const ExactPreactivation exact;
      ForwardOptions with_provider = plain;
      with_provider.provider = &exact;
      const std::vector<std::uint64_t> ids{11, 12, 13, 14};
      with_provider.sample_ids = ids;
      net.forward(x, ForwardMode::quantized, with_provider, provided);
      for (std::size_t l = 0; l < net.n_layers(); ++l)
        BOOST_TEST((expected.activations[l] - provided.activations[l]).cwiseAbs().maxCoeff() == 0.0f, layers << " " << l);
      BOOST_TEST((expected.output - provided.output).cwiseAbs().maxCoeff() == 0.0f);
    }
}

BOOST_AUTO_TEST_CASE(max_pooling_refuses_a_provider) {
  Mlp net = random_network(spec_of(kNetworks[1], false), 3);
  const Matrix x = random_inputs(2, net.n_inputs(), 4);
  const auto qw = net.quantize_weights();
  const ExactPreactivation exact;
  ForwardOptions options;
  options.quantized_weights = &qw;
  options.provider = &exact;
  ForwardState state;
  BOOST_CHECK_EXCEPTION(net.forward(x, ForwardMode::quantized, options, state), std::invalid_argument,
                        [](const std::invalid_argument& e) { return std::string(e.what()).find("max pooling") != std::string::npos; });
}

BOOST_AUTO_TEST_CASE(folded_gradient_sums_the_repeated_kernel) {
  // Average pooling: the rows use the kernel N² times; its gradient is the sum of the N² blocks.
  Mlp net = random_network(spec_of("1x4x4, conv2x2x2, pool2, 3", true), 1);
  const Eigen::Index block = 4;
  Matrix row_gradient(2, 4 * block + 1);
  for (Eigen::Index i = 0; i < row_gradient.size(); ++i) row_gradient.data()[i] = float(i);
  const Matrix folded = net.fold_gradient(0, row_gradient);
  BOOST_TEST(folded.cols() == block + 1);
  for (Eigen::Index r = 0; r < 2; ++r) {
    for (Eigen::Index j = 0; j < block; ++j)
      BOOST_TEST(folded(r, j) == row_gradient(r, j) + row_gradient(r, block + j) + row_gradient(r, 2 * block + j) +
                                     row_gradient(r, 3 * block + j));
    BOOST_TEST(folded(r, block) == row_gradient(r, 4 * block));  // the bias, once
  }
}
