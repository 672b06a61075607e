// train.qat: quantization-aware training without SC, the paper's method 1 (arXiv 2504.06414,
// section III and its algorithm). Every forward pass quantizes inputs, weights and hidden
// outputs with eqs. (1)-(3) on Q states; the backward pass uses the straight-through estimator
// and updates the float weights, which are clipped to [-1, 1].
// Optionally a few float epochs first (float_warmup_epochs), which starts QAT from a good
// float solution instead of from the random initialization.
//
// Example experiment block:
//   [train]
//   strategy = train.qat
//   epochs = 30
//   [train.qat]
//   float_warmup_epochs = 0
#include "spinsc/plugin.hpp"
#include "spinsc/training_strategy.hpp"

namespace {

class TrainQat final : public spinsc::TrainingStrategy {
 public:
  static void declare(spinsc::OptionsBuilder& add) {
    add("float_warmup_epochs", spinsc::param<int>(0)->min(0),
        "float epochs before the quantization-aware epochs ([train] epochs counts only the QAT ones)");
  }
  TrainQat(const spinsc::Params& params, const spinsc::ComponentContext&)
      : float_warmup_epochs_(params.get<int>("float_warmup_epochs")) {}

  void train(spinsc::TrainingSession& session) override {
    if (float_warmup_epochs_ > 0) {
      spinsc::TrainingPlan warmup;
      warmup.label = "float_warmup";
      warmup.mode = spinsc::ForwardMode::float_precision;
      warmup.epochs = float_warmup_epochs_;
      session.run(warmup);
    }
    spinsc::TrainingPlan plan;
    plan.label = "qat";
    plan.mode = spinsc::ForwardMode::quantized;
    session.run(plan);
  }
  spinsc::ForwardMode target_mode() const override { return spinsc::ForwardMode::quantized; }

 private:
  int float_warmup_epochs_;
};

}  // namespace

SPINSC_PLUGIN(TrainQat, "train", "qat", "1.0.0", "quantization-aware training without SC (method 1)")
