// The normal (central-limit) approximation of a bipolar SC layer sum, as a batch provider for
// training with SC in the forward pass (train.qat_sc, mode = gaussian).
//
// With an XNOR multiplier and an exact parallel counter, neuron o counts D disagreements over
// L clocks and reports s = n − 2D/L (n = fan-in). For independent ideal streams D is a sum of
// binomials: D = Σ_j Bin(L, q_j), q_j = (1 − x_j·w_j)/2, so
//   E[D]   = L·(n − Σ_j x_j w_j)/2
//   Var[D] = L·Σ_j q_j(1 − q_j) = L·(n − Σ_j (x_j w_j)²)/4.
// Both sums are matrix products over the batch (X·Wᵀ and (X∘X)·(W∘W)ᵀ), so one SC forward pass
// costs two float GEMMs instead of a per-synapse histogram. D is drawn as round(E + σ·z),
// clamped to [0, n·L]: with hundreds of synapses and L ≥ 100 (≥ 10⁴ Bernoulli trials) the
// normal law is within the Berry–Esseen bound of the binomial sum (tested against the binomial
// mode). The inference itself always runs in bit mode with the real device streams.
#include <algorithm>
#include <cmath>

#include "spinsc/params.hpp"
#include "spinsc/sc_network.hpp"

namespace spinsc {

ScGaussianPreactivation::ScGaussianPreactivation(std::size_t n_bits) : n_bits_(n_bits) {
  if (n_bits == 0) throw ParamError("SC gaussian mode: the stream length L must be at least 1 bit");
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
  const Matrix& x = request.inputs->values;
  const Matrix& w = request.weights->values;
  const double n = static_cast<double>(x.cols()), L = static_cast<double>(n_bits_);
  out.noalias() = x * w.transpose();
  const Matrix squares = x.cwiseAbs2() * w.cwiseAbs2().transpose();
  for (Eigen::Index s = 0; s < out.rows(); ++s) {
    const std::uint64_t id = std::size_t(s) < request.sample_ids.size() ? request.sample_ids[std::size_t(s)]
                                                                        : static_cast<std::uint64_t>(s);
    RandomStream rng = stream.substream(id);
    for (Eigen::Index o = 0; o < out.cols(); ++o) {
      const double mean_d = 0.5 * L * (n - double(out(s, o)));
      const double var_d = std::max(0.0, 0.25 * L * (n - double(squares(s, o))));
      const double d = std::clamp(std::round(mean_d + std::sqrt(var_d) * rng.normal()), 0.0, n * L);
      out(s, o) = static_cast<float>(n - 2.0 * d / L);
    }
  }
}

}  // namespace spinsc
