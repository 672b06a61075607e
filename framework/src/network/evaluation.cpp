// Test-set evaluation: fixed chunks in parallel, merged in chunk order.
#include "spinsc/evaluation.hpp"

#include <fmt/format.h>

#include <mutex>
#include <stdexcept>

namespace spinsc {

EvaluationResult evaluate(const Mlp& network, const Dataset& data, const EvaluationOptions& options,
                          WorkerPool& pool) {
  if (data.n_pixels() != network.n_inputs())
    throw ParamError(fmt::format("the network has {} inputs but {} images have {} pixels ({}x{}); check "
                                 "[network] layers and [data] downscale",
                                 network.n_inputs(), data.name, data.n_pixels(), data.rows, data.cols));
  const std::size_t first = std::min(options.first_sample, data.size());
  const std::size_t n = std::min(options.n_samples, data.size() - first);
  std::vector<int> predictions(n, -1);
  const bool quantized = options.mode == ForwardMode::quantized;
  const std::vector<QuantizedMatrix> qw = quantized ? network.quantize_weights() : std::vector<QuantizedMatrix>{};
  const std::size_t chunk = std::max<std::size_t>(1, options.chunk_size);
  const std::size_t n_chunks = (n + chunk - 1) / chunk;
  const bool keep_ledgers = options.ledger || options.chunk_ledgers;
  std::vector<EnergyLedger> ledgers(keep_ledgers ? n_chunks : 0);
  std::mutex progress_mutex;
  std::size_t samples_done = 0;
  pool.run(n_chunks, [&](std::size_t c) {
    const std::size_t begin = c * chunk, count = std::min(chunk, n - begin);
    std::vector<std::uint64_t> ids(count);  // rows of the whole set: the sample ids of the streams
    for (std::size_t i = 0; i < count; ++i) ids[i] = first + begin + i;
    Matrix x;
    data.normalized_batch(ids, x);
    ForwardOptions fo;
    fo.quantized_weights = quantized ? &qw : nullptr;
    fo.provider = options.provider;
    fo.sample_ids = ids;
    fo.stream = &options.stream;
    fo.ledger = keep_ledgers ? &ledgers[c] : nullptr;
    ForwardState state;
    network.forward(x, options.mode, fo, state);
    for (std::size_t i = 0; i < count; ++i) predictions[begin + i] = predicted_class(state, Eigen::Index(i));
    if (options.on_progress) {
      std::lock_guard lock(progress_mutex);
      samples_done += count;
      options.on_progress(samples_done, n);
    }
  });
  if (options.ledger)
    for (const auto& l : ledgers) options.ledger->merge(l);
  if (options.chunk_ledgers) *options.chunk_ledgers = std::move(ledgers);
  return tally_predictions(data, first, std::move(predictions));
}

EvaluationResult tally_predictions(const Dataset& data, std::size_t first_sample, std::vector<int> predictions) {
  if (first_sample + predictions.size() > data.size())
    throw std::invalid_argument(fmt::format("{} predictions from image {} on, but {} has {} images", predictions.size(),
                                            first_sample, data.name, data.size()));
  EvaluationResult result;
  result.n_samples = predictions.size();
  result.n_classes = data.n_classes;
  result.predictions = std::move(predictions);
  result.confusion.assign(std::size_t(data.n_classes) * data.n_classes, 0);
  for (std::size_t i = 0; i < result.n_samples; ++i) {
    const int truth = data.labels[first_sample + i], predicted = result.predictions[i];
    if (predicted >= 0 && predicted < data.n_classes) ++result.confusion[std::size_t(truth) * data.n_classes + predicted];
    if (predicted == truth) ++result.n_correct;
  }
  return result;
}

void record_evaluation(RunRecord& record, const std::string& group, const EvaluationResult& result) {
  record.put_scalar(group + "/accuracy", result.accuracy_percent(), "%");
  record.put_matrix(group + "/confusion", result.confusion, std::size_t(result.n_classes),
                    std::size_t(result.n_classes), "1");
  record.attribute(group + "/confusion", "layout", std::string("row = true label, column = predicted label"));
  record.put_scalar(group + "/n_samples", double(result.n_samples), "1");
}

void record_weights(RunRecord& record, const Mlp& network) {
  const auto qw = network.quantize_weights();
  for (std::size_t l = 0; l < network.n_layers(); ++l) {
    const std::string base = fmt::format("network/layer{}", l + 1);
    const Matrix& w = network.weights(l);
    std::vector<double> values(w.data(), w.data() + w.size());
    record.put_matrix(base + "/weights", values, std::size_t(w.rows()), std::size_t(w.cols()), "1");
    std::vector<double> qvalues(qw[l].values.data(), qw[l].values.data() + qw[l].values.size());
    record.put_matrix(base + "/quantized_weights", qvalues, std::size_t(w.rows()), std::size_t(w.cols()), "1");
    std::vector<std::int64_t> levels(qw[l].levels.data(), qw[l].levels.data() + qw[l].levels.size());
    record.put_matrix(base + "/quantized_levels", levels, std::size_t(w.rows()), std::size_t(w.cols()), "1");
    const std::string bias = network.spec().bias ? " + 1), last column = bias" : ")";
    record.attribute(base + "/weights", "layout",
                     network.layer(l).convolution ? "channels x (K*K*C_in" + bias + ", columns in (ky, kx, input channel) order"
                     : network.spec().bias       ? std::string("n_out x (n_in + 1), last column = bias")
                                                 : std::string("n_out x n_in"));
  }
  const auto& spec = network.spec();
  std::vector<std::int64_t> widths(spec.layers.begin(), spec.layers.end());
  record.put("network/layers", widths, "1");
  if (spec.topology.convolutional()) record.attribute("network", "topology", spec.topology.text());
  record.attribute("network", "levels", std::int64_t(spec.levels));
  record.attribute("network", "hidden_activation", to_string(spec.hidden));
  record.attribute("network", "output_activation", to_string(spec.output));
  record.attribute("network", "bias", std::int64_t(spec.bias));
  record.attribute("network", "quant_lower", spec.lower);
  record.attribute("network", "quant_upper", spec.upper);
  record.put("network/activation_gain", spec.activation_gain, "1");
}

}  // namespace spinsc
