// Requirement (scale out, within a run): one run's SC evaluation can be cut into image ranges of
// whole chunks that other processes evaluate; the ranges cover every image once, in order, each
// starting on a chunk boundary; evaluating the ranges apart gives each image the class it gets in
// the whole set, with the same confusion matrix and the same per-chunk ledgers; the messages that
// carry a share and its results give back exactly what was sent, and refuse damaged bytes.
// (The MPI test runs the whole path under mpirun and compares the results file bit for bit.)
#define BOOST_TEST_MODULE sc_evaluation_sharing
#include <boost/test/unit_test.hpp>

#include <cstring>
#include <random>

#include "spinsc/evaluation.hpp"
#include "spinsc/sc_evaluation_sharing.hpp"

using namespace spinsc;

BOOST_AUTO_TEST_CASE(ranges_are_whole_chunks_in_order_and_cover_every_image_once) {
  struct Case {
    std::size_t images, chunk, parts;
    std::vector<std::pair<std::size_t, std::size_t>> expected;  // first, count (worked out by hand)
  };
  const std::vector<Case> cases = {
      {950, 200, 3, {{0, 400}, {400, 400}, {800, 150}}},  // 5 chunks: 2, 2, 1
      {1000, 200, 2, {{0, 600}, {600, 400}}},             // 5 chunks: 3, 2
      {100, 200, 4, {{0, 100}}},                          // one chunk: one range
      {400, 200, 0, {{0, 400}}},                          // 0 parts: one range
      {0, 200, 3, {}},                                    // nothing to evaluate
      {10000, 200, 7, {{0, 1600}, {1600, 1400}, {3000, 1400}, {4400, 1400}, {5800, 1400}, {7200, 1400}, {8600, 1400}}},
  };
  for (const Case& c : cases) {
    const std::vector<ImageRange> ranges = split_images(c.images, c.chunk, c.parts);
    BOOST_TEST_REQUIRE(ranges.size() == c.expected.size(), c.images << " images in " << c.parts << " parts");
    for (std::size_t i = 0; i < ranges.size(); ++i) {
      BOOST_TEST(ranges[i].first == c.expected[i].first);
      BOOST_TEST(ranges[i].count == c.expected[i].second);
    }
  }
  // Any cut: contiguous, chunk-aligned, chunk counts within one of each other.
  for (std::size_t images : {1u, 199u, 200u, 201u, 2000u, 2345u})
    for (std::size_t parts = 1; parts <= 13; ++parts) {
      const auto ranges = split_images(images, 200, parts);
      std::size_t next = 0, fewest = SIZE_MAX, most = 0;
      for (const auto& r : ranges) {
        BOOST_TEST(r.first == next);
        BOOST_TEST(r.first % 200 == 0u);
        BOOST_TEST(r.count > 0u);
        const std::size_t chunks = (r.count + 199) / 200;
        fewest = std::min(fewest, chunks);
        most = std::max(most, chunks);
        next += r.count;
      }
      BOOST_TEST(next == images);
      BOOST_TEST(most - fewest <= 1u);
    }
}

namespace {

// 25 random 4x4 images of 3 classes and a random 16-6-3 network.
Dataset small_set() {
  std::mt19937 rng(7);
  Dataset d;
  d.name = "random/test";
  d.rows = d.cols = 4;
  d.n_classes = 3;
  d.images.resize(25, 16);
  for (Eigen::Index i = 0; i < d.images.size(); ++i) d.images.data()[i] = std::uint8_t(rng() % 256);
  for (int i = 0; i < 25; ++i) d.labels.push_back(std::uint8_t(rng() % 3));
  return d;
}

Mlp small_network() {
  NetworkSpec spec;
  spec.layers = {16, 6, 3};
  Mlp network(spec);
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> w(-1.0f, 1.0f);
  for (std::size_t l = 0; l < network.n_layers(); ++l)
    for (Eigen::Index i = 0; i < network.weights(l).size(); ++i) network.weights(l).data()[i] = w(rng);
  return network;
}

}  // namespace

