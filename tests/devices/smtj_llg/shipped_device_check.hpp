#pragma once
// The plugin's default device (the shipped parameter set) against the exact 1-D Fokker–Planck
// oracle, integrated by two solvers: the plugin's own stepper (Heun, heun_stepper.hpp) and an
// Euler–Maruyama scheme written here, independently of macrospin_model.hpp, heun_stepper.hpp and
// thermal_noise.hpp (its own drift, its own constants' use, its own random numbers).
// Shared by test_shipped_device.cpp (default suite) and test_shipped_device_long.cpp (label long).
//
// Observables, at a voltage bias V, through the plugin's read-out thresholds on m_z
// (DevicePhysics::mz_thresholds_at: bit 1 below one_below, bit 0 above zero_above):
//   P(1)  fraction of time the read-out is 1 (= the probability of a clocked bit being 1),
//   mean dwell of the read-out in state 1 and in state 0,
// and, at zero bias, the mean dwell through a symmetric trigger at m_z = +-0.5 (the docs' figure).
//
// Oracle (axial_oracle.hpp): z = m_z is an exact 1-D diffusion with drift set by
// w(z) = exp[Delta ((1 + q) z^2 + 2 h z)], h = a_J0 / (alpha H_K,eff), q = h kappa (the current
// follows G(m) under a voltage bias), and diffusion coefficient (1 - z^2) / (2 tau_N). The read-out
// is an alternating renewal process, so P(1) = T_1 / (T_1 + T_0) with T_1 the first-passage time
// from one_below up to zero_above and T_0 from zero_above down to one_below.
//
// The known step bias: the read-out looks at m_z once per step, so a crossing is seen late, by the
// overshoot of a discretely observed diffusion, on average beta sigma_z sqrt(dt) past the threshold
// with beta = -zeta(1/2) / sqrt(2 pi) = 0.5826 (Siegmund's corrected diffusion approximation, the
// Broadie–Glasserman–Kou continuity correction) and sigma_z^2 = (1 - z^2) / tau_N. A dwell thus runs
// from a threshold moved outward by that amount to the other threshold moved outward: the oracle
// with shifted thresholds (`monitored`) is the first-order prediction for a step dt.
//
// Tolerances: |simulated - monitored| <= 4 SE + |monitored - continuous|. 4 SE: a spurious failure
// has probability ~6e-5 per assertion (fixed seeds make each run deterministic anyway). The second
// term allows the full size of the first-order correction again for what it leaves out (the
// scheme's own O(dt) weak error, the overshoot's distribution instead of its mean). SE: P(1) from
// the spread of the independent junctions' time fractions; mean dwells from the spread of the
// dwells (successive dwells start at a threshold crossing, so they are independent renewals).
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <random>
#include <tuple>
#include <string>
#include <vector>

#include "axial_oracle.hpp"
#include "device_physics.hpp"
#include "heun_stepper.hpp"
#include "llg_test_support.hpp"

namespace spinsc::smtj_llg::test {

inline DevicePhysics shipped_device() {
  const auto values = default_device_parameters("device.smtj_llg");
  return DevicePhysics::from_params(Params(values, "device.smtj_llg"));
}

// The exact values for the default device at one bias, from its parameters.
struct BiasOracle {
  double delta, tau_n_s, h, q, one_below, zero_above;

  BiasOracle(const DevicePhysics& d, double bias_V) {
    delta = d.delta();
    tau_n_s = (1.0 + d.alpha * d.alpha) * d.ms_A_per_m * d.volume_m3() /
              (2.0 * d.alpha * kGammaE_rad_per_s_T * kBoltzmann_J_per_K * d.temperature_K);
    // The torque from its closed form (not the plugin's junction_at): at m_z = 0 the current is
    // V (G_P + G_AP(V)) / 2, a_J0 = hbar P J / (2 e mu0 Ms t_F); kappa = (G_P - G_AP)/(G_P + G_AP).
    const double hk = d.hk_eff_A_per_m();
    const double g_p = 1.0 / d.resistance.r_parallel_ohm, g_ap = 1.0 / d.resistance.r_antiparallel_ohm(bias_V);
    const double current_density = bias_V * 0.5 * (g_p + g_ap) / d.area_m2();
    const double aj0 = kHbar_J_s * d.spin_polarization * current_density /
                       (2.0 * kElementaryCharge_C * kMu0 * d.ms_A_per_m * d.thickness_m);
    h = aj0 / (d.alpha * hk) + d.h_ext_A_per_m.z / hk;
    q = h * (g_p - g_ap) / (g_p + g_ap);
    std::tie(one_below, zero_above) = d.mz_thresholds_at(bias_V);
  }
  AxialOracle axial() const { return AxialOracle(delta, h, 400000, q); }
  // Discrete-monitoring shift of a threshold at z for step dt (see the header comment).
  double shift(double z, double dt) const { return monitoring_overshoot(z, dt / tau_n_s); }

