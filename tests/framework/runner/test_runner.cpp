// Requirement (issue 2, runner): every run point is run by its task into the ResultStore with a
// status; complete runs are skipped on a re-run; a failing run is recorded and the others go on;
// the ledger is recorded under ledger/ with units; the same experiment gives identical records.
#define BOOST_TEST_MODULE runner
#include <boost/test/unit_test.hpp>
#include <algorithm>
#include <bit>
#include <cstdio>
#include <set>

#include "spinsc/bit_source.hpp"
#include "spinsc/experiment.hpp"
#include "spinsc/ledger_record.hpp"
#include "spinsc/plugin_registry.hpp"
#include "spinsc/run_context.hpp"
#include "spinsc/runner.hpp"

using namespace spinsc;

namespace {

int g_task_calls = 0;

void declare_coin_section(OptionsBuilder& add) {
  add("p", param<double>(0.5)->range(0.0, 1.0), "P(heads)");
  add("flips", param<std::int64_t>(256)->min(1), "number of flips");
  add("fail", param<bool>(false), "throw instead of flipping (tests failing runs)");
}

// Flips coins with the run's random stream and draws bits from the configured device.
void run_coin(RunContext& ctx) {
  ++g_task_calls;
  if (ctx.config.get<bool>("coin.fail")) throw std::runtime_error("coin asked to fail");
  const double p = ctx.config.get<double>("coin.p");
  const auto flips = ctx.config.get<std::int64_t>("coin.flips");
  RandomStream rng = ctx.random("coin");
  std::int64_t heads = 0;
  for (std::int64_t i = 0; i < flips; ++i) heads += rng.uniform() < p ? 1 : 0;
  ctx.progress.step("flipping", 1.0);
  auto device = ctx.make<BitSource>(ctx.config.get<std::string>("device.plugin"));
  std::vector<std::uint64_t> words(4);
  RandomStream bits = ctx.random("bits");
  device->generate({p, 256, 0}, words, bits);
  std::int64_t ones = 0;
  for (auto w : words) ones += std::popcount(w);
  ctx.record.put("coin/heads", std::vector<std::int64_t>{heads}, "1");
  ctx.record.put("coin/device_ones", std::vector<std::int64_t>{ones}, "1");
  ctx.record.summary("heads_fraction", static_cast<double>(heads) / static_cast<double>(flips), "1");
  ctx.ledger.add({"test.coin", "layer1", "flips"}, static_cast<std::uint64_t>(flips), 2e-15, 1e-9, 1.0);
  ctx.ledger.add({ctx.config.get<std::string>("device.plugin"), "", "bits_generated"}, 256, device->energy_per_bit_J(p), 1e-9);
}

PluginRegistry& registry() {
  static PluginRegistry instance({SPINSC_BUILD_PLUGIN_DIR});
  return instance;
}

Experiment load(const std::string& text, const std::vector<std::string>& overrides = {}) {
  return load_experiment_text("task = coin\nseed = 5\n" + text, "coin.ini", overrides, registry());
}

RunnerReport run_quietly(const Experiment& e, ResultStore& store) {
  std::FILE* sink = std::tmpfile();
  RunnerOptions options;
  options.out = sink;
  const RunnerReport report = run_experiment(e, registry(), store, options);
  std::fclose(sink);
  return report;
}

bool same_dataset(const DatasetRecord& a, const DatasetRecord& b) {
  return a.data == b.data && a.shape == b.shape && a.units == b.units;
}

}  // namespace

SPINSC_REGISTER_SECTION("coin", declare_coin_section)
SPINSC_REGISTER_TASK("coin", run_coin, "test task: flips coins")

BOOST_AUTO_TEST_CASE(every_point_runs_with_its_values_and_seed) {
  const Experiment e = load("[sweep]\ncoin.p = 0,1\nrepeats = 2\n");
  MemoryResultStore store;
  const RunnerReport report = run_quietly(e, store);
  BOOST_TEST(report.total == 4u);
  BOOST_TEST(report.complete == 4u);
  BOOST_TEST(report.ok());
  BOOST_TEST(store.finished);
  BOOST_TEST(store.runs.size() == 4u);
  for (const auto& [index, run] : store.runs) {
    const auto& [outcome, record] = run;
    BOOST_TEST(outcome.status == "complete");
    BOOST_TEST(outcome.seed == e.points[index].seed);
    BOOST_TEST((outcome.swept == e.points[index].swept));
    BOOST_TEST(!outcome.started_utc.empty());
    const auto heads = std::get<std::vector<std::int64_t>>(record.dataset("coin/heads").data)[0];
    BOOST_TEST(heads == (index < 2 ? 0 : 256));  // p = 0 then p = 1: exact
    BOOST_TEST(record.summary_values().at("heads_fraction").first == (index < 2 ? 0.0 : 1.0));
  }
}

