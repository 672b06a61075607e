#pragma once
// Reads a run group of a results file back into what the runner gave the store (its outcome and
// record), so that a file of format version 1 (every run inside the file) can be converted to
// one file per run with the same code that writes new runs.
#include <string>
#include <utility>

#include "results/h5_handle.hpp"
#include "spinsc/result_store.hpp"

namespace spinsc::results {

// Throws ResultStoreError if the group holds something a RunRecord cannot (a list attribute
// outside the run group's own, a dataset of another type).
std::pair<RunOutcome, RunRecord> read_run(hid_t run_group);

// The attributes of `group` and everything below it into `record`, at paths under `base`
// ("training" gives "training/loss" and the attributes of "training").
void read_group(hid_t group, const std::string& base, RunRecord& record);

}  // namespace spinsc::results
