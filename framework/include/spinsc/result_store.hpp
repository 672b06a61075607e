#pragma once
// ResultStore: where the runner puts finished runs. The HDF5 store (results file) is the real one;
// a memory store serves tests. Layout of the HDF5 file: docs/results-format.md.
//
// Contract with the runner:
//  - open_*() is given the experiment's identity (file text and effective configuration). An
//    existing results file written by a different experiment is refused (ResultStoreError naming
//    the file) unless `force`; one written by the same experiment is reopened, and is_complete()
//    tells which runs can be skipped.
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
  std::vector<std::pair<std::string, std::string>> swept;  // swept key = value for this point
  std::uint64_t seed = 0;                                  // the run's derived seed
  std::string status;        // "complete" or "failed: <message>"
  double wall_time_s = 0.0;
  std::string started_utc, finished_utc;
};

class BOOST_SYMBOL_VISIBLE ResultStore {
 public:
  virtual ~ResultStore();
  virtual bool is_complete(std::uint64_t run_index) const = 0;
  virtual void write_run(const RunOutcome& outcome, const RunRecord& record) = 0;
  // Marks the experiment finished (end time in provenance) and rewrites /summary.
  virtual void finish(const std::string& finished_utc) = 0;
  virtual std::string location() const = 0;  // file path, or "memory"
};

// Opens or creates the HDF5 results file. Throws ResultStoreError when the path cannot be written
// or the file belongs to another experiment (unless force: then the old file is replaced).
std::unique_ptr<ResultStore> open_hdf5_store(const std::filesystem::path& file, const ExperimentIdentity& identity,
                                             bool force);

// Keeps runs in memory (tests).
class BOOST_SYMBOL_VISIBLE MemoryResultStore final : public ResultStore {
 public:
  bool is_complete(std::uint64_t run_index) const override;
  void write_run(const RunOutcome& outcome, const RunRecord& record) override;
  void finish(const std::string& finished_utc) override;
  std::string location() const override { return "memory"; }
  std::map<std::uint64_t, std::pair<RunOutcome, RunRecord>> runs;
  bool finished = false;
};

}  // namespace spinsc
