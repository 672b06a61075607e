// Row-generation LP for one weight layer with GLPK (see layer_lp.hpp).
#include "layer_lp.hpp"

#include <glpk.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fmt/format.h>
#include <memory>
#include <numeric>

namespace spinsc::weight_approx {

namespace {

using Clock = std::chrono::steady_clock;

struct GlpDeleter {
  void operator()(glp_prob* p) const { glp_delete_prob(p); }
};
using GlpPtr = std::unique_ptr<glp_prob, GlpDeleter>;

// g * w . x_r for every sample r.
void layer_sums(const Matrix& x, const double* w, double gain, std::vector<double>& out) {
  const Eigen::Index d = x.rows(), n = x.cols();
  out.resize(std::size_t(d));
  for (Eigen::Index r = 0; r < d; ++r) {
    const float* row = x.data() + r * n;
    double s = 0;
    for (Eigen::Index i = 0; i < n; ++i) s += double(row[i]) * w[i];
    out[std::size_t(r)] = gain * s;
  }
}

// Violation of sample r's bounds, scaled like GLPK's bound tolerance (relative to 1 + |bound|).
double scaled_violation(double s, double lo, double hi) {
  if (s < lo) return (lo - s) / (1.0 + std::abs(lo));
  if (s > hi) return (s - hi) / (1.0 + std::abs(hi));
  return 0.0;
}

int row_type(double lo, double hi) {
  const bool has_lo = std::isfinite(lo), has_hi = std::isfinite(hi);
  if (has_lo && has_hi) return lo == hi ? GLP_FX : GLP_DB;
  if (has_lo) return GLP_LO;
  if (has_hi) return GLP_UP;
  return GLP_FR;
}

// One neuron's LP: `w` in = What row, out = the optimum.
NeuronLpStats solve_neuron(const LayerLpProblem& p, std::size_t j, const LpOptions& options, double* w) {
  const auto start = Clock::now();
  const Matrix& x = *p.inputs;
  const std::size_t d = std::size_t(x.rows()), n = std::size_t(x.cols());
  std::vector<double> w_hat(w, w + n);
  for (std::size_t r = 0; r < d; ++r)
    if (p.lower(Eigen::Index(r), Eigen::Index(j)) > p.upper(Eigen::Index(r), Eigen::Index(j)))
      throw LpInfeasible(j, r, fmt::format("neuron {}: sample {} has an empty interval of allowed sums", j, r));

  // Without rows, the optimum sits every weight on +-1 of its side.
  for (std::size_t i = 0; i < n; ++i) w[i] = w_hat[i] >= 0 ? 1.0 : -1.0;

  NeuronLpStats stats;
  GlpPtr lp;
  std::vector<char> in_lp(d, 0);
  std::vector<double> sums;
  std::vector<std::pair<double, std::size_t>> violated;
  std::vector<int> ind(n + 1);
  std::vector<double> val(n + 1);
  for (int round = 0;; ++round) {
    layer_sums(x, w, p.gain, sums);
    violated.clear();
    for (std::size_t r = 0; r < d; ++r) {
      if (in_lp[r]) continue;  // already a row: GLPK holds it to its own tolerance
      const double v = scaled_violation(sums[r], p.lower(Eigen::Index(r), Eigen::Index(j)),
                                        p.upper(Eigen::Index(r), Eigen::Index(j)));
      if (v > options.feasibility_tolerance) violated.emplace_back(v, r);
    }
    if (violated.empty()) break;
    if (round >= options.max_rounds)
      throw std::runtime_error(fmt::format("neuron {}: row generation did not converge in {} rounds", j, round));
    const std::size_t take = std::min(violated.size(), round == 0 ? options.initial_rows : options.rows_per_round);
    std::partial_sort(violated.begin(), violated.begin() + std::ptrdiff_t(take), violated.end(),
                      [](const auto& a, const auto& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });

    if (!lp) {
      lp.reset(glp_create_prob());
      glp_set_obj_dir(lp.get(), GLP_MIN);
      glp_add_cols(lp.get(), int(n));
      for (std::size_t i = 0; i < n; ++i) {
        const int c = int(i) + 1;
        const bool plus = w_hat[i] >= 0;
        glp_set_col_bnds(lp.get(), c, GLP_DB, plus ? 0.0 : -1.0, plus ? 1.0 : 0.0);
        // W' = 1 - W (side +) or 1 + W (side -): minimizing sum W' = minimizing sum -+W.
        glp_set_obj_coef(lp.get(), c, plus ? -1.0 : 1.0);
        // Start at the unconstrained optimum (dual feasible: reduced costs = the objective).
        glp_set_col_stat(lp.get(), c, plus ? GLP_NU : GLP_NL);
      }
    }
    const int first = glp_add_rows(lp.get(), int(take));
    for (std::size_t k = 0; k < take; ++k) {
      const std::size_t r = violated[k].second;
      in_lp[r] = 1;
      const float* row = x.data() + std::ptrdiff_t(r * n);
      int len = 0;
      for (std::size_t i = 0; i < n; ++i) {
        if (row[i] == 0.0f) continue;  // MNIST inputs are mostly zero: sparse rows
        ++len;
        ind[std::size_t(len)] = int(i) + 1;
        val[std::size_t(len)] = p.gain * double(row[i]);
      }
      const int row_index = first + int(k);
      glp_set_mat_row(lp.get(), row_index, len, ind.data(), val.data());
      const double lo = p.lower(Eigen::Index(r), Eigen::Index(j)), hi = p.upper(Eigen::Index(r), Eigen::Index(j));
      const int type = row_type(lo, hi);
      glp_set_row_bnds(lp.get(), row_index, type, std::isfinite(lo) ? lo : 0.0, std::isfinite(hi) ? hi : 0.0);
    }
    stats.rows += take;

    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    parm.meth = GLP_DUALP;  // new rows keep the basis dual feasible: the dual simplex continues from it
    int rc = glp_simplex(lp.get(), &parm);
    if (rc != 0) {  // a bad or ill-conditioned basis: start again from the standard one
      glp_std_basis(lp.get());
      parm.meth = GLP_PRIMAL;
      rc = glp_simplex(lp.get(), &parm);
    }
    ++stats.rounds;
    if (rc != 0) throw std::runtime_error(fmt::format("neuron {}: GLPK simplex failed (code {})", j, rc));
    const int status = glp_get_status(lp.get());
    if (status == GLP_NOFEAS || status == GLP_INFEAS || glp_get_prim_stat(lp.get()) == GLP_NOFEAS)
      throw LpInfeasible(j, violated.front().second,
                         fmt::format("neuron {}: no weights on their sign's side keep the sums of the {} samples "
                                     "checked so far (sample {} among them) within their bounds",
                                     j, stats.rows, violated.front().second));
    if (status != GLP_OPT)
      throw std::runtime_error(fmt::format("neuron {}: GLPK ended with status {} (not optimal)", j, status));
    // Within GLPK's tolerance a value may sit a hair outside its side: clamp it back.
    for (std::size_t i = 0; i < n; ++i)
      w[i] = w_hat[i] >= 0 ? std::clamp(glp_get_col_prim(lp.get(), int(i) + 1), 0.0, 1.0)
                           : std::clamp(glp_get_col_prim(lp.get(), int(i) + 1), -1.0, 0.0);
  }
  stats.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return stats;
}

}  // namespace

double distance_from_unit(const DMatrix& w) { return double(w.size()) - w.cwiseAbs().sum(); }

double max_bound_violation(const Matrix& inputs, const DMatrix& weights, double gain, const DMatrix& lower,
                           const DMatrix& upper) {
  double worst = 0;
  std::vector<double> sums;
  for (Eigen::Index j = 0; j < weights.rows(); ++j) {
    layer_sums(inputs, weights.row(j).data(), gain, sums);
    for (std::size_t r = 0; r < sums.size(); ++r) {
      const double lo = lower(Eigen::Index(r), j), hi = upper(Eigen::Index(r), j);
      worst = std::max({worst, lo - sums[r], sums[r] - hi});
    }
  }
  return worst;
}

LayerLpResult solve_layer_lp(const LayerLpProblem& p, const LpOptions& options) {
  if (!p.inputs) throw std::invalid_argument("solve_layer_lp: no inputs");
  const Matrix& x = *p.inputs;
  if (p.w_hat.cols() != x.cols() || p.lower.rows() != x.rows() || p.upper.rows() != x.rows() ||
      p.lower.cols() != p.w_hat.rows() || p.upper.cols() != p.w_hat.rows())
    throw std::invalid_argument(fmt::format("solve_layer_lp: shapes disagree (inputs {}x{}, weights {}x{}, bounds {}x{})",
                                            x.rows(), x.cols(), p.w_hat.rows(), p.w_hat.cols(), p.lower.rows(),
                                            p.lower.cols()));
  glp_term_out(GLP_OFF);
  const auto start = Clock::now();
  LayerLpResult result;
  result.weights = p.w_hat;
  result.distance_before = distance_from_unit(p.w_hat);
  for (Eigen::Index j = 0; j < p.w_hat.rows(); ++j) {
    NeuronLpStats s = solve_neuron(p, std::size_t(j), options, result.weights.row(j).data());
    result.rows += s.rows;
    result.rounds += s.rounds;
    result.neurons.push_back(s);
  }
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  result.distance_after = distance_from_unit(result.weights);
  result.max_violation = max_bound_violation(x, result.weights, p.gain, p.lower, p.upper);
  return result;
}

}  // namespace spinsc::weight_approx
