// A run sent from one MPI rank to another (run_message.hpp) arrives as it left: every dataset
// (real, integer, text; vector, matrix, scalar), attribute and summary value bit for bit, NaN,
// infinities and negative zero included; damaged or truncated bytes are refused, not read.
#define BOOST_TEST_MODULE mpi_run_message
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstring>
#include <limits>

#include "spinsc/run_message.hpp"

namespace {
bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

spinsc::RunRecord sample() {
  spinsc::RunRecord r;
  r.put("training/loss", std::vector<double>{1.5, std::nan(""), -0.0, std::numeric_limits<double>::infinity()}, "1");
  r.put_matrix("network/layer1/quantized_levels", std::vector<std::int64_t>{-1, 0, 1, std::numeric_limits<std::int64_t>::min()},
               2, 2, "1");
  r.put_scalar("ledger/total/energy_J", 6.25e-9, "J");
  r.put("evaluation/modes", std::vector<std::string>{"float", "", "sc \xc2\xb5"});
  r.put("ledger/empty", std::vector<double>{}, "s");
  r.attribute("", "data_folder", std::string("/data/mnist"));
  r.attribute("training", "trained_in_this_run", std::int64_t{1});
  r.attribute("network", "quant_lower", -1.0);
  r.summary("sc_accuracy", 91.25, "%");
  return r;
}
}  // namespace

BOOST_AUTO_TEST_CASE(a_run_decodes_to_what_was_encoded) {
  spinsc::RunOutcome o;
  o.run_index = 42;
  o.run_id = "0123456789abcdef";
  o.training_id = "fedcba9876543210";
  o.swept = {{"device.plugin", "device.lfsr"}, {"network.levels", "5"}};
  o.seed = 18446744073709551615ull;
  o.status = "failed: out of memory";
  o.wall_time_s = 1.25;
  o.started_utc = "2026-01-01T00:00:00Z";
  o.finished_utc = "2026-01-01T00:00:01Z";
  const spinsc::RunRecord r = sample();
  const auto [back, record] = spinsc::decode_run(spinsc::encode_run(o, r));
  BOOST_TEST(back.run_index == 42u);
  BOOST_TEST(back.run_id == o.run_id);
  BOOST_TEST(back.training_id == o.training_id);
  BOOST_TEST((back.swept == o.swept));
  BOOST_TEST(back.seed == o.seed);
  BOOST_TEST(back.status == o.status);
  BOOST_TEST(back.started_utc == o.started_utc);
  BOOST_TEST(back.finished_utc == o.finished_utc);
  BOOST_TEST(record.datasets().size() == r.datasets().size());
  for (const auto& [path, d] : r.datasets()) {
    const auto& e = record.dataset(path);
    BOOST_TEST((e.shape == d.shape), path);
    BOOST_TEST(e.units == d.units, path);
    BOOST_TEST(e.data.index() == d.data.index(), path);
  }
  const auto& loss = std::get<std::vector<double>>(record.dataset("training/loss").data);
  const auto& loss_in = std::get<std::vector<double>>(r.dataset("training/loss").data);
  for (std::size_t i = 0; i < loss.size(); ++i) BOOST_TEST(same_bits(loss[i], loss_in[i]), i);
  BOOST_TEST((std::get<std::vector<std::int64_t>>(record.dataset("network/layer1/quantized_levels").data) ==
              std::get<std::vector<std::int64_t>>(r.dataset("network/layer1/quantized_levels").data)));
  BOOST_TEST(record.dataset("ledger/total/energy_J").shape.empty());
  BOOST_TEST((std::get<std::vector<std::string>>(record.dataset("evaluation/modes").data) ==
              std::get<std::vector<std::string>>(r.dataset("evaluation/modes").data)));
  BOOST_TEST((record.attributes() == r.attributes()));
  BOOST_TEST((record.summary_values() == r.summary_values()));
}

BOOST_AUTO_TEST_CASE(damaged_messages_are_refused) {
  spinsc::RunOutcome o;
  o.status = "complete";
  const std::string bytes = spinsc::encode_run(o, sample());
  BOOST_CHECK_THROW(spinsc::decode_run(""), std::runtime_error);
  BOOST_CHECK_THROW(spinsc::decode_run(bytes.substr(0, bytes.size() - 1)), std::runtime_error);
  BOOST_CHECK_THROW(spinsc::decode_run(bytes + "x"), std::runtime_error);
  std::string wrong = bytes;
  wrong[0] ^= 1;
  BOOST_CHECK_THROW(spinsc::decode_run(wrong), std::runtime_error);
  // Every cut is refused, never read past the end (a count that claims more than the bytes left).
  for (std::size_t n = 0; n < bytes.size(); n += 7) BOOST_CHECK_THROW(spinsc::decode_run(bytes.substr(0, n)), std::runtime_error);
}
