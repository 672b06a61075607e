// Requirement (studies in one file): every key is classified into the stage that reads it (data,
// training, evaluation) by the plugin-use rule of run_identity.hpp; a plugin's keys follow the
// stage that uses it, train.qat_sc pulls the device into training only when its forward pass uses
// the device; keys that cannot change a result are in no identity; a point's ids and stream keys
// do not depend on the sweep around it (its index, the other points, the order of sweep keys).
#define BOOST_TEST_MODULE experiment_run_identity
#include <boost/test/unit_test.hpp>

#include <algorithm>

#include "spinsc/experiment.hpp"
#include "spinsc/plugin_registry.hpp"

using namespace spinsc;

namespace {

PluginRegistry& registry() {
  static PluginRegistry instance({SPINSC_BUILD_PLUGIN_DIR});
  return instance;
}

Experiment load(const std::string& text, const std::vector<std::string>& overrides = {}) {
  return load_experiment_text("task = network\nseed = 3\n" + text, "identity.ini", overrides, registry());
}

bool has_key(const KeyValues& keys, const std::string& key) {
  return std::any_of(keys.begin(), keys.end(), [&](const auto& kv) { return kv.first == key; });
}

const RunPoint& point_with(const Experiment& e, const std::string& key, const std::string& value) {
  for (const auto& p : e.points)
    for (const auto& [k, v] : p.swept)
      if (k == key && v == value) return p;
  throw std::runtime_error("no point with " + key + " = " + value);
}

}  // namespace

BOOST_AUTO_TEST_CASE(keys_are_classified_by_the_stage_that_reads_them) {
  const Experiment e = load("[device]\nplugin = device.lfsr\n[train]\nstrategy = train.qat\n");
  const RunIdentity& id = e.points.at(0).identity;
  BOOST_TEST(has_key(id.data_keys, "data.train_size"));
  BOOST_TEST(has_key(id.training_keys, "network.levels"));
  BOOST_TEST(has_key(id.training_keys, "train.epochs"));
  BOOST_TEST(has_key(id.training_keys, "train.qat.float_warmup_epochs"));  // the strategy plugin's own key
  BOOST_TEST(has_key(id.training_keys, "task"));
  BOOST_TEST(has_key(id.evaluation_keys, "eval.lengths"));
  BOOST_TEST(has_key(id.evaluation_keys, "device.plugin"));
  BOOST_TEST(has_key(id.evaluation_keys, "device.lfsr.width"));   // a device plugin's key: evaluation
  BOOST_TEST(!has_key(id.evaluation_keys, "device.bernoulli.energy_per_bit_J"));  // unused plugin: nowhere
  BOOST_TEST(!has_key(id.training_keys, "device.lfsr.width"));
  // Keys that cannot change a result, and those that only name or lay out the experiment.
  for (const char* key : {"train.threads", "name", "seed", "sweep.repeats", "sweep.mode"}) {
    BOOST_TEST(!has_key(id.training_keys, key), key);
    BOOST_TEST(!has_key(id.evaluation_keys, key), key);
  }
  BOOST_TEST((std::find(id.evaluation_plugins.begin(), id.evaluation_plugins.end(), "device.lfsr") !=
              id.evaluation_plugins.end()));
  BOOST_TEST((std::find(id.training_plugins.begin(), id.training_plugins.end(), "train.qat") !=
              id.training_plugins.end()));
}

BOOST_AUTO_TEST_CASE(a_device_sweep_shares_one_training_and_one_evaluation_stream) {
  const Experiment e = load("[sweep]\ndevice.plugin = device.bernoulli, device.lfsr, device.smtj_telegraph\n");
  BOOST_REQUIRE(e.points.size() == 3u);
  for (const auto& p : e.points) {
    BOOST_TEST(p.identity.training_id == e.points[0].identity.training_id);
    BOOST_TEST(p.identity.training_stream_key == e.points[0].identity.training_stream_key);
    BOOST_TEST(p.identity.evaluation_stream_key == e.points[0].identity.evaluation_stream_key);  // common random numbers
  }
  BOOST_TEST(e.points[0].identity.run_id != e.points[1].identity.run_id);
  BOOST_TEST(e.points[1].identity.run_id != e.points[2].identity.run_id);
  BOOST_TEST(e.points[0].identity.training_stream_key != e.points[0].identity.evaluation_stream_key);
}

