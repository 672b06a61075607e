// experiments/paper/daniels_lenet5.ini runs end to end in a reduced form (one seed, 1 epoch on
// 3000 images, method 2 after one epoch of method 1, SC on 50 test images): Daniels et al.'s
// design (float training, 1/16 weights, unipolar excitatory/inhibitory streams with AND) and the
// quantized bipolar method (Q = 5 and 11, methods 1 and 2) on LeNet-5. Accuracies after so short a
// training say nothing; what is checked is that every point runs, with its encoding, at its
// lengths, and that the ledger counts the device bits each encoding needs: per row of n inputs
// and m neurons, n input streams and m·n weight streams (bipolar) or 2·m·n (E/I), L bits each.
// The full study (3 seeds, 8 epochs, all images) is in docs/results.md.
#define BOOST_TEST_MODULE paper_daniels_lenet5
#include <boost/test/unit_test.hpp>

#include "paper_study_support.hpp"

using namespace paper_test;

namespace {
// Device bits of one LeNet-5 inference at L bits; weight_streams: 1 (bipolar) or 2 (E/I).
double lenet5_bits(double L, double weight_streams) {
  struct Rows {
    double rows, inputs, neurons;
  };
  // conv1 + pooling: 14x14 pooled positions, 4 windows of 5x5; conv2 + pooling: 5x5 positions, 4
  // windows of 5x5x6; then the dense layers.
  const Rows layers[] = {{196, 100, 6}, {25, 600, 16}, {1, 400, 120}, {1, 120, 84}, {1, 84, 10}};
  double bits = 0.0;
  for (const Rows& r : layers) bits += r.rows * r.inputs * (1.0 + weight_streams * r.neurons) * L;
  return bits;
}
}  // namespace

BOOST_AUTO_TEST_CASE(every_point_runs_with_its_encoding) {
  const fs::path dir = scratch("daniels_lenet5");
  const CommandResult r = run(dir, "cd '" + dir.string() + "' && SPINSC_PLUGIN_PATH= " + cli() + " run " +
                                       source("experiments/paper/daniels_lenet5.ini") +
                                       " -o d.h5 --sweep.repeats=1 --sweep.train.epochs=1,1,1,1,1 --data.train_size=3000"
                                       " --train.qat_sc.qat_warmup_epochs=1 --eval.sc_samples=50");
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  BOOST_TEST(r.output.find("5 runs: 5 complete, 0 failed") != std::string::npos, r.output);
  File f(dir / "d.h5");
  const std::vector<std::string> encoding{"unipolar_ei", "bipolar", "bipolar", "bipolar", "bipolar"};
  const std::vector<std::string> strategy{"train.float", "train.qat", "train.qat", "train.qat_sc", "train.qat_sc"};
  for (int i = 0; i < 5; ++i) {
    const std::string run = "runs/00000" + std::to_string(i);
    BOOST_TEST(f.attribute(run, "train.strategy") == strategy[std::size_t(i)], run);
    BOOST_TEST(f.attribute(run, "sc.encoding") == encoding[std::size_t(i)], run);
    const std::vector<double> lengths = f.doubles(run + "/evaluation/sc/lengths");
    BOOST_TEST(lengths == (i < 3 ? std::vector<double>{64, 128, 256} : std::vector<double>{128}), run);
    const std::vector<double> bits = f.doubles(run + "/evaluation/sc/bits_per_inference");
    BOOST_REQUIRE(bits.size() == lengths.size());
    for (std::size_t k = 0; k < bits.size(); ++k)
      BOOST_TEST(bits[k] == lenet5_bits(lengths[k], i == 0 ? 2.0 : 1.0), run << " L = " << lengths[k]);
  }
}
