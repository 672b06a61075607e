// The `network` task (see network_task.hpp).
#include "spinsc/network_task.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>

#include <fmt/format.h>

#include "spinsc/evaluation.hpp"

namespace spinsc {

namespace {

std::vector<NetworkEvaluationEntry>& evaluations() {
  static std::vector<NetworkEvaluationEntry> list;
  return list;
}

// Data sets are read once per process and shared by the runs of a sweep (read-only).
std::shared_ptr<const DataSplit> cached_dataset(const DataOptions& o) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const DataSplit>> cache;
  const std::string key = fmt::format("{}|{}|{}|{}|{}", o.dataset, o.path, o.train_size, o.test_size, o.downscale);
  std::lock_guard lock(mutex);
  auto& entry = cache[key];
  if (!entry) entry = std::make_shared<const DataSplit>(load_dataset(o));
  return entry;
}

}  // namespace

NetworkEvaluationRegistration::NetworkEvaluationRegistration(const char* name, NetworkEvaluationFunction run) {
  auto& list = evaluations();
  list.push_back({name, run});
  std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
}

const std::vector<NetworkEvaluationEntry>& registered_network_evaluations() { return evaluations(); }

void run_network_task(RunContext& ctx) {
  const DataOptions data_options = DataOptions::from_params(ctx.config.section("data"));
  const NetworkSpec spec = NetworkSpec::from_params(ctx.config.section("network"));
  const TrainingOptions train_options = TrainingOptions::from_params(ctx.config.section("train"));
  const std::string strategy_id = ctx.config.get<std::string>("train.strategy");

  const auto data = cached_dataset(data_options);
  ctx.progress.message(fmt::format("{}: {} training and {} test images of {}x{} from {}", data_options.dataset,
                                   data->train.size(), data->test.size(), data->train.rows, data->train.cols,
                                   data->folder.string()));
  ctx.record.attribute("", "data_folder", std::filesystem::absolute(data->folder).lexically_normal().string());
  std::unique_ptr<TrainingStrategy> strategy = ctx.make<TrainingStrategy>(strategy_id);
  Mlp network(spec);
  TrainingSession session(network, data->train, data->test, train_options,
                          TrainingEnvironment{ctx.seed, ctx.run_index, &ctx});

  const auto start = std::chrono::steady_clock::now();
  strategy->train(session);
  const double train_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  session.write_history(ctx.record);
  ctx.record.put_scalar("training/wall_time_s", train_s, "s");
  ctx.record.attribute("training", "strategy", strategy_id);

  EvaluationOptions float_eval;
  float_eval.mode = ForwardMode::float_precision;
  const EvaluationResult float_result = evaluate(network, data->test, float_eval, session.pool());
  EvaluationOptions quantized_eval;
  quantized_eval.mode = ForwardMode::quantized;
  const EvaluationResult quantized_result = evaluate(network, data->test, quantized_eval, session.pool());
  record_evaluation(ctx.record, "evaluation/float", float_result);
  record_evaluation(ctx.record, "evaluation/quantized", quantized_result);
  ctx.record.attribute("evaluation/quantized", "levels", std::int64_t(spec.levels));
  record_weights(ctx.record, network);
  ctx.record.summary("float_accuracy", float_result.accuracy_percent(), "%");
  ctx.record.summary("quantized_accuracy", quantized_result.accuracy_percent(), "%");
  ctx.record.summary("train_time_s", train_s, "s");
  ctx.progress.message(fmt::format("test accuracy: float {:.2f} %, quantized (Q = {}) {:.2f} %  [{} , {:.0f} s training]",
                                   float_result.accuracy_percent(), spec.levels, quantized_result.accuracy_percent(),
                                   strategy_id, train_s));

  // Further evaluations (SC inference, ...) registered by other parts of the framework.
  NetworkTaskState state{ctx, *data, network, *strategy, session};
  for (const auto& evaluation : registered_network_evaluations()) evaluation.run(state);
}

SPINSC_REGISTER_TASK("network", run_network_task,
                     "train a (quantized) network with [train] strategy and evaluate it on the test set")

}  // namespace spinsc
