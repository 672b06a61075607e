#pragma once
// The table printed at the end of an experiment: one row per run, its swept values, its status
// and the summary values its task recorded (RunRecord::summary), with units in the header.
#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace spinsc::runner_detail {

struct SummaryRow {
  std::uint64_t run_index = 0;
  std::vector<std::pair<std::string, std::string>> swept;
  std::string status;  // "complete", "failed", "skipped (complete before)"
  std::map<std::string, std::pair<double, std::string>> values;  // column -> value, units
};

void print_summary_table(std::FILE* out, const std::vector<SummaryRow>& rows);

}  // namespace spinsc::runner_detail
