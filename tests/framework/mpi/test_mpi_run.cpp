// Requirement (scale out): `mpirun -n 3 spinsc run FILE.ini` spreads a sweep over the ranks and
// writes one results file identical in every number to a single-process run of the same file
// (every dataset of every run, bit for bit; only wall times differ); a rank killed with kill -9
// mid-sweep stops the job, the runs already written stay, and running again resumes to the same
// file. Reduced size: 784-16-10, 1 epoch on 1000 images, 8 runs in 4 trainings (2 seeds x 2
// learning rates, each evaluated with 2 devices), one thread per rank; the kill test runs 12
// runs of a slower form. A job with more ranks than runs shares a run's SC evaluation among the
// idle ranks (image ranges of whole chunks), with the same file again.
#define BOOST_TEST_MODULE mpi_run
#include <boost/test/unit_test.hpp>
#include <hdf5.h>
#include <signal.h>

#include <fmt/format.h>

#include <chrono>
#include <map>
#include <sstream>
#include <set>
#include <thread>

#include "paper/paper_study_support.hpp"

using namespace paper_test;

namespace {

// Slower (about 1-3 s a unit on 2 cores): the job is still running when a rank is killed.
const std::string kLongSweep =
    "task = network\nseed = 4\n[data]\ntrain_size = 4000\ntest_size = 400\n[network]\nlayers = 784,32,10\n"
    "[train]\nepochs = 3\nthreads = 1\n[eval]\nlengths = 64,128\nsc_samples = 200\n"
    "[sweep]\nrepeats = 3\ntrain.learning_rate = 0.003, 0.01\ndevice.plugin = device.bernoulli, device.lfsr\n";

const std::string kSweep =
    "task = network\nseed = 4\n[data]\ntrain_size = 1000\ntest_size = 200\n[network]\nlayers = 784,16,10\n"
    "[train]\nepochs = 1\nthreads = 1\n[eval]\nlengths = 32,64\nsc_samples = 50\n"
    "[sweep]\nrepeats = 2\ntrain.learning_rate = 0.003, 0.01\ndevice.plugin = device.bernoulli, device.lfsr\n";

// One run with an SC evaluation of 950 images at 2 lengths and 2 stream policies (fresh, and a
// bank that every image draws from): under 3 ranks, the 2 ranks without a unit take shares of it
// (chunks of 200, 200, 200, 200, 150 images in ranges of 2, 2 and 1 chunks). The LFSR's 10 fJ per
// bit and a DAC energy give the ledger non-zero energies, so that they must cross the wire intact.
// (Every inference charges the same events in this engine, so summing the chunks in another order
// happens to give the same bits here: the one-process order is kept by construction, not tested.) 2 epochs on 2000 images keep the owner busy until they have asked for work.
const std::string kOneRun =
    "task = network\nseed = 4\n[data]\ntrain_size = 2000\ntest_size = 950\n[network]\nlayers = 784,16,10\n"
    "[train]\nepochs = 2\nthreads = 1\n[eval]\nlengths = 32,64\nsc_samples = 950\nsc_policies = fresh, bank:4\n"
    "[device]\nplugin = device.lfsr\n[sc]\ndac_energy_per_level_J = 3.3e-15\n";

// One training evaluated 4 ways (2 devices x 2 DAC energies: keys of the evaluation only), so 4
// runs that share one network. Under 3 ranks one rank trains it (2 epochs on 2000 images keep it
// busy until the other two have found no training to start and wait) and sends it to rank 0,
// which hands the next two runs with it to the waiting ranks; the rank that trained takes the
// last. 400 SC images (2 chunks) at 2 lengths keep each run short.
const std::string kOneTrainingFourRuns =
    "task = network\nseed = 6\n[data]\ntrain_size = 2000\ntest_size = 400\n[network]\nlayers = 784,16,10\n"
    "[train]\nepochs = 2\nthreads = 1\n[eval]\nlengths = 32,64\nsc_samples = 400\n"
    "[sweep]\ndevice.plugin = device.bernoulli, device.lfsr\nsc.dac_energy_per_level_J = 0, 3.3e-15\n";

// One run whose SC evaluation (1200 images, 6 chunks, fresh streams at 2 lengths: about 3.5 s of
// CPU) keeps each of 3 ranks busy for over a second: long enough to kill a helper at its share.
const std::string kOneLongRun =
    "task = network\nseed = 5\n[data]\ntrain_size = 2000\ntest_size = 1200\n[network]\nlayers = 784,32,10\n"
    "[train]\nepochs = 2\nthreads = 1\n[eval]\nlengths = 256,384\nsc_samples = 1200\n[sc]\npolicy = fresh\n"
    "[device]\nplugin = device.bernoulli\n";

void write(const fs::path& file, const std::string& text) { std::ofstream(file) << text; }

std::string mpirun(int ranks) {
  return "mpirun --allow-run-as-root --oversubscribe -n " + std::to_string(ranks) + " ";
}

CommandResult in(const fs::path& dir, const std::string& command) {
  return run(dir, "cd '" + dir.string() + "' && SPINSC_PLUGIN_PATH= " + command);
}

herr_t collect_dataset(hid_t, const char* name, const H5O_info_t* info, void* out) {
  if (info->type == H5O_TYPE_DATASET) static_cast<std::set<std::string>*>(out)->insert(name);
  return 0;
}

// Every dataset below each run group, by path, as text (numbers printed exactly, strings as is).
std::map<std::string, std::string> run_datasets(const fs::path& file) {
  std::map<std::string, std::string> out;
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  BOOST_REQUIRE(f >= 0);
  File reader(file);
  for (int run = 0; run < 64; ++run) {
    const std::string group = fmt::format("runs/{:06d}", run);
    if (H5Lexists(f, "runs", H5P_DEFAULT) <= 0 || H5Lexists(f, group.c_str(), H5P_DEFAULT) <= 0) continue;
    const hid_t g = H5Gopen2(f, group.c_str(), H5P_DEFAULT);
    std::set<std::string> names;
    H5Ovisit(g, H5_INDEX_NAME, H5_ITER_NATIVE, collect_dataset, &names);
    H5Gclose(g);
    for (const auto& name : names) {
      const std::string path = group + "/" + name;
      const hid_t ds = H5Dopen2(f, path.c_str(), H5P_DEFAULT);
      const hid_t type = H5Dget_type(ds);
      const bool is_string = H5Tget_class(type) == H5T_STRING;
      H5Tclose(type);
      H5Dclose(ds);
      std::string text;
      if (is_string) {
        for (const auto& s : reader.strings(path)) text += s + "\n";
      } else {
        for (double v : reader.doubles(path)) text += fmt::format("{:a} ", v);  // exact
      }
      out[path] = text;
    }
    out[group + "@run_id"] = reader.attribute(group, "run_id");
    out[group + "@status"] = reader.attribute(group, "status");
  }
  H5Fclose(f);
  return out;
}

// The datasets that hold times measured while running (wall_time_s, epoch_time_s).
bool is_measured_time(const std::string& path) {
  return path.find("wall_time") != std::string::npos || path.find("epoch_time") != std::string::npos;
}

// Equal except measured times (and the run attributes, which hold them too); at least
// `min_compared` datasets compared (the comparison saw the runs' contents, not an empty file).
void expect_same_numbers(const fs::path& a, const fs::path& b, std::size_t min_compared = 8u * 20u) {
  const auto da = run_datasets(a), db = run_datasets(b);
  BOOST_TEST(da.size() == db.size());
  std::size_t compared = 0;
  for (const auto& [path, text] : da) {
    if (is_measured_time(path)) continue;
    auto it = db.find(path);
    BOOST_TEST_REQUIRE((it != db.end()), path << " missing from " << b);
    BOOST_TEST((it->second == text), path << " differs between " << a << " and " << b);
    ++compared;
  }
  BOOST_TEST(compared > min_compared);
}

int count_complete(const fs::path& file) {
  if (!fs::exists(file)) return 0;
  const CommandResult r = run(file.parent_path(), cli() + " show '" + file.string() + "' --csv --columns run");
  std::set<std::string> runs;
  std::istringstream lines(r.output);
  std::string line;
  std::getline(lines, line);  // header
  while (std::getline(lines, line))
    if (!line.empty()) runs.insert(line);
  return int(runs.size());
}

// A job of `mpirun -n 3 spinsc run DIR/INI -o ranks.h5` in the background, in `dir`: it writes its
// output to job.log and its exit code to job.rc when it ends. Its processes are found by the
// absolute path of INI, so a suite running in another build tree at the same time is left alone.
class BackgroundJob {
 public:
  BackgroundJob(const fs::path& dir, const std::string& ini)
      : dir_(dir), pattern_("spinsc run " + (dir / ini).string() + " -o ranks[.]h5") {
    const std::string job = "cd '" + dir.string() + "' && (SPINSC_PLUGIN_PATH= " + mpirun(3) + cli() + " run " +
                            (dir / ini).string() + " -o ranks.h5 > job.log 2>&1; echo $? > job.rc) &";
    BOOST_REQUIRE(std::system(job.c_str()) == 0);
  }
  // kill -9 the process of `rank` (found by the rank the launcher put in its environment).
  void kill_rank(int rank) const {
    const std::string kill = "for p in $(pgrep -f '" + pattern_ + "'); do "
                             "  if tr '\\0' '\\n' < /proc/$p/environ 2>/dev/null | grep -qx 'OMPI_COMM_WORLD_RANK=" +
                             std::to_string(rank) + "'; then kill -9 $p; fi; done";
    std::system(kill.c_str());
  }
  // The launcher ends the job: waits until it has said how (job.rc) and no rank is left (the
  // pattern's [.] keeps this shell's own command line from matching it); returns its exit code.
  int wait_for_end() const {
    const std::string wait = "cd '" + dir_.string() + "' && for i in $(seq 1 600); do [ -s job.rc ] && ! pgrep -f '" +
                             pattern_ + "' > /dev/null && exit 0; sleep 0.1; done; exit 1";
    BOOST_REQUIRE(std::system(wait.c_str()) == 0);
    std::ifstream rc_file(dir_ / "job.rc");
    int rc = 0;
    rc_file >> rc;
    return rc;
  }

