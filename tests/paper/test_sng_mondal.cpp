// Requirement (issue 6, study 4): experiments/paper/sng_mondal.sh (Table I per bit, then the
// network per inference) runs end to end in a reduced form, and biased generation (BMS) is
// cheaper and faster than normal generation: per bit, averaged over uniform p (Table I: 0.59 pJ and
// 9.73 ns against 0.34 pJ and 7.82 ns), and per inference of the same trained network.
#define BOOST_TEST_MODULE paper_sng_mondal
#include <boost/test/unit_test.hpp>

#include <numeric>

#include "paper_study_support.hpp"

using namespace paper_test;

namespace {
double mean(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / double(v.size()); }
}  // namespace

BOOST_AUTO_TEST_CASE(bms_is_cheaper_and_faster_per_bit_and_per_inference) {
  const fs::path dir = scratch("sng_mondal");
  const CommandResult r =
      run(dir, "SPINSC_PLUGIN_PATH= SPINSC=" + cli() +
                   " LEVELS=5 TABLE1_ARGS='--characterization.n_bits=1024 --characterization.n_streams=2' " +
                   source("experiments/paper/sng_mondal.sh") + " '" + dir.string() +
                   "' --train.epochs=1 --data.train_size=10000 --eval.sc_samples=200 --eval.lengths=100,300");
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  {
    File t(dir / "table1.h5");
    const std::string normal = "runs/000000", bms = "runs/000001";  // the sweep's order
    const double e_normal = mean(t.doubles(normal + "/device/energy_per_bit_J"));
    const double e_bms = mean(t.doubles(bms + "/device/energy_per_bit_J"));
    const double t_normal = mean(t.doubles(normal + "/device/time_per_bit_s"));
    const double t_bms = mean(t.doubles(bms + "/device/time_per_bit_s"));
    BOOST_TEST(e_bms < e_normal);
    BOOST_TEST(t_bms < t_normal);
    // The device's defaults are fitted to Table I over continuous uniform p; 101 grid points
    // (ends included) differ from that average by well under 2 %.
    BOOST_TEST(e_normal == 0.59e-12, boost::test_tools::tolerance(0.02));
    BOOST_TEST(e_bms == 0.34e-12, boost::test_tools::tolerance(0.02));
    BOOST_TEST(t_normal == 9.73e-9, boost::test_tools::tolerance(0.002));
    BOOST_TEST(t_bms == 7.82e-9, boost::test_tools::tolerance(0.002));
  }
  File n(dir / "Q5_normal.h5"), b(dir / "Q5_bms.h5");
  const std::string run = "runs/000000";
  // One trained network for both modes (single-point runs of the same seed).
  BOOST_TEST(n.scalar(run + "/evaluation/quantized/accuracy") == b.scalar(run + "/evaluation/quantized/accuracy"));
  const auto en = n.doubles(run + "/evaluation/sc/device_energy_per_inference_J");
  const auto eb = b.doubles(run + "/evaluation/sc/device_energy_per_inference_J");
  const auto bits_n = n.doubles(run + "/evaluation/sc/bits_per_inference");
  const auto bits_b = b.doubles(run + "/evaluation/sc/bits_per_inference");
  for (std::size_t i = 0; i < en.size(); ++i) {
    BOOST_TEST(bits_n[i] == bits_b[i]);
    BOOST_TEST(eb[i] < en[i]);
  }
  for (const std::string length : {"100", "300"}) {
    const std::string prefix = "L" + length + "/";
    const double samples_n = n.scalar(run + "/evaluation/sc/" + prefix + "n_samples");
    const double samples_b = b.scalar(run + "/evaluation/sc/" + prefix + "n_samples");
    const double lat_n = ledger_sum(n, run, prefix, "stream_clocks").latency_s / samples_n;
    const double lat_b = ledger_sum(b, run, prefix, "stream_clocks").latency_s / samples_b;
    // Two layers of L clocks at the bit period: 9.73 ns (normal) and 7.82 ns (BMS).
    BOOST_TEST(lat_n == 2 * std::stod(length) * 9.73e-9, boost::test_tools::tolerance(0.002));
    BOOST_TEST(lat_b == 2 * std::stod(length) * 7.82e-9, boost::test_tools::tolerance(0.002));
  }
  // The network runs merged into one file for `spinsc plot`, the mode as a swept key.
  File merged(dir.string() + ".h5");
  BOOST_TEST(merged.strings("summary/device.mtj_sng.mode") == (std::vector<std::string>{"normal", "bms"}));
}
