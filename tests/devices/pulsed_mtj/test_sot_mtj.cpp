// Requirement: device.sot_mtj switches as the spin-orbit-torque macrospin must: at T = 0 and
// H_x = 0 the perpendicular state is lost exactly at a_SO = H_K,eff/2 (bisection of the dynamics
// against I_c0 = (H_K,eff/2)(2 e mu0 Ms t_F/(hbar theta_SH)) w d), P(1) is 1/2 without bias (the
// symmetry of the fall from the plane) and rises monotonically with the MTJ bias current at 300 K,
// and the plugin (through the PluginRegistry) calibrates and caches its bias, makes streams with
// the calibrated P(1), prices a bit by the closed form and rejects bad parameters naming the key.
#define BOOST_TEST_MODULE device_sot_mtj
#include <boost/test/unit_test.hpp>

#include "physical_constants.hpp"
#include "../threshold_bisection.hpp"
#include "pulsed_test_support.hpp"
#include "sot_physics.hpp"

using namespace pulsed_test;
using namespace spinsc;
using namespace spinsc::smtj_llg;

namespace {

sot_mtj::SotPhysics sot(const std::vector<std::string>& overrides = {}) {
  const auto vm = parameters("device.sot_mtj", sot_mtj::declare_sot_parameters, overrides);
  return sot_mtj::SotPhysics::from_params(Params(vm, "device.sot_mtj"));
}

// A current raised to `current_A` in 100 equal steps of `step_s` each, then held for 100 ns: slow
// enough for m to follow a stable equilibrium while it exists (the threshold tests below).
std::vector<pulsed_mtj::PulsePhase> slow_ramp(const sot_mtj::SotPhysics& d, double current_A, double step_s) {
  std::vector<pulsed_mtj::PulsePhase> ramp;
  for (int k = 1; k <= 100; ++k) ramp.push_back(d.pulse_at(0.0, current_A * k / 100.0)), ramp.back().duration_s = step_s;
  ramp.push_back(d.pulse_at(0.0, current_A));
  ramp.back().duration_s = 100e-9;
  return ramp;
}

}  // namespace

BOOST_AUTO_TEST_CASE(zero_temperature_threshold_is_half_the_anisotropy_field) {
  const sot_mtj::SotPhysics d = sot({"bias_field_x_A_per_m=0"});
  // The closed form, from the constants (not the plugin's helper): a_SO = hbar theta J/(2 e mu0 Ms t_F).
  const double hk = 2.0 * d.layer.anisotropy_J_per_m2 / (kMu0 * d.layer.ms_A_per_m * d.layer.thickness_m) - d.layer.ms_A_per_m;
  const double exact_A = 0.5 * hk * 2.0 * kElementaryCharge_C * kMu0 * d.layer.ms_A_per_m * d.layer.thickness_m /
                         (kHbar_J_s * d.spin_hall_angle) * d.width_m * d.thickness_m;
  BOOST_TEST(d.threshold_current_A() == exact_A, boost::test_tools::tolerance(1e-12));
  // Strong damping (the threshold is a property of the equilibria, not of alpha) and a slow ramp
  // of the current (100 steps over 100 ns): m follows the tilted equilibrium (m_x m_z = -a/H_K,
  // m_z >= 0.707) while it exists and is driven into the plane (m_z -> 0) once it is gone. A sudden
  // pulse at alpha = 0.03 overshoots into the in-plane basin ~18 % below the threshold.
  pulsed_mtj::PulsedMacrospin model = sot({"bias_field_x_A_per_m=0", "damping=0.5"}).model();
  model.thermal_diffusion = 0.0;  // T = 0
  auto goes_in_plane = [&](double current_A) {
    const auto r = pulsed_mtj::run_write_cycle(model, slow_ramp(d, current_A, 1e-9), 1, {}, d.layer.time_step_s);
    return std::abs(r.final_mz[0]) < 0.35;
  };
  const double found_A = device_tests::bisect_threshold(goes_in_plane, 0.8 * exact_A, 1.2 * exact_A, 2e-3 * exact_A);
  BOOST_TEST_MESSAGE("SOT threshold by bisection " << found_A * 1e6 << " uA, (H_K/2) 2e mu0 Ms t_F w d/(hbar theta) = "
                                                   << exact_A * 1e6 << " uA");
  // Bisection to 0.2 %; the rest: the ramp's last 1 % step and the slowing down near the threshold.
  BOOST_TEST(std::abs(found_A / exact_A - 1.0) <= 0.01);
}

