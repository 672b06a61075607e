// Requirement (issue 6, study 1): experiments/paper/figure6.ini runs end to end in a reduced form
// (one seed, 2 epochs on 12000 images, SC on 200 test images; method 2 starts from one float
// epoch). One epoch on 6000 images left some runs on the initial plateau (13.5 % for one seed's
// deep Q = 11 run), so whether a run passed depended on its random streams; with this budget the
// weakest run of seeds 1-4 reached 68.5 % against the 18.5 % bound below:
// 18 runs (4 of method 1, 14 of method 2) for both topologies, Q = 5 and 11, method 1 evaluated at every length and method 2 trained with SC (gaussian mode) at the
// length it is evaluated at; every run learns something; `spinsc plot --kind figure6` draws it
// and writes the table. The full study (3 seeds, 10 or 20 epochs, all images) is in docs/results.md.
#define BOOST_TEST_MODULE paper_figure6
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <fstream>
#include <iterator>

#include "paper_study_support.hpp"

using namespace paper_test;

BOOST_AUTO_TEST_CASE(both_methods_both_topologies_run_and_plot) {
  const fs::path dir = scratch("figure6");
  const CommandResult r = run(dir, "cd '" + dir.string() + "' && SPINSC_PLUGIN_PATH= " + cli() + " run " +
                                       source("experiments/paper/figure6.ini") +
                                       " -o f.h5 --sweep.repeats=1 --train.epochs=2 --data.train_size=12000"
                                       " --train.qat_sc.float_warmup_epochs=1 --eval.sc_samples=200");
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  BOOST_TEST(r.output.find("18 runs: 18 complete, 0 failed") != std::string::npos, r.output);
  File f(dir / "f.h5");
  // The zip of figure6.ini, in order: per topology and Q, method 1 (0) then method 2 at its lengths.
  const std::vector<int> trained_at{0, 100, 200, 300, 400, 500, 0, 100, 200, 300, 400, 500, 0, 100, 300, 0, 100, 400};
  int method1 = 0, method2 = 0;
  for (int i = 0; i < 18; ++i) {
    const std::string run = "runs/" + std::string(i < 10 ? "00000" : "0000") + std::to_string(i);
    BOOST_TEST(f.attribute(run, "status") == "complete", run);
    const std::string strategy = f.attribute(run, "train.strategy");
    const std::vector<double> lengths = f.doubles(run + "/evaluation/sc/lengths");
    const std::vector<double> accuracy = f.doubles(run + "/evaluation/sc/accuracy");
    BOOST_REQUIRE(lengths.size() == accuracy.size());
    if (trained_at[std::size_t(i)] == 0) {
      ++method1;
      BOOST_TEST(strategy == "train.qat", run);
      BOOST_TEST(lengths == (std::vector<double>{100, 200, 300, 400, 500}), run);
    } else {
      ++method2;
      BOOST_TEST(strategy == "train.qat_sc", run);
      // Trained and evaluated at the same length.
      BOOST_TEST(lengths == std::vector<double>{double(trained_at[std::size_t(i)])}, run);
    }
    // Better than chance: 10 % + 4 standard errors of an accuracy of 10 % on 200 images.
    const double above_chance = 10.0 + 4.0 * 100.0 * std::sqrt(0.1 * 0.9 / 200.0);
    for (double a : accuracy) BOOST_TEST(a > above_chance, run << ": SC accuracy " << a << " %");
  }
  BOOST_TEST(method1 == 4);
  BOOST_TEST(method2 == 14);

  const CommandResult plot = run(dir, "cd '" + dir.string() + "' && " + cli() + " plot f.h5 --kind figure6 -o plots");
  BOOST_REQUIRE_MESSAGE(plot.exit_code == 0, plot.output);
  BOOST_TEST(fs::exists(dir / "plots" / "figure6_figure6.png"));
  std::ifstream table_file(dir / "plots" / "figure6_figure6.md");
  const std::string table((std::istreambuf_iterator<char>(table_file)), std::istreambuf_iterator<char>());
  for (const char* text : {"784-128-10", "784-392-196-98-10", "Q=5", "Q=11"})
    BOOST_TEST(table.find(text) != std::string::npos, text << " missing from the table:\n" << table);
}
