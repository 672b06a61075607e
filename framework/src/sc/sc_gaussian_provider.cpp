// The normal (central-limit) approximation of a bipolar SC layer sum, as a batch provider for
// training with SC in the forward pass (train.qat_sc, mode = gaussian).
//
// With an XNOR multiplier and an exact parallel counter, neuron o counts D disagreements over
// L clocks and reports s = n − 2D/L (n = fan-in). As in the bit-mode engine (and in hardware: one
// stream generator per input), input j's stream is shared by every neuron of the layer, and each
// synapse has its own weight stream. So the draw goes in two steps:
//   1. the input stream's mean x̂_j = x_j + e_j, Var[e_j] = (1 − x_j²)/L, one per sample and input,
//      common to all neurons (the coherent part of the SC error);
//   2. given the input streams, each clock's product bit disagrees with probability (1 − x_t·w)/2,
//      x_t = ±1, so E[D | x̂] = L·(n − Σ_j x̂_j w_j)/2 and Var[D | x̂] = L·Σ_j (1 − w_j²)/4.
// Together: E[D] = L·(n − Σ_j x_j w_j)/2 and Var[D] = L·(n − Σ_j (x_j w_j)²)/4, the moments of the
// independent-binomial sum Σ_j Bin(L, (1 − x_j w_j)/2), now with the right covariance between the
// neurons of a layer. Cost: one float GEMM (X̂·Wᵀ) per layer and batch instead of a per-synapse
// histogram. x̂_j is normal, clamped to [−1, 1]; D is drawn as round(E + σ·z), clamped to [0, n·L]:
// with hundreds of synapses and L ≥ 100 the normal law is within the Berry–Esseen bound of the
// binomial sum (tested against the oracle moments). The inference itself always runs in bit mode
// with the real device streams.
// With measured level values (delivered_level_values) x and w are the values the device delivers.
#include <algorithm>
#include <cmath>
#include <vector>

#include "spinsc/params.hpp"
#include "spinsc/sc_network.hpp"
#include "spinsc/stream_statistics.hpp"

namespace spinsc {

ScGaussianPreactivation::ScGaussianPreactivation(std::size_t n_bits, std::vector<double> level_values)
    : n_bits_(n_bits), level_values_(std::move(level_values)) {
  if (n_bits == 0) throw ParamError("SC gaussian mode: the stream length L must be at least 1 bit");
}

std::vector<double> delivered_level_values(BitSource& device, const Quantizer& quantizer, std::size_t n_devices,
                                           std::size_t n_bits, const RandomStream& stream) {
  std::vector<double> values;
  std::vector<std::uint64_t> words(words_for_bits(n_bits));
  for (int k = 0; k < quantizer.levels(); ++k) {
    const double p = (quantizer.value(k) + 1.0) / 2.0;
    std::uint64_t ones = 0;
    for (std::size_t d = 0; d < n_devices; ++d) {
      RandomStream rng = stream.substream(std::uint64_t(k) * n_devices + d);
      device.generate({p, n_bits, d}, words, rng);
      ones += stream_stats::count_ones(words, n_bits);
    }
    values.push_back(2.0 * double(ones) / double(n_devices * n_bits) - 1.0);
  }
  return values;
}

// The matrix of delivered values for the level indices of m (the ideal values when none are set).
static const Matrix& delivered(const QuantizedMatrix& m, const std::vector<double>& level_values, Matrix& buffer) {
  if (level_values.empty()) return m.values;
  buffer.resize(m.rows(), m.cols());
  for (Eigen::Index r = 0; r < m.rows(); ++r)
    for (Eigen::Index c = 0; c < m.cols(); ++c) buffer(r, c) = static_cast<float>(level_values.at(m.levels(r, c)));
  return buffer;
}

void ScGaussianPreactivation::require_units(const Multiplier& multiplier, const Adder& adder,
                                            const std::vector<Activation*>& activations, const std::string& ids) {
  bool ok = multiplier.gate() == GateKind::xnor && adder.is_exact_counter();
  for (const Activation* a : activations) ok = ok && !(a && a->needs_clocks());
  if (!ok)
    throw ParamError("SC mode 'gaussian' models an XNOR multiplier, an exact parallel counter and a look-up "
                     "activation; the [sc] units are " + ids + ". Use mode = binomial or bit for these units");
}

void ScGaussianPreactivation::compute(const PreactivationRequest& request, Matrix& out,
                                      const RandomStream& stream) const {
  Matrix x_buffer, w_buffer;
  const Matrix& x = delivered(*request.inputs, level_values_, x_buffer);
  const Matrix& w = delivered(*request.weights, level_values_, w_buffer);
  const double n = static_cast<double>(x.cols()), L = static_cast<double>(n_bits_);
  // Step 1: the input streams' means, shared by the layer's neurons.
  Matrix x_hat(x.rows(), x.cols());
  std::vector<RandomStream> sample_rng;
  for (Eigen::Index s = 0; s < x.rows(); ++s) {
    const std::uint64_t id = std::size_t(s) < request.sample_ids.size() ? request.sample_ids[std::size_t(s)]
                                                                        : static_cast<std::uint64_t>(s);
    sample_rng.push_back(stream.substream(id));
    RandomStream& rng = sample_rng.back();
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
      const double xj = x(s, j), sd = std::sqrt(std::max(0.0, 1.0 - xj * xj) / L);
      x_hat(s, j) = static_cast<float>(std::clamp(xj + sd * rng.normal(), -1.0, 1.0));
    }
  }
  out.noalias() = x_hat * w.transpose();
  // Step 2: the weight streams' noise, independent per synapse.
  const Eigen::VectorXd weight_var_d =
      (0.25 * L) * (n - w.cast<double>().cwiseAbs2().rowwise().sum().array()).max(0.0).matrix();
  for (Eigen::Index s = 0; s < out.rows(); ++s) {
    RandomStream& rng = sample_rng[std::size_t(s)];
    for (Eigen::Index o = 0; o < out.cols(); ++o) {
      const double mean_d = 0.5 * L * (n - double(out(s, o)));
      const double d = std::clamp(std::round(mean_d + std::sqrt(weight_var_d(o)) * rng.normal()), 0.0, n * L);
      out(s, o) = static_cast<float>(n - 2.0 * d / L);
    }
  }
}

}  // namespace spinsc
