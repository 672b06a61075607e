// SC evaluation inside the `network` task: the trained network evaluated with the SC engine at
// every [eval] length, in [eval] sc_mode (bit by default), with the experiment's device and
// [sc] units. Registered as a network evaluation (network_task.hpp), so the task calls it after
// the float and quantized evaluations.
//
// Several hardware variants of the same trained network in one run: [eval] sc_activations (a list
// of activation plugins) and [eval] sc_policies (a list of fresh, bank:K, window); every
// combination is evaluated at every length. One variant records under evaluation/sc/, several
// under evaluation/sc/<variant>/ (variant = activation and/or policy, e.g. "sc.fsm_sigmoid",
// "bank_K16"), with summary columns sc_accuracy_<variant>_L<n>.
// Records, under evaluation/sc/ (or evaluation/sc/<variant>/):
//   lengths (bits), accuracy (%), and per inference: energy_J (all SC events), device_energy_J
//   (bits generated), bits_generated, activation_latency_cycles, activation_energy_J,
//   activation_busy_cycles, latency_per_inference_s (stream clocks + counter pipeline +
//   activation latency), stream_cycles_per_inference, counter_latency_cycles and the energy by
//   part (gate_, counter_, dac_energy_per_inference_J); L<n>/accuracy and L<n>/confusion per
//   length; with the bank policy also L<n>/level_probability and the banks' L<n>/bank_p1_mean and
//   L<n>/bank_p1_sd (2 x levels: input and weight streams), what the device delivered per level. The run's ledger gets every event with layer "L<n>/layer<l>". Summary columns sc_accuracy_L<n>,
//   sc_energy_per_inference_J_L<n>.
//
// A runner that can hand work to idle processes (RunContext::sc_sharing) gets asked once per run
// for helpers; the test images are then cut into ranges of whole chunks, each process evaluates
// its range at every variant and length, and the ranges are merged here in image order into the
// same numbers (spinsc/sc_evaluation_sharing.hpp says why they are the same). wall_time_s is then
// the slowest range's time at each length.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <stdexcept>

#include "spinsc/evaluation.hpp"
#include "spinsc/network_task.hpp"
#include "spinsc/sc_evaluation_sharing.hpp"
#include "spinsc/runner.hpp"
#include "spinsc/sc_network.hpp"

