// Requirement (issue 6, study 3): experiments/paper/activation_latency.ini runs end to end in a
// reduced form and its latencies come from the ledger: the 11-state LUT answers in 9 cycles, the
// 32-bit sigmoid in 80 (about 9x), with the same accuracy (the LUT is exact); the FSM has 1 cycle
// of latency after the stream but is busy L cycles per activation.
#define BOOST_TEST_MODULE paper_activation_latency
#include <boost/test/unit_test.hpp>

#include "paper_study_support.hpp"

using namespace paper_test;

BOOST_AUTO_TEST_CASE(lut_is_about_nine_times_faster_than_the_32_bit_sigmoid_at_equal_accuracy) {
  const fs::path dir = scratch("activation_latency");
  const CommandResult r = run(dir, "cd '" + dir.string() + "' && SPINSC_PLUGIN_PATH= " + cli() + " run " +
                                       source("experiments/paper/activation_latency.ini") +
                                       " -o a.h5 --train.epochs=1 --data.train_size=10000 --eval.sc_samples=200"
                                       " --eval.lengths=100");
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  File f(dir / "a.h5");
  for (const std::string run : {"runs/000000", "runs/000001"}) {  // Q = 11, Q = 5
    BOOST_TEST(f.attribute(run, "status") == "complete");
    auto latency = [&](const std::string& unit) {
      const double n = f.scalar(run + "/evaluation/sc/" + unit + "/L100/n_samples");
      return ledger_sum(f, run, unit + "/L100/", "activation_latency").cycles / n;
    };
    const double lut = latency("sc.lut_sigmoid"), sig32 = latency("sc.sigmoid32"), fsm = latency("sc.fsm_sigmoid");
    BOOST_TEST(lut == 9.0);
    BOOST_TEST(sig32 == 80.0);
    BOOST_TEST(sig32 / lut > 8.0);
    BOOST_TEST(fsm == 1.0);
    // Busy cycles: the FSM steps once per stream clock for each of the 128 hidden neurons.
    const auto busy_fsm = f.doubles(run + "/evaluation/sc/sc.fsm_sigmoid/activation_busy_cycles_per_inference");
    const auto busy_lut = f.doubles(run + "/evaluation/sc/sc.lut_sigmoid/activation_busy_cycles_per_inference");
    BOOST_TEST(busy_fsm[0] == 128.0 * 100.0);
    BOOST_TEST(busy_fsm[0] > busy_lut[0]);
    // The LUT equals the quantized 32-bit sigmoid at every count: the same accuracy on the same streams.
    BOOST_TEST(f.doubles(run + "/evaluation/sc/sc.lut_sigmoid/accuracy")[0] ==
               f.doubles(run + "/evaluation/sc/sc.sigmoid32/accuracy")[0]);
    BOOST_TEST(f.doubles(run + "/evaluation/sc/sc.fsm_sigmoid/accuracy")[0] > 20.0);
  }
}
