#include "results/results_layout.hpp"

#include <fmt/format.h>

#include "results/h5_io.hpp"
#include "results/summary_table.hpp"
#include "spinsc/plugin.hpp"
#include "spinsc/version.hpp"

namespace spinsc::results {

namespace {
std::string or_default(const std::string& value, const std::string& fallback) {
  return value.empty() ? fallback : value;
}

void write_plugins(hid_t file, const ExperimentIdentity& identity) {
  h5::remove_if_exists(file, "provenance/plugins");
  h5::Handle plugins = h5::create_group(file, "provenance/plugins");
  for (const auto& plugin : identity.plugins) {
    h5::Handle group = h5::create_group(plugins, plugin.id);
    h5::set_attribute(group, "id", plugin.id);
    h5::set_attribute(group, "version", plugin.version);
    h5::set_attribute(group, "abi_version", static_cast<std::int64_t>(plugin.abi_version));
    h5::set_attribute(group, "file", plugin.file);
  }
}

// A path inside a run group as the RunRecord gives it: relative, non-empty components.
void check_record_path(const std::string& path, const char* what) {
  if (path.empty() || path.front() == '/' || path.back() == '/' || path.find("//") != std::string::npos) {
    throw ResultStoreError(fmt::format("{} path '{}' is not a relative path like 'training/loss'", what, path));
  }
  std::size_t begin = 0;
  while (begin <= path.size()) {
    const auto end = std::min(path.find('/', begin), path.size());
    const std::string part = path.substr(begin, end - begin);
    if (part == "." || part == "..") throw ResultStoreError(fmt::format("{} path '{}' contains '{}'", what, path, part));
    begin = end + 1;
  }
}

void check_column_name(const std::string& name, const char* what) {
  if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..") {
    throw ResultStoreError(fmt::format("{} '{}' cannot name a /summary column (no '/', not empty)", what, name));
  }
  if (is_reserved_column(name)) {
    throw ResultStoreError(fmt::format("{} '{}' clashes with a column the results store writes itself", what, name));
  }
}
}  // namespace

std::string run_group_path(std::uint64_t run_index) { return fmt::format("runs/{:06d}", run_index); }

void write_header(hid_t file, const ExperimentIdentity& identity, const std::string& now_utc) {
  h5::Handle root = h5::open_group(file, "/");
  h5::set_attribute(root, "format", kFormatName);
  h5::set_attribute(root, "format_version", kFormatVersion);
  h5::set_attribute(root, "spinsc_version", or_default(identity.spinsc_version, version()));
  h5::set_attribute(root, "git_revision", or_default(identity.git_revision, git_revision()));
  h5::set_attribute(root, "plugin_abi", static_cast<std::int64_t>(kPluginAbiVersion));
  h5::set_attribute(root, "created_utc", now_utc);
  h5::set_attribute(root, "experiment_name", identity.name);

  h5::create_group(file, "config");
  h5::Handle provenance = h5::create_group(file, "provenance");
  h5::set_attribute(provenance, "started_utc", now_utc);
  h5::set_attribute(provenance, "sessions", std::int64_t{0});
  h5::create_group(file, "runs");
  start_session(file, identity, now_utc);
}

// The experiment as run in the latest session (an experiment may grow between sessions: every
// run keeps its own run id and swept values; earlier texts are not kept).
static void write_config(hid_t file, const ExperimentIdentity& identity) {
  h5::Handle config = h5::open_group(file, "config");
  for (const char* name : {"experiment", "effective", "overrides"}) h5::remove_if_exists(config, name);
  h5::write_dataset(config, "experiment", std::vector<std::string>{identity.experiment_text}, {}, "");
  {
    h5::Handle experiment = h5::check(H5Dopen2(config, "experiment", H5P_DEFAULT), "opening config/experiment");
    h5::set_attribute(experiment, "source_path", identity.source_path);
  }
  std::vector<std::string> effective;  // n x 2: key, value
  for (const auto& [key, value] : identity.effective) {
    effective.push_back(key);
    effective.push_back(value);
  }
  h5::write_dataset(config, "effective", effective, {identity.effective.size(), 2}, "");
  h5::write_dataset(config, "overrides", identity.overrides, {identity.overrides.size()}, "");
  h5::Handle provenance = h5::open_group(file, "provenance");
  h5::set_attribute(provenance, "seed", identity.seed);
}