BOOST_AUTO_TEST_CASE(ledger_is_recorded_with_units) {
  const Experiment e = load("[device.bernoulli]\nenergy_per_bit_J = 3e-15\n");
  MemoryResultStore store;
  run_quietly(e, store);
  const RunRecord& record = store.runs.at(0).second;
  const auto& energy = record.dataset("ledger/entries/energy_J");
  BOOST_TEST(energy.units == "J");
  const auto& values = std::get<std::vector<double>>(energy.data);
  const auto& components = std::get<std::vector<std::string>>(record.dataset("ledger/entries/component").data);
  BOOST_TEST(values.size() == 2u);
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (components[i] == "device.bernoulli") BOOST_TEST(values[i] == 256 * 3e-15, boost::test_tools::tolerance(1e-12));
    else BOOST_TEST(values[i] == 256 * 2e-15, boost::test_tools::tolerance(1e-12));
  }
  BOOST_TEST(std::get<std::vector<double>>(record.dataset("ledger/total/energy_J").data)[0] ==
             256 * 5e-15, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(record.dataset("ledger/total/latency_s").units == "s");
  BOOST_TEST(std::get<std::vector<double>>(record.dataset("ledger/total/cycles").data)[0] == 256.0);
  BOOST_TEST(record.dataset("ledger/by_layer/name").shape == std::vector<std::size_t>{1});
  BOOST_TEST(record.dataset("ledger/by_component/events").units == "1");
}

BOOST_AUTO_TEST_CASE(record_ledger_groups_by_component_and_layer) {
  EnergyLedger ledger;
  ledger.add({"sc.xnor", "layer1", "gate_ops"}, 10, 1e-15, 0.0, 1.0);
  ledger.add({"sc.xnor", "layer2", "gate_ops"}, 5, 1e-15, 0.0, 1.0);
  ledger.add({"device.lfsr", "layer1", "bits_generated"}, 4, 1e-14, 1e-9);
  RunRecord record;
  record_ledger(ledger, record);
  const auto names = std::get<std::vector<std::string>>(record.dataset("ledger/by_component/name").data);
  const auto events = std::get<std::vector<std::int64_t>>(record.dataset("ledger/by_component/events").data);
  BOOST_TEST((names == std::vector<std::string>{"device.lfsr", "sc.xnor"}));
  BOOST_TEST((events == std::vector<std::int64_t>{4, 15}));
  const auto layer_energy = std::get<std::vector<double>>(record.dataset("ledger/by_layer/energy_J").data);
  BOOST_TEST(layer_energy[0] == 10e-15 + 4e-14, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(layer_energy[1] == 5e-15, boost::test_tools::tolerance(1e-12));
  RunRecord empty_record;
  record_ledger(EnergyLedger{}, empty_record);
  BOOST_TEST(std::get<std::vector<double>>(empty_record.dataset("ledger/total/energy_J").data)[0] == 0.0);
  BOOST_TEST(!empty_record.datasets().count("ledger/entries/energy_J"));
}

BOOST_AUTO_TEST_CASE(failing_run_is_recorded_and_the_rest_continue) {
  const Experiment e = load("[sweep]\ncoin.fail = false,true,false\n");
  MemoryResultStore store;
  const RunnerReport report = run_quietly(e, store);
  BOOST_TEST(report.failed == 1u);
  BOOST_TEST(report.complete == 2u);
  BOOST_TEST(!report.ok());
  BOOST_TEST(store.runs.at(1).first.status == "failed: coin asked to fail");
  BOOST_TEST(store.runs.at(2).first.status == "complete");
  BOOST_TEST(store.runs.at(1).second.datasets().count("ledger/total/energy_J") == 1u);
}

BOOST_AUTO_TEST_CASE(complete_runs_are_skipped_failed_ones_rerun) {
  const Experiment e = load("[sweep]\ncoin.fail = false,true\n");
  MemoryResultStore store;
  run_quietly(e, store);
  g_task_calls = 0;
  const RunnerReport again = run_quietly(e, store);
  BOOST_TEST(again.skipped == 1u);
  BOOST_TEST(again.failed == 1u);
  BOOST_TEST(g_task_calls == 1);  // only the failed run ran again
}

BOOST_AUTO_TEST_CASE(same_experiment_gives_identical_records) {
  const std::string text = "[sweep]\ncoin.p = 0.3,0.7\nrepeats = 3\n[coin]\nflips = 1000\n";
  MemoryResultStore first, second;
  run_quietly(load(text), first);
  run_quietly(load(text), second);
  BOOST_TEST(first.runs.size() == 6u);
  std::set<std::int64_t> heads_over_repeats;
  for (const auto& [index, run] : first.runs) {
    const RunRecord& a = run.second;
    const RunRecord& b = second.runs.at(index).second;
    BOOST_TEST(a.datasets().size() == b.datasets().size());
    for (const auto& [path, dataset] : a.datasets()) BOOST_TEST(same_dataset(dataset, b.dataset(path)), path);
    BOOST_TEST(run.first.seed == second.runs.at(index).first.seed);
    if (index < 3) heads_over_repeats.insert(std::get<std::vector<std::int64_t>>(a.dataset("coin/heads").data)[0]);
  }
  // Repeats use distinct seeds, so their flips differ (three equal counts of 1000 flips at
  // p = 0.3 would have probability below 1e-3 even with identical binomial spread).
  BOOST_TEST(heads_over_repeats.size() > 1u);
}

BOOST_AUTO_TEST_CASE(summary_table_and_plain_progress_lines_are_printed) {
  const Experiment e = load("[sweep]\ncoin.p = 0.25,0.75\n");
  MemoryResultStore store;
  std::FILE* out = std::tmpfile();
  RunnerOptions options;
  options.out = out;
  run_experiment(e, registry(), store, options);
  std::rewind(out);
  std::string text;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, out)) text += buffer;
  std::fclose(out);
  BOOST_TEST(text.find("run 1/2 started: coin.p=0.25") != std::string::npos, text);
  BOOST_TEST(text.find("Summary") != std::string::npos, text);
  BOOST_TEST(text.find("heads_fraction") != std::string::npos, text);
  BOOST_TEST(text.find("coin.p") != std::string::npos, text);
  BOOST_TEST(text.find("\r") == std::string::npos);  // not a terminal: no redrawn line
}

