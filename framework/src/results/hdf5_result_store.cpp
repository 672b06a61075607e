// The HDF5 results store (layout: docs/results-format.md).
//
// Crash safety without journaling (HDF5 1.10 has none): the file is held in memory (HDF5 "core"
// driver, no backing store) and every change is committed by writing the whole image to
// "<file>.writing", fsync, and rename() over the results file. A process killed at any moment
// leaves the previous complete file, or the new one; never a half-written HDF5 file. The cost is
// one write of the whole file per run (measured by bench_results_store), no read: fine for the
// kilobytes to megabytes that runs record, and the reason runs should not store raw bitstreams.
#include <chrono>
#include <ctime>
#include <fmt/format.h>
#include <mutex>
#include <vector>

#include "results/atomic_file.hpp"
#include "results/h5_io.hpp"
#include "results/results_layout.hpp"
#include "results/summary_table.hpp"
#include "results/untrusted_hdf5.hpp"
#include "results/writer_lock.hpp"
#include "spinsc/result_store.hpp"

namespace fs = std::filesystem;

namespace spinsc {

namespace {

using results::SummaryRow;

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

// One store call at a time, process-wide: a store's rows and in-memory file are shared state.
// (Debian's libhdf5 is built thread-safe, so other HDF5 users in the process need no lock of ours;
// error-printing settings are per thread there.)
std::mutex& hdf5_mutex() {
  static std::mutex m;
  return m;
}

h5::Handle memory_file_access() {
  h5::Handle fapl = h5::check(H5Pcreate(H5P_FILE_ACCESS), "making file access properties");
  // 1 MiB growth steps; no backing store: nothing reaches the disk except through commit().
  h5::check_status(H5Pset_fapl_core(fapl, 1 << 20, 0), "selecting the in-memory driver");
  // Closing the file closes every object still open in it (used when rolling back).
  h5::check_status(H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG), "setting the close degree");
  return fapl;
}

h5::Handle create_memory_file(const fs::path& path) {
  h5::Handle fcpl = h5::check(H5Pcreate(H5P_FILE_CREATE), "making file creation properties");
  h5::check_status(H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
                   "tracking link creation order");
  h5::check_status(H5Pset_attr_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
                   "tracking attribute creation order");
  h5::check_status(H5Pset_attr_phase_change(fcpl, 64, 56), "keeping root attributes compact");
  h5::Handle fapl = memory_file_access();
  return h5::check(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl, fapl), "creating results file '" + path.string() + "'");
}

// Loads the file at `path` into memory; an empty handle (and *why) if it is not HDF5.
h5::Handle load_memory_file(const fs::path& path, std::string* why) {
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    *why = "it is not an HDF5 file";
    return {};
  }
  try {
    h5::check_global_heaps(path);  // a corrupt heap would hang libhdf5 in the identity check
  } catch (const ResultStoreError& e) {
    *why = std::string("it is damaged (") + e.what() + ")";
    return {};
  }
  h5::Handle fapl = memory_file_access();
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDWR, fapl);
  if (id < 0) {
    *why = "HDF5 cannot open it (" + h5::last_error_message() + ")";
    return {};
  }
  return h5::Handle(id);
}

class Hdf5ResultStore final : public ResultStore {
 public:
  Hdf5ResultStore(fs::path path, const ExperimentIdentity& identity, bool force) : path_(std::move(path)) {
    results::prepare_writable_location(path_);
    lock_ = std::make_unique<results::WriterLock>(path_);
    const std::string now = utc_now();
    if (fs::exists(path_)) {
      std::string why;
      file_ = load_memory_file(path_, &why);
      if (file_.valid()) why = compare_identity(identity);
      if (why.empty()) {
        try {
          load_rows();
        } catch (const ResultStoreError& e) {
          rows_.clear();
          why = std::string("it is damaged (") + e.what() + ")";
        }
      }
      if (why.empty()) {
        results::start_session(file_, identity, now);
      } else if (!force) {
        throw ResultStoreError(fmt::format("results file '{}' cannot be reused: {}. Use --force to replace it, "
                                           "or -o to write elsewhere",
                                           path_.string(), why));
      } else {
        file_ = h5::Handle();  // forced: the old file is replaced at the first commit below
      }
    }
    if (!file_.valid()) {
      file_ = create_memory_file(path_);
      results::write_header(file_, identity, now);
      results::write_summary(file_, rows_);
    }
    commit();
  }

  bool is_complete(std::uint64_t run_index) const override {
    std::lock_guard lock(hdf5_mutex());
    auto it = rows_.find(run_index);
    return it != rows_.end() && it->second.status == "complete";
  }

  std::vector<StoredRun> stored_runs() const override {
    std::lock_guard lock(hdf5_mutex());
    std::vector<StoredRun> stored;
    for (const auto& [index, row] : rows_) {
      StoredRun run{index, row.run_id, row.status, {}};
      for (const auto& [key, value] : row.swept)
        run.swept.emplace_back(key, std::visit([](const auto& v) { return fmt::format("{}", v); }, value));
      stored.push_back(std::move(run));
    }
    return stored;
  }