BOOST_AUTO_TEST_CASE(qat_sc_reads_the_device_only_when_its_forward_pass_uses_it) {
  const std::string sweep = "[sweep]\ndevice.plugin = device.bernoulli, device.lfsr\n[train]\nstrategy = train.qat_sc\n";
  for (const std::string mode : {"bit", "gaussian"}) {
    const Experiment e = load(sweep + "[train.qat_sc]\nmode = " + mode + "\n");
    BOOST_TEST(e.points[0].identity.training_id != e.points[1].identity.training_id, mode);
    BOOST_TEST(has_key(e.points[1].identity.training_keys, "device.lfsr.width"), mode);
    BOOST_TEST(has_key(e.points[1].identity.training_keys, "sc.multiplier"), mode);
  }
  for (const std::string mode : {"binomial", "expected"}) {
    const Experiment e = load(sweep + "[train.qat_sc]\nmode = " + mode + "\n");
    BOOST_TEST(e.points[0].identity.training_id == e.points[1].identity.training_id, mode);
    BOOST_TEST(!has_key(e.points[1].identity.training_keys, "device.plugin"), mode);
    BOOST_TEST(has_key(e.points[1].identity.training_keys, "sc.activation"), mode);  // the units still count
  }
  // gaussian without the device's delivered levels uses the ideal grid: no device either.
  const Experiment e = load(sweep + "[train.qat_sc]\nmode = gaussian\ndevice_levels = false\n");
  BOOST_TEST(e.points[0].identity.training_id == e.points[1].identity.training_id);
}

BOOST_AUTO_TEST_CASE(a_point_has_the_same_identity_alone_and_in_any_sweep) {
  const Experiment sweep = load("[sweep]\ntrain.epochs = 1,2\ndevice.plugin = device.bernoulli, device.lfsr\nrepeats = 2\n");
  const Experiment reordered = load("[sweep]\ndevice.plugin = device.lfsr, device.bernoulli\ntrain.epochs = 2,1\nrepeats = 2\n");
  const Experiment alone = load("[train]\nepochs = 2\n[device]\nplugin = device.lfsr\n");
  const RunPoint& in_sweep = point_with(sweep, "device.plugin", "device.lfsr");  // epochs 1, repeat 0
  BOOST_TEST(in_sweep.swept.front().second == "1");
  // Find epochs = 2, lfsr, repeat 0 in both sweeps.
  auto find = [](const Experiment& e) -> const RunPoint& {
    for (const auto& p : e.points) {
      bool two = false, lfsr = false, first = false;
      for (const auto& [k, v] : p.swept) {
        two |= k == "train.epochs" && v == "2";
        lfsr |= k == "device.plugin" && v == "device.lfsr";
        first |= k == "repeat" && v == "0";
      }
      if (two && lfsr && first) return p;
    }
    throw std::runtime_error("point not found");
  };
  const RunPoint& a = find(sweep);
  const RunPoint& b = find(reordered);
  const RunPoint& c = alone.points.at(0);
  BOOST_TEST(a.run_index != b.run_index);  // different positions in their sweeps ...
  for (const RunPoint* p : {&b, &c}) {     // ... same identity and streams
    BOOST_TEST(p->seed == a.seed);
    BOOST_TEST(p->identity.training_id == a.identity.training_id);
    BOOST_TEST(p->identity.run_id == a.identity.run_id);
    BOOST_TEST(p->identity.training_stream_key == a.identity.training_stream_key);
    BOOST_TEST(p->identity.evaluation_stream_key == a.identity.evaluation_stream_key);
  }
  // Repeats train different networks (their seeds differ).
  const RunPoint* repeat1 = nullptr;
  for (const auto& p : sweep.points)
    if (p.identity.training_id != a.identity.training_id && p.swept == std::vector<std::pair<std::string, std::string>>{
            {"train.epochs", "2"}, {"device.plugin", "device.lfsr"}, {"repeat", "1"}})
      repeat1 = &p;
  BOOST_TEST(repeat1 != nullptr);
}

BOOST_AUTO_TEST_CASE(a_thread_count_changes_no_identity) {
  const Experiment two = load("[train]\nthreads = 2\n");
  const Experiment one = load("[train]\nthreads = 1\n");
  BOOST_TEST(two.points[0].identity.run_id == one.points[0].identity.run_id);
  BOOST_TEST(two.points[0].identity.training_id == one.points[0].identity.training_id);
  const Experiment other = load("[train]\nepochs = 3\n");
  BOOST_TEST(other.points[0].identity.training_id != one.points[0].identity.training_id);
  const Experiment lengths = load("[eval]\nlengths = 64\n");
  BOOST_TEST(lengths.points[0].identity.training_id == one.points[0].identity.training_id);
  BOOST_TEST(lengths.points[0].identity.run_id != one.points[0].identity.run_id);
}
