// Requirement (issues 2 and 5, device_characterization task): for the device named by [device]
// plugin, every level's measured P(1), autocorrelation, SCC, dwell histograms, energy and time
// per bit and control value are recorded with units; known values for device.bernoulli,
// device.lfsr and device.smtj_telegraph; bad keys are errors naming the key.
#define BOOST_TEST_MODULE device_characterization
#include <boost/test/unit_test.hpp>

#include "spinsc/experiment.hpp"
#include "spinsc/framework_parts.hpp"
#include "spinsc/plugin_registry.hpp"
#include "spinsc/run_context.hpp"

using namespace spinsc;

namespace {
struct QuietProgress final : Progress {
  void step(const std::string&, double) override {}
  void message(const std::string&) override {}
};

struct Ran {
  RunRecord record;
  EnergyLedger ledger;
};

Ran run(const std::string& text) {
  PluginRegistry registry({SPINSC_BUILD_PLUGIN_DIR});
  const Experiment experiment = load_experiment_text(text, "characterization-test.ini", {}, registry);
  const po::variables_map config = experiment.config_for(experiment.points.at(0));
  const Params params(config, "");
  Ran ran;
  QuietProgress progress;
  RunContext ctx{params, registry, experiment.points[0].seed, 0, ran.record, ran.ledger, progress};
  find_task(experiment.task).run(ctx);
  return ran;
}

std::vector<double> reals(const RunRecord& r, const std::string& path) {
  return std::get<std::vector<double>>(r.dataset(path).data);
}
}  // namespace

