#include "spinsc/run_message.hpp"

#include <cstring>
#include <stdexcept>

namespace spinsc {

namespace {

constexpr std::uint64_t kMagic = 0x31'6e'75'72'63'73'6e'69ull;  // "inscrun1"

class Writer {
 public:
  void u64(std::uint64_t v) { raw(&v, sizeof v); }
  void f64(double v) { raw(&v, sizeof v); }
  void text(const std::string& s) {
    u64(s.size());
    raw(s.data(), s.size());
  }
  void value(const AttributeValue& v) {
    u64(v.index());
    std::visit([&](const auto& x) {
      if constexpr (std::is_same_v<std::decay_t<decltype(x)>, std::string>) {
        text(x);
      } else {
        raw(&x, sizeof x);
      }
    }, v);
  }
  void pairs(const std::vector<std::pair<std::string, std::string>>& list) {
    u64(list.size());
    for (const auto& [a, b] : list) text(a), text(b);
  }
  std::string bytes;

 private:
  void raw(const void* p, std::size_t n) { bytes.append(static_cast<const char*>(p), n); }
};

class Reader {
 public:
  explicit Reader(const std::string& bytes) : bytes_(bytes) {}
  std::uint64_t u64() { return number<std::uint64_t>(); }
  double f64() { return number<double>(); }
  std::int64_t i64() { return number<std::int64_t>(); }
  std::string text() {
    const std::uint64_t n = u64();
    need(n);
    std::string s = bytes_.substr(at_, n);
    at_ += n;
    return s;
  }
  AttributeValue value() {
    switch (u64()) {
      case 0: return i64();
      case 1: return f64();
      case 2: return text();
      default: throw std::runtime_error("run message: bad attribute type");
    }
  }
  std::vector<std::pair<std::string, std::string>> pairs() {
    std::vector<std::pair<std::string, std::string>> list(count(16));
    for (auto& [a, b] : list) a = text(), b = text();
    return list;
  }
  // A count of items of at least `item_bytes` each: never more than the bytes left could hold.
  std::size_t count(std::size_t item_bytes) {
    const std::uint64_t n = u64();
    if (n > (bytes_.size() - at_) / item_bytes) throw std::runtime_error("run message: damaged count");
    return static_cast<std::size_t>(n);
  }
  bool at_end() const { return at_ == bytes_.size(); }

 private:
  template <class T>
  T number() {
    need(sizeof(T));
    T v;
    std::memcpy(&v, bytes_.data() + at_, sizeof v);
    at_ += sizeof v;
    return v;
  }
  void need(std::uint64_t n) const {
    if (n > bytes_.size() - at_) throw std::runtime_error("run message: truncated");
  }
  const std::string& bytes_;
  std::size_t at_ = 0;
};

}  // namespace

std::string encode_run(const RunOutcome& o, const RunRecord& record) {
  Writer w;
  w.u64(kMagic);
  w.u64(o.run_index);
  w.text(o.run_id), w.text(o.training_id);
  w.pairs(o.swept);
  w.u64(o.seed);
  w.text(o.status);
  w.f64(o.wall_time_s);
  w.text(o.started_utc), w.text(o.finished_utc), w.text(o.spinsc_version), w.text(o.git_revision);
  w.u64(record.datasets().size());
  for (const auto& [path, d] : record.datasets()) {
    w.text(path);
    w.u64(d.shape.size());
    for (auto n : d.shape) w.u64(n);
    w.text(d.units);
    w.u64(d.data.index());
    std::visit([&](const auto& values) {
      w.u64(values.size());
      for (const auto& v : values) {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>) {
          w.text(v);
        } else if constexpr (std::is_same_v<std::decay_t<decltype(v)>, double>) {
          w.f64(v);
        } else {
          w.u64(static_cast<std::uint64_t>(v));
        }
      }
    }, d.data);
    w.u64(d.attributes.size());
    for (const auto& [name, value] : d.attributes) w.text(name), w.value(value);
  }
  w.u64(record.attributes().size());
  for (const auto& [path, attributes] : record.attributes()) {
    w.text(path);
    w.u64(attributes.size());
    for (const auto& [name, value] : attributes) w.text(name), w.value(value);
  }
  w.u64(record.summary_values().size());
  for (const auto& [column, value_units] : record.summary_values()) {
    w.text(column), w.f64(value_units.first), w.text(value_units.second);
  }
  return std::move(w.bytes);
}

std::pair<RunOutcome, RunRecord> decode_run(const std::string& bytes) {
  Reader r(bytes);
  if (r.u64() != kMagic) throw std::runtime_error("run message: not a run");
  RunOutcome o;
  o.run_index = r.u64();
  o.run_id = r.text(), o.training_id = r.text();
  o.swept = r.pairs();
  o.seed = r.u64();
  o.status = r.text();
  o.wall_time_s = r.f64();
  o.started_utc = r.text(), o.finished_utc = r.text(), o.spinsc_version = r.text(), o.git_revision = r.text();
  RunRecord record;
  for (std::size_t n = r.count(8); n > 0; --n) {
    const std::string path = r.text();
    DatasetRecord d;
    d.shape.resize(r.count(8));
    for (auto& s : d.shape) s = r.u64();
    d.units = r.text();
    const std::uint64_t kind = r.u64();
    const std::size_t values = r.count(8);
    if (kind == 0) {
      std::vector<double> v(values);
      for (auto& x : v) x = r.f64();
      d.data = std::move(v);
    } else if (kind == 1) {
      std::vector<std::int64_t> v(values);
      for (auto& x : v) x = r.i64();
      d.data = std::move(v);
    } else if (kind == 2) {
      std::vector<std::string> v(values);
      for (auto& x : v) x = r.text();
      d.data = std::move(v);
    } else {
      throw std::runtime_error("run message: bad dataset type");
    }
    for (std::size_t k = r.count(16); k > 0; --k) {
      std::string name = r.text();
      d.attributes[name] = r.value();
    }
    record.put(path, std::move(d));
  }
  for (std::size_t n = r.count(16); n > 0; --n) {
    const std::string path = r.text();
    for (std::size_t k = r.count(16); k > 0; --k) {
      std::string name = r.text();
      record.attribute(path, name, r.value());
    }
  }
  for (std::size_t n = r.count(24); n > 0; --n) {
    std::string column = r.text();
    const double value = r.f64();
    record.summary(column, value, r.text());
  }
  if (!r.at_end()) throw std::runtime_error("run message: trailing bytes");
  return {std::move(o), std::move(record)};
}

}  // namespace spinsc
