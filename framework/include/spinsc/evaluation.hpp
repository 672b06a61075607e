#pragma once
// Test-set evaluation of a network: accuracy and confusion matrix, in float or quantized mode,
// with the exact product or an external PreactivationProvider (the SC engine). Samples are
// processed in fixed chunks on a WorkerPool; results are identical for any thread count.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "spinsc/dataset.hpp"
#include "spinsc/ledger.hpp"
#include "spinsc/mlp.hpp"
#include "spinsc/run_record.hpp"
#include "spinsc/worker_pool.hpp"

namespace spinsc {

struct EvaluationOptions {
  ForwardMode mode = ForwardMode::quantized;
  const PreactivationProvider* provider = nullptr;  // quantized mode only; nullptr = exact
  RandomStream stream{0, "evaluation"};             // given to the provider, per layer derived
  EnergyLedger* ledger = nullptr;                   // provider events, merged in chunk order
  std::size_t chunk_size = 200;                     // samples per work item
  // Called after each chunk with the samples done so far and the total, one call at a time (from
  // the worker threads, under a lock): for progress displays. May be empty.
  std::function<void(std::size_t done, std::size_t total)> on_progress;
  // The images to evaluate: rows [first_sample, first_sample + n_samples) of the data set (n_samples
  // is cut at the end of the set). Each image's sample id is its row in the whole set, so its random
  // streams, and the class it gets, do not depend on which range it is evaluated in. Chunks start at
  // first_sample: a range that starts at a multiple of chunk_size has the chunks of the whole set.
  std::size_t first_sample = 0;
  std::size_t n_samples = static_cast<std::size_t>(-1);
  // If set, gets the provider events of each chunk, in chunk order (the ledger, if set, gets their
  // merge): merged in that order with the chunks of other ranges, they sum to the same bits as
  // the whole set evaluated at once.
  std::vector<EnergyLedger>* chunk_ledgers = nullptr;
};

struct EvaluationResult {
  std::size_t n_samples = 0;
  std::size_t n_correct = 0;
  int n_classes = 0;
  std::vector<std::int64_t> confusion;  // n_classes × n_classes, row = true label, col = predicted
  std::vector<int> predictions;         // per sample
  double accuracy_percent() const { return n_samples ? 100.0 * double(n_correct) / double(n_samples) : 0.0; }
};

EvaluationResult evaluate(const Mlp& network, const Dataset& data, const EvaluationOptions& options,
                          WorkerPool& pool);

// The accuracy and confusion matrix of `predictions`, the classes predicted for the images
// [first_sample, first_sample + predictions.size()) of `data` (what evaluate() returns for them).
EvaluationResult tally_predictions(const Dataset& data, std::size_t first_sample, std::vector<int> predictions);

// <group>/accuracy (%) and <group>/confusion (counts) into the record.
void record_evaluation(RunRecord& record, const std::string& group, const EvaluationResult& result);

// The network's weights into the record: network/layer<l>/weights (float, n_out × n_in(+1))
// and network/layer<l>/quantized_weights and quantized_levels.
void record_weights(RunRecord& record, const Mlp& network);

}  // namespace spinsc
