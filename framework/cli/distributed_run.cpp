// spinsc run under mpirun (see distributed_run.hpp).
#include "distributed_run.hpp"

#include <fmt/core.h>

#include <chrono>
#include <cstdlib>
#include <limits>
#include <map>
#include <stdexcept>
#include <thread>
#include <vector>

#include "results_view.hpp"
#include "spinsc/result_store.hpp"
#include "spinsc/results_table.hpp"
#include "spinsc/run_wire.hpp"
#include "spinsc/runner.hpp"

#ifdef SPINSC_HAVE_MPI
#include <mpi.h>
#endif

namespace spinsc::cli {

int launched_job_size() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_SIZE", "PMI_SIZE", "SLURM_NTASKS"}) {
    if (const char* text = std::getenv(name)) {
      const int size = std::atoi(text);
      if (size > 0 && (std::string(name) != "SLURM_NTASKS" || std::getenv("SLURM_PROCID"))) return size;
    }
  }
  return 1;
}

#ifndef SPINSC_HAVE_MPI

std::string mpi_description() { return "off (built without MPI)"; }
MpiSession::MpiSession() {
  if (launched_job_size() > 1)
    throw std::runtime_error(
        "spinsc was started as one of several MPI ranks but this build has no MPI (spinsc --version: MPI off); "
        "install libopenmpi-dev and rebuild, or run spinsc without mpirun");
}
MpiSession::~MpiSession() = default;
int run_distributed(const MpiSession&, const Experiment&, PluginRegistry&, const std::filesystem::path&, bool) {
  throw std::logic_error("run_distributed without MPI");
}

#else

