#include "spinsc/runner.hpp"

#include <chrono>
#include <ctime>
#include <map>
#include <set>
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

void with_point_context(const Experiment& experiment, const RunPoint& point, PluginRegistry& registry,
                        RunRecord& record, EnergyLedger& ledger, Progress& progress,
                        const std::function<void(RunContext&)>& body) {
  const po::variables_map config = experiment.config_for(point);
  const Params params(config, "");
  RunContext context{params,   registry, point.seed, point.identity.training_stream_key,
                     record,   ledger,   progress,   point.identity.evaluation_stream_key,
                     point.identity.training_id};
  body(context);
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
                      PluginRegistry& registry, RunRecord& record, Progress& progress,
                      const std::string& results_file, ScEvaluationSharing* sc_sharing,
                      const std::function<void(const std::string&)>& network_ready) {
  EnergyLedger ledger;
  std::string status = "complete";
  try {
    with_point_context(experiment, point, registry, record, ledger, progress, [&](RunContext& context) {
      context.results_file = results_file;
      context.sc_sharing = sc_sharing;
      context.network_ready = network_ready;
      task.run(context);
    });
  } catch (const std::exception& e) {
    status = std::string("failed: ") + e.what();
  } catch (...) {
    status = "failed: unknown exception";
  }
  record_ledger(ledger, record);
  return status;
}

// Where each point goes in the store: the stored run with its run id (skipped if complete, rerun
// in place if failed), else its own run index if that is free, else the next free index. Stored
// runs that no point matches are stale: a key they depend on changed, or their sweep value or
// repeat is gone. They stay in the file as a record.
struct Placement {
  std::vector<std::uint64_t> index;     // per point
  std::vector<bool> complete;           // per point
  std::vector<StoredRun> stale;
};

Placement place_points(const Experiment& experiment, const std::vector<StoredRun>& stored) {
  std::map<std::string, const StoredRun*> by_id;
  std::set<std::uint64_t> taken;
  for (const auto& run : stored) {
    taken.insert(run.run_index);
    if (run.run_id.empty()) continue;
    auto [it, added] = by_id.emplace(run.run_id, &run);
    if (!added && run.status == "complete") it->second = &run;
  }
  Placement placement;
  std::set<std::string> wanted;
  std::vector<std::size_t> unplaced;
  for (std::size_t i = 0; i < experiment.points.size(); ++i) {
    const RunPoint& point = experiment.points[i];
    wanted.insert(point.identity.run_id);
    placement.index.push_back(0);
    placement.complete.push_back(false);
    if (auto it = by_id.find(point.identity.run_id); it != by_id.end()) {
      placement.index[i] = it->second->run_index;
      placement.complete[i] = it->second->status == "complete";
    } else {
      unplaced.push_back(i);
    }
  }
  std::uint64_t next_free = taken.empty() ? 0 : *taken.rbegin() + 1;
  for (std::size_t i : unplaced) {
    const std::uint64_t own = experiment.points[i].run_index;
    placement.index[i] = taken.insert(own).second ? own : next_free;
    taken.insert(placement.index[i]);
    next_free = std::max(next_free, *taken.rbegin() + 1);
  }
  for (const auto& run : stored)
    if (!wanted.count(run.run_id)) placement.stale.push_back(run);
  return placement;
}

}  // namespace

RunPlan plan_runs(const Experiment& experiment, const std::vector<StoredRun>& stored) {
  const Placement placement = place_points(experiment, stored);
  RunPlan plan;
  for (std::size_t i = 0; i < experiment.points.size(); ++i) {
    if (placement.complete[i])
      ++plan.complete_before;
    else
      plan.to_run.push_back({i, placement.index[i]});
  }
  plan.stale = placement.stale;
  return plan;
}

RunOutcome run_one_point(const Experiment& experiment, PluginRegistry& registry, const PlannedRun& run,
                         RunRecord& record, Progress& progress, const std::string& results_file,
                         ScEvaluationSharing* sc_sharing,
                         const std::function<void(const std::string&)>& network_ready) {
  RunPoint point = experiment.points.at(run.point);
  point.run_index = run.run_index;
  RunOutcome outcome;
  outcome.run_index = point.run_index;
  outcome.run_id = point.identity.run_id;
  outcome.training_id = point.identity.training_id;
  outcome.swept = point.swept;
  outcome.seed = point.seed;
  outcome.started_utc = utc_now();
  const auto start = std::chrono::steady_clock::now();
  outcome.status =
      run_point(experiment, find_task(experiment.task), point, registry, record, progress, results_file, sc_sharing,
                network_ready);
  outcome.wall_time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  outcome.finished_utc = utc_now();
  return outcome;
}

