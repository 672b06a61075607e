#include "results/run_reader.hpp"

#include <fmt/format.h>

#include <set>

#include "results/h5_io.hpp"
#include "results/summary_table.hpp"

namespace spinsc::results {

namespace {

std::string joined(const std::string& base, const std::string& name) { return base.empty() ? name : base + "/" + name; }

std::vector<std::string> attribute_names(hid_t object) {
  std::vector<std::string> names;
  H5O_info_t info{};
  h5::check_status(H5Oget_info2(object, &info, H5O_INFO_NUM_ATTRS), "counting attributes");
  for (hsize_t i = 0; i < info.num_attrs; ++i) {
    const ssize_t length = H5Aget_name_by_idx(object, ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    if (length < 0) h5::check_status(-1, "reading an attribute name");
    std::string name(static_cast<std::size_t>(length) + 1, '\0');
    H5Aget_name_by_idx(object, ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size(), H5P_DEFAULT);
    name.resize(static_cast<std::size_t>(length));
    names.push_back(std::move(name));
  }
  return names;
}

AttributeValue scalar_attribute(hid_t object, const std::string& name, const std::string& where) {
  h5::Handle attribute = h5::check(H5Aopen(object, name.c_str(), H5P_DEFAULT), "opening attribute '" + name + "'");
  h5::Handle space = h5::check(H5Aget_space(attribute), "reading the shape of attribute '" + name + "'");
  if (H5Sget_simple_extent_npoints(space) != 1) {
    throw ResultStoreError(fmt::format("attribute '{}' of '{}' is a list, which a run record cannot hold", name, where));
  }
  return h5::read_attribute(object, name);
}

void read_dataset(hid_t parent, const std::string& name, const std::string& path, RunRecord& record) {
  h5::Handle dataset = h5::check(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), "opening dataset '" + path + "'");
  h5::Handle type = h5::check(H5Dget_type(dataset), "reading the type of '" + path + "'");
  DatasetRecord d;
  switch (H5Tget_class(type)) {
    case H5T_FLOAT: d.data = h5::read_doubles(parent, name, &d.shape); break;
    case H5T_INTEGER: d.data = h5::read_int64s(parent, name, &d.shape); break;
    case H5T_STRING: d.data = h5::read_strings(parent, name, &d.shape); break;
    default: throw ResultStoreError("dataset '" + path + "' has a type a run record cannot hold");
  }
  if (h5::has_attribute(dataset, "units")) d.units = h5::read_string_attribute(dataset, "units");
  record.put(path, std::move(d));
  for (const auto& attribute : attribute_names(dataset)) {
    if (attribute != "units") record.attribute(path, attribute, scalar_attribute(dataset, attribute, path));
  }
}

void read_members(hid_t group, const std::string& base, RunRecord& record) {
  for (const auto& name : h5::member_names(group)) {
    const std::string path = joined(base, name);
    H5O_info_t info{};
    h5::check_status(H5Oget_info_by_name2(group, name.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT),
                     "reading '" + path + "'");
    if (info.type == H5O_TYPE_DATASET) {
      read_dataset(group, name, path, record);
    } else if (info.type == H5O_TYPE_GROUP) {
      h5::Handle child = h5::open_group(group, name);
      for (const auto& attribute : attribute_names(child)) {
        record.attribute(path, attribute, scalar_attribute(child, attribute, path));
      }
      read_members(child, path, record);
    } else {
      throw ResultStoreError("'" + path + "' is neither a group nor a dataset");
    }
  }
}

std::string text_of(const AttributeValue& value) {
  return std::visit([](const auto& v) { return fmt::format("{}", v); }, value);
}

}  // namespace

void read_group(hid_t group, const std::string& base, RunRecord& record) {
  for (const auto& attribute : attribute_names(group)) {
    record.attribute(base, attribute, scalar_attribute(group, attribute, base));
  }
  read_members(group, base, record);
}

std::pair<RunOutcome, RunRecord> read_run(hid_t run_group) {
  const SummaryRow row = read_row_attributes(run_group);
  RunOutcome outcome;
  outcome.run_index = row.run_index;
  outcome.run_id = row.run_id;
  outcome.training_id = row.training_id;
  outcome.seed = row.run_seed;
  outcome.status = row.status;
  outcome.wall_time_s = row.wall_time_s;
  for (const auto& [key, value] : row.swept) outcome.swept.emplace_back(key, text_of(value));
  const auto text_or_empty = [&](const char* name) {
    return h5::has_attribute(run_group, name) ? h5::read_string_attribute(run_group, name) : std::string();
  };
  outcome.started_utc = text_or_empty("started_utc");
  outcome.finished_utc = text_or_empty("finished_utc");
  outcome.spinsc_version = text_or_empty("spinsc_version");
  outcome.git_revision = text_or_empty("git_revision");

  RunRecord record;
  std::set<std::string> written_by_store;
  for (const auto& [key, value] : outcome.swept) written_by_store.insert(key);
  for (const auto& attribute : attribute_names(run_group)) {
    if (is_reserved_column(attribute) || written_by_store.count(attribute)) continue;
    record.attribute("", attribute, scalar_attribute(run_group, attribute, "the run group"));
  }
  read_members(run_group, "", record);
  for (const auto& [column, value, units] : row.values) record.summary(column, value, units);
  return {std::move(outcome), std::move(record)};
}

}  // namespace spinsc::results