namespace {

constexpr int kTagRequest = 1;  // worker -> rank 0: give me a unit (no data)
constexpr int kTagAssign = 2;   // rank 0 -> worker: pairs (point, run index); none = no more work
constexpr int kTagResult = 3;   // worker -> rank 0: one finished run (encode_run)

// A worker's progress goes nowhere: rank 0 reports runs as they arrive.
class SilentProgress final : public Progress {
 public:
  void step(const std::string&, double) override {}
  void message(const std::string&) override {}
};

std::string label_of(const RunOutcome& outcome) {
  std::string label;
  for (const auto& [key, value] : outcome.swept) label += (label.empty() ? "" : " ") + key + "=" + value;
  return label;
}

// Units of work: the runs of one training id, in the order of their first point.
std::vector<std::vector<std::uint64_t>> units_of(const Experiment& experiment, const RunPlan& plan) {
  std::vector<std::vector<std::uint64_t>> units;
  std::map<std::string, std::size_t> unit_of_training;
  for (const PlannedRun& run : plan.to_run) {
    const std::string& training = experiment.points[run.point].identity.training_id;
    auto [it, added] = unit_of_training.emplace(training, units.size());
    if (added) units.emplace_back();
    units[it->second].push_back(run.point);
    units[it->second].push_back(run.run_index);
  }
  return units;
}

// Every rank: ask rank 0 for units and run them until it says there are none.
void work(const Experiment& experiment, PluginRegistry& registry, const std::string& results_file) {
  SilentProgress progress;
  for (;;) {
    MPI_Send(nullptr, 0, MPI_BYTE, 0, kTagRequest, MPI_COMM_WORLD);
    MPI_Status status;
    MPI_Probe(0, kTagAssign, MPI_COMM_WORLD, &status);
    int count = 0;
    MPI_Get_count(&status, MPI_UINT64_T, &count);
    std::vector<std::uint64_t> unit(static_cast<std::size_t>(count));
    MPI_Recv(unit.data(), count, MPI_UINT64_T, 0, kTagAssign, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (unit.empty()) return;
    for (std::size_t i = 0; i + 1 < unit.size(); i += 2) {
      RunRecord record;
      const RunOutcome outcome =
          run_one_point(experiment, registry, PlannedRun{std::size_t(unit[i]), unit[i + 1]}, record, progress,
                        results_file);
      const std::string bytes = encode_run(outcome, record);
      if (bytes.size() > std::size_t(std::numeric_limits<int>::max()))
        throw std::runtime_error("a run's record is larger than one MPI message (2 GiB)");
      MPI_Send(bytes.data(), int(bytes.size()), MPI_BYTE, 0, kTagResult, MPI_COMM_WORLD);
    }
  }
}

// A rank that cannot go on stops the job: the others would wait for it for ever.
void work_or_abort(const Experiment& experiment, PluginRegistry& registry, const std::string& results_file) {
  try {
    work(experiment, registry, results_file);
  } catch (const std::exception& e) {
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    fmt::print(stderr, "spinsc run: error on rank {}: {}; stopping every rank (runs written so far are kept)\n", rank,
               e.what());
    std::fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
}

struct Tally {
  std::size_t complete = 0, failed = 0;
};

// Rank 0's second thread: hands out units, writes the runs it receives, reports them.
void coordinate(std::vector<std::vector<std::uint64_t>> units, int ranks, std::size_t runs_to_do,
                ResultStore& store, Tally& tally) {
  std::size_t next = 0, done = 0;
  int working = ranks;
  const auto start = std::chrono::steady_clock::now();
  while (working > 0) {
    int ready = 0;
    MPI_Status status;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &ready, &status);
    if (!ready) {  // poll gently: a blocking receive would keep a core busy in Open MPI
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      continue;
    }
    if (status.MPI_TAG == kTagRequest) {
      MPI_Recv(nullptr, 0, MPI_BYTE, status.MPI_SOURCE, kTagRequest, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      static const std::vector<std::uint64_t> none;
      const std::vector<std::uint64_t>& unit = next < units.size() ? units[next++] : none;
      if (unit.empty()) --working;
      MPI_Send(unit.data(), int(unit.size()), MPI_UINT64_T, status.MPI_SOURCE, kTagAssign, MPI_COMM_WORLD);
    } else if (status.MPI_TAG == kTagResult) {
      int count = 0;
      MPI_Get_count(&status, MPI_BYTE, &count);
      std::string bytes(static_cast<std::size_t>(count), '\0');
      MPI_Recv(bytes.data(), count, MPI_BYTE, status.MPI_SOURCE, kTagResult, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      RunOutcome outcome;
      RunRecord record;
      try {
        decode_run(bytes, outcome, record);
        store.write_run(outcome, record);
      } catch (const std::exception& e) {
        fmt::print(stderr, "spinsc run: error: {}; stopping every rank (runs written so far are kept)\n", e.what());
        std::fflush(stderr);
        MPI_Abort(MPI_COMM_WORLD, 1);
      }
      (outcome.status == "complete" ? tally.complete : tally.failed) += 1;
      ++done;
      const double elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      fmt::print("run {}/{} {} on rank {} in {:.1f} s (elapsed {:.0f} s): {}\n", done, runs_to_do,
                 outcome.status == "complete" ? "complete" : outcome.status, status.MPI_SOURCE, outcome.wall_time_s,
                 elapsed_s, label_of(outcome));
      std::fflush(stdout);
    }
  }
}

}  // namespace

std::string mpi_description() {
  char text[MPI_MAX_LIBRARY_VERSION_STRING] = {};
  int length = 0;
  MPI_Get_library_version(text, &length);
  std::string version(text, static_cast<std::size_t>(length));
  if (const auto end = version.find_first_of(",\n"); end != std::string::npos) version.resize(end);
  return "on (" + version + ")";
}

MpiSession::MpiSession() {
  if (launched_job_size() <= 1) return;
  // Open MPI copies large messages between processes of one node with process_vm_readv, which
  // containers often forbid (the transfer then fails); runs are a few MB a minute, so copying
  // through shared memory costs nothing that shows. The user's own setting wins.
  setenv("OMPI_MCA_btl_vader_single_copy_mechanism", "none", 0);
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_MULTIPLE, &provided);
  initialized_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  if (provided < MPI_THREAD_MULTIPLE) {
    if (rank_ == 0)
      fmt::print(stderr, "spinsc run: error: this MPI library gives no MPI_THREAD_MULTIPLE, which rank 0 needs "
                         "(it runs and coordinates at once)\n");
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
}

MpiSession::~MpiSession() {
  if (initialized_) MPI_Finalize();
}

int run_distributed(const MpiSession& mpi, const Experiment& experiment, PluginRegistry& registry,
                    const std::filesystem::path& output, bool force) {
  std::unique_ptr<ResultStore> store;
  RunPlan plan;
  std::string failure;
  if (mpi.rank() == 0) {
    try {
      store = open_hdf5_store(output, experiment.identity(registry), force);
      plan = plan_runs(experiment, store->stored_runs());
    } catch (const std::exception& e) {
      failure = e.what();
    }
  }
  int go = failure.empty() ? 1 : 0;
  MPI_Bcast(&go, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (!go) {
    if (mpi.rank() == 0) throw ResultStoreError(failure);
    return 1;
  }
  if (mpi.rank() != 0) {
    work_or_abort(experiment, registry, output.string());
    return 0;
  }

  const auto units = units_of(experiment, plan);
  fmt::print("experiment {}: task {}, {} run{} ({} already complete in {}), {} to run in {} unit{} (one per "
             "training) over {} MPI ranks\n",
             experiment.name, experiment.task, experiment.points.size(), experiment.points.size() == 1 ? "" : "s",
             plan.complete_before, store->location(), plan.to_run.size(), units.size(), units.size() == 1 ? "" : "s",
             mpi.size());
  if (!plan.stale.empty())
    fmt::print("{} stored run{} match no point of this experiment any more; kept in the file as a record\n",
               plan.stale.size(), plan.stale.size() == 1 ? "" : "s");
  std::fflush(stdout);
  Tally tally;
  std::thread coordinator(coordinate, units, mpi.size(), plan.to_run.size(), std::ref(*store), std::ref(tally));
  work_or_abort(experiment, registry, output.string());
  coordinator.join();
  store->finish(utc_now());
  const std::string location = store->location();
  store.reset();  // closes the results file
  TableFormat format;
  format.width = terminal_width(stdout);
  print_results_file(stdout, output, format);
  fmt::print("\n{} runs: {} complete, {} failed, {} skipped (complete before), over {} MPI ranks. Results: {}\n",
             experiment.points.size(), tally.complete, tally.failed, plan.complete_before, mpi.size(), location);
  return tally.failed == 0 ? 0 : 1;
}

#endif

}  // namespace spinsc::cli