namespace {
std::string run_capturing(const Experiment& e, ResultStore& store) {
  std::FILE* out = std::tmpfile();
  RunnerOptions options;
  options.out = out;
  run_experiment(e, registry(), store, options);
  std::rewind(out);
  std::string text;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, out)) text += buffer;
  std::fclose(out);
  return text;
}
}  // namespace

BOOST_AUTO_TEST_CASE(a_grown_experiment_runs_only_what_is_new) {
  MemoryResultStore store;
  run_quietly(load("[sweep]\ncoin.p = 0.3,0.7\nrepeats = 2\n"), store);
  const auto before = store.runs;
  g_task_calls = 0;
  // One more repeat and one more sweep value, the new value first: 6 points, 4 of them stored.
  const RunnerReport grown = run_quietly(load("[sweep]\ncoin.p = 0.5,0.3,0.7\nrepeats = 3\n"), store);
  BOOST_TEST(grown.skipped == 4u);
  BOOST_TEST(grown.complete == 5u);
  BOOST_TEST(g_task_calls == 5);
  BOOST_TEST(store.runs.size() == 9u);
  for (const auto& [index, run] : before) {  // the complete runs are untouched, timestamps included
    BOOST_TEST(store.runs.at(index).first.started_utc == run.first.started_utc);
    BOOST_TEST(store.runs.at(index).first.run_id == run.first.run_id);
    BOOST_TEST((store.runs.at(index).first.swept == run.first.swept));
  }
  // A run alone in another experiment layout gives the record of its twin (the same run id).
  MemoryResultStore alone;
  run_quietly(load("[coin]\np = 0.7\n"), alone);
  const auto& twin = *std::find_if(before.begin(), before.end(), [](const auto& r) {
    return r.second.first.swept.front().second == "0.7" && r.second.first.swept.back().second == "0";
  });
  BOOST_TEST(alone.runs.at(0).first.run_id == twin.second.first.run_id);
  BOOST_TEST(same_dataset(alone.runs.at(0).second.dataset("coin/heads"), twin.second.second.dataset("coin/heads")));
}

BOOST_AUTO_TEST_CASE(a_changed_key_reports_the_stale_runs_and_keeps_them) {
  MemoryResultStore store;
  run_quietly(load("[sweep]\ncoin.p = 0.3,0.7\n"), store);
  g_task_calls = 0;
  const std::string text = run_capturing(load("[sweep]\ncoin.p = 0.3,0.7\n[coin]\nflips = 100\n"), store);
  BOOST_TEST(g_task_calls == 2);  // both depend on coin.flips
  BOOST_TEST(text.find("2 runs in memory match no point of this experiment any more") != std::string::npos, text);
  BOOST_TEST(text.find("run 0 (complete) coin.p=0.3") != std::string::npos, text);
  BOOST_TEST(store.runs.size() == 4u);  // the stale runs stay as a record
  BOOST_TEST(store.runs.at(0).first.status == "complete");
}
