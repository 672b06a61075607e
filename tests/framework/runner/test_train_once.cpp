// Requirement (studies in one file): a sweep over devices trains one network and evaluates it
// with each device (count the trainings; float and quantized accuracy identical bit for bit);
// a point run alone gives a record bit-identical to its twin inside the sweep (streams are keyed
// by what they depend on, not by the run index), whatever the order of the sweep keys.
// Reduced size so that it runs in seconds: 784-16-10, 1 epoch on 1000 images, 100 test images,
// SC at L = 32 on 40 of them, a bank of 4 streams per level.
#define BOOST_TEST_MODULE runner_train_once
#include <boost/test/unit_test.hpp>

#include <cstdio>

#include "spinsc/experiment.hpp"
#include "spinsc/network_task.hpp"
#include "spinsc/plugin_registry.hpp"
#include "spinsc/runner.hpp"

using namespace spinsc;

namespace {

PluginRegistry& registry() {
  static PluginRegistry instance({SPINSC_BUILD_PLUGIN_DIR});
  return instance;
}

const std::string kBase =
    "task = network\nseed = 4\n[data]\ntrain_size = 1000\ntest_size = 100\n[network]\nlayers = 784,16,10\n"
    "[train]\nepochs = 1\nthreads = 2\n[eval]\nlengths = 32\nsc_samples = 40\n[sc]\nbank_size = 4\n";

MemoryResultStore run(const std::string& extra) {
  const Experiment e = load_experiment_text(kBase + extra, "train_once.ini", {}, registry());
  MemoryResultStore store;
  std::FILE* sink = std::tmpfile();
  RunnerOptions options;
  options.out = sink;
  const RunnerReport report = run_experiment(e, registry(), store, options);
  std::fclose(sink);
  BOOST_REQUIRE(report.ok());
  return store;
}

std::int64_t trained_here(const RunRecord& record) {
  return std::get<std::int64_t>(record.attributes().at("training").at("trained_in_this_run"));
}

const RunRecord& record_with(const MemoryResultStore& store, const std::string& key, const std::string& value) {
  for (const auto& [index, run] : store.runs)
    for (const auto& [k, v] : run.first.swept)
      if (k == key && v == value) return run.second;
  throw std::runtime_error("no run with " + key + " = " + value);
}

void require_same_records(const RunRecord& a, const RunRecord& b, const std::string& what) {
  for (const auto& [path, dataset] : a.datasets()) {
    if (path.find("wall_time") != std::string::npos || path.find("epoch_time") != std::string::npos) continue;
    BOOST_REQUIRE_MESSAGE(b.datasets().count(path), what + ": " + path + " missing");
    BOOST_TEST((dataset.data == b.dataset(path).data), what + ": " + path);
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_device_sweep_trains_once_and_a_point_alone_equals_its_twin) {
  const MemoryResultStore sweep =
      run("[sweep]\ndevice.plugin = device.bernoulli, device.lfsr, device.smtj_telegraph\n");
  BOOST_REQUIRE(sweep.runs.size() == 3u);
  std::int64_t trainings = 0;
  for (const auto& [index, run] : sweep.runs) trainings += trained_here(run.second);
  BOOST_TEST(trainings == 1);
  const RunRecord& first = sweep.runs.begin()->second.second;
  for (const auto& [index, run] : sweep.runs) {
    BOOST_TEST(run.second.summary_values().at("float_accuracy").first == first.summary_values().at("float_accuracy").first);
    BOOST_TEST(run.second.summary_values().at("quantized_accuracy").first ==
               first.summary_values().at("quantized_accuracy").first);
    BOOST_TEST((run.second.dataset("network/layer1/weights").data == first.dataset("network/layer1/weights").data));
  }
  // The devices do deliver different bits: the LFSR's SC accuracy or energy differs from the telegraph's.
  const RunRecord& lfsr = record_with(sweep, "device.plugin", "device.lfsr");
  const RunRecord& telegraph = record_with(sweep, "device.plugin", "device.smtj_telegraph");
  BOOST_TEST((lfsr.dataset("evaluation/sc/device_energy_per_inference_J").data !=
              telegraph.dataset("evaluation/sc/device_energy_per_inference_J").data));

  // The telegraph point alone (run index 0 in its own experiment, 2 in the sweep): bit-identical.
  forget_trained_networks();  // trained again from scratch, not taken from the sweep
  const MemoryResultStore alone = run("[device]\nplugin = device.smtj_telegraph\n");
  BOOST_TEST(trained_here(alone.runs.at(0).second) == 1);
  require_same_records(alone.runs.at(0).second, telegraph, "telegraph alone against its sweep twin");
  // A sweep in another order, with another key swept alongside: the same record again.
  const MemoryResultStore reordered =
      run("[sweep]\nmode = zip\ndevice.plugin = device.smtj_telegraph, device.lfsr\nsc.clock_period_s = 1e-9, 1e-9\n");
  require_same_records(record_with(reordered, "device.plugin", "device.smtj_telegraph"), telegraph,
                       "telegraph first in a zip sweep against its grid twin");
}

// Under mpirun the runs of one training may go to other ranks: the rank that trained sends its
// kept network (encode_trained_network), the other keeps it (adopt_trained_network) and runs
// its point as a later run of the same process would: the same record, without training.
BOOST_AUTO_TEST_CASE(a_kept_network_sent_to_another_process_gives_its_later_run_the_same_record) {
  forget_trained_networks();
  const MemoryResultStore sweep = run("[sweep]\ndevice.plugin = device.bernoulli, device.lfsr\n");
  const RunRecord& later = record_with(sweep, "device.plugin", "device.lfsr");
  BOOST_REQUIRE(trained_here(later) == 0);  // in one process the LFSR run reuses the network
  const std::string training_id =
      std::get<std::string>(later.attributes().at("training").at("training_id"));
  const std::string bytes = encode_trained_network(training_id);

  // "Another process": nothing kept; it receives the bytes, then runs the LFSR point alone.
  forget_trained_networks();
  const Experiment experiment = load_experiment_text(kBase, "train_once.ini", {}, registry());
  const po::variables_map config = experiment.config_for(experiment.points.at(0));
  const NetworkSpec spec = NetworkSpec::from_params(Params(config, "").section("network"));
  adopt_trained_network(bytes, spec);
  const MemoryResultStore elsewhere = run("[device]\nplugin = device.lfsr\n");
  const RunRecord& received = elsewhere.runs.at(0).second;
  BOOST_TEST(trained_here(received) == 0);
  require_same_records(received, later, "LFSR run with the received network against its twin in the sweep");
  BOOST_TEST((received.attributes() == later.attributes()));
  BOOST_TEST((received.summary_values() == later.summary_values()));

  // Damaged bytes, or weights for other layers, are refused; nothing is kept from them.
  forget_trained_networks();
  BOOST_CHECK_THROW(adopt_trained_network(bytes.substr(0, bytes.size() - 1), spec), std::runtime_error);
  BOOST_CHECK_THROW(adopt_trained_network(bytes + "x", spec), std::runtime_error);
  NetworkSpec wider = spec;
  wider.layers = {784, 32, 10};
  BOOST_CHECK_THROW(adopt_trained_network(bytes, wider), std::runtime_error);
  BOOST_CHECK_THROW(encode_trained_network(training_id), std::logic_error);  // nothing kept
}
