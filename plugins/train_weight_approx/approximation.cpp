// Weight approximation of a trained 1- or 2-layer network (see approximation.hpp).
#include "approximation.hpp"

#include <algorithm>
#include <chrono>
#include <fmt/format.h>
#include <optional>

#include "spinsc/params.hpp"

namespace spinsc::weight_approx {

namespace {

using Clock = std::chrono::steady_clock;

// S = gain * X W^T in double, in row blocks (a double copy of 60000 x 785 inputs would be 377 MB).
DMatrix layer_arguments(const Matrix& x, const DMatrix& w, double gain) {
  DMatrix s(x.rows(), w.rows());
  const Eigen::Index block = 4096;
  for (Eigen::Index r0 = 0; r0 < x.rows(); r0 += block) {
    const Eigen::Index n = std::min(block, x.rows() - r0);
    s.middleRows(r0, n).noalias() = gain * (x.middleRows(r0, n).cast<double>() * w.transpose());
  }
  return s;
}

// Float layer input (hidden outputs tanh(s), plus the bias column of ones).
Matrix hidden_inputs(const DMatrix& s, bool bias) {
  Matrix h(s.rows(), s.cols() + (bias ? 1 : 0));
  h.leftCols(s.cols()) = s.array().tanh().matrix().cast<float>();
  if (bias) h.col(s.cols()).setOnes();
  return h;
}

std::vector<DMatrix> weights_of(const Mlp& network) {
  std::vector<DMatrix> w;
  for (std::size_t l = 0; l < network.n_layers(); ++l) w.push_back(network.weights(l).cast<double>());
  return w;
}

// Bipolar outputs of the network's last layer; with `q`, weights, inputs and hidden outputs on its
// levels (the bias input 1 is a level).
DMatrix bipolar_outputs(const NetworkSpec& spec, const std::vector<DMatrix>& w, const Matrix& inputs,
                        const Quantizer* q = nullptr) {
  auto on_levels = [q](auto&& m) { return m.unaryExpr([q](auto v) { return decltype(v)(q->quantize(double(v))); }).eval(); };
  Matrix x = network_inputs(spec, q ? Matrix(on_levels(inputs)) : inputs);
  for (std::size_t l = 0; l + 1 < w.size(); ++l) {
    x = hidden_inputs(layer_arguments(x, q ? DMatrix(on_levels(w[l])) : w[l], spec.gain(l)), spec.bias);
    if (q) x = on_levels(x);
  }
  const std::size_t last = w.size() - 1;
  const OutputMap map = output_map_of(spec, last);
  return layer_arguments(x, q ? DMatrix(on_levels(w[last])) : w[last], spec.gain(last)).unaryExpr([&](double s) {
    return map.value(s);
  });
}

std::vector<DMatrix> stored_weights(const Mlp& network) { return weights_of(network); }

LayerLpResult solve_or_explain(const LayerLpProblem& problem, const LpOptions& options, const std::string& layer,
                               const std::string& setting) {
  try {
    return solve_layer_lp(problem, options);
  } catch (const LpInfeasible& e) {
    throw ApproxInfeasible(fmt::format(
        "train.weight_approx: the LP of {} is infeasible at {}: neuron {} cannot keep every training sample "
        "within the tolerance (first conflicting sample {}; {})",
        layer, setting, e.neuron, e.sample, e.what()));
  }
}

}  // namespace

OutputMap output_map_of(const NetworkSpec& spec, std::size_t layer) {
  const bool output = layer + 1 == spec.layers.size() - 1;
  if (!output) {
    if (spec.hidden != HiddenActivation::tanh)
      throw ParamError("train.weight_approx needs 'network.hidden_activation' = tanh (the paper's neurons), got " +
                       to_string(spec.hidden));
    return {false, 1.0};
  }
  switch (spec.output) {
    case OutputActivation::sigmoid: return {false, 0.5};  // 2 sigmoid(s) - 1 = tanh(s / 2)
    case OutputActivation::identity: return {true, 1.0};
    case OutputActivation::softmax: break;
  }
  throw ParamError("train.weight_approx needs 'network.output_activation' = sigmoid (tanh up to scale) or identity: "
                   "softmax couples the outputs, so tanh^-1 bounds per output do not exist");
}

void preactivation_bounds(const DMatrix& s_hat, const OutputMap& map, double phi, double slack, DMatrix& lower,
                          DMatrix& upper) {
  lower.resize(s_hat.rows(), s_hat.cols());
  upper.resize(s_hat.rows(), s_hat.cols());
  for (Eigen::Index i = 0; i < s_hat.size(); ++i) {
    const double s = s_hat.data()[i];
    double lo = s, hi = s;  // phi = 0: the sum itself (tanh^-1(tanh(s)) would lose digits when saturated)
    if (phi > 0) {
      if (map.linear) {
        lo = s - phi;
        hi = s + phi;
      } else {
        const double y = std::tanh(map.slope * s);
        hi = y + phi >= 1.0 ? infinity : std::max(s, std::atanh(y + phi) / map.slope);
        lo = y - phi <= -1.0 ? -infinity : std::min(s, std::atanh(y - phi) / map.slope);
      }
    }
    lower.data()[i] = lo - slack;
    upper.data()[i] = hi + slack;
  }
}

Matrix network_inputs(const NetworkSpec& spec, const Matrix& images) {
  if (!spec.bias) return images;
  Matrix x(images.rows(), images.cols() + 1);
  x.leftCols(images.cols()) = images;
  x.col(images.cols()).setOnes();
  return x;
}

double max_output_deviation(const NetworkSpec& spec, const std::vector<DMatrix>& weights,
                            const std::vector<DMatrix>& reference, const Matrix& inputs) {
  return (bipolar_outputs(spec, weights, inputs) - bipolar_outputs(spec, reference, inputs)).cwiseAbs().maxCoeff();
}

void ToleranceCount::add(const ToleranceCount& other) {
  outputs += other.outputs;
  beyond += other.beyond;
  samples += other.samples;
  samples_beyond += other.samples_beyond;
  max_deviation = std::max(max_deviation, other.max_deviation);
}

ToleranceCount count_beyond_tolerance(const NetworkSpec& spec, const std::vector<DMatrix>& weights,
                                      const std::vector<DMatrix>& reference, const Matrix& inputs, double phi,
                                      const Quantizer* quantizer) {
  ToleranceCount count;
  if (inputs.rows() == 0) return count;
  const DMatrix deviation =
      (bipolar_outputs(spec, weights, inputs, quantizer) - bipolar_outputs(spec, reference, inputs)).cwiseAbs();
  count.outputs = std::size_t(deviation.size());
  const auto beyond = (deviation.array() > phi + tolerance_margin).eval();
  count.beyond = std::size_t(beyond.count());
  count.samples = std::size_t(deviation.rows());
  count.samples_beyond = std::size_t(beyond.rowwise().any().count());
  count.max_deviation = deviation.maxCoeff();
  return count;
}

std::string to_string(PhiZSearchEnd end) {
  switch (end) {
    case PhiZSearchEnd::not_searched: return "not searched";
    case PhiZSearchEnd::infeasible: return "infeasible";
    case PhiZSearchEnd::unconstrained: return "unconstrained";
    case PhiZSearchEnd::step_cap: return "step cap";
  }
  return "?";
}

ApproxReport approximate_weights(Mlp& network, const Matrix& inputs, const ApproxOptions& options) {
  const NetworkSpec& spec = network.spec();
  const std::size_t n_layers = network.n_layers();
  if (spec.topology.convolutional())
    throw ParamError("train.weight_approx handles dense layers only; 'network.layers' has a convolution");
  if (n_layers > 2)
    throw ParamError(fmt::format("train.weight_approx handles networks of 1 or 2 weight layers (the paper's); "
                                 "'network.layers' gives {}", n_layers));
  if (options.phi < 0) throw ParamError("train.weight_approx: phi must be >= 0, got " + to_text(options.phi));
  const std::vector<DMatrix> trained = weights_of(network);
  const Matrix x0 = network_inputs(spec, inputs);
  ApproxReport report;
  report.phi = options.phi;
  report.samples = std::size_t(inputs.rows());
  const auto start = Clock::now();
  std::vector<std::pair<DMatrix, DMatrix>> bounds;  // per layer: the chosen LP's lower and upper bounds

  if (n_layers == 1) {
    LayerLpProblem problem{&x0, trained[0], spec.gain(0), {}, {}};
    preactivation_bounds(layer_arguments(x0, trained[0], spec.gain(0)), output_map_of(spec, 0), options.phi,
                         options.slack, problem.lower, problem.upper);
    report.layers.push_back(
        solve_or_explain(problem, options.lp, "layer 1 (the output layer)", fmt::format("phi = {}", options.phi)));
    bounds.emplace_back(std::move(problem.lower), std::move(problem.upper));
  } else {
    const OutputMap hidden_map = output_map_of(spec, 0), out_map = output_map_of(spec, 1);
    const double g1 = spec.gain(0), g2 = spec.gain(1);
    const DMatrix s1_hat = layer_arguments(x0, trained[0], g1);
    const Matrix h_hat = hidden_inputs(s1_hat, spec.bias);
    const DMatrix s2_hat = layer_arguments(h_hat, trained[1], g2);
    DMatrix out_lower, out_upper;
    preactivation_bounds(s2_hat, out_map, options.phi, options.slack, out_lower, out_upper);

    // Eq. (13)-(16): lambda_j = min_r phi_W / f'(a_hat_jr) in units of the sum W h; the smallest
    // hidden-error vector that breaks output j's slab is lambda_j W_j / |W_j|^2; its largest
    // coordinate, minimized over j, is the lower bound of the tolerable hidden error.
    const Eigen::Index n_hidden = spec.layers[1];
    double bound = infinity;
    for (Eigen::Index j = 0; j < trained[1].rows(); ++j) {
      double lambda = infinity;
      for (Eigen::Index r = 0; r < s2_hat.rows(); ++r)
        lambda = std::min(lambda, options.phi / (out_map.derivative(s2_hat(r, j)) * g2));
      const auto w = trained[1].row(j).leftCols(n_hidden);
      const double norm2 = w.squaredNorm();
      if (norm2 > 0) bound = std::min(bound, lambda * w.cwiseAbs().maxCoeff() / norm2);
    }
    report.phi_z_bound = std::isfinite(bound) ? bound : 0.0;

    struct Solution {
      LayerLpResult hidden, output;
      DMatrix hidden_lower, hidden_upper, output_lower, output_upper;  // for the check after the float store
    };
    std::optional<Solution> best;
    double best_distance = infinity, best_phi_z = 0;
    auto try_phi_z = [&](double phi_z) -> bool {
      const auto t0 = Clock::now();
      LayerLpProblem hidden{&x0, trained[0], g1, {}, {}};
      preactivation_bounds(s1_hat, hidden_map, phi_z, options.slack, hidden.lower, hidden.upper);
      const std::string setting = fmt::format("phi_W = {}, phi_Z = {:.6g}", options.phi, phi_z);
      Solution s;
      s.hidden = solve_or_explain(hidden, options.lp, "layer 1 (the hidden layer)", setting);
      s.hidden_lower = hidden.lower;
      s.hidden_upper = hidden.upper;
      const Matrix h = hidden_inputs(layer_arguments(x0, s.hidden.weights, g1), spec.bias);
      LayerLpProblem output{&h, trained[1], g2, out_lower, out_upper};
      if (phi_z == 0) {
        // phi_Z = 0 holds the hidden sums only to the slack and GLPK's tolerance; through |W_j|_1
        // that rounding reaches the output sums and would make phi_W = 0 infeasible. Widen the
        // output bounds by exactly that propagated rounding (reported in max_output_deviation).
        const double dh = (h.leftCols(n_hidden).cast<double>() - h_hat.leftCols(n_hidden).cast<double>())
                              .cwiseAbs()
                              .maxCoeff();
        const double w1 = trained[1].leftCols(n_hidden).cwiseAbs().rowwise().sum().maxCoeff();
        output.lower.array() -= g2 * w1 * dh;
        output.upper.array() += g2 * w1 * dh;
      }
      PhiZCandidate c{phi_z, false, 0, 0};
      s.output_lower = output.lower;
      s.output_upper = output.upper;
      try {
        s.output = solve_layer_lp(output, options.lp);
        c.feasible = true;
        c.distance = s.hidden.distance_after + s.output.distance_after;
      } catch (const LpInfeasible& e) {
        if (options.phi_z >= 0)
          throw ApproxInfeasible(fmt::format(
              "train.weight_approx: the LP of layer 2 (the output layer) is infeasible at {}: after the hidden "
              "layer moved within phi_Z, neuron {} cannot keep every training output within phi_W of the trained "
              "network (first conflicting sample {}); lower 'train.weight_approx.phi_z' or search it (phi_z = -1)",
              setting, e.neuron, e.sample));
      }
      c.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
      report.search.push_back(c);
      if (c.feasible && c.distance < best_distance) {
        best_distance = c.distance;
        best_phi_z = phi_z;
        best = std::move(s);
      }
      return c.feasible;
    };

    if (options.phi_z >= 0) {
      try_phi_z(options.phi_z);
    } else if (report.phi_z_bound <= 0) {
      try_phi_z(0.0);
    } else {
      // Step up until the output LP is infeasible; phi_Z >= 2 leaves the hidden layer
      // unconstrained (|y - y_hat| <= 2 always), so larger values change nothing.
      double good = 0, bad = -1;
      report.search_end = PhiZSearchEnd::step_cap;
      for (int k = 1; k <= options.phi_z_steps; ++k) {
        const double phi_z = std::min(2.0, k * report.phi_z_bound);
        if (!try_phi_z(phi_z)) {
          bad = phi_z;
          report.search_end = PhiZSearchEnd::infeasible;
          break;
        }
        good = phi_z;
        if (phi_z >= 2.0) {
          report.search_end = PhiZSearchEnd::unconstrained;
          break;
        }
      }
      for (int b = 0; bad > 0 && b < options.phi_z_bisections && bad - good > options.phi_z_tolerance * report.phi_z_bound;
           ++b) {
        const double mid = 0.5 * (good + bad);
        (try_phi_z(mid) ? good : bad) = mid;
      }
      if (!best) try_phi_z(0.0);  // the hidden layer unchanged (up to its sign-side freedom)
    }
    if (!best)
      throw ApproxInfeasible(fmt::format(
          "train.weight_approx: the LP of layer 2 (the output layer) is infeasible at phi_W = {} for every phi_Z "
          "tried (down to 0): the output tolerance is too tight for this network",
          options.phi));
    report.phi_z = best_phi_z;
    report.layers.push_back(std::move(best->hidden));
    report.layers.push_back(std::move(best->output));
    bounds.emplace_back(std::move(best->hidden_lower), std::move(best->hidden_upper));
    bounds.emplace_back(std::move(best->output_lower), std::move(best->output_upper));
  }
  report.solver_seconds = std::chrono::duration<double>(Clock::now() - start).count();

  // The checks as the network computes afterwards: with the weights stored in float32.
  for (std::size_t l = 0; l < n_layers; ++l) network.weights(l) = report.layers[l].weights.cast<float>();
  const std::vector<DMatrix> stored = stored_weights(network);
  Matrix x = x0;
  for (std::size_t l = 0; l < n_layers; ++l) {
    report.layers[l].max_violation = max_bound_violation(x, stored[l], spec.gain(l), bounds[l].first, bounds[l].second);
    if (l + 1 < n_layers) x = hidden_inputs(layer_arguments(x, stored[l], spec.gain(l)), spec.bias);
  }
  report.max_output_deviation = max_output_deviation(spec, stored, trained, inputs);
  return report;
}

}  // namespace spinsc::weight_approx