RunnerReport run_experiment(const Experiment& experiment, PluginRegistry& registry, ResultStore& store,
                            const RunnerOptions& options) {
  find_task(experiment.task);  // an unknown task fails here, before any run
  RunnerReport report;
  report.total = experiment.points.size();
  const Placement placement = place_points(experiment, store.stored_runs());
  std::size_t to_do = 0;
  for (bool complete : placement.complete) to_do += complete ? 0 : 1;
  ProgressDisplay progress(options.out, options.interactive, to_do, report.total, options.width);
  fmt::print(options.out, "experiment {}: task {}, {} run{} ({} already complete in {})\n", experiment.name,
             experiment.task, report.total, report.total == 1 ? "" : "s", report.total - to_do, store.location());
  if (!placement.stale.empty()) {
    fmt::print(options.out,
               "{} run{} in {} match{} no point of this experiment any more (a key {} depend{} on changed, or {} "
               "sweep value or repeat is gone); kept in the file as a record, not rerun:\n",
               placement.stale.size(), placement.stale.size() == 1 ? "" : "s", store.location(),
               placement.stale.size() == 1 ? "es" : "", placement.stale.size() == 1 ? "it" : "they",
               placement.stale.size() == 1 ? "s" : "", placement.stale.size() == 1 ? "its" : "their");
    for (const auto& run : placement.stale) {
      std::string label;
      for (const auto& [key, value] : run.swept) label += " " + key + "=" + value;
      fmt::print(options.out, "  run {} ({}){}\n", run.run_index, run.status, label);
    }
  }
  std::fflush(options.out);

  std::vector<TableRun> rows;
  for (std::size_t i = 0; i < experiment.points.size(); ++i) {
    RunPoint point = experiment.points[i];
    point.run_index = placement.index[i];
    if (placement.complete[i]) {
      ++report.skipped;
      rows.push_back(table_run_from_record(point.run_index, "skipped (complete before)", point.swept, RunRecord{}));
      continue;
    }
    progress.start_run(i, label_of(point));  // "run i/n": the point's place in this experiment
    RunRecord record;
    const RunOutcome outcome =
        run_one_point(experiment, registry, PlannedRun{i, point.run_index}, record, progress, store.location());
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

void print_plan(const Experiment& experiment, const std::vector<StoredRun>& stored, const std::string& location,
                std::FILE* out) {
  const Placement placement = place_points(experiment, stored);
  std::map<std::string, std::vector<std::uint64_t>> points_of_training;  // training id -> run indices
  std::set<std::string> trainings_to_run;
  std::size_t to_run = 0;
  fmt::print(out, "experiment {}: task {}, {} run point{}; results file {}{}\n", experiment.name, experiment.task,
             experiment.points.size(), experiment.points.size() == 1 ? "" : "s", location,
             stored.empty() ? " (new)" : "");
  fmt::print(out, "{:>5}  {:<16}  {:<16}  {:<22}  {}\n", "run", "training", "run id", "status", "point");
  for (std::size_t i = 0; i < experiment.points.size(); ++i) {
    const RunPoint& point = experiment.points[i];
    points_of_training[point.identity.training_id].push_back(placement.index[i]);
    if (!placement.complete[i]) {
      ++to_run;
      trainings_to_run.insert(point.identity.training_id);
    }
    fmt::print(out, "{:>5}  {:<16}  {:<16}  {:<22}  {}\n", placement.index[i], point.identity.training_id,
               point.identity.run_id, placement.complete[i] ? "complete (skipped)" : "to run", label_of(point));
  }
  for (const auto& [training, indices] : points_of_training) {
    if (indices.size() < 2) continue;
    std::string runs;
    for (auto index : indices) runs += (runs.empty() ? "" : ", ") + std::to_string(index);
    fmt::print(out, "training {} is shared by runs {}\n", training, runs);
  }
  for (const auto& run : placement.stale) {
    std::string label;
    for (const auto& [key, value] : run.swept) label += " " + key + "=" + value;
    fmt::print(out, "stale: run {} ({}){} matches no point any more; it stays in the file as a record\n",
               run.run_index, run.status, label);
  }
  fmt::print(out, "{} of {} runs to run: {} training{} and {} evaluation{}", to_run, experiment.points.size(),
             trainings_to_run.size(), trainings_to_run.size() == 1 ? "" : "s", to_run, to_run == 1 ? "" : "s");
  if (experiment.task == "network" && !experiment.points.empty()) {
    // A rough cost from the keys (the first point's values): image-epochs of training, SC images x lengths.
    const po::variables_map config = experiment.config_for(experiment.points.front());
    const int train_size = config["data.train_size"].as<int>();
    const int epochs = config["train.epochs"].as<int>();
    const int sc_samples = config["eval.sc_samples"].as<int>();
    const bool sc = config["eval.sc"].as<bool>();
    const auto lengths = config["eval.lengths"].as<List<int>>().values;
    long long bits = 0;
    for (int l : lengths) bits += l;
    const std::string from = config["network.from"].as<std::string>();
    if (from.empty())
      fmt::print(out, "; rough cost: each training {} epochs x {} images, each evaluation {}", epochs,
                 train_size > 0 ? std::to_string(train_size) : "all", sc ? "" : "without SC");
    else
      fmt::print(out, "; rough cost: each training reads a trained network from {} (no epochs), each evaluation {}",
                 from, sc ? "" : "without SC");
    if (sc)
      fmt::print(out, "SC at {} length{} ({} bits in all) on {} test images", lengths.size(),
                 lengths.size() == 1 ? "" : "s", bits, sc_samples > 0 ? std::to_string(sc_samples) : "all");
  }
  fmt::print(out, ". Nothing was run or written (--dry-run).\n");
}

}  // namespace spinsc
