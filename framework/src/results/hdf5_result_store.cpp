// The HDF5 results store (layout: docs/results-format.md).
//
// The results file is an index: its header (/config, /provenance), /summary, and one external
// link per run (/runs/NNNNNN) and per trained network (/networks/<training id>) to a file of its
// own in "<file>.runs/" (run_files.hpp). A run is committed in two atomic steps, each a whole
// file built in memory, written to a temporary, fsync'ed and renamed (memory_file.hpp): first
// its run file (and its network file, if that training is new to the file), which no index
// refers to yet, then a new index that refers to it. A process killed at any moment leaves the
// previous index or the new one, each complete, and at worst files no index refers to, which the
// next start removes. The cost of a commit is the run's own files plus the index, which holds
// some hundred bytes per run and no run data (measured by bench_results_store); HDF5 1.10 has
// no journal, so the index is rebuilt whole instead of being changed in place.
#include <chrono>
#include <ctime>
#include <fmt/format.h>
#include <mutex>
#include <optional>
#include <vector>

#include "results/atomic_file.hpp"
#include "results/h5_io.hpp"
#include "results/memory_file.hpp"
#include "results/results_layout.hpp"
#include "results/run_files.hpp"
#include "results/run_reader.hpp"
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

// One store call at a time, process-wide: a store's rows are shared state.
// (Debian's libhdf5 is built thread-safe, so other HDF5 users in the process need no lock of ours;
// error-printing settings are per thread there.)
std::mutex& hdf5_mutex() {
  static std::mutex m;
  return m;
}

// Opens an existing file read-only after the checks for untrusted files (a damaged file can hang
// or crash libhdf5; `already_checked`: the caller ran them on a list holding this file); throws
// ResultStoreError naming the file.
h5::Handle open_checked(const fs::path& path, bool already_checked = false) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw ResultStoreError("'" + path.string() + "' does not exist");
  if (H5Fis_hdf5(path.c_str()) <= 0) throw ResultStoreError("'" + path.string() + "' is not an HDF5 file");
  if (!already_checked) h5::check_untrusted_files({path});
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) throw ResultStoreError("HDF5 cannot open '" + path.string() + "' (" + h5::last_error_message() + ")");
  return h5::Handle(id);
}

struct StoredNetwork {
  std::string index_name, file, hash;  // /networks/<index_name> -> <folder>/<file>
};

// What an existing results file holds, read without changing it.
struct LoadedFile {
  std::int64_t format_version = 0;
  results::IndexHeader header;
  std::map<std::uint64_t, SummaryRow> rows;
  std::map<std::uint64_t, std::string> run_files;                   // format 2: file names in the folder
  std::map<std::string, std::vector<StoredNetwork>> networks;        // by training id
  h5::Handle file;                                                   // format 1: kept open for conversion
  std::map<std::uint64_t, std::string> in_file_runs;                 // format 1: run index -> group name
};

// The name of a linked file inside the runs folder; throws unless the link points there.
std::string file_in_folder(hid_t group, const std::string& name, const std::string& folder_name) {
  const std::string target = results::linked_file(group, name);
  const std::string prefix = folder_name + "/";
  if (target.compare(0, prefix.size(), prefix) != 0 || target.size() == prefix.size() ||
      target.find('/', prefix.size()) != std::string::npos) {
    throw ResultStoreError(fmt::format("'{}' links to '{}', not to a file in '{}'", name, target, prefix));
  }
  return target.substr(prefix.size());
}

