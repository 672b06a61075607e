// ScEngine: set-up and the three fidelity modes of one layer (see sc_engine.hpp).
#include <algorithm>
#include <bit>
#include <cmath>
#include <map>
#include <random>

#include "sc/bit_kernels.hpp"
#include "sc/engine_impl.hpp"
#include "spinsc/bit_source.hpp"
#include "spinsc/params.hpp"

namespace spinsc {

ScEngine::ScEngine(ScSettings settings, ScUnits units, LevelGrid grid, std::vector<ActivationSetup> hidden,
                   RandomStream base)
    : settings_(std::move(settings)), grid_(grid), impl_(std::make_unique<Impl>()) {
  if (!units.multiplier || !units.adder || !units.device)
    throw ParamError("SC engine needs a multiplier, an adder and a device");
  if (grid.states < 2 || grid.states > 255) throw ParamError("SC engine: number of states must be in [2, 255]");
  Impl& m = *impl_;
  m.units = std::move(units);
  m.hidden_setups = std::move(hidden);
  m.base = base;
  m.coding = m.units.multiplier->coding();
  m.mode = settings_.mode;
  m.kernels = &sc_kernels();  // here, so that a bad SPINSC_SC_KERNEL fails before any work
  m.levels = grid.states;
  for (int k = 0; k < m.levels; ++k) {
    const double v = grid.value(k);
    m.level_probability.push_back(m.coding == Coding::bipolar ? (v + 1.0) / 2.0 : std::abs(v));
    if (std::abs(v - 1.0) < 1e-12) m.one_level = k;
  }
  m.unipolar_ei = settings_.encoding == ScEncoding::unipolar_ei;
  if (m.unipolar_ei)
    m.set_up_unipolar_ei(grid, settings_);
  else
    m.stream_probability = m.level_probability;
  // Product classes: synapses whose product streams have equal P(1) and sign are exchangeable.
  std::map<std::pair<long long, int>, std::uint16_t> classes;
  const std::size_t q = m.levels;
  m.product_value.resize(q * q);
  m.product_sign.resize(q * q);
  m.product_class.resize(q * q);
  for (std::size_t a = 0; a < q; ++a)
    for (std::size_t b = 0; b < q; ++b) {
      const double va = grid.value(int(a)), vb = grid.value(int(b));
      const double p = m.units.multiplier->product_probability(m.level_probability[a], m.level_probability[b]);
      const int sign = m.coding == Coding::bipolar ? 1 : (va * vb < 0 ? -1 : 1);
      m.product_value[a * q + b] = va * vb;
      m.product_sign[a * q + b] = static_cast<std::int8_t>(sign);
      const auto key = std::make_pair(std::llround(p * 1e12), sign);
      auto [it, added] = classes.emplace(key, static_cast<std::uint16_t>(classes.size()));
      if (added) m.class_probability.push_back(p);
      m.product_class[a * q + b] = it->second;
    }
  // Binomial mode: the gate's product probability is bilinear in the input's P(1), so its values
  // at P(1) = 1 and 0 give the product's law given each input bit.
  for (std::size_t b = 0; b < q; ++b) {
    m.product_given_one.push_back(m.units.multiplier->product_probability(1.0, m.level_probability[b]));
    m.product_given_zero.push_back(m.units.multiplier->product_probability(0.0, m.level_probability[b]));
  }
  for (std::size_t a = 0; a < q; ++a)
    m.input_sign_slot.push_back(m.coding == Coding::bipolar || grid.value(int(a)) >= 0.0 ? 0 : 1);
  m.pool_sign.assign(2 * q, 1);  // the sign of x * w (a zero input or weight has no ones to sign)
  if (m.coding != Coding::bipolar)
    for (std::size_t slot = 0; slot < 2; ++slot)
      for (std::size_t b = 0; b < q; ++b) m.pool_sign[slot * q + b] = (slot == 1) != (grid.value(int(b)) < 0.0) ? -1 : 1;
}

ScEngine::~ScEngine() = default;

const ScBitKernels& ScEngine::kernels() const { return *impl_->kernels; }
const std::vector<double>& ScEngine::stream_probabilities() const { return impl_->stream_probability; }
void ScEngine::use_kernels(const ScBitKernels& kernels) { impl_->kernels = &kernels; }

void ScEngine::prepare(std::span<const ScLayerShape> shapes, std::size_t n_bits) {
  Impl& m = *impl_;
  if (shapes.empty()) throw ParamError("SC engine: no layers");
  if (m.units.activations.size() + 1 < shapes.size())
    throw ParamError("SC engine: one activation unit per hidden layer is needed");
  if (shapes.size() > 1 && m.hidden_setups.size() != 1 && m.hidden_setups.size() + 1 < shapes.size())
    throw ParamError("SC engine: one activation set-up per hidden layer (or one for all) is needed");
  if (n_bits == 0) throw ParamError("SC engine: the stream length must be at least 1 bit");
  m.shapes.assign(shapes.begin(), shapes.end());
  m.layer_purposes.clear();
  m.layer_device_base.clear();
  m.max_fan_in = 0;
  std::uint64_t device_base = 0;
  for (std::size_t l = 0; l < shapes.size(); ++l) {
    const ScLayerShape& v = shapes[l];
    if (l > 0 && !v.spatial && !shapes[l - 1].spatial && v.n_in - (v.constant_input ? 1 : 0) != shapes[l - 1].n_out)
      throw ParamError(fmt::format("SC engine: layer {} has {} inputs but layer {} has {} outputs", l + 1, v.n_in, l,
                                   shapes[l - 1].n_out));
    if (v.bias && m.one_level < 0)
      throw ParamError("SC engine: a bias needs the value +1 on the level grid (its input stream)");
    m.layer_purposes.push_back("sc_layer" + std::to_string(l + 1));
    m.layer_device_base.push_back(device_base);
    const std::size_t fan = v.n_in + (v.bias ? 1 : 0);
    device_base += v.n_in + v.n_out * fan * (m.unipolar_ei ? 2 : 1);  // unipolar_ei: two streams a weight
    m.max_fan_in = std::max(m.max_fan_in, fan);
  }
  if (m.unipolar_ei) m.check_unipolar_ei_layers(settings_);
  const bool exact = m.units.adder->is_exact_counter();
  if (m.coding == Coding::unipolar_signed && !exact)
    throw ParamError("SC engine: the unipolar multiplier (sc.and) works with sc.parallel_counter only");
  settings_.n_bits = n_bits;
  m.n_bits = n_bits;
  m.words = words_for_bits(n_bits);
  for (std::size_t l = 0; l + 1 < shapes.size(); ++l) {
    Activation* act = m.units.activations.at(l);
    if (!act) throw ParamError("SC engine: missing activation unit for hidden layer " + std::to_string(l + 1));
    if (m.coding == Coding::unipolar_signed && act->needs_clocks())
      throw ParamError("SC engine: FSM activations need the bipolar multiplier (sc.xnor)");
    if (settings_.mode == ScMode::binomial && (act->needs_clocks() || !exact))
      throw ParamError("SC engine: mode 'binomial' needs sc.parallel_counter and a LUT activation "
                       "(an APC, MUX or FSM depends on the clock-by-clock bits; use mode 'bit')");
    ActivationSetup setup = m.hidden_setups.size() == 1 ? m.hidden_setups[0] : m.hidden_setups[l];
    setup.output_grid = grid_;
    setup.fan_in = shapes[l].n_in + (shapes[l].bias ? 1 : 0);
    setup.n_bits = n_bits;
    setup.clock = m.units.adder->clock_stream(setup.fan_in);
    act->setup(setup);
  }
  m.supply.reset();
  m.bank_of_level.clear();
  if (settings_.mode == ScMode::bit) {
    m.supply = std::make_unique<sc::StreamSupply>(settings_, *m.units.device, m.stream_probability, m.base);
    if (settings_.policy == StreamPolicy::bank)
      for (std::size_t k = 0; k < m.stream_probability.size(); ++k)
        m.bank_of_level.push_back(m.supply->bank(sc::StreamRole::weight, static_cast<int>(k)));
  }
}

BankStatistics ScEngine::bank_statistics() const {
  const Impl& m = *impl_;
  BankStatistics s;
  if (!m.supply || m.supply->policy() != StreamPolicy::bank) return s;
  s.level_probability = m.stream_probability;
  const std::size_t k_entries = m.supply->bank_size(), words = m.supply->words();
  const int stream_levels = static_cast<int>(m.stream_probability.size());
  for (int role = 0; role < 2; ++role) {
    for (int level = 0; level < stream_levels; ++level) {
      const std::uint64_t* bank = m.supply->bank(static_cast<sc::StreamRole>(role), level);
      double sum = 0.0, sum2 = 0.0;
      for (std::size_t b = 0; b < k_entries; ++b) {
        std::uint64_t ones = 0;
        for (std::size_t w = 0; w < words; ++w) ones += static_cast<std::uint64_t>(std::popcount(bank[b * words + w]));
        const double p1 = double(ones) / double(m.n_bits);
        sum += p1, sum2 += p1 * p1;
      }
      const double n = double(k_entries), mean = sum / n;
      s.p1_mean[role].push_back(mean);
      s.p1_sd[role].push_back(k_entries > 1 ? std::sqrt(std::max(0.0, (sum2 - n * mean * mean) / (n - 1.0))) : 0.0);
    }
  }
  return s;
}

void ScWorkspaceDeleter::operator()(ScWorkspace* ws) const { delete ws; }

ScWorkspacePtr ScEngine::make_workspace() const {
  const Impl& m = *impl_;
  ScWorkspacePtr ws(new ScWorkspace());
  const std::size_t stream_words = m.max_fan_in * m.words;
  ws->x_streams.assign(stream_words, 0);
  ws->w_streams.assign(stream_words, 0);
  if (m.unipolar_ei) {
    ws->w_minus_streams.assign(stream_words, 0);
    ws->ei_levels.assign(2 * m.max_fan_in, 0);
  }
  ws->products.assign(stream_words, 0);
  ws->units.assign(m.n_bits, 0);
  ws->indices.assign(m.max_fan_in, 0);
  ws->row_levels.assign(m.max_fan_in, 0);
  ws->in_levels.assign(m.max_fan_in, 0);
  ws->input_ones.assign(m.max_fan_in, 0);
  const std::size_t pools = 2 * std::max<std::size_t>(m.levels, m.stream_probability.size());
  ws->pool_ones.assign(pools, 0);
  ws->pool_zeros.assign(pools, 0);
  ws->probabilities.assign(m.max_fan_in, 0.0);
  for (const auto& v : m.shapes) ws->layer_levels.emplace_back(v.n_out, 0);
  return ws;
}

void ScEngine::run_layer(const ScLayerView& view, std::size_t layer, std::span<const std::uint8_t> in_levels,
                         const RandomStream& stream, std::span<double> sums, std::span<std::uint8_t> levels_out,
                         ScWorkspace& ws, ScEvents* events) const {
  impl_->run_layer(view, layer, in_levels, stream, sums, levels_out, ws, events);
}

void ScEngine::Impl::run_layer(const ScLayerView& view, std::size_t layer, std::span<const std::uint8_t> in,
                               const RandomStream& layer_rng, std::span<double> sums,
                               std::span<std::uint8_t> levels_out, ScWorkspace& ws, ScEvents* events) const {
  if (layer >= shapes.size() || view.n_in != shapes[layer].n_in || view.n_out != shapes[layer].n_out ||
      bool(view.bias_levels) != shapes[layer].bias)
    throw ParamError("SC engine: layer " + std::to_string(layer + 1) + " does not have the prepared shape");
  if (in.size() != view.n_in || sums.size() != view.n_out)
    throw ParamError("SC engine: wrong input or output size for layer " + std::to_string(layer + 1));
  if (unipolar_ei) check_unipolar_ei_inputs(layer, in);
  std::copy(in.begin(), in.end(), ws.in_levels.begin());
  if (view.bias_levels) ws.in_levels[view.n_in] = static_cast<std::uint8_t>(one_level);
  const bool want_levels = hidden(layer) && !levels_out.empty();
  std::uint64_t select_bits = 0;
  const std::span<std::uint8_t> out_levels = want_levels ? levels_out : std::span<std::uint8_t>{};
  if (unipolar_ei) {
    if (mode == ScMode::bit) {
      layer_bits_ei(view, layer, layer_rng, sums, out_levels, ws);
    } else if (mode == ScMode::binomial) {
      RandomStream rng = layer_rng.derive("sc_binomial");
      layer_binomial_ei(view, layer, rng, sums, out_levels, ws);
    } else {
      layer_expected_ei(view, layer, sums, out_levels, ws);
    }
  } else if (mode == ScMode::bit) {
    select_bits = layer_bits(view, layer, layer_rng, sums, out_levels, ws);
  } else if (mode == ScMode::binomial) {
    RandomStream rng = layer_rng.derive("sc_binomial");
    layer_binomial(view, layer, rng, sums, out_levels, ws);
  } else {
    layer_expected(view, layer, sums, out_levels, ws);
  }
  if (events && unipolar_ei) {
    add_events_ei(view, layer, in, events->layers.at(layer));
  } else if (events) {
    ScLayerEvents& e = events->layers.at(layer);
    if (e.bits_per_level.empty()) e.bits_per_level.assign(levels, 0);
    for (std::size_t j = 0; j < view.n_in; ++j) e.bits_per_level[in[j]] += n_bits;
    if (view.weight_level_counts) {
      for (int k = 0; k < levels; ++k) e.bits_per_level[k] += view.weight_level_counts[k] * n_bits;
    } else {
      for (std::size_t i = 0; i < view.n_out * view.n_in; ++i) e.bits_per_level[view.weight_levels[i]] += n_bits;
      if (view.bias_levels)
        for (std::size_t i = 0; i < view.n_out; ++i) e.bits_per_level[view.bias_levels[i]] += n_bits;
    }
    e.select_bits += select_bits;
    e.gate_ops += view.n_out * fan_in(view) * n_bits;
    e.counter_ops += view.n_out * n_bits;
    if (hidden(layer)) e.activation_ops += view.n_out * units.activations[layer]->ops_per_activation(n_bits);
  }
}

}  // namespace spinsc
