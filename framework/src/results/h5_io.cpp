#include "results/h5_io.hpp"

#include <numeric>

#include "results/untrusted_hdf5.hpp"

namespace spinsc::h5 {

namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::string part;
  for (char c : path) {
    if (c == '/') {
      if (!part.empty()) parts.push_back(std::move(part));
      part.clear();
    } else {
      part += c;
    }
  }
  if (!part.empty()) parts.push_back(std::move(part));
  return parts;
}

// Attributes stay in the object header up to kMaxCompactAttributes (HDF5's default switches to
// "dense" storage after 8). Besides being smaller, this avoids an HDF5 1.10 crash: H5Ocopy (h5py
// Group.copy) of an object with dense variable-length string attributes segfaults.
constexpr unsigned kMaxCompactAttributes = 64;
void keep_attributes_compact(hid_t creation_properties) {
  check_status(H5Pset_attr_phase_change(creation_properties, kMaxCompactAttributes, kMaxCompactAttributes - 8),
               "keeping attributes compact");
}

Handle group_creation_properties() {
  Handle gcpl = check(H5Pcreate(H5P_GROUP_CREATE), "making group properties");
  check_status(H5Pset_link_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
               "tracking link creation order");
  check_status(H5Pset_attr_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
               "tracking attribute creation order");
  keep_attributes_compact(gcpl);
  return gcpl;
}

Handle simple_space(const std::vector<std::size_t>& shape) {
  if (shape.empty()) return check(H5Screate(H5S_SCALAR), "making a scalar dataspace");
  std::vector<hsize_t> dims(shape.begin(), shape.end());
  return check(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), "making a dataspace");
}

std::size_t element_count(const std::vector<std::size_t>& shape) {
  return std::accumulate(shape.begin(), shape.end(), std::size_t{1}, std::multiplies<>());
}

// Creates the dataset at `path` (intermediate groups included), writes `buffer` if non-empty,
// and attaches `units`.
void write_raw(hid_t loc, const std::string& path, hid_t file_type, hid_t memory_type, const void* buffer,
               std::size_t n_values, const std::vector<std::size_t>& shape, const std::string& units) {
  if (n_values != element_count(shape)) {
    throw ResultStoreError("dataset '" + path + "': " + std::to_string(n_values) +
                           " values do not fill its shape");
  }
  const auto slash = path.rfind('/');
  Handle parent;
  hid_t where = loc;
  std::string name = path;
  if (slash != std::string::npos) {
    parent = open_or_create_group(loc, path.substr(0, slash));
    where = parent;
    name = path.substr(slash + 1);
  }
  Handle space = simple_space(shape);
  Handle dcpl = check(H5Pcreate(H5P_DATASET_CREATE), "making dataset properties");
  check_status(H5Pset_attr_creation_order(dcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
               "tracking attribute creation order");
  keep_attributes_compact(dcpl);
  Handle dataset = check(H5Dcreate2(where, name.c_str(), file_type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT),
                         "creating dataset '" + path + "'");
  if (n_values > 0) {
    check_status(H5Dwrite(dataset, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer),
                 "writing dataset '" + path + "'");
  }
  set_attribute(dataset, "units", units);
}

template <class T>
void set_scalar_attribute(hid_t object, const std::string& name, hid_t type, const T& value) {
  if (H5Aexists(object, name.c_str()) > 0) check_status(H5Adelete(object, name.c_str()), "replacing attribute " + name);
  Handle space = check(H5Screate(H5S_SCALAR), "making a scalar dataspace");
  Handle attribute = check(H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT),
                           "creating attribute '" + name + "'");
  check_status(H5Awrite(attribute, type, &value), "writing attribute '" + name + "'");
}

}  // namespace

bool exists(hid_t loc, const std::string& path) {
  std::string prefix;
  for (const auto& part : split_path(path)) {
    prefix += (prefix.empty() ? "" : "/") + part;
    if (H5Lexists(loc, prefix.c_str(), H5P_DEFAULT) <= 0) return false;
  }
  return true;
}

Handle create_group(hid_t loc, const std::string& path) {
  Handle gcpl = group_creation_properties();
  std::string prefix;
  Handle group;
  for (const auto& part : split_path(path)) {
    prefix += (prefix.empty() ? "" : "/") + part;
    if (H5Lexists(loc, prefix.c_str(), H5P_DEFAULT) > 0) {
      group = check(H5Gopen2(loc, prefix.c_str(), H5P_DEFAULT), "opening group '" + prefix + "'");
    } else {
      group = check(H5Gcreate2(loc, prefix.c_str(), H5P_DEFAULT, gcpl, H5P_DEFAULT),
                    "creating group '" + prefix + "'");
    }
  }
  if (!group.valid()) throw ResultStoreError("empty group path");
  return group;
}

