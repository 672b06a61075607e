#pragma once
// ResultStore: where the runner puts finished runs. The HDF5 store (results file) is the real one;
// a memory store serves tests. Layout of the HDF5 file: docs/results-format.md.
//
// Contract with the runner:
//  - open_*() is given the experiment's identity (name, file text and effective configuration).
//    An existing results file of an experiment with another name is refused (ResultStoreError
//    naming the file) unless `force`; one of the same name is reopened, even if the experiment
//    grew or changed (its /config then says the current one), and stored_runs() tells the runner
//    which runs it holds, by run id (run_identity.hpp): a point whose run id is stored complete is
//    skipped, stored runs no point has any more are stale and stay as a record.
//  - write_run() stores one finished run in one piece: a run killed at any moment (kill -9) loses
//    at most the run in progress, and the file stays readable.
//  - Nothing already written is lost when a later write fails.
#include <boost/config.hpp>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "spinsc/run_record.hpp"

namespace spinsc {

class BOOST_SYMBOL_VISIBLE ResultStoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  ~ResultStoreError() override;
};

struct PluginProvenance {
  std::string id, version, file;
  std::uint32_t abi_version = 0;
};

struct ExperimentIdentity {
  std::string name;                  // experiment name (file stem unless the file sets one)
  std::string experiment_text;       // the experiment file verbatim
  std::string source_path;           // where it was read from
  std::vector<std::pair<std::string, std::string>> effective;  // every key = resolved value, sorted
  std::vector<std::string> overrides;  // command-line overrides as given, e.g. "train.qat.epochs=2"
  std::uint64_t seed = 0;
  std::string spinsc_version, git_revision;
  std::vector<PluginProvenance> plugins;  // the plugins the experiment uses
};

struct RunOutcome {
  std::uint64_t run_index = 0;
  std::string run_id, training_id;                         // RunIdentity ids ("" if unknown)
  std::vector<std::pair<std::string, std::string>> swept;  // swept key = value for this point
  std::uint64_t seed = 0;                                  // the run's derived seed
  std::string status;        // "complete" or "failed: <message>"
  double wall_time_s = 0.0;
  std::string started_utc, finished_utc;
  std::string spinsc_version, git_revision;  // of the build that ran it; "" = this build
};

// What the store holds about one run, for matching run points to stored runs by identity.
struct StoredRun {
  std::uint64_t run_index = 0;
  std::string run_id;  // "" for runs written before runs had ids
  std::string status;
  std::vector<std::pair<std::string, std::string>> swept;
};

class BOOST_SYMBOL_VISIBLE ResultStore {
 public:
  virtual ~ResultStore();
  virtual bool is_complete(std::uint64_t run_index) const = 0;
  virtual std::vector<StoredRun> stored_runs() const = 0;  // by run index
  virtual void write_run(const RunOutcome& outcome, const RunRecord& record) = 0;
  // Marks the experiment finished (end time in provenance) and rewrites /summary.
  virtual void finish(const std::string& finished_utc) = 0;
  virtual std::string location() const = 0;  // file path, or "memory"
  // What opening the store did that the user should know (a converted file), or "".
  virtual std::string notice() const { return {}; }
};

// Opens or creates the HDF5 results file. Throws ResultStoreError when the path cannot be written
// or the file belongs to another experiment (unless force: then the old file is replaced).
std::unique_ptr<ResultStore> open_hdf5_store(const std::filesystem::path& file, const ExperimentIdentity& identity,
                                             bool force);

// The runs of an existing results file, read without changing it (spinsc run --dry-run); empty
// if there is no file. Throws ResultStoreError if the file is not a spinsc results file.
std::vector<StoredRun> read_stored_runs(const std::filesystem::path& file);

// Throws ResultStoreError naming the file when an existing results file (the index and the run and
// network files it links to) is damaged in a way that could crash or hang HDF5 when it is read
// (docs/robustness.md). `spinsc show` and `spinsc plot` call it before they read a file.
void check_results_file_readable(const std::filesystem::path& file);

// Keeps runs in memory (tests).
class BOOST_SYMBOL_VISIBLE MemoryResultStore final : public ResultStore {
 public:
  bool is_complete(std::uint64_t run_index) const override;
  std::vector<StoredRun> stored_runs() const override;
  void write_run(const RunOutcome& outcome, const RunRecord& record) override;
  void finish(const std::string& finished_utc) override;
  std::string location() const override { return "memory"; }
  std::map<std::uint64_t, std::pair<RunOutcome, RunRecord>> runs;
  bool finished = false;
};

}  // namespace spinsc
