// The `network` task (see network_task.hpp).
#include "spinsc/network_task.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>

#include <fmt/format.h>

#include "runner/wire_codec.hpp"
#include "spinsc/evaluation.hpp"
#include "tasks/network_from_file.hpp"

namespace spinsc {

namespace {

std::vector<NetworkEvaluationEntry>& evaluations() {
  static std::vector<NetworkEvaluationEntry> list;
  return list;
}

// A trained network and what its training put in the run record, kept for the rest of the
// process so that every run with the same training identity evaluates it instead of training
// again (train once, evaluate many).
struct TrainedNetwork {
  Mlp network;
  RunRecord record;  // training history, float and quantized evaluation, weights, summaries
};

std::mutex& trained_mutex() {
  static std::mutex mutex;
  return mutex;
}
std::map<std::string, std::shared_ptr<const TrainedNetwork>>& trained_networks() {
  static std::map<std::string, std::shared_ptr<const TrainedNetwork>> networks;
  return networks;
}

std::shared_ptr<const TrainedNetwork> find_trained(const std::string& training_id) {
  if (training_id.empty()) return nullptr;
  std::lock_guard lock(trained_mutex());
  auto it = trained_networks().find(training_id);
  return it == trained_networks().end() ? nullptr : it->second;
}

void keep_trained(const std::string& training_id, const Mlp& network, const RunRecord& record) {
  if (training_id.empty()) return;
  std::lock_guard lock(trained_mutex());
  trained_networks()[training_id] = std::make_shared<const TrainedNetwork>(TrainedNetwork{network, record});
}

// Records the float and quantized test accuracy and the weights of the trained network.
void record_trained_network(RunContext& ctx, const DataSplit& data, const Mlp& network, TrainingSession& session,
                            const std::string& how) {
  const NetworkSpec& spec = network.spec();
  EvaluationOptions float_eval;
  float_eval.mode = ForwardMode::float_precision;
  const EvaluationResult float_result = evaluate(network, data.test, float_eval, session.pool());
  EvaluationOptions quantized_eval;
  quantized_eval.mode = ForwardMode::quantized;
  const EvaluationResult quantized_result = evaluate(network, data.test, quantized_eval, session.pool());
  record_evaluation(ctx.record, "evaluation/float", float_result);
  record_evaluation(ctx.record, "evaluation/quantized", quantized_result);
  ctx.record.attribute("evaluation/quantized", "levels", std::int64_t(spec.levels));
  record_weights(ctx.record, network);
  ctx.record.summary("float_accuracy", float_result.accuracy_percent(), "%");
  ctx.record.summary("quantized_accuracy", quantized_result.accuracy_percent(), "%");
  ctx.progress.message(fmt::format("test accuracy: float {:.2f} %, quantized (Q = {}) {:.2f} %  [{}]",
                                   float_result.accuracy_percent(), spec.levels, quantized_result.accuracy_percent(),
                                   how));
}

// Trains, then records the history and the trained network.
void train_and_record(RunContext& ctx, const DataSplit& data, Mlp& network, TrainingStrategy& strategy,
                      TrainingSession& session, const std::string& strategy_id) {
  const auto start = std::chrono::steady_clock::now();
  ctx.training = true;  // streams and components made meanwhile use the training stream key
  try {
    strategy.train(session);
  } catch (...) {
    ctx.training = false;
    throw;
  }
  ctx.training = false;
  const double train_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  session.write_history(ctx.record);
  ctx.record.put_scalar("training/wall_time_s", train_s, "s");
  ctx.record.attribute("training", "strategy", strategy_id);
  ctx.record.summary("train_time_s", train_s, "s");
  record_trained_network(ctx, data, network, session, fmt::format("{}, {:.0f} s training", strategy_id, train_s));
}

// Takes the network `[network] from` names instead of training one.
void load_and_record(RunContext& ctx, const DataSplit& data, Mlp& network, TrainingSession& session) {
  const StoredNetwork stored = network_from_file(ctx.config, network.spec());
  load_weights(network, stored);
  ctx.record.attribute("training", "strategy", std::string("none (network from a results file)"));
  ctx.record.attribute("training", "from_file", stored.file);
  ctx.record.attribute("training", "from_run", std::int64_t(stored.run_index));
  if (!stored.training_id.empty()) ctx.record.attribute("training", "from_training_id", stored.training_id);
  record_trained_network(ctx, data, network, session,
                         fmt::format("network of run {} in {}, not trained", stored.run_index, stored.file));
}

// Takes the network an earlier run of this results file trained with the same training id (the
// experiment grew, or resumes after a crash): the same weights a training would give again.
bool reuse_stored_training(RunContext& ctx, const DataSplit& data, Mlp& network, TrainingSession& session,
                           const std::string& strategy_id) {
  const std::optional<StoredNetwork> stored = find_stored_training(ctx.results_file, ctx.training_id);
  if (!stored || stored->layers != network.spec().layers) return false;
  load_weights(network, *stored);
  // The training part as the run that trained recorded it (history, wall time, strategy), as a
  // run that reuses a network trained earlier in the same process has it.
  for (const auto& [path, dataset] : stored->training_part.datasets()) ctx.record.put(path, dataset);
  for (const auto& [path, attributes] : stored->training_part.attributes())
    for (const auto& [name, value] : attributes) ctx.record.attribute(path, name, value);
  for (const auto& [column, value_units] : stored->training_part.summary_values())
    ctx.record.summary(column, value_units.first, value_units.second);
  ctx.record.attribute("training", "strategy", strategy_id);
  ctx.record.attribute("training", "reused_from_run", std::int64_t(stored->run_index));
  record_trained_network(ctx, data, network, session,
                         fmt::format("{}, trained in run {} of this results file, reused", strategy_id,
                                     stored->run_index));
  return true;
}

}  // namespace

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

NetworkEvaluationRegistration::NetworkEvaluationRegistration(const char* name, NetworkEvaluationFunction run) {
  auto& list = evaluations();
  list.push_back({name, run});
  std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
}

const std::vector<NetworkEvaluationEntry>& registered_network_evaluations() { return evaluations(); }

void forget_trained_networks() {
  std::lock_guard lock(trained_mutex());
  trained_networks().clear();
}

void load_received_weights(Mlp& network, const std::vector<Matrix>& weights, const std::string& what) {
  if (weights.size() != network.n_layers())
    throw std::runtime_error(fmt::format("{} came with {} weight layers for a network of {}", what, weights.size(),
                                         network.n_layers()));
  for (std::size_t l = 0; l < network.n_layers(); ++l) {
    if (weights[l].rows() != network.weights(l).rows() || weights[l].cols() != network.weights(l).cols())
      throw std::runtime_error(fmt::format("{} came with {}x{} weights in layer {}, not {}x{}", what, weights[l].rows(),
                                           weights[l].cols(), l + 1, network.weights(l).rows(),
                                           network.weights(l).cols()));
    network.weights(l) = weights[l];
  }
}

namespace {
constexpr std::string_view kTrainedNetworkTag = "spinsc-trained-network-1";
}  // namespace

std::string encode_trained_network(const std::string& training_id) {
  const auto trained = find_trained(training_id);
  if (!trained) throw std::logic_error("no trained network is kept for training " + training_id);
  wire::Writer w;
  w.str(std::string(kTrainedNetworkTag));
  w.str(training_id);
  std::vector<const Matrix*> weights;
  for (std::size_t l = 0; l < trained->network.n_layers(); ++l) weights.push_back(&trained->network.weights(l));
  wire::write_matrices(w, weights);
  wire::write_record(w, trained->record);
  return w.take();
}

void adopt_trained_network(std::string_view bytes, const NetworkSpec& spec) {
  wire::Reader r(bytes, "a trained network");
  if (r.str() != kTrainedNetworkTag) r.fail();
  const std::string training_id = r.str();
  const std::vector<Matrix> weights = wire::read_matrices(r);
  const RunRecord record = wire::read_record(r);
  if (!r.done() || training_id.empty()) r.fail();
  Mlp network(spec);
  load_received_weights(network, weights, "a trained network");
  keep_trained(training_id, network, record);
}

void run_network_task(RunContext& ctx) {
  const DataOptions data_options = DataOptions::from_params(ctx.config.section("data"));
  const NetworkSpec spec = NetworkSpec::from_params(ctx.config.section("network"));
  const TrainingOptions train_options = TrainingOptions::from_params(ctx.config.section("train"));
  const std::string strategy_id = ctx.config.get<std::string>("train.strategy");

  const auto data = cached_dataset(data_options);
  ctx.progress.message(fmt::format("{}: {} training and {} test images of {}x{} from {}", data_options.dataset,
                                   data->train.size(), data->test.size(), data->train.rows, data->train.cols,
                                   data->folder.string()));
  ctx.training = true;
  std::unique_ptr<TrainingStrategy> strategy = ctx.make<TrainingStrategy>(strategy_id);
  ctx.training = false;
  Mlp network(spec);
  TrainingSession session(network, data->train, data->test, train_options,
                          TrainingEnvironment{ctx.seed, ctx.training_stream_key, &ctx});
  bool kept_here = true;  // the network was kept for reuse by this run (not found kept)
  if (auto trained = find_trained(ctx.training_id)) {
    kept_here = false;
    for (std::size_t l = 0; l < network.n_layers(); ++l) network.weights(l) = trained->network.weights(l);
    ctx.record = trained->record;
    ctx.record.attribute("training", "trained_in_this_run", std::int64_t(0));
    ctx.progress.message("training " + ctx.training_id + " was done before in this process: its network is reused");
  } else if (network_from_file_is_set(ctx.config)) {
    load_and_record(ctx, *data, network, session);
    ctx.record.attribute("training", "trained_in_this_run", std::int64_t(0));
    keep_trained(ctx.training_id, network, ctx.record);
  } else if (reuse_stored_training(ctx, *data, network, session, strategy_id)) {
    ctx.record.attribute("training", "trained_in_this_run", std::int64_t(0));
    keep_trained(ctx.training_id, network, ctx.record);
  } else {
    train_and_record(ctx, *data, network, *strategy, session, strategy_id);
    ctx.record.attribute("training", "trained_in_this_run", std::int64_t(1));
    keep_trained(ctx.training_id, network, ctx.record);
  }
  if (!ctx.training_id.empty()) ctx.record.attribute("training", "training_id", ctx.training_id);
  // The other runs of this training may go to other processes now (the runner's choice).
  if (kept_here && ctx.network_ready && !ctx.training_id.empty()) ctx.network_ready(ctx.training_id);
  ctx.record.attribute("", "data_folder", std::filesystem::absolute(data->folder).lexically_normal().string());

  // Further evaluations (SC inference, ...) registered by other parts of the framework.
  NetworkTaskState state{ctx, *data, network, *strategy, session};
  for (const auto& evaluation : registered_network_evaluations()) evaluation.run(state);
}

SPINSC_REGISTER_TASK("network", run_network_task,
                     "train a (quantized) network with [train] strategy and evaluate it on the test set")

}  // namespace spinsc
