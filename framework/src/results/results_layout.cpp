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

IndexHeader new_header(const ExperimentIdentity& identity, const std::string& now_utc) {
  IndexHeader header;
  header.experiment_name = identity.name;
  header.created_utc = now_utc;
  header.creator_version = or_default(identity.spinsc_version, version());
  header.creator_revision = or_default(identity.git_revision, git_revision());
  header.creator_plugin_abi = static_cast<std::int64_t>(kPluginAbiVersion);
  header.started_utc = now_utc;
  header.session_started_utc = now_utc;
  header.sessions = 1;
  return header;
}

IndexHeader read_header(hid_t file) {
  IndexHeader header;
  h5::Handle root = h5::open_group(file, "/");
  header.experiment_name = h5::read_string_attribute(root, "experiment_name");
  header.created_utc = h5::read_string_attribute(root, "created_utc");
  header.creator_version = h5::read_string_attribute(root, "spinsc_version");
  header.creator_revision = h5::read_string_attribute(root, "git_revision");
  const AttributeValue abi = h5::read_attribute(root, "plugin_abi");
  if (const auto* value = std::get_if<std::int64_t>(&abi)) header.creator_plugin_abi = *value;
  h5::Handle provenance = h5::open_group(file, "provenance");
  header.started_utc = h5::read_string_attribute(provenance, "started_utc");
  header.session_started_utc = h5::read_string_attribute(provenance, "session_started_utc");
  header.finished_utc = h5::read_string_attribute(provenance, "finished_utc");
  const AttributeValue sessions = h5::read_attribute(provenance, "sessions");
  if (const auto* value = std::get_if<std::int64_t>(&sessions)) header.sessions = *value;
  return header;
}

// The experiment as run in the latest session (an experiment may grow between sessions: every
// run keeps its own run id and swept values; earlier texts are not kept).
static void write_config(hid_t file, const ExperimentIdentity& identity) {
  h5::Handle config = h5::create_group(file, "config");
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
}

void write_header(hid_t file, const IndexHeader& header, const ExperimentIdentity& identity) {
  h5::Handle root = h5::open_group(file, "/");
  h5::set_attribute(root, "format", kFormatName);
  h5::set_attribute(root, "format_version", kFormatVersion);
  h5::set_attribute(root, "spinsc_version", header.creator_version);
  h5::set_attribute(root, "git_revision", header.creator_revision);
  h5::set_attribute(root, "plugin_abi", header.creator_plugin_abi);
  h5::set_attribute(root, "created_utc", header.created_utc);
  h5::set_attribute(root, "experiment_name", header.experiment_name);
  write_config(file, identity);
  h5::Handle provenance = h5::create_group(file, "provenance");
  h5::set_attribute(provenance, "started_utc", header.started_utc);
  h5::set_attribute(provenance, "sessions", header.sessions);
  h5::set_attribute(provenance, "seed", identity.seed);
  h5::set_attribute(provenance, "session_started_utc", header.session_started_utc);
  h5::set_attribute(provenance, "finished_utc", header.finished_utc);
  h5::set_attribute(provenance, "spinsc_version", or_default(identity.spinsc_version, version()));
  h5::set_attribute(provenance, "git_revision", or_default(identity.git_revision, git_revision()));
  h5::set_attribute(provenance, "plugin_abi", static_cast<std::int64_t>(kPluginAbiVersion));
  write_plugins(file, identity);
}

std::int64_t results_format_version(hid_t file, std::string* why) {
  h5::Handle root = h5::open_group(file, "/");
  if (!h5::has_attribute(root, "format") || h5::read_string_attribute(root, "format") != kFormatName) {
    *why = "it is an HDF5 file but not a spinsc results file";
    return 0;
  }
  const AttributeValue version_value = h5::read_attribute(root, "format_version");
  const auto* format_version = std::get_if<std::int64_t>(&version_value);
  if (format_version == nullptr || (*format_version != kFormatVersion && *format_version != kInFileRunsFormatVersion)) {
    *why = "it is a spinsc results file of another format version";
    return 0;
  }
  for (const char* required : {"config/experiment", "config/effective", "config/overrides", "provenance", "runs"}) {
    if (!h5::exists(file, required)) {
      *why = std::string("it has no ") + required;
      return 0;
    }
  }
  return *format_version;
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

void write_record(hid_t group, const RunRecord& record) {
  for (const auto& [dataset_path, dataset] : record.datasets()) h5::write_dataset(group, dataset_path, dataset);
  for (const auto& [object_path, attributes] : record.attributes()) {
    h5::Handle object;
    if (object_path.empty()) {
      object = h5::open_group(group, ".");
    } else if (h5::exists(group, object_path)) {
      object = h5::check(H5Oopen(group, object_path.c_str(), H5P_DEFAULT), "opening '" + object_path + "'");
    } else {
      object = h5::create_group(group, object_path);  // an attribute on a group with no datasets
    }
    for (const auto& [name, value] : attributes) h5::set_attribute(object, name, value);
  }
}

void write_run_contents(hid_t run, const RunOutcome& outcome, const RunRecord& record) {
  write_record(run, record);
  write_row_attributes(run, make_row(outcome, record));
  h5::set_attribute(run, "started_utc", outcome.started_utc);
  h5::set_attribute(run, "finished_utc", outcome.finished_utc);
  h5::set_attribute(run, "spinsc_version", or_default(outcome.spinsc_version, version()));
  h5::set_attribute(run, "git_revision", or_default(outcome.git_revision, git_revision()));
}

}  // namespace spinsc::results
