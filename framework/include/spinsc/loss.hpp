#pragma once
// Training losses on the network output and their gradient with respect to the output layer's
// pre-activation z (what Mlp::backward takes).
//   mse            C = 1/2 Σ_k (y_k − d_k)²  (the paper's eq. 4), dC/dy = y − d (eq. 5),
//                  times the output activation's derivative
//   cross_entropy  softmax output (or identity: softmax taken here): C = −log p_label,
//                  dC/dz = g (p − d); sigmoid output: binary cross-entropy per output,
//                  dC/dz = g (y − d)
#include <span>
#include <string>

#include "spinsc/mlp.hpp"

namespace spinsc {

// Sum of the loss over the samples of `state` (labels: one per row of state.output); fills
// delta (batch × n_out) with dC/dz per sample (not divided by the batch size).
double loss_and_output_delta(const NetworkSpec& spec, const std::string& loss, const ForwardState& state,
                             std::span<const int> labels, Matrix& delta);

}  // namespace spinsc
