// The [train] section (keys shared by every training strategy) and weight initialization.
#include <cmath>

#include <fmt/format.h>

#include "spinsc/training_strategy.hpp"

namespace spinsc {

TrainingStrategy::~TrainingStrategy() = default;

void declare_train_section(OptionsBuilder& add) {
  add("strategy", param("train.qat"), "training strategy plugin: train.float, train.qat, train.qat_sc, ...");
  add("epochs", param<int>(10)->min(0), "training epochs");
  add("batch_size", param<int>(64)->min(1), "samples per weight update");
  add("optimizer", param("adam")->choices({"sgd", "adam"}), "sgd (with optional momentum) or adam");
  add("learning_rate", param<double>(3e-3)->above(0.0), "initial learning rate eta");
  add("lr_decay", param<double>(0.9)->range(0.0, 1.0),
      "lambda of the paper: eta <- lambda * eta after every epoch (1: constant)");
  add("momentum", param<double>(0.0)->range(0.0, 0.999), "sgd momentum");
  add("weight_decay", param<double>(0.0)->min(0.0),
      "decoupled weight decay: every step w <- w - learning_rate * weight_decay * w (AdamW for adam)");
  add("dropout", param<double>(0.0)->range(0.0, 0.9),
      "probability of dropping a hidden output during float training passes (train.float, the float "
      "warm-up of train.qat); quantized passes never drop");
  add("augment_shift_px", param<int>(0)->range(0, 4),
      "data augmentation: every training image of every epoch is shifted by dx, dy drawn uniformly from "
      "{-n, ..., n} pixels (zeros moved in); 0: off. Whole pixels: a shifted image has the same levels");
  add("adam_beta1", param<double>(0.9)->range(0.0, 0.9999), "adam: decay of the first moment");
  add("adam_beta2", param<double>(0.999)->range(0.0, 0.999999), "adam: decay of the second moment");
  add("adam_epsilon", param<double>(1e-8)->above(0.0), "adam: denominator guard");
  add("loss", param("mse")->choices({"mse", "cross_entropy"}),
      "mse: C = 1/2 sum (y - d)^2 (the paper's eq. 4); cross_entropy: softmax or, with a sigmoid output, "
      "binary cross-entropy per output");
  add("init", param("gaussian_clipped")->choices({"gaussian_clipped", "uniform", "xavier_uniform", "xavier_normal", "he_normal"}),
      "weight initialization (all clipped to the quantization range); the paper: gaussian_clipped");
  add("init_std", param<double>(0.3)->above(0.0),
      "gaussian_clipped: standard deviation; uniform: half-width of the interval");
  add("paper_backprop", param<bool>(false),
      "true: the error propagates without the activation derivative, which enters only the weight update "
      "(the paper's eqs. 6-7); false: full chain rule");
  add("shuffle", param<bool>(true), "shuffle the training set every epoch");
  add("threads", param<int>(0)->min(0)->no_effect_on_results(), "worker threads (0: all hardware threads); results do not depend on it");
}

SPINSC_REGISTER_SECTION("train", declare_train_section)

TrainingOptions TrainingOptions::from_params(const Params& p) {
  TrainingOptions o;
  o.epochs = p.get<int>("epochs");
  o.batch_size = p.get<int>("batch_size");
  o.optimizer = p.get<std::string>("optimizer");
  o.learning_rate = p.get<double>("learning_rate");
  o.lr_decay = p.get<double>("lr_decay");
  o.momentum = p.get<double>("momentum");
  o.weight_decay = p.get<double>("weight_decay");
  o.dropout = p.get<double>("dropout");
  o.augment_shift_px = p.get<int>("augment_shift_px");
  o.adam_beta1 = p.get<double>("adam_beta1");
  o.adam_beta2 = p.get<double>("adam_beta2");
  o.adam_epsilon = p.get<double>("adam_epsilon");
  o.loss = p.get<std::string>("loss");
  o.init = p.get<std::string>("init");
  o.init_std = p.get<double>("init_std");
  o.paper_backprop = p.get<bool>("paper_backprop");
  o.shuffle = p.get<bool>("shuffle");
  o.threads = p.get<int>("threads");
  return o;
}

void initialize_weights(Mlp& network, const TrainingOptions& options, const RandomStream& stream) {
  const auto& spec = network.spec();
  for (std::size_t l = 0; l < network.n_layers(); ++l) {
    RandomStream rng = stream.derive(fmt::format("layer{}", l));
    Matrix& w = network.weights(l);
    // Fan-in and fan-out of one neuron (a convolution: its kernel, and the kernels that read an input).
    const WeightLayer& geometry = network.layer(l);
    const double n_in = geometry.synapses(),
                 n_out = geometry.convolution ? double(geometry.outputs * geometry.kernel * geometry.kernel) : geometry.outputs;
    const Eigen::Index synapses = geometry.synapses();  // the bias column (if any) starts at 0
    for (Eigen::Index o = 0; o < w.rows(); ++o)
      for (Eigen::Index i = 0; i < w.cols(); ++i) {
        double v = 0.0;
        if (i < synapses) {
          if (options.init == "gaussian_clipped") v = options.init_std * rng.normal();
          else if (options.init == "uniform") v = options.init_std * (2.0 * rng.uniform() - 1.0);
          else if (options.init == "xavier_uniform") v = std::sqrt(6.0 / (n_in + n_out)) * (2.0 * rng.uniform() - 1.0);
          else if (options.init == "xavier_normal") v = std::sqrt(2.0 / (n_in + n_out)) * rng.normal();
          else if (options.init == "he_normal") v = std::sqrt(2.0 / n_in) * rng.normal();
          else throw ParamError("unknown weight initialization '" + options.init + "'");
        }
        w(o, i) = static_cast<float>(v);
      }
  }
  network.clip_weights();
}

}  // namespace spinsc
