// Reading a trained network back from a results file (see stored_network.hpp).
#include "spinsc/stored_network.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "results/h5_io.hpp"
#include "results/results_layout.hpp"
#include "results/run_reader.hpp"
#include "results/summary_table.hpp"
#include "results/untrusted_hdf5.hpp"
#include "spinsc/params.hpp"
#include "spinsc/result_store.hpp"

namespace fs = std::filesystem;

namespace spinsc {

namespace {

bool is_hex_id(const std::string& text) {
  return text.size() == 16 && std::all_of(text.begin(), text.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

// "run 3 (training 0123456789abcdef)", for lists of choices.
std::string describe(const results::SummaryRow& row) {
  return row.training_id.empty() ? fmt::format("run {}", row.run_index)
                                 : fmt::format("run {} (training {})", row.run_index, row.training_id);
}

std::string attribute_text(hid_t object, const std::string& name) {
  return h5::has_attribute(object, name) ? h5::read_string_attribute(object, name) : std::string();
}

// A results file opened read-only, with its runs.
struct OpenResults {
  h5::Handle file;
  std::vector<results::SummaryRow> runs;
};

// The results file opened read-only, without its runs. Throws ResultStoreError saying why the
// file cannot be read. A damaged file could hang or crash libhdf5, so the index is checked first,
// and with `linked_files_too` every run and network file it links to (a file of another
// experiment, [network] from); a run's own results file was checked when its store opened it.
// `Checks::none`: the run's own results file, which its store checked when it opened it and which
// only this job wrote since; no trial read (it forks, and a fork of an MPI rank can stall).
enum class Checks { index, index_and_linked_files, none };
OpenResults open_index(const fs::path& file, Checks checks = Checks::index) {
  OpenResults open;
  if (H5Fis_hdf5(file.c_str()) <= 0) throw ResultStoreError("it is not an HDF5 file");
  if (checks == Checks::index_and_linked_files) check_results_file_readable(file);
  if (checks == Checks::index) h5::check_untrusted_files({file});
  open.file = h5::Handle(H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  if (!open.file.valid()) throw ResultStoreError("HDF5 cannot open it (" + h5::last_error_message() + ")");
  std::string why;
  if (results::results_format_version(open.file, &why) == 0) throw ResultStoreError(why);
  return open;
}

// The same with every run's row (each run's file is opened).
OpenResults open_results(const fs::path& file) {
  OpenResults open = open_index(file, Checks::index_and_linked_files);
  h5::Handle group = h5::open_group(open.file, "runs");
  for (const auto& name : h5::member_names(group)) {
    h5::Handle run = h5::open_group(group, name);
    open.runs.push_back(results::read_row_attributes(run));
  }
  return open;
}

// Complete runs that recorded a network.
std::vector<const results::SummaryRow*> runs_with_network(const OpenResults& open) {
  std::vector<const results::SummaryRow*> candidates;
  for (const auto& row : open.runs)
    if (row.status == "complete" && h5::exists(open.file, results::run_group_path(row.run_index) + "/network/layers"))
      candidates.push_back(&row);
  return candidates;
}

// Throws ResultStoreError (or a std::exception of a wrong attribute type) if it cannot be read.
StoredNetwork read_network_of(const OpenResults& open, const results::SummaryRow& row, const fs::path& file) {
  StoredNetwork network;
  network.file = file.string();
  network.run_index = row.run_index;
  network.run_id = row.run_id;
  network.training_id = row.training_id;
  const hid_t f = open.file;
  const std::string base = results::run_group_path(row.run_index) + "/network";
  for (double w : h5::read_doubles(f, base + "/layers")) network.layers.push_back(int(w));
  h5::Handle group = h5::open_group(f, base);
  network.levels = int(std::get<std::int64_t>(h5::read_attribute(group, "levels")));
  network.hidden_activation = attribute_text(group, "hidden_activation");
  network.output_activation = attribute_text(group, "output_activation");
  if (h5::has_attribute(group, "topology")) network.topology = attribute_text(group, "topology");
  network.bias = h5::has_attribute(group, "bias") && std::get<std::int64_t>(h5::read_attribute(group, "bias")) != 0;
  if (h5::has_attribute(group, "quant_lower")) network.quant_lower = std::get<double>(h5::read_attribute(group, "quant_lower"));
  if (h5::has_attribute(group, "quant_upper")) network.quant_upper = std::get<double>(h5::read_attribute(group, "quant_upper"));
  if (h5::exists(group, "activation_gain")) network.activation_gain = h5::read_doubles(group, "activation_gain");
  for (std::size_t l = 1; l < network.layers.size(); ++l) {
    std::vector<std::size_t> shape;
    network.weights.push_back(h5::read_doubles(f, fmt::format("{}/layer{}/weights", base, l), &shape));
    if (shape.size() != 2) throw ResultStoreError(fmt::format("layer{}/weights is not a matrix", l));
    network.weight_shapes.emplace_back(shape[0], shape[1]);
  }
  return network;
}

// runs/NNNNNN/training/... of `row` as RunRecord entries "training/...", and its summary value
// of the training (train_time_s).
RunRecord read_training_part(const OpenResults& open, const results::SummaryRow& row) {
  RunRecord part;
  const std::string base = results::run_group_path(row.run_index) + "/training";
  if (!h5::exists(open.file, base)) return part;
  results::read_group(h5::open_group(open.file, base), "training", part);
  for (const auto& [column, value, units] : row.values)
    if (column == "train_time_s") part.summary(column, value, units);
  return part;
}

}  // namespace

StoredNetwork read_stored_network(const fs::path& file, const std::string& selector, const std::string& from_key,
                                  const std::string& run_key) {
  const std::string where = fmt::format("'{}' = {}", from_key, file.string());
  h5::QuietErrors quiet;
  if (!fs::is_regular_file(file)) throw ParamError(where + ": no such file");
  OpenResults open;
  try {
    open = open_results(file);
  } catch (const ResultStoreError& e) {
    throw ParamError(fmt::format("{}: not a readable spinsc results file ({})", where, e.what()));
  }
  const std::vector<const results::SummaryRow*> candidates = runs_with_network(open);
  std::string choices;
  for (const auto* row : candidates) choices += (choices.empty() ? "" : ", ") + describe(*row);
  if (choices.empty()) choices = "none: no complete run of it recorded a network";

  const results::SummaryRow* chosen = nullptr;
  if (selector.empty()) {
    std::set<std::string> trainings;
    for (const auto* row : candidates) trainings.insert(row->training_id.empty() ? describe(*row) : row->training_id);
    if (trainings.size() != 1)
      throw ParamError(fmt::format("{} holds {} trained networks: set '{}' to one of them (a run number or a training "
                                   "id). Runs with a network: {}",
                                   where, trainings.size(), run_key, choices));
    chosen = candidates.front();
  } else {
    for (const auto* row : candidates) {
      const bool by_number = selector == std::to_string(row->run_index);
      const bool by_id = is_hex_id(selector) && (selector == row->training_id || selector == row->run_id);
      if (by_number || by_id) {
        chosen = row;
        break;
      }
    }
    if (!chosen)
      throw ParamError(fmt::format("'{}' = {}: no complete run with a network in {} has that run number, training "
                                   "id or run id. Runs with a network: {}",
                                   run_key, selector, file.string(), choices));
  }
  try {
    return read_network_of(open, *chosen, file);
  } catch (const std::exception& e) {
    throw ParamError(fmt::format("{}: the network of {} cannot be read ({})", where, describe(*chosen), e.what()));
  }
}

std::optional<StoredNetwork> find_stored_training(const fs::path& file, const std::string& training_id) {
  if (training_id.empty() || !fs::is_regular_file(file)) return std::nullopt;
  h5::QuietErrors quiet;
  try {
    // The index's /summary says which runs have this training id and are complete (in run index
    // order): only the first of them with a network is opened, not every run file of the index.
    const OpenResults open = open_index(file, Checks::none);  // this run's own results file
    if (!h5::exists(open.file, "summary/training_id")) return std::nullopt;  // written before training ids
    const std::vector<std::string> ids = h5::read_strings(open.file, "summary/training_id");
    const std::vector<std::string> statuses = h5::read_strings(open.file, "summary/status");
    const std::vector<std::int64_t> indices = h5::read_int64s(open.file, "summary/run_index");
    if (statuses.size() != ids.size() || indices.size() != ids.size()) return std::nullopt;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (ids[i] != training_id || statuses[i] != "complete" || indices[i] < 0) continue;
      const std::string run = results::run_group_path(std::uint64_t(indices[i]));
      if (!h5::exists(open.file, run + "/network/layers")) continue;
      const results::SummaryRow row = results::read_row_attributes(h5::open_group(open.file, run));
      if (row.training_id != training_id || row.status != "complete") continue;  // the run itself has the last word
      StoredNetwork network = read_network_of(open, row, file);
      network.training_part = read_training_part(open, row);
      return network;
    }
  } catch (const std::exception&) {
    // A file that cannot be read holds no network to reuse: the run trains (the store itself
    // refuses a damaged results file before any run).
  }
  return std::nullopt;
}

}  // namespace spinsc