  struct Values {
    double p_one, dwell_one_s, dwell_zero_s;
  };
  // dt = 0: continuous observation; dt > 0: thresholds moved outward by the monitoring shift.
  Values readout(double dt) const {
    const AxialOracle o = axial();
    const double lo = one_below - shift(one_below, dt), hi = zero_above + shift(zero_above, dt);
    const double t1 = tau_n_s * o.passage_up(lo, hi), t0 = tau_n_s * o.passage_down(hi, lo);
    return {t1 / (t1 + t0), t1, t0};
  }
  // Mean dwell through a symmetric trigger at +-threshold (either state; exact at h = 0).
  double symmetric_dwell_s(double threshold, double dt) const {
    const double a = threshold + shift(threshold, dt);
    return tau_n_s * axial().passage_down(a, -a);
  }
  // Brown's asymptote tau = (1 + alpha^2)/(alpha gamma_e mu0 H_K) sqrt(pi/Delta) e^Delta (h = 0).
  static double brown_s(const DevicePhysics& d) {
    return (1.0 + d.alpha * d.alpha) / (d.alpha * kGammaE_rad_per_s_T * kMu0 * d.hk_eff_A_per_m()) *
           std::sqrt(kPi / d.delta()) * std::exp(d.delta());
  }
};

// Euler–Maruyama for the same macrospin, written from the Gilbert equation without the plugin's
// code: the damping-like torque -gamma0 a_J m x (m x p) is the torque of a field a_J (m x p), so
// with H' = H_K,eff m_z z + H_th + a_J(m) (m x p) the Landau–Lifshitz form is
//   dm/dt = -gamma0/(1 + alpha^2) [ m x H' + alpha m x (m x H') ],
// a_J(m) = hbar P J(m) / (2 e mu0 Ms t_F), J(m) = V G(m) / A (thin film, N = (0, 0, 1), p = z).
// Step: m <- normalize(m + dt dm/dt(m, H_th)), H_th ~ N(0, 2 alpha kB T/(gamma0 mu0 Ms V dt)) per
// component. This converges (weakly) to the Stratonovich solution: the Ito-Stratonovich drift of
// an isotropic thermal field is radial, -(1 + alpha^2) gamma'^2 D m (rotational symmetry leaves no
// other direction), and a function of the direction of m does not see a radial drift, so the
// projected Euler step has the Stratonovich generator on the sphere.
class EulerMaruyamaMacrospin {
 public:
  EulerMaruyamaMacrospin(const DevicePhysics& d, double bias_V, std::size_t n, std::uint64_t seed) {
    gamma_prime_ = kGammaE_rad_per_s_T * kMu0 / (1.0 + d.alpha * d.alpha);
    alpha_ = d.alpha;
    hk_eff_ = 2.0 * d.anisotropy_J_per_m3 / (kMu0 * d.ms_A_per_m) - d.ms_A_per_m;  // thin film
    const double area = kPi * d.diameter_m * d.diameter_m / 4.0, volume = area * d.thickness_m;
    const double tmr = d.resistance.tmr0 / (1.0 + bias_V * bias_V / (d.resistance.tmr_half_bias_V * d.resistance.tmr_half_bias_V));
    const double g_p = 1.0 / d.resistance.r_parallel_ohm, g_ap = g_p / (1.0 + tmr);
    // J(m) = (V / A) (G_P (1 + m_z) + G_AP (1 - m_z)) / 2
    torque_per_current_density_ = kHbar_J_s * d.spin_polarization / (2.0 * kElementaryCharge_C * kMu0 * d.ms_A_per_m * d.thickness_m);
    j_mean_ = bias_V / area * 0.5 * (g_p + g_ap);
    j_slope_ = bias_V / area * 0.5 * (g_p - g_ap);
    diffusion_ = 2.0 * d.alpha * kBoltzmann_J_per_K * d.temperature_K / (kGammaE_rad_per_s_T * kMu0 * kMu0 * d.ms_A_per_m * volume);
    std::seed_seq seq{seed, std::uint64_t{0x5eed}};
    std::vector<std::uint64_t> seeds(n);
    seq.generate(seeds.begin(), seeds.end());
    for (auto s : seeds) engines_.emplace_back(s);
    normals_.resize(n);
  }

