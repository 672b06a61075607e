#pragma once
// Energy-aware weight approximation of Mondal & Srivastava (section IV) on a trained network:
//  - 1 weight layer: OPTIMWEIGHTS (IV-C), one LP (layer_lp.hpp) with the output bounds that the
//    tolerance phi implies through tanh^-1;
//  - 2 weight layers: their layer-by-layer heuristic (IV-D, Algorithm 1): the hidden layer with
//    tolerance phi_Z, then the output layer with phi_W = phi on the new hidden outputs; phi_Z
//    starts at the lower bound of eq. (16) and is searched (steps up until the output LP is
//    infeasible, then bisection); the feasible phi_Z with the least total distance of the weights
//    from +-1 (the energy proxy) is kept.
// Tolerances are on the bipolar value of a neuron's output stream, as in the paper: tanh(s) for a
// tanh layer, 2 sigmoid(s) - 1 = tanh(s/2) for a sigmoid output layer (the stream of an FSM
// sigmoid), s itself for an identity output; s = gain * W x is the activation's argument.
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "layer_lp.hpp"
#include "spinsc/mlp.hpp"
#include "spinsc/quantizer.hpp"

namespace spinsc::weight_approx {

// How a layer's bipolar output y depends on s = gain * W x: y = tanh(slope * s), or y = s.
struct OutputMap {
  bool linear = false;
  double slope = 1.0;
  double value(double s) const { return linear ? s : std::tanh(slope * s); }
  double derivative(double s) const {
    if (linear) return 1.0;
    const double y = std::tanh(slope * s);
    return slope * (1.0 - y * y);
  }
};
// The map of weight layer l of `spec` (throws ParamError for activations without a usable inverse).
OutputMap output_map_of(const NetworkSpec& spec, std::size_t layer);

// Bounds on s that keep |y(s) - y(s_hat)| <= phi (line 2 of OPTIMWEIGHTS), widened by `slack`
// (absolute, in s) so that the trained weights stay feasible despite rounding.
void preactivation_bounds(const DMatrix& s_hat, const OutputMap& map, double phi, double slack, DMatrix& lower,
                          DMatrix& upper);

struct ApproxOptions {
  double phi = 0.0;               // phi (1 layer) or phi_W (2 layers)
  double phi_z = -1.0;            // 2 layers: < 0 = search; else this fixed phi_Z
  // Search (the paper's IV-D): phi_Z = k * lower bound, k = 1, 2, ... until the output LP is
  // infeasible, phi_Z reaches 2 (the hidden layer is then unconstrained) or k = phi_z_steps (a cap);
  // then bisection between the last feasible and the first infeasible phi_Z until they are closer
  // than phi_z_tolerance * lower bound (or phi_z_bisections halvings).
  int phi_z_steps = 100;
  double phi_z_tolerance = 0.1;
  int phi_z_bisections = 30;
  double slack = 1e-6;            // see preactivation_bounds
  LpOptions lp;
};

struct PhiZCandidate {
  double phi_z = 0;
  bool feasible = false;
  double distance = 0;            // total distance of both layers (feasible only)
  double seconds = 0;
};

// Why the phi_Z search stopped stepping up.
enum class PhiZSearchEnd { not_searched, infeasible, unconstrained, step_cap };
std::string to_string(PhiZSearchEnd end);

struct ApproxReport {
  double phi = 0;
  double phi_z = std::numeric_limits<double>::quiet_NaN();       // chosen (2 layers)
  double phi_z_bound = std::numeric_limits<double>::quiet_NaN(); // eq. (16) lower bound
  std::vector<LayerLpResult> layers;   // the chosen solution, per weight layer
  std::vector<PhiZCandidate> search;   // every phi_Z tried (its size: the search's steps)
  PhiZSearchEnd search_end = PhiZSearchEnd::not_searched;
  double solver_seconds = 0;           // all LP solves, search included
  // Both after the float32 store of the weights (what the network then computes with):
  double max_output_deviation = 0;     // max |y - y_hat| of the output layer over the D samples
  std::size_t samples = 0;
};

// The layer's inputs as the float forward pass sees them (x / max(X), bias column of ones).
Matrix network_inputs(const NetworkSpec& spec, const Matrix& images);

// Approximates the weights of `network` in place. `inputs`: the D training samples, D x n_inputs,
// in [0, 1] (x / max(X)). Throws ApproxInfeasible when no weights satisfy the constraints.
ApproxReport approximate_weights(Mlp& network, const Matrix& inputs, const ApproxOptions& options);

class ApproxInfeasible : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The output deviation check on its own: max over samples and outputs of |y - y_hat| between
// the network with `weights` and with `reference` weights (bipolar output values).
double max_output_deviation(const NetworkSpec& spec, const std::vector<DMatrix>& weights,
                            const std::vector<DMatrix>& reference, const Matrix& inputs);

// The guarantee where it is not promised: outputs with |y - y_hat| > phi + tolerance_margin,
// y of the network with `weights`, y_hat of the trained `reference` in float, over `inputs`
// (D x n_inputs in [0, 1], any samples). With `quantizer`, y is what the SC levels compute: the
// weights, the inputs and the hidden outputs rounded to its levels (the output is not quantized).
// The margin covers the LP's designed slack (1e-6 in s) and the float32 store (6e-7 in y seen).
inline constexpr double tolerance_margin = 1e-5;
struct ToleranceCount {
  std::size_t outputs = 0, beyond = 0;  // output values (samples x output neurons)
  std::size_t samples = 0, samples_beyond = 0;  // samples with at least one output beyond
  double max_deviation = 0;
  double fraction() const { return outputs ? double(beyond) / double(outputs) : std::numeric_limits<double>::quiet_NaN(); }
  double sample_fraction() const {
    return samples ? double(samples_beyond) / double(samples) : std::numeric_limits<double>::quiet_NaN();
  }
  void add(const ToleranceCount& other);
};
ToleranceCount count_beyond_tolerance(const NetworkSpec& spec, const std::vector<DMatrix>& weights,
                                      const std::vector<DMatrix>& reference, const Matrix& inputs, double phi,
                                      const Quantizer* quantizer = nullptr);

}  // namespace spinsc::weight_approx
