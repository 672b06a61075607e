// Requirement: device.sot_mtj reproduces the switching-probability curve of the SOT ("SHE") device
// of the UT Stochastic_MTJ_Model (the public code of Liu et al., "Random Bitstream Generation Using
// Voltage-Controlled Magnetic Anisotropy and Spin Orbit Torque Magnetic Tunnel Junctions", IEEE
// JXCDC 8(2), 2022) on that model's parameters. The reference: its look-up table of P(1) against the
// spin-transfer current density J through the MTJ (github.com/JaredArz/Stochastic_MTJ_Model,
// LUT_data/SHE/ooshe_bitavg_0..19.npy and J_appl.npy, commit 413a6b6 of 2023-09-30: 20 nominal
// devices x 10000 write cycles per point, so its SE is <= 0.0011), averaged over the 20 devices and
// read with its sign convention (its P(1) at -J is ours at +J). Its parameters: Ms = 1.2e6 A/m, K_i =
// 1.0056364e-3 J/m^2, 50 nm disk, t_F = 1.1 nm, alpha = 0.03, theta_SH = 0.3, J_SOT = 5e11 A/m^2 in a
// 3 nm channel, 10 ns pulse, 15 ns relaxation, P = 0.6, 300 K, demagnetizing factors (Nx, Ny, Nz) =
// (0.010613, 0.010613, 0.978774). Our layer is a thin film (N_z = 1, N_x = N_y = 0); with Nx = Ny
// the in-plane part of their demagnetizing field is parallel to m along the easy axis, so theirs is
// ours with H_K,eff = 2 K_i/(mu0 Ms t_F) - (Nz - Nx) Ms, i.e. K_i' = K_i + mu0 Ms^2 t_F (1 - Nz + Nx)/2
// (mu0 H_K,eff = 63.8 mT, Delta = 20, against the thin film's 15.6 mT). Their integrator steps 50 ps;
// ours 4 ps (dt gamma0 H_K,eff <= 0.05). Each point: 2048 write cycles, within 4 combined SE.
#define BOOST_TEST_MODULE device_sot_reference
#include <boost/test/unit_test.hpp>

#include <cstdio>

#include "physical_constants.hpp"
#include "pulsed_test_support.hpp"
#include "sot_physics.hpp"

using namespace pulsed_test;
using namespace spinsc;
using namespace spinsc::smtj_llg;

BOOST_AUTO_TEST_CASE(switching_probability_follows_the_ut_model_on_its_parameters) {
  const double ki = 1.0056364e-3, ms = 1.2e6, tf = 1.1e-9, nx = 0.010613177892974, nz = 0.978773644214052;
  char ki_option[64];
  std::snprintf(ki_option, sizeof ki_option, "anisotropy_J_per_m2=%.12g", ki + kMu0 * ms * ms * tf * (1.0 - nz + nx) / 2.0);
  const auto vm = parameters("device.sot_mtj", sot_mtj::declare_sot_parameters,
                             {ki_option, "time_step_s=4e-12", "spin_polarization=0.6", "sot_current_A=75e-6"});
  const sot_mtj::SotPhysics d = sot_mtj::SotPhysics::from_params(Params(vm, "device.sot_mtj"));
  BOOST_TEST(d.sot_current_A / (d.width_m * d.thickness_m) == 5e11, boost::test_tools::tolerance(1e-12));
  BOOST_TEST_MESSAGE("their layer as ours: mu0 H_K,eff = " << kMu0 * d.layer.hk_eff_A_per_m() * 1e3 << " mT, Delta = "
                                                          << d.layer.delta());
  struct Point {
    double j_A_per_m2, p_reference;
  };
  // The reference's P(1) at -J (the mean of its 20 devices), printed to 4 digits.
  const Point points[] = {{0.0, 0.5006},   {0.6e9, 0.6210}, {1.2e9, 0.7285}, {1.8e9, 0.8195},
                          {2.4e9, 0.8896}, {3.0e9, 0.9358}, {4.2e9, 0.9837}};
  const std::size_t n = 2048;
  std::uint64_t seed = 50;
  double worst = 0.0;
  for (const Point& pt : points) {
    const double bias_A = pt.j_A_per_m2 * d.layer.area_m2();
    const auto r = pulsed_mtj::run_write_cycle(d.model(), {d.pulse_at(bias_A), d.relax_at(bias_A)}, n, streams(seed++, n),
                                               d.layer.time_step_s);
    const Fraction f = fraction_of_ones(r.bits);
    const double se = std::hypot(f.se, std::sqrt(pt.p_reference * (1 - pt.p_reference) / 200000.0));
    BOOST_TEST_MESSAGE("J = " << pt.j_A_per_m2 << " A/m^2 (I_b = " << bias_A * 1e6 << " uA): P(1) " << f.p << " +- " << f.se
                              << ", UT model " << pt.p_reference << " (difference " << (f.p - pt.p_reference) / se << " SE)");
    BOOST_TEST(std::abs(f.p - pt.p_reference) <= 4.0 * se, "J = " << pt.j_A_per_m2);
    worst = std::max(worst, std::abs(f.p - pt.p_reference));
  }
  BOOST_TEST_MESSAGE("largest difference " << worst);
}
