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
inline constexpr std::int64_t kFormatVersion = 1;

// "/runs/000042" for run 42 (six digits; more when the index needs them).
std::string run_group_path(std::uint64_t run_index);

// A new file: root attributes, /config, /provenance (this session), empty /runs.
void write_header(hid_t file, const ExperimentIdentity& identity, const std::string& now_utc);
// A resumed file: a new session in /provenance, plugins of this session, end time cleared.
void start_session(hid_t file, const ExperimentIdentity& identity, const std::string& now_utc);
void write_finish_time(hid_t file, const std::string& finished_utc);

// True if the file says it is a spinsc results file of this format; *why says what is wrong.
bool is_results_file(hid_t file, std::string* why);
IdentityFields read_identity(hid_t file);

// Throws ResultStoreError if the record cannot be stored as is (bad path, reserved name);
// called before anything is written.
void validate_run(const RunOutcome& outcome, const RunRecord& record);
// Replaces /runs/NNNNNN with this run (datasets, attributes, outcome attributes).
void write_run_group(hid_t file, const RunOutcome& outcome, const RunRecord& record);

}  // namespace spinsc::results
