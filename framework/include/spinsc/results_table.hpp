#pragma once
// The table a person reads: the runs of a results file (or of the runs just made) in long format,
// one row per run, SC variant and stream length, with the key figures and their units. The same
// code prints the table at the end of `spinsc run` (read back from the results file, so a rerun of
// a complete experiment prints it too) and `spinsc show RESULTS.h5`.
//
// On a terminal the table fits the width: columns are taken in order of importance (run, swept
// keys, variant, L, SC accuracy, quantized accuracy, energy per inference, ...) while they fit,
// and the line under the table names those left out; energies get one SI prefix per column (nJ,
// uJ, ...). The results file keeps the full record; `--csv` prints every column in the file's
// units (J, s, %, cycles, bits), for a spreadsheet or pandas.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "spinsc/run_record.hpp"

namespace spinsc {

// One run as the table needs it, from a results file or from a RunRecord in memory.
struct TableRun {
  std::uint64_t run_index = 0;
  std::string status;                                             // "complete", "failed: ..."
  std::vector<std::pair<std::string, std::string>> swept;         // key, value as text
  std::vector<std::tuple<std::string, double, std::string>> summary;  // column, value, units
  // The SC evaluation's per-length figures, per variant ("" = the run's single variant):
  // dataset name below evaluation/sc[/<variant>] -> values (one per length) and units.
  struct ScVariant {
    std::string label;
    std::vector<std::pair<std::string, std::pair<std::vector<double>, std::string>>> figures;
  };
  std::vector<ScVariant> sc;
};

// How far a results file is trusted when it is read.
enum class ResultsFileOrigin {
  untrusted,      // any file: the trial read of untrusted files runs first (untrusted_hdf5.hpp)
  this_process,   // written by this process's results store, which checked what it had not written
};
// Reads every run of a results file. Throws ResultStoreError naming the file if it is not one.
std::vector<TableRun> read_table_runs(const std::filesystem::path& results_file,
                                      ResultsFileOrigin origin = ResultsFileOrigin::untrusted);
// The same from a finished run in memory.
TableRun table_run_from_record(std::uint64_t run_index, const std::string& status,
                               const std::vector<std::pair<std::string, std::string>>& swept,
                               const RunRecord& record);

struct TableColumn {
  std::string name;     // machine name: for --columns and the CSV header ("sc_accuracy", ...)
  std::string header;   // what the terminal shows, without the unit
  std::string units;    // as in the results file: "%", "J", "s", "cycles", "bits", "1", "" (text)
};

struct ResultsTable {
  std::vector<TableColumn> columns;  // in order of importance
  // Per row, per column: a number (NaN: none) or text.
  struct Cell {
    std::optional<double> number;
    std::string text;
  };
  std::vector<std::vector<Cell>> rows;
};

ResultsTable build_results_table(const std::vector<TableRun>& runs);

struct TableFormat {
  std::size_t width = 100;            // terminal columns; 0 = no limit
  bool csv = false;                   // every (or every chosen) column, file units, comma-separated
  std::vector<std::string> columns;   // machine names to show, in this order; empty = by importance
};

// Prints the table. Throws std::invalid_argument naming an unknown column and listing the valid ones.
void print_results_table(std::FILE* out, const ResultsTable& table, const TableFormat& format);

// The width of the terminal `out` writes to; else $COLUMNS; else 100.
std::size_t terminal_width(std::FILE* out);

}  // namespace spinsc
