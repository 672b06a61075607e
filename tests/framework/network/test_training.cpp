// Requirement (issue 3, training): QAT on a slice of MNIST reaches a stated accuracy; training
// and evaluation give bit-identical results for any thread count; the `network` task runs
// through the real train.qat / train.float plugins and records history, evaluations and weights.
#define BOOST_TEST_MODULE network_training
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "spinsc/evaluation.hpp"
#include "spinsc/framework_parts.hpp"
#include "spinsc/network_task.hpp"
#include "spinsc/plugin_registry.hpp"
#include "spinsc/training_strategy.hpp"

using namespace spinsc;

namespace {

const DataSplit& mnist_slice() {
  static const DataSplit split = [] {
    DataOptions options;
    options.train_size = 6000;
    options.test_size = 2000;
    return load_dataset(options);
  }();
  return split;
}

class SilentProgress final : public Progress {
 public:
  void step(const std::string&, double) override {}
  void message(const std::string& text) override { messages.push_back(text); }
  std::vector<std::string> messages;
};

}  // namespace

BOOST_AUTO_TEST_CASE(qat_on_a_slice_of_mnist_learns) {
  // 784-64-10, Q = 5, 10 epochs on the first 6000 training images, tested on the first 2000
  // test images. The floor comes from a baseline, not from a run of this code: the same network
  // trained in float precision with the same options, evaluated on the same images. 5-state QAT
  // must not lose more against it than sampling noise allows: a_qat >= a_float - 5 SE, with
  // SE = sqrt(2 a (1 - a) / 2000) of the difference of two accuracies (a: the float accuracy;
  // the independent-sample SE, larger than that of the paired difference on shared images).
  const DataSplit& data = mnist_slice();
  NetworkSpec spec;
  spec.layers = {784, 64, 10};
  Mlp network(spec);
  TrainingOptions options;
  options.epochs = 10;
  options.learning_rate = 0.003;
  options.init_std = 0.3;
  options.lr_decay = 1.0;  // constant rate: the measured configuration
  TrainingSession session(network, data.train, data.test, options, {1, 0, nullptr});
  TrainingPlan plan;
  plan.mode = ForwardMode::quantized;
  session.run(plan);
  BOOST_TEST_REQUIRE(session.history().size() == 10u);
  BOOST_TEST(session.history()[9].loss < session.history()[0].loss);
  EvaluationOptions eval;
  eval.mode = ForwardMode::quantized;
  const EvaluationResult result = evaluate(network, data.test, eval, session.pool());
  BOOST_TEST_MESSAGE("quantized test accuracy " << result.accuracy_percent() << " %");
  // The float baseline.
  Mlp float_network(spec);
  TrainingSession float_session(float_network, data.train, data.test, options, {1, 0, nullptr});
  TrainingPlan float_plan;
  float_plan.mode = ForwardMode::float_precision;
  float_session.run(float_plan);
  EvaluationOptions float_eval;
  float_eval.mode = ForwardMode::float_precision;
  const double a_float = evaluate(float_network, data.test, float_eval, float_session.pool()).accuracy_percent() / 100;
  const double se = std::sqrt(2 * a_float * (1 - a_float) / 2000);
  BOOST_TEST_MESSAGE("float test accuracy " << 100 * a_float << " %, floor " << 100 * (a_float - 5 * se) << " %");
  BOOST_TEST(a_float > 0.5);  // the baseline itself learned (chance: 10 %)
  BOOST_TEST(result.accuracy_percent() / 100 >= a_float - 5 * se);
  BOOST_TEST(result.accuracy_percent() == session.history().back().test_accuracy);
  std::int64_t total = 0;
  for (auto c : result.confusion) total += c;
  BOOST_TEST(total == 2000);
  // Weights stay in [-1, 1].
  for (std::size_t l = 0; l < network.n_layers(); ++l) BOOST_TEST(network.weights(l).cwiseAbs().maxCoeff() <= 1.0f);
}

