#pragma once
// One run's SC evaluation shared by several processes (spinsc run under mpirun, when ranks are
// idle: fewer units of work left than ranks). The process that trained the run's network (the
// owner) cuts the SC test images into ranges of whole evaluation chunks, sends each helper its
// range with the trained weights, evaluates the first range itself at every SC variant and length,
// and merges what comes back into the run's record, which it then finishes and sends on as usual.
//
// Same numbers as one process: every image's random streams are substreams keyed by its row in
// the test set (the sample id), so the class an image gets does not depend on the range it is
// evaluated in; the accuracy and confusion matrix are counts over the images; the ledger is a
// sum of per-chunk ledgers, merged on the owner in chunk order as evaluate() merges them, so even
// its floating-point sums come out bit for bit. Helpers get the trained weights (a few MB) rather
// than training the same network again: a training costs far more than sending it, and it may
// itself have come from a results file or an earlier run of the owner's process.
#include <boost/config.hpp>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "spinsc/experiment.hpp"
#include "spinsc/ledger.hpp"
#include "spinsc/mlp.hpp"
#include "spinsc/sc_engine.hpp"

namespace spinsc {

class PluginRegistry;

// Images [first, first + count) of the SC test images (rows of the test set).
struct ImageRange {
  std::size_t first = 0, count = 0;
};

// [0, n_images) cut into min(parts, number of chunks) contiguous ranges of whole chunks of
// `chunk_size` images (the last chunk may be shorter), in order, their chunk counts differing by
// at most one. Every range starts at a multiple of chunk_size, so its chunks are those of the
// whole set.
std::vector<ImageRange> split_images(std::size_t n_images, std::size_t chunk_size, std::size_t parts);

// One range of images at one SC variant and stream length.
struct ScRangeResult {
  std::vector<int> predictions;            // the class predicted for each image of the range
  std::vector<EnergyLedger> chunk_ledgers; // the SC events of each chunk, in chunk order
  // What the banks of this length delivered (bank policy; else empty). Every process makes the
  // same banks from the run's keys, so the owner records its own: not sent between processes.
  BankStatistics bank_statistics;
  double wall_time_s = 0.0;                // measured (not a result)
};

// One range of images at every SC variant and length: results[variant * n_lengths + length].
struct ScShard {
  ImageRange images;
  std::vector<ScRangeResult> results;
};

// Set in RunContext::sc_sharing by a runner that can hand parts of an SC evaluation to other
// processes; the SC evaluation calls it once per run, after checking its keys.
class BOOST_SYMBOL_VISIBLE ScEvaluationSharing {
 public:
  virtual ~ScEvaluationSharing();
  // Reserves up to `wanted` processes that are idle now for this run; returns how many (0: none,
  // the caller evaluates everything itself). Reserved helpers wait for hand_out().
  virtual std::size_t reserve_helpers(std::size_t wanted) = 0;
  // Sends ranges[i] to reserved helper i (every reserved helper gets one) with the trained network.
  virtual void hand_out(const Mlp& network, const std::vector<ImageRange>& ranges) = 0;
  // Waits for the helpers' shards; returns them in the order of hand_out's ranges.
  virtual std::vector<ScShard> collect() = 0;
};

// A helper's part: the SC evaluation of `images` for run point `point` of `experiment` (its
// configuration, seed and stream keys, as the owner's task has them), with `weights` (one matrix
// per layer, as Mlp::weights) as the trained network. Reads the data set itself. Throws on a
// configuration or weight shape that does not fit.
ScShard evaluate_sc_shard(const Experiment& experiment, PluginRegistry& registry, std::size_t point,
                          const std::vector<Matrix>& weights, ImageRange images);

// The messages between owner and helper, private to one build (every rank runs the same binary).
// decode_* throw std::runtime_error on bytes that encode_* did not make.
std::string encode_sc_job(std::size_t point, const Mlp& network, ImageRange images);
void decode_sc_job(std::string_view bytes, std::size_t& point, std::vector<Matrix>& weights, ImageRange& images);
std::string encode_sc_shard(const ScShard& shard);
ScShard decode_sc_shard(std::string_view bytes);

}  // namespace spinsc
