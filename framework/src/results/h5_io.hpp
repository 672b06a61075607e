#pragma once
// Reading and writing the few HDF5 shapes the results file uses: groups (created with their
// intermediate groups, links kept in creation order), scalar and list attributes, numeric and
// string datasets with a `units` attribute. Strings are variable-length UTF-8 everywhere.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "results/h5_handle.hpp"
#include "spinsc/run_record.hpp"

namespace spinsc::h5 {

// True if `path` (relative to loc, "a/b/c") names an existing object.
bool exists(hid_t loc, const std::string& path);
// Creates the group at `path` and any missing intermediate groups; tracks creation order so
// that h5py lists members in the order they were written.
Handle create_group(hid_t loc, const std::string& path);
Handle open_group(hid_t loc, const std::string& path);
Handle open_or_create_group(hid_t loc, const std::string& path);
// Removes the link `path` if present (the space it used is reused within the session).
void remove_if_exists(hid_t loc, const std::string& path);

// Attributes on any object (group or dataset); an existing attribute of that name is replaced.
void set_attribute(hid_t object, const std::string& name, const std::string& value);
void set_attribute(hid_t object, const std::string& name, const char* value);
void set_attribute(hid_t object, const std::string& name, std::int64_t value);
void set_attribute(hid_t object, const std::string& name, std::uint64_t value);
void set_attribute(hid_t object, const std::string& name, double value);
void set_attribute(hid_t object, const std::string& name, const AttributeValue& value);
void set_attribute(hid_t object, const std::string& name, const std::vector<std::string>& values);
void set_attribute(hid_t object, const std::string& name, const std::vector<double>& values);

bool has_attribute(hid_t object, const std::string& name);
// Reads a scalar attribute as the closest AttributeValue (integer, real or string).
AttributeValue read_attribute(hid_t object, const std::string& name);
std::string read_string_attribute(hid_t object, const std::string& name);
std::uint64_t read_uint64_attribute(hid_t object, const std::string& name);
std::vector<std::string> read_string_list_attribute(hid_t object, const std::string& name);
std::vector<double> read_double_list_attribute(hid_t object, const std::string& name);

// Datasets. `shape` empty means a scalar dataset (one value). Every dataset gets `units`.
void write_dataset(hid_t loc, const std::string& path, const std::vector<double>& values,
                   const std::vector<std::size_t>& shape, const std::string& units);
void write_dataset(hid_t loc, const std::string& path, const std::vector<std::int64_t>& values,
                   const std::vector<std::size_t>& shape, const std::string& units);
void write_dataset(hid_t loc, const std::string& path, const std::vector<std::string>& values,
                   const std::vector<std::size_t>& shape, const std::string& units);
// A RunRecord dataset: data, shape, units and its own attributes.
void write_dataset(hid_t loc, const std::string& path, const DatasetRecord& record);

// A string dataset read back flat (row-major); shape in *shape if given.
std::vector<std::string> read_strings(hid_t loc, const std::string& path,
                                      std::vector<std::size_t>* shape = nullptr);
// A numeric dataset read back flat as float64 (integers converted); shape in *shape if given.
std::vector<double> read_doubles(hid_t loc, const std::string& path, std::vector<std::size_t>* shape = nullptr);

// An integer dataset read back flat as int64; shape in *shape if given.
std::vector<std::int64_t> read_int64s(hid_t loc, const std::string& path, std::vector<std::size_t>* shape = nullptr);

// Names of the members of a group, in creation order where tracked (else by name).
std::vector<std::string> member_names(hid_t group);

}  // namespace spinsc::h5