BOOST_AUTO_TEST_CASE(results_do_not_depend_on_thread_count) {
  const DataSplit& data = mnist_slice();
  std::vector<std::vector<Matrix>> weights;
  std::vector<std::vector<int>> predictions;
  for (int threads : {1, 2, 3}) {
    NetworkSpec spec;
    spec.layers = {784, 24, 12, 10};
    spec.bias = true;
    Mlp network(spec);
    TrainingOptions options;
    options.epochs = 1;
    options.batch_size = 100;  // 7 chunks of 15 samples: uneven work over the threads
    options.threads = threads;
    DataSplit slice = data;
    slice.train.images.conservativeResize(1500, slice.train.images.cols());
    slice.train.labels.resize(1500);
    TrainingSession session(network, slice.train, slice.test, options, {7, 0, nullptr});
    session.run({"qat", ForwardMode::quantized, nullptr, 1});
    std::vector<Matrix> w;
    for (std::size_t l = 0; l < network.n_layers(); ++l) w.push_back(network.weights(l));
    weights.push_back(w);
    EvaluationOptions eval;
    eval.chunk_size = 37;
    predictions.push_back(evaluate(network, slice.test, eval, session.pool()).predictions);
  }
  for (std::size_t t = 1; t < weights.size(); ++t) {
    for (std::size_t l = 0; l < weights[0].size(); ++l)
      BOOST_TEST((weights[t][l].array() == weights[0][l].array()).all(), "threads run " << t << " layer " << l);
    BOOST_TEST(predictions[t] == predictions[0], boost::test_tools::per_element());
  }
}

BOOST_AUTO_TEST_CASE(network_task_runs_through_the_plugins) {
  PluginRegistry registry({SPINSC_BUILD_PLUGIN_DIR});
  for (const std::string strategy : {"train.qat", "train.float"}) {
    po::options_description description;
    for (const auto& section : registered_sections()) {
      OptionsBuilder builder(description, section.section);
      section.declare(builder);
    }
    registry.declare_options(strategy, description);
    const std::vector<std::string> args{"--data.train_size=1000", "--data.test_size=500", "--network.layers=784,16,10",
                                        "--train.epochs=2", "--train.strategy=" + strategy,
                                        "--eval.sc=false"};  // SC inference is tested with the SC engine
    po::variables_map values;
    po::store(po::command_line_parser(args).options(description).run(), values);
    po::notify(values);
    const Params config(values, "");
    RunRecord record;
    EnergyLedger ledger;
    SilentProgress progress;
    RunContext context{config, registry, 5, 0, record, ledger, progress};
    run_network_task(context);
    BOOST_TEST(record.dataset("training/loss").shape == std::vector<std::size_t>({2}), boost::test_tools::per_element());
    BOOST_TEST(record.dataset("training/test_accuracy").units == "%");
    BOOST_TEST(record.dataset("evaluation/quantized/confusion").shape == std::vector<std::size_t>({10, 10}),
               boost::test_tools::per_element());
    BOOST_TEST(record.dataset("network/layer1/weights").shape == std::vector<std::size_t>({16, 784}),
               boost::test_tools::per_element());
    BOOST_TEST(record.dataset("network/layer2/quantized_levels").shape == std::vector<std::size_t>({10, 16}),
               boost::test_tools::per_element());
    BOOST_TEST(record.summary_values().count("quantized_accuracy") == 1u);
    BOOST_TEST(record.summary_values().count("float_accuracy") == 1u);
  }
}

BOOST_AUTO_TEST_CASE(unknown_strategy_and_mismatched_inputs_are_errors) {
  PluginRegistry registry({SPINSC_BUILD_PLUGIN_DIR});
  BOOST_CHECK_THROW(registry.find("train.nope"), PluginError);
  const DataSplit& data = mnist_slice();
  NetworkSpec spec;
  spec.layers = {196, 10};  // 14x14 network on 28x28 images
  Mlp network(spec);
  BOOST_CHECK_THROW(TrainingSession(network, data.train, data.test, TrainingOptions{}, {}), ParamError);
}

BOOST_AUTO_TEST_CASE(float_training_with_dropout_and_shifts_does_not_depend_on_thread_count) {
  const DataSplit& data = mnist_slice();
  DataSplit slice = data;
  slice.train.images.conservativeResize(800, slice.train.images.cols());
  slice.train.labels.resize(800);
  std::vector<Matrix> first_layer;
  // (threads, shift): the last run without shifts shows that the shifts reach the training.
  for (auto [threads, shift_px] : {std::pair{1, 2}, std::pair{2, 2}, std::pair{2, 0}}) {
    NetworkSpec spec;
    spec.layers = {784, 20, 10};
    Mlp network(spec);
    TrainingOptions options;
    options.epochs = 1;
    options.batch_size = 80;
    options.dropout = 0.3;
    options.augment_shift_px = shift_px;
    options.threads = threads;
    TrainingSession session(network, slice.train, slice.test, options, {9, 0, nullptr});
    session.run({"float", ForwardMode::float_precision, nullptr, 1});
    first_layer.push_back(network.weights(0));
  }
  BOOST_TEST((first_layer[0].array() == first_layer[1].array()).all());
  BOOST_TEST(!(first_layer[0].array() == first_layer[2].array()).all());
}
