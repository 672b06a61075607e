#include "runner/summary_table.hpp"

#include <algorithm>
#include <fmt/core.h>

#include "spinsc/params.hpp"

namespace spinsc::runner_detail {

void print_summary_table(std::FILE* out, const std::vector<SummaryRow>& rows) {
  if (rows.empty()) return;
  // Columns: run, swept keys (in axis order), status, summary values (sorted, with units).
  std::vector<std::string> swept_keys;
  std::map<std::string, std::string> value_units;
  for (const auto& row : rows) {
    for (const auto& [key, value] : row.swept)
      if (std::find(swept_keys.begin(), swept_keys.end(), key) == swept_keys.end()) swept_keys.push_back(key);
    for (const auto& [column, value] : row.values) value_units.emplace(column, value.second);
  }
  std::vector<std::string> header{"run"};
  for (const auto& key : swept_keys) header.push_back(key);
  header.push_back("status");
  for (const auto& [column, units] : value_units)
    header.push_back(units.empty() || units == "1" ? column : column + " [" + units + "]");

  std::vector<std::vector<std::string>> cells;
  for (const auto& row : rows) {
    std::vector<std::string> line{std::to_string(row.run_index)};
    for (const auto& key : swept_keys) {
      auto it = std::find_if(row.swept.begin(), row.swept.end(), [&](const auto& kv) { return kv.first == key; });
      line.push_back(it == row.swept.end() ? "" : it->second);
    }
    line.push_back(row.status);
    for (const auto& [column, units] : value_units) {
      auto it = row.values.find(column);
      line.push_back(it == row.values.end() ? "-" : fmt::format("{:.6g}", it->second.first));
    }
    cells.push_back(std::move(line));
  }
  std::vector<std::size_t> width(header.size());
  for (std::size_t c = 0; c < header.size(); ++c) {
    width[c] = header[c].size();
    for (const auto& line : cells) width[c] = std::max(width[c], line[c].size());
  }
  auto print_line = [&](const std::vector<std::string>& line) {
    std::string text;
    for (std::size_t c = 0; c < line.size(); ++c) text += fmt::format("{:<{}}", line[c], width[c] + 2);
    while (!text.empty() && text.back() == ' ') text.pop_back();
    fmt::print(out, "{}\n", text);
  };
  fmt::print(out, "\nSummary\n");
  print_line(header);
  for (const auto& line : cells) print_line(line);
}

}  // namespace spinsc::runner_detail
