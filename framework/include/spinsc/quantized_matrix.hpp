#pragma once
// The matrix types of the network. Row-major everywhere, so that one sample's activations
// (a row of a batch matrix) and one neuron's synapses (a row of a weight matrix) are contiguous:
//   activations  batch × n_features   (row s = sample s)
//   weights      n_out × n_in         (row o = the synapses of neuron o; with a bias, the last
//                                      column is the bias weight and the input carries a constant 1)
#include <Eigen/Core>
#include <cstdint>

#include "spinsc/quantizer.hpp"

namespace spinsc {

using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Vector = Eigen::Matrix<float, Eigen::Dynamic, 1>;
// Level indices k in [0, Q − 1] of the quantizer (value = a + kΔ).
using LevelMatrix = Eigen::Matrix<std::uint8_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// A quantized matrix in both forms: values (what the arithmetic uses) and level indices (what
// selects a bitstream level in SC hardware). values(i, j) == quantizer.value(levels(i, j)).
struct QuantizedMatrix {
  Matrix values;
  LevelMatrix levels;
  Eigen::Index rows() const { return values.rows(); }
  Eigen::Index cols() const { return values.cols(); }
};

// Quantizes every element of `m` with eqs. (1)-(3), filling both forms (resized to m's shape).
void quantize_matrix(const Quantizer& quantizer, const Eigen::Ref<const Matrix>& m, QuantizedMatrix& out);

}  // namespace spinsc