BOOST_AUTO_TEST_CASE(switching_probability_rises_with_the_bias_current) {
  const sot_mtj::SotPhysics d = sot();
  const std::size_t n = 256;
  double previous = -1.0, previous_se = 0.0;
  std::vector<double> p;
  std::uint64_t seed = 11;
  for (double bias_uA : {-6.0, -4.0, -2.0, 0.0, 2.0, 4.0, 6.0}) {  // the calibrated range
    const double bias_A = bias_uA * 1e-6;
    const auto r = pulsed_mtj::run_write_cycle(d.model(), {d.pulse_at(bias_A), d.relax_at(bias_A)}, n, streams(seed++, n),
                                               d.layer.time_step_s);
    const Fraction f = fraction_of_ones(r.bits);
    BOOST_TEST_MESSAGE("I_b = " << bias_uA << " uA: P(1) = " << f.p << " +- " << f.se);
    // Monotone within the noise: no fall larger than 4 combined binomial SE.
    if (previous >= 0.0) BOOST_TEST(f.p >= previous - 4.0 * std::hypot(f.se, previous_se));
    // No bias, no in-plane field, no field-like torque: the fall from the plane is symmetric.
    if (bias_uA == 0.0) BOOST_TEST(std::abs(f.p - 0.5) <= 4.0 * std::sqrt(0.25 / n));
    previous = f.p, previous_se = f.se;
    p.push_back(f.p);
  }
  BOOST_TEST(p.front() < 0.1);
  BOOST_TEST(p.back() > 0.9);
}

// The in-plane free layer (free_layer = in_plane): easy axis x, H_K,eff < 0 (the demagnetizing
// field wins over K_i), in-plane anisotropy H_K,x. The damping-like torque towards s = y tilts m out
// of the plane (m_x m_z = a / (H_K,x - H_K,eff)); the tilted state loses its stiffness against
// turning to y (B = H_K,x cos^2 theta + H_K,eff sin^2 theta = 0, sot_physics.hpp) at a_c =
// sqrt(H_K,x |H_K,eff|), well before the fold at (H_K,x - H_K,eff)/2: I_c0 = sqrt(H_K,x |H_K,eff|)
// (2 e mu0 Ms t_F/(hbar theta_SH)) w d. Against a T = 0 bisection as above (strong damping, slow
// ramp), and the fold's current is checked to be well above it (the bisection tells them apart).
std::vector<std::string> in_plane_layer(std::vector<std::string> more = {}) {
  std::vector<std::string> o{"free_layer=in_plane", "anisotropy_J_per_m2=0.5e-3", "in_plane_anisotropy_A_per_m=2e4",
                             "time_step_s=2e-13", "bias_field_x_A_per_m=0"};
  o.insert(o.end(), more.begin(), more.end());
  return o;
}

