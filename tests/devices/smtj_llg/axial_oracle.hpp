#pragma once
// Exact results for the axially symmetric macrospin (physics.md E): with p and the field along
// the easy axis the dynamics of z = m_z is an exact 1D diffusion with stationary weight
//   w(z) = exp[Delta (z^2 + 2 h z)],  h = (H_z + b_J + a_J/alpha) / H_K,eff,
// and mean first-passage times are double integrals of w, computed here by quadrature on a fine
// grid (cumulative trapezoid for the inner integral, midpoint rule for the outer one; relative
// error below 1e-8 for Delta <= 5).
// Under a voltage bias the current follows the conductance, a_J(z) = a_J0 (1 + kappa z): the
// torque's axial field then integrates to h (z + kappa z^2 / 2), i.e. an extra curvature
// q = h kappa: w(z) = exp[Delta ((1 + q) z^2 + 2 h z)] (`curvature` = q, 0 by default).
#include <cmath>
#include <stdexcept>
#include <vector>

namespace spinsc::smtj_llg::test {

// A simulation that looks at m_z once per step dt sees a threshold crossing late: a discretely
// observed diffusion overshoots a threshold by beta sigma_z sqrt(dt) on average, beta =
// -zeta(1/2)/sqrt(2 pi) (Siegmund's corrected diffusion approximation; Broadie, Glasserman & Kou's
// continuity correction), sigma_z^2 = (1 - z^2) / tau_N here. Moving the thresholds outward by it
// gives the first-order prediction of what such a simulation measures.
inline double monitoring_overshoot(double z, double dt_over_tau_n) {
  constexpr double kBeta = 0.5825971579390106;  // -zeta(1/2) / sqrt(2 pi)
  return kBeta * std::sqrt((1.0 - z * z) * dt_over_tau_n);
}

class AxialOracle {
 public:
  AxialOracle(double delta, double h, int intervals = 400000, double curvature = 0.0)
      : delta_(delta), h_(h), q_(curvature), n_(intervals) {
    step_ = 2.0 / n_;
    cumulative_.assign(n_ + 1, 0.0);
    for (int k = 1; k <= n_; ++k) cumulative_[k] = cumulative_[k - 1] + 0.5 * step_ * (w(z(k - 1)) + w(z(k)));
  }
  double w(double zz) const { return std::exp(delta_ * ((1.0 + q_) * zz * zz + 2.0 * h_ * zz)); }

  // Integral of w from -1 to y (y anywhere in [-1, 1]).
  double integral_from_minus_one(double y) const {
    const int k = std::clamp(static_cast<int>(std::floor((y + 1.0) / step_)), 0, n_ - 1);
    const double zk = z(k);
    return cumulative_[k] + 0.5 * (y - zk) * (w(zk) + w(y));
  }
  double total() const { return cumulative_[n_]; }

  // <f(m_z)> in equilibrium, by Simpson on the grid.
  template <class F>
  double mean(F f) const {
    double s = 0.0;
    for (int k = 0; k <= n_; ++k) {
      const double c = (k == 0 || k == n_) ? 1.0 : (k % 2 ? 4.0 : 2.0);
      s += c * f(z(k)) * w(z(k));
    }
    double norm = 0.0;
    for (int k = 0; k <= n_; ++k) norm += ((k == 0 || k == n_) ? 1.0 : (k % 2 ? 4.0 : 2.0)) * w(z(k));
    return s / norm;
  }
  double probability_positive() const { return 1.0 - integral_from_minus_one(0.0) / total(); }

  // Mean first-passage time, in units of tau_N, from z0 down to a < z0 (reflecting at +1):
  //   2 int_a^z0 dy [int_y^1 w] / [(1 - y^2) w(y)]
  double passage_down(double z0, double a) const {
    return outer(a, z0, [&](double y) { return (total() - integral_from_minus_one(y)) / ((1.0 - y * y) * w(y)); });
  }
  // From z0 up to b > z0 (reflecting at -1): 2 int_z0^b dy [int_-1^y w] / [(1 - y^2) w(y)]
  double passage_up(double z0, double b) const {
    return outer(z0, b, [&](double y) { return integral_from_minus_one(y) / ((1.0 - y * y) * w(y)); });
  }

  // Second moment of that first-passage time, in tau_N^2, from z0 down to a (reflecting at +1).
  // The moments of a 1D diffusion's first-passage time obey L T_n = -n T_(n-1) with T_n(a) = 0
  // and no flux at +1; with the generator here, L f = (1/w) d/dz[(1 - z^2)/2 w f'], that gives
  //   T_n(z0) = 2 n int_a^z0 dy [int_y^1 w T_(n-1)] / [(1 - y^2) w(y)],   T_0 = 1,
  // so T_1 is passage_down. Both integrals on one midpoint grid over [a, 1] (T_1 on the grid by a
  // cumulative sum, then the inner integral of w T_1 from the top down).
  double passage_down_second_moment(double z0, double a) const {
    const int m = n_;
    const double h = (1.0 - a) / m;
    std::vector<double> y(m), wy(m);
    for (int i = 0; i < m; ++i) y[i] = a + (i + 0.5) * h, wy[i] = w(y[i]);
    // int_(y_i)^1 of g, for g given at the midpoints: the cells above i and half of cell i.
    const auto integral_above = [&](const std::vector<double>& g) {
      std::vector<double> out(m);
      double cells_above = 0.0;
      for (int i = m - 1; i >= 0; --i) out[i] = cells_above + 0.5 * h * g[i], cells_above += h * g[i];
      return out;
    };
    const std::vector<double> above_w = integral_above(wy);
    std::vector<double> t1(m), w_t1(m);  // T_1(y_i) = 2 int_a^(y_i) above_w / ((1 - s^2) w)
    double cells_below = 0.0;
    for (int i = 0; i < m; ++i) {
      const double f = above_w[i] / ((1.0 - y[i] * y[i]) * wy[i]);
      t1[i] = 2.0 * (cells_below + 0.5 * h * f);
      cells_below += h * f;
      w_t1[i] = wy[i] * t1[i];
    }
    const std::vector<double> above_w_t1 = integral_above(w_t1);
    double t2 = 0.0;  // 2 x 2 int_a^z0 above_w_t1 / ((1 - y^2) w)
    for (int i = 0; i < m && y[i] < z0; ++i) t2 += h * above_w_t1[i] / ((1.0 - y[i] * y[i]) * wy[i]);
    return 4.0 * t2;
  }

 private:
  double z(int k) const { return -1.0 + k * step_; }
  template <class F>
  double outer(double lo, double hi, F integrand) const {
    const int m = std::max(1000, static_cast<int>((hi - lo) / step_));
    const double h = (hi - lo) / m;
    double s = 0.0;
    for (int i = 0; i < m; ++i) s += integrand(lo + (i + 0.5) * h);  // midpoints: never y = +-1
    return 2.0 * s * h;
  }
  double delta_, h_, q_;
  int n_;
  double step_;
  std::vector<double> cumulative_;
};

}  // namespace spinsc::smtj_llg::test