 private:
  fs::path dir_;
  std::string pattern_;
};

}  // namespace

BOOST_AUTO_TEST_CASE(three_ranks_give_the_single_process_file) {
  const fs::path dir = scratch("mpi_run");
  write(dir / "sweep.ini", kSweep);
  const CommandResult single = in(dir, cli() + " run sweep.ini -o single.h5");
  BOOST_REQUIRE_MESSAGE(single.exit_code == 0, single.output);
  const CommandResult ranks = in(dir, mpirun(3) + cli() + " run sweep.ini -o ranks.h5");
  BOOST_REQUIRE_MESSAGE(ranks.exit_code == 0, ranks.output);
  BOOST_TEST(ranks.output.find("8 to run in 4 units (one per training) over 3 MPI ranks") != std::string::npos,
             ranks.output);
  // Rank 0's line per run: its place, the rank, the job's elapsed time and the time left.
  BOOST_TEST(ranks.output.find("run 1/8 complete on rank ") != std::string::npos, ranks.output);
  BOOST_TEST(ranks.output.find("run 8/8 complete on rank ") != std::string::npos, ranks.output);
  BOOST_TEST(ranks.output.find("  left ~") != std::string::npos, ranks.output);
  expect_same_numbers(dir / "single.h5", dir / "ranks.h5");
  // Run again: everything is complete, nothing runs.
  const CommandResult again = in(dir, mpirun(3) + cli() + " run sweep.ini -o ranks.h5");
  BOOST_TEST(again.exit_code == 0, again.output);
  BOOST_TEST(again.output.find("(8 already complete") != std::string::npos, again.output);
}

