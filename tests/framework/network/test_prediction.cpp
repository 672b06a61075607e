// Requirement: the predicted class is the argmax of the output layer's sums, not of its float32
// sigmoid, which rounds every sum above about 16.6 to exactly 1.0 and would tie two saturated
// classes (the argmax then picks the lower index). The SC evaluation goes through the same
// forward pass and prediction (its provider's sums are the output pre-activation).
#define BOOST_TEST_MODULE network_prediction
#include <boost/test/unit_test.hpp>

#include "spinsc/evaluation.hpp"

using namespace spinsc;

namespace {
// One image of n pixels at full scale (x = 1 after normalization), label 1.
Dataset one_bright_image(int n) {
  Dataset d;
  d.name = "saturated";
  d.rows = 1;
  d.cols = n;
  d.n_classes = 2;
  d.max_value = 255;
  d.images = ImageMatrix::Constant(1, n, 255);
  d.labels = {1};
  return d;
}
}  // namespace

BOOST_AUTO_TEST_CASE(two_saturated_sigmoid_outputs_are_ranked_by_their_sums) {
  // 40 inputs at 1; class 0 has weights 0.5 (sum 20), class 1 weights 1 (sum 40). Both sums are
  // on the quantizer's grid (Q = 5: -1, -0.5, 0, 0.5, 1), so float and quantized modes agree.
  const int n = 40;
  NetworkSpec spec;
  spec.layers = {n, 2};
  spec.levels = 5;
  spec.output = OutputActivation::sigmoid;
  Mlp network(spec);
  network.weights(0).row(0).setConstant(0.5f);
  network.weights(0).row(1).setConstant(1.0f);
  const Dataset data = one_bright_image(n);
  WorkerPool pool(1);
  for (ForwardMode mode : {ForwardMode::float_precision, ForwardMode::quantized}) {
    // Precondition of the test: the float32 sigmoid does tie the two classes.
    Matrix x;
    const std::uint64_t id = 0;
    data.normalized_batch(std::span(&id, 1), x);
    const std::vector<QuantizedMatrix> qw = network.quantize_weights();
    ForwardOptions fo;
    fo.quantized_weights = &qw;
    ForwardState state;
    network.forward(x, mode, fo, state);
    BOOST_TEST_REQUIRE(state.output(0, 0) == state.output(0, 1), "sigmoid outputs " << state.output(0, 0) << ", "
                                                                                     << state.output(0, 1));
    BOOST_TEST(state.output_preactivation(0, 0) == 20.0f);
    BOOST_TEST(state.output_preactivation(0, 1) == 40.0f);
    EvaluationOptions options;
    options.mode = mode;
    const EvaluationResult result = evaluate(network, data, options, pool);
    BOOST_TEST(result.predictions.at(0) == 1);
    BOOST_TEST(result.n_correct == 1u);
  }
}
