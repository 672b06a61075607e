#pragma once
// The sweep runner: runs every point of an experiment with its task and writes each finished run
// to a ResultStore.
//
// For each run point, in run-index order: skip it if the store already has it complete; else make
// its configuration (Experiment::config_for), a RunContext (seed of the point, run index, a fresh
// RunRecord, EnergyLedger and the progress display) and call the task. The ledger goes into the
// record under ledger/ (record_ledger); the run is written with status "complete", or
// "failed: <message>" if the task threw, and the runner goes on with the next point. At the end
// the store is finished and, if print_summary, the results table of the runs made
// (spinsc/results_table.hpp) is printed; `spinsc run` prints it from the results file instead, so
// that runs complete before are in it too.
#include <cstdio>
#include <string>

#include "spinsc/experiment.hpp"
#include "spinsc/result_store.hpp"

namespace spinsc {

class PluginRegistry;

struct RunnerOptions {
  std::FILE* out = stdout;   // progress and summary table
  bool interactive = false;  // true: one updating progress line (a terminal); false: plain lines
  std::size_t width = 100;   // terminal columns for the progress line and the table
  bool print_summary = true; // the results table of this session's runs at the end
};

struct RunnerReport {
  std::size_t total = 0, skipped = 0, complete = 0, failed = 0;
  bool ok() const { return failed == 0; }
};

RunnerReport run_experiment(const Experiment& experiment, PluginRegistry& registry, ResultStore& store,
                            const RunnerOptions& options = {});

// What run_experiment would do, without running or writing anything (spinsc run --dry-run):
// every run point with its run index, training id, run id and whether it is complete in
// `stored` (read_stored_runs), the trainings shared by several points, stale stored runs, the
// counts of trainings and evaluations to run and a rough cost.
void print_plan(const Experiment& experiment, const std::vector<StoredRun>& stored, const std::string& location,
                std::FILE* out);

// Current UTC time as "2025-01-31T12:34:56Z".
std::string utc_now();

}  // namespace spinsc
