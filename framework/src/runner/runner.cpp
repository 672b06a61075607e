#include "spinsc/runner.hpp"

#include <chrono>
#include <ctime>
#include <fmt/core.h>

#include "runner/progress_display.hpp"
#include "spinsc/framework_parts.hpp"
#include "spinsc/ledger_record.hpp"
#include "spinsc/plugin_registry.hpp"
#include "spinsc/results_table.hpp"
#include "spinsc/run_context.hpp"

namespace spinsc {

using runner_detail::ProgressDisplay;

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

namespace {

std::string label_of(const RunPoint& point) {
  std::string label;
  for (const auto& [key, value] : point.swept) label += (label.empty() ? "" : " ") + key + "=" + value;
  return label;
}

// Runs the task for one point; returns the status. The record gets whatever the task put in it
// before it failed, plus the ledger.
std::string run_point(const Experiment& experiment, const TaskEntry& task, const RunPoint& point,
                      PluginRegistry& registry, RunRecord& record, ProgressDisplay& progress) {
  EnergyLedger ledger;
  std::string status = "complete";
  try {
    const po::variables_map config = experiment.config_for(point);
    const Params params(config, "");
    RunContext context{params, registry, point.seed, point.run_index, record, ledger, progress};
    task.run(context);
  } catch (const std::exception& e) {
    status = std::string("failed: ") + e.what();
  } catch (...) {
    status = "failed: unknown exception";
  }
  record_ledger(ledger, record);
  return status;
}

}  // namespace

RunnerReport run_experiment(const Experiment& experiment, PluginRegistry& registry, ResultStore& store,
                            const RunnerOptions& options) {
  const TaskEntry& task = find_task(experiment.task);
  RunnerReport report;
  report.total = experiment.points.size();
  std::size_t to_do = 0;
  for (const auto& point : experiment.points) to_do += store.is_complete(point.run_index) ? 0 : 1;
  ProgressDisplay progress(options.out, options.interactive, to_do, report.total, options.width);
  fmt::print(options.out, "experiment {}: task {}, {} run{} ({} already complete in {})\n", experiment.name,
             experiment.task, report.total, report.total == 1 ? "" : "s", report.total - to_do, store.location());
  std::fflush(options.out);

  std::vector<TableRun> rows;
  for (const auto& point : experiment.points) {
    if (store.is_complete(point.run_index)) {
      ++report.skipped;
      rows.push_back(table_run_from_record(point.run_index, "skipped (complete before)", point.swept, RunRecord{}));
      continue;
    }
    progress.start_run(point.run_index, label_of(point));
    RunOutcome outcome;
    outcome.run_index = point.run_index;
    outcome.swept = point.swept;
    outcome.seed = point.seed;
    outcome.started_utc = utc_now();
    const auto start = std::chrono::steady_clock::now();
    RunRecord record;
    outcome.status = run_point(experiment, task, point, registry, record, progress);
    outcome.wall_time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    outcome.finished_utc = utc_now();
    store.write_run(outcome, record);
    progress.end_run(outcome.status, outcome.wall_time_s);
    (outcome.status == "complete" ? report.complete : report.failed) += 1;
    rows.push_back(table_run_from_record(point.run_index, outcome.status == "complete" ? "complete" : "failed",
                                         point.swept, record));
  }
  progress.finish();
  store.finish(utc_now());
  if (options.print_summary) {
    fmt::print(options.out, "\nSummary (one row per run, SC variant and stream length)\n");
    TableFormat format;
    format.width = options.width;
    print_results_table(options.out, build_results_table(rows), format);
  }
  fmt::print(options.out, "\n{} run{}: {} complete, {} failed, {} skipped (complete before). Results: {}\n",
             report.total, report.total == 1 ? "" : "s", report.complete, report.failed, report.skipped,
             store.location());
  std::fflush(options.out);
  return report;
}

}  // namespace spinsc
