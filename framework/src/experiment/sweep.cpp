// [sweep] expansion: value lists and range helpers into run points with stable indices.
#include <boost/algorithm/string/trim.hpp>
#include <algorithm>
#include <cmath>
#include <limits>

#include "spinsc/experiment.hpp"
#include "spinsc/random.hpp"
#include "error_text.hpp"

namespace spinsc {

std::uint64_t repeat_seed(std::uint64_t seed, std::uint64_t repeat) {
  if (repeat == 0) return seed;
  return RandomStream(seed, "repeat", repeat).next_u64();
}

namespace {

double number_argument(const std::string& text, const std::string& helper) {
  const std::string item = boost::algorithm::trim_copy(text);
  std::size_t used = 0;
  double value = 0.0;
  try {
    value = std::stod(item, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != item.size() || !std::isfinite(value))
    throw ExperimentError("'" + shown_in_error(item) + "' is not a number in " + helper);
  return value;
}

// "name(a,b,c)" -> {a, b, c} if text has that form, else nothing.
bool helper_call(const std::string& text, const std::string& name, std::vector<double>& args) {
  if (text.rfind(name + "(", 0) != 0) return false;
  if (text.back() != ')')
    throw ExperimentError("'" + shown_in_error(text) + "' lacks its closing ')'; write " + name + "(a,b,n)");
  const std::vector<std::string> items = split_list(text.substr(name.size() + 1, text.size() - name.size() - 2));
  if (items.size() != 3)
    throw ExperimentError("'" + shown_in_error(text) + "' needs three arguments, " + name +
                          (name == "linspace" ? "(first,last,count)" : "(first,end,step)"));
  args.clear();
  for (const auto& item : items) args.push_back(number_argument(item, text));
  return true;
}

}  // namespace

std::vector<std::string> expand_sweep_values(const std::string& raw_text, bool list_valued) {
  const std::string text = boost::algorithm::trim_copy(raw_text);
  std::vector<double> args;
  std::vector<std::string> values;
  if (helper_call(text, "linspace", args)) {
    const double count = args[2];
    if (count < 1 || count != std::floor(count) || count > 1e6)
      throw ExperimentError("the count in '" + text + "' must be a whole number from 1 to 1e6");
    const auto n = static_cast<std::uint64_t>(count);
    // (a*(n-1-i) + b*i)/(n-1): exact at both ends and correctly rounded for whole-number ends,
    // so linspace(-1,1,11) gives -0.8, not -0.7999999999999999.
    for (std::uint64_t i = 0; i < n; ++i) {
      const double x = n == 1 ? args[0]
                              : (args[0] * static_cast<double>(n - 1 - i) + args[1] * static_cast<double>(i)) /
                                    static_cast<double>(n - 1);
      values.push_back(to_text(x == 0.0 ? 0.0 : x));  // no "-0"
    }
    return values;
  }
  if (helper_call(text, "range", args)) {
    const double first = args[0], end = args[1], step = args[2];
    if (step == 0.0 || (end - first) / step < 0.0)
      throw ExperimentError("'" + shown_in_error(text) + "' is empty or endless: the step must lead from first toward end");
    // Count with a relative slack so that range(0,1,0.1) has 10 values, not 11. The count is
    // bounded before it becomes an integer: the conversion is undefined beyond 2^64 (and gave 0).
    const double span = (end - first) / step;
    const double count = std::ceil(span - 1e-9 * std::max(1.0, std::abs(span)));
    if (!(count <= 1e6)) throw ExperimentError("'" + shown_in_error(text) + "' has more than 1e6 values");
    if (count < 1) throw ExperimentError("'" + shown_in_error(text) + "' has no values (first is already at end)");
    const auto n = static_cast<std::uint64_t>(count);
    for (std::uint64_t i = 0; i < n; ++i) {
      const double x = first + static_cast<double>(i) * step;
      values.push_back(to_text(x == 0.0 ? 0.0 : x));
    }
    return values;
  }
  if (list_valued) {
    // A list-valued key sweeps over lists: "784,128,10 | 784,392,196,98,10".
    std::size_t start = 0;
    while (true) {
      const std::size_t bar = text.find('|', start);
      std::string item = boost::algorithm::trim_copy(text.substr(start, bar == std::string::npos ? bar : bar - start));
      if (!item.empty()) values.push_back(item);
      if (bar == std::string::npos) break;
      start = bar + 1;
    }
  } else {
    values = split_list_keeping_empty(text);
    if (values.size() > 1 && std::find(values.begin(), values.end(), "") != values.end())
      throw ExperimentError("'" + shown_in_error(text) + "' has an empty item (two commas in a row, or one at an end)");
    std::erase(values, "");
  }
  if (values.empty()) throw ExperimentError("no values to sweep over");
  return values;
}

std::vector<RunPoint> expand_run_points(const std::string& mode, const std::vector<SweepAxis>& axes,
                                        std::uint64_t repeats, std::uint64_t seed) {
  if (repeats == 0) throw ExperimentError("sweep.repeats must be at least 1");
  std::vector<std::vector<std::size_t>> combinations;  // value index per axis
  if (axes.empty()) {
    combinations.emplace_back();
  } else if (mode == "zip") {
    const std::size_t n = axes.front().values.size();
    for (const auto& axis : axes)
      if (axis.values.size() != n)
        throw ExperimentError("sweep mode zip needs equally long lists: " + axes.front().key + " has " +
                              std::to_string(n) + " values (" + axes.front().origin + "), " + axis.key + " has " +
                              std::to_string(axis.values.size()) + " (" + axis.origin + ")");
    for (std::size_t i = 0; i < n; ++i) combinations.emplace_back(axes.size(), i);
  } else if (mode == "grid") {
    std::uint64_t total = 1;
    for (const auto& axis : axes) {
      total *= axis.values.size();
      if (total > 10000000) throw ExperimentError("the grid sweep has more than 1e7 points");
    }
    for (std::uint64_t c = 0; c < total; ++c) {
      std::vector<std::size_t> index(axes.size());
      std::uint64_t rest = c;
      for (std::size_t a = axes.size(); a-- > 0;) {  // the last axis varies fastest
        index[a] = rest % axes[a].values.size();
        rest /= axes[a].values.size();
      }
      combinations.push_back(std::move(index));
    }
  } else {
    throw ExperimentError("unknown sweep mode '" + mode + "' (valid: grid, zip)");
  }

  // Refused with its size before anything is allocated for it (the product could not run anyway).
  constexpr std::uint64_t kMaxRunPoints = 10000000;
  if (repeats > kMaxRunPoints / std::max<std::uint64_t>(combinations.size(), 1))
    throw ExperimentError("the sweep has " + std::to_string(combinations.size()) + " combinations x " +
                          std::to_string(repeats) + " repeats, more than the 1e7 runs one experiment may hold");
  if (combinations.empty()) throw ExperimentError("the sweep expands to no run at all");
  std::vector<RunPoint> points;
  points.reserve(combinations.size() * repeats);
  for (std::size_t c = 0; c < combinations.size(); ++c) {
    std::uint64_t base_seed = seed;
    std::vector<std::pair<std::string, std::string>> swept;
    for (std::size_t a = 0; a < axes.size(); ++a) {
      const std::string& value = axes[a].values[combinations[c][a]];
      swept.emplace_back(axes[a].key, value);
      if (axes[a].key == "seed") base_seed = std::stoull(value);
    }
    for (std::uint64_t r = 0; r < repeats; ++r) {
      RunPoint point;
      point.run_index = c * repeats + r;
      point.repeat = r;
      point.seed = repeat_seed(base_seed, r);
      point.swept = swept;
      if (repeats > 1) point.swept.emplace_back("repeat", std::to_string(r));
      points.push_back(std::move(point));
    }
  }
  return points;
}

}  // namespace spinsc
