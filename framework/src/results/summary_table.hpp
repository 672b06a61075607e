#pragma once
// The /summary table: one row per run, kept as a group of equal-length column datasets (each
// with `units`), so that h5py and pandas read it without help:
//   pandas.DataFrame({c: f["summary"][c][()] for c in f["summary"].attrs["columns"]})
// Columns: run_index, status, run_seed, wall_time_s, run_id, training_id, then every swept key (numbers where every
// run's value is a number, else text), then every summary column any run reported (NaN where a
// run has none, e.g. a failed run). The rows are rebuilt from the run groups, so the table can
// never disagree with /runs.
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "results/h5_handle.hpp"
#include "spinsc/result_store.hpp"

namespace spinsc::results {

struct SummaryRow {
  std::uint64_t run_index = 0;
  std::string run_id, training_id;  // "" in files written before runs had ids
  std::string status;
  std::uint64_t run_seed = 0;
  double wall_time_s = 0.0;
  std::vector<std::pair<std::string, AttributeValue>> swept;   // key = typed value, in axis order
  std::vector<std::tuple<std::string, double, std::string>> values;  // column, value, units
};

// Names the store itself uses for summary columns and run-group attributes; a swept key or a
// summary column of the same name is refused.
bool is_reserved_column(const std::string& name);

// "16" -> 16 (integer), "0.25" -> 0.25 (real), anything else stays text.
AttributeValue typed_swept_value(const std::string& text);

SummaryRow make_row(const RunOutcome& outcome, const RunRecord& record);

// Writes the row's fields as attributes of its run group, and reads them back.
void write_row_attributes(hid_t run_group, const SummaryRow& row);
SummaryRow read_row_attributes(hid_t run_group);

// Replaces /summary with the table of `rows` (ordered by run index).
void write_summary(hid_t file, const std::map<std::uint64_t, SummaryRow>& rows);

}  // namespace spinsc::results
