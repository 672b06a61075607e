#include "results/summary_table.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <set>

#include "results/h5_io.hpp"

namespace spinsc::results {

namespace {
const std::set<std::string>& reserved_names() {
  static const std::set<std::string> names = {
      "run_index",   "status",        "run_seed",        "wall_time_s",    "started_utc",   "finished_utc",
      "spinsc_version", "git_revision", "swept_keys", "summary_columns", "summary_values", "summary_units",
      "run_id", "training_id"};
  return names;
}

std::string as_text(const AttributeValue& v) {
  return std::visit(
      [](const auto& x) -> std::string {
        if constexpr (std::is_same_v<std::decay_t<decltype(x)>, std::string>) {
          return x;
        } else {
          return fmt::format("{}", x);
        }
      },
      v);
}
}  // namespace

bool is_reserved_column(const std::string& name) { return reserved_names().count(name) > 0; }

AttributeValue typed_swept_value(const std::string& text) {
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  std::int64_t integer = 0;
  if (auto [p, ec] = std::from_chars(begin, end, integer); ec == std::errc() && p == end && !text.empty()) {
    return integer;
  }
  double real = 0;
  if (auto [p, ec] = std::from_chars(begin, end, real); ec == std::errc() && p == end && !text.empty()) {
    return real;
  }
  return text;
}

SummaryRow make_row(const RunOutcome& outcome, const RunRecord& record) {
  SummaryRow row;
  row.run_index = outcome.run_index;
  row.run_id = outcome.run_id;
  row.training_id = outcome.training_id;
  row.status = outcome.status;
  row.run_seed = outcome.seed;
  row.wall_time_s = outcome.wall_time_s;
  for (const auto& [key, text] : outcome.swept) row.swept.emplace_back(key, typed_swept_value(text));
  for (const auto& [column, value_units] : record.summary_values()) {
    row.values.emplace_back(column, value_units.first, value_units.second);
  }
  return row;
}

void write_row_attributes(hid_t run_group, const SummaryRow& row) {
  h5::set_attribute(run_group, "run_index", static_cast<std::int64_t>(row.run_index));
  h5::set_attribute(run_group, "run_seed", row.run_seed);
  h5::set_attribute(run_group, "status", row.status);
  h5::set_attribute(run_group, "wall_time_s", row.wall_time_s);
  h5::set_attribute(run_group, "run_id", row.run_id);
  h5::set_attribute(run_group, "training_id", row.training_id);
  std::vector<std::string> keys;
  for (const auto& [key, value] : row.swept) {
    keys.push_back(key);
    h5::set_attribute(run_group, key, value);
  }
  h5::set_attribute(run_group, "swept_keys", keys);
  std::vector<std::string> columns, units;
  std::vector<double> values;
  for (const auto& [column, value, unit] : row.values) {
    columns.push_back(column);
    values.push_back(value);
    units.push_back(unit);
  }
  h5::set_attribute(run_group, "summary_columns", columns);
  h5::set_attribute(run_group, "summary_values", values);
  h5::set_attribute(run_group, "summary_units", units);
}

SummaryRow read_row_attributes(hid_t run_group) {
  SummaryRow row;
  row.run_index = h5::read_uint64_attribute(run_group, "run_index");
  row.run_seed = h5::read_uint64_attribute(run_group, "run_seed");
  row.status = h5::read_string_attribute(run_group, "status");
  row.wall_time_s = std::get<double>(h5::read_attribute(run_group, "wall_time_s"));
  if (h5::has_attribute(run_group, "run_id")) row.run_id = h5::read_string_attribute(run_group, "run_id");
  if (h5::has_attribute(run_group, "training_id")) row.training_id = h5::read_string_attribute(run_group, "training_id");
  for (const auto& key : h5::read_string_list_attribute(run_group, "swept_keys")) {
    row.swept.emplace_back(key, h5::read_attribute(run_group, key));
  }
  const auto columns = h5::read_string_list_attribute(run_group, "summary_columns");
  const auto values = h5::read_double_list_attribute(run_group, "summary_values");
  const auto units = h5::read_string_list_attribute(run_group, "summary_units");
  if (values.size() != columns.size() || units.size() != columns.size()) {
    throw ResultStoreError("run group summary attributes have different lengths");
  }
  for (std::size_t i = 0; i < columns.size(); ++i) row.values.emplace_back(columns[i], values[i], units[i]);
  return row;
}

void write_summary(hid_t file, const std::map<std::uint64_t, SummaryRow>& rows) {
  h5::remove_if_exists(file, "summary");
  h5::Handle summary = h5::create_group(file, "summary");
  const std::size_t n = rows.size();
  std::vector<std::string> column_order;

  std::vector<std::int64_t> run_index;
  std::vector<std::string> status, run_ids, training_ids;
  std::vector<double> wall_time;
  std::vector<std::string> swept_keys, value_columns;
  std::map<std::string, std::string> value_units;
  for (const auto& [index, row] : rows) {
    for (const auto& [key, value] : row.swept) {
      if (std::find(swept_keys.begin(), swept_keys.end(), key) == swept_keys.end()) swept_keys.push_back(key);
    }
    for (const auto& [column, value, unit] : row.values) {
      if (!value_units.count(column)) {
        value_columns.push_back(column);
        value_units[column] = unit;
      }
    }
  }

  std::vector<std::uint64_t> seeds;
  for (const auto& [index, row] : rows) {
    run_index.push_back(static_cast<std::int64_t>(row.run_index));
    status.push_back(row.status);
    seeds.push_back(row.run_seed);
    wall_time.push_back(row.wall_time_s);
    run_ids.push_back(row.run_id);
    training_ids.push_back(row.training_id);
  }
  h5::write_dataset(summary, "run_index", run_index, {n}, "1");
  h5::write_dataset(summary, "status", status, {n}, "");
  {
    // Seeds are unsigned 64-bit: stored as such so that every seed reads back exactly.
    h5::Handle space = h5::check(H5Screate_simple(1, std::vector<hsize_t>{n}.data(), nullptr), "summary space");
    h5::Handle dataset = h5::check(H5Dcreate2(summary, "run_seed", H5T_STD_U64LE, space, H5P_DEFAULT, H5P_DEFAULT,
                                              H5P_DEFAULT),
                                   "creating summary/run_seed");
    if (n > 0) {
      h5::check_status(H5Dwrite(dataset, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, seeds.data()),
                       "writing summary/run_seed");
    }
    h5::set_attribute(dataset, "units", "1");
  }
  h5::write_dataset(summary, "wall_time_s", wall_time, {n}, "s");
  h5::write_dataset(summary, "run_id", run_ids, {n}, "");
  h5::write_dataset(summary, "training_id", training_ids, {n}, "");
  column_order = {"run_index", "status", "run_seed", "wall_time_s", "run_id", "training_id"};

  for (const auto& key : swept_keys) {
    // The column is integer if every run's value is, real if every value is a number, else text.
    bool all_integer = true, all_number = true;
    for (const auto& [index, row] : rows) {
      auto it = std::find_if(row.swept.begin(), row.swept.end(), [&](const auto& kv) { return kv.first == key; });
      if (it == row.swept.end()) {
        all_integer = false;
        continue;  // a run without this key: NaN / ""
      }
      if (!std::holds_alternative<std::int64_t>(it->second)) all_integer = false;
      if (std::holds_alternative<std::string>(it->second)) all_number = false;
    }
    std::vector<std::int64_t> integers;
    std::vector<double> reals;
    std::vector<std::string> texts;
    for (const auto& [index, row] : rows) {
      auto it = std::find_if(row.swept.begin(), row.swept.end(), [&](const auto& kv) { return kv.first == key; });
      if (all_integer) {
        integers.push_back(std::get<std::int64_t>(it->second));
      } else if (all_number) {
        reals.push_back(it == row.swept.end() ? std::numeric_limits<double>::quiet_NaN()
                        : std::holds_alternative<double>(it->second)
                            ? std::get<double>(it->second)
                            : static_cast<double>(std::get<std::int64_t>(it->second)));
      } else {
        texts.push_back(it == row.swept.end() ? std::string() : as_text(it->second));
      }
    }
    // A swept key's unit is the one in its name (tau0_s, bias_V): the store does not repeat it.
    if (all_integer) {
      h5::write_dataset(summary, key, integers, {n}, "");
    } else if (all_number) {
      h5::write_dataset(summary, key, reals, {n}, "");
    } else {
      h5::write_dataset(summary, key, texts, {n}, "");
    }
    column_order.push_back(key);
  }

  for (const auto& column : value_columns) {
    std::vector<double> values;
    for (const auto& [index, row] : rows) {
      auto it = std::find_if(row.values.begin(), row.values.end(),
                             [&](const auto& t) { return std::get<0>(t) == column; });
      values.push_back(it == row.values.end() ? std::numeric_limits<double>::quiet_NaN() : std::get<1>(*it));
    }
    h5::write_dataset(summary, column, values, {n}, value_units[column]);
    column_order.push_back(column);
  }
  h5::set_attribute(summary, "columns", column_order);
  h5::set_attribute(summary, "swept_columns", swept_keys);
  h5::set_attribute(summary, "n_runs", static_cast<std::int64_t>(n));
}

}  // namespace spinsc::results
