// Losses and output deltas (see loss.hpp).
#include "spinsc/loss.hpp"

#include <algorithm>
#include <cmath>

namespace spinsc {

double loss_and_output_delta(const NetworkSpec& spec, const std::string& loss, const ForwardState& state,
                             std::span<const int> labels, Matrix& delta) {
  const Matrix& y = state.output;  // batch × K
  const Matrix& z = state.preactivations.back();
  const float g = static_cast<float>(spec.effective_gain(spec.layers.size() - 2));
  const Eigen::Index K = y.cols();
  delta.resize(y.rows(), K);
  double total = 0.0;
  for (Eigen::Index s = 0; s < y.rows(); ++s) {
    const int label = labels[s];
    if (loss == "cross_entropy") {
      if (spec.output == OutputActivation::sigmoid) {
        for (Eigen::Index k = 0; k < K; ++k) {
          const float d = k == label ? 1.0f : 0.0f;
          const double p = std::clamp(double(y(s, k)), 1e-7, 1.0 - 1e-7);
          total -= d != 0.0f ? std::log(p) : std::log(1.0 - p);
          delta(s, k) = g * (y(s, k) - d);
        }
      } else {
        Eigen::Matrix<float, 1, Eigen::Dynamic> p = y.row(s);
        if (spec.output == OutputActivation::identity) {
          p = (g * z.row(s).array() - g * z.row(s).maxCoeff()).exp().matrix();
          p /= p.sum();
        }
        total -= std::log(std::max(double(p(label)), 1e-30));
        for (Eigen::Index k = 0; k < K; ++k) delta(s, k) = g * (p(k) - (k == label ? 1.0f : 0.0f));
      }
    } else {
      Eigen::Matrix<float, 1, Eigen::Dynamic> e = y.row(s);
      e(label) -= 1.0f;
      total += 0.5 * double(e.squaredNorm());
      switch (spec.output) {
        case OutputActivation::sigmoid:
          delta.row(s) = g * (e.array() * y.row(s).array() * (1.0f - y.row(s).array())).matrix();
          break;
        case OutputActivation::identity: delta.row(s) = g * e; break;
        case OutputActivation::softmax: {
          // dC/dz_j = g y_j (e_j − Σ_k e_k y_k): the softmax Jacobian applied to e.
          const float dot = e.dot(y.row(s));
          delta.row(s) = g * (y.row(s).array() * (e.array() - dot)).matrix();
          break;
        }
      }
    }
  }
  return total;
}

}  // namespace spinsc
