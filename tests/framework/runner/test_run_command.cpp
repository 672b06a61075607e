// Requirement (issue 2, `spinsc run` and bad input): the command runs an experiment into its
// results file and skips complete runs when run again; a bad file, a bad override, an output
// path that cannot be written and a results file of another experiment each give a non-zero
// exit and one message naming the file/key/path; a failing run makes the exit code non-zero.
#define BOOST_TEST_MODULE run_command
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>

namespace fs = std::filesystem;

namespace {

struct Result {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

const fs::path& work_dir() {
  static const fs::path dir = [] {
    fs::path d = fs::path(SPINSC_BINARY_DIR) / "test_run_command";
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

Result spinsc(const std::string& arguments) {
  const fs::path out = work_dir() / "output.txt";
  const std::string command = "cd '" + work_dir().string() + "' && SPINSC_PLUGIN_PATH= " + SPINSC_CLI + " " +
                              arguments + " > '" + out.string() + "' 2>&1";
  const int status = std::system(command.c_str());
  std::ifstream in(out);
  Result result;
  result.output.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

fs::path write_experiment(const std::string& file_name, const std::string& text) {
  const fs::path file = work_dir() / file_name;
  std::ofstream(file) << text;
  return file;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A few milliseconds per run: the ideal device at three probabilities.
const std::string kTiny =
    "task = device_characterization\n[characterization]\nn_bits = 1024\nn_streams = 2\nlevels = 3\n"
    "[sweep]\ndevice.bernoulli.energy_per_bit_J = 1e-15, 2e-15\n";

}  // namespace

BOOST_AUTO_TEST_CASE(help_says_how) {
  const Result r = spinsc("run --help");
  BOOST_TEST(r.exit_code == 0);
  BOOST_TEST(contains(r.output, "Usage: spinsc run"), r.output);
  BOOST_TEST(contains(r.output, "--output"), r.output);
}

BOOST_AUTO_TEST_CASE(runs_into_default_results_file_and_skips_complete_runs) {
  write_experiment("tiny.ini", kTiny);
  const Result first = spinsc("run tiny.ini");
  BOOST_TEST(first.exit_code == 0, first.output);
  BOOST_TEST(fs::exists(work_dir() / "results" / "tiny.h5"));
  BOOST_TEST(contains(first.output, "2 complete, 0 failed"), first.output);
  BOOST_TEST(contains(first.output, "Summary"), first.output);
  const Result second = spinsc("run tiny.ini");
  BOOST_TEST(second.exit_code == 0, second.output);
  BOOST_TEST(contains(second.output, "0 complete, 0 failed, 2 skipped"), second.output);
  // The rerun of a complete experiment prints the same table, read back from the file.
  auto table_of = [](const std::string& output) { return output.substr(output.find("Summary of")); };
  BOOST_TEST(contains(second.output, "Summary of results/tiny.h5 (2 runs"), second.output);
  BOOST_TEST(table_of(second.output) == table_of(first.output), second.output);
}

BOOST_AUTO_TEST_CASE(bad_file_and_bad_override_exit_non_zero_naming_the_problem) {
  write_experiment("malformed.ini", "task = device_characterization\n[device]\nplugin device.bernoulli\n");
  Result r = spinsc("run malformed.ini -o m.h5");
  BOOST_TEST(r.exit_code != 0);
  BOOST_TEST(contains(r.output, "malformed.ini:3: malformed line"), r.output);
  BOOST_TEST(!fs::exists(work_dir() / "m.h5"));

  write_experiment("good.ini", kTiny);
  r = spinsc("run good.ini -o g.h5 --characterization.nbits=3");
  BOOST_TEST(r.exit_code != 0);
  BOOST_TEST(contains(r.output, "unknown key 'nbits'"), r.output);
  r = spinsc("run good.ini -o g.h5 --device.plugin=device.nosuch");
  BOOST_TEST(r.exit_code != 0);
  BOOST_TEST(contains(r.output, "device.nosuch"), r.output);
  BOOST_TEST(contains(r.output, "device.bernoulli"), r.output);
  r = spinsc("run no_such_file.ini");
  BOOST_TEST(r.exit_code != 0);
  BOOST_TEST(contains(r.output, "no_such_file.ini"), r.output);
}

BOOST_AUTO_TEST_CASE(output_path_that_cannot_be_written_is_an_error) {
  write_experiment("out.ini", kTiny);
  // A folder that cannot be created (its parent is a regular file), and a file in a read-only place.
  write_experiment("not_a_folder", "x");
  Result r = spinsc("run out.ini -o not_a_folder/results.h5");
  BOOST_TEST(r.exit_code != 0);
  BOOST_TEST(contains(r.output, "not_a_folder/results.h5"), r.output);
  r = spinsc("run out.ini -o /proc/spinsc_results.h5");
  BOOST_TEST(r.exit_code != 0);
  BOOST_TEST(contains(r.output, "/proc/spinsc_results.h5"), r.output);
}

BOOST_AUTO_TEST_CASE(results_file_of_another_experiment_is_refused_unless_forced) {
  write_experiment("first.ini", kTiny);
  BOOST_TEST(spinsc("run first.ini -o shared.h5").exit_code == 0);
  const auto size_before = fs::file_size(work_dir() / "shared.h5");
  write_experiment("second.ini", "seed = 2\n" + kTiny);
  Result r = spinsc("run second.ini -o shared.h5");
  BOOST_TEST(r.exit_code != 0);
  BOOST_TEST(contains(r.output, "shared.h5"), r.output);
  BOOST_TEST(fs::file_size(work_dir() / "shared.h5") == size_before);  // nothing lost
  r = spinsc("run second.ini -o shared.h5 --force");
  BOOST_TEST(r.exit_code == 0, r.output);
}

BOOST_AUTO_TEST_CASE(a_failing_run_makes_the_exit_code_non_zero_and_is_recorded) {
  // Probabilities that the task itself rejects: the run fails, the runner records it and goes on.
  write_experiment("failing.ini",
                   "task = device_characterization\n[characterization]\nn_bits = 1024\nn_streams = 2\n"
                   "[sweep]\ncharacterization.probabilities = levels, abc\n");
  const Result r = spinsc("run failing.ini -o failing.h5");
  BOOST_TEST(r.exit_code != 0, r.output);
  BOOST_TEST(contains(r.output, "1 complete, 1 failed"), r.output);
  BOOST_TEST(fs::exists(work_dir() / "failing.h5"));
}

// Requirement (issue 2 item 4, quick start): `spinsc run` without a file runs the default
// quick-start experiment end to end (training, quantized and SC evaluation) and writes its
// results; here in a reduced form (1 epoch on 2000 images, SC on 200 test images).
BOOST_AUTO_TEST_CASE(run_without_a_file_runs_the_quickstart_experiment) {
  const Result r = spinsc("run --train.epochs=1 --data.train_size=2000 --eval.sc_samples=200 -o quick.h5");
  BOOST_TEST(r.exit_code == 0, r.output);
  BOOST_TEST(contains(r.output, "experiment quickstart"), r.output);
  BOOST_TEST(contains(r.output, "L (bits)  SC acc. (%)"), r.output);  // the table, one row per length
  BOOST_TEST(contains(r.output, "\n  0       500 "), r.output);
  BOOST_TEST(contains(r.output, "1 complete, 0 failed"), r.output);
  BOOST_TEST(fs::exists(work_dir() / "quick.h5"));
}

BOOST_AUTO_TEST_CASE(dry_run_plans_without_writing_and_sees_complete_and_grown_runs) {
  write_experiment("plan.ini", kTiny);
  Result r = spinsc("run plan.ini -o plan.h5 --dry-run");
  BOOST_TEST(r.exit_code == 0, r.output);
  BOOST_TEST(!fs::exists(work_dir() / "plan.h5"));  // nothing written
  BOOST_TEST(contains(r.output, "2 of 2 runs to run"), r.output);
  BOOST_TEST(contains(r.output, "Nothing was run or written"), r.output);
  BOOST_TEST(spinsc("run plan.ini -o plan.h5").exit_code == 0);
  const auto size = fs::file_size(work_dir() / "plan.h5");
  // The experiment grows by one sweep value: the two stored runs are complete, one is new.
  r = spinsc("run plan.ini -o plan.h5 --dry-run --sweep.device.bernoulli.energy_per_bit_J=1e-15,2e-15,3e-15");
  BOOST_TEST(r.exit_code == 0, r.output);
  BOOST_TEST(contains(r.output, "1 of 3 runs to run"), r.output);
  BOOST_TEST(contains(r.output, "complete (skipped)"), r.output);
  BOOST_TEST(fs::file_size(work_dir() / "plan.h5") == size);
  // A bad key is caught before anything, naming it.
  r = spinsc("run plan.ini -o plan.h5 --dry-run --characterization.n_bitz=4");
  BOOST_TEST(r.exit_code != 0);
  BOOST_TEST(contains(r.output, "n_bitz"), r.output);
}

BOOST_AUTO_TEST_CASE(dry_run_catches_the_mistakes_that_would_surface_after_training) {
  const std::string network = "task = network\n[data]\ntrain_size = 100\n[network]\nlayers = 784,16,10\n";
  struct Case {
    std::string override_text, expected;
  };
  const std::vector<Case> cases{
      {"--network.layers=784,16,9", "'network.layers' ends with 9 outputs but mnist has 10 classes"},
      {"--network.layers=196,16,10", "'network.layers' starts with 196 inputs"},
      {"--network.levels=4", "'network.levels' = 4 must be odd"},
      {"--sc.activation=sc.xnor", "'sc.activation' = sc.xnor is a multiplier, not an activation"},
      {"--sc.adder=sc.lut_sigmoid", "'sc.adder' = sc.lut_sigmoid is an activation, not an adder"},
      {"--device.plugin=device.trace --device.trace.file=no_such_trace.h5",
       "'device.trace.file' = no_such_trace.h5: no such file"},
      // The shipped trace (found from any folder) records 5 levels: an 11-level network needs more.
      {"--device.plugin=device.trace --device.trace.file=data/traces/smtj_telegraph_5levels.h5 --network.levels=11",
       "'device.trace.file' = data/traces/smtj_telegraph_5levels.h5 does not cover the network's 11 levels"},
  };
  write_experiment("mistakes.ini", network);
  for (const auto& c : cases) {
    const Result r = spinsc("run mistakes.ini -o mistakes.h5 --dry-run " + c.override_text);
    BOOST_TEST(r.exit_code != 0, c.override_text);
    BOOST_TEST(contains(r.output, c.expected), c.override_text + ": " + r.output);
    BOOST_TEST(!fs::exists(work_dir() / "mistakes.h5"));
  }
  // The same checks stop a real run before any work, naming the point.
  const Result r = spinsc("run mistakes.ini -o mistakes.h5 --sweep.network.levels=5,4");
  BOOST_TEST(r.exit_code != 0);
  BOOST_TEST(contains(r.output, "run point 1 (network.levels=4)"), r.output);
  BOOST_TEST(!fs::exists(work_dir() / "mistakes.h5"));
}
