// Reading the runs of a results file for the results table (spinsc/results_table.hpp).
#include <fmt/format.h>

#include <algorithm>

#include "results/h5_io.hpp"
#include "results/summary_table.hpp"
#include "spinsc/result_store.hpp"
#include "spinsc/results_table.hpp"

namespace spinsc {

namespace {

std::string as_text(const AttributeValue& value) {
  if (const auto* i = std::get_if<std::int64_t>(&value)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&value)) return fmt::format("{}", *d);
  return std::get<std::string>(value);
}

// The per-length figures of one SC variant group: every 1-D numeric dataset as long as `lengths`.
TableRun::ScVariant read_variant(hid_t group, const std::string& label) {
  TableRun::ScVariant variant;
  variant.label = label;
  const std::vector<double> lengths = h5::read_doubles(group, "lengths");
  for (const auto& name : h5::member_names(group)) {
    h5::Handle object = h5::check(H5Oopen(group, name.c_str(), H5P_DEFAULT), "opening '" + name + "'");
    if (H5Iget_type(object) != H5I_DATASET) continue;  // L<n>/ groups and the like
    h5::Handle dataset = h5::check(H5Dopen2(group, name.c_str(), H5P_DEFAULT), "opening '" + name + "'");
    h5::Handle type = h5::check(H5Dget_type(dataset), "reading the type of '" + name + "'");
    const H5T_class_t type_class = H5Tget_class(type);
    if (type_class != H5T_FLOAT && type_class != H5T_INTEGER) continue;
    std::vector<std::size_t> shape;
    std::vector<double> values = h5::read_doubles(group, name, &shape);
    if (shape.size() != 1 || values.size() != lengths.size()) continue;
    const std::string units =
        h5::has_attribute(dataset, "units") ? h5::read_string_attribute(dataset, "units") : std::string("1");
    variant.figures.push_back({name, {std::move(values), units}});
  }
  return variant;
}

}  // namespace

std::vector<TableRun> read_table_runs(const std::filesystem::path& results_file, ResultsFileOrigin origin) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(results_file, ec))
    throw ResultStoreError(fmt::format("results file '{}' does not exist", results_file.string()));
  // A damaged file must not crash or hang us below. The summary at the end of a run skips the
  // check: its store checked the file when it opened it, and the trial read forks, which an MPI
  // rank should not do (a fork of a process with MPI's threads can stall until the time limit).
  if (origin == ResultsFileOrigin::untrusted) check_results_file_readable(results_file);
  h5::QuietErrors quiet;
  const hid_t id = H5Fopen(results_file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0)
    throw ResultStoreError(fmt::format("'{}' is not an HDF5 file ({})", results_file.string(), h5::last_error_message()));
  h5::Handle file(id);
  if (!h5::has_attribute(file, "format") || h5::read_string_attribute(file, "format") != "spinsc-results")
    throw ResultStoreError(fmt::format("'{}' is not a spinsc results file (no format = \"spinsc-results\" attribute)",
                                       results_file.string()));
  std::vector<TableRun> runs;
  if (!h5::exists(file, "runs")) return runs;
  h5::Handle all = h5::open_group(file, "runs");
  std::vector<std::string> names = h5::member_names(all);
  std::sort(names.begin(), names.end());  // six-digit run indices: name order is run order
  for (const auto& name : names) {
    // A run is a file of its own (linked from the index): name it when it cannot be read.
    h5::Handle group(H5Gopen2(all, name.c_str(), H5P_DEFAULT));
    if (!group.valid()) {
      throw ResultStoreError(fmt::format("results file '{}': run {} cannot be read ({}; its file is in '{}.runs/')",
                                         results_file.string(), name, h5::last_error_message(), results_file.string()));
    }
    const results::SummaryRow row = results::read_row_attributes(group);
    TableRun run;
    run.run_index = row.run_index;
    run.status = row.status;
    for (const auto& [key, value] : row.swept) run.swept.emplace_back(key, as_text(value));
    run.summary = row.values;
    if (h5::exists(group, "evaluation/sc/lengths")) {
      h5::Handle sc = h5::open_group(group, "evaluation/sc");
      run.sc.push_back(read_variant(sc, ""));
    } else if (h5::exists(group, "evaluation/sc")) {
      h5::Handle sc = h5::open_group(group, "evaluation/sc");
      for (const auto& variant : h5::member_names(sc)) {
        if (!h5::exists(sc, variant + "/lengths")) continue;
        h5::Handle v = h5::open_group(sc, variant);
        run.sc.push_back(read_variant(v, variant));
      }
    }
    runs.push_back(std::move(run));
  }
  return runs;
}

}  // namespace spinsc