BOOST_AUTO_TEST_CASE(in_plane_threshold_is_the_geometric_mean_of_in_plane_and_demagnetizing_fields) {
  const sot_mtj::SotPhysics d = sot(in_plane_layer());
  const double ms = d.layer.ms_A_per_m, tf = d.layer.thickness_m;
  const double hk_eff = 2.0 * 0.5e-3 / (kMu0 * ms * tf) - ms;  // < 0: easy plane
  BOOST_TEST_REQUIRE(hk_eff < 0.0);
  const double per_torque_A = 2.0 * kElementaryCharge_C * kMu0 * ms * tf / (kHbar_J_s * d.spin_hall_angle) * d.width_m * d.thickness_m;
  const double exact_A = std::sqrt(2e4 * -hk_eff) * per_torque_A, fold_A = 0.5 * (2e4 - hk_eff) * per_torque_A;
  BOOST_TEST(d.threshold_current_A() == exact_A, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(fold_A > 2.0 * exact_A);
  pulsed_mtj::PulsedMacrospin model = sot(in_plane_layer({"damping=0.5"})).model();
  model.thermal_diffusion = 0.0;
  BOOST_TEST(model.in_plane());
  // The slow mode's rate here is ~alpha gamma0 H_K,x ~ 2e9 /s, and it vanishes at the threshold: a
  // 50 ns ramp of 100 steps and a 100 ns hold follow the tilted equilibrium (m_x >= 0.98 while it is
  // stable) or leave it for +-y.
  auto leaves_the_easy_axis = [&](double current_A) {
    const auto r = pulsed_mtj::run_write_cycle(model, slow_ramp(d, current_A, 0.5e-9), 1, {}, d.layer.time_step_s);
    return std::abs(r.final_mx[0]) < 0.35;
  };
  const double found_A = device_tests::bisect_threshold(leaves_the_easy_axis, 0.8 * exact_A, 1.2 * exact_A, 2e-3 * exact_A);
  BOOST_TEST_MESSAGE("in-plane SOT threshold by bisection " << found_A * 1e3 << " mA, sqrt(H_K,x |H_K,eff|) 2e mu0 Ms t_F w d/(hbar theta) = "
                                                            << exact_A * 1e3 << " mA, fold " << fold_A * 1e3 << " mA (perpendicular layer: "
                                                            << sot({"bias_field_x_A_per_m=0"}).threshold_current_A() * 1e6 << " uA)");
  BOOST_TEST(std::abs(found_A / exact_A - 1.0) <= 0.01);
}

// At 300 K, with a pulse 14x the in-plane threshold, the fall from +y to +-x is a fair coin without
// bias and tilts towards AP (-x) with a positive bias current through the MTJ (its torque towards -x).
BOOST_AUTO_TEST_CASE(in_plane_switching_probability_rises_with_the_bias_current) {
  const sot_mtj::SotPhysics d =
      sot(in_plane_layer({"sot_current_A=4e-3", "pulse_width_s=3e-9", "relax_time_s=3e-9"}));
  BOOST_TEST_REQUIRE(d.sot_current_A > 4.0 * d.threshold_current_A());
  const std::size_t n = 128;
  std::vector<Fraction> f;
  std::uint64_t seed = 21;
  for (double bias_uA : {-200.0, 0.0, 200.0}) {
    const double bias_A = bias_uA * 1e-6;
    const auto r = pulsed_mtj::run_write_cycle(d.model(), {d.pulse_at(bias_A), d.relax_at(bias_A)}, n, streams(seed++, n),
                                               d.layer.time_step_s);
    f.push_back(fraction_of_ones(r.bits));
    BOOST_TEST_MESSAGE("in plane, I_b = " << bias_uA << " uA: P(1) = " << f.back().p << " +- " << f.back().se);
  }
  BOOST_TEST(std::abs(f[1].p - 0.5) <= 4.0 * std::sqrt(0.25 / n));  // symmetric fall without bias
  BOOST_TEST(f[2].p - f[0].p >= 4.0 * std::hypot(f[0].se, f[2].se));  // the bias sets P(1)
}

BOOST_AUTO_TEST_CASE(plugin_calibrates_caches_and_prices_bits) {
  const fs::path cache = fresh_cache_dir("sot_mtj");
  const std::vector<std::string> fast{"calibration_points=7", "calibration_junctions=128", "cache_dir=" + cache.string()};
  auto made = test::make_device("device.sot_mtj", fast, 5);
  const smtj_llg::CalibrationCurve curve = cached_curve(cache);
  for (std::size_t k = 0; k < curve.bias.size(); ++k)
    BOOST_TEST_MESSAGE("I_b = " << curve.bias[k] * 1e6 << " uA: P(1) " << curve.p_one[k] << " +- " << curve.p_one_se[k]);
  BOOST_TEST(made->device->control_unit() == "A");
  BOOST_TEST(curve.p_monotone.front() < 0.1);
  BOOST_TEST(curve.p_monotone.back() > 0.9);

  // Energy: I_SOT^2 R_ch t_p + I_b^2 R_P (t_p + t_r) + V_r^2 t_r (pi_P/R_P + pi_AP/R_AP), R_ch = rho L/(w d);
  // no reset (the pulse erases the state).
  const std::size_t k = 4;
  const double i_b = curve.bias[k], p = curve.p_monotone[k];
  const double r_ch = 200e-8 * 50e-9 / (50e-9 * 3e-9);
  const double expected = 75e-6 * 75e-6 * r_ch * 10e-9 + i_b * i_b * 5e3 * 25e-9 +
                          0.01 * 1e-9 * ((1 - p) / 5e3 + p / (5e3 * 2.2));
  check_streams_at_grid_point(*made->device, curve, k, expected, 10e-9 + 15e-9 + 1e-9);

  // The same parameters reuse the cached curve; a changed one is a new calibration.
  auto again = test::make_device("device.sot_mtj", fast, 5);
  BOOST_TEST(std::distance(fs::directory_iterator(cache), fs::directory_iterator{}) == 1);
  std::vector<std::string> warmer = fast;
  warmer.push_back("temperature_K=320");
  auto warm = test::make_device("device.sot_mtj", warmer, 5);
  BOOST_TEST(std::distance(fs::directory_iterator(cache), fs::directory_iterator{}) == 2);
  fs::remove_all(cache);
}

BOOST_AUTO_TEST_CASE(bad_parameters_name_the_key) {
  const fs::path cache = fresh_cache_dir("sot_mtj_bad");
  auto expect_error = [&](const std::string& line, const std::string& key) {
    expect_error_naming("device.sot_mtj", cache, line, key);
  };
  expect_error("anisotropy_J_per_m2=5e-4", "device.sot_mtj.anisotropy_J_per_m2");
  expect_error("time_step_s=1e-10", "device.sot_mtj.time_step_s");
  expect_error("spin_hall_angle=-0.1", "device.sot_mtj.spin_hall_angle");
  // An in-plane layer whose K_i still holds it out of plane, and one at the perpendicular step.
  expect_error("free_layer=in_plane", "device.sot_mtj.anisotropy_J_per_m2");
  try {
    test::make_device("device.sot_mtj", {"free_layer=in_plane", "anisotropy_J_per_m2=0.5e-3", "cache_dir=" + cache.string()});
    BOOST_ERROR("no error for an in-plane layer at the 5 ps step");
  } catch (const std::exception& e) {
    BOOST_TEST(std::string(e.what()).find("device.sot_mtj.time_step_s") != std::string::npos, e.what());
  }
  BOOST_TEST(!fs::exists(cache));  // nothing computed for a rejected device
}

