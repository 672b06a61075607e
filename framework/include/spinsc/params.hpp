#pragma once
// Parameters: the single place where a parameter's name, type, default, unit, range and
// description are written is the component's declare() function:
//
//   static void declare(spinsc::OptionsBuilder& add) {
//     add("width", spinsc::param<int>(16)->range(8, 32), "LFSR width in bits");
//     add("energy_per_bit_J", spinsc::param<double>(10e-15)->unit("J")->min(0.0), "energy per bit");
//     add("mode", spinsc::param<std::string>("event")->choices({"event", "markov"}), "sampling");
//     add("layers", spinsc::param<spinsc::List<int>>({784, 128, 10}), "layer widths");
//   }
//
// It is a boost::program_options::options_description underneath: `spinsc describe`, --help,
// experiment-file validation and the effective configuration in the results all read it.
// Keys are snake_case with the SI unit in the name where there is one (tau0_s, bias_V).
#include <boost/any.hpp>
#include <boost/config.hpp>
#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <cstdint>
#include <limits>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace spinsc {

namespace po = boost::program_options;

// A bad parameter value. what() names the key and the value.
class BOOST_SYMBOL_VISIBLE ParamError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  ~ParamError() override;
};

// A comma-separated list value: "784,128,10" in a file or on the command line.
template <class T>
struct BOOST_SYMBOL_VISIBLE List {
  std::vector<T> values;
  List() = default;
  List(std::initializer_list<T> v) : values(v) {}
  explicit List(std::vector<T> v) : values(std::move(v)) {}
  bool operator==(const List&) const = default;
};

// Shortest text that reads back to the same value ("1e-09", "0.25", "true").
template <class T>
std::string to_text(const T& value) {
  if constexpr (std::is_same_v<T, bool>) {
    return value ? "true" : "false";
  } else {
    return fmt::format("{}", value);
  }
}
template <class T>
std::string to_text(const List<T>& list) {
  std::string text;
  for (std::size_t i = 0; i < list.values.size(); ++i) text += (i ? "," : "") + to_text(list.values[i]);
  return text;
}

std::vector<std::string> split_list(const std::string& text);  // on commas, trimmed, empty items dropped
// split_list without dropping empty items ("0.1,,0.9" -> "0.1", "", "0.9"), each trimmed: for
// checks that refuse an empty item as a typo.
std::vector<std::string> split_list_keeping_empty(const std::string& text);

// program_options hook: parses "a,b,c" into List<T>; each element by lexical_cast.
template <class T>
void validate(boost::any& store, const std::vector<std::string>& tokens, List<T>*, int) {
  po::validators::check_first_occurrence(store);
  const std::string& text = po::validators::get_single_string(tokens);
  List<T> list;
  for (const std::string& item : split_list(text)) {
    try {
      list.values.push_back(boost::lexical_cast<T>(item));
    } catch (const boost::bad_lexical_cast&) {
      throw po::invalid_option_value(text);
    }
  }
  store = list;
}

// What `describe` and the validator need to know about a parameter beyond program_options.
class BOOST_SYMBOL_VISIBLE ParamInfo {
 public:
  virtual ~ParamInfo();
  virtual std::string type_name() const = 0;     // "real", "integer", "string", "bool", "list of real"
  virtual std::string default_text() const = 0;  // "" when there is no default (required)
  virtual std::string unit() const = 0;          // "s", "J", "" for dimensionless
  virtual std::string range_text() const = 0;    // "[8, 32]", "> 0", "one of: a, b", or ""
  // Throws ParamError naming `key` if the value is outside the valid range.
  virtual void check(const boost::any& value, const std::string& key) const = 0;
  // False for keys that cannot change a result (thread counts, progress settings): they are in
  // no run or training identity (run_identity.hpp), so a run can be resumed with another value.
  virtual bool affects_results() const = 0;
};

template <class T> std::string type_name_of();
template <> inline std::string type_name_of<double>() { return "real"; }
template <> inline std::string type_name_of<int>() { return "integer"; }
template <> inline std::string type_name_of<std::int64_t>() { return "integer"; }
template <> inline std::string type_name_of<std::uint64_t>() { return "integer"; }
template <> inline std::string type_name_of<bool>() { return "bool"; }
template <> inline std::string type_name_of<std::string>() { return "string"; }
template <> inline std::string type_name_of<List<double>>() { return "list of real"; }
template <> inline std::string type_name_of<List<int>>() { return "list of integer"; }
template <> inline std::string type_name_of<List<std::string>>() { return "list of string"; }

// A typed parameter with default, unit, range and choices. Build it with param<T>(default).
template <class T>
class TypedParam final : public po::typed_value<T>, public ParamInfo {
 public:
  using Element = T;
  TypedParam() : po::typed_value<T>(nullptr) {}