Handle open_group(hid_t loc, const std::string& path) {
  return check(H5Gopen2(loc, path.c_str(), H5P_DEFAULT), "opening group '" + path + "'");
}

Handle open_or_create_group(hid_t loc, const std::string& path) { return create_group(loc, path); }

void remove_if_exists(hid_t loc, const std::string& path) {
  if (exists(loc, path)) check_status(H5Ldelete(loc, path.c_str(), H5P_DEFAULT), "removing '" + path + "'");
}

void set_attribute(hid_t object, const std::string& name, const std::string& value) {
  set_attribute(object, name, value.c_str());
}
void set_attribute(hid_t object, const std::string& name, const char* value) {
  Handle type = utf8_string_type();
  set_scalar_attribute(object, name, type, value);
}
void set_attribute(hid_t object, const std::string& name, std::int64_t value) {
  set_scalar_attribute(object, name, H5T_NATIVE_INT64, value);
}
void set_attribute(hid_t object, const std::string& name, std::uint64_t value) {
  set_scalar_attribute(object, name, H5T_NATIVE_UINT64, value);
}
void set_attribute(hid_t object, const std::string& name, double value) {
  set_scalar_attribute(object, name, H5T_NATIVE_DOUBLE, value);
}
void set_attribute(hid_t object, const std::string& name, const AttributeValue& value) {
  std::visit([&](const auto& v) { set_attribute(object, name, v); }, value);
}

void set_attribute(hid_t object, const std::string& name, const std::vector<std::string>& values) {
  if (H5Aexists(object, name.c_str()) > 0) check_status(H5Adelete(object, name.c_str()), "replacing attribute " + name);
  Handle type = utf8_string_type();
  Handle space = simple_space({values.size()});
  Handle attribute = check(H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT),
                           "creating attribute '" + name + "'");
  std::vector<const char*> pointers;
  for (const auto& v : values) pointers.push_back(v.c_str());
  if (!values.empty()) check_status(H5Awrite(attribute, type, pointers.data()), "writing attribute '" + name + "'");
}

void set_attribute(hid_t object, const std::string& name, const std::vector<double>& values) {
  if (H5Aexists(object, name.c_str()) > 0) check_status(H5Adelete(object, name.c_str()), "replacing attribute " + name);
  Handle space = simple_space({values.size()});
  Handle attribute = check(H5Acreate2(object, name.c_str(), H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT),
                           "creating attribute '" + name + "'");
  if (!values.empty()) {
    check_status(H5Awrite(attribute, H5T_NATIVE_DOUBLE, values.data()), "writing attribute '" + name + "'");
  }
}

bool has_attribute(hid_t object, const std::string& name) { return H5Aexists(object, name.c_str()) > 0; }

namespace {
// Fixed-length HDF5 strings: n cells of `size` bytes, each ending at its first NUL or at the cell end.
void append_fixed_strings(const std::vector<char>& buffer, std::size_t size, std::size_t n,
                          std::vector<std::string>& out) {
  for (std::size_t i = 0; i < n; ++i) {
    const char* begin = buffer.data() + i * size;
    std::size_t length = 0;
    while (length < size && begin[length] != '\0') ++length;
    out.emplace_back(begin, length);
  }
}

Handle open_attribute(hid_t object, const std::string& name) {
  return check(H5Aopen(object, name.c_str(), H5P_DEFAULT), "opening attribute '" + name + "'");
}
std::vector<std::string> read_string_attribute_values(hid_t attribute, const std::string& name) {
  Handle file_type = check(H5Aget_type(attribute), "reading the type of attribute '" + name + "'");
  if (H5Tget_class(file_type) != H5T_STRING) throw ResultStoreError("attribute '" + name + "' is not text");
  Handle space = check(H5Aget_space(attribute), "reading the shape of attribute '" + name + "'");
  const hssize_t n = H5Sget_simple_extent_npoints(space);
  std::vector<std::string> out;
  if (n <= 0) return out;
  check_fits_in_file(attribute, std::uint64_t(n), std::max<std::size_t>(H5Tget_size(file_type), 1),
                     "attribute '" + name + "'");
  if (H5Tis_variable_str(file_type) > 0) {
    Handle type = utf8_string_type();
    std::vector<char*> pointers(static_cast<std::size_t>(n), nullptr);
    const herr_t status = H5Aread(attribute, type, pointers.data());
    if (status >= 0)
      for (char* p : pointers) out.emplace_back(p ? p : "");
    // Freed whether or not the read succeeded: a read that fails part way has allocated some.
    H5Dvlen_reclaim(type, space, H5P_DEFAULT, pointers.data());
    check_status(status, "reading attribute '" + name + "'");
  } else {
    const std::size_t size = H5Tget_size(file_type);
    std::vector<char> buffer(size * static_cast<std::size_t>(n));
    check_status(H5Aread(attribute, file_type, buffer.data()), "reading attribute '" + name + "'");
    append_fixed_strings(buffer, size, static_cast<std::size_t>(n), out);
  }
  return out;
}
}  // namespace

