// Requirement (issue 3, network): back-propagation gives the gradient of the loss (finite
// differences, every loss/output combination, with and without bias, 3 weight layers); in
// quantized mode it is the straight-through estimator; the paper's variant equals the chain
// rule for one hidden layer and differs with more.
#define BOOST_TEST_MODULE network_gradients
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "framework/network/network_test_support.hpp"
#include "spinsc/loss.hpp"
#include "spinsc/mlp.hpp"
#include "spinsc/random.hpp"

using namespace spinsc;

namespace {

using test::random_inputs;
using test::random_network;

}  // namespace

BOOST_AUTO_TEST_CASE(float_gradients_match_finite_differences) {
  const std::vector<int> labels{0, 2, 1, 2, 0};
  for (const std::string loss : {"mse", "cross_entropy"}) {
    for (auto output : {OutputActivation::sigmoid, OutputActivation::softmax, OutputActivation::identity}) {
      for (bool bias : {false, true}) {
        NetworkSpec spec;
        spec.layers = {6, 5, 4, 3};
        spec.output = output;
        spec.bias = bias;
        spec.activation_gain = {0.9, 1.3, 0.7};
        Mlp net = random_network(spec, 11);
        const Matrix x = random_inputs(5, 6, 12);
        const std::vector<Matrix> grads = test::float_gradients(net, x, labels, loss);
        // Central differences in float32: step 1e-2 keeps the rounding error (~1e-7 / 1e-2) and the
        // truncation error (~1e-4 · third derivative) both near 1e-4.
        const float h = 1e-2f;
        for (std::size_t l = 0; l < net.n_layers(); ++l)
          for (Eigen::Index i = 0; i < net.weights(l).size(); ++i) {
            const double fd = test::central_difference(net, l, i, h, x, labels, loss);
            const double analytic = grads[l].data()[i];
            BOOST_TEST(std::abs(analytic - fd) <= 2e-3 + 1e-2 * std::abs(fd),
                       loss << " output " << to_string(output) << " bias " << bias << " layer " << l << " weight " << i
                            << ": analytic " << analytic << " fd " << fd);
          }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(quantized_backward_is_the_straight_through_estimator) {
  NetworkSpec spec;
  spec.layers = {8, 6, 3};
  spec.levels = 5;
  Mlp net = random_network(spec, 21);
  const Matrix x = random_inputs(4, 8, 22);
  const auto qw = net.quantize_weights();
  ForwardOptions options;
  options.quantized_weights = &qw;
  ForwardState state;
  net.forward(x, ForwardMode::quantized, options, state);
  const std::vector<int> labels{1, 0, 2, 1};
  Matrix delta;
  loss_and_output_delta(net.spec(), "mse", state, labels, delta);
  std::vector<Matrix> grads{Matrix::Zero(6, 8), Matrix::Zero(3, 6)};
  net.backward(state, delta, &qw, false, grads);
  // By hand: inputs and hidden outputs are quantized; dW1 = δᵀ h_q; dW0 = ((δ Wq1) ⊙ σ'(z0))ᵀ x_q.
  const Quantizer q(5);
  Matrix xq = x, hq(4, 6);
  for (Eigen::Index i = 0; i < xq.size(); ++i) xq.data()[i] = float(q.quantize(x.data()[i]));
  const Matrix z0 = xq * qw[0].values.transpose();
  for (Eigen::Index i = 0; i < z0.size(); ++i) hq.data()[i] = float(q.quantize(1.0 / (1.0 + std::exp(-z0.data()[i]))));
  BOOST_TEST((state.inputs[1].values - hq).cwiseAbs().maxCoeff() == 0.0f);
  const Matrix dW1 = delta.transpose() * hq;
  Matrix back = delta * qw[1].values;
  for (Eigen::Index i = 0; i < back.size(); ++i) {
    const float s = 1.0f / (1.0f + std::exp(-z0.data()[i]));
    back.data()[i] *= s * (1 - s);
  }
  const Matrix dW0 = back.transpose() * xq;
  BOOST_TEST((grads[1] - dW1).cwiseAbs().maxCoeff() < 1e-5f);
  BOOST_TEST((grads[0] - dW0).cwiseAbs().maxCoeff() < 1e-5f);
}

BOOST_AUTO_TEST_CASE(paper_variant_equals_chain_rule_for_one_hidden_layer_only) {
  for (const std::vector<int>& layers : {std::vector<int>{6, 5, 3}, std::vector<int>{6, 5, 4, 3}}) {
    NetworkSpec spec;
    spec.layers = layers;
    Mlp net = random_network(spec, 31);
    const Matrix x = random_inputs(3, 6, 32);
    ForwardState state;
    net.forward(x, ForwardMode::float_precision, {}, state);
    Matrix delta;
    loss_and_output_delta(net.spec(), "mse", state, std::vector<int>{0, 1, 2}, delta);
    std::vector<Matrix> chain, paper;
    for (std::size_t l = 0; l < net.n_layers(); ++l) {
      chain.push_back(Matrix::Zero(net.weights(l).rows(), net.weights(l).cols()));
      paper.push_back(chain.back());
    }
    net.backward(state, delta, nullptr, false, chain);
    net.backward(state, delta, nullptr, true, paper);
    const float difference = (chain[0] - paper[0]).cwiseAbs().maxCoeff();
    if (layers.size() == 3) BOOST_TEST(difference < 1e-7f);
    else BOOST_TEST(difference > 1e-4f);
    // The paper's variant by hand (eqs. 6-7): the error propagated to layer l - 1 is e_l W_l,
    // without f'; f' enters only the update of the layer it belongs to. For 6-5-4-3 (no bias,
    // sigmoid, gain 1): e2 = delta_out W2, e1 = e2 W1, dW0 = (e1 .* s'(z0))^T x,
    // dW1 = (e2 .* s'(z1))^T h0, dW2 = delta_out^T h1, with h_l = sigmoid(z_l) recomputed here.
    const auto sigmoid = [](const Matrix& z) { return Matrix((1.0f + (-z.array()).exp()).inverse().matrix()); };
    const auto slope = [&](const Matrix& z) {
      const Matrix s = sigmoid(z);
      return Matrix((s.array() * (1.0f - s.array())).matrix());
    };
    std::vector<Matrix> z, h{x};
    for (std::size_t l = 0; l + 1 < net.n_layers(); ++l) {
      z.push_back(h.back() * net.weights(l).transpose());
      h.push_back(sigmoid(z.back()));
    }
    std::vector<Matrix> by_hand(net.n_layers());
    Matrix e = delta;
    by_hand.back() = delta.transpose() * h.back();
    for (std::size_t l = net.n_layers() - 1; l > 0; --l) {
      e = Matrix(e * net.weights(l));
      by_hand[l - 1] = Matrix((e.array() * slope(z[l - 1]).array()).matrix()).transpose() * h[l - 1];
    }
    for (std::size_t l = 0; l < net.n_layers(); ++l)
      BOOST_TEST((paper[l] - by_hand[l]).cwiseAbs().maxCoeff() < 1e-6f, "layers " << layers.size() << " layer " << l);
  }
}