BOOST_AUTO_TEST_CASE(a_rank_killed_mid_sweep_loses_only_its_runs_and_the_job_resumes) {
  const fs::path dir = scratch("mpi_kill");
  write(dir / "sweep.ini", kLongSweep);
  BOOST_REQUIRE(in(dir, cli() + " run sweep.ini -o single.h5").exit_code == 0);
  const BackgroundJob job(dir, "sweep.ini");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (count_complete(dir / "ranks.h5") < 2 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  BOOST_REQUIRE_MESSAGE(count_complete(dir / "ranks.h5") >= 2, "the job wrote no runs in time");
  job.kill_rank(1);
  BOOST_TEST(job.wait_for_end() != 0, "the job was not stopped by the kill (it had finished?)");
  const int kept = count_complete(dir / "ranks.h5");
  BOOST_TEST(kept >= 2);
  BOOST_TEST(kept < 12, "every run was written before the kill: the test did not kill mid-sweep");
  const CommandResult resumed = in(dir, mpirun(3) + cli() + " run sweep.ini -o ranks.h5");
  BOOST_REQUIRE_MESSAGE(resumed.exit_code == 0, resumed.output);
  BOOST_TEST(resumed.output.find("(" + std::to_string(kept) + " already complete") != std::string::npos,
             resumed.output);
  expect_same_numbers(dir / "single.h5", dir / "ranks.h5");
}

BOOST_AUTO_TEST_CASE(idle_ranks_share_one_runs_sc_evaluation_and_give_the_single_process_file) {
  const fs::path dir = scratch("mpi_share");
  write(dir / "one.ini", kOneRun);
  const CommandResult single = in(dir, cli() + " run one.ini -o single.h5");
  BOOST_REQUIRE_MESSAGE(single.exit_code == 0, single.output);
  const CommandResult ranks = in(dir, mpirun(3) + cli() + " run one.ini -o ranks.h5");
  BOOST_REQUIRE_MESSAGE(ranks.exit_code == 0, ranks.output);
  // The owner asks at the start of the SC evaluation, after training: the other two ranks found
  // no unit to run and wait by then.
  BOOST_TEST(ranks.output.find("shares its SC evaluation with ranks") != std::string::npos, ranks.output);
  // 2 policies x 2 lengths x (accuracy, confusion, n_samples) and the per-policy arrays, plus
  // training, float/quantized evaluations, weights and ledger: well over 40 datasets.
  expect_same_numbers(dir / "single.h5", dir / "ranks.h5", 40);
}

BOOST_AUTO_TEST_CASE(runs_of_one_training_go_to_idle_ranks_with_its_network_and_give_the_single_process_file) {
  const fs::path dir = scratch("mpi_follow");
  write(dir / "four.ini", kOneTrainingFourRuns);
  const CommandResult single = in(dir, cli() + " run four.ini -o single.h5");
  BOOST_REQUIRE_MESSAGE(single.exit_code == 0, single.output);
  const CommandResult ranks = in(dir, mpirun(3) + cli() + " run four.ini -o ranks.h5");
  BOOST_REQUIRE_MESSAGE(ranks.exit_code == 0, ranks.output);
  BOOST_TEST(ranks.output.find("4 to run in 1 unit (one per training) over 3 MPI ranks") != std::string::npos,
             ranks.output);
  // Rank 0's line for each run that leaves the rank that trained: two, one per waiting rank.
  std::size_t handed = 0;
  for (std::size_t at = ranks.output.find(" with the network trained on rank "); at != std::string::npos;
       at = ranks.output.find(" with the network trained on rank ", at + 1))
    ++handed;
  BOOST_TEST(handed == 2u, ranks.output);
  // Every run evaluates the network trained once: the float and quantized evaluations and the
  // weights of the runs that received it are those of one process, where later runs reuse it.
  expect_same_numbers(dir / "single.h5", dir / "ranks.h5", 4u * 20u);
}

BOOST_AUTO_TEST_CASE(a_helper_killed_mid_share_loses_only_the_run_in_progress_and_the_job_resumes) {
  const fs::path dir = scratch("mpi_share_kill");
  write(dir / "one.ini", kOneLongRun);
  BOOST_REQUIRE(in(dir, cli() + " run one.ini -o single.h5").exit_code == 0);
  const BackgroundJob job(dir, "one.ini");
  // Wait for rank 0's line "run 0 on rank R shares its SC evaluation with ranks H1, H2".
  const std::string marker = "shares its SC evaluation with ranks ";
  const auto read_log = [&] {
    std::ifstream file(dir / "job.log");
    return std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  };
  std::string log;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (log.find(marker) == std::string::npos && !fs::exists(dir / "job.rc") &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    log = read_log();
  }
  log = read_log();  // the job may have ended (job.rc) after the last read
  const std::size_t at = log.find(marker);
  BOOST_REQUIRE_MESSAGE(at != std::string::npos, "the run did not share its SC evaluation in time: " << log);
  job.kill_rank(std::stoi(log.substr(at + marker.size())));  // the first helper
  BOOST_TEST(job.wait_for_end() != 0, "the job was not stopped by the kill (it had finished?)");
  BOOST_TEST(count_complete(dir / "ranks.h5") == 0, "the run in progress was written although a helper died");
  const CommandResult resumed = in(dir, mpirun(3) + cli() + " run one.ini -o ranks.h5");
  BOOST_REQUIRE_MESSAGE(resumed.exit_code == 0, resumed.output);
  BOOST_TEST(resumed.output.find("(0 already complete") != std::string::npos, resumed.output);
  expect_same_numbers(dir / "single.h5", dir / "ranks.h5", 30);
}
