// Requirement: device.smtj_llg's equation of motion at T = 0 is exact: Larmor precession and
// damping in a field (closed form), the small-angle precession frequency with anisotropy and
// demagnetization, second-order convergence of the Heun stepper, and the spin-transfer-torque
// instability threshold a_J,c = alpha (H_K,eff + H_z) / (1 + alpha beta) (physics.md E, oracles 4, 5),
// and the plugin device's critical current I_c0 = 4 e alpha Delta kB T / (hbar P) (the standard
// Slonczewski prefactor: a_J = hbar P J / (2 e mu0 Ms t_F) at Lambda = 1).
#define BOOST_TEST_MODULE device_smtj_llg_deterministic
#include <boost/test/unit_test.hpp>

#include <utility>  // before Odeint (Boost 1.74's check_adapter.hpp needs std::pair)
#include <boost/numeric/odeint.hpp>

#include <array>
#include <cmath>

#include "device_physics.hpp"
#include "heun_stepper.hpp"
#include "llg_test_support.hpp"
#include "../threshold_bisection.hpp"

using namespace spinsc::smtj_llg;
using namespace spinsc::smtj_llg::test;

namespace {

using Vector = std::array<double, 3>;

// Larmor set-up: isotropic demagnetization (no shape anisotropy), no K_u, field H along z.
constexpr double kAlpha = 0.1;
constexpr double kFieldT = 0.5;
constexpr double kTheta0 = 1.0;  // rad, far from the axis: the closed form holds at any angle

MacrospinModel larmor_model() {
  MacrospinModel m;
  m.alpha = kAlpha;
  m.demag_x = m.demag_y = m.demag_z = 1.0 / 3.0;
  m.h_ext_A_per_m = {0.0, 0.0, kFieldT / kMu0};
  return m;
}

// phi(t) = phi0 + gamma' H t,  tan(theta/2) = tan(theta0/2) exp(-alpha gamma' H t).
Vector larmor_exact(double t) {
  const double gh = larmor_model().gamma_prime() * kFieldT / kMu0;
  const double theta = 2.0 * std::atan(std::tan(0.5 * kTheta0) * std::exp(-kAlpha * gh * t));
  const double phi = gh * t;
  return {std::sin(theta) * std::cos(phi), std::sin(theta) * std::sin(phi), std::cos(theta)};
}

double distance(const Vector& a, const Vector& b) {
  return std::sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
}

double larmor_period_s() { return 2.0 * kPi / (larmor_model().gamma_prime() * kFieldT / kMu0); }

// Largest deviation from the closed form over 10 periods with the Heun stepper at step dt.
double heun_larmor_error(double dt) {
  const MacrospinModel model = larmor_model();
  JunctionEnsemble ensemble(model, {JunctionCoefficients{0.0, 0.0, 0.0}}, {});
  EnsembleState m = EnsembleState::uniform(1, {std::sin(kTheta0), 0.0, std::cos(kTheta0)});
  const auto steps = static_cast<std::size_t>(std::llround(10.0 * larmor_period_s() / dt));
  double worst = 0.0;
  integrate_steps(ensemble, m, steps, dt, [&](const EnsembleState& s, std::size_t step) {
    worst = std::max(worst, distance({s.x[0], s.y[0], s.z[0]}, larmor_exact(static_cast<double>(step) * dt)));
  });
  return worst;
}

}  // namespace

BOOST_AUTO_TEST_CASE(larmor_precession_and_damping_match_closed_form_dopri5) {
  // The drift itself, integrated by Odeint's dopri5 at tolerance 1e-12: error <= 1e-6.
  const MacrospinModel model = larmor_model();
  const DriftTerms terms(model);
  auto drift = [&](const Vector& x, Vector& dxdt, double) {
    const Vec3 f = llg_drift({x[0], x[1], x[2]}, {}, 0.0, 0.0, terms);
    dxdt = {f.x, f.y, f.z};
  };
  namespace odeint = boost::numeric::odeint;
  Vector x = {std::sin(kTheta0), 0.0, std::cos(kTheta0)};
  double worst = 0.0;
  const double period = larmor_period_s();
  odeint::integrate_const(odeint::make_dense_output(1e-12, 1e-12, odeint::runge_kutta_dopri5<Vector>()), drift, x, 0.0,
                          10.0 * period, period / 50.0,
                          [&](const Vector& s, double t) { worst = std::max(worst, distance(s, larmor_exact(t))); });
  BOOST_TEST_MESSAGE("dopri5: largest deviation from the closed form over 10 periods " << worst);
  BOOST_TEST(worst <= 1e-6);
}

