#pragma once
// Training strategies (plugins of kind "train") and the training machinery they share.
//
// The framework owns the loop (shuffling, batching, threads, loss, optimizer, learning-rate
// schedule, per-epoch metrics); a strategy only says what kind of forward pass to train with:
//   train.float   float forward pass (the baseline)
//   train.qat     quantized forward pass, straight-through backward (the paper's method 1)
//   train.qat_sc  quantized forward pass whose layer sums come from the SC engine, through a
//                 PreactivationProvider (the paper's method 2)
// A strategy's train() builds a TrainingPlan and calls session.run(plan), possibly several
// times (e.g. float warm-up, then QAT).
//
// The [train] section (declared here) holds what every strategy shares:
//   [train]
//   strategy = train.qat
//   epochs = 20
//   batch_size = 64
//   optimizer = adam          # sgd | adam
//   learning_rate = 0.003
//   lr_decay = 0.9            # lambda: eta <- lambda * eta after every epoch
//   loss = mse                # mse (eq. 4) | cross_entropy
//   init = gaussian_clipped   # W ~ N(0, init_std) clipped to [-1, 1] (the paper) | ...
//   augment_shift_px = 0      # shift training images by up to n pixels at random (float baseline: 1)
#include <boost/config.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "spinsc/component.hpp"
#include "spinsc/dataset.hpp"
#include "spinsc/mlp.hpp"
#include "spinsc/run_context.hpp"
#include "spinsc/worker_pool.hpp"

namespace spinsc {

// The member initializers mirror the defaults declared in declare_train_section() (the source of
// truth for experiment files) for code that builds options directly (tests, benchmarks);
// tests/framework/network/test_defaults.cpp fails if the two drift apart.
struct TrainingOptions {
  int epochs = 10;
  int batch_size = 64;
  std::string optimizer = "adam";  // sgd | adam
  double learning_rate = 3e-3;
  double lr_decay = 0.9;           // per epoch
  double momentum = 0.0;           // sgd
  double dropout = 0.0;            // hidden-output dropout in float-mode plans only
  double weight_decay = 0.0;       // decoupled (AdamW-style): w <- w − lr · weight_decay · w per step
  int augment_shift_px = 0;        // random shifts of the training images, up to ± this many pixels
  double adam_beta1 = 0.9, adam_beta2 = 0.999, adam_epsilon = 1e-8;
  std::string loss = "mse";        // mse | cross_entropy
  std::string init = "gaussian_clipped";  // gaussian_clipped | uniform | xavier_uniform | xavier_normal | he_normal
  double init_std = 0.3;           // gaussian_clipped: standard deviation; uniform: half-width
  bool paper_backprop = false;     // eqs. 6-7 variant (see Mlp::backward)
  bool shuffle = true;
  int threads = 0;                 // 0: all hardware threads
  static TrainingOptions from_params(const Params& train_section);
};

// Declares the keys of [train] (registered as a framework section).
void declare_train_section(OptionsBuilder& add);

// Initializes every weight layer from `stream` (layer l uses stream.derive("layer<l>")).
void initialize_weights(Mlp& network, const TrainingOptions& options, const RandomStream& stream);

struct TrainingPlan {
  std::string label = "train";     // for progress lines
  ForwardMode mode = ForwardMode::quantized;
  const PreactivationProvider* provider = nullptr;  // quantized mode: nullptr = exact product
  int epochs = -1;                 // -1: options.epochs
};

struct EpochMetrics {
  int epoch = 0;                   // counted over the whole session, from 1
  std::string plan;                // the plan's label
  double loss = 0;                 // mean training loss over the epoch (as trained)
  double train_accuracy = 0;       // % correct during the epoch's forward passes
  double test_accuracy = 0;        // % on the test set after the epoch (plan's mode, exact sums)
  double learning_rate = 0;
  double seconds = 0;              // wall time of the epoch's training part
};

// Where a session runs: seed and stream key (the training identity's, see run_identity.hpp) for
// its random streams, and optional run context (absent in unit tests) for progress and plugins.
struct TrainingEnvironment {
  std::uint64_t seed = 0;
  std::uint64_t stream_key = 0;
  RunContext* context = nullptr;
};

class BOOST_SYMBOL_VISIBLE TrainingSession {
 public:
  TrainingSession(Mlp& network, const Dataset& train, const Dataset& test, TrainingOptions options,
                  TrainingEnvironment environment);
  ~TrainingSession();

  Mlp& network() { return network_; }
  const Dataset& train_set() const { return train_; }
  const Dataset& test_set() const { return test_; }
  const TrainingOptions& options() const { return options_; }
  const TrainingEnvironment& environment() const { return environment_; }
  RunContext* context() const { return environment_.context; }
  WorkerPool& pool() { return *pool_; }

  // Trains for plan.epochs (or options.epochs) epochs; weights keep going from where they are
  // (the session initialized them). Appends to history().
  void run(const TrainingPlan& plan);
  const std::vector<EpochMetrics>& history() const { return history_; }
  // training/loss, training/train_accuracy, training/test_accuracy, training/learning_rate,
  // training/epoch_time_s (one entry per epoch) into `record`.
  void write_history(RunRecord& record) const;

 private:
  struct State;
  Mlp& network_;
  const Dataset& train_;
  const Dataset& test_;
  TrainingOptions options_;
  TrainingEnvironment environment_;
  std::unique_ptr<WorkerPool> pool_;
  std::unique_ptr<State> state_;
  std::vector<EpochMetrics> history_;
};

class BOOST_SYMBOL_VISIBLE TrainingStrategy : public Component {
 public:
  ~TrainingStrategy() override;
  virtual void train(TrainingSession& session) = 0;
  // The forward pass the strategy trains for (what the task reports as the trained accuracy).
  virtual ForwardMode target_mode() const = 0;
};

}  // namespace spinsc