// Format 2: reads the rows of the run files and the networks the index links to. The linked files
// are checked together first (one trial-read process for all of them).
void read_linked_files(LoadedFile& loaded, hid_t index, hid_t runs, const fs::path& folder) {
  const std::string folder_name = folder.filename().string();
  std::vector<std::pair<std::string, std::string>> run_links, network_links;  // link name, file name
  for (const auto& name : h5::member_names(runs)) run_links.emplace_back(name, file_in_folder(runs, name, folder_name));
  h5::Handle networks;
  if (h5::exists(index, "networks")) {
    networks = h5::open_group(index, "networks");
    for (const auto& name : h5::member_names(networks))
      network_links.emplace_back(name, file_in_folder(networks, name, folder_name));
  }
  std::vector<fs::path> linked_files;
  for (const auto* links : {&run_links, &network_links})
    for (const auto& link : *links) linked_files.push_back(folder / link.second);
  h5::check_untrusted_files(linked_files);
  for (const auto& [name, file] : run_links) {
    try {
      h5::Handle run_file = open_checked(folder / file, true);
      h5::Handle root = h5::open_group(run_file, "/");
      SummaryRow row = results::read_row_attributes(root);
      loaded.run_files[row.run_index] = file;
      loaded.rows[row.run_index] = std::move(row);
    } catch (const ResultStoreError& e) {
      throw ResultStoreError(fmt::format("run {} ('{}'): {}", name, (folder / file).string(), e.what()));
    }
  }
  for (const auto& [name, file] : network_links) {
    h5::Handle network_file = open_checked(folder / file, true);
    h5::Handle root = h5::open_group(network_file, "/");
    loaded.networks[h5::read_string_attribute(root, "training_id")].push_back(
        {name, file, h5::read_string_attribute(root, "content_hash")});
  }
}

// Reads the runs (and networks) of `path`; throws ResultStoreError saying why it cannot be used.
// `expected_name` (if not empty) must be the experiment's name.
LoadedFile load_results_file(const fs::path& path, const std::string& expected_name) {
  LoadedFile loaded;
  h5::Handle f = open_checked(path);
  std::string why;
  try {
    loaded.format_version = results::results_format_version(f, &why);
  } catch (const ResultStoreError& e) {
    throw ResultStoreError(std::string("it is damaged or not a spinsc results file (") + e.what() + ")");
  }
  if (loaded.format_version == 0) throw ResultStoreError(why);
  try {
    loaded.header = results::read_header(f);
  } catch (const ResultStoreError& e) {
    throw ResultStoreError(std::string("it is damaged or not a spinsc results file (") + e.what() + ")");
  }
  if (!expected_name.empty() && loaded.header.experiment_name != expected_name) {
    throw ResultStoreError("it was written by the experiment '" + loaded.header.experiment_name + "', not '" +
                           expected_name + "'");
  }
  try {
    h5::Handle runs = h5::open_group(f, "runs");
    const fs::path folder = results::runs_folder_for(path);
    if (loaded.format_version == results::kInFileRunsFormatVersion) {
      for (const auto& name : h5::member_names(runs)) {
        h5::Handle run = h5::open_group(runs, name);
        SummaryRow row = results::read_row_attributes(run);
        loaded.in_file_runs[row.run_index] = name;
        loaded.rows[row.run_index] = std::move(row);
      }
    } else {
      read_linked_files(loaded, f, runs, folder);
    }
  } catch (const ResultStoreError& e) {
    throw ResultStoreError(std::string("it is damaged (") + e.what() + ")");
  }
  if (loaded.format_version == results::kInFileRunsFormatVersion) loaded.file = std::move(f);
  return loaded;
}

// A training id names files and links: letters, digits, '-' and '_' only.
bool usable_training_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

bool has_network_part(const RunRecord& record) {
  for (const auto& [path, dataset] : record.datasets()) {
    if (path.rfind(std::string(results::kNetworkGroup) + "/", 0) == 0) return true;
  }
  return false;
}

