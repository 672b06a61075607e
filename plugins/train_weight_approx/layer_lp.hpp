#pragma once
// The convex problem of Mondal & Srivastava (section IV-C, procedure OPTIMWEIGHTS) for one weight
// layer, as a linear program solved with GLPK:
//
//   minimize    sum_ij W'_ij,   W'_ij = 1 - W_ij (side +) or 1 + W_ij (side -)
//   subject to  0 <= W_ij <= 1 if What_ij >= 0,  -1 <= W_ij <= 0 otherwise     (line 4)
//               lower_rj <= g * sum_i W_ji x_ri <= upper_rj   for every sample r  (lines 6-7)
//
// Because the sign side is fixed, W' is affine in W and the problem is an LP. The rows of
// different output neurons j share no variable, so each neuron is its own LP (I variables,
// D double-bounded rows). D is large (all training samples) while few rows bind, so each neuron
// is solved by row generation: solve with the rows added so far, evaluate every sample, add the
// most violated rows, re-solve from the previous basis with the dual simplex, until no sample
// violates its bounds. The result satisfies every one of the D x J constraints (to GLPK's
// feasibility tolerance) - the guarantee the method promises - while the LP stays small.
#include <cstddef>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "spinsc/quantized_matrix.hpp"

namespace spinsc::weight_approx {

using DMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct LayerLpProblem {
  const Matrix* inputs = nullptr;  // D x I: the layer's inputs per sample, as the network sees them
  DMatrix w_hat;                   // J x I: the trained weights (sign sides; the start)
  double gain = 1.0;               // g: the layer's sum is g * W x
  DMatrix lower, upper;            // D x J bounds on g * W x (may be -inf / +inf)
};

struct LpOptions {
  std::size_t initial_rows = 256;     // most violated rows added in the first round
  std::size_t rows_per_round = 512;   // at most this many violated rows added per round
  // A sample counts as violated above this, relative to 1 + |bound| (GLPK's own primal tolerance:
  // a tighter one re-adds rows that only GLPK's rounding moved, e.g. dependent rows at phi = 0).
  double feasibility_tolerance = 1e-7;
  int max_rounds = 1000;
};

struct NeuronLpStats {
  std::size_t rows = 0;   // rows in the final LP
  int rounds = 0;         // solves
  double seconds = 0;
};

struct LayerLpResult {
  DMatrix weights;                    // J x I
  double distance_before = 0;         // sum of |W| distances from +-1 of What
  double distance_after = 0;          // of the result (the LP objective)
  double seconds = 0;                 // wall time of the solves (and row checks)
  std::size_t rows = 0;               // rows of all neuron LPs together
  int rounds = 0;
  double max_violation = 0;           // largest bound violation over all D x J constraints (g*z units)
  std::vector<NeuronLpStats> neurons;
};

// The LP has no feasible point: `neuron` (0-based) cannot meet the bounds of `sample` together
// with the rows found binding before it.
class LpInfeasible : public std::runtime_error {
 public:
  LpInfeasible(std::size_t neuron, std::size_t sample, const std::string& what)
      : std::runtime_error(what), neuron(neuron), sample(sample) {}
  std::size_t neuron, sample;
};

// Sum over the matrix of min(1 - w, 1 + w) = 1 - |w|.
double distance_from_unit(const DMatrix& w);

// Solves the layer's LP. Throws LpInfeasible, or std::runtime_error if GLPK fails.
LayerLpResult solve_layer_lp(const LayerLpProblem& problem, const LpOptions& options = {});

// Largest violation of lower <= g W x <= upper over every sample and neuron (0 if none).
double max_bound_violation(const Matrix& inputs, const DMatrix& weights, double gain, const DMatrix& lower,
                           const DMatrix& upper);

inline constexpr double infinity = std::numeric_limits<double>::infinity();

}  // namespace spinsc::weight_approx
