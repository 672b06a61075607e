#include "spinsc/quantized_matrix.hpp"

#include "spinsc/preactivation_provider.hpp"

namespace spinsc {

void quantize_matrix(const Quantizer& quantizer, const Eigen::Ref<const Matrix>& m, QuantizedMatrix& out) {
  out.values.resize(m.rows(), m.cols());
  out.levels.resize(m.rows(), m.cols());
  // Level values as float, looked up by index so that values(i, j) == value(levels(i, j)) exactly.
  std::vector<float> level_value(quantizer.levels());
  for (int k = 0; k < quantizer.levels(); ++k) level_value[k] = static_cast<float>(quantizer.value(k));
  for (Eigen::Index r = 0; r < m.rows(); ++r) {
    const float* src = m.data() + r * m.outerStride();  // a Ref may have padded rows
    float* values = out.values.data() + r * m.cols();
    std::uint8_t* levels = out.levels.data() + r * m.cols();
    for (Eigen::Index c = 0; c < m.cols(); ++c) {
      const int k = quantizer.index(src[c]);
      levels[c] = static_cast<std::uint8_t>(k);
      values[c] = level_value[k];
    }
  }
}

PreactivationProvider::~PreactivationProvider() = default;

void ExactPreactivation::compute(const PreactivationRequest& request, Matrix& out, const RandomStream&) const {
  out.noalias() = request.inputs->values * request.weights->values.transpose();
}

}  // namespace spinsc