BOOST_AUTO_TEST_CASE(bernoulli_five_levels) {
  const Ran ran = run("task = device_characterization\nseed = 3\n[device]\nplugin = device.bernoulli\n"
                      "[device.bernoulli]\nenergy_per_bit_J = 2e-15\n[characterization]\nlevels = 5\nn_bits = 16384\nn_streams = 8\n");
  const auto p = reals(ran.record, "device/probability_requested");
  BOOST_TEST(p == std::vector<double>({0.0, 0.25, 0.5, 0.75, 1.0}), boost::test_tools::per_element());
  const auto p1 = reals(ran.record, "device/p1_measured");
  const auto lag1 = reals(ran.record, "device/lag1_autocorrelation");
  const auto scc = reals(ran.record, "device/scc");
  for (std::size_t k = 0; k < p.size(); ++k) {
    // Mean of 8 streams of 16384 independent bits: SE sqrt(p(1-p)/131072).
    BOOST_TEST(std::abs(p1[k] - p[k]) <= 5 * std::sqrt(p[k] * (1 - p[k]) / 131072) + 1e-12);
    if (k > 0 && k + 1 < p.size()) {
      BOOST_TEST(std::abs(lag1[k]) < 5 / std::sqrt(131072.0));  // SE of r_1 ~ 1/sqrt(N)
      // SCC of two independent streams of N bits at P(1) = p each: delta = p11 - p^2 has SD
      // sd = p (1 - p) / sqrt(N) (the covariance of independent Bernoulli pairs); SCC divides a
      // positive delta by s+ = p - p^2 and a negative one by s- = p^2 - max(2p - 1, 0). For a
      // normal delta that gives mean b = sd / sqrt(2 pi) (1/s+ - 1/s-) (0 at p = 1/2, -0.006 at
      // p = 1/4 here) and variance sd^2 / 2 (1/s+^2 + 1/s-^2) - b^2 per stream; the record holds
      // the mean of 8 streams: |scc - b| < 5 SE with SE = sqrt(variance / 8).
      const double N = 16384, sd = p[k] * (1 - p[k]) / std::sqrt(N);
      const double s_plus = p[k] - p[k] * p[k], s_minus = p[k] * p[k] - std::max(2 * p[k] - 1, 0.0);
      const double b = sd / std::sqrt(2 * M_PI) * (1 / s_plus - 1 / s_minus);
      const double var = sd * sd / 2 * (1 / (s_plus * s_plus) + 1 / (s_minus * s_minus)) - b * b;
      BOOST_TEST(std::abs(scc[k] - b) < 5 * std::sqrt(var / 8), "p=" << p[k] << " scc=" << scc[k] << " b=" << b);
    }
  }
  BOOST_TEST(ran.record.dataset("device/energy_per_bit_J").units == "J");
  BOOST_TEST(ran.record.dataset("device/autocorrelation").shape == std::vector<std::size_t>({5, 16}),
             boost::test_tools::per_element());
  const LedgerTotals& bits = ran.ledger.entries().at(LedgerKey{"device.bernoulli", "", "bits_generated"});
  BOOST_TEST(bits.events == 5u * 2 * 8 * 16384);
  BOOST_TEST(bits.energy_J == 5 * 2 * 8 * 16384 * 2e-15, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(ran.ledger.component_totals("device.bernoulli").energy_J == bits.energy_J, boost::test_tools::tolerance(1e-12));
  // Switching events of an ideal source: toggles, q = 2p(1-p) per bit. Toggle indicators of
  // neighbours are correlated (cov q/2 - q^2), so Var(mean) = (2q - 3q^2)/N, N = 8 x 16384.
  const auto switches = reals(ran.record, "device/switching_events_per_bit");
  for (std::size_t k = 0; k < p.size(); ++k) {
    const double q = 2 * p[k] * (1 - p[k]);
    BOOST_TEST(std::abs(switches[k] - q) < 5 * std::sqrt((2 * q - 3 * q * q) / 131072) + 1e-12, "p=" << p[k]);
  }
  BOOST_TEST(ran.ledger.entries().count(LedgerKey{"device.bernoulli", "", "switching_events"}) == 1u);
}

BOOST_AUTO_TEST_CASE(lfsr_eleven_levels_are_exact_over_a_period) {
  // n_bits = 2^10 - 1 = one period of the 10-bit LFSR: P(1) = round(p (2^n - 1)) / (2^n - 1) exactly.
  const Ran ran = run("task = device_characterization\n[device]\nplugin = device.lfsr\n[device.lfsr]\nwidth = 10\n"
                      "[characterization]\nlevels = 11\nn_bits = 1023\nn_streams = 2\n");
  const auto p = reals(ran.record, "device/probability_requested");
  const auto p1 = reals(ran.record, "device/p1_measured");
  const auto control = reals(ran.record, "device/control");
  BOOST_TEST(p.size() == 11u);
  for (std::size_t k = 0; k < p.size(); ++k) {
    BOOST_TEST(p1[k] == std::round(p[k] * 1023) / 1023, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(control[k] == 1 + std::round(p[k] * 1023));
  }
  BOOST_TEST(ran.record.dataset("device/control").units == "LSB");
}

BOOST_AUTO_TEST_CASE(telegraph_records_its_correlation_and_dwells) {
  const Ran ran = run("task = device_characterization\n[device]\nplugin = device.smtj_telegraph\n"
                      "[characterization]\nprobabilities = 0.5\nn_bits = 65536\nn_streams = 8\nhistogram_bins = 8\n");
  // Zero bias, T = 10 ns, tau_c = tau0 e^3 / 2: lag-1 = exp(-T/tau_c) = 0.3699. SE of the mean
  // of 8 r_1 ~ sqrt((1 - rho^2)/65536/8) = 1.3e-3; 5 SE.
  const double rho = std::exp(-10e-9 / (1e-9 * std::exp(3.0) / 2));
  BOOST_TEST(std::abs(reals(ran.record, "device/lag1_autocorrelation")[0] - rho) < 5 * 1.3e-3);
  BOOST_TEST(reals(ran.record, "device/control")[0] == 0.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(ran.record.dataset("device/control").units == "V");
  BOOST_TEST(reals(ran.record, "device/energy_per_bit_J")[0] == 20e-15, boost::test_tools::tolerance(1e-9));
  // Mean run of ones = 1 / P(leave AP) = 1 / ((1 - pi)(1 - rho)). A geometric run has SD
  // sqrt(1 - q) / q, so the mean of N complete runs has SE sqrt(1 - q) / q / sqrt(N), with N the
  // number of complete runs the histogram counted (about 8e4 here).
  const double q = 0.5 * (1 - rho);
  const auto& hist = std::get<std::vector<std::int64_t>>(ran.record.dataset("device/dwell_histogram_ones").data);
  BOOST_TEST(hist.size() == 8u);
  double n_runs = 0;
  for (auto h : hist) n_runs += double(h);
  BOOST_TEST_REQUIRE(n_runs > 1e4);
  BOOST_TEST(std::abs(reals(ran.record, "device/mean_run_ones")[0] - 1 / q) < 5 * std::sqrt(1 - q) / q / std::sqrt(n_runs),
             "runs " << n_runs);
  // Geometric run lengths: bin j (a run of j + 1 bits) holds a fraction (1 - q)^j q of the runs,
  // the last bin (8 bits or more) (1 - q)^7. Run lengths of a Markov chain are independent, so
  // each bin count is binomial over the N runs: SE sqrt(N p (1 - p)); 5 SE.
  for (std::size_t j = 0; j < hist.size(); ++j) {
    const double p_bin = j + 1 < hist.size() ? std::pow(1 - q, double(j)) * q : std::pow(1 - q, double(j));
    BOOST_TEST(std::abs(double(hist[j]) - n_runs * p_bin) < 5 * std::sqrt(n_runs * p_bin * (1 - p_bin)),
               "bin " << j << ": " << hist[j] << " runs, expected " << n_runs * p_bin);
  }
}

BOOST_AUTO_TEST_CASE(bad_probability_list_names_the_key) {
  BOOST_CHECK_EXCEPTION(run("task = device_characterization\n[characterization]\nprobabilities = 0.2,x\n"),
                        std::exception,
                        [](const std::exception& e) { return std::string(e.what()).find("characterization.probabilities") != std::string::npos; });
  BOOST_CHECK_EXCEPTION(run("task = device_characterization\n[characterization]\nprobabilities = 1.5\n"),
                        std::exception,
                        [](const std::exception& e) { return std::string(e.what()).find("characterization.probabilities") != std::string::npos; });
}
