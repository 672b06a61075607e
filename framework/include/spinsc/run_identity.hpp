#pragma once
// Which keys a run depends on, stage by stage: the one place where keys are classified.
//
//   data        [data]
//   training    [network], [train], the task, the keys of every plugin a data or training key
//               names (transitively: train.X and whatever its keys name), and the framework
//               sections such a plugin says it reads (spinsc_plugin_reads, plugin.hpp:
//               train.qat_sc reads [sc], and [device] when its forward pass uses the device),
//               with the plugins those name.
//   evaluation  every other key of the run: [eval], [device], [sc], ... and the plugins they name.
//   none        name, seed (the run seed enters the ids itself), [sweep], and keys declared
//               no_effect_on_results() (train.threads): a run resumes with another thread count.
// A plugin's keys belong to the stage that uses the plugin, so a new device, SC unit or training
// plugin needs no change here. Values are compared as written (after sweep expansion; defaults as
// `spinsc describe` shows them): "0.10" and "0.1" are different values.
//
// Ids (16 hex digits of a 64-bit hash):
//   training_id = hash(run seed, data and training keys)   one trained network per distinct id
//   run_id      = hash(training_id, evaluation keys)       a run's identity in the results file
// Stream keys (the counter word of every RandomStream, random.hpp):
//   training streams (initialization, shuffling, augmentation, SC noise of the training forward
//   pass) use training_stream_key, derived from training_id;
//   evaluation streams use evaluation_stream_key, derived from training_id alone: evaluations of
//   one trained network draw the same numbers whatever the device, SC units or [eval] keys
//   (common random numbers: a what-if comparison's sampling noise cancels). Each evaluation
//   stream is further keyed by its purpose, stream length and sample.
// So a point gives bit-identical results alone or inside any sweep, whatever the sweep's order.
#include <boost/config.hpp>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace spinsc {

class Experiment;
struct RunPoint;
class PluginRegistry;

using KeyValues = std::vector<std::pair<std::string, std::string>>;  // key = value, sorted by key

struct RunIdentity {
  KeyValues data_keys, training_keys, evaluation_keys;
  std::vector<std::string> training_plugins, evaluation_plugins;  // plugin ids each stage uses
  std::string training_id, run_id;
  std::uint64_t training_stream_key = 0, evaluation_stream_key = 0;
};

// The identity of one run point of a loaded experiment (its seed is point.seed).
BOOST_SYMBOL_VISIBLE RunIdentity identify_run(const Experiment& experiment, const RunPoint& point,
                                              const PluginRegistry& registry);

// 64-bit FNV-1a of `text`, finished with a mixer; as 16 hex digits.
BOOST_SYMBOL_VISIBLE std::uint64_t identity_hash(const std::string& text);
BOOST_SYMBOL_VISIBLE std::string hex_id(std::uint64_t hash);

}  // namespace spinsc
