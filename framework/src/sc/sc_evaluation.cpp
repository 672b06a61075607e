// SC evaluation inside the `network` task: the trained network evaluated with the SC engine at
// every [eval] length, in [eval] sc_mode (bit by default), with the experiment's device and
// [sc] units. Registered as a network evaluation (network_task.hpp), so the task calls it after
// the float and quantized evaluations.
//
// Records, under evaluation/sc/:
//   lengths (bits), accuracy (%), and per inference: energy_J (all SC events), device_energy_J
//   (bits generated), bits_generated, activation_latency_cycles, activation_energy_J,
//   activation_busy_cycles; L<n>/accuracy and L<n>/confusion per length. The run's ledger gets
//   every event with layer "L<n>/layer<l>". Summary columns sc_accuracy_L<n>,
//   sc_energy_per_inference_J_L<n>.
#include <fmt/format.h>

#include <chrono>

#include "spinsc/evaluation.hpp"
#include "spinsc/network_task.hpp"
#include "spinsc/sc_network.hpp"

namespace spinsc {

namespace {

void evaluate_sc_lengths(NetworkTaskState& state) {
  RunContext& ctx = state.context;
  if (!ctx.config.get<bool>("eval.sc")) return;
  const std::vector<int> lengths = ctx.config.get<List<int>>("eval.lengths").values;
  const ScMode mode = parse_sc_mode(ctx.config.get<std::string>("eval.sc_mode"));
  const int max_samples = ctx.config.get<int>("eval.sc_samples");
  const NetworkSpec& spec = state.network.spec();
  auto stack = make_sc_stack(ctx, spec, mode, "sc_eval");
  std::vector<Activation*> activations;
  for (auto& a : stack->activations) activations.push_back(a.get());
  // The first sc_samples test images (an SC evaluation costs more than the exact one).
  const Dataset& test = state.data.test;
  Dataset subset;
  const Dataset* data = &test;
  if (max_samples > 0 && std::size_t(max_samples) < test.size()) {
    subset.name = test.name;
    subset.rows = test.rows;
    subset.cols = test.cols;
    subset.n_classes = test.n_classes;
    subset.max_value = test.max_value;
    subset.images = test.images.topRows(max_samples);
    subset.labels.assign(test.labels.begin(), test.labels.begin() + max_samples);
    data = &subset;
  }
  std::vector<double> accuracy, energy, device_energy, bits, act_latency, act_energy, act_busy, wall;
  for (int length : lengths) {
    const auto start = std::chrono::steady_clock::now();
    stack->prepare(std::size_t(length));
    ScPreactivationProvider provider(*stack->engine, activations);
    EnergyLedger ledger;
    EvaluationOptions options;
    options.mode = ForwardMode::quantized;
    options.provider = &provider;
    options.stream = ctx.random("sc_eval_streams", std::uint64_t(length));
    options.ledger = &ledger;
    const EvaluationResult result = evaluate(state.network, *data, options, state.session.pool());
    const double n = double(std::max<std::size_t>(result.n_samples, 1));
    const std::string group = fmt::format("evaluation/sc/L{}", length);
    record_evaluation(ctx.record, group, result);
    // The run's ledger gets every event of this length, layers named "L<n>/layer<l>".
    for (const auto& [key, totals] : ledger.entries()) {
      if (totals.events == 0) continue;
      const double n_events = double(totals.events);
      ctx.ledger.add({key.component, fmt::format("L{}/{}", length, key.layer), key.event}, totals.events,
                     totals.energy_J / n_events, totals.latency_s / n_events, totals.cycles / n_events);
    }
    accuracy.push_back(result.accuracy_percent());
    energy.push_back(ledger.total_energy_J() / n);
    const LedgerTotals dev = ledger.component_totals(stack->engine->settings().device_id);
    device_energy.push_back(dev.energy_J / n);
    bits.push_back(double(ledger.event_totals("bits_generated").events) / n);
    const LedgerTotals lat = ledger.event_totals("activation_latency");
    act_latency.push_back(lat.cycles / n);
    const LedgerTotals ops = ledger.event_totals("activation_ops");
    act_energy.push_back(ops.energy_J / n);
    act_busy.push_back(ops.cycles / n);
    wall.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    ctx.record.summary(fmt::format("sc_accuracy_L{}", length), result.accuracy_percent(), "%");
    ctx.record.summary(fmt::format("sc_energy_per_inference_J_L{}", length), energy.back(), "J");
    ctx.progress.message(fmt::format("SC ({}, {}, {}, {}) L = {}: accuracy {:.2f} %, {:.3g} J per inference "
                                     "(device {:.3g} J), activation latency {:.0f} cycles  [{:.1f} s]",
                                     to_string(mode), stack->engine->settings().adder_id,
                                     stack->engine->settings().activation_id,
                                     to_string(stack->engine->settings().policy), length, accuracy.back(),
                                     energy.back(), device_energy.back(), act_latency.back(), wall.back()));
  }
  std::vector<double> lengths_d(lengths.begin(), lengths.end());
  ctx.record.put("evaluation/sc/lengths", lengths_d, "bits");
  ctx.record.put("evaluation/sc/accuracy", accuracy, "%");
  ctx.record.put("evaluation/sc/energy_per_inference_J", energy, "J");
  ctx.record.put("evaluation/sc/device_energy_per_inference_J", device_energy, "J");
  ctx.record.put("evaluation/sc/bits_per_inference", bits, "1");
  ctx.record.put("evaluation/sc/activation_latency_cycles", act_latency, "cycles");
  ctx.record.put("evaluation/sc/activation_energy_per_inference_J", act_energy, "J");
  ctx.record.put("evaluation/sc/activation_busy_cycles_per_inference", act_busy, "cycles");
  ctx.record.put("evaluation/sc/wall_time_s", wall, "s");
  const ScSettings& s = stack->engine->settings();
  ctx.record.attribute("evaluation/sc", "mode", to_string(mode));
  ctx.record.attribute("evaluation/sc", "policy", to_string(s.policy));
  ctx.record.attribute("evaluation/sc", "device", s.device_id);
  ctx.record.attribute("evaluation/sc", "multiplier", s.multiplier_id);
  ctx.record.attribute("evaluation/sc", "adder", s.adder_id);
  ctx.record.attribute("evaluation/sc", "activation", s.activation_id);
  ctx.record.attribute("evaluation/sc", "samples", std::int64_t(data->size()));
}

}  // namespace

SPINSC_REGISTER_NETWORK_EVALUATION("sc", evaluate_sc_lengths)

}  // namespace spinsc