  void step(EnsembleState& m, double dt) {
    const double sigma = std::sqrt(diffusion_ / dt);
    for (std::size_t j = 0; j < m.size(); ++j) {
      const double x = m.x[j], y = m.y[j], z = m.z[j];
      std::normal_distribution<double>& normal = normals_[j];
      const double aj = torque_per_current_density_ * (j_mean_ + j_slope_ * z);
      // H' = H_K,eff m_z z + H_th + a_J (m x z),  m x z = (y, -x, 0)
      const double hx = sigma * normal(engines_[j]) + aj * y;
      const double hy = sigma * normal(engines_[j]) - aj * x;
      const double hz = hk_eff_ * z + sigma * normal(engines_[j]);
      const double cx = y * hz - z * hy, cy = z * hx - x * hz, cz = x * hy - y * hx;  // m x H'
      const double dx = y * cz - z * cy, dy = z * cx - x * cz, dz = x * cy - y * cx;  // m x (m x H')
      double nx = x - dt * gamma_prime_ * (cx + alpha_ * dx);
      double ny = y - dt * gamma_prime_ * (cy + alpha_ * dy);
      double nz = z - dt * gamma_prime_ * (cz + alpha_ * dz);
      const double norm = std::sqrt(nx * nx + ny * ny + nz * nz);
      m.x[j] = nx / norm, m.y[j] = ny / norm, m.z[j] = nz / norm;
    }
  }

