// train.float: the float baseline. Float forward pass (x / max(X), float weights and
// activations), exact gradients; the trained network is then also evaluated quantized.
// The loop, loss, optimizer and schedule are the framework's (TrainingSession, [train]).
//
// Example experiment block:
//   [train]
//   strategy = train.float
//   epochs = 30
#include "spinsc/plugin.hpp"
#include "spinsc/training_strategy.hpp"

namespace {

class TrainFloat final : public spinsc::TrainingStrategy {
 public:
  static void declare(spinsc::OptionsBuilder&) {}  // everything it needs is in [train]
  TrainFloat(const spinsc::Params&, const spinsc::ComponentContext&) {}

  void train(spinsc::TrainingSession& session) override {
    spinsc::TrainingPlan plan;
    plan.label = "float";
    plan.mode = spinsc::ForwardMode::float_precision;
    session.run(plan);
  }
  spinsc::ForwardMode target_mode() const override { return spinsc::ForwardMode::float_precision; }
};

}  // namespace

SPINSC_PLUGIN(TrainFloat, "train", "float", "1.0.0", "float training (the baseline)")