BOOST_AUTO_TEST_CASE(ranges_evaluated_apart_give_the_whole_sets_classes_and_counts) {
  const Dataset data = small_set();
  const Mlp network = small_network();
  WorkerPool pool(2);
  EvaluationOptions whole;
  whole.chunk_size = 4;
  const EvaluationResult all = evaluate(network, data, whole, pool);
  BOOST_TEST_REQUIRE(all.n_samples == 25u);
  std::vector<int> joined;
  for (const ImageRange& range : split_images(25, 4, 3)) {
    EvaluationOptions part = whole;
    part.first_sample = range.first;
    part.n_samples = range.count;
    const EvaluationResult r = evaluate(network, data, part, pool);
    BOOST_TEST(r.n_samples == range.count);
    // The range alone: its own counts, from its own labels.
    const EvaluationResult tallied = tally_predictions(data, range.first, r.predictions);
    BOOST_TEST(tallied.n_correct == r.n_correct);
    joined.insert(joined.end(), r.predictions.begin(), r.predictions.end());
  }
  BOOST_TEST(joined == all.predictions, boost::test_tools::per_element());
  const EvaluationResult merged = tally_predictions(data, 0, joined);
  BOOST_TEST(merged.n_correct == all.n_correct);
  BOOST_TEST(merged.confusion == all.confusion, boost::test_tools::per_element());
  // The confusion matrix counted independently: row = label, column = class.
  std::vector<std::int64_t> confusion(9, 0);
  for (std::size_t i = 0; i < 25; ++i) ++confusion[data.labels[i] * 3 + std::size_t(all.predictions[i])];
  BOOST_TEST(all.confusion == confusion, boost::test_tools::per_element());
  BOOST_CHECK_THROW(tally_predictions(data, 20, std::vector<int>(6, 0)), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(a_share_and_its_results_cross_the_wire_exactly) {
  const Mlp network = small_network();
  const std::string job = encode_sc_job(5, network, ImageRange{400, 350});
  std::size_t point = 0;
  std::vector<Matrix> weights;
  ImageRange images;
  decode_sc_job(job, point, weights, images);
  BOOST_TEST(point == 5u);
  BOOST_TEST(images.first == 400u);
  BOOST_TEST(images.count == 350u);
  BOOST_TEST_REQUIRE(weights.size() == network.n_layers());
  for (std::size_t l = 0; l < weights.size(); ++l) {
    BOOST_TEST_REQUIRE(weights[l].rows() == network.weights(l).rows());
    BOOST_TEST_REQUIRE(weights[l].cols() == network.weights(l).cols());
    BOOST_TEST(std::memcmp(weights[l].data(), network.weights(l).data(), sizeof(float) * weights[l].size()) == 0);
  }

  ScShard shard;
  shard.images = {200, 150};
  ScRangeResult result;
  result.predictions = {0, 9, 3, -1};
  result.chunk_ledgers.resize(2);
  result.chunk_ledgers[0].add({"device.lfsr", "layer1", "bits_generated"}, 12345, 1e-14, 1e-9, 1.0);
  result.chunk_ledgers[1].add({"sc.xnor", "layer2", "gate_ops"}, 7, 1.0 / 3.0, 0.1, 2.5);
  result.wall_time_s = 0.25;
  shard.results = {result, ScRangeResult{}};
  const ScShard back = decode_sc_shard(encode_sc_shard(shard));
  BOOST_TEST(back.images.first == 200u);
  BOOST_TEST(back.images.count == 150u);
  BOOST_TEST_REQUIRE(back.results.size() == 2u);
  BOOST_TEST(back.results[0].predictions == result.predictions, boost::test_tools::per_element());
  BOOST_TEST_REQUIRE(back.results[0].chunk_ledgers.size() == 2u);
  for (std::size_t c = 0; c < 2; ++c) {
    const auto& sent = result.chunk_ledgers[c].entries();
    const auto& got = back.results[0].chunk_ledgers[c].entries();
    BOOST_TEST_REQUIRE(got.size() == sent.size());
    for (auto a = sent.begin(), b = got.begin(); a != sent.end(); ++a, ++b) {
      BOOST_TEST((a->first == b->first));
      BOOST_TEST(a->second.events == b->second.events);
      // Bit for bit, not within a tolerance: the owner sums these into the run's ledger.
      BOOST_TEST(std::memcmp(&a->second.energy_J, &b->second.energy_J, sizeof(double)) == 0);
      BOOST_TEST(std::memcmp(&a->second.latency_s, &b->second.latency_s, sizeof(double)) == 0);
      BOOST_TEST(std::memcmp(&a->second.cycles, &b->second.cycles, sizeof(double)) == 0);
    }
  }
  BOOST_TEST(back.results[0].wall_time_s == 0.25);
  BOOST_TEST(back.results[1].predictions.empty());

  // Damaged messages are refused, never half read.
  const std::string bytes = encode_sc_shard(shard);
  BOOST_CHECK_THROW(decode_sc_shard(bytes.substr(0, bytes.size() - 1)), std::runtime_error);
  BOOST_CHECK_THROW(decode_sc_shard(bytes + "x"), std::runtime_error);
  BOOST_CHECK_THROW(decode_sc_shard(job), std::runtime_error);  // a job is not a shard
  BOOST_CHECK_THROW(decode_sc_job(job.substr(0, job.size() / 2), point, weights, images), std::runtime_error);
  std::string huge = job;  // a layer shape far larger than the message
  const std::size_t rows_at = 8 + std::string("spinsc-sc-job-1").size() + 4 * 8;
  const std::uint64_t rows = 1ull << 40;
  std::memcpy(huge.data() + rows_at, &rows, sizeof rows);
  BOOST_CHECK_THROW(decode_sc_job(huge, point, weights, images), std::runtime_error);
}
