// Encoding of a finished run for another process (see run_wire.hpp): a tag, then every field as
// fixed-size integers, raw doubles, and strings as length + bytes.
#include "spinsc/run_wire.hpp"

#include "runner/wire_codec.hpp"

namespace spinsc {

namespace {

constexpr std::string_view kTag = "spinsc-run-1";
using wire::Reader;
using wire::Writer;

}  // namespace

std::string encode_run(const RunOutcome& outcome, const RunRecord& record) {
  Writer w;
  w.str(std::string(kTag));
  w.u64(outcome.run_index);
  w.str(outcome.run_id);
  w.str(outcome.training_id);
  w.pairs(outcome.swept);
  w.u64(outcome.seed);
  w.str(outcome.status);
  w.f64(outcome.wall_time_s);
  w.str(outcome.started_utc);
  w.str(outcome.finished_utc);
  w.u64(record.datasets().size());
  for (const auto& [path, dataset] : record.datasets()) {
    w.str(path);
    w.u64(dataset.data.index());
    if (auto* d = std::get_if<std::vector<double>>(&dataset.data)) {
      w.u64(d->size());
      for (double v : *d) w.f64(v);
    } else if (auto* i = std::get_if<std::vector<std::int64_t>>(&dataset.data)) {
      w.u64(i->size());
      for (std::int64_t v : *i) w.i64(v);
    } else {
      const auto& s = std::get<std::vector<std::string>>(dataset.data);
      w.u64(s.size());
      for (const auto& v : s) w.str(v);
    }
    w.u64(dataset.shape.size());
    for (std::size_t n : dataset.shape) w.u64(n);
    w.str(dataset.units);
    w.attributes(dataset.attributes);
  }
  w.u64(record.attributes().size());
  for (const auto& [path, attributes] : record.attributes()) {
    w.str(path);
    w.attributes(attributes);
  }
  w.u64(record.summary_values().size());
  for (const auto& [column, value_units] : record.summary_values()) {
    w.str(column);
    w.f64(value_units.first);
    w.str(value_units.second);
  }
  return w.take();
}

void decode_run(std::string_view bytes, RunOutcome& outcome, RunRecord& record) {
  Reader r(bytes, "a run");
  if (r.str() != kTag) r.fail();
  outcome.run_index = r.u64();
  outcome.run_id = r.str();
  outcome.training_id = r.str();
  outcome.swept = r.pairs();
  outcome.seed = r.u64();
  outcome.status = r.str();
  outcome.wall_time_s = r.f64();
  outcome.started_utc = r.str();
  outcome.finished_utc = r.str();
  record = RunRecord{};
  for (std::uint64_t n = r.count(32); n > 0; --n) {
    const std::string path = r.str();
    DatasetRecord dataset;
    const std::uint64_t kind = r.u64();
    if (kind == 0) {
      std::vector<double> values(r.count(8));
      for (double& v : values) v = r.f64();
      dataset.data = std::move(values);
    } else if (kind == 1) {
      std::vector<std::int64_t> values(r.count(8));
      for (std::int64_t& v : values) v = r.i64();
      dataset.data = std::move(values);
    } else if (kind == 2) {
      std::vector<std::string> values(r.count(8));
      for (std::string& v : values) v = r.str();
      dataset.data = std::move(values);
    } else {
      r.fail();
    }
    dataset.shape.resize(r.count(8));
    for (std::size_t& s : dataset.shape) s = r.u64();
    dataset.units = r.str();
    dataset.attributes = r.attributes();
    record.put(path, std::move(dataset));
  }
  for (std::uint64_t n = r.count(16); n > 0; --n) {
    const std::string path = r.str();
    for (auto& [name, value] : r.attributes()) record.attribute(path, name, std::move(value));
  }
  for (std::uint64_t n = r.count(24); n > 0; --n) {
    const std::string column = r.str();
    const double value = r.f64();
    record.summary(column, value, r.str());
  }
  if (!r.done()) r.fail();
}

}  // namespace spinsc
