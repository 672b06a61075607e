// Requirement: the pulsed MTJs vary from junction to junction as their delta_spread says: junction
// `device_index` has Delta exp(s z), z ~ N(0, 1), through its anisotropy, and the controller keeps
// the nominal calibration. So at one requested P(1) the junctions' own P(1) spread as
// P1(Delta exp(s z)) does over z: across J junctions of n bits each the variance of the measured
// P(1) is Var_z[P1] + E_z[P1 (1 - P1)] / n, against P1 (1 - P1) / n alone without the spread.
// P1(f) at the nodes of the quadrature comes from write cycles (the dynamics the oracle tests of
// test_sot_mtj.cpp and test_vcma_mtj.cpp check) of a junction whose barrier is f Delta, written
// here: Delta = mu0 Ms H_K,eff V / (2 kB T), so another interface anisotropy K_i shifts H_K,eff by
// (f - 1) H_K,eff(0) in every phase of the write. What this test checks is that the plugins'
// junctions carry the spread of Delta, drawn per device_index, and that it leaves the nominal
// device and the calibration alone.
//   device.vcma_mtj: the switching threshold V_c moves with H_K,eff(0), so P(1) at a fixed pulse
//                    is steep in Delta: a 2 % spread of Delta widens the junctions' P(1) many SE.
//   device.sot_mtj:  the pulse drives m into the plane whatever H_K,eff, and the bias tilts its
//                    fall; P(1) at a fixed bias hardly depends on Delta (0.76-0.81 over Delta x
//                    0.37 ... 2.7 in this test's nodes): a 25 % spread leaves the binomial spread.
#define BOOST_TEST_MODULE device_pulsed_variation
#include <boost/test/unit_test.hpp>

#include <bit>
#include <cmath>
#include <functional>

#include "pulsed_test_support.hpp"
#include "sot_physics.hpp"
#include "vcma_physics.hpp"

using namespace pulsed_test;
using namespace spinsc;

namespace {

struct Sample {
  double mean, variance;
};
Sample sample_of(const std::vector<double>& x) {
  double m = 0, v = 0;
  for (double e : x) m += e;
  m /= double(x.size());
  for (double e : x) v += (e - m) * (e - m);
  return {m, v / double(x.size() - 1)};
}

// Each junction's (device_index 0 .. junctions-1) fraction of ones over `bits` bits of one stream.
std::vector<double> per_junction_p1(BitSource& device, double requested, std::size_t junctions, std::size_t bits) {
  std::vector<double> p1;
  std::vector<std::uint64_t> words(words_for_bits(bits));
  const RandomStream base(7, "pulsed-variation-streams");
  for (std::size_t j = 0; j < junctions; ++j) {
    RandomStream rng = base.substream(j);
    device.generate({requested, bits, j}, words, rng);
    double ones = 0;
    for (auto w : words) ones += std::popcount(w);
    p1.push_back(ones / double(bits));
  }
  return p1;
}

// The write cycle of n junctions whose barrier is f Delta, seeded by `seed`.
using WriteAt = std::function<pulsed_mtj::WriteCycleResult(double f, std::size_t n, std::uint64_t seed)>;

struct Case {
  std::string plugin;
  double spread, requested;
  std::size_t junctions, bits, nodes_half, node_cycles;
  bool spread_visible;  // the prediction says Delta's share is many SE (checked, not assumed)
};

// The prediction from P1 at the nodes z = -h..h (step 1, normal weights: the trapezoid rule, within
// ~1e-8 of the normal's moments at this step), the plugin's junctions against it.
void check_spread(const Case& c, const std::function<WriteAt(double control)>& write_at) {
  const fs::path cache = fresh_cache_dir("pulsed_variation_" + c.plugin.substr(7));
  const std::vector<std::string> fast{"calibration_points=7", "calibration_junctions=128", "cache_dir=" + cache.string()};
  std::vector<std::string> spread_options = fast;
  spread_options.push_back("delta_spread=" + std::to_string(c.spread));
  auto nominal = test::make_device(c.plugin, fast, 5);
  auto varied = test::make_device(c.plugin, spread_options, 5);
  // The spread does not enter the calibration (the nominal device's): one cached curve for both.
  BOOST_TEST(std::distance(fs::directory_iterator(cache), fs::directory_iterator{}) == 1);
  const double control = varied->device->control_for(c.requested);
  BOOST_TEST(control == nominal->device->control_for(c.requested));
  const WriteAt write = write_at(control);

  std::vector<double> w, p;
  double total_w = 0;
  for (int z = -int(c.nodes_half); z <= int(c.nodes_half); ++z) {
    const double f = std::exp(c.spread * z);
    const Fraction x = fraction_of_ones(write(f, c.node_cycles, 100 + std::uint64_t(z + 100)).bits);
    BOOST_TEST_MESSAGE(c.plugin << " z = " << z << ": Delta x " << f << ", P(1) " << x.p << " +- " << x.se);
    w.push_back(std::exp(-0.5 * z * z)), p.push_back(x.p);
    total_w += w.back();
  }
  double mean = 0, spread_var = 0, within = 0, mean_var = 0, var_var = 0, fourth = 0;
  for (std::size_t i = 0; i < w.size(); ++i) w[i] /= total_w, mean += w[i] * p[i];
  for (std::size_t i = 0; i < w.size(); ++i) {
    const double node_var = p[i] * (1 - p[i]) / double(c.node_cycles);  // the node estimate's own variance
    spread_var += w[i] * ((p[i] - mean) * (p[i] - mean) - node_var);   // less the nodes' noise (unbiased)
    within += w[i] * p[i] * (1 - p[i]) / double(c.bits);
    // The nodes' noise in the prediction: in the mean sum w_i^2 var_i; in Var_z (d/dP_i = 2 w_i
    // (P_i - mean)) sum 4 w_i^2 (P_i - mean)^2 var_i.
    mean_var += w[i] * w[i] * node_var;
    var_var += 4 * w[i] * w[i] * (p[i] - mean) * (p[i] - mean) * node_var;
    // Fourth central moment of a junction's measured P(1): its P1 about the mean, plus its bits'
    // binomial noise v taken as normal: (P1 - mean)^4 + 6 (P1 - mean)^2 v + 3 v^2.
    const double e = p[i] - mean, v = p[i] * (1 - p[i]) / double(c.bits);
    fourth += w[i] * (e * e * e * e + 6 * e * e * v + 3 * v * v);
  }
  const double predicted = std::max(spread_var, 0.0) + within;
  const Sample measured = sample_of(per_junction_p1(*varied->device, c.requested, c.junctions, c.bits));
  // The sample variance of J draws has SE sqrt((mu4 - sigma^4 (J-3)/(J-1)) / J), from the predicted
  // moments, combined with the prediction's own.
  const double j = double(c.junctions);
  const double var_se =
      std::hypot(std::sqrt(std::max(fourth - predicted * predicted * (j - 3) / (j - 1), 0.0) / j), std::sqrt(var_var));
  BOOST_TEST_MESSAGE(c.plugin << " spread " << c.spread << ": variance of the junctions' P(1) " << measured.variance
                              << ", predicted " << predicted << " (" << spread_var << " from Delta, " << within
                              << " from the bits; SE " << var_se << "); mean " << measured.mean << ", predicted " << mean);
  BOOST_TEST(std::abs(measured.variance - predicted) <= 4.0 * var_se);
  BOOST_TEST(std::abs(measured.mean - mean) <= 4.0 * std::sqrt(predicted / double(c.junctions) + mean_var));
  // Without a spread the variance would be the bits' alone (SE within sqrt(2/(J-1)), normal): the
  // VCMA junctions are far from it, the SOT junctions within it, as predicted.
  const double none_se = within * std::sqrt(2.0 / (j - 1));
  if (c.spread_visible) BOOST_TEST(measured.variance - within >= 4.0 * none_se);
  else BOOST_TEST(std::abs(spread_var) <= 4.0 * var_se);

  // Without the spread every junction is the nominal one: the binomial variance only.
  const Sample flat = sample_of(per_junction_p1(*nominal->device, c.requested, c.junctions, c.bits));
  const double flat_var = flat.mean * (1 - flat.mean) / double(c.bits);
  BOOST_TEST_MESSAGE(c.plugin << " no spread: variance " << flat.variance << ", binomial " << flat_var);
  BOOST_TEST(std::abs(flat.variance - flat_var) <= 4.0 * flat_var * std::sqrt(2.0 / double(c.junctions - 1)));
  fs::remove_all(cache);
}

template <class Physics, class Declare>
Physics physics_of(const std::string& plugin, Declare declare) {
  const auto vm = parameters(plugin, declare, {});
  return Physics::from_params(Params(vm, plugin));
}

}  // namespace