BOOST_AUTO_TEST_CASE(heun_stepper_converges_at_second_order_at_zero_temperature) {
  const double period = larmor_period_s();
  const double coarse = heun_larmor_error(period / 1000.0), fine = heun_larmor_error(period / 2000.0);
  BOOST_TEST_MESSAGE("Heun: deviation over 10 periods " << coarse << " at period/1000, " << fine << " at period/2000");
  // Second order: halving dt divides the error by 4 (3.5..4.5 allows the higher-order terms).
  BOOST_TEST(coarse / fine > 3.5);
  BOOST_TEST(coarse / fine < 4.5);
  BOOST_TEST(fine <= 1e-4);
}

BOOST_AUTO_TEST_CASE(small_angle_precession_frequency_with_anisotropy_and_demagnetization) {
  MacrospinModel model;
  model.alpha = 0.01;
  model.demag_x = model.demag_y = 0.1;
  model.demag_z = 0.8;
  const double hk_eff = 0.5 / kMu0, h_z = 0.1 / kMu0;
  model.h_ext_A_per_m = {0.0, 0.0, h_z};
  const double hk_uniaxial = hk_eff + (model.demag_z - model.demag_x) * model.ms_A_per_m;
  const double expected_hz = kGammaE_rad_per_s_T * kMu0 * (hk_eff + h_z) / (2.0 * kPi * (1.0 + model.alpha * model.alpha));
  const double theta0 = 0.01;
  JunctionEnsemble ensemble(model, {JunctionCoefficients{hk_uniaxial, 0.0, 0.0}}, {});
  EnsembleState m = EnsembleState::uniform(1, {std::sin(theta0), 0.0, std::cos(theta0)});
  const double dt = 1.0 / expected_hz / 2000.0;
  double previous_x = m.x[0], first_crossing = -1.0, last_crossing = -1.0;
  int crossings = 0;
  integrate_steps(ensemble, m, 40000, dt, [&](const EnsembleState& s, std::size_t step) {
    const double x = s.x[0];
    if (previous_x < 0.0 && x >= 0.0) {  // upward zero crossing, linearly interpolated
      const double t = (static_cast<double>(step) - x / (x - previous_x)) * dt;
      if (crossings == 0) first_crossing = t;
      last_crossing = t;
      ++crossings;
    }
    previous_x = x;
  });
  BOOST_REQUIRE(crossings >= 10);
  const double measured_hz = (crossings - 1) / (last_crossing - first_crossing);
  BOOST_TEST_MESSAGE("precession " << measured_hz / 1e9 << " GHz, small-angle formula " << expected_hz / 1e9 << " GHz");
  // The formula is exact as theta -> 0; at theta = 0.01 the frequency is lower by
  // theta^2/2 H_K/(H_K + H_z) ~ 4e-5, and the step adds ~(omega dt)^2/12 ~ 1e-6.
  BOOST_TEST(std::abs(measured_hz / expected_hz - 1.0) <= 1e-4);
}

namespace {

// T = 0, started 0.01 rad from -z (antiparallel), field H_z stabilizing it: does the tilt grow
// under a damping-like torque a_J (favouring +z) within 30 ns?
bool tilt_grows(double aj_A_per_m, double beta) {
  MacrospinModel model;
  model.alpha = 0.1;
  model.field_like_ratio = beta;
  model.h_ext_A_per_m = {0.0, 0.0, -0.1 / kMu0};
  const double hk_uniaxial = 0.5 / kMu0 + model.ms_A_per_m;  // H_K,eff = 0.5 T / mu0, N = (0, 0, 1)
  JunctionEnsemble ensemble(model, {JunctionCoefficients{hk_uniaxial, 0.0, aj_A_per_m}}, {});
  const double theta0 = 0.01;
  EnsembleState m = EnsembleState::uniform(1, {std::sin(theta0), 0.0, -std::cos(theta0)});
  const double dt = 0.2e-12;
  integrate_steps(ensemble, m, static_cast<std::size_t>(30e-9 / dt), dt, [](const EnsembleState&, std::size_t) {});
  // Grown: moved away from -z (a grown tilt may already have switched to +z).
  return m.z[0] > -std::cos(theta0);
}

double bisect_threshold(double beta, double guess) {
  return device_tests::bisect_threshold([&](double aj) { return tilt_grows(aj, beta); }, 0.5 * guess, 1.5 * guess,
                                        1e-3 * guess);
}

}  // namespace

