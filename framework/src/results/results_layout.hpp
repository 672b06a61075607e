#pragma once
// The fixed parts of the results file (docs/results-format.md): root attributes, /config,
// /provenance, and one /runs/NNNNNN group per run with every RunRecord dataset at its path.
#include <cstdint>
#include <string>

#include "results/h5_handle.hpp"
#include "results/results_identity.hpp"
#include "spinsc/result_store.hpp"

namespace spinsc::results {

inline constexpr const char* kFormatName = "spinsc-results";
// Version 2: the file is an index; every run and trained network is a file of its own in
// "<file>.runs/", referred to by external links. Version 1 held every run inside the file.
inline constexpr std::int64_t kFormatVersion = 2;
inline constexpr std::int64_t kInFileRunsFormatVersion = 1;

// "/runs/000042" for run 42 (six digits; more when the index needs them).
std::string run_group_path(std::uint64_t run_index);

// What an index carries from session to session (root attributes and /provenance).
struct IndexHeader {
  std::string experiment_name, created_utc, creator_version, creator_revision;
  std::int64_t creator_plugin_abi = 0;
  std::string started_utc, session_started_utc, finished_utc;
  std::int64_t sessions = 0;  // this one included
};
// The header of a new file created now.
IndexHeader new_header(const ExperimentIdentity& identity, const std::string& now_utc);
// The header of an existing file (either format version), as stored.
IndexHeader read_header(hid_t file);
// Root attributes, /config (the experiment as run in this session), /provenance (this session).
void write_header(hid_t file, const IndexHeader& header, const ExperimentIdentity& identity);

// The file's format version if it is a spinsc results file of a version this build reads
// (1 or 2), else 0 and *why says what is wrong.
std::int64_t results_format_version(hid_t file, std::string* why);

// Throws ResultStoreError if the record cannot be stored as is (bad path, reserved name);
// called before anything is written.
void validate_run(const RunOutcome& outcome, const RunRecord& record);
// Writes the run into `run_group` (the root of its run file): datasets, attributes, outcome attributes.
void write_run_contents(hid_t run_group, const RunOutcome& outcome, const RunRecord& record);
// Writes every dataset and attribute of `record` below `group`.
void write_record(hid_t group, const RunRecord& record);

}  // namespace spinsc::results
