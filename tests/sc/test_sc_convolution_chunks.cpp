// A convolutional network's SC forward pass does not depend on how its samples are chunked: every
// row (sample and output position) draws from its own substream, keyed by the sample id and the
// position, so a batch of 6 and the same samples as batches of 4 and 2 give the same bits, in bit
// mode with fresh streams and with a bank.
#define BOOST_TEST_MODULE sc_convolution_chunks
#include <boost/test/unit_test.hpp>

#include "sc/sc_test_util.hpp"
#include "spinsc/params.hpp"
#include "spinsc/sc_network.hpp"

using namespace spinsc;

BOOST_AUTO_TEST_CASE(chunking_does_not_change_the_sc_outputs) {
  NetworkSpec spec;
  spec.topology = parse_network_topology(split_list("1x7x7, conv3x3x3:stride2:pad1, pool2, conv2x2x2:pad1, 4"), "network.layers");
  spec.layers = spec.topology.widths();
  spec.levels = 5;
  spec.bias = true;
  Mlp net(spec);
  RandomStream rng(8, "chunks-test");
  for (std::size_t l = 0; l < net.n_layers(); ++l)
    for (Eigen::Index i = 0; i < net.weights(l).size(); ++i) net.weights(l).data()[i] = float(2 * rng.uniform() - 1);
  Matrix x(6, 49);
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = float(rng.uniform());
  const std::vector<std::uint64_t> ids{40, 41, 42, 43, 44, 45};
  const auto qw = net.quantize_weights();

  auto device = test::make_plugin<BitSource>("device.bernoulli");
  auto xnor = test::make_plugin<Multiplier>("sc.xnor");
  auto counter = test::make_plugin<Adder>("sc.parallel_counter");
  auto lut1 = test::make_plugin<Activation>("sc.lut_sigmoid");
  auto lut2 = test::make_plugin<Activation>("sc.lut_sigmoid");
  for (StreamPolicy policy : {StreamPolicy::fresh, StreamPolicy::bank}) {
    ScSettings settings;
    settings.policy = policy;
    const auto engine = make_sc_engine(spec, settings, ScUnits{xnor.get(), counter.get(), {lut1.get(), lut2.get()}, device.get()},
                                       RandomStream(9, "engine"));
    engine->prepare(provider_shapes_of(spec), 48);
    const ScPreactivationProvider provider(*engine, {lut1.get(), lut2.get()});
    const RandomStream stream(10, "chunks-forward");
    auto forward = [&](Eigen::Index first, Eigen::Index count) {
      ForwardOptions options;
      options.quantized_weights = &qw;
      options.provider = &provider;
      options.stream = &stream;
      options.sample_ids = std::span<const std::uint64_t>(ids).subspan(std::size_t(first), std::size_t(count));
      ForwardState state;
      net.forward(x.middleRows(first, count), ForwardMode::quantized, options, state);
      return state;
    };
    const ForwardState whole = forward(0, 6), head = forward(0, 4), tail = forward(4, 2);
    for (std::size_t l = 0; l < net.n_layers(); ++l) {
      BOOST_TEST((whole.activations[l].topRows(4) - head.activations[l]).cwiseAbs().maxCoeff() == 0.0f, l);
      BOOST_TEST((whole.activations[l].bottomRows(2) - tail.activations[l]).cwiseAbs().maxCoeff() == 0.0f, l);
    }
    // The SC outputs are not the exact ones (the test would pass trivially without noise).
    ForwardOptions exact_options;
    exact_options.quantized_weights = &qw;
    ForwardState exact;
    net.forward(x, ForwardMode::quantized, exact_options, exact);
    BOOST_TEST((whole.activations[0] - exact.activations[0]).cwiseAbs().maxCoeff() > 0.0f);
  }
}