  TypedParam* with_default(const T& value) {
    default_ = value;
    this->default_value(value, to_text(value));
    return this;
  }
  TypedParam* range(double lo, double hi) { lo_ = lo; hi_ = hi; return this; }
  TypedParam* min(double lo) { lo_ = lo; return this; }
  TypedParam* max(double hi) { hi_ = hi; return this; }
  // Strict bounds: value > lo (e.g. a time constant that must be positive).
  TypedParam* above(double lo) { lo_ = lo; lo_open_ = true; return this; }
  TypedParam* unit(std::string u) { unit_ = std::move(u); return this; }
  TypedParam* choices(std::vector<std::string> c) { choices_ = std::move(c); return this; }
  // The key cannot change any result (e.g. a thread count): it is left out of run identities.
  TypedParam* no_effect_on_results() { affects_results_ = false; return this; }
  bool affects_results() const override { return affects_results_; }

  std::string type_name() const override { return type_name_of<T>(); }
  std::string default_text() const override { return default_ ? to_text(*default_) : ""; }
  std::string unit() const override { return unit_; }
  std::string range_text() const override {
    if (!choices_.empty()) {
      std::string text = "one of:";
      for (const auto& c : choices_) text += " " + c;
      return text;
    }
    const bool has_lo = lo_ > -kInf, has_hi = hi_ < kInf;
    if (has_lo && has_hi) return (lo_open_ ? "(" : "[") + to_text(lo_) + ", " + to_text(hi_) + "]";
    if (has_lo) return (lo_open_ ? "> " : ">= ") + to_text(lo_);
    if (has_hi) return "<= " + to_text(hi_);
    return "";
  }
  void check(const boost::any& value, const std::string& key) const override {
    const T& v = boost::any_cast<const T&>(value);
    if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) {
      check_number(static_cast<double>(v), key, to_text(v));
    } else if constexpr (std::is_same_v<T, std::string>) {
      check_choice(v, key);
    } else if constexpr (std::is_same_v<T, List<std::string>>) {
      for (const auto& item : v.values) check_choice(item, key);
    } else if constexpr (!std::is_same_v<T, bool>) {
      for (const auto& item : v.values) check_number(static_cast<double>(item), key, to_text(v));
    }
  }

 private:
  static constexpr double kInf = std::numeric_limits<double>::infinity();
  void check_number(double x, const std::string& key, const std::string& shown) const {
    const bool low = lo_open_ ? !(x > lo_) : !(x >= lo_);
    if (low || !(x <= hi_))
      throw ParamError("value " + shown + " of '" + key + "' is out of range " + range_text());
  }
  void check_choice(const std::string& v, const std::string& key) const {
    if (choices_.empty()) return;
    for (const auto& c : choices_)
      if (c == v) return;
    throw ParamError("value '" + v + "' of '" + key + "' is not valid: " + range_text());
  }
  std::optional<T> default_;
  double lo_ = -kInf, hi_ = kInf;
  bool lo_open_ = false;
  std::string unit_;
  std::vector<std::string> choices_;
  bool affects_results_ = true;
};

// param<double>(1e-9): a parameter with a default. param<int>(): a required parameter.
template <class T>
TypedParam<T>* param(const T& default_value) {
  return (new TypedParam<T>())->with_default(default_value);
}
template <class T>
TypedParam<T>* param() {
  return new TypedParam<T>();
}
inline TypedParam<std::string>* param(const char* default_value) {
  return param<std::string>(std::string(default_value));
}

// Adds parameters under a prefix: add("width", ...) inside plugin device.lfsr declares the key
// device.lfsr.width (section [device.lfsr], key width, in an experiment file).
class BOOST_SYMBOL_VISIBLE OptionsBuilder {
 public:
  OptionsBuilder(po::options_description& description, std::string prefix);
  template <class T>
  OptionsBuilder& operator()(const std::string& key, TypedParam<T>* semantic, const char* text) {
    description_.add_options()(full_key(key).c_str(), semantic, text);
    return *this;
  }
  std::string full_key(std::string_view key) const;
  const std::string& prefix() const { return prefix_; }

 private:
  po::options_description& description_;
  std::string prefix_;
};

// Read access to resolved parameters under a prefix: params.get<int>("width") reads
// device.lfsr.width. Values are already type-converted and range-checked.
class BOOST_SYMBOL_VISIBLE Params {
 public:
  Params(const po::variables_map& values, std::string prefix);
  template <class T>
  T get(std::string_view key) const {
    const std::string name = full_key(key);
    auto it = values_->find(name);
    if (it == values_->end() || it->second.empty()) throw ParamError("missing parameter '" + name + "'");
    try {
      return it->second.as<T>();
    } catch (const boost::bad_any_cast&) {
      throw ParamError("parameter '" + name + "' read as " + type_name_of<T>() + ", declared otherwise");
    }
  }
  bool has(std::string_view key) const;
  std::string full_key(std::string_view key) const;
  Params section(std::string_view sub_prefix) const;  // e.g. params.section("train.qat")
  const po::variables_map& values() const { return *values_; }
  const std::string& prefix() const { return prefix_; }

 private:
  const po::variables_map* values_;
  std::string prefix_;
};

}  // namespace spinsc