BOOST_AUTO_TEST_CASE(vcma_junctions_spread_as_their_delta) {
  const auto d = physics_of<vcma_mtj::VcmaPhysics>("device.vcma_mtj", vcma_mtj::declare_vcma_parameters);
  check_spread({"device.vcma_mtj", 0.02, 0.5, 64, 32, 3, 256, true}, [&](double voltage_V) -> WriteAt {
    return [&d, voltage_V](double f, std::size_t n, std::uint64_t seed) {
      const pulsed_mtj::PulsePhase rest{d.layer.relax_s, d.layer.hk_eff_A_per_m(), 0.0, 0.0};
      std::vector<pulsed_mtj::PulsePhase> phases{rest, d.pulse_at(voltage_V), rest};  // settle, pulse, relax
      for (auto& phase : phases) phase.hk_eff_A_per_m += (f - 1.0) * d.layer.hk_eff_A_per_m();
      return pulsed_mtj::run_write_cycle(d.model(), phases, n, streams(seed, n), d.layer.time_step_s);
    };
  });
}

BOOST_AUTO_TEST_CASE(sot_junctions_hardly_depend_on_delta) {
  const auto d = physics_of<sot_mtj::SotPhysics>("device.sot_mtj", sot_mtj::declare_sot_parameters);
  check_spread({"device.sot_mtj", 0.25, 0.8, 32, 128, 4, 256, false}, [&](double bias_A) -> WriteAt {
    return [&d, bias_A](double f, std::size_t n, std::uint64_t seed) {
      std::vector<pulsed_mtj::PulsePhase> phases{d.pulse_at(bias_A), d.relax_at(bias_A)};  // the pulse erases
      for (auto& phase : phases) phase.hk_eff_A_per_m += (f - 1.0) * d.layer.hk_eff_A_per_m();
      return pulsed_mtj::run_write_cycle(d.model(), phases, n, streams(seed, n), d.layer.time_step_s);
    };
  });
}
