// The training loop shared by every strategy. One batch:
//  1. the batch is cut into fixed chunks (their size depends on the batch size only); the chunks
//     run in parallel: forward pass, loss, output δ, back-propagated δ of every layer, written
//     into batch-wide matrices X_l (inputs) and D_l (deltas);
//  2. weight gradients dL/dW_l = D_lᵀ X_l and the optimizer step run in parallel over fixed
//     blocks of weight rows.
// Every number is computed by the same operations in the same order whatever the thread count.
#include <chrono>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "spinsc/evaluation.hpp"
#include "spinsc/loss.hpp"
#include "spinsc/training_strategy.hpp"

namespace spinsc {

namespace {

constexpr Eigen::Index kRowBlock = 16;  // weight rows per gradient/update work item

}  // namespace

struct TrainingSession::State {
  std::vector<Matrix> m, v;           // optimizer moments per layer (sgd momentum uses m)
  std::uint64_t step = 0;             // optimizer steps taken
  std::vector<Matrix> batch_inputs;   // X_l: batch · rows per sample × n_in(+1)
  std::vector<Matrix> batch_deltas;   // D_l: batch · rows per sample × n_out
  std::vector<ForwardState> chunk_states;
  std::vector<QuantizedMatrix> quantized_weights;  // Q(W), requantized row block by row block
  int epochs_done = 0;
};

TrainingSession::TrainingSession(Mlp& network, const Dataset& train, const Dataset& test, TrainingOptions options,
                                 TrainingEnvironment environment)
    : network_(network), train_(train), test_(test), options_(std::move(options)), environment_(environment),
      pool_(std::make_unique<WorkerPool>(options_.threads)), state_(std::make_unique<State>()) {
  if (train.n_pixels() != network.n_inputs())
    throw ParamError(fmt::format("'network.layers' starts with {} inputs but the {} images have {} pixels ({}x{}); "
                                 "with [data] downscale = 2 use 196",
                                 network.n_inputs(), train.name, train.n_pixels(), train.rows, train.cols));
  if (network.n_outputs() != train.n_classes)
    throw ParamError(fmt::format("'network.layers' ends with {} outputs but {} has {} classes", network.n_outputs(),
                                 train.name, train.n_classes));
  for (std::size_t l = 0; l < network.n_layers(); ++l) {
    state_->m.push_back(Matrix::Zero(network.weights(l).rows(), network.weights(l).cols()));
    state_->v.push_back(Matrix::Zero(network.weights(l).rows(), network.weights(l).cols()));
  }
  initialize_weights(network_, options_, RandomStream(environment_.seed, "weight_init", environment_.stream_key));
}

TrainingSession::~TrainingSession() = default;

void TrainingSession::run(const TrainingPlan& plan) {
  const int epochs = plan.epochs >= 0 ? plan.epochs : options_.epochs;
  const bool quantized = plan.mode == ForwardMode::quantized;
  const std::size_t n = train_.size();
  const std::size_t L = network_.n_layers();
  State& st = *state_;
  st.batch_inputs.resize(L);
  st.batch_deltas.resize(L);
  const bool adam = options_.optimizer == "adam";
  if (quantized) st.quantized_weights = network_.quantize_weights();
  const Quantizer& quantizer = network_.quantizer();
  std::vector<float> level_value(quantizer.levels());
  for (int k = 0; k < quantizer.levels(); ++k) level_value[k] = float(quantizer.value(k));
  if (environment_.context) environment_.context->progress.phase(plan.label + " training");
  for (int e = 0; e < epochs; ++e) {
    const int epoch = ++st.epochs_done;
    const auto start = std::chrono::steady_clock::now();
    const double lr = options_.learning_rate * std::pow(options_.lr_decay, epoch - 1);
    std::vector<std::uint64_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    if (options_.shuffle) {
      RandomStream rng(environment_.seed, "shuffle", environment_.stream_key, std::uint64_t(epoch));
      for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
    }
    // Stream for a provider's randomness in this epoch's forward passes (per layer derived,
    // per sample substream).
    const RandomStream forward_stream(environment_.seed, "train_forward", environment_.stream_key, std::uint64_t(epoch));
    // Stream for the data augmentation of this epoch (per sample substream).
    const RandomStream augment_stream(environment_.seed, "augment", environment_.stream_key, std::uint64_t(epoch));
    double loss_sum = 0.0;
    std::size_t correct = 0;
    const std::size_t batch = std::size_t(options_.batch_size);
    for (std::size_t b0 = 0; b0 < n; b0 += batch) {
      const std::size_t B = std::min(batch, n - b0);
      const std::span<const std::uint64_t> ids(order.data() + b0, B);
      const std::vector<QuantizedMatrix>& qw = st.quantized_weights;  // kept current by the update step
      for (std::size_t l = 0; l < L; ++l) {
        const Eigen::Index rows_per_sample = network_.layer(l).rows_per_sample();
        st.batch_inputs[l].resize(Eigen::Index(B) * rows_per_sample, network_.input_columns(l));
        st.batch_deltas[l].resize(Eigen::Index(B) * rows_per_sample, network_.weights(l).rows());
      }
      // Chunk size from the batch size only (never from the thread count).
      const std::size_t chunk = std::max<std::size_t>(16, (B + 7) / 8);
      const std::size_t n_chunks = (B + chunk - 1) / chunk;
      if (st.chunk_states.size() < n_chunks) st.chunk_states.resize(n_chunks);
      std::vector<double> chunk_loss(n_chunks, 0.0);
      std::vector<std::size_t> chunk_correct(n_chunks, 0);
      pool_->run(n_chunks, [&](std::size_t c) {
        const std::size_t r0 = c * chunk, rows = std::min(chunk, B - r0);
        const auto chunk_ids = ids.subspan(r0, rows);
        Matrix x;
        train_.normalized_batch(chunk_ids, x);
        random_shift_batch(x, train_.rows, train_.cols, options_.augment_shift_px, chunk_ids, augment_stream);
        ForwardOptions fo;
        fo.quantized_weights = quantized ? &qw : nullptr;
        fo.provider = plan.provider;
        fo.sample_ids = chunk_ids;
        fo.stream = &forward_stream;
        fo.training = true;
        fo.dropout = quantized ? 0.0 : options_.dropout;
        ForwardState& state = st.chunk_states[c];
        network_.forward(x, plan.mode, fo, state);
        Matrix delta;
        std::vector<int> labels(rows);
        for (std::size_t s = 0; s < rows; ++s) labels[s] = train_.labels[chunk_ids[s]];
        chunk_loss[c] = loss_and_output_delta(network_.spec(), options_.loss, state, labels, delta);
        for (std::size_t s = 0; s < rows; ++s)
          if (predicted_class(state, Eigen::Index(s)) == int(train_.labels[chunk_ids[s]])) ++chunk_correct[c];
        delta *= 1.0f / float(B);  // mean over the batch
        std::vector<Matrix> deltas;
        network_.backward_deltas(state, delta, quantized ? &qw : nullptr, options_.paper_backprop, deltas);
        for (std::size_t l = 0; l < L; ++l) {
          const Eigen::Index rows_per_sample = network_.layer(l).rows_per_sample();
          const Eigen::Index first = Eigen::Index(r0) * rows_per_sample, count = Eigen::Index(rows) * rows_per_sample;
          st.batch_inputs[l].middleRows(first, count) = state.inputs[l].values;
          st.batch_deltas[l].middleRows(first, count) = deltas[l];
        }
      });
      for (std::size_t c = 0; c < n_chunks; ++c) {
        loss_sum += chunk_loss[c];
        correct += chunk_correct[c];
      }
      if (environment_.context)  // the display redraws at most every 0.1 s (a terminal) or 10 s
        environment_.context->progress.step(fmt::format("epoch {}/{}, {}/{} images", e + 1, epochs, b0 + B, n),
                                            (double(e) + double(b0 + B) / double(n)) / double(epochs));
      // Gradient and update per block of weight rows.
      ++st.step;
      const double bias1 = 1.0 - std::pow(options_.adam_beta1, double(st.step));
      const double bias2 = 1.0 - std::pow(options_.adam_beta2, double(st.step));
      std::vector<std::pair<std::size_t, Eigen::Index>> blocks;
      for (std::size_t l = 0; l < L; ++l)
        for (Eigen::Index o = 0; o < network_.weights(l).rows(); o += kRowBlock) blocks.emplace_back(l, o);
      const auto lo = float(network_.spec().lower), hi = float(network_.spec().upper);
      pool_->run(blocks.size(), [&](std::size_t k) {
        const auto [l, o0] = blocks[k];
        Matrix& w = network_.weights(l);
        const Eigen::Index rows = std::min(kRowBlock, w.rows() - o0);
        const Matrix grad =
            network_.fold_gradient(l, st.batch_deltas[l].middleCols(o0, rows).transpose() * st.batch_inputs[l]);
        auto wb = w.middleRows(o0, rows);
        auto mb = st.m[l].middleRows(o0, rows);
        if (options_.weight_decay > 0) wb *= float(1.0 - lr * options_.weight_decay);
        if (adam) {
          auto vb = st.v[l].middleRows(o0, rows);
          const float b1 = float(options_.adam_beta1), b2 = float(options_.adam_beta2);
          mb = b1 * mb + (1.0f - b1) * grad;
          vb = (b2 * vb.array() + (1.0f - b2) * grad.array().square()).matrix();
          const float step = float(lr / bias1);
          const float eps = float(options_.adam_epsilon);
          wb.array() -= step * mb.array() / ((vb.array() / float(bias2)).sqrt() + eps);
        } else if (options_.momentum > 0) {
          mb = float(options_.momentum) * mb + grad;
          wb -= float(lr) * mb;
        } else {
          wb -= float(lr) * grad;
        }
        wb = wb.cwiseMax(lo).cwiseMin(hi);  // weights stay in [a, b]
        if (quantized) {
          // Requantize the updated rows here, in parallel, instead of the whole matrix per batch.
          QuantizedMatrix& q = st.quantized_weights[l];
          const Eigen::Index begin = o0 * w.cols(), end = (o0 + rows) * w.cols();
          for (Eigen::Index i = begin; i < end; ++i) {
            const int level = quantizer.index(w.data()[i]);
            q.levels.data()[i] = std::uint8_t(level);
            q.values.data()[i] = level_value[level];
          }
        }
      });
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EvaluationOptions eo;
    eo.mode = plan.mode;
    const EvaluationResult test = evaluate(network_, test_, eo, *pool_);
    EpochMetrics m;
    m.epoch = epoch;
    m.plan = plan.label;
    m.loss = loss_sum / double(n);
    m.train_accuracy = 100.0 * double(correct) / double(n);
    m.test_accuracy = test.accuracy_percent();
    m.learning_rate = lr;
    m.seconds = seconds;
    history_.push_back(m);
    if (environment_.context) {
      environment_.context->progress.message(
          fmt::format("{} epoch {:3d}: loss {:.4f}  train {:.2f} %  test {:.2f} %  ({:.1f} s)", plan.label, epoch,
                      m.loss, m.train_accuracy, m.test_accuracy, seconds));
    }
  }
}

void TrainingSession::write_history(RunRecord& record) const {
  std::vector<double> loss, train_acc, test_acc, lr, secs;
  std::vector<std::int64_t> epoch;
  std::vector<std::string> plan;
  for (const auto& m : history_) {
    epoch.push_back(m.epoch);
    plan.push_back(m.plan);
    loss.push_back(m.loss);
    train_acc.push_back(m.train_accuracy);
    test_acc.push_back(m.test_accuracy);
    lr.push_back(m.learning_rate);
    secs.push_back(m.seconds);
  }
  record.put("training/epoch", epoch, "1");
  record.put("training/plan", plan);
  record.put("training/loss", loss, "1");
  record.attribute("training/loss", "definition",
                   std::string(options_.loss == "mse" ? "mean over samples of 1/2 sum (y - d)^2 (eq. 4)"
                                                      : "mean over samples of the cross-entropy"));
  record.put("training/train_accuracy", train_acc, "%");
  record.put("training/test_accuracy", test_acc, "%");
  record.put("training/learning_rate", lr, "1");
  record.put("training/epoch_time_s", secs, "s");
}

}  // namespace spinsc