 private:
  double gamma_prime_, alpha_, hk_eff_, torque_per_current_density_, j_mean_, j_slope_, diffusion_;
  std::vector<std::mt19937_64> engines_;
  std::vector<std::normal_distribution<double>> normals_;
};

struct ReadoutRun {
  std::vector<double> p_one;                 // per junction: time fraction of read-out state 1
  std::vector<double> dwell_one, dwell_zero;  // read-out dwells, s
  std::vector<double> dwell_symmetric;        // dwells through the +-0.5 trigger, s
};

struct RunSize {
  std::size_t junctions;
  double burn_in_s;      // before anything is recorded (the start is half +z, half -z)
  double fraction_s;     // time over which P(1) is averaged (fixed in advance)
  std::size_t dwells;    // read-out dwells kept per junction and state (the first ones: no length bias)
  std::size_t symmetric_dwells;  // the same through the +-0.5 trigger (zero bias only)
};

// Runs `step(m, dt)` until the fraction window is over and every junction has its dwells.
template <class Step>
ReadoutRun run_readout(const BiasOracle& oracle, const RunSize& size, double dt, bool symmetric, Step&& step) {
  const std::size_t n = size.junctions;
  EnsembleState m = EnsembleState::uniform(n, {0.0, 0.0, 1.0});
  for (std::size_t j = 0; j < n; j += 2) m.z[j] = -1.0;
  const auto burn_in = static_cast<std::size_t>(std::llround(size.burn_in_s / dt));
  const auto window = static_cast<std::size_t>(std::llround(size.fraction_s / dt));
  for (std::size_t s = 0; s < burn_in; ++s) step(m, dt);
  DwellRecorder readout(n, oracle.one_below, oracle.zero_above, size.dwells);
  DwellRecorder sym(n, 0.5, symmetric ? size.symmetric_dwells : 0);
  readout.start(m);
  sym.start(m);
  std::vector<double> ones(n, 0.0);
  std::size_t s = 0;
  while (s < window || !readout.complete() || !sym.complete()) {
    step(m, dt);
    ++s;
    readout.observe(m, s, dt);
    if (symmetric) sym.observe(m, s, dt);
    if (s <= window)
      for (std::size_t j = 0; j < n; ++j) ones[j] += readout.bits()[j];
    if (s % 100000 == 0) BOOST_REQUIRE_MESSAGE(s * dt < 100.0 * size.fraction_s, "dwell collection did not finish");
  }
  ReadoutRun run;
  for (double c : ones) run.p_one.push_back(c / static_cast<double>(window));
  run.dwell_one = readout.antiparallel();
  run.dwell_zero = readout.parallel();
  run.dwell_symmetric = sym.parallel();
  run.dwell_symmetric.insert(run.dwell_symmetric.end(), sym.antiparallel().begin(), sym.antiparallel().end());
  return run;
}

// |simulated - monitored| <= 4 SE + |monitored - continuous| (see the header comment).
inline void check_against_oracle(const std::string& what, const MeanAndError& simulated, double continuous,
                                 double monitored) {
  const double tolerance = 4.0 * simulated.standard_error + std::abs(monitored - continuous);
  BOOST_TEST_MESSAGE(what << ": simulated " << simulated.mean << " +- " << simulated.standard_error << ", exact "
                          << continuous << " (observed once per step: " << monitored << "), tolerance " << tolerance);
  BOOST_TEST(std::abs(simulated.mean - monitored) <= tolerance, what << ": " << simulated.mean << " vs " << monitored);
}

inline void check_run(const std::string& solver, const BiasOracle& oracle, const ReadoutRun& run, double dt,
                      bool symmetric) {
  const auto exact = oracle.readout(0.0), monitored = oracle.readout(dt);
  check_against_oracle(solver + " P(1)", mean_and_error(run.p_one), exact.p_one, monitored.p_one);
  check_against_oracle(solver + " dwell in 1 (s)", mean_and_error(run.dwell_one), exact.dwell_one_s,
                       monitored.dwell_one_s);
  check_against_oracle(solver + " dwell in 0 (s)", mean_and_error(run.dwell_zero), exact.dwell_zero_s,
                       monitored.dwell_zero_s);
  if (symmetric)
    check_against_oracle(solver + " dwell, +-0.5 trigger (s)", mean_and_error(run.dwell_symmetric),
                         oracle.symmetric_dwell_s(0.5, 0.0), oracle.symmetric_dwell_s(0.5, dt));
}

// The two solvers agree with each other within their combined SE plus both step corrections.
inline void check_solvers_agree(const std::string& what, const std::vector<double>& a, const std::vector<double>& b,
                                double correction_a, double correction_b) {
  const MeanAndError x = mean_and_error(a), y = mean_and_error(b);
  const double se = std::hypot(x.standard_error, y.standard_error);
  const double tolerance = 4.0 * se + std::abs(correction_a) + std::abs(correction_b);
  BOOST_TEST_MESSAGE(what << ": Heun " << x.mean << ", Euler-Maruyama " << y.mean << ", tolerance " << tolerance);
  BOOST_TEST(std::abs(x.mean - y.mean - (correction_a - correction_b)) <= tolerance, what);
}

// Both solvers at one bias, each against the oracle, and against each other.
inline void compare_solvers_at(double bias_V, const RunSize& heun_size, const RunSize& euler_size,
                               double euler_step_ratio, std::uint64_t seed) {
  const DevicePhysics d = shipped_device();
  const BiasOracle oracle(d, bias_V);
  const bool symmetric = bias_V == 0.0;
  const auto exact = oracle.readout(0.0);
  BOOST_TEST_MESSAGE("bias " << bias_V << " V: Delta " << oracle.delta << ", h " << oracle.h << ", q " << oracle.q
                             << ", read-out thresholds m_z " << oracle.one_below << " / " << oracle.zero_above
                             << "; exact P(1) " << exact.p_one << ", dwells " << exact.dwell_one_s * 1e9 << " / "
                             << exact.dwell_zero_s * 1e9 << " ns");

  // The plugin's stepper on the plugin's junction at this bias.
  const double dt_heun = d.time_step_s;
  JunctionEnsemble ensemble = [&] {
    std::vector<RandomStream> streams;
    const RandomStream base(seed, "smtj_llg-test-shipped-device");
    for (std::size_t j = 0; j < heun_size.junctions; ++j) streams.push_back(base.substream(j));
    return JunctionEnsemble(d.model_at(bias_V), std::vector<JunctionCoefficients>(heun_size.junctions, d.junction_at(bias_V)),
                            std::move(streams));
  }();
  auto clock_start = std::chrono::steady_clock::now();
  auto seconds_since = [](auto start) { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  HeunStratonovichStepper stepper;  // what integrate_const drives in the plugin, one step at a time
  const ReadoutRun heun = run_readout(oracle, heun_size, dt_heun, symmetric,
                                      [&](EnsembleState& m, double dt) { stepper.do_step(std::ref(ensemble), m, 0.0, dt); });
  BOOST_TEST_MESSAGE("Heun run: " << seconds_since(clock_start) << " s wall");
  check_run("Heun (plugin)", oracle, heun, dt_heun, symmetric);
  clock_start = std::chrono::steady_clock::now();

  const double dt_euler = dt_heun * euler_step_ratio;
  EulerMaruyamaMacrospin euler(d, bias_V, euler_size.junctions, seed);
  const ReadoutRun em = run_readout(oracle, euler_size, dt_euler, symmetric,
                                    [&](EnsembleState& m, double dt) { euler.step(m, dt); });
  BOOST_TEST_MESSAGE("Euler-Maruyama run: " << seconds_since(clock_start) << " s wall");
  check_run("Euler-Maruyama (test)", oracle, em, dt_euler, symmetric);

  const auto mh = oracle.readout(dt_heun), me = oracle.readout(dt_euler);
  check_solvers_agree("P(1)", heun.p_one, em.p_one, mh.p_one - exact.p_one, me.p_one - exact.p_one);
  check_solvers_agree("dwell in 1", heun.dwell_one, em.dwell_one, mh.dwell_one_s - exact.dwell_one_s,
                      me.dwell_one_s - exact.dwell_one_s);
  check_solvers_agree("dwell in 0", heun.dwell_zero, em.dwell_zero, mh.dwell_zero_s - exact.dwell_zero_s,
                      me.dwell_zero_s - exact.dwell_zero_s);
}

}  // namespace spinsc::smtj_llg::test
