#pragma once
// Random networks and inputs for the network tests (fixed seeds; the stream name keeps each
// test's numbers its own).
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

}  // namespace spinsc::test