class Hdf5ResultStore final : public ResultStore {
 public:
  Hdf5ResultStore(fs::path path, const ExperimentIdentity& identity, bool force)
      : path_(std::move(path)), folder_(results::runs_folder_for(path_)), identity_(identity) {
    results::prepare_writable_location(path_);
    lock_ = std::make_unique<results::WriterLock>(path_);
    const std::string now = utc_now();
    std::optional<LoadedFile> loaded;
    if (fs::exists(path_)) {
      try {
        loaded = load_results_file(path_, identity.name);
      } catch (const ResultStoreError& e) {
        if (!force) {
          throw ResultStoreError(fmt::format("results file '{}' cannot be reused: {}. Use --force to replace it, "
                                             "or -o to write elsewhere",
                                             path_.string(), e.what()));
        }
        // forced: the old file is replaced at the first commit below
      }
    }
    // The folder of run files: made (and probed) only once the file is known to be ours.
    results::prepare_writable_location(folder_ / ".probe", "folder of run files");
    if (loaded) {
      header_ = loaded->header;
      header_.sessions += 1;
      header_.session_started_utc = now;
      header_.finished_utc = "";
      rows_ = loaded->rows;
      run_files_ = loaded->run_files;
      networks_ = loaded->networks;
      if (loaded->format_version == results::kInFileRunsFormatVersion) convert(*loaded);
    } else {
      header_ = results::new_header(identity, now);
    }
    commit();
    remove_unreferenced();
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
    // Everything that can be refused is refused before anything is written.
    results::validate_run(outcome, record);
    check_summary_units(record);
    const bool shared_network = !outcome.training_id.empty() && has_network_part(record);
    if (shared_network && !usable_training_id(outcome.training_id)) {
      throw ResultStoreError(fmt::format("training id '{}' cannot name a network file (letters, digits, '-', '_')",
                                         outcome.training_id));
    }
    const auto previous_rows = rows_;
    const auto previous_files = run_files_;
    const auto previous_networks = networks_;
    std::vector<std::string> written;
    try {
      const std::optional<std::string> replaced = file_of(outcome.run_index);
      stage_run(outcome, record, shared_network, written);
      commit();
      // The run's earlier file (a failed attempt) is not referred to any more.
      if (replaced && *replaced != run_files_[outcome.run_index]) fs::remove(folder_ / *replaced);
    } catch (const std::exception& e) {
      rows_ = previous_rows;
      run_files_ = previous_files;
      networks_ = previous_networks;
      std::error_code ec;
      for (const auto& name : written) fs::remove(folder_ / name, ec);
      throw ResultStoreError(fmt::format("results file '{}': run {} not stored ({}); earlier runs are intact",
                                         path_.string(), outcome.run_index, e.what()));
    }
  }

  void finish(const std::string& finished_utc) override {
    std::lock_guard lock(hdf5_mutex());
    h5::QuietErrors quiet;
    const std::string previous = header_.finished_utc;
    header_.finished_utc = finished_utc;
    try {
      commit();
    } catch (const std::exception& e) {
      header_.finished_utc = previous;
      throw ResultStoreError(fmt::format("results file '{}': end time not stored ({})", path_.string(), e.what()));
    }
  }

  std::string location() const override { return path_.string(); }
  std::string notice() const override { return notice_; }

 private:
  std::optional<std::string> file_of(std::uint64_t run_index) const {
    auto it = run_files_.find(run_index);
    return it == run_files_.end() ? std::nullopt : std::optional<std::string>(it->second);
  }

  // Writes the run's file (and its network's, if new) and enters them in the in-memory index;
  // the names of the files written go to `written`. Nothing refers to them until commit().
  void stage_run(const RunOutcome& outcome, const RunRecord& record, bool shared_network,
                 std::vector<std::string>& written) {
    results::SplitRecord split;
    std::string network_file;
    if (shared_network) {
      split = results::split_network(record);
      network_file = stage_network(outcome.training_id, split.network, written);
    }
    const RunRecord& contents = shared_network ? split.rest : record;
    const std::string name = results::free_file_name(folder_, results::run_file_stem(outcome.run_index));
    {
      h5::Handle file = results::create_memory_file(folder_ / name);
      h5::Handle root = h5::open_group(file, "/");
      results::write_run_contents(root, outcome, contents);
      if (shared_network) results::link_to_file(root, results::kNetworkGroup, network_file);
      written.push_back(name);
      results::write_memory_file(file, folder_ / name);
    }
    rows_[outcome.run_index] = results::make_row(outcome, record);
    run_files_[outcome.run_index] = name;
  }

