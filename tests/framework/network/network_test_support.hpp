#pragma once
// Random networks and inputs for the network tests (fixed seeds; the stream name keeps each
// test's numbers its own).
#include <span>
#include <string>
#include <vector>

#include "spinsc/loss.hpp"
#include "spinsc/mlp.hpp"
#include "spinsc/random.hpp"

namespace spinsc::test {

// Weights uniform in [-0.8, 0.8].
inline Mlp random_network(NetworkSpec spec, std::uint64_t seed, const char* stream_name = "gradient-test") {
  Mlp net(std::move(spec));
  RandomStream rng(seed, stream_name);
  for (std::size_t l = 0; l < net.n_layers(); ++l)
    for (Eigen::Index i = 0; i < net.weights(l).size(); ++i) net.weights(l).data()[i] = float(0.8 * (2 * rng.uniform() - 1));
  return net;
}

// Inputs uniform in [0, 1].
inline Matrix random_inputs(int rows, int cols, std::uint64_t seed, const char* stream_name = "gradient-inputs") {
  RandomStream rng(seed, stream_name);
  Matrix x(rows, cols);
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = float(rng.uniform());
  return x;
}

// The loss of a float forward pass.
inline double float_loss(const Mlp& net, const Matrix& x, std::span<const int> labels, const std::string& loss) {
  ForwardState state;
  net.forward(x, ForwardMode::float_precision, {}, state);
  Matrix delta;
  return loss_and_output_delta(net.spec(), loss, state, labels, delta);
}

// dLoss/dW of every layer from the float forward and backward passes.
inline std::vector<Matrix> float_gradients(const Mlp& net, const Matrix& x, std::span<const int> labels,
                                           const std::string& loss) {
  ForwardState state;
  net.forward(x, ForwardMode::float_precision, {}, state);
  Matrix delta;
  loss_and_output_delta(net.spec(), loss, state, labels, delta);
  std::vector<Matrix> grads;
  for (std::size_t l = 0; l < net.n_layers(); ++l) grads.push_back(Matrix::Zero(net.weights(l).rows(), net.weights(l).cols()));
  net.backward(state, delta, nullptr, false, grads);
  return grads;
}

// The central difference (L(w + h) - L(w - h)) / 2h for weight i of layer l (restored after).
inline double central_difference(Mlp& net, std::size_t l, Eigen::Index i, float h, const Matrix& x,
                                 std::span<const int> labels, const std::string& loss) {
  float& w = net.weights(l).data()[i];
  const float saved = w;
  w = saved + h;
  const double up = float_loss(net, x, labels, loss);
  w = saved - h;
  const double down = float_loss(net, x, labels, loss);
  w = saved;
  return (up - down) / (2.0 * h);
}

}  // namespace spinsc::test