AttributeValue read_attribute(hid_t object, const std::string& name) {
  Handle attribute = open_attribute(object, name);
  Handle type = check(H5Aget_type(attribute), "reading the type of attribute '" + name + "'");
  switch (H5Tget_class(type)) {
    case H5T_INTEGER: {
      std::int64_t value = 0;
      check_status(H5Aread(attribute, H5T_NATIVE_INT64, &value), "reading attribute '" + name + "'");
      return value;
    }
    case H5T_FLOAT: {
      double value = 0;
      check_status(H5Aread(attribute, H5T_NATIVE_DOUBLE, &value), "reading attribute '" + name + "'");
      return value;
    }
    case H5T_STRING: {
      auto values = read_string_attribute_values(attribute, name);
      return values.empty() ? std::string() : values.front();
    }
    default: throw ResultStoreError("attribute '" + name + "' has a type the results store does not use");
  }
}

std::string read_string_attribute(hid_t object, const std::string& name) {
  Handle attribute = open_attribute(object, name);
  auto values = read_string_attribute_values(attribute, name);
  return values.empty() ? std::string() : values.front();
}

std::uint64_t read_uint64_attribute(hid_t object, const std::string& name) {
  Handle attribute = open_attribute(object, name);
  std::uint64_t value = 0;
  check_status(H5Aread(attribute, H5T_NATIVE_UINT64, &value), "reading attribute '" + name + "'");
  return value;
}

std::vector<std::string> read_string_list_attribute(hid_t object, const std::string& name) {
  Handle attribute = open_attribute(object, name);
  return read_string_attribute_values(attribute, name);
}

std::vector<double> read_double_list_attribute(hid_t object, const std::string& name) {
  Handle attribute = open_attribute(object, name);
  Handle space = check(H5Aget_space(attribute), "reading the shape of attribute '" + name + "'");
  const hssize_t n = H5Sget_simple_extent_npoints(space);
  if (n > 0) check_fits_in_file(attribute, std::uint64_t(n), sizeof(double), "attribute '" + name + "'");
  std::vector<double> values(static_cast<std::size_t>(std::max<hssize_t>(n, 0)));
  if (!values.empty()) {
    check_status(H5Aread(attribute, H5T_NATIVE_DOUBLE, values.data()), "reading attribute '" + name + "'");
  }
  return values;
}

void write_dataset(hid_t loc, const std::string& path, const std::vector<double>& values,
                   const std::vector<std::size_t>& shape, const std::string& units) {
  write_raw(loc, path, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, values.data(), values.size(), shape, units);
}
void write_dataset(hid_t loc, const std::string& path, const std::vector<std::int64_t>& values,
                   const std::vector<std::size_t>& shape, const std::string& units) {
  write_raw(loc, path, H5T_STD_I64LE, H5T_NATIVE_INT64, values.data(), values.size(), shape, units);
}
void write_dataset(hid_t loc, const std::string& path, const std::vector<std::string>& values,
                   const std::vector<std::size_t>& shape, const std::string& units) {
  Handle type = utf8_string_type();
  std::vector<const char*> pointers;
  pointers.reserve(values.size());
  for (const auto& v : values) pointers.push_back(v.c_str());
  write_raw(loc, path, type, type, pointers.data(), values.size(), shape, units);
}

void write_dataset(hid_t loc, const std::string& path, const DatasetRecord& record) {
  std::visit([&](const auto& values) { write_dataset(loc, path, values, record.shape, record.units); },
             record.data);
  if (record.attributes.empty()) return;
  Handle dataset = check(H5Dopen2(loc, path.c_str(), H5P_DEFAULT), "opening dataset '" + path + "'");
  for (const auto& [name, value] : record.attributes) set_attribute(dataset, name, value);
}

