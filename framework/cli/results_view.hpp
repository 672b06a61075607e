#pragma once
// The results table of a results file, as `spinsc run` prints it at the end and `spinsc show`
// prints it on demand: one piece of code for both (spinsc/results_table.hpp).
#include <cstdio>
#include <filesystem>

#include "spinsc/results_table.hpp"

namespace spinsc::cli {

// Prints "Summary ..." and the table of every run in `results_file` to `out`.
void print_results_file(std::FILE* out, const std::filesystem::path& results_file, const TableFormat& format,
                        ResultsFileOrigin origin = ResultsFileOrigin::untrusted);

}  // namespace spinsc::cli