BOOST_AUTO_TEST_CASE(spin_torque_instability_threshold) {
  for (double beta : {0.0, 0.3}) {
    // a_J,c = alpha (H_K,eff + H_z) / (1 + alpha beta): the linearized growth rate about -z is
    // gamma' [a_J (1 + alpha beta) - alpha (H_K,eff + H_z)].
    const double exact = 0.1 * (0.5 + 0.1) / kMu0 / (1.0 + 0.1 * beta);
    const double found = bisect_threshold(beta, exact);
    BOOST_TEST_MESSAGE("beta=" << beta << ": threshold a_J " << found << " A/m, exact " << exact << " A/m");
    BOOST_TEST(std::abs(found / exact - 1.0) <= 0.01);
  }
}

BOOST_AUTO_TEST_CASE(critical_current_of_the_plugin_device) {
  // The plugin's default device under a current bias (the current does not follow G(m)), Lambda = 1,
  // H_z = 0, at T = 0 (thermal field off). Started 0.01 rad from -z (antiparallel), a positive
  // current (favouring +z) makes the tilt grow iff a_J(I) > alpha H_K,eff; with
  // a_J = hbar P I / (2 e mu0 Ms V) and mu0 Ms H_K,eff V = 2 Delta kB T this is
  //   I_c0 = 2 e alpha mu0 Ms H_K,eff V / (hbar P) = 4 e alpha Delta kB T / (hbar P)   (16.1 uA).
  // The torque of half this size (hbar P J / (4 e mu0 Ms t_F)) would put the bisection at 2 I_c0.
  const auto values = default_device_parameters("device.smtj_llg", {"bias_mode=current"});
  const DevicePhysics physics = DevicePhysics::from_params(spinsc::Params(values, "device.smtj_llg"));
  BOOST_REQUIRE(physics.slonczewski_lambda == 1.0);
  BOOST_REQUIRE(physics.h_ext_A_per_m.z == 0.0);
  const double exact_A = 4.0 * kElementaryCharge_C * physics.alpha * physics.delta() * kBoltzmann_J_per_K *
                         physics.temperature_K / (kHbar_J_s * physics.spin_polarization);
  const double theta0 = 0.01;
  auto tilt_grows_at = [&](double current_A) {
    JunctionCoefficients c = physics.junction_at(current_A);
    c.thermal_diffusion = 0.0;  // T = 0: the deterministic dynamics
    JunctionEnsemble ensemble(physics.model_at(current_A), {c}, {});
    EnsembleState m = EnsembleState::uniform(1, {std::sin(theta0), 0.0, -std::cos(theta0)});
    const double dt = physics.time_step_s;
    integrate_steps(ensemble, m, static_cast<std::size_t>(20e-9 / dt), dt, [](const EnsembleState&, std::size_t) {});
    return m.z[0] > -std::cos(theta0);
  };
  const double found_A = device_tests::bisect_threshold(tilt_grows_at, 0.5 * exact_A, 1.5 * exact_A, 1e-3 * exact_A);
  BOOST_TEST_MESSAGE("critical current by bisection " << found_A * 1e6 << " uA, 4 e alpha Delta kB T/(hbar P) = "
                                                      << exact_A * 1e6 << " uA (Delta = " << physics.delta() << ")");
  // physics.md E row 5: within 1 % (bisection to 0.1 %, the rest the step's phase error).
  BOOST_TEST(std::abs(found_A / exact_A - 1.0) <= 0.01);
}