  // The file of this training's network: one already stored with the same contents, or a new one.
  std::string stage_network(const std::string& training_id, const RunRecord& network,
                            std::vector<std::string>& written) {
    const std::string hash = results::content_hash(network);
    auto& stored = networks_[training_id];
    for (const auto& entry : stored) {
      if (entry.hash == hash) return entry.file;
    }
    // New, or (if the training did not reproduce bit for bit) another network of the same
    // training id: kept too, so that every run refers to the weights it evaluated.
    const std::string name = results::free_file_name(folder_, results::network_file_stem(training_id));
    {
      h5::Handle file = results::create_memory_file(folder_ / name);
      h5::Handle root = h5::open_group(file, "/");
      results::write_record(root, network);
      h5::set_attribute(root, "training_id", training_id);
      h5::set_attribute(root, "content_hash", hash);
      written.push_back(name);
      results::write_memory_file(file, folder_ / name);
    }
    const std::string index_name = stored.empty() ? training_id : fmt::format("{}.{}", training_id, stored.size());
    stored.push_back({index_name, name, hash});
    return name;
  }

  // A file of format version 1: every run is rewritten as a run file (trained networks stored
  // once), and the first commit makes the file an index of format version 2.
  void convert(LoadedFile& loaded) {
    std::vector<std::string> written;
    try {
      h5::Handle runs = h5::open_group(loaded.file, "runs");
      for (const auto& [index, group_name] : loaded.in_file_runs) {
        h5::Handle group = h5::open_group(runs, group_name);
        const auto [outcome, record] = results::read_run(group);
        results::validate_run(outcome, record);
        const bool shared = !outcome.training_id.empty() && has_network_part(record) &&
                            usable_training_id(outcome.training_id);
        stage_run(outcome, record, shared, written);
      }
    } catch (const std::exception& e) {
      std::error_code ec;
      for (const auto& name : written) fs::remove(folder_ / name, ec);
      throw ResultStoreError(fmt::format("results file '{}' is of format version 1 and could not be converted to "
                                         "version 2 ({}); it is unchanged",
                                         path_.string(), e.what()));
    }
    loaded.file = h5::Handle();
    notice_ = fmt::format("results file '{}' was of format version 1 (runs inside the file): converted to format "
                          "version 2 (the file is an index; each run is a file in '{}'), {} run{} kept",
                          path_.string(), folder_.string(), rows_.size(), rows_.size() == 1 ? "" : "s");
  }

  // A new index, made whole in memory from the header and the run and network files, replaces
  // the file on disk in one atomic step.
  void commit() {
    const std::string folder_name = folder_.filename().string();
    h5::Handle file = results::create_memory_file(path_);
    results::write_header(file, header_, identity_);
    {
      h5::Handle runs = h5::create_group(file, "runs");
      for (const auto& [index, name] : run_files_) {
        results::link_to_file(runs, results::run_group_path(index).substr(5), folder_name + "/" + name);
      }
    }
    {
      h5::Handle networks = h5::create_group(file, "networks");
      for (const auto& [training_id, stored] : networks_) {
        for (const auto& entry : stored) results::link_to_file(networks, entry.index_name, folder_name + "/" + entry.file);
      }
    }
    results::write_summary(file, rows_);
    results::write_memory_file(file, path_);
  }

  void remove_unreferenced() {
    std::set<std::string> referenced;
    for (const auto& [index, name] : run_files_) referenced.insert(name);
    for (const auto& [id, stored] : networks_) {
      for (const auto& entry : stored) referenced.insert(entry.file);
    }
    results::remove_unreferenced_files(folder_, referenced);
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

  fs::path path_, folder_;
  ExperimentIdentity identity_;
  std::unique_ptr<results::WriterLock> lock_;  // held while this store may commit
  results::IndexHeader header_;
  std::map<std::uint64_t, SummaryRow> rows_;
  std::map<std::uint64_t, std::string> run_files_;  // run index -> file name in folder_
  std::map<std::string, std::vector<StoredNetwork>> networks_;
  std::string notice_;
};

}  // namespace

std::vector<StoredRun> read_stored_runs(const fs::path& file) {
  std::lock_guard lock(hdf5_mutex());
  h5::QuietErrors quiet;
  if (!fs::exists(file)) return {};
  LoadedFile loaded;
  try {
    loaded = load_results_file(file, "");
  } catch (const ResultStoreError& e) {
    throw ResultStoreError("'" + file.string() + "': " + e.what());
  }
  std::vector<StoredRun> stored;
  for (const auto& [index, row] : loaded.rows) {
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
