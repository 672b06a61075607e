// [sc] and [eval] sections, the SC stack of a run, and the PreactivationProvider adapter.
#include "spinsc/sc_network.hpp"

namespace spinsc {

void declare_sc_section(OptionsBuilder& add) {
  add("multiplier", param("sc.xnor"), "multiplier plugin: sc.xnor (bipolar) or sc.and (unipolar, sign-magnitude)");
  add("adder", param("sc.parallel_counter"), "adder plugin: sc.parallel_counter, sc.apc or sc.mux_adder");
  add("activation", param("sc.lut_sigmoid"),
      "hidden activation plugin: sc.lut_sigmoid, sc.sigmoid32, sc.fsm_sigmoid or sc.fsm_tanh");
  add("encoding", param("bipolar")->choices({"bipolar", "unipolar_ei"}),
      "how streams carry values: bipolar (the multiplier's own coding: sc.xnor P(1) = (v+1)/2, sc.and "
      "sign-magnitude, one stream a weight) or unipolar_ei (excitatory/inhibitory: each weight w as two "
      "unipolar streams P(1) = max(w,0) and max(-w,0), inputs and hidden outputs P(1) = x in [0, 1], AND "
      "products into two counters a neuron, (C+ - C-)/L into the activation; needs multiplier = sc.and, "
      "adder = sc.parallel_counter, a LUT activation and non-negative activations: twice the weight bits, "
      "gates and counts of bipolar)");
  add("policy", param("bank")->choices({"fresh", "bank", "window"}),
      "how synapses get streams: fresh (own stream each inference), bank (K per level), window (offsets in one trace per level)");
  add("bank_size", param<int>(256)->range(1, 65536), "K: streams per level for policy = bank");
  add("window_trace_bits", param<int>(1 << 20)->range(64, 1 << 30), "trace length per level for policy = window");
  add("clock_period_s", param<double>(1e-9)->unit("s")->above(0.0),
      "clock period of the SC logic (prices activation cycles in seconds)");
  add("dac_energy_per_level_J", param<double>(0.0)->unit("J")->range(0.0, 1e-9),
      "energy of driving one stream's device at its level, once per stream and inference (the DAC "
      "level); 0: not priced");
  add("technology", param(""),
      "technology file pricing every SC unit and the DAC level: a name in data/technology/ "
      "(cmos45_horowitz2014) or the path of such an INI file; keys the experiment sets win (empty: none)");
}
SPINSC_REGISTER_SECTION("sc", declare_sc_section)

void declare_eval_section(OptionsBuilder& add) {
  add("sc", param<bool>(true), "evaluate the trained network with SC at every length in 'lengths'");
  add("lengths", param<List<int>>({100, 200, 300, 400, 500})->range(1, 1 << 20), "SC stream lengths L (bits)");
  add("sc_mode", param("bit")->choices({"bit", "binomial", "expected"}), "fidelity mode of the SC evaluation");
  add("sc_samples", param<int>(0)->min(0), "test images for the SC evaluation (0: all)");
  add("sc_activations", param<List<std::string>>(List<std::string>{}),
      "activation plugins to compare on the same trained network (empty: [sc] activation)");
  add("sc_policies", param<List<std::string>>(List<std::string>{}),
      "stream policies to compare on the same trained network: fresh, bank:K, window (empty: [sc] policy)");
}
SPINSC_REGISTER_SECTION("eval", declare_eval_section)

ScSettings sc_settings_from(const Params& config, ScMode mode) {
  ScSettings s;
  s.mode = mode;
  s.policy = parse_stream_policy(config.get<std::string>("sc.policy"));
  s.encoding = parse_sc_encoding(config.get<std::string>("sc.encoding"));
  s.bank_size = static_cast<std::size_t>(config.get<int>("sc.bank_size"));
  s.window_trace_bits = static_cast<std::size_t>(config.get<int>("sc.window_trace_bits"));
  s.clock_period_s = config.get<double>("sc.clock_period_s");
  s.multiplier_id = config.get<std::string>("sc.multiplier");
  s.adder_id = config.get<std::string>("sc.adder");
  s.activation_id = config.get<std::string>("sc.activation");
  s.device_id = config.get<std::string>("device.plugin");
  s.dac_energy_per_level_J = config.get<double>("sc.dac_energy_per_level_J");
  // Adders whose energy grows with the inputs they count declare energy_per_input_J.
  const std::string per_input = s.adder_id + ".energy_per_input_J";
  s.adder_energy_per_input_J = config.has(per_input) ? config.get<double>(per_input) : 0.0;
  return s;
}

LevelGrid level_grid_of(const NetworkSpec& spec) { return LevelGrid{spec.levels, spec.lower, spec.upper}; }

std::vector<ActivationSetup> activation_setups_of(const NetworkSpec& spec) {
  std::vector<ActivationSetup> setups;
  for (std::size_t l = 0; l + 2 < spec.layers.size(); ++l) {
    ActivationSetup a;
    a.function = to_string(spec.hidden);
    a.gain = spec.effective_gain(l);
    const HiddenActivation kind = spec.hidden;
    const float g = static_cast<float>(spec.effective_gain(l));
    // Exactly the network's forward pass: act(g * z) in single precision.
    a.target = [kind, g](double s) { return double(hidden_activation(kind, g * static_cast<float>(s))); };
    setups.push_back(a);
  }
  if (setups.empty()) setups.emplace_back();  // no hidden layer: unused
  return setups;
}

std::vector<ScLayerShape> provider_shapes_of(const NetworkSpec& spec) {
  // A convolution's rows are neurons of its output channels, one row per (pooled) position.
  std::vector<ScLayerShape> shapes;
  bool after_convolution = false;
  for (const WeightLayer& g : spec.weight_layers()) {
    shapes.push_back({std::size_t(g.row_synapses()) + (spec.bias ? 1 : 0), std::size_t(g.outputs), false, spec.bias,
                      g.convolution || after_convolution});
    after_convolution = g.convolution;
  }
  return shapes;
}

std::unique_ptr<ScEngine> make_sc_engine(const NetworkSpec& spec, ScSettings settings, ScUnits units, RandomStream base) {
  return std::make_unique<ScEngine>(std::move(settings), std::move(units), level_grid_of(spec),
                                    activation_setups_of(spec), base);
}

std::unique_ptr<ScStack> make_sc_stack(const RunContext& ctx, const NetworkSpec& spec, ScMode mode,
                                       const std::string& purpose) {
  return make_sc_stack(ctx, spec, sc_settings_from(ctx.config, mode), purpose);
}

std::unique_ptr<ScStack> make_sc_stack(const RunContext& ctx, const NetworkSpec& spec, const ScSettings& settings,
                                       const std::string& purpose) {
  for (const WeightLayer& g : spec.weight_layers())
    if (g.pool == PoolKind::max)
      throw ParamError("'network.layers' has max pooling, which no SC unit computes: use average pooling (poolN) "
                       "for an SC forward pass or evaluation");
  auto stack = std::make_unique<ScStack>();
  stack->device = ctx.make<BitSource>(settings.device_id);
  stack->multiplier = ctx.make<Multiplier>(settings.multiplier_id);
  stack->adder = ctx.make<Adder>(settings.adder_id);
  ScUnits units{stack->multiplier.get(), stack->adder.get(), {}, stack->device.get()};
  for (std::size_t l = 0; l + 2 < spec.layers.size(); ++l) {
    stack->activations.push_back(ctx.make<Activation>(settings.activation_id, l));
    units.activations.push_back(stack->activations.back().get());
  }
  stack->engine = make_sc_engine(spec, settings, units, ctx.random(purpose));
  stack->shapes = provider_shapes_of(spec);
  return stack;
}

ScPreactivationProvider::ScPreactivationProvider(const ScEngine& engine, const std::vector<Activation*>& activations)
    : engine_(engine) {
  for (Activation* a : activations) clocked_.push_back(a && a->needs_clocks());
}

bool ScPreactivationProvider::computes_activation(std::size_t layer) const {
  return layer < clocked_.size() && clocked_[layer];
}

void ScPreactivationProvider::compute(const PreactivationRequest& request, Matrix& out,
                                      const RandomStream& stream) const {
  const QuantizedMatrix& x = *request.inputs;
  const QuantizedMatrix& w = *request.weights;
  const std::size_t batch = static_cast<std::size_t>(x.rows()), n_in = static_cast<std::size_t>(x.cols()),
                    n_out = static_cast<std::size_t>(w.rows());
  if (request.quantizer && request.quantizer->levels() != engine_.grid().states)
    throw ParamError("SC provider: the network's quantizer and the engine's level grid differ");
  const ScLayerView view{n_in, n_out, w.levels.data(), nullptr, nullptr};
  auto ws = engine_.make_workspace();
  std::vector<double> sums(n_out);
  std::vector<std::uint8_t> levels(n_out);
  const bool activated = computes_activation(request.layer) && request.layer + 1 < request.n_layers;
  ScEvents events;
  events.layers.resize(request.n_layers);
  for (std::size_t s = 0; s < batch; ++s) {
    const std::span<const std::uint8_t> in(x.levels.data() + s * n_in, n_in);
    const std::uint64_t id = s < request.sample_ids.size() ? request.sample_ids[s] : s;
    engine_.run_layer(view, request.layer, in, stream.substream(id), sums,
                      activated ? std::span<std::uint8_t>(levels) : std::span<std::uint8_t>{}, *ws,
                      request.ledger ? &events : nullptr);
    for (std::size_t o = 0; o < n_out; ++o)
      out(Eigen::Index(s), Eigen::Index(o)) =
          static_cast<float>(activated ? engine_.grid().value(levels[o]) : sums[o]);
  }
  if (request.ledger) {
    events.inferences = batch / std::max<std::size_t>(request.rows_per_sample, 1);
    engine_.charge(events, *request.ledger);
  }
}

}  // namespace spinsc