namespace {
// The number of points of a dataset's space (its dimensions into *shape when one is given),
// checked against the file's size before anything is read. 1100: a compressed (repacked) file
// may hold more than its size in raw bytes.
hssize_t checked_points(hid_t dataset, hid_t file_type, hid_t space, const std::string& path,
                        std::vector<std::size_t>* shape) {
  const int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
  if (rank > 0) H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  if (shape != nullptr) shape->assign(dims.begin(), dims.end());
  const hssize_t n = H5Sget_simple_extent_npoints(space);
  if (n > 0)
    check_fits_in_file(dataset, std::uint64_t(n), std::max<std::size_t>(H5Tget_size(file_type), 1),
                       "dataset '" + path + "'", 1100);
  return n;
}
}  // namespace

std::vector<std::string> read_strings(hid_t loc, const std::string& path, std::vector<std::size_t>* shape) {
  Handle dataset = check(H5Dopen2(loc, path.c_str(), H5P_DEFAULT), "opening dataset '" + path + "'");
  Handle file_type = check(H5Dget_type(dataset), "reading the type of '" + path + "'");
  if (H5Tget_class(file_type) != H5T_STRING) throw ResultStoreError("dataset '" + path + "' is not text");
  Handle space = check(H5Dget_space(dataset), "reading the shape of '" + path + "'");
  const hssize_t n = checked_points(dataset, file_type, space, path, shape);
  std::vector<std::string> out;
  if (n <= 0) return out;
  if (H5Tis_variable_str(file_type) > 0) {
    Handle type = utf8_string_type();
    std::vector<char*> pointers(static_cast<std::size_t>(n), nullptr);
    const herr_t status = H5Dread(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data());
    if (status >= 0)
      for (char* p : pointers) out.emplace_back(p ? p : "");
    H5Dvlen_reclaim(type, space, H5P_DEFAULT, pointers.data());  // also after a partial read
    check_status(status, "reading '" + path + "'");
  } else {
    const std::size_t size = H5Tget_size(file_type);
    std::vector<char> buffer(size * static_cast<std::size_t>(n));
    check_status(H5Dread(dataset, file_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()), "reading '" + path + "'");
    append_fixed_strings(buffer, size, static_cast<std::size_t>(n), out);
  }
  return out;
}

namespace {
template <class T>
std::vector<T> read_numbers(hid_t loc, const std::string& path, std::vector<std::size_t>* shape, hid_t memory_type,
                            bool integers_only) {
  Handle dataset = check(H5Dopen2(loc, path.c_str(), H5P_DEFAULT), "opening dataset '" + path + "'");
  Handle file_type = check(H5Dget_type(dataset), "reading the type of '" + path + "'");
  const H5T_class_t type_class = H5Tget_class(file_type);
  if (type_class != H5T_INTEGER && (integers_only || type_class != H5T_FLOAT)) {
    throw ResultStoreError("dataset '" + path + "' is not " + (integers_only ? "integer" : "numeric"));
  }
  Handle space = check(H5Dget_space(dataset), "reading the shape of '" + path + "'");
  const hssize_t n = checked_points(dataset, file_type, space, path, shape);
  std::vector<T> out(static_cast<std::size_t>(std::max<hssize_t>(n, 0)));
  if (!out.empty())
    check_status(H5Dread(dataset, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), "reading '" + path + "'");
  return out;
}
}  // namespace

std::vector<double> read_doubles(hid_t loc, const std::string& path, std::vector<std::size_t>* shape) {
  return read_numbers<double>(loc, path, shape, H5T_NATIVE_DOUBLE, false);
}

std::vector<std::int64_t> read_int64s(hid_t loc, const std::string& path, std::vector<std::size_t>* shape) {
  return read_numbers<std::int64_t>(loc, path, shape, H5T_NATIVE_INT64, true);
}

namespace {
herr_t collect_name(hid_t, const char* name, const H5L_info_t*, void* client) {
  static_cast<std::vector<std::string>*>(client)->emplace_back(name);
  return 0;
}
}  // namespace

std::vector<std::string> member_names(hid_t group) {
  std::vector<std::string> names;
  // Creation order where the group tracks it, otherwise by name.
  Handle gcpl = check(H5Gget_create_plist(group), "reading group properties");
  unsigned flags = 0;
  H5Pget_link_creation_order(gcpl, &flags);
  const H5_index_t index = (flags & H5P_CRT_ORDER_INDEXED) ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME;
  hsize_t position = 0;
  check_status(H5Literate(group, index, H5_ITER_INC, &position, collect_name, &names), "listing a group");
  return names;
}

}  // namespace spinsc::h5
