// A convolutional network end to end through `spinsc run`: the shipped experiments/lenet5.ini in a
// reduced form (10 000 training images, SC on 150 test images at 64 bits), trained with both QAT
// methods: 3 epochs without SC, and 2 float epochs then 1 with SC in the forward pass; the results file holds the topology and the
// kernels; the trained LeNet-5 is evaluated again with another device through `[network] from`
// with identical float and quantized accuracies; a different topology, and max pooling with an SC
// evaluation, are refused naming 'network.layers' before any work.
#define BOOST_TEST_MODULE runner_convolutional_run
#include <boost/test/unit_test.hpp>

#include <cmath>

#include "paper/paper_study_support.hpp"

using namespace paper_test;

namespace {

// The paper's MSE on sigmoid outputs leaves LeNet-5 on its initial plateau for the first ~20 000
// images; a softmax with cross-entropy learns within this budget (the plumbing is what is tested).
const std::string kFastLearning = " --network.output_activation=softmax --train.loss=cross_entropy";
const std::string kReduced =
    " --train.epochs=3 --data.train_size=10000 --data.test_size=300 --eval.sc_samples=150 --eval.lengths=64";

CommandResult spinsc(const fs::path& dir, const std::string& arguments) {
  return run(dir, "cd '" + dir.string() + "' && SPINSC_PLUGIN_PATH= " + cli() + " " + arguments);
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Better than chance: 10 % + 4 standard errors of an accuracy of 10 % on n images.
double above_chance(double n) { return 10.0 + 4.0 * 100.0 * std::sqrt(0.1 * 0.9 / n); }

}  // namespace

BOOST_AUTO_TEST_CASE(lenet5_trains_with_both_methods_and_runs_in_sc) {
  const fs::path dir = scratch("convolutional_run");
  const CommandResult r = spinsc(dir, "run " + source("experiments/lenet5.ini") + " -o lenet.h5" + kReduced +
                                          " --sweep.mode=zip --sweep.train.strategy=train.qat,train.qat_sc --sweep.train.epochs=3,1"
                                          " --train.qat_sc.length=64 --train.qat_sc.mode=gaussian --train.qat_sc.float_warmup_epochs=2" +
                                          kFastLearning);
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  BOOST_TEST(contains(r.output, "2 runs: 2 complete, 0 failed"), r.output);
  File f(dir / "lenet.h5");
  for (const char* run : {"runs/000000", "runs/000001"}) {
    const std::string base = run;
    BOOST_TEST(f.attribute(base + "/network", "topology") ==
               "1x28x28, conv6x5x5:pad2, pool2, conv16x5x5, pool2, 120, 84, 10");
    // One kernel a row: 6 x 5x5x1, 16 x 5x5x6, then the dense layers (400 inputs).
    BOOST_TEST(f.doubles(base + "/network/layer1/weights").size() == 6u * 25u);
    BOOST_TEST(f.doubles(base + "/network/layer2/weights").size() == 16u * 150u);
    BOOST_TEST(f.doubles(base + "/network/layer3/weights").size() == 120u * 400u);
    const double quantized = f.doubles(base + "/evaluation/quantized/accuracy").at(0);
    const double sc = f.doubles(base + "/evaluation/sc/accuracy").at(0);
    BOOST_TEST(quantized > above_chance(300), base << ": quantized accuracy " << quantized);
    BOOST_TEST(sc > above_chance(150), base << ": SC accuracy " << sc);
    BOOST_TEST(f.doubles(base + "/evaluation/sc/device_energy_per_inference_J").at(0) > 0.0, base);
  }
  BOOST_TEST(f.attribute("runs/000001", "train.strategy") == "train.qat_sc");

  // The trained network again, with the LFSR: nothing is trained, the exact evaluations are the same.
  const CommandResult whatif =
      spinsc(dir, "run " + source("experiments/lenet5.ini") + " -o whatif.h5" + kReduced + kFastLearning +
                      " --network.from=lenet.h5 --network.from_run=0 --device.plugin=device.lfsr");
  BOOST_REQUIRE_MESSAGE(whatif.exit_code == 0, whatif.output);
  File w(dir / "whatif.h5");
  for (const char* part : {"/evaluation/float/accuracy", "/evaluation/quantized/accuracy"})
    BOOST_TEST(w.doubles(std::string("runs/000000") + part) == f.doubles(std::string("runs/000000") + part), part);
  BOOST_TEST(w.int_attribute("runs/000000/training", "trained_in_this_run") == 0);

  // Another topology with the same widths is not the stored network.
  const CommandResult other = spinsc(dir, "run " + source("experiments/lenet5.ini") + " -o other.h5" + kReduced + kFastLearning +
                                              " --network.from=lenet.h5 --network.from_run=0"
                                              " '--network.layers=28x28, conv6x5x5:pad2, maxpool2, conv16x5x5, pool2, 120, 84, 10'"
                                              " --eval.sc=false");
  BOOST_TEST(other.exit_code != 0);
  BOOST_TEST(contains(other.output, "'network.layers' = 1x28x28, conv6x5x5:pad2, maxpool2"), other.output);
  BOOST_TEST(!fs::exists(dir / "other.h5"));
}

BOOST_AUTO_TEST_CASE(max_pooling_trains_without_sc_and_is_refused_with_it) {
  const fs::path dir = scratch("convolutional_max_pool");
  const std::string layers = " '--network.layers=28x28, conv4x5x5, maxpool2, 32, 10'" + kFastLearning;
  const CommandResult sc = spinsc(dir, "run " + source("experiments/lenet5.ini") + " -o max.h5" + kReduced + layers);
  BOOST_TEST(sc.exit_code != 0);
  BOOST_TEST(contains(sc.output, "'network.layers' has max pooling, which no SC unit computes"), sc.output);
  BOOST_TEST(!fs::exists(dir / "max.h5"));
  const CommandResult plain =
      spinsc(dir, "run " + source("experiments/lenet5.ini") + " -o max.h5" + kReduced + layers + " --eval.sc=false");
  BOOST_REQUIRE_MESSAGE(plain.exit_code == 0, plain.output);
  File f(dir / "max.h5");
  BOOST_TEST(f.doubles("runs/000000/evaluation/quantized/accuracy").at(0) > above_chance(300));
}
