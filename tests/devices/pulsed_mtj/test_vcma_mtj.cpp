// Requirement: device.vcma_mtj switches as the VCMA macrospin must: at T = 0 (alpha -> 0, no
// spin-transfer torque) the precession during the pulse reaches the equator exactly when the
// lowered anisotropy field falls to H_c = 2 H_x/(1 + H_x/H_K,eff(0)) (bisection of the dynamics
// against the amplitude from that closed form), P(1) rises monotonically with the pulse amplitude
// at 300 K over the calibrated range, and the plugin (through the PluginRegistry) calibrates and
// caches its amplitude, makes streams with the calibrated P(1), prices a bit by the closed form
// (C V^2 + V^2 t_p / R_P per write) and rejects bad parameters naming the key.
#define BOOST_TEST_MODULE device_vcma_mtj
#include <boost/test/unit_test.hpp>

#include "physical_constants.hpp"
#include "../threshold_bisection.hpp"
#include "pulsed_test_support.hpp"
#include "vcma_physics.hpp"

using namespace pulsed_test;
using namespace spinsc;
using namespace spinsc::smtj_llg;

namespace {

vcma_mtj::VcmaPhysics vcma(const std::vector<std::string>& overrides = {}) {
  const auto vm = parameters("device.vcma_mtj", vcma_mtj::declare_vcma_parameters, overrides);
  return vcma_mtj::VcmaPhysics::from_params(Params(vm, "device.vcma_mtj"));
}

}  // namespace

BOOST_AUTO_TEST_CASE(zero_temperature_threshold_from_energy_conservation) {
  const vcma_mtj::VcmaPhysics d = vcma({"damping=1e-4", "spin_polarization=0"});
  // The closed form, from the parameters: orbit energy E(m0) >= -H_x with H_K,eff(V) = H_c.
  const double ms = d.layer.ms_A_per_m, tf = d.layer.thickness_m;
  const double hk0 = 2.0 * d.layer.anisotropy_J_per_m2 / (kMu0 * ms * tf) - ms, hx = d.layer.h_ext_A_per_m.x;
  const double h_c = 2.0 * hx / (1.0 + hx / hk0);
  const double exact_V = (hk0 - h_c) * kMu0 * ms * tf * d.oxide_thickness_m / (2.0 * d.xi_J_per_V_m);
  BOOST_TEST(d.threshold_voltage_V() == exact_V, boost::test_tools::tolerance(1e-12));
  pulsed_mtj::PulsedMacrospin model = d.model();
  model.thermal_diffusion = 0.0;
  const Vec3 rest{hx / hk0, 0.0, std::sqrt(1.0 - (hx / hk0) * (hx / hk0))};  // the tilted rest state
  auto reaches_equator = [&](double voltage_V) {
    pulsed_mtj::PulsePhase pulse = d.pulse_at(voltage_V);
    pulse.duration_s = 10e-9;  // several precession periods (the period near the separatrix grows as a log)
    const auto r = pulsed_mtj::run_write_cycle(model, {pulse}, 1, {}, d.layer.time_step_s, {0}, rest);
    return r.min_mz_during_pulse < 0.0;
  };
  const double found_V = device_tests::bisect_threshold(reaches_equator, 0.8 * exact_V, 1.2 * exact_V, 1e-3 * exact_V);
  BOOST_TEST_MESSAGE("VCMA threshold by bisection " << found_V << " V, energy-conservation closed form " << exact_V << " V");
  // Bisection to 0.1 %; alpha = 1e-4 drains about alpha omega t ~ 3e-3 of the orbit's energy in
  // 10 ns, which moves the threshold up by a fraction of that: 1 %.
  BOOST_TEST(std::abs(found_V / exact_V - 1.0) <= 0.01);
}

BOOST_AUTO_TEST_CASE(switching_probability_rises_with_the_amplitude) {
  const vcma_mtj::VcmaPhysics d = vcma();
  const std::size_t n = 256;
  double previous = -1.0, previous_se = 0.0;
  std::vector<double> p;
  std::uint64_t seed = 13;
  for (double v : {0.0, 0.5, 0.6, 0.7, 0.8, 0.9}) {  // 0 and the calibrated range
    const pulsed_mtj::PulsePhase rest{d.layer.relax_s, d.layer.hk_eff_A_per_m(), 0.0, 0.0};
    const auto r = pulsed_mtj::run_write_cycle(d.model(), {rest, d.pulse_at(v), rest}, n, streams(seed++, n),
                                               d.layer.time_step_s);
    const Fraction f = fraction_of_ones(r.bits);
    BOOST_TEST_MESSAGE("V = " << v << " V: P(1) = " << f.p << " +- " << f.se);
    if (previous >= 0.0) BOOST_TEST(f.p >= previous - 4.0 * std::hypot(f.se, previous_se));
    previous = f.p, previous_se = f.se;
    p.push_back(f.p);
  }
  BOOST_TEST(p.front() < 0.05);
  BOOST_TEST(p.back() > 0.9);
}

BOOST_AUTO_TEST_CASE(plugin_calibrates_caches_and_prices_bits) {
  const fs::path cache = fresh_cache_dir("vcma_mtj");
  const std::vector<std::string> fast{"calibration_points=7", "calibration_junctions=128", "cache_dir=" + cache.string()};
  auto made = test::make_device("device.vcma_mtj", fast, 5);
  const smtj_llg::CalibrationCurve curve = cached_curve(cache);
  for (std::size_t k = 0; k < curve.bias.size(); ++k)
    BOOST_TEST_MESSAGE("V = " << curve.bias[k] << " V: P(1) " << curve.p_one[k] << " +- " << curve.p_one_se[k]);
  BOOST_TEST(made->device->control_unit() == "V");
  BOOST_TEST(curve.p_monotone.front() < 0.05);
  BOOST_TEST(curve.p_monotone.back() > 0.9);
  BOOST_TEST(curve.bias.front() == 0.5);

  // Energy: C V^2 + V^2 t_p / R_P per write, a reset write at the top of the grid after a 1, and the read.
  const std::size_t k = 3;  // 0.7 V of 0.5..0.9 V
  const double v = curve.bias[k], v_max = curve.bias.back(), p = curve.p_monotone[k];
  const double c = 8.8541878128e-12 * 9.0 * (0.25 * kPi * 50e-9 * 50e-9) / 1.5e-9;
  auto write = [&](double u) { return c * u * u + u * u * 0.9e-9 / 500e3; };
  const double expected = write(v) + p * write(v_max) + 0.01 * 1e-9 * ((1 - p) / 500e3 + p / (500e3 * 2.2));
  check_streams_at_grid_point(*made->device, curve, k, expected, 0.9e-9 + 5e-9 + 1e-9);
  fs::remove_all(cache);
}

BOOST_AUTO_TEST_CASE(bad_parameters_name_the_key) {
  const fs::path cache = fresh_cache_dir("vcma_mtj_bad");
  auto expect_error = [&](const std::string& line, const std::string& key) {
    expect_error_naming("device.vcma_mtj", cache, line, key);
  };
  expect_error("anisotropy_J_per_m2=9e-4", "device.vcma_mtj.anisotropy_J_per_m2");
  expect_error("time_step_s=1e-11", "device.vcma_mtj.time_step_s");
  expect_error("vcma_coefficient_J_per_V_m=-1e-15", "device.vcma_mtj.vcma_coefficient_J_per_V_m");
  expect_error("calibration_min_voltage_V=1.0", "device.vcma_mtj.calibration_min_voltage_V");
  BOOST_TEST(!fs::exists(cache));
}
