// train.qat_sc: the paper's method 2 (arXiv 2504.06414, sec. IV): the forward pass with SC and
// quantization, the backward pass with the float weights through the straight-through estimator.
// Every layer sum of the training forward pass comes from the SC engine (through the network's
// PreactivationProvider hook) with the experiment's device and [sc] units, at stream length
// `length`; the gradient flows through the exact quantized pre-activation (STE), as in the paper.
// Mode `binomial` (default) is exact in distribution for fresh streams from an ideal device (input
// streams shared by a layer's neurons, independent weight streams); `gaussian` is its normal
// approximation (same shared inputs), from one matrix
// product per layer (about 10x faster, for the paper's XNOR / exact counter / LUT units; see
// sc_gaussian_provider.cpp); `bit` runs the real device streams under the [sc] policy.
// In gaussian mode the sums use the values the device delivers at each level (device_levels):
// the s-MTJ cannot reach P(1) = 0 or 1 within its bias range, and the bit-mode inference computes
// with what it delivers. The measurement costs 64 x 4096 bits per level (instant for the telegraph;
// minutes for device.smtj_llg: set device_levels = false there).
// Optionally float and/or QAT epochs without SC first (warm starts).
//
// Example experiment block:
//   [train]
//   strategy = train.qat_sc
//   epochs = 10
//   [train.qat_sc]
//   length = 100
//   mode = binomial
#include <fmt/format.h>

#include <memory>
#include <string>

#include "spinsc/plugin.hpp"
#include "spinsc/quantizer.hpp"
#include "spinsc/sc_network.hpp"
#include "spinsc/training_strategy.hpp"

namespace {

class TrainQatSc final : public spinsc::TrainingStrategy {
 public:
  static void declare(spinsc::OptionsBuilder& add) {
    add("length", spinsc::param<int>(100)->range(1, 1 << 20), "SC stream length L of the training forward pass (bits)");
    add("mode", spinsc::param("binomial")->choices({"bit", "binomial", "gaussian", "expected"}),
        "SC fidelity mode of the training forward pass");
    add("device_levels", spinsc::param<bool>(true),
        "mode gaussian: sum the values the device delivers at each level (measured once from 64 streams x 4096 "
        "bits per level) instead of the ideal grid; false: the ideal grid");
    add("float_warmup_epochs", spinsc::param<int>(0)->min(0), "float epochs first");
    add("qat_warmup_epochs", spinsc::param<int>(0)->min(0), "quantization-aware epochs without SC next");
  }
  // What the training reads besides [train.qat_sc] (its run identity, run_identity.hpp): the [sc]
  // units always; the device only when the forward pass uses what it delivers (its bits in mode
  // bit, its measured levels in mode gaussian with device_levels). In modes binomial and expected
  // the sums come from the ideal level probabilities: a device sweep then shares one training.
  static std::vector<std::string> reads(const spinsc::Params& p) {
    const std::string mode = p.get<std::string>("mode");
    if (mode == "bit" || (mode == "gaussian" && p.get<bool>("device_levels"))) return {"sc", "device"};
    return {"sc"};
  }
  TrainQatSc(const spinsc::Params& p, const spinsc::ComponentContext&)
      : length_(p.get<int>("length")), mode_name_(p.get<std::string>("mode")),
        device_levels_(p.get<bool>("device_levels")),
        float_warmup_(p.get<int>("float_warmup_epochs")),
        qat_warmup_(p.get<int>("qat_warmup_epochs")) {}

  void train(spinsc::TrainingSession& session) override {
    spinsc::RunContext* ctx = session.context();
    if (!ctx) throw spinsc::ParamError("train.qat_sc needs a run context (device and [sc] units)");
    if (float_warmup_ > 0) {
      spinsc::TrainingPlan warmup{"float_warmup", spinsc::ForwardMode::float_precision, nullptr, float_warmup_};
      session.run(warmup);
    }
    if (qat_warmup_ > 0) {
      spinsc::TrainingPlan warmup{"qat_warmup", spinsc::ForwardMode::quantized, nullptr, qat_warmup_};
      session.run(warmup);
    }
    const spinsc::NetworkSpec& spec = session.network().spec();
    const bool gaussian = mode_name_ == "gaussian";
    auto stack = spinsc::make_sc_stack(*ctx, spec, gaussian ? spinsc::ScMode::binomial : spinsc::parse_sc_mode(mode_name_),
                                       "sc_train");
    std::vector<spinsc::Activation*> activations;
    for (auto& a : stack->activations) activations.push_back(a.get());
    std::unique_ptr<spinsc::PreactivationProvider> provider;
    if (gaussian) {
      const spinsc::Params& c = ctx->config;
      spinsc::ScGaussianPreactivation::require_units(
          *stack->multiplier, *stack->adder, activations,
          c.get<std::string>("sc.multiplier") + ", " + c.get<std::string>("sc.adder") + ", " +
              c.get<std::string>("sc.activation"));
      std::vector<double> level_values;
      if (device_levels_) {
        const spinsc::Quantizer quantizer(spec.levels, spec.lower, spec.upper);
        level_values = spinsc::delivered_level_values(*stack->device, quantizer, 64, 4096,
                                                      ctx->random("sc_train_device_levels"));
        std::string text;
        for (double v : level_values) text += fmt::format("{}{:.4f}", text.empty() ? "" : ", ", v);
        ctx->progress.message("train.qat_sc: the device delivers the levels as " + text);
      }
      provider = std::make_unique<spinsc::ScGaussianPreactivation>(static_cast<std::size_t>(length_),
                                                                   std::move(level_values));
    } else {
      stack->prepare(static_cast<std::size_t>(length_));
      provider = std::make_unique<spinsc::ScPreactivationProvider>(*stack->engine, activations);
    }
    spinsc::TrainingPlan plan{"qat_sc", spinsc::ForwardMode::quantized, provider.get(), -1};
    ctx->progress.message("train.qat_sc: forward passes with SC, L = " + std::to_string(length_) + " bits, mode " +
                          mode_name_);
    session.run(plan);
  }
  spinsc::ForwardMode target_mode() const override { return spinsc::ForwardMode::quantized; }

 private:
  int length_;
  std::string mode_name_;
  bool device_levels_;
  int float_warmup_, qat_warmup_;
};

}  // namespace

SPINSC_PLUGIN(TrainQatSc, "train", "qat_sc", "1.0.0", "QAT with SC in the forward pass, STE backward (method 2)")
SPINSC_PLUGIN_READS(TrainQatSc)
