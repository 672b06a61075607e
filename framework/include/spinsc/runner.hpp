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
#include <functional>
#include <string>

#include "spinsc/experiment.hpp"
#include "spinsc/result_store.hpp"
#include "spinsc/run_context.hpp"

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

// The pieces of run_experiment for a runner that spreads the points over processes (spinsc run
// under mpirun: framework/cli/distributed_run.cpp). plan_runs() places every point in the store
// as run_experiment does (by run id: a stored complete run is skipped, else the point gets its
// run index); run_one_point() runs one point's task into `record` and returns its outcome (a
// failing task gives status "failed: ..."; it never throws for that); `sc_sharing`, if given,
// lets the run's SC evaluation use idle processes (spinsc/sc_evaluation_sharing.hpp);
// `network_ready`, if given, becomes the run's RunContext::network_ready.
struct PlannedRun {
  std::size_t point = 0;        // index into experiment.points
  std::uint64_t run_index = 0;  // where it goes in the store
};
struct RunPlan {
  std::vector<PlannedRun> to_run;  // in point order
  std::size_t complete_before = 0;
  std::vector<StoredRun> stale;
};
RunPlan plan_runs(const Experiment& experiment, const std::vector<StoredRun>& stored);
RunOutcome run_one_point(const Experiment& experiment, PluginRegistry& registry, const PlannedRun& run,
                         RunRecord& record, Progress& progress, const std::string& results_file,
                         ScEvaluationSharing* sc_sharing = nullptr,
                         const std::function<void(const std::string&)>& network_ready = {});

// Calls `body` with the RunContext a task gets for `point` (its configuration, seed, stream keys
// and training id), with the given record, ledger and progress; no results file, no sharing.
void with_point_context(const Experiment& experiment, const RunPoint& point, PluginRegistry& registry,
                        RunRecord& record, EnergyLedger& ledger, Progress& progress,
                        const std::function<void(RunContext&)>& body);

// Current UTC time as "2025-01-31T12:34:56Z".
std::string utc_now();

}  // namespace spinsc
