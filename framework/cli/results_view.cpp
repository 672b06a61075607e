#include "results_view.hpp"

#include <fmt/core.h>

namespace spinsc::cli {

void print_results_file(std::FILE* out, const std::filesystem::path& results_file, const TableFormat& format,
                        ResultsFileOrigin origin) {
  const std::vector<TableRun> runs = read_table_runs(results_file, origin);
  const ResultsTable table = build_results_table(runs);
  if (!format.csv)
    fmt::print(out, "\nSummary of {} ({} run{}; one row per run, SC variant and stream length)\n",
               results_file.string(), runs.size(), runs.size() == 1 ? "" : "s");
  print_results_table(out, table, format);
}

}  // namespace spinsc::cli