void start_session(hid_t file, const ExperimentIdentity& identity, const std::string& now_utc) {
  h5::Handle provenance = h5::open_group(file, "provenance");
  const auto sessions = std::get<std::int64_t>(h5::read_attribute(provenance, "sessions"));
  h5::set_attribute(provenance, "sessions", sessions + 1);
  h5::set_attribute(provenance, "session_started_utc", now_utc);
  h5::set_attribute(provenance, "finished_utc", "");
  h5::set_attribute(provenance, "spinsc_version", or_default(identity.spinsc_version, version()));
  h5::set_attribute(provenance, "git_revision", or_default(identity.git_revision, git_revision()));
  h5::set_attribute(provenance, "plugin_abi", static_cast<std::int64_t>(kPluginAbiVersion));
  write_plugins(file, identity);
  write_config(file, identity);
}

void write_finish_time(hid_t file, const std::string& finished_utc) {
  h5::Handle provenance = h5::open_group(file, "provenance");
  h5::set_attribute(provenance, "finished_utc", finished_utc);
}

bool is_results_file(hid_t file, std::string* why) {
  h5::Handle root = h5::open_group(file, "/");
  if (!h5::has_attribute(root, "format") || h5::read_string_attribute(root, "format") != kFormatName) {
    *why = "it is an HDF5 file but not a spinsc results file";
    return false;
  }
  const AttributeValue version_value = h5::read_attribute(root, "format_version");
  const auto* format_version = std::get_if<std::int64_t>(&version_value);
  if (format_version == nullptr || *format_version != kFormatVersion) {
    *why = "it is a spinsc results file of another format version";
    return false;
  }
  for (const char* required : {"config/experiment", "config/effective", "config/overrides", "provenance", "runs"}) {
    if (!h5::exists(file, required)) {
      *why = std::string("it has no ") + required;
      return false;
    }
  }
  return true;
}

IdentityFields read_identity(hid_t file) {
  IdentityFields fields;
  const auto text = h5::read_strings(file, "config/experiment");
  fields.experiment_text = text.empty() ? std::string() : text.front();
  const auto effective = h5::read_strings(file, "config/effective");
  for (std::size_t i = 0; i + 1 < effective.size(); i += 2) fields.effective.emplace_back(effective[i], effective[i + 1]);
  fields.overrides = h5::read_strings(file, "config/overrides");
  h5::Handle provenance = h5::open_group(file, "provenance");
  fields.seed = h5::read_uint64_attribute(provenance, "seed");
  return fields;
}

void validate_run(const RunOutcome& outcome, const RunRecord& record) {
  for (const auto& [path, dataset] : record.datasets()) {
    check_record_path(path, "dataset");
    const std::size_t n = std::visit([](const auto& v) { return v.size(); }, dataset.data);
    std::size_t expected = 1;
    for (auto d : dataset.shape) expected *= d;
    if (n != expected) throw ResultStoreError(fmt::format("dataset '{}': {} values do not fill its shape", path, n));
  }
  for (const auto& [path, attributes] : record.attributes()) {
    if (!path.empty()) check_record_path(path, "attribute");
    for (const auto& [name, value] : attributes) {
      if (path.empty() && is_reserved_column(name)) {
        throw ResultStoreError(fmt::format("run attribute '{}' is written by the results store itself", name));
      }
      if (name == "units" && record.datasets().count(path)) {
        throw ResultStoreError(fmt::format("attribute 'units' of dataset '{}' is set by put(), not attribute()", path));
      }
    }
  }
  for (const auto& [key, value] : outcome.swept) check_column_name(key, "swept key");
  for (const auto& [column, value_units] : record.summary_values()) check_column_name(column, "summary column");
}

void write_run_group(hid_t file, const RunOutcome& outcome, const RunRecord& record) {
  const std::string path = run_group_path(outcome.run_index);
  h5::remove_if_exists(file, path);
  h5::Handle run = h5::create_group(file, path);
  for (const auto& [dataset_path, dataset] : record.datasets()) h5::write_dataset(run, dataset_path, dataset);
  for (const auto& [object_path, attributes] : record.attributes()) {
    h5::Handle object;
    if (object_path.empty()) {
      object = h5::open_group(run, ".");
    } else if (h5::exists(run, object_path)) {
      object = h5::check(H5Oopen(run, object_path.c_str(), H5P_DEFAULT), "opening '" + object_path + "'");
    } else {
      object = h5::create_group(run, object_path);  // an attribute on a group with no datasets
    }
    for (const auto& [name, value] : attributes) h5::set_attribute(object, name, value);
  }
  write_row_attributes(run, make_row(outcome, record));
  h5::set_attribute(run, "started_utc", outcome.started_utc);
  h5::set_attribute(run, "finished_utc", outcome.finished_utc);
  h5::set_attribute(run, "spinsc_version", version());
  h5::set_attribute(run, "git_revision", git_revision());
}

}  // namespace spinsc::results
