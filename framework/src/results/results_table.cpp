// The long-format results table (see spinsc/results_table.hpp): building it from runs and printing
// it for a terminal or as CSV.
#include "spinsc/results_table.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <limits>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

namespace spinsc {

namespace {

// The SC figures the table knows, in order of importance, with their terminal headers. Figures a
// run records that are not listed here are shown after these, under their dataset names.
struct KnownFigure {
  const char* dataset;
  const char* name;
  const char* header;
};
constexpr KnownFigure kScFigures[] = {
    {"accuracy", "sc_accuracy", "SC acc."},
    {"energy_per_inference_J", "energy_per_inference_J", "energy/inf."},
    {"device_energy_per_inference_J", "device_energy_per_inference_J", "device E/inf."},
    {"activation_latency_cycles", "activation_latency_cycles", "act. latency"},
    {"activation_energy_per_inference_J", "activation_energy_per_inference_J", "act. E/inf."},
    {"activation_busy_cycles_per_inference", "activation_busy_cycles_per_inference", "act. busy/inf."},
    {"bits_per_inference", "bits_per_inference", "bits/inf."},
    {"wall_time_s", "sc_wall_time_s", "SC time"},
};
// Per-run summary columns placed among the SC figures (after SC accuracy) and their headers.
struct KnownColumn {
  const char* name;
  const char* header;
};
constexpr KnownColumn kRunColumns[] = {
    {"quantized_accuracy", "quant. acc."},
    {"float_accuracy", "float acc."},
    {"train_time_s", "train time"},
};

// "sc_accuracy_L100", "sc_energy_per_inference_J_sc.fsm_sigmoid_L300": a per-length summary column,
// which the SC figures already show row by row.
bool is_per_length_column(const std::string& column) {
  const auto at = column.rfind("_L");
  if (at == std::string::npos || at + 2 >= column.size()) return false;
  return std::all_of(column.begin() + long(at + 2), column.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The swept key's header: its last dotted part when no other swept key ends the same way.
std::string swept_header(const std::string& key, const std::vector<std::string>& keys) {
  const auto dot = key.rfind('.');
  if (dot == std::string::npos) return key;
  const std::string tail = key.substr(dot + 1);
  int same = 0;
  for (const auto& k : keys) same += k.size() >= tail.size() && k.compare(k.size() - tail.size(), tail.size(), tail) == 0;
  return same > 1 ? key : tail;
}

ResultsTable::Cell number(double v) { return {v, ""}; }
ResultsTable::Cell text(std::string t) { return {std::nullopt, std::move(t)}; }

}  // namespace

ResultsTable build_results_table(const std::vector<TableRun>& runs) {
  ResultsTable table;
  std::vector<std::string> swept_keys;
  bool any_variant = false, any_sc = false, any_not_complete = false;
  std::vector<std::pair<std::string, std::string>> sc_figures;  // dataset, units, in first-seen order
  std::vector<std::pair<std::string, std::string>> run_columns;  // summary column, units
  for (const auto& run : runs) {
    for (const auto& [key, value] : run.swept)
      if (std::find(swept_keys.begin(), swept_keys.end(), key) == swept_keys.end()) swept_keys.push_back(key);
    any_not_complete = any_not_complete || run.status != "complete";
    for (const auto& variant : run.sc) {
      any_sc = true;
      any_variant = any_variant || !variant.label.empty();
      for (const auto& [dataset, values] : variant.figures) {
        if (dataset == "lengths") continue;
        // A named copy: clang 14 cannot capture a structured binding in a lambda.
        const std::string& name = dataset;
        if (std::none_of(sc_figures.begin(), sc_figures.end(), [&](const auto& f) { return f.first == name; }))
          sc_figures.emplace_back(dataset, values.second);
      }
    }
  }
  for (const auto& run : runs)
    for (const auto& [column, value, units] : run.summary) {
      if (!run.sc.empty() && is_per_length_column(column)) continue;
      const std::string& name = column;  // clang 14 cannot capture a structured binding in a lambda
      if (std::none_of(run_columns.begin(), run_columns.end(), [&](const auto& c) { return c.first == name; }))
        run_columns.emplace_back(column, units);
    }

  // Columns, in order of importance; each knows how to fill its cell from (run, variant, length).
  using Filler = std::function<ResultsTable::Cell(const TableRun&, const TableRun::ScVariant*, std::size_t)>;
  std::vector<Filler> fill;
  auto add = [&](TableColumn column, Filler f) {
    table.columns.push_back(std::move(column));
    fill.push_back(std::move(f));
  };
  add({"run", "run", "1"}, [](const TableRun& r, auto*, std::size_t) { return number(double(r.run_index)); });
  if (any_not_complete)
    add({"status", "status", ""}, [](const TableRun& r, auto*, std::size_t) { return text(r.status); });
  for (const auto& key : swept_keys)
    add({key, swept_header(key, swept_keys), ""}, [key](const TableRun& r, auto*, std::size_t) {
      // A number where the value is one (right-aligned, formatted like the figures), else text.
      for (const auto& [k, v] : r.swept) {
        if (k != key) continue;
        char* end = nullptr;
        const double value = std::strtod(v.c_str(), &end);
        if (!v.empty() && end && *end == '\0' && std::isfinite(value)) return number(value);
        return text(v);
      }
      return text("");
    });
  if (any_variant)
    add({"variant", "variant", ""},
        [](const TableRun&, const TableRun::ScVariant* v, std::size_t) { return text(v ? v->label : ""); });
  auto figure_of = [](const TableRun::ScVariant* v, const std::string& dataset, std::size_t i) {
    if (!v) return number(std::numeric_limits<double>::quiet_NaN());
    for (const auto& [name, values] : v->figures)
      if (name == dataset && i < values.first.size()) return number(values.first[i]);
    return number(std::numeric_limits<double>::quiet_NaN());
  };
  auto summary_of = [](const TableRun& r, const std::string& column) {
    for (const auto& [c, value, units] : r.summary)
      if (c == column) return number(value);
    return number(std::numeric_limits<double>::quiet_NaN());
  };
  if (any_sc) add({"length_bits", "L", "bits"}, [=](const TableRun&, auto* v, std::size_t i) { return figure_of(v, "lengths", i); });
  std::set<std::string> placed_figures, placed_columns;
  auto add_figure = [&](const std::string& dataset, const std::string& name, const std::string& header) {
    const auto it = std::find_if(sc_figures.begin(), sc_figures.end(), [&](const auto& f) { return f.first == dataset; });
    if (it == sc_figures.end() || !placed_figures.insert(dataset).second) return;
    add({name, header, it->second}, [=](const TableRun&, auto* v, std::size_t i) { return figure_of(v, dataset, i); });
  };
  auto add_run_column = [&](const std::string& column, const std::string& header) {
    const auto it = std::find_if(run_columns.begin(), run_columns.end(), [&](const auto& c) { return c.first == column; });
    if (it == run_columns.end() || !placed_columns.insert(column).second) return;
    add({column, header, it->second}, [=](const TableRun& r, auto*, std::size_t) { return summary_of(r, column); });
  };
  add_figure("accuracy", "sc_accuracy", "SC acc.");
  add_run_column(kRunColumns[0].name, kRunColumns[0].header);
  for (const auto& f : kScFigures) add_figure(f.dataset, f.name, f.header);
  for (const auto& c : kRunColumns) add_run_column(c.name, c.header);
  for (const auto& [dataset, units] : sc_figures) add_figure(dataset, dataset, dataset);
  for (const auto& [column, units] : run_columns) add_run_column(column, column);

  // Rows: per run, per SC variant and length; a run without SC evaluation is one row.
  for (const auto& run : runs) {
    auto emit = [&](const TableRun::ScVariant* v, std::size_t i) {
      std::vector<ResultsTable::Cell> row;
      for (const auto& f : fill) row.push_back(f(run, v, i));
      table.rows.push_back(std::move(row));
    };
    if (run.sc.empty()) {
      emit(nullptr, 0);
      continue;
    }
    for (const auto& variant : run.sc) {
      std::size_t n = 0;
      for (const auto& [name, values] : variant.figures)
        if (name == "lengths") n = values.first.size();
      for (std::size_t i = 0; i < n; ++i) emit(&variant, i);
    }
  }
  return table;
}

namespace {

// An SI prefix for a column of values in `units` (J or s): the one that puts its largest value in
// [1, 1000). Returns the factor to multiply by and the unit to show.
std::pair<double, std::string> display_scale(const std::string& units, const std::vector<double>& values) {
  if (units != "J" && units != "s") return {1.0, units};
  double largest = 0.0;
  for (double v : values)
    if (std::isfinite(v)) largest = std::max(largest, std::abs(v));
  if (largest == 0.0) return {1.0, units};
  static const std::pair<double, const char*> prefixes[] = {{1e-15, "f"}, {1e-12, "p"}, {1e-9, "n"},
                                                            {1e-6, "u"},  {1e-3, "m"},  {1.0, ""}};
  if (units == "s" && largest >= 1e-3) return {1.0, "s"};  // seconds stay seconds above 1 ms
  for (auto it = std::rbegin(prefixes); it != std::rend(prefixes); ++it)
    if (largest >= it->first) return {1.0 / it->first, std::string(it->second) + units};
  return {1e15, "f" + units};
}

std::string format_number(double v, const std::string& units) {
  if (!std::isfinite(v)) return "-";
  if (units == "%") return fmt::format("{:.2f}", v);
  if (v == std::round(v) && std::abs(v) < 1e12) return fmt::format("{:.0f}", v);
  return fmt::format("{:.4g}", v);
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string quoted = "\"";
  for (char c : s) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

// UTF-8 aware column count (a prefix "u" is ASCII, but swept values may not be).
std::size_t display_width(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

void print_results_table(std::FILE* out, const ResultsTable& table, const TableFormat& format) {
  // The columns to print: chosen by name, or all by importance.
  std::vector<std::size_t> chosen;
  if (!format.columns.empty()) {
    for (const auto& name : format.columns) {
      const auto it = std::find_if(table.columns.begin(), table.columns.end(), [&](const auto& c) { return c.name == name; });
      if (it == table.columns.end()) {
        std::string valid;
        for (const auto& c : table.columns) valid += (valid.empty() ? "" : ", ") + c.name;
        throw std::invalid_argument(fmt::format("unknown column '{}'; the columns of this table are: {}", name, valid));
      }
      chosen.push_back(std::size_t(it - table.columns.begin()));
    }
  } else {
    for (std::size_t c = 0; c < table.columns.size(); ++c) chosen.push_back(c);
  }

  if (format.csv) {
    std::string line;
    for (std::size_t c : chosen) line += (line.empty() ? "" : ",") + csv_field(table.columns[c].name);
    fmt::print(out, "{}\n", line);
    for (const auto& row : table.rows) {
      line.clear();
      for (std::size_t k = 0; k < chosen.size(); ++k) {
        const auto& cell = row[chosen[k]];
        std::string field = cell.number ? (std::isfinite(*cell.number) ? fmt::format("{}", *cell.number) : "")
                                        : csv_field(cell.text);
        line += (k ? "," : "") + field;
      }
      fmt::print(out, "{}\n", line);
    }
    return;
  }

  // Terminal: the text of every cell, the header with its (scaled) unit, the width of each column.
  struct Printed {
    std::size_t column;
    std::string header;
    std::vector<std::string> cells;
    std::size_t width;
    bool right;
  };
  std::vector<Printed> printed;
  for (std::size_t c : chosen) {
    const TableColumn& column = table.columns[c];
    std::vector<double> values;
    for (const auto& row : table.rows)
      if (row[c].number) values.push_back(*row[c].number);
    const auto [factor, unit] = display_scale(column.units, values);
    Printed p{c, column.header, {}, 0, true};
    if (!unit.empty() && unit != "1") p.header += " (" + unit + ")";
    for (const auto& row : table.rows) {
      if (row[c].number) {
        p.cells.push_back(format_number(*row[c].number * factor, column.units));
      } else {
        p.cells.push_back(row[c].text);
        p.right = false;
      }
    }
    p.width = display_width(p.header);
    for (const auto& cell : p.cells) p.width = std::max(p.width, display_width(cell));
    printed.push_back(std::move(p));
  }
  // Fit the width: keep columns in order of importance while they fit (the first always).
  std::vector<const Printed*> shown;
  std::vector<std::string> left_out;
  std::size_t used = 0;
  for (const auto& p : printed) {
    const std::size_t need = (shown.empty() ? 0 : 2) + p.width;
    if (left_out.empty() && (format.width == 0 || shown.empty() || used + need <= format.width)) {
      shown.push_back(&p);
      used += need;
    } else {
      left_out.push_back(table.columns[p.column].name);  // and every less important one after it
    }
  }
  auto pad = [](const std::string& s, std::size_t width, bool right) {
    const std::size_t fill = width > display_width(s) ? width - display_width(s) : 0;
    return right ? std::string(fill, ' ') + s : s + std::string(fill, ' ');
  };
  auto print_line = [&](auto cell_of) {
    std::string line;
    for (std::size_t k = 0; k < shown.size(); ++k) line += (k ? "  " : "") + cell_of(*shown[k]);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    fmt::print(out, "{}\n", line);
  };
  print_line([&](const Printed& p) { return pad(p.header, p.width, p.right); });
  for (std::size_t r = 0; r < table.rows.size(); ++r)
    print_line([&](const Printed& p) { return pad(p.cells[r], p.width, p.right); });
  if (!left_out.empty()) {
    std::string names;
    for (const auto& n : left_out) names += (names.empty() ? "" : ", ") + n;
    const std::string note =
        fmt::format("({} more column{} not shown in {} columns: {}; pick with --columns, or all with --csv)",
                    left_out.size(), left_out.size() == 1 ? "" : "s", format.width, names);
    // Wrapped at spaces to the width, like the table.
    std::string line;
    std::size_t start = 0;
    while (start < note.size()) {
      std::size_t end = note.find(' ', start);
      if (end == std::string::npos) end = note.size();
      const std::string word = note.substr(start, end - start);
      if (!line.empty() && line.size() + 1 + word.size() > format.width) {
        fmt::print(out, "{}\n", line);
        line.clear();
      }
      line += (line.empty() ? "" : " ") + word;
      start = end + 1;
    }
    if (!line.empty()) fmt::print(out, "{}\n", line);
  }
}

std::size_t terminal_width(std::FILE* out) {
  winsize size{};
  if (isatty(fileno(out)) && ioctl(fileno(out), TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  if (const char* columns = std::getenv("COLUMNS"); columns && *columns) {
    char* end = nullptr;
    const long n = std::strtol(columns, &end, 10);
    if (end && *end == '\0' && n > 0) return std::size_t(n);
  }
  return 100;
}

TableRun table_run_from_record(std::uint64_t run_index, const std::string& status,
                               const std::vector<std::pair<std::string, std::string>>& swept,
                               const RunRecord& record) {
  TableRun run;
  run.run_index = run_index;
  run.status = status;
  run.swept = swept;
  for (const auto& [column, value] : record.summary_values()) run.summary.emplace_back(column, value.first, value.second);
  // evaluation/sc/lengths, or evaluation/sc/<variant>/lengths: one SC variant each.
  const std::string root = "evaluation/sc/";
  for (const auto& [path, dataset] : record.datasets()) {
    if (path.rfind(root, 0) != 0 || !path.ends_with("/lengths")) continue;
    const std::string prefix = path.substr(0, path.size() - std::string("lengths").size());
    TableRun::ScVariant variant;
    variant.label = prefix.size() > root.size() ? prefix.substr(root.size(), prefix.size() - root.size() - 1) : "";
    if (variant.label.find('/') != std::string::npos) continue;  // L<n>/... groups are not variants
    const auto* lengths = std::get_if<std::vector<double>>(&dataset.data);
    if (!lengths) continue;
    for (const auto& [other, data] : record.datasets()) {
      if (other.rfind(prefix, 0) != 0 || other.find('/', prefix.size()) != std::string::npos) continue;
      const auto* values = std::get_if<std::vector<double>>(&data.data);
      if (values && values->size() == lengths->size())
        variant.figures.push_back({other.substr(prefix.size()), {*values, data.units}});
    }
    run.sc.push_back(std::move(variant));
  }
  return run;
}

}  // namespace spinsc
