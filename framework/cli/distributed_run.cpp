// spinsc run under mpirun (see distributed_run.hpp).
#include "distributed_run.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "results_view.hpp"
#include "runner/progress_display.hpp"
#include "spinsc/network_task.hpp"
#include "spinsc/result_store.hpp"
#include "spinsc/results_table.hpp"
#include "spinsc/run_wire.hpp"
#include "spinsc/runner.hpp"
#include "spinsc/sc_evaluation_sharing.hpp"

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

// Two communicators (duplicates of MPI_COMM_WORLD), so that rank 0's two threads never see each
// other's messages: everything addressed to the coordinator goes on `to_coordinator` (only the
// coordinator thread receives on it), everything addressed to a rank's worker on `to_workers`.
struct Channels {
  MPI_Comm to_coordinator = MPI_COMM_NULL, to_workers = MPI_COMM_NULL;
};

// to_coordinator:
constexpr int kTagRequest = 1;  // worker -> rank 0: give me work (no data); also implied by kTagResult
constexpr int kTagResult = 3;   // worker -> rank 0: one finished run (encode_run), and give me work
constexpr int kTagHelpers = 4;  // owner of a run -> rank 0: {wanted, point, run index}: idle ranks to share its SC evaluation
constexpr int kTagNetwork = 8;  // worker -> rank 0: the network its run has just trained (encode_trained_network)
// to_workers:
constexpr int kTagAssign = 2;          // rank 0 -> worker: {kRun | kFollow, point, run index}, {kShare, owner}; {} = no more work
constexpr int kTagHelpersGranted = 5;  // rank 0 -> owner: the ranks reserved for it (int)
constexpr int kTagShareJob = 6;        // owner -> helper: encode_sc_job
constexpr int kTagShareResult = 7;     // helper -> owner: encode_sc_shard
constexpr int kTagFollowNetwork = 9;   // rank 0 -> worker, after a kFollow: the network to keep (encode_trained_network)

constexpr std::uint64_t kRun = 0;     // assignment: one run (it trains its network unless this rank keeps it)
constexpr std::uint64_t kShare = 1;   // assignment: a share of the SC evaluation of a run on rank `owner`
constexpr std::uint64_t kFollow = 2;  // assignment: one run of a training done on another rank; its network follows

