// MPI side of `spinsc run` (mpi_run.hpp). Built without MPI, every process is a job of one rank.
#include "mpi_run.hpp"

#include <cstdlib>
#include <limits>
#include <map>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "spinsc/run_message.hpp"

#if SPINSC_HAVE_MPI
#include <mpi.h>
#endif

namespace spinsc::cli {

std::function<bool(std::size_t)> share_of(const Experiment& experiment, int rank, int size) {
  std::map<std::string, std::size_t> group_of_training;
  std::vector<bool> mine(experiment.points.size());
  std::size_t groups = 0;
  for (std::size_t i = 0; i < experiment.points.size(); ++i) {
    const std::string& training = experiment.points[i].identity.training_id;
    std::size_t group = groups;
    if (training.empty()) {
      ++groups;
    } else if (auto [it, added] = group_of_training.emplace(training, groups); added) {
      ++groups;
    } else {
      group = it->second;
    }
    mine[i] = static_cast<int>(group % static_cast<std::size_t>(size)) == rank;
  }
  return [mine](std::size_t point) { return point < mine.size() && mine[point]; };
}

#if !SPINSC_HAVE_MPI

MpiPlace mpi_place() { return {}; }
std::string mpi_description() { return "off"; }
std::unique_ptr<ResultStore> distributed_store(const MpiPlace&, const std::string&,
                                               const std::function<std::unique_ptr<ResultStore>()>& open) {
  return open();
}
RunsElsewhere runs_elsewhere(const ResultStore&) { return {}; }

#else

namespace {

constexpr int kRunTag = 1;   // a finished run (run_message.hpp bytes)
constexpr int kDoneTag = 2;  // a rank has sent all its runs

// Started by mpirun (Open MPI or another PMI launcher)? Only then is MPI initialized, so that a
// plain `spinsc run` never depends on the MPI runtime.
bool launched_by_mpirun() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"}) {
    if (std::getenv(name) != nullptr) return true;
  }
  return false;
}

void finalize_at_exit() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) MPI_Finalize();
}

// Rank 0: stores its own runs and those the other ranks send.
class CollectingStore final : public ResultStore {
 public:
  CollectingStore(std::unique_ptr<ResultStore> store, int size) : store_(std::move(store)), size_(size) {}
  bool is_complete(std::uint64_t run_index) const override { return store_->is_complete(run_index); }
  std::vector<StoredRun> stored_runs() const override { return store_->stored_runs(); }
  void write_run(const RunOutcome& outcome, const RunRecord& record) override {
    store_->write_run(outcome, record);
    receive(false);
  }
  void finish(const std::string& finished_utc) override {
    while (done_ < size_ - 1) receive(true);
    store_->finish(finished_utc);
  }
  std::string location() const override { return store_->location(); }
  std::string notice() const override { return store_->notice(); }
  std::size_t failed_elsewhere = 0, stored_elsewhere = 0;

 private:
  // Stores every run that has arrived; with `wait`, waits for at least one message first.
  void receive(bool wait) {
    for (bool first = true;; first = false) {
      MPI_Status status;
      int arrived = 0;
      if (wait && first) {
        MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
        arrived = 1;
      } else {
        MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &arrived, &status);
      }
      if (!arrived) return;
      int bytes = 0;
      MPI_Get_count(&status, MPI_BYTE, &bytes);
      std::string message(static_cast<std::size_t>(bytes), '\0');
      MPI_Recv(message.data(), bytes, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      if (status.MPI_TAG == kDoneTag) {
        ++done_;
        if (done_ == size_ - 1 && wait) return;
        continue;
      }
      const auto [outcome, record] = decode_run(message);
      if (outcome.status != "complete") ++failed_elsewhere;
      store_->write_run(outcome, record);
      ++stored_elsewhere;
    }
  }
  std::unique_ptr<ResultStore> store_;
  int size_;
  int done_ = 0;
};

// Other ranks: each finished run goes to rank 0 (sent without waiting; kept until delivered).
class ForwardingStore final : public ResultStore {
 public:
  ForwardingStore(std::string file, std::vector<StoredRun> stored) : file_(std::move(file)), stored_(std::move(stored)) {}
  ~ForwardingStore() override { wait_all(); }
  bool is_complete(std::uint64_t run_index) const override {
    for (const auto& run : stored_)
      if (run.run_index == run_index) return run.status == "complete";
    return false;
  }
  std::vector<StoredRun> stored_runs() const override { return stored_; }
  void write_run(const RunOutcome& outcome, const RunRecord& record) override {
    messages_.push_back(std::make_unique<std::string>(encode_run(outcome, record)));
    const std::string& m = *messages_.back();
    if (m.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
      throw std::runtime_error(fmt::format("run {} is too large to send to rank 0 ({} bytes)", outcome.run_index, m.size()));
    requests_.emplace_back();
    MPI_Isend(m.data(), static_cast<int>(m.size()), MPI_BYTE, 0, kRunTag, MPI_COMM_WORLD, &requests_.back());
  }
  void finish(const std::string&) override {
    wait_all();
    MPI_Send(nullptr, 0, MPI_BYTE, 0, kDoneTag, MPI_COMM_WORLD);
  }
  std::string location() const override { return file_; }

 private:
  void wait_all() {
    if (!requests_.empty()) MPI_Waitall(static_cast<int>(requests_.size()), requests_.data(), MPI_STATUSES_IGNORE);
    requests_.clear();
    messages_.clear();
  }
  std::string file_;
  std::vector<StoredRun> stored_;
  std::vector<std::unique_ptr<std::string>> messages_;
  std::vector<MPI_Request> requests_;
};

}  // namespace

MpiPlace mpi_place() {
  static const MpiPlace place = [] {
    MpiPlace p;
    if (!launched_by_mpirun()) return p;
    int provided = 0;
    // Tasks use threads of their own; only the main thread calls MPI.
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
    std::atexit(finalize_at_exit);
    MPI_Comm_rank(MPI_COMM_WORLD, &p.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &p.size);
    return p;
  }();
  return place;
}

std::string mpi_description() {
  char version[MPI_MAX_LIBRARY_VERSION_STRING];
  int length = 0;
  MPI_Get_library_version(version, &length);
  std::string text(version, static_cast<std::size_t>(length));
  if (auto comma = text.find(','); comma != std::string::npos) text.resize(comma);  // "Open MPI v4.1.4"
  return "on (" + text + ")";
}

std::unique_ptr<ResultStore> distributed_store(const MpiPlace& place, const std::string& file,
                                               const std::function<std::unique_ptr<ResultStore>()>& open) {
  if (place.size == 1) return open();
  // Rank 0 opens (and may convert or clean) the file before any other rank reads its runs.
  int opened = 0;
  std::unique_ptr<ResultStore> store;
  std::exception_ptr failure;
  if (place.rank == 0) {
    try {
      store = open();
      opened = 1;
    } catch (...) {
      failure = std::current_exception();
    }
  }
  MPI_Bcast(&opened, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (failure) std::rethrow_exception(failure);
  if (!opened) throw std::runtime_error("rank 0 could not open the results file '" + file + "' (see its message)");
  if (place.rank == 0) return std::make_unique<CollectingStore>(std::move(store), place.size);
  return std::make_unique<ForwardingStore>(file, read_stored_runs(file));
}

RunsElsewhere runs_elsewhere(const ResultStore& store) {
  const auto* collecting = dynamic_cast<const CollectingStore*>(&store);
  return collecting ? RunsElsewhere{collecting->stored_elsewhere, collecting->failed_elsewhere} : RunsElsewhere{};
}

#endif

}  // namespace spinsc::cli
