// Requirement (studies in one file, train once also across experiments): `[network] from =
// FILE.h5` evaluates a network trained in another experiment without training it: the float and
// quantized accuracies equal those of the run that trained it, bit for bit, for every device of a
// what-if sweep; [train] keys do not change such a run's identity; a missing file, an ambiguous
// or unknown run and a network other than [network] describes are errors naming the key, before
// any work and without a results file. An experiment that grows (or resumes) into its results file
// reuses the trainings the file holds, with results bit-identical to a run that trained.
// Reduced size: 784-16-10, 1 epoch on 1000 images.
#define BOOST_TEST_MODULE runner_network_from
#include <boost/test/unit_test.hpp>

#include "paper/paper_study_support.hpp"

using namespace paper_test;

namespace {

const std::string kData = "[data]\ntrain_size = 1000\ntest_size = 200\n[eval]\nlengths = 32\nsc_samples = 50\n";
const std::string kTrain = "task = network\nseed = 4\n[network]\nlayers = 784,16,10\n[train]\nepochs = 1\n" + kData;
const std::string kWhatIf = "task = network\n[network]\nlayers = 784,16,10\nfrom = trained.h5\n" + kData +
                            "[sweep]\ndevice.plugin = device.bernoulli, device.lfsr\n";

void write(const fs::path& file, const std::string& text) { std::ofstream(file) << text; }

CommandResult spinsc(const fs::path& dir, const std::string& arguments) {
  return run(dir, "cd '" + dir.string() + "' && SPINSC_PLUGIN_PATH= " + cli() + " " + arguments);
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_CASE(a_stored_network_is_evaluated_with_each_device_without_training) {
  const fs::path dir = scratch("network_from");
  write(dir / "train.ini", kTrain);
  write(dir / "whatif.ini", kWhatIf);
  const CommandResult trained = spinsc(dir, "run train.ini -o trained.h5");
  BOOST_REQUIRE_MESSAGE(trained.exit_code == 0, trained.output);

  const CommandResult plan = spinsc(dir, "run whatif.ini -o whatif.h5 --dry-run");
  BOOST_REQUIRE_MESSAGE(plan.exit_code == 0, plan.output);
  BOOST_TEST(contains(plan.output, "reads a trained network from trained.h5 (no epochs)"), plan.output);
  const CommandResult r = spinsc(dir, "run whatif.ini -o whatif.h5");
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  BOOST_TEST(contains(r.output, "2 runs: 2 complete"), r.output);

  File source(dir / "trained.h5");
  File whatif(dir / "whatif.h5");
  for (const char* run : {"runs/000000", "runs/000001"}) {
    const std::string base = run;
    // Same weights, same test images: identical float and quantized evaluations.
    BOOST_TEST(whatif.doubles(base + "/evaluation/float/accuracy") ==
               source.doubles("runs/000000/evaluation/float/accuracy"));
    BOOST_TEST(whatif.doubles(base + "/evaluation/quantized/accuracy") ==
               source.doubles("runs/000000/evaluation/quantized/accuracy"));
    BOOST_TEST(whatif.doubles(base + "/network/layer1/weights") == source.doubles("runs/000000/network/layer1/weights"));
    BOOST_TEST(whatif.int_attribute(base + "/training", "trained_in_this_run") == 0);
    BOOST_TEST(whatif.int_attribute(base + "/training", "from_run") == 0);
    BOOST_TEST(!whatif.exists(base + "/training/loss"), base);  // nothing was trained
    BOOST_TEST(whatif.exists(base + "/evaluation/sc/accuracy"), base);
  }
  // [train] does not enter the identity of a run whose network comes from a file.
  const CommandResult again = spinsc(dir, "run whatif.ini -o whatif.h5 --dry-run --train.epochs=7");
  BOOST_TEST(contains(again.output, "0 of 2 runs to run"), again.output);
}

BOOST_AUTO_TEST_CASE(a_wrong_source_is_an_error_naming_the_key_before_any_work) {
  const fs::path dir = scratch("network_from_errors");
  write(dir / "train.ini", kTrain);
  write(dir / "whatif.ini", kWhatIf);
  BOOST_REQUIRE(spinsc(dir, "run train.ini -o trained.h5 --sweep.seed=1,2").exit_code == 0);
  struct Case {
    std::string override_text, expected;
  };
  const std::vector<Case> cases{
      {"--network.from=missing.h5", "'network.from' = missing.h5: no such file"},
      {"--network.from=train.ini", "'network.from' = train.ini: not a readable spinsc results file"},
      {"", "holds 2 trained networks: set 'network.from_run'"},
      {"--network.from_run=5", "'network.from_run' = 5: no complete run with a network"},
      {"--network.from_run=1 --network.layers=784,32,10",
       "'network.layers' = 784,32,10 but the network of run 1 in trained.h5 has layers = 784,16,10"},
      {"--network.from_run=1 --network.levels=11", "'network.levels' = 11 but the network of run 1"},
  };
  for (const auto& c : cases) {
    const CommandResult r = spinsc(dir, "run whatif.ini -o out.h5 " + c.override_text);
    BOOST_TEST(r.exit_code != 0, c.override_text);
    BOOST_TEST(contains(r.output, c.expected), c.override_text + ": " + r.output);
    BOOST_TEST(!fs::exists(dir / "out.h5"), c.override_text);
  }
  const CommandResult chosen = spinsc(dir, "run whatif.ini -o out.h5 --dry-run --network.from_run=1");
  BOOST_TEST(chosen.exit_code == 0, chosen.output);
}

BOOST_AUTO_TEST_CASE(a_grown_experiment_reuses_the_training_its_file_holds) {
  const fs::path dir = scratch("network_reuse");
  write(dir / "train.ini", kTrain);
  // Reference: both devices in one process (one training, shared in memory).
  BOOST_REQUIRE(spinsc(dir, "run train.ini -o both.h5 --sweep.device.plugin=device.bernoulli,device.lfsr").exit_code == 0);
  // Grown: one device first, then the second in a new process into the same file.
  BOOST_REQUIRE(spinsc(dir, "run train.ini -o grown.h5 --sweep.device.plugin=device.bernoulli").exit_code == 0);
  const CommandResult grow = spinsc(dir, "run train.ini -o grown.h5 --sweep.device.plugin=device.bernoulli,device.lfsr");
  BOOST_REQUIRE_MESSAGE(grow.exit_code == 0, grow.output);
  BOOST_TEST(contains(grow.output, "trained in run 0 of this results file, reused"), grow.output);
  File both(dir / "both.h5");
  File grown(dir / "grown.h5");
  BOOST_TEST(grown.int_attribute("runs/000001/training", "trained_in_this_run") == 0);
  BOOST_TEST(grown.int_attribute("runs/000001/training", "reused_from_run") == 0);
  for (const char* path : {"evaluation/float/accuracy", "evaluation/quantized/accuracy", "evaluation/sc/accuracy",
                           "network/layer2/weights", "training/loss"})
    BOOST_TEST(grown.doubles(std::string("runs/000001/") + path) == both.doubles(std::string("runs/000001/") + path), path);
}
