// ScEngine over many samples (threads over samples, deterministic), and pricing in the ledger.
#include <algorithm>
#include <thread>

#include "sc/engine_impl.hpp"
#include "spinsc/bit_source.hpp"
#include "spinsc/params.hpp"

namespace spinsc {

ScMode parse_sc_mode(const std::string& text) {
  if (text == "bit") return ScMode::bit;
  if (text == "binomial") return ScMode::binomial;
  if (text == "expected") return ScMode::expected;
  throw ParamError("unknown SC mode '" + text + "'. Valid modes are: binomial, bit, expected");
}
StreamPolicy parse_stream_policy(const std::string& text) {
  if (text == "fresh") return StreamPolicy::fresh;
  if (text == "bank") return StreamPolicy::bank;
  if (text == "window") return StreamPolicy::window;
  throw ParamError("unknown stream policy '" + text + "'. Valid policies are: bank, fresh, window");
}
ScEncoding parse_sc_encoding(const std::string& text) {
  if (text == "bipolar") return ScEncoding::bipolar;
  if (text == "unipolar_ei") return ScEncoding::unipolar_ei;
  throw ParamError("unknown SC encoding '" + text + "' ([sc] encoding). Valid encodings are: bipolar, unipolar_ei");
}
std::string to_string(ScMode mode) {
  return mode == ScMode::bit ? "bit" : mode == ScMode::binomial ? "binomial" : "expected";
}
std::string to_string(ScEncoding encoding) {
  return encoding == ScEncoding::bipolar ? "bipolar" : "unipolar_ei";
}
std::string to_string(StreamPolicy policy) {
  return policy == StreamPolicy::fresh ? "fresh" : policy == StreamPolicy::bank ? "bank" : "window";
}

void ScEvents::merge(const ScEvents& other) {
  inferences += other.inferences;
  if (layers.size() < other.layers.size()) layers.resize(other.layers.size());
  for (std::size_t l = 0; l < other.layers.size(); ++l) {
    ScLayerEvents& a = layers[l];
    const ScLayerEvents& b = other.layers[l];
    if (a.bits_per_level.size() < b.bits_per_level.size()) a.bits_per_level.resize(b.bits_per_level.size(), 0);
    for (std::size_t k = 0; k < b.bits_per_level.size(); ++k) a.bits_per_level[k] += b.bits_per_level[k];
    a.select_bits += b.select_bits;
    a.gate_ops += b.gate_ops;
    a.counter_ops += b.counter_ops;
    a.activation_ops += b.activation_ops;
  }
}

unsigned ScEngine::threads() const {
  if (settings_.threads) return settings_.threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

namespace {
// Runs body(workspace, events, begin, end) on contiguous chunks of [0, n), one chunk a thread,
// then merges the per-thread events in thread order.
template <class Body>
void over_samples(const ScEngine& engine, std::size_t n, std::size_t n_layers, ScEvents* events, Body body) {
  const unsigned n_threads = static_cast<unsigned>(std::min<std::size_t>(engine.threads(), std::max<std::size_t>(n, 1)));
  std::vector<ScEvents> partial(n_threads);
  for (auto& e : partial) e.layers.resize(n_layers);
  std::vector<std::exception_ptr> errors(n_threads);
  auto run = [&](unsigned t) {
    try {
      auto ws = engine.make_workspace();
      const std::size_t begin = n * t / n_threads, end = n * (t + 1) / n_threads;
      body(*ws, events ? &partial[t] : nullptr, begin, end);
    } catch (...) {
      errors[t] = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < n_threads; ++t) pool.emplace_back(run, t);
  run(0);
  for (auto& th : pool) th.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
  if (events) {
    if (events->layers.size() < n_layers) events->layers.resize(n_layers);
    for (const auto& p : partial) events->merge(p);
  }
}
}  // namespace

std::vector<double> ScEngine::output_sums(std::span<const ScLayerView> layers, const std::uint8_t* inputs,
                                          std::size_t n_samples, std::uint64_t first_id, ScEvents* events) const {
  const Impl& m = *impl_;
  const std::size_t n_layers = layers.size();
  if (n_layers != m.shapes.size()) throw ParamError("SC engine: the layers do not match the prepared shapes");
  for (const auto& shape : m.shapes)
    if (shape.constant_input)
      throw ParamError("SC engine: whole-network inference needs separate biases (bias_levels), not a constant input column");
  const std::size_t n_in = layers.front().n_in, n_out = layers.back().n_out;
  // Synapses per weight level of each layer, once, for the ledger.
  std::vector<std::vector<std::uint64_t>> counts(n_layers, std::vector<std::uint64_t>(m.levels, 0));
  std::vector<ScLayerView> views(layers.begin(), layers.end());
  for (std::size_t l = 0; l < n_layers; ++l) {
    const ScLayerView& v = layers[l];
    for (std::size_t i = 0; i < v.n_out * v.n_in; ++i) ++counts[l].at(v.weight_levels[i]);
    if (v.bias_levels)
      for (std::size_t i = 0; i < v.n_out; ++i) ++counts[l].at(v.bias_levels[i]);
    if (!views[l].weight_level_counts) views[l].weight_level_counts = counts[l].data();
  }
  std::vector<double> out(n_samples * n_out);
  over_samples(*this, n_samples, n_layers, events, [&](ScWorkspace& ws, ScEvents* ev, std::size_t b, std::size_t e) {
    for (std::size_t k = b; k < e; ++k) {
      std::span<const std::uint8_t> in(inputs + k * n_in, n_in);
      const RandomStream sample_rng = m.base.substream(first_id + k);
      for (std::size_t l = 0; l < n_layers; ++l) {
        const bool last = l + 1 == n_layers;
        ws.sums.resize(views[l].n_out);
        std::span<double> sums = last ? std::span<double>(out.data() + k * n_out, n_out) : std::span<double>(ws.sums);
        m.run_layer(views[l], l, in, sample_rng.derive(m.layer_purposes[l]), sums,
                    last ? std::span<std::uint8_t>{} : std::span<std::uint8_t>(ws.layer_levels[l]), ws, ev);
        in = std::span<const std::uint8_t>(ws.layer_levels[l]);
      }
      if (ev) ++ev->inferences;
    }
  });
  return out;
}

std::vector<int> ScEngine::classify(std::span<const ScLayerView> layers, const std::uint8_t* inputs,
                                    std::size_t n_samples, std::uint64_t first_id, ScEvents* events) const {
  const std::size_t n_out = layers.back().n_out;
  const std::vector<double> sums = output_sums(layers, inputs, n_samples, first_id, events);
  std::vector<int> classes(n_samples);
  for (std::size_t k = 0; k < n_samples; ++k) {
    const double* s = sums.data() + k * n_out;
    classes[k] = static_cast<int>(std::max_element(s, s + n_out) - s);
  }
  return classes;
}

void ScEngine::charge(const ScEvents& events, EnergyLedger& ledger) const {
  const Impl& m = *impl_;
  BitSource& device = *m.units.device;
  const double clock_s = settings_.clock_period_s;
  for (std::size_t l = 0; l < events.layers.size() && l < m.shapes.size(); ++l) {
    const ScLayerEvents& e = events.layers[l];
    if (e.gate_ops == 0) continue;  // layer not run
    const std::string layer = "layer" + std::to_string(l + 1);
    std::uint64_t stream_bits = 0;
    for (std::size_t k = 0; k < e.bits_per_level.size(); ++k) {
      if (!e.bits_per_level[k]) continue;
      const double p = m.stream_probability[k];
      ledger.add({settings_.device_id, layer, "bits_generated"}, e.bits_per_level[k], device.energy_per_bit_J(p),
                 device.time_per_bit_s(p));
      stream_bits += e.bits_per_level[k];
    }
    // Each stream's device is driven at its level once per inference: one DAC level a stream.
    if (stream_bits && m.n_bits)
      ledger.add({"sc.dac", layer, "dac_levels"}, stream_bits / m.n_bits, settings_.dac_energy_per_level_J);
    if (e.select_bits)
      ledger.add({settings_.device_id, layer, "select_bits_generated"}, e.select_bits, device.energy_per_bit_J(0.5),
                 device.time_per_bit_s(0.5));
    ledger.add({settings_.multiplier_id, layer, "gate_ops"}, e.gate_ops, m.units.multiplier->energy_per_op_J());
    // One count of the layer's fan-in product bits per neuron and clock.
    const double fan_in = double(m.shapes[l].n_in + (m.shapes[l].bias ? 1 : 0));
    ledger.add({settings_.adder_id, layer, "counter_ops"}, e.counter_ops,
               m.units.adder->energy_per_op_J() + fan_in * settings_.adder_energy_per_input_J);
    // The stream clocks of a layer: L per inference, at the device's bit period (streams are made
    // and consumed in step); the gates and counters are pipelined inside those clocks.
    const double bit_period_s = std::max(device.time_per_bit_s(0.5), clock_s);
    ledger.add({"sc.engine", layer, "stream_clocks"}, events.inferences * m.n_bits, 0.0, bit_period_s, 1.0);
    // The count of the last clock leaves the counter's pipeline this many logic clocks later.
    const double count_cycles = m.units.adder->latency_cycles();
    ledger.add({settings_.adder_id, layer, "counter_latency"}, events.inferences, 0.0, count_cycles * clock_s,
               count_cycles);
    if (l + 1 < m.shapes.size() && e.activation_ops) {
      const Activation& act = *m.units.activations[l];
      ledger.add({settings_.activation_id, layer, "activation_ops"}, e.activation_ops, act.energy_per_op_J(), 0.0,
                 act.cycles_per_op());
      // Neurons of a layer activate in parallel: latency of one activation per inference.
      const double cycles = act.latency_cycles();
      ledger.add({settings_.activation_id, layer, "activation_latency"}, events.inferences, 0.0, cycles * clock_s, cycles);
    }
  }
}

}  // namespace spinsc
