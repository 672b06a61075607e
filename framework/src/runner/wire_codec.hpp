#pragma once
// Bytes for messages between the processes of one job (a finished run, a share of an SC
// evaluation, a trained network): fixed-size integers, raw doubles and floats, strings as
// length + bytes. Private to one build of spinsc (every rank runs the same binary); nothing is
// stored in this form.
#include <cstdint>
#include <algorithm>
#include <cstring>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "spinsc/quantized_matrix.hpp"
#include "spinsc/run_record.hpp"

namespace spinsc::wire {

class Writer {
 public:
  void u64(std::uint64_t v) { raw(&v, sizeof v); }
  void i64(std::int64_t v) { raw(&v, sizeof v); }
  void f64(double v) { raw(&v, sizeof v); }
  void f32(float v) { raw(&v, sizeof v); }
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
  // `what` names the message in errors ("a run").
  Reader(std::string_view bytes, std::string what) : bytes_(bytes), what_(std::move(what)) {}
  std::uint64_t u64() { return fixed<std::uint64_t>(); }
  std::int64_t i64() { return fixed<std::int64_t>(); }
  double f64() { return fixed<double>(); }
  float f32() { return fixed<float>(); }
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
  std::size_t left() const { return bytes_.size() - at_; }
  // Throws std::runtime_error "<what> received from another process is damaged".
  [[noreturn]] void fail() const { throw std::runtime_error(what_ + " received from another process is damaged"); }

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
  std::string what_;
  std::size_t at_ = 0;
};

// A run record (every dataset, attribute and summary value) and float matrices (a network's
// weights, layer by layer), bit for bit (wire_codec.cpp).
void write_record(Writer& w, const RunRecord& record);
RunRecord read_record(Reader& r);
void write_matrices(Writer& w, const std::vector<const Matrix*>& matrices);
std::vector<Matrix> read_matrices(Reader& r);

}  // namespace spinsc::wire
