// Requirement (device what-if study): experiments/paper/device_whatif.ini, one zip sweep, runs every
// device variant end to end in a reduced form (1 epoch on 4000 images, 100 test images, short
// streams, small banks) on one trained network (trained once: count the trainings; float and
// quantized accuracy bit for bit the same in every run), with accuracy, energy and latency per
// inference from the ledger, each checked against its closed form: device bits per inference
// L (n_in + n_in n_out) per layer, 20 fJ (ideal source) and 10 fJ (LFSR) per bit, every s-MTJ
// telegraph bit between V^2 T / R_AP and V^2 T / R_P, every SOT-MTJ and VCMA-MTJ bit within the
// bounds of its write, bias and read energies, two layers of L clock periods. The telegraph's 350 K
// and Delta-spread rows deliver what the Neel-Arrhenius model predicts: the banks' P(1) per level
// (the run records it) against the stationary P(AP) at the bias the controller chose, and the
// spread of P(1) across a bank's junctions against the one the spread of Delta predicts.
#define BOOST_TEST_MODULE paper_device_whatif
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <map>

#include "paper_study_support.hpp"

using namespace paper_test;

namespace {

// The sweep's points, in its order (runs/000000 ...).
const std::vector<std::string> kVariants{"bernoulli",      "lfsr",
                                         "telegraph",      "trace",
                                         "telegraph_350K", "telegraph_350K_cal300K",
                                         "telegraph_delta_spread10", "telegraph_K16",
                                         "llg",            "sot",
                                         "vcma"};
bool short_streams(const std::string& v) { return v == "llg" || v == "telegraph_K16" || v == "sot" || v == "vcma"; }

// The telegraph's model, written here from its equations (device.smtj_telegraph's defaults: tau0 =
// 1 ns, Delta = 3 at 300 K, n = 1, V_c = 1.5 V, V50 = 0, clock T = 10 ns, bias within +-1 V):
// tau_AP = tau0 exp[Delta (1 - V/V_c)], tau_P = tau0 exp[Delta (1 + V/V_c)], Delta(T) = 3 x 300/T.
constexpr double kTau0_s = 1e-9, kDelta300 = 3.0, kCriticalV = 1.5, kClock_s = 10e-9, kMaxBiasV = 1.0;
constexpr int kLevels = 5;  // P(1) = 0, 1/4, 1/2, 3/4, 1

double delta_at(double temperature_K) { return kDelta300 * 300.0 / temperature_K; }

// The controller's bias for P(AP) = p, from the sigmoid of a junction with barrier delta_cal.
double controller_bias_V(double p, double delta_cal) {
  if (p <= 0.0) return kMaxBiasV;
  if (p >= 1.0) return -kMaxBiasV;
  return std::clamp(-kCriticalV * std::log(p / (1.0 - p)) / (2.0 * delta_cal), -kMaxBiasV, kMaxBiasV);
}

// What a junction with barrier `delta` delivers at `bias_V`: its stationary P(AP) and the variance
// of the mean of L clocked samples of its two-state chain (lag-k correlation rho^k, rho = exp(-T/tau_c)):
// pi(1-pi)/L [(1+rho)/(1-rho) - 2 rho (1-rho^L) / (L (1-rho)^2)].
struct Delivered {
  double p_ap, stream_variance;
};
Delivered delivered(double delta, double bias_V, double length) {
  const double u = bias_V / kCriticalV;
  const double tau_ap = kTau0_s * std::exp(delta * (1.0 - u)), tau_p = kTau0_s * std::exp(delta * (1.0 + u));
  const double pi = tau_ap / (tau_ap + tau_p), tau_c = tau_ap * tau_p / (tau_ap + tau_p);
  const double rho = std::exp(-kClock_s / tau_c);
  const double v = pi * (1.0 - pi) / length *
                   ((1.0 + rho) / (1.0 - rho) - 2.0 * rho * (1.0 - std::pow(rho, length)) / (length * (1.0 - rho) * (1.0 - rho)));
  return {pi, v};
}

// A bank of K streams, one junction each, whose Delta is delta (1 + s z) (floored at 0.1 delta), z
// standard normal: the mean, variance and fourth central moment of a stream's fraction of ones,
// over junctions and streams (a stream's own noise taken as normal: at L = 1024 a stream holds >= 18
// ones at every level), by quadrature over z on [-8, 8].
struct BankMoments {
  double mean, variance, fourth;
};
BankMoments bank_moments(double bias_V, double spread, double length) {
  const int n = 4001;
  std::vector<double> w(n), pi(n), v(n);
  double total = 0, mean = 0;
  for (int i = 0; i < n; ++i) {
    const double z = -8.0 + 16.0 * i / (n - 1);
    const Delivered d = delivered(delta_at(300.0) * std::max(0.1, 1.0 + spread * z), bias_V, length);
    w[i] = std::exp(-0.5 * z * z), pi[i] = d.p_ap, v[i] = d.stream_variance;
    total += w[i], mean += w[i] * pi[i];
  }
  mean /= total;
  double variance = 0, fourth = 0;
  for (int i = 0; i < n; ++i) {
    const double e = pi[i] - mean;
    variance += w[i] * (e * e + v[i]);
    fourth += w[i] * (e * e * e * e + 6.0 * e * e * v[i] + 3.0 * v[i] * v[i]);
  }
  return {mean, variance / total, fourth / total};
}

// The sample variance of K draws has SE sqrt((mu4 - sigma^4 (K-3)/(K-1)) / K).
double variance_se(const BankMoments& m, double k_entries) {
  return std::sqrt((m.fourth - m.variance * m.variance * (k_entries - 3) / (k_entries - 1)) / k_entries);
}

std::string run_group(std::size_t i) {
  const std::string digits = std::to_string(i);
  return "runs/" + std::string(6 - digits.size(), '0') + digits;
}

// The banks of one run and length: [role * levels + k], role 0 inputs, 1 weights.
struct Banks {
  std::vector<double> mean, sd;
  double k_entries;
};
Banks banks_of(const File& f, std::size_t run, int length) {
  const std::string group = run_group(run) + "/evaluation/sc/L" + std::to_string(length);
  Banks b{f.doubles(group + "/bank_p1_mean"), f.doubles(group + "/bank_p1_sd"),
          double(f.int_attribute(run_group(run) + "/evaluation/sc", "bank_size"))};
  BOOST_REQUIRE_EQUAL(b.mean.size(), 2u * kLevels);
  BOOST_REQUIRE(f.doubles(group + "/level_probability") == (std::vector<double>{0.0, 0.25, 0.5, 0.75, 1.0}));
  return b;
}

// The reduced study, run once for all test cases: the file's sweep with shorter streams and smaller
// banks, the same eleven points (zip): L = 64 (32 for the sLLG, SOT and VCMA devices and the K = 16
// control); K = 2 but for the telegraph rows whose delivered P(1) is checked (K = 256: a bank of the
// telegraph costs nothing), and L = 1024 besides for the nominal and the Delta-spread telegraph
// (there the spread of Delta, not a stream's own noise, dominates the spread of P(1) across
// junctions). The pulsed devices calibrate on a coarser grid (not what this test checks).
const fs::path& study_file() {
  static const fs::path file = [] {
    const fs::path dir = scratch("device_whatif");
    const CommandResult r =
        run(dir, "cd '" + source("") + "' && SPINSC_PLUGIN_PATH= " + cli() +
                     " run experiments/paper/device_whatif.ini -o '" + (dir / "whatif.h5").string() +
                     "' --train.epochs=1 --data.train_size=4000 --eval.sc_samples=100"
                     " --device.sot_mtj.calibration_points=7 --device.sot_mtj.calibration_junctions=128"
                     " --device.vcma_mtj.calibration_points=7 --device.vcma_mtj.calibration_junctions=128"
                     " '--sweep.eval.lengths=64|64|64,1024|64|64|64|64,1024|32|32|32|32'"
                     " --sweep.sc.bank_size=2,2,256,2,256,256,256,2,2,2,2");
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.output);
    return dir / "whatif.h5";
  }();
  return file;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_device_feeds_one_trained_network) {
  File f(study_file());
  std::map<std::string, double> energy, quantized, accuracy, latency, bits;
  std::map<std::string, std::vector<double>> float_accuracy;
  std::int64_t trainings = 0;
  for (std::size_t i = 0; i < kVariants.size(); ++i) {
    const std::string& v = kVariants[i];
    const std::string run = run_group(i);
    BOOST_TEST(f.attribute(run, "status") == "complete", v);
    trainings += f.int_attribute(run + "/training", "trained_in_this_run");
    quantized[v] = f.scalar(run + "/evaluation/quantized/accuracy");
    float_accuracy[v] = f.doubles(run + "/evaluation/float/accuracy");
    energy[v] = f.doubles(run + "/evaluation/sc/device_energy_per_inference_J").at(0);
    accuracy[v] = f.doubles(run + "/evaluation/sc/accuracy").at(0);
    const std::string prefix = short_streams(v) ? "L32/" : "L64/";
    const double samples = f.scalar(run + "/evaluation/sc/" + prefix + "n_samples");
    latency[v] = ledger_sum(f, run, prefix, "stream_clocks").latency_s / samples;
    bits[v] = ledger_sum(f, run, prefix, "bits_generated").events / samples;
    BOOST_TEST(energy[v] > 0.0, v);
  }
  BOOST_TEST(trainings == 1);  // one training, eleven evaluations
  BOOST_TEST(f.strings("summary/device.plugin").at(8) == "device.smtj_llg");
  BOOST_TEST(f.strings("summary/device.plugin").at(9) == "device.sot_mtj");
  BOOST_TEST(f.strings("summary/device.plugin").at(10) == "device.vcma_mtj");
  for (const auto& v : kVariants) {  // one network: float and quantized accuracy bit for bit
    BOOST_TEST(quantized[v] == quantized["bernoulli"], v);
    BOOST_TEST(float_accuracy[v] == float_accuracy["bernoulli"], v);
  }
  // Device bits per inference, the closed form of the SC network: every synapse's weight stream and
  // every input stream of a layer are L bits each, L (n_in + n_in n_out) per layer of 784-128-10.
  for (const auto& v : kVariants) {
    const double length = short_streams(v) ? 32 : 64;
    BOOST_TEST(bits[v] == length * ((784 + 784 * 128) + (128 + 128 * 10)), v);
  }
  // Energy from the per-bit price: the ideal source is given 20 fJ a bit, the LFSR 10 fJ, exactly.
  BOOST_TEST(energy["bernoulli"] == bits["bernoulli"] * 20e-15, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(energy["lfsr"] == bits["lfsr"] * 10e-15, boost::test_tools::tolerance(1e-9));
  // The s-MTJ bit costs V^2 T / R while it dwells in P or AP: V = 1 V, T = 10 ns, R_P = 375 kOhm,
  // R_AP = 750 kOhm, so every telegraph variant's mean energy per bit lies between V^2 T / R_AP =
  // 13.3 fJ and V^2 T / R_P = 26.7 fJ (20 fJ at P(AP) = 1/2), whatever the levels it was driven at.
  for (const char* v : {"telegraph", "trace", "telegraph_350K", "telegraph_350K_cal300K", "telegraph_delta_spread10",
                        "telegraph_K16"}) {
    BOOST_TEST(energy[v] / bits[v] >= 1.0 * 10e-9 / 750e3, v);
    BOOST_TEST(energy[v] / bits[v] <= 1.0 * 10e-9 / 375e3, v);
  }
  // The SOT-MTJ bit (device.sot_mtj's defaults): the channel pulse I^2 rho l/(w d) t_p = (75 uA)^2 x
  // 666.7 Ohm x 10 ns = 37.5 fJ at every level, the MTJ bias I_b^2 R_P (t_p + t_r) with |I_b| <= 6 uA
  // (the calibrated range; 0 to 4.5 fJ), and the read V_r^2 t_r / R (0.1 V, 1 ns; R_P = 5 kOhm, R_AP =
  // 2.2 R_P).
  {
    const double channel = 75e-6 * 75e-6 * (200e-8 * 50e-9 / (50e-9 * 3e-9)) * 10e-9;
    const double per_bit = energy["sot"] / bits["sot"];
    BOOST_TEST(per_bit >= channel + 0.01 * 1e-9 / (5e3 * 2.2));
    BOOST_TEST(per_bit <= channel + 6e-6 * 6e-6 * 5e3 * 25e-9 + 0.01 * 1e-9 / 5e3);
  }
  // The VCMA-MTJ bit (device.vcma_mtj's defaults): the write C V^2 + V^2 t_p / R_P at the pulse
  // amplitude V in [0.5, 0.9] V (C = eps0 9 (pi/4)(50 nm)^2 / 1.5 nm, t_p = 0.9 ns, R_P = 500 kOhm), a
  // reset write at 0.9 V after each 1 (P(1) of the bit, 0 to 1), and the read (0.1 V, 1 ns).
  {
    const double c = 8.8541878128e-12 * 9.0 * (0.25 * M_PI * 50e-9 * 50e-9) / 1.5e-9;
    auto write = [&](double v) { return c * v * v + v * v * 0.9e-9 / 500e3; };
    const double per_bit = energy["vcma"] / bits["vcma"];
    BOOST_TEST(per_bit >= write(0.5) + 0.01 * 1e-9 / (500e3 * 2.2));
    BOOST_TEST(per_bit <= 2.0 * write(0.9) + 0.01 * 1e-9 / 500e3);
  }
  // Same streams consumed; 10 fJ per LFSR bit against the flat 20 fJ given to the ideal source.
  BOOST_TEST(energy["lfsr"] / energy["bernoulli"] == 0.5, boost::test_tools::tolerance(1e-9));
  // Two layers of L clocks: 10 ns per s-MTJ bit, 1 ns per LFSR bit, a whole write cycle per pulsed
  // bit: 10 + 15 + 1 ns (SOT: pulse, relaxation, read), 0.9 + 5 + 1 ns (VCMA).
  for (const auto& v : kVariants) {
    const double period = v == "lfsr" ? 1e-9 : v == "sot" ? 26e-9 : v == "vcma" ? 6.9e-9 : 10e-9;
    const double expected = 2 * (short_streams(v) ? 32 : 64) * period;
    BOOST_TEST_INFO(v);
    BOOST_TEST(latency[v] == expected, boost::test_tools::tolerance(1e-9));
  }
  // The replayed trace is the telegraph device recorded at the 5 levels: energy within 1 %.
  BOOST_TEST(energy["trace"] == energy["telegraph"], boost::test_tools::tolerance(0.01));
  // 350 K: Delta falls to 300/350 of itself, the +-1 V ends of the bias range deliver less extreme
  // P(AP), so the energy of the bits at the extreme levels changes; a controller calibrated at
  // 300 K delivers every level off target.
  BOOST_TEST(energy["telegraph_350K"] != energy["telegraph"]);
  BOOST_TEST(energy["telegraph_350K_cal300K"] != energy["telegraph"]);
  BOOST_TEST(energy["telegraph_350K_cal300K"] != energy["telegraph_350K"]);
}

// What the telegraph rows deliver, level by level, against the Neel-Arrhenius prediction: the mean
// over a bank's K = 256 streams (each its own junction) of their fraction of ones is the stationary
// P(AP) at the controller's bias, within 4 SE (SE = sqrt(var / K), var the chain's stream variance).
//   300 K:                  P(AP) = p at the inner levels, 1/(1 + e^4) = 1.8 % at the +1 V end;
//   350 K, recalibrated:    the inner levels on target, the ends at 1/(1 + e^(4 x 300/350)) = 3.1 %;
//   350 K, levels of 300 K: logit P(AP) = (300/350) logit p at the inner levels (0.281 for 1/4).
// The size of each shift is checked against the SE, so the test fails if the shift is absent.
BOOST_AUTO_TEST_CASE(telegraph_levels_move_as_neel_arrhenius_predicts) {
  File f(study_file());
  struct Row {
    std::size_t run;
    double temperature_K, calibration_K;
  };
  for (const Row row : {Row{2, 300, 300}, Row{4, 350, 350}, Row{5, 350, 300}}) {
    const Banks b = banks_of(f, row.run, 64);
    BOOST_TEST(b.k_entries == 256.0);
    for (int role = 0; role < 2; ++role) {
      for (int k = 0; k < kLevels; ++k) {
        const double p = 0.25 * k;
        const Delivered d = delivered(delta_at(row.temperature_K), controller_bias_V(p, delta_at(row.calibration_K)), 64);
        const double se = std::sqrt(d.stream_variance / b.k_entries), measured = b.mean[role * kLevels + k];
        BOOST_TEST_MESSAGE("run " << row.run << " role " << role << " p = " << p << ": bank P(1) " << measured
                                  << ", predicted " << d.p_ap << " (SE " << se << ")");
        BOOST_TEST(std::abs(measured - d.p_ap) <= 4.0 * se, "run " << row.run << " role " << role << " level " << k);
      }
    }
  }
  // The predicted shifts are many SE wide (so the checks above tell the rows apart): at p = 1/4 the
  // 300 K levels on a 350 K junction deliver 0.281 (6 SE above 1/4), the ends 3.1 % (9 SE above 1.8 %).
  const Delivered nominal_quarter = delivered(delta_at(300), controller_bias_V(0.25, delta_at(300)), 64);
  const Delivered shifted_quarter = delivered(delta_at(350), controller_bias_V(0.25, delta_at(300)), 64);
  BOOST_TEST(shifted_quarter.p_ap - nominal_quarter.p_ap >= 5.0 * std::sqrt(shifted_quarter.stream_variance / 256));
  const Delivered nominal_end = delivered(delta_at(300), kMaxBiasV, 64), warm_end = delivered(delta_at(350), kMaxBiasV, 64);
  BOOST_TEST(warm_end.p_ap - nominal_end.p_ap >= 5.0 * std::sqrt(warm_end.stream_variance / 256));
}

// The 10 % spread of Delta (device.smtj_telegraph: Delta_i = Delta (1 + 0.1 z_i) per junction, the
// controller on the nominal calibration): across a bank's 256 junctions at L = 1024 the variance of
// P(1) is Var_z[P_AP(Delta_i)] + E_z[the stream's own variance] (bank_moments), against the stream's
// own variance alone without the spread; both within 4 SE of the sample variance, SE =
// sqrt((mu4 - sigma^4 (K-3)/(K-1)) / K) from the predicted fourth moment. At the outer levels the
// spread doubles (p = 1/4, 3/4) or quadruples (the ends) the variance, 5-6 SE: the checks tell
// the spread row from the nominal one. At p = 1/2 (0 V) every junction gives 1/2.
BOOST_AUTO_TEST_CASE(delta_spread_widens_the_junctions_p1_as_predicted) {
  File f(study_file());
  const double length = 1024;
  for (const auto& [run, spread] : {std::pair<std::size_t, double>{2, 0.0}, {6, 0.1}}) {
    const Banks b = banks_of(f, run, int(length));
    const double k_entries = b.k_entries;
    for (int role = 0; role < 2; ++role) {
      for (int k = 0; k < kLevels; ++k) {
        const BankMoments m = bank_moments(controller_bias_V(0.25 * k, delta_at(300)), spread, length);
        const double var_se = variance_se(m, k_entries);
        const double measured = b.sd[role * kLevels + k] * b.sd[role * kLevels + k];
        BOOST_TEST_MESSAGE("spread " << spread << " role " << role << " p = " << 0.25 * k << ": variance of P(1) across junctions "
                                     << measured << ", predicted " << m.variance << " (SE " << var_se << "); mean "
                                     << b.mean[role * kLevels + k] << ", predicted " << m.mean);
        BOOST_TEST(std::abs(measured - m.variance) <= 4.0 * var_se, "spread " << spread << " role " << role << " level " << k);
        BOOST_TEST(std::abs(b.mean[role * kLevels + k] - m.mean) <= 4.0 * std::sqrt(m.variance / k_entries));
      }
    }
  }
  // The size of the effect: at p = 0 (+1 V) the spread's variance exceeds the nominal by > 5 SE.
  const BankMoments with = bank_moments(kMaxBiasV, 0.1, length), without = bank_moments(kMaxBiasV, 0.0, length);
  BOOST_TEST(with.variance - without.variance >= 5.0 * std::hypot(variance_se(with, 256), variance_se(without, 256)));
}
