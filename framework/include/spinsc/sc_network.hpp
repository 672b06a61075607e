#pragma once
// The SC engine wired to a run and to the quantized network:
//  - [sc] section: which multiplier, adder and activation plugins, stream policy, bank size, ...
//  - ScStack: device + units + engine for a NetworkSpec, made from a RunContext
//  - ScPreactivationProvider: the engine behind the network's PreactivationProvider hook, used by
//    train.qat_sc (the paper's method 2) and by the SC evaluation of the `network` task
//    ([eval] lengths = 100,200,300,400,500; registered as a network evaluation).
//
// Example experiment block:
//   [sc]
//   multiplier = sc.xnor
//   adder = sc.parallel_counter
//   activation = sc.lut_sigmoid
//   policy = bank
//   bank_size = 256
//   [eval]
//   lengths = 100,200,300,400,500
//   sc_mode = bit
//   sc_activations = sc.lut_sigmoid,sc.fsm_sigmoid     # optional: compare on one trained network
//   sc_policies = fresh,bank:1,bank:256,window         # optional
#include <memory>
#include <string>
#include <vector>

#include "spinsc/bit_source.hpp"
#include "spinsc/mlp.hpp"
#include "spinsc/preactivation_provider.hpp"
#include "spinsc/run_context.hpp"
#include "spinsc/sc_engine.hpp"

namespace spinsc {

void declare_sc_section(OptionsBuilder& add);
void declare_eval_section(OptionsBuilder& add);

// [sc] (and [device] plugin) of a run's configuration (root Params), with the mode given.
ScSettings sc_settings_from(const Params& config, ScMode mode);

// The level grid and hidden activations of a network, as the engine needs them.
LevelGrid level_grid_of(const NetworkSpec& spec);
std::vector<ActivationSetup> activation_setups_of(const NetworkSpec& spec);
// Layer shapes as the provider sees them: the bias is an ordinary input column (constant +1).
std::vector<ScLayerShape> provider_shapes_of(const NetworkSpec& spec);

// Device, units and engine for one network; the units live as long as the stack.
struct ScStack {
  std::unique_ptr<BitSource> device;
  std::unique_ptr<Multiplier> multiplier;
  std::unique_ptr<Adder> adder;
  std::vector<std::unique_ptr<Activation>> activations;  // one per hidden layer
  std::unique_ptr<ScEngine> engine;
  std::vector<ScLayerShape> shapes;
  void prepare(std::size_t n_bits) { engine->prepare(shapes, n_bits); }
};
// `purpose` keys the engine's random streams (e.g. "sc_train", "sc_eval").
std::unique_ptr<ScStack> make_sc_stack(const RunContext& ctx, const NetworkSpec& spec, ScMode mode,
                                       const std::string& purpose);
std::unique_ptr<ScStack> make_sc_stack(const RunContext& ctx, const NetworkSpec& spec, const ScSettings& settings,
                                       const std::string& purpose);
// The same from explicit units (tests, benchmarks); not owned, must outlive the engine.
std::unique_ptr<ScEngine> make_sc_engine(const NetworkSpec& spec, ScSettings settings, ScUnits units,
                                         RandomStream base);

// The SC engine behind the network's hook. For each sample s of a chunk it runs the layer with
// stream.substream(sample_ids[s]). Hidden layers with an FSM activation write activated values.
class BOOST_SYMBOL_VISIBLE ScPreactivationProvider final : public PreactivationProvider {
 public:
  // `engine` must be prepared with provider_shapes_of(spec) and outlive the provider.
  explicit ScPreactivationProvider(const ScEngine& engine, const std::vector<Activation*>& activations);
  void compute(const PreactivationRequest& request, Matrix& out, const RandomStream& stream) const override;
  bool computes_activation(std::size_t layer) const override;

 private:
  const ScEngine& engine_;
  std::vector<bool> clocked_;  // per hidden layer: FSM activation
};

// The normal approximation of the exact-counter XNOR layer sum at stream length L: mean Σ x·w,
// variance (n − Σ (x·w)²)/L, each input stream's error shared by the layer's neurons, rounded to
// the counter's grid. One GEMM per layer and batch: the fast SC forward pass for training
// (train.qat_sc mode = gaussian). See sc_gaussian_provider.cpp.
//
// With `level_values` (bipolar value per level index, e.g. from delivered_level_values) the sums
// use the values the device actually delivers at each level instead of the ideal grid: a device
// whose bias range cannot reach P(1) = 0 or 1 (the s-MTJ's 1.8 % / 98.2 % at ±1 V) carries ±1 as
// ±0.964, and the network is then trained on what the hardware computes.
class BOOST_SYMBOL_VISIBLE ScGaussianPreactivation final : public PreactivationProvider {
 public:
  explicit ScGaussianPreactivation(std::size_t n_bits, std::vector<double> level_values = {});
  // Throws ParamError (naming `ids`) unless the units are XNOR, an exact counter and LUT activations.
  static void require_units(const Multiplier& multiplier, const Adder& adder,
                            const std::vector<Activation*>& activations, const std::string& ids);
  void compute(const PreactivationRequest& request, Matrix& out, const RandomStream& stream) const override;

 private:
  std::size_t n_bits_;
  std::vector<double> level_values_;  // empty: the ideal grid (the matrices' values)
};

// The bipolar value 2·p̂ − 1 the device delivers at each level of `quantizer`, p̂ the fraction of
// ones in n_devices streams of n_bits (device indices 0 .. n_devices − 1, so device-to-device
// variation is averaged as in a bank). The measurement's standard error is
// sqrt(p(1 − p) / (n_devices · n_bits)) per level.
std::vector<double> delivered_level_values(BitSource& device, const Quantizer& quantizer, std::size_t n_devices,
                                           std::size_t n_bits, const RandomStream& stream);

}  // namespace spinsc