  void write_run(const RunOutcome& outcome, const RunRecord& record) override {
    std::lock_guard lock(hdf5_mutex());
    h5::QuietErrors quiet;
    // Everything that can be refused is refused before the file changes.
    results::validate_run(outcome, record);
    check_summary_units(record);
    const auto previous_rows = rows_;
    try {
      results::write_run_group(file_, outcome, record);
      rows_[outcome.run_index] = results::make_row(outcome, record);
      results::write_summary(file_, rows_);
      commit();
    } catch (const std::exception& e) {
      rows_ = previous_rows;
      reload();  // back to the last committed file: nothing half-written stays in memory
      throw ResultStoreError(fmt::format("results file '{}': run {} not stored ({}); earlier runs are intact",
                                         path_.string(), outcome.run_index, e.what()));
    }
  }

  void finish(const std::string& finished_utc) override {
    std::lock_guard lock(hdf5_mutex());
    h5::QuietErrors quiet;
    try {
      results::write_finish_time(file_, finished_utc);
      results::write_summary(file_, rows_);
      commit();
    } catch (const std::exception& e) {
      reload();
      throw ResultStoreError(fmt::format("results file '{}': end time not stored ({})", path_.string(), e.what()));
    }
  }

  std::string location() const override { return path_.string(); }

 private:
  // The in-memory image goes to disk in one atomic step.
  void commit() {
    h5::check_status(H5Fflush(file_, H5F_SCOPE_GLOBAL), "flushing the results file");
    const ssize_t size = H5Fget_file_image(file_, nullptr, 0);
    if (size < 0) h5::check_status(-1, "sizing the results file image");
    image_.resize(static_cast<std::size_t>(size));
    if (H5Fget_file_image(file_, image_.data(), image_.size()) != size) {
      h5::check_status(-1, "copying the results file image");
    }
    results::replace_file_atomically(path_, image_.data(), image_.size());
  }

  // "" when the loaded file belongs to this experiment (same name: it may have grown or changed;
  // the runner matches runs by run id), else why it does not.
  std::string compare_identity(const ExperimentIdentity& identity) const {
    try {
      std::string why;
      if (!results::is_results_file(file_, &why)) return why;
      h5::Handle root = h5::open_group(file_, "/");
      const std::string stored_name = h5::read_string_attribute(root, "experiment_name");
      if (stored_name != identity.name)
        return "it was written by the experiment '" + stored_name + "', not '" + identity.name + "'";
      return {};
    } catch (const ResultStoreError& e) {
      return std::string("it is damaged or not a spinsc results file (") + e.what() + ")";
    }
  }

  void reload() {
    file_ = h5::Handle();
    std::string why;
    file_ = load_memory_file(path_, &why);
    if (!file_.valid()) throw ResultStoreError("results file '" + path_.string() + "' cannot be reopened: " + why);
  }

  void load_rows() {
    h5::Handle runs = h5::open_group(file_, "runs");
    for (const auto& name : h5::member_names(runs)) {
      h5::Handle run = h5::open_group(runs, name);
      SummaryRow row = results::read_row_attributes(run);
      rows_[row.run_index] = std::move(row);
    }
  }

  // A summary column keeps one unit across runs; a task that changes it is refused by name.
  void check_summary_units(const RunRecord& record) const {
    for (const auto& [column, value_units] : record.summary_values()) {
      for (const auto& [index, row] : rows_) {
        for (const auto& [name, value, units] : row.values) {
          if (name == column && units != value_units.second) {
            throw ResultStoreError(fmt::format("summary column '{}' has units '{}' here but '{}' in run {}", column,
                                               value_units.second, units, index));
          }
        }
      }
    }
  }

  fs::path path_;
  std::unique_ptr<results::WriterLock> lock_;  // held while this store may commit
  h5::Handle file_;
  std::map<std::uint64_t, SummaryRow> rows_;
  std::vector<unsigned char> image_;  // reused commit buffer
};

}  // namespace

std::vector<StoredRun> read_stored_runs(const fs::path& file) {
  std::lock_guard lock(hdf5_mutex());
  h5::QuietErrors quiet;
  if (!fs::exists(file)) return {};
  if (H5Fis_hdf5(file.c_str()) <= 0) throw ResultStoreError("'" + file.string() + "' is not an HDF5 file");
  h5::check_global_heaps(file);  // a corrupt heap would hang libhdf5 below
  h5::Handle f(H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  if (!f.valid()) throw ResultStoreError("HDF5 cannot open '" + file.string() + "' (" + h5::last_error_message() + ")");
  std::string why;
  if (!results::is_results_file(f, &why)) throw ResultStoreError("'" + file.string() + "': " + why);
  std::vector<StoredRun> stored;
  h5::Handle runs = h5::open_group(f, "runs");
  for (const auto& name : h5::member_names(runs)) {
    h5::Handle run = h5::open_group(runs, name);
    const SummaryRow row = results::read_row_attributes(run);
    StoredRun entry{row.run_index, row.run_id, row.status, {}};
    for (const auto& [key, value] : row.swept)
      entry.swept.emplace_back(key, std::visit([](const auto& v) { return fmt::format("{}", v); }, value));
    stored.push_back(std::move(entry));
  }
  return stored;
}

std::unique_ptr<ResultStore> open_hdf5_store(const fs::path& file, const ExperimentIdentity& identity, bool force) {
  std::lock_guard lock(hdf5_mutex());
  h5::QuietErrors quiet;
  return std::make_unique<Hdf5ResultStore>(file, identity, force);
}

}  // namespace spinsc