namespace spinsc {

namespace {

struct Variant {
  ScSettings settings;
  std::string label;  // "" for the single default variant
};

std::vector<Variant> variants_of(const RunContext& ctx, ScMode mode) {
  const ScSettings base = sc_settings_from(ctx.config, mode);
  std::vector<std::string> activations = ctx.config.get<List<std::string>>("eval.sc_activations").values;
  std::vector<std::string> policies = ctx.config.get<List<std::string>>("eval.sc_policies").values;
  const bool name_activation = activations.size() > 1, name_policy = policies.size() > 1;
  if (activations.empty()) activations.push_back(base.activation_id);
  if (policies.empty()) policies.push_back("");
  std::vector<Variant> out;
  for (const auto& activation : activations) {
    for (const auto& policy : policies) {
      Variant v{base, ""};
      v.settings.activation_id = activation;
      std::string policy_label;
      if (!policy.empty()) {
        const auto colon = policy.find(':');
        v.settings.policy = parse_stream_policy(policy.substr(0, colon));
        if (colon != std::string::npos) {
          try {
            v.settings.bank_size = std::stoul(policy.substr(colon + 1));
          } catch (const std::exception&) {
            throw ParamError("value '" + policy + "' of 'eval.sc_policies': bank size after ':' is not a number");
          }
          if (v.settings.bank_size == 0) throw ParamError("value '" + policy + "' of 'eval.sc_policies': K must be >= 1");
        }
        policy_label = v.settings.policy == StreamPolicy::bank ? fmt::format("bank_K{}", v.settings.bank_size)
                                                              : to_string(v.settings.policy);
      }
      if (name_activation) v.label = activation;
      if (name_policy) v.label += (v.label.empty() ? "" : "_") + policy_label;
      out.push_back(v);
    }
  }
  return out;
}

// The banks' fractions of ones per role and level (bank policy only): what the device delivered.
void record_bank_statistics(RunRecord& record, const std::string& group, const BankStatistics& s) {
  if (s.level_probability.empty()) return;
  const std::size_t q = s.level_probability.size();
  std::vector<double> mean(s.p1_mean[0]), sd(s.p1_sd[0]);
  mean.insert(mean.end(), s.p1_mean[1].begin(), s.p1_mean[1].end());
  sd.insert(sd.end(), s.p1_sd[1].begin(), s.p1_sd[1].end());
  record.put(group + "/level_probability", s.level_probability, "1");
  record.put_matrix(group + "/bank_p1_mean", mean, 2, q, "1");
  record.put_matrix(group + "/bank_p1_sd", sd, 2, q, "1");
  for (const char* name : {"/bank_p1_mean", "/bank_p1_sd"})
    record.attribute(group + name, "rows", "0: input streams, 1: weight streams; column k: level k");
}

// The first [eval] sc_samples test images (an SC evaluation costs more than the exact one).
std::size_t sc_image_count(const RunContext& ctx, const Dataset& test) {
  const int max_samples = ctx.config.get<int>("eval.sc_samples");
  return max_samples > 0 ? std::min(std::size_t(max_samples), test.size()) : test.size();
}

// One variant's SC hardware, prepared for one stream length at a time.
struct VariantStack {
  std::unique_ptr<ScStack> stack;
  std::vector<Activation*> activations;
  VariantStack(const RunContext& ctx, const NetworkSpec& spec, const Variant& variant)
      : stack(make_sc_stack(ctx, spec, variant.settings, "sc_eval")) {
    for (auto& a : stack->activations) activations.push_back(a.get());
  }
};

// The test images `range` at one length: the class of each and the SC events of each chunk.
ScRangeResult evaluate_range(const RunContext& ctx, VariantStack& hardware, const Mlp& network, const Dataset& test,
                             WorkerPool& pool, int length, ImageRange range,
                             std::function<void(std::size_t, std::size_t)> on_progress = {}) {
  const auto start = std::chrono::steady_clock::now();
  hardware.stack->prepare(std::size_t(length));
  ScPreactivationProvider provider(*hardware.stack->engine, hardware.activations);
  ScRangeResult result;
  EvaluationOptions options;
  options.mode = ForwardMode::quantized;
  options.provider = &provider;
  options.stream = ctx.random("sc_eval_streams", std::uint64_t(length));
  options.chunk_ledgers = &result.chunk_ledgers;
  options.first_sample = range.first;
  options.n_samples = range.count;
  options.on_progress = std::move(on_progress);
  result.predictions = evaluate(network, test, options, pool).predictions;
  result.bank_statistics = hardware.stack->engine->bank_statistics();
  result.wall_time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

// Every variant and length on the test images `range` (the share of one process).
ScShard evaluate_sc_images(const RunContext& ctx, const std::vector<Variant>& variants, const Mlp& network,
                           const Dataset& test, WorkerPool& pool, ImageRange range) {
  const std::vector<int> lengths = ctx.config.get<List<int>>("eval.lengths").values;
  ScShard shard;
  shard.images = range;
  for (const Variant& variant : variants) {
    VariantStack hardware(ctx, network.spec(), variant);
    for (int length : lengths) shard.results.push_back(evaluate_range(ctx, hardware, network, test, pool, length, range));
  }
  return shard;
}

// One length of one variant over all the SC test images, from its ranges in image order.
struct LengthOutcome {
  EvaluationResult result;
  EnergyLedger ledger;  // the chunks' ledgers merged in chunk order, as evaluate() merges them
  BankStatistics bank_statistics;  // the first range's: every process makes the same banks
  double wall_time_s = 0.0;  // the slowest range's
};

LengthOutcome merge_ranges(const Dataset& test, const std::vector<const ScRangeResult*>& ranges) {
  LengthOutcome outcome;
  std::vector<int> predictions;
  for (const ScRangeResult* range : ranges) {
    predictions.insert(predictions.end(), range->predictions.begin(), range->predictions.end());
    for (const EnergyLedger& chunk : range->chunk_ledgers) outcome.ledger.merge(chunk);
    outcome.wall_time_s = std::max(outcome.wall_time_s, range->wall_time_s);
  }
  outcome.result = tally_predictions(test, 0, std::move(predictions));
  if (!ranges.empty()) outcome.bank_statistics = ranges.front()->bank_statistics;
  return outcome;
}

// Records one variant (see the top of this file); `outcome_of(li, length)` evaluates or merges length li.
void record_variant(NetworkTaskState& state, const Variant& variant, std::size_t n_images,
                    const std::function<LengthOutcome(std::size_t, int)>& outcome_of) {
  RunContext& ctx = state.context;
  const std::vector<int> lengths = ctx.config.get<List<int>>("eval.lengths").values;
  const std::string prefix = variant.label.empty() ? "evaluation/sc" : "evaluation/sc/" + variant.label;
  const std::string column = variant.label.empty() ? "" : variant.label + "_";
  std::vector<double> accuracy, energy, device_energy, bits, act_latency, act_energy, act_busy, wall;
  // The hardware view of each unit (per inference): latency by part and in all, energy by part.
  std::vector<double> stream_cycles, count_cycles, latency_s, gate_energy, counter_energy, dac_energy;
  ctx.progress.phase(fmt::format("SC evaluation ({}, {})", variant.settings.device_id,
                                 variant.label.empty() ? variant.settings.activation_id : variant.label));
  for (std::size_t li = 0; li < lengths.size(); ++li) {
    const int length = lengths[li];
    const LengthOutcome outcome = outcome_of(li, length);
    const EvaluationResult& result = outcome.result;
    const EnergyLedger& ledger = outcome.ledger;
    const double n = double(std::max<std::size_t>(result.n_samples, 1));
    const std::string group = fmt::format("{}/L{}", prefix, length);
    record_evaluation(ctx.record, group, result);
    record_bank_statistics(ctx.record, group, outcome.bank_statistics);
    // The run's ledger gets every event of this variant and length, layers "<variant>/L<n>/layer<l>".
    for (const auto& [key, totals] : ledger.entries()) {
      if (totals.events == 0) continue;
      const double n_events = double(totals.events);
      ctx.ledger.add({key.component, fmt::format("{}L{}/{}", variant.label.empty() ? "" : variant.label + "/", length, key.layer),
                      key.event},
                     totals.events, totals.energy_J / n_events, totals.latency_s / n_events, totals.cycles / n_events);
    }
    accuracy.push_back(result.accuracy_percent());
    energy.push_back(ledger.total_energy_J() / n);
    device_energy.push_back(ledger.component_totals(variant.settings.device_id).energy_J / n);
    bits.push_back(double(ledger.event_totals("bits_generated").events) / n);
    act_latency.push_back(ledger.event_totals("activation_latency").cycles / n);
    const LedgerTotals ops = ledger.event_totals("activation_ops");
    act_energy.push_back(ops.energy_J / n);
    act_busy.push_back(ops.cycles / n);
    const LedgerTotals streams = ledger.event_totals("stream_clocks"), count = ledger.event_totals("counter_latency");
    stream_cycles.push_back(streams.cycles / n);
    count_cycles.push_back(count.cycles / n);
    latency_s.push_back((streams.latency_s + count.latency_s + ledger.event_totals("activation_latency").latency_s) / n);
    gate_energy.push_back(ledger.event_totals("gate_ops").energy_J / n);
    counter_energy.push_back(ledger.event_totals("counter_ops").energy_J / n);
    dac_energy.push_back(ledger.event_totals("dac_levels").energy_J / n);
    wall.push_back(outcome.wall_time_s);
    ctx.record.summary(fmt::format("sc_accuracy_{}L{}", column, length), result.accuracy_percent(), "%");
    ctx.record.summary(fmt::format("sc_energy_per_inference_J_{}L{}", column, length), energy.back(), "J");
    const ScSettings& s = variant.settings;
    // The latency a designer compares: the whole critical path, and the activation's own cycles
    // after the stream beside the cycles it works in step with it (an FSM's L steps a neuron).
    ctx.progress.message(fmt::format("SC ({}, {}, {}, {}{}) L = {}: accuracy {:.2f} %, {:.3g} J per inference "
                                     "(device {:.3g} J, activation {:.3g} J), latency {:.3g} s per inference "
                                     "(activation {:.0f} cycles after the stream, busy {:.0f})  [{:.1f} s]",
                                     to_string(s.mode), s.adder_id, s.activation_id, to_string(s.policy),
                                     s.policy == StreamPolicy::bank ? fmt::format(" K={}", s.bank_size) : "", length,
                                     accuracy.back(), energy.back(), device_energy.back(), act_energy.back(),
                                     latency_s.back(), act_latency.back(), act_busy.back(), wall.back()));
  }
  std::vector<double> lengths_d(lengths.begin(), lengths.end());
  ctx.record.put(prefix + "/lengths", lengths_d, "bits");
  ctx.record.put(prefix + "/accuracy", accuracy, "%");
  ctx.record.put(prefix + "/energy_per_inference_J", energy, "J");
  ctx.record.put(prefix + "/device_energy_per_inference_J", device_energy, "J");
  ctx.record.put(prefix + "/bits_per_inference", bits, "1");
  ctx.record.put(prefix + "/activation_latency_cycles", act_latency, "cycles");
  ctx.record.put(prefix + "/activation_energy_per_inference_J", act_energy, "J");
  ctx.record.put(prefix + "/activation_busy_cycles_per_inference", act_busy, "cycles");
  ctx.record.put(prefix + "/latency_per_inference_s", latency_s, "s");
  ctx.record.put(prefix + "/stream_cycles_per_inference", stream_cycles, "cycles");
  ctx.record.put(prefix + "/counter_latency_cycles", count_cycles, "cycles");
  ctx.record.put(prefix + "/gate_energy_per_inference_J", gate_energy, "J");
  ctx.record.put(prefix + "/counter_energy_per_inference_J", counter_energy, "J");
  ctx.record.put(prefix + "/dac_energy_per_inference_J", dac_energy, "J");
  ctx.record.put(prefix + "/wall_time_s", wall, "s");
  const ScSettings& s = variant.settings;
  ctx.record.attribute(prefix, "mode", to_string(s.mode));
  ctx.record.attribute(prefix, "policy", to_string(s.policy));
  ctx.record.attribute(prefix, "bank_size", std::int64_t(s.bank_size));
  ctx.record.attribute(prefix, "device", s.device_id);
  ctx.record.attribute(prefix, "multiplier", s.multiplier_id);
  ctx.record.attribute(prefix, "adder", s.adder_id);
  ctx.record.attribute(prefix, "activation", s.activation_id);
  ctx.record.attribute(prefix, "samples", std::int64_t(n_images));
}

// Asks the runner for idle processes to share the evaluation of the test images; returns the
// shares in image order (this process's first), or none if nobody is idle or there is one chunk.
std::vector<ScShard> share_evaluation(NetworkTaskState& state, const std::vector<Variant>& variants,
                                      std::size_t n_images) {
  RunContext& ctx = state.context;
  const std::size_t chunk = EvaluationOptions{}.chunk_size;
  const std::size_t n_chunks = (n_images + chunk - 1) / chunk;  // a share is at least one chunk
  if (!ctx.sc_sharing || n_chunks < 2) return {};
  const std::size_t helpers = ctx.sc_sharing->reserve_helpers(n_chunks - 1);
  if (helpers == 0) return {};
  const std::vector<ImageRange> ranges = split_images(n_images, chunk, helpers + 1);
  ctx.sc_sharing->hand_out(state.network, std::vector<ImageRange>(ranges.begin() + 1, ranges.end()));
  std::vector<ScShard> shards;
  try {
    shards.push_back(evaluate_sc_images(ctx, variants, state.network, state.data.test, state.session.pool(), ranges[0]));
  } catch (...) {
    ctx.sc_sharing->collect();  // the helpers' answers are on their way: take them before failing
    throw;
  }
  for (ScShard& shard : ctx.sc_sharing->collect()) shards.push_back(std::move(shard));
  const std::size_t results = variants.size() * ctx.config.get<List<int>>("eval.lengths").values.size();
  for (std::size_t i = 0; i < shards.size(); ++i) {
    bool fits = shards[i].images.first == ranges[i].first && shards[i].images.count == ranges[i].count &&
                shards[i].results.size() == results;
    for (const ScRangeResult& r : shards[i].results) fits = fits && r.predictions.size() == ranges[i].count;
    if (!fits)
      throw std::runtime_error(fmt::format("a share of the SC evaluation came back for images {}+{} with {} results, "
                                           "not for images {}+{} with {}",
                                           shards[i].images.first, shards[i].images.count, shards[i].results.size(),
                                           ranges[i].first, ranges[i].count, results));
  }
  return shards;
}

void evaluate_sc_lengths(NetworkTaskState& state) {
  RunContext& ctx = state.context;
  if (!ctx.config.get<bool>("eval.sc")) return;
  const ScMode mode = parse_sc_mode(ctx.config.get<std::string>("eval.sc_mode"));
  const std::vector<Variant> variants = variants_of(ctx, mode);  // checks the lists before any work
  const std::vector<int> lengths = ctx.config.get<List<int>>("eval.lengths").values;
  const Dataset& test = state.data.test;
  const std::size_t n_images = sc_image_count(ctx, test);
  const std::vector<ScShard> shards = share_evaluation(state, variants, n_images);
  for (std::size_t v = 0; v < variants.size(); ++v) {
    if (!shards.empty()) {
      record_variant(state, variants[v], n_images, [&](std::size_t li, int) {
        std::vector<const ScRangeResult*> ranges;
        for (const ScShard& shard : shards) ranges.push_back(&shard.results[v * lengths.size() + li]);
        return merge_ranges(test, ranges);
      });
      continue;
    }
    // Evaluated here, length by length, with progress: each length weighs by its bits (the cost
    // of an SC inference grows with L).
    VariantStack hardware(ctx, state.network.spec(), variants[v]);
    double bits_total = 0.0, bits_before = 0.0;
    for (int length : lengths) bits_total += double(length);
    record_variant(state, variants[v], n_images, [&](std::size_t li, int length) {
      const ScRangeResult range = evaluate_range(
          ctx, hardware, state.network, test, state.session.pool(), length, ImageRange{0, n_images},
          [&](std::size_t done, std::size_t total) {
            ctx.progress.step(fmt::format("L = {} ({}/{}), {}/{} images", length, li + 1, lengths.size(), done, total),
                              (bits_before + double(length) * double(done) / double(std::max<std::size_t>(total, 1))) /
                                  bits_total);
          });
      bits_before += double(length);
      return merge_ranges(test, {&range});
    });
  }
}

}  // namespace

SPINSC_REGISTER_NETWORK_EVALUATION("sc", evaluate_sc_lengths)

namespace {
// A helper's progress goes nowhere: the owner of the run reports it.
class QuietProgress final : public Progress {
 public:
  void step(const std::string&, double) override {}
  void message(const std::string&) override {}
};
}  // namespace

ScShard evaluate_sc_shard(const Experiment& experiment, PluginRegistry& registry, std::size_t point,
                          const std::vector<Matrix>& weights, ImageRange images) {
  RunRecord record;
  EnergyLedger ledger;
  QuietProgress progress;
  ScShard shard;
  with_point_context(experiment, experiment.points.at(point), registry, record, ledger, progress, [&](RunContext& ctx) {
    const auto data = cached_dataset(DataOptions::from_params(ctx.config.section("data")));
    Mlp network(NetworkSpec::from_params(ctx.config.section("network")));
    load_received_weights(network, weights, "a share of an SC evaluation");
    const std::size_t n_images = sc_image_count(ctx, data->test);
    if (images.first > n_images || images.count > n_images - images.first)
      throw std::runtime_error(fmt::format("a share of an SC evaluation asks for images {}+{} of {}", images.first,
                                           images.count, n_images));
    WorkerPool pool(TrainingOptions::from_params(ctx.config.section("train")).threads);
    const ScMode mode = parse_sc_mode(ctx.config.get<std::string>("eval.sc_mode"));
    shard = evaluate_sc_images(ctx, variants_of(ctx, mode), network, data->test, pool, images);
  });
  return shard;
}

}  // namespace spinsc
