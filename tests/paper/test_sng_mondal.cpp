// Requirement (issue 6, study 4): sng_mondal_table1.ini (Table I per bit) and sng_mondal.ini (the
// network per inference, one sweep over Q and the mode: one training per Q, evaluated with both
// modes) run end to end in a reduced form, and biased generation (BMS) is
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
  const std::string spinsc = "cd '" + source("") + "' && SPINSC_PLUGIN_PATH= " + cli() + " run ";
  CommandResult r = run(dir, spinsc + "experiments/paper/sng_mondal_table1.ini -o '" + (dir / "table1.h5").string() +
                                 "' --characterization.n_bits=1024 --characterization.n_streams=2");
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  r = run(dir, spinsc + "experiments/paper/sng_mondal.ini -o '" + (dir / "network.h5").string() +
                   "' --sweep.network.levels=5 --train.epochs=1 --data.train_size=10000 --eval.sc_samples=200 "
                   "--eval.lengths=100,300");
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
  File f(dir / "network.h5");
  const std::string normal = "runs/000000", bms = "runs/000001";  // the grid's order: mode varies fastest
  BOOST_TEST(f.strings("summary/device.mtj_sng.mode") == (std::vector<std::string>{"normal", "bms"}));
  // One trained network for both modes: the second run reused the first's training.
  BOOST_TEST(f.scalar(normal + "/evaluation/quantized/accuracy") == f.scalar(bms + "/evaluation/quantized/accuracy"));
  BOOST_TEST(f.strings("summary/training_id").at(0) == f.strings("summary/training_id").at(1));
  const auto en = f.doubles(normal + "/evaluation/sc/device_energy_per_inference_J");
  const auto eb = f.doubles(bms + "/evaluation/sc/device_energy_per_inference_J");
  const auto bits_n = f.doubles(normal + "/evaluation/sc/bits_per_inference");
  const auto bits_b = f.doubles(bms + "/evaluation/sc/bits_per_inference");
  for (std::size_t i = 0; i < en.size(); ++i) {
    BOOST_TEST(bits_n[i] == bits_b[i]);
    BOOST_TEST(eb[i] < en[i]);
  }
  for (const std::string length : {"100", "300"}) {
    const std::string prefix = "L" + length + "/";
    const double samples_n = f.scalar(normal + "/evaluation/sc/" + prefix + "n_samples");
    const double samples_b = f.scalar(bms + "/evaluation/sc/" + prefix + "n_samples");
    const double lat_n = ledger_sum(f, normal, prefix, "stream_clocks").latency_s / samples_n;
    const double lat_b = ledger_sum(f, bms, prefix, "stream_clocks").latency_s / samples_b;
    // Two layers of L clocks at the bit period: 9.73 ns (normal) and 7.82 ns (BMS).
    BOOST_TEST(lat_n == 2 * std::stod(length) * 9.73e-9, boost::test_tools::tolerance(0.002));
    BOOST_TEST(lat_b == 2 * std::stod(length) * 7.82e-9, boost::test_tools::tolerance(0.002));
  }
}
