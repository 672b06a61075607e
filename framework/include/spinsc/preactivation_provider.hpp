#pragma once
// PreactivationProvider: the hook through which the stochastic-computing engine takes over the
// arithmetic of a quantized layer, in training (the paper's method 2: forward with SC, backward
// with float weights through the straight-through estimator) and in evaluation.
//
// For each weight layer l and each chunk of samples, the quantized forward pass asks the
// provider for the pre-activation
//   out(s, o) = Σ_i Wq(o, i) · Xq(s, i)        out: batch × n_out
// (a convolution: one row per sample and output position, see mlp.hpp)
// where Xq (batch × n_in) are the quantized inputs of the layer (the quantized image for l = 0,
// the quantized hidden outputs after that) and Wq (n_out × n_in) the quantized weights. With a
// bias, the last input column is the constant 1 (level Q − 1) and the last weight column the
// bias weight, so a provider needs no special case for it. The default, ExactPreactivation, is
// the exact product. An SC provider returns its estimate (e.g. 2·count − n·L over L clocks, / L).
//
// The network then applies gain and activation and quantizes the hidden outputs. A provider
// that models the activation in hardware too (an FSM fed by the streams) says so with
// computes_activation(l) and then writes the layer's activated outputs instead (hidden layers:
// values in the quantizer's range; the output layer: the scores whose argmax is the class).
// Training still back-propagates through the exact pre-activation (straight-through).
//
// Threads: compute() is called concurrently for different chunks; it must be thread-safe
// (no shared mutable state, or state guarded per call). Randomness: use
// stream.substream(request.sample_ids[s]) for sample s, so results do not depend on chunking
// or thread count. The stream is keyed per (phase, epoch, layer) by the caller.
#include <boost/config.hpp>
#include <cstdint>
#include <span>

#include "spinsc/ledger.hpp"
#include "spinsc/quantized_matrix.hpp"
#include "spinsc/random.hpp"

namespace spinsc {

struct PreactivationRequest {
  std::size_t layer = 0;       // weight layer, 0 = the one fed by the image
  std::size_t n_layers = 0;    // number of weight layers; layer == n_layers − 1 is the output layer
  const QuantizedMatrix* inputs = nullptr;   // batch × n_in (bias column included when present)
  const QuantizedMatrix* weights = nullptr;  // n_out × n_in
  const Quantizer* quantizer = nullptr;      // the levels of both inputs and weights
  std::span<const std::uint64_t> sample_ids; // batch: global sample ids (for substreams)
  bool training = false;       // true during the forward pass of training
  bool has_bias = false;       // the last column of inputs/weights is the bias
  // Rows per sample: 1 for a dense layer; a convolution has one row per output position (each
  // with its own id in sample_ids), so a chunk is inputs->rows() / rows_per_sample inferences.
  std::size_t rows_per_sample = 1;
  // This chunk's ledger for energy/latency events, or nullptr (training does not price events).
  // Chunk ledgers are merged in chunk order, so totals do not depend on thread count.
  EnergyLedger* ledger = nullptr;
};

class BOOST_SYMBOL_VISIBLE PreactivationProvider {
 public:
  virtual ~PreactivationProvider();
  // Fills out (already sized batch × n_out). See the top of this file.
  virtual void compute(const PreactivationRequest& request, Matrix& out, const RandomStream& stream) const = 0;
  // True if compute() writes activated outputs for `layer` instead of the pre-activation.
  virtual bool computes_activation(std::size_t /*layer*/) const { return false; }
};

// The exact product out = Xq · Wqᵀ (no stochastic error).
class BOOST_SYMBOL_VISIBLE ExactPreactivation final : public PreactivationProvider {
 public:
  void compute(const PreactivationRequest& request, Matrix& out, const RandomStream& stream) const override;
};

}  // namespace spinsc
