// Encoding of a finished run for another process (see run_wire.hpp): a tag, then every field as
// fixed-size integers, raw doubles, and strings as length + bytes.
#include "spinsc/run_wire.hpp"

#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace spinsc {

namespace {

constexpr std::string_view kTag = "spinsc-run-1";

class Writer {
 public:
  void u64(std::uint64_t v) { raw(&v, sizeof v); }
  void i64(std::int64_t v) { raw(&v, sizeof v); }
  void f64(double v) { raw(&v, sizeof v); }
  void str(const std::string& s) {
    u64(s.size());
    bytes_.append(s);
  }
  void attribute(const AttributeValue& value) {
    u64(value.index());
    if (auto* i = std::get_if<std::int64_t>(&value)) i64(*i);
    if (auto* d = std::get_if<double>(&value)) f64(*d);
    if (auto* s = std::get_if<std::string>(&value)) str(*s);
  }
  void attributes(const std::map<std::string, AttributeValue>& map) {
    u64(map.size());
    for (const auto& [name, value] : map) {
      str(name);
      attribute(value);
    }
  }
  void pairs(const std::vector<std::pair<std::string, std::string>>& items) {
    u64(items.size());
    for (const auto& [a, b] : items) {
      str(a);
      str(b);
    }
  }
  std::string take() { return std::move(bytes_); }

 private:
  void raw(const void* p, std::size_t n) { bytes_.append(static_cast<const char*>(p), n); }
  std::string bytes_;
};

class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  std::uint64_t u64() { return fixed<std::uint64_t>(); }
  std::int64_t i64() { return fixed<std::int64_t>(); }
  double f64() { return fixed<double>(); }
  std::string str() {
    const std::uint64_t n = u64();
    need(n);
    std::string s(bytes_.substr(at_, n));
    at_ += n;
    return s;
  }
  // A count of items that each take at least `min_bytes`: a damaged count cannot allocate much.
  std::uint64_t count(std::size_t min_bytes) {
    const std::uint64_t n = u64();
    if (n > (bytes_.size() - at_) / std::max<std::size_t>(min_bytes, 1)) fail();
    return n;
  }
  AttributeValue attribute() {
    switch (u64()) {
      case 0: return i64();
      case 1: return f64();
      case 2: return str();
      default: fail();
    }
  }
  std::map<std::string, AttributeValue> attributes() {
    std::map<std::string, AttributeValue> map;
    for (std::uint64_t n = count(24); n > 0; --n) {
      std::string name = str();
      map[name] = attribute();
    }
    return map;
  }
  std::vector<std::pair<std::string, std::string>> pairs() {
    std::vector<std::pair<std::string, std::string>> items;
    for (std::uint64_t n = count(16); n > 0; --n) {
      std::string a = str();
      items.emplace_back(std::move(a), str());
    }
    return items;
  }
  bool done() const { return at_ == bytes_.size(); }
  [[noreturn]] static void fail() { throw std::runtime_error("a run received from another process is damaged"); }

 private:
  template <class T>
  T fixed() {
    need(sizeof(T));
    T v;
    std::memcpy(&v, bytes_.data() + at_, sizeof v);
    at_ += sizeof v;
    return v;
  }
  void need(std::uint64_t n) const {
    if (n > bytes_.size() - at_) fail();
  }
  std::string_view bytes_;
  std::size_t at_ = 0;
};

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
  Reader r(bytes);
  if (r.str() != kTag) Reader::fail();
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
      Reader::fail();
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
  if (!r.done()) Reader::fail();
}

}  // namespace spinsc