// Waits for a message without keeping a core busy (a blocking probe spins in Open MPI). A look
// every millisecond. (A pause growing to 4 ms while nothing came spared little CPU, and on a
// 2-core machine loaded by other programs the job's ranks then got about half the CPU time
// they get with this one: twice the wall time.)
MPI_Status probe_gently(int source, int tag, MPI_Comm comm) {
  for (;;) {
    int ready = 0;
    MPI_Status status;
    MPI_Iprobe(source, tag, comm, &ready, &status);
    if (ready) return status;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

template <class T>
std::vector<T> receive_vector(int source, int tag, MPI_Comm comm, MPI_Datatype type) {
  const MPI_Status status = probe_gently(source, tag, comm);
  int count = 0;
  MPI_Get_count(&status, type, &count);
  std::vector<T> values(static_cast<std::size_t>(count));
  MPI_Recv(values.data(), count, type, status.MPI_SOURCE, tag, comm, MPI_STATUS_IGNORE);
  return values;
}

std::string receive_bytes(int source, int tag, MPI_Comm comm, int* from = nullptr) {
  const MPI_Status status = probe_gently(source, tag, comm);
  int count = 0;
  MPI_Get_count(&status, MPI_BYTE, &count);
  std::string bytes(static_cast<std::size_t>(count), '\0');
  MPI_Recv(bytes.data(), count, MPI_BYTE, status.MPI_SOURCE, tag, comm, MPI_STATUS_IGNORE);
  if (from) *from = status.MPI_SOURCE;
  return bytes;
}

void send_bytes(const std::string& bytes, int destination, int tag, MPI_Comm comm) {
  if (bytes.size() > std::size_t(std::numeric_limits<int>::max()))
    throw std::runtime_error("a message between ranks is larger than one MPI message (2 GiB)");
  MPI_Send(bytes.data(), int(bytes.size()), MPI_BYTE, destination, tag, comm);
}

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
std::vector<std::vector<PlannedRun>> units_of(const Experiment& experiment, const RunPlan& plan) {
  std::vector<std::vector<PlannedRun>> units;
  std::map<std::string, std::size_t> unit_of_training;
  for (const PlannedRun& run : plan.to_run) {
    const std::string& training = experiment.points[run.point].identity.training_id;
    auto [it, added] = unit_of_training.emplace(training, units.size());
    if (added) units.emplace_back();
    units[it->second].push_back(run);
  }
  return units;
}

// The owner's side of a shared SC evaluation: helpers come from rank 0's idle ranks.
class MpiSharing final : public ScEvaluationSharing {
 public:
  explicit MpiSharing(const Channels& channels) : channels_(channels) {}
  void set_run(const PlannedRun& run) { run_ = run; }

  std::size_t reserve_helpers(std::size_t wanted) override {
    const std::uint64_t ask[3] = {wanted, run_.point, run_.run_index};
    MPI_Send(ask, 3, MPI_UINT64_T, 0, kTagHelpers, channels_.to_coordinator);
    helpers_ = receive_vector<int>(0, kTagHelpersGranted, channels_.to_workers, MPI_INT);
    return helpers_.size();
  }
  void hand_out(const Mlp& network, const std::vector<ImageRange>& ranges) override {
    if (ranges.size() != helpers_.size()) throw std::logic_error("one range per reserved helper");
    for (std::size_t i = 0; i < ranges.size(); ++i)
      send_bytes(encode_sc_job(run_.point, network, ranges[i]), helpers_[i], kTagShareJob, channels_.to_workers);
  }
  std::vector<ScShard> collect() override {
    std::vector<ScShard> shards;
    for (int helper : helpers_)
      shards.push_back(decode_sc_shard(receive_bytes(helper, kTagShareResult, channels_.to_workers)));
    helpers_.clear();
    return shards;
  }

 private:
  Channels channels_;
  PlannedRun run_;
  std::vector<int> helpers_;
};

// Every rank: ask rank 0 for work and do it until it says there is none. A run's result asks
// for the next work too, so that rank 0 answers before it writes the run.
void work(const Experiment& experiment, PluginRegistry& registry, const std::string& results_file,
          const Channels& channels) {
  SilentProgress progress;
  MpiSharing sharing(channels);
  // A network this rank trains is sent to rank 0 at once, which may hand the training's other
  // runs to idle ranks while this one evaluates.
  const auto network_ready = [&](const std::string& training_id) {
    send_bytes(encode_trained_network(training_id), 0, kTagNetwork, channels.to_coordinator);
  };
  MPI_Send(nullptr, 0, MPI_BYTE, 0, kTagRequest, channels.to_coordinator);
  for (;;) {
    const auto work = receive_vector<std::uint64_t>(0, kTagAssign, channels.to_workers, MPI_UINT64_T);
    if (work.empty()) return;
    if (work[0] == kShare) {
      const int owner = int(work.at(1));
      std::size_t point = 0;
      std::vector<Matrix> weights;
      ImageRange images;
      decode_sc_job(receive_bytes(owner, kTagShareJob, channels.to_workers), point, weights, images);
      const ScShard shard = evaluate_sc_shard(experiment, registry, point, weights, images);
      send_bytes(encode_sc_shard(shard), owner, kTagShareResult, channels.to_workers);
      MPI_Send(nullptr, 0, MPI_BYTE, 0, kTagRequest, channels.to_coordinator);
      continue;
    }
    const PlannedRun run{std::size_t(work.at(1)), work.at(2)};
    if (work[0] == kFollow) {
      const po::variables_map config = experiment.config_for(experiment.points.at(run.point));
      adopt_trained_network(receive_bytes(0, kTagFollowNetwork, channels.to_workers),
                            NetworkSpec::from_params(Params(config, "").section("network")));
    }
    sharing.set_run(run);
    RunRecord record;
    const RunOutcome outcome =
        run_one_point(experiment, registry, run, record, progress, results_file, &sharing, network_ready);
    send_bytes(encode_run(outcome, record), 0, kTagResult, channels.to_coordinator);
  }
}

// A rank that cannot go on stops the job: the others would wait for it for ever.
void work_or_abort(const Experiment& experiment, PluginRegistry& registry, const std::string& results_file,
                   const Channels& channels) {
  try {
    work(experiment, registry, results_file, channels);
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

// The runs of one training id and where they stand.
struct Unit {
  std::vector<PlannedRun> runs;  // in point order, handed out in that order
  std::size_t next = 0;          // runs handed out so far
  // The run handed out to train the network (index into runs) while its result is awaited.
  std::optional<std::size_t> training;
  bool trained = false;          // a rank has sent its network: `trained_on`, kept by `holders`
  int trained_on = -1;
  std::string network;           // its bytes (encode_trained_network) while runs are left
  std::set<int> holders;
  bool left() const { return next < runs.size(); }
  // The next run trains: nobody has trained yet, or the run that trained failed before its
  // network was kept (as in one process, where the next run of the training trains again).
  bool trainable() const { return left() && !training && !trained; }
  bool followable() const { return left() && trained; }
};

// Rank 0's second thread: hands out runs and, when none can be handed out, lends the idle ranks
// to runs whose SC evaluation can be shared; writes the runs it receives and reports them.
// A rank that asks gets, in this order: the next run of a training whose network it keeps; the
// first run of a training nobody has started (it trains); the next run of a training done on
// another rank, with its network. The runs of one training thus stay on their rank while there
// is other work, and spread over the idle ranks at the end of the job.
class Coordinator {
 public:
  Coordinator(const std::vector<std::vector<PlannedRun>>& units, int ranks, std::size_t runs_to_do, ResultStore& store,
              Tally& tally, const Channels& channels)
      : runs_to_do_(runs_to_do), store_(store), tally_(tally), channels_(channels), working_(ranks),
        running_(std::size_t(ranks)) {
    for (const auto& runs : units) units_.push_back(Unit{runs});
  }

  void run() {
    while (working_ > 0) {
      const MPI_Status status = probe_gently(MPI_ANY_SOURCE, MPI_ANY_TAG, channels_.to_coordinator);
      const int from = status.MPI_SOURCE;
      if (status.MPI_TAG == kTagRequest) {
        MPI_Recv(nullptr, 0, MPI_BYTE, from, kTagRequest, channels_.to_coordinator, MPI_STATUS_IGNORE);
        on_request(from);
      } else if (status.MPI_TAG == kTagHelpers) {
        std::uint64_t ask[3] = {};
        MPI_Recv(ask, 3, MPI_UINT64_T, from, kTagHelpers, channels_.to_coordinator, MPI_STATUS_IGNORE);
        on_helpers_wanted(from, ask[0], ask[2]);
      } else if (status.MPI_TAG == kTagNetwork) {
        on_network(from, receive_bytes(from, kTagNetwork, channels_.to_coordinator));
      } else if (status.MPI_TAG == kTagResult) {
        const std::string bytes = receive_bytes(from, kTagResult, channels_.to_coordinator);
        on_run_ended(from);
        on_result(bytes, from);
      }
    }
  }

 private:
  struct Running {
    std::size_t unit = 0, run = 0;  // unit and its run that the rank runs
  };

  void assign(int rank, const std::vector<std::uint64_t>& work) {
    MPI_Send(work.data(), int(work.size()), MPI_UINT64_T, rank, kTagAssign, channels_.to_workers);
  }

  // Hands out the next run of unit u to `rank` (with the unit's network if `rank` does not keep it).
  void hand_out(std::size_t u, int rank) {
    Unit& unit = units_[u];
    const std::size_t index = unit.next++;
    const PlannedRun& run = unit.runs[index];
    running_[std::size_t(rank)] = Running{u, index};
    if (!unit.trained) {  // this rank trains
      unit.training = index;
      assign(rank, {kRun, run.point, run.run_index});
    } else if (unit.holders.count(rank)) {
      assign(rank, {kRun, run.point, run.run_index});
    } else {
      assign(rank, {kFollow, run.point, run.run_index});
      send_bytes(unit.network, rank, kTagFollowNetwork, channels_.to_workers);
      unit.holders.insert(rank);
      fmt::print("run {} goes to rank {} with the network trained on rank {}\n", run.run_index, rank,
                 unit.trained_on);
      std::fflush(stdout);
    }
    if (!unit.left()) std::string().swap(unit.network);  // every run handed out: free its bytes
  }

  // The unit whose next run `rank` should take (see the class comment), or none.
  std::optional<std::size_t> work_for(int rank) const {
    for (std::size_t u = 0; u < units_.size(); ++u)
      if (units_[u].followable() && units_[u].holders.count(rank)) return u;
    for (std::size_t u = 0; u < units_.size(); ++u)
      if (units_[u].trainable()) return u;
    for (std::size_t u = 0; u < units_.size(); ++u)
      if (units_[u].followable()) return u;
    return std::nullopt;
  }

  void on_request(int rank) {
    running_[std::size_t(rank)].reset();
    if (const auto u = work_for(rank)) {
      hand_out(*u, rank);
      return;
    }
    idle_.push_back(rank);
    // Nothing to hand out and no run that could still share its SC evaluation or make a network
    // for other runs: stop the idle ranks.
    if (std::any_of(running_.begin(), running_.end(), [](const auto& r) { return r.has_value(); })) return;
    for (int r : idle_) {
      assign(r, {});
      --working_;
    }
    idle_.clear();
  }

  // Idle ranks take whatever can be handed out now.
  void serve_idle() {
    for (auto it = idle_.begin(); it != idle_.end();) {
      if (const auto u = work_for(*it)) {
        const int rank = *it;
        it = idle_.erase(it);
        hand_out(*u, rank);
      } else {
        ++it;
      }
    }
  }

  void on_network(int rank, std::string bytes) {
    const auto& running = running_[std::size_t(rank)];
    if (!running) throw std::logic_error("a network from a rank that runs nothing");
    Unit& unit = units_[running->unit];
    unit.trained = true;
    unit.trained_on = rank;
    unit.holders.insert(rank);
    if (unit.left()) unit.network = std::move(bytes);
    serve_idle();
  }

  // `rank`'s run has ended (its result is in): it asks for more work.
  void on_run_ended(int rank) {
    const auto& running = running_[std::size_t(rank)];
    if (!running) throw std::logic_error("a result from a rank that runs nothing");
    Unit& unit = units_[running->unit];
    const bool lost_training = unit.training == running->run && !unit.trained;
    if (unit.training == running->run) unit.training.reset();
    on_request(rank);
    if (lost_training) serve_idle();  // the unit's next run trains: an idle rank may take it
  }

  void on_helpers_wanted(int owner, std::uint64_t wanted, std::uint64_t run_index) {
    std::vector<int> helpers;
    while (!idle_.empty() && helpers.size() < wanted) {
      helpers.push_back(idle_.front());
      idle_.erase(idle_.begin());
      assign(helpers.back(), {kShare, std::uint64_t(owner)});
    }
    MPI_Send(helpers.data(), int(helpers.size()), MPI_INT, owner, kTagHelpersGranted, channels_.to_workers);
    if (helpers.empty()) return;
    std::string ranks;
    for (int r : helpers) ranks += (ranks.empty() ? "" : ", ") + std::to_string(r);
    fmt::print("run {} on rank {} shares its SC evaluation with rank{} {}\n", run_index, owner,
               helpers.size() == 1 ? "" : "s", ranks);
    std::fflush(stdout);
  }

  void on_result(const std::string& bytes, int from) {
    RunOutcome outcome;
    RunRecord record;
    try {
      decode_run(bytes, outcome, record);
      store_.write_run(outcome, record);
    } catch (const std::exception& e) {
      fmt::print(stderr, "spinsc run: error: {}; stopping every rank (runs written so far are kept)\n", e.what());
      std::fflush(stderr);
      MPI_Abort(MPI_COMM_WORLD, 1);
    }
    (outcome.status == "complete" ? tally_.complete : tally_.failed) += 1;
    ++done_;
    const double elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    fmt::print("run {}/{} {} on rank {} in {}  {}: {}\n", done_, runs_to_do_,
               outcome.status == "complete" ? "complete" : outcome.status, from,
               runner_detail::format_duration(outcome.wall_time_s),
               runner_detail::sweep_time_text(done_, runs_to_do_, elapsed_s), label_of(outcome));
    std::fflush(stdout);
  }

  std::vector<Unit> units_;
  std::size_t runs_to_do_;
  ResultStore& store_;
  Tally& tally_;
  Channels channels_;
  int working_;                                 // ranks not yet told that there is no more work
  std::vector<std::optional<Running>> running_;  // per rank: the run it runs (it may still ask for helpers)
  std::vector<int> idle_;                       // ranks waiting for work, in the order they asked
  std::size_t done_ = 0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

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
  // A job whose ranks all run on this node talks through shared memory alone. Naming Open MPI's
  // ob1 messaging layer for it spares MPI_Init the probing of network fabrics (libfabric, PSM)
  // that the default choice does even where there are none: 0.2 s of every job's start on a
  // 2-core machine, as long as a whole run takes there. Jobs over several nodes keep the default.
  const char* local_size = std::getenv("OMPI_COMM_WORLD_LOCAL_SIZE");
  const char* world_size = std::getenv("OMPI_COMM_WORLD_SIZE");
  if (local_size && world_size && std::string(local_size) == world_size) setenv("OMPI_MCA_pml", "ob1", 0);
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
  Channels channels;
  MPI_Comm_dup(MPI_COMM_WORLD, &channels.to_coordinator);
  MPI_Comm_dup(MPI_COMM_WORLD, &channels.to_workers);
  if (mpi.rank() != 0) {
    work_or_abort(experiment, registry, output.string(), channels);
    MPI_Comm_free(&channels.to_coordinator);
    MPI_Comm_free(&channels.to_workers);
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
  Coordinator coordinator(units, mpi.size(), plan.to_run.size(), *store, tally, channels);
  std::thread coordinator_thread([&] {
    try {
      coordinator.run();
    } catch (const std::exception& e) {
      fmt::print(stderr, "spinsc run: error on rank 0: {}; stopping every rank (runs written so far are kept)\n",
                 e.what());
      std::fflush(stderr);
      MPI_Abort(MPI_COMM_WORLD, 1);
    }
  });
  work_or_abort(experiment, registry, output.string(), channels);
  coordinator_thread.join();
  MPI_Comm_free(&channels.to_coordinator);
  MPI_Comm_free(&channels.to_workers);
  store->finish(utc_now());
  const std::string location = store->location();
  store.reset();  // closes the results file
  TableFormat format;
  format.width = terminal_width(stdout);
  print_results_file(stdout, output, format, ResultsFileOrigin::this_process);
  fmt::print("\n{} runs: {} complete, {} failed, {} skipped (complete before), over {} MPI ranks. Results: {}\n",
             experiment.points.size(), tally.complete, tally.failed, plan.complete_before, mpi.size(), location);
  return tally.failed == 0 ? 0 : 1;
}

#endif

}  // namespace spinsc::cli
