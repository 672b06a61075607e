// Requirement 7 (issue 2): a writer killed with SIGKILL at any moment loses at most the run in
// progress; the file stays readable (through its links to the run files), every run present is
// complete and intact, and a restarted writer resumes where the killed one stopped.
#define BOOST_TEST_MODULE results_kill_safety
#include <boost/test/unit_test.hpp>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <thread>

#include "results_test_support.hpp"
#include "spinsc/random.hpp"

using namespace results_test;

namespace {
constexpr std::uint64_t kRuns = 30;
constexpr std::size_t kValuesPerRun = 40000;  // 320 kB per run: commits take long enough to be hit

spinsc::RunRecord big_record(std::uint64_t run_index) {
  spinsc::RunRecord record = sample_record(run_index);
  std::vector<double> trace(kValuesPerRun);
  for (std::size_t i = 0; i < trace.size(); ++i) trace[i] = static_cast<double>(run_index * kValuesPerRun + i);
  record.put("device/trace", std::move(trace), "1");
  return record;
}

// The child: resume the file and write every run not yet complete, then exit.
[[noreturn]] void writer_process(const fs::path& file) {
  int code = 0;
  try {
    auto store = spinsc::open_hdf5_store(file, sample_identity(), false);
    for (std::uint64_t run = 0; run < kRuns; ++run) {
      if (!store->is_complete(run)) store->write_run(sample_outcome(run), big_record(run));
    }
    store->finish("2026-01-01T00:03:00Z");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "writer: %s\n", e.what());
    code = 3;
  }
  std::_Exit(code);
}

// Checks the file a killed writer left; returns how many runs it holds (0..n-1, in order).
std::uint64_t check_file(const fs::path& file) {
  hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  BOOST_REQUIRE_MESSAGE(f >= 0, "the results file does not open after SIGKILL");
  hid_t runs = H5Gopen2(f, "runs", H5P_DEFAULT);
  BOOST_REQUIRE(runs >= 0);
  H5G_info_t info{};
  H5Gget_info(runs, &info);
  const auto n = static_cast<std::uint64_t>(info.nlinks);
  for (std::uint64_t run = 0; run < n; ++run) {
    char name[16];
    std::snprintf(name, sizeof name, "%06llu", static_cast<unsigned long long>(run));
    hid_t group = H5Gopen2(runs, name, H5P_DEFAULT);
    BOOST_REQUIRE_MESSAGE(group >= 0, "runs are not 0..n-1: missing " << name);
    BOOST_TEST(read_string_attribute(group, "status") == "complete", name);
    H5Gclose(group);
    const std::string base = std::string("runs/") + name + "/";
    const auto trace = read_numbers<double>(f, base + "device/trace", H5T_NATIVE_DOUBLE);
    BOOST_REQUIRE_EQUAL(trace.size(), kValuesPerRun);
    BOOST_TEST(trace.front() == static_cast<double>(run * kValuesPerRun), name);
    BOOST_TEST(trace.back() == static_cast<double>(run * kValuesPerRun + kValuesPerRun - 1), name);
    BOOST_TEST(read_numbers<double>(f, base + "training/loss", H5T_NATIVE_DOUBLE).at(0) == 1.0 + run, name);
  }
  BOOST_TEST(read_numbers<std::int64_t>(f, "summary/run_index", H5T_NATIVE_INT64).size() == n);
  H5Gclose(runs);
  H5Fclose(f);
  return n;
}
}  // namespace

BOOST_AUTO_TEST_CASE(sigkill_at_random_moments_loses_at_most_the_run_in_progress) {
  ScratchFolder folder("kill");
  const fs::path file = folder.path() / "killed.h5";
  // Kill moments: uniform in [2, 400] ms after the writer starts, from a fixed seed.
  spinsc::RandomStream moments(20261122, "test.results.kill_moments");
  std::uint64_t runs_before = 0;
  int kills_with_file = 0;
  for (int round = 0; round < 12; ++round) {
    const auto delay = std::chrono::microseconds(2000 + moments.below(398000));
    const pid_t child = ::fork();
    BOOST_REQUIRE(child >= 0);
    if (child == 0) writer_process(file);
    std::this_thread::sleep_for(delay);
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    if (!fs::exists(file)) continue;  // killed before its first commit: nothing to lose yet
    ++kills_with_file;
    const std::uint64_t runs_now = check_file(file);
    BOOST_TEST_MESSAGE("round " << round << ": killed after " << delay.count() / 1000 << " ms, "
                                << runs_now << " runs in the file");
    BOOST_TEST(runs_now >= runs_before);  // earlier runs are never lost
    runs_before = runs_now;
  }
  BOOST_TEST(kills_with_file >= 6);
  // A last writer, not killed, completes the experiment from where the others stopped.
  const pid_t child = ::fork();
  BOOST_REQUIRE(child >= 0);
  if (child == 0) writer_process(file);
  int status = 0;
  ::waitpid(child, &status, 0);
  BOOST_TEST((WIFEXITED(status) && WEXITSTATUS(status) == 0));
  BOOST_TEST(check_file(file) == kRuns);
  // What killed writers left besides (run files no index came to refer to, temporaries) is gone:
  // one file per run.
  std::size_t run_files = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(file.string() + ".runs"))) {
    BOOST_TEST(entry.path().extension() == ".h5", entry.path());
    ++run_files;
  }
  BOOST_TEST(run_files == kRuns);
}
