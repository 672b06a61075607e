#include "calibration_cache.hpp"

#include <hdf5.h>
#include <unistd.h>

#include <cstdlib>
#include <fmt/format.h>
#include <stdexcept>

namespace spinsc::smtj_llg {

namespace {

std::uint64_t fnv1a(const std::string& text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

// Closes an HDF5 handle on scope exit.
struct Handle {
  hid_t id;
  herr_t (*close)(hid_t);
  ~Handle() {
    if (id >= 0) close(id);
  }
};

// Silences HDF5's automatic error printing for the life of the object (a missing or foreign
// cache file is not an error worth a stack of messages).
struct QuietHdf5 {
  H5E_auto2_t func = nullptr;
  void* data = nullptr;
  QuietHdf5() {
    H5Eget_auto2(H5E_DEFAULT, &func, &data);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
  ~QuietHdf5() { H5Eset_auto2(H5E_DEFAULT, func, data); }
};

std::optional<std::string> read_string_attribute(hid_t object, const char* name) {
  if (H5Aexists(object, name) <= 0) return std::nullopt;
  Handle attr{H5Aopen(object, name, H5P_DEFAULT), H5Aclose};
  if (attr.id < 0) return std::nullopt;
  Handle type{H5Aget_type(attr.id), H5Tclose};
  if (H5Tget_class(type.id) != H5T_STRING || H5Tis_variable_str(type.id) > 0) return std::nullopt;
  const std::size_t size = H5Tget_size(type.id);
  std::string value(size, '\0');
  if (H5Aread(attr.id, type.id, value.data()) < 0) return std::nullopt;
  value.resize(value.find('\0') == std::string::npos ? size : value.find('\0'));
  return value;
}

void write_string_attribute(hid_t object, const char* name, const std::string& value) {
  Handle type{H5Tcopy(H5T_C_S1), H5Tclose};
  H5Tset_size(type.id, std::max<std::size_t>(1, value.size()));
  Handle space{H5Screate(H5S_SCALAR), H5Sclose};
  Handle attr{H5Acreate2(object, name, type.id, space.id, H5P_DEFAULT, H5P_DEFAULT), H5Aclose};
  if (attr.id < 0 || H5Awrite(attr.id, type.id, value.data()) < 0)
    throw std::runtime_error(fmt::format("cannot write attribute '{}'", name));
}

std::optional<std::vector<double>> read_vector(hid_t file, const char* name) {
  if (H5Lexists(file, name, H5P_DEFAULT) <= 0) return std::nullopt;
  Handle set{H5Dopen2(file, name, H5P_DEFAULT), H5Dclose};
  if (set.id < 0) return std::nullopt;
  Handle space{H5Dget_space(set.id), H5Sclose};
  if (H5Sget_simple_extent_ndims(space.id) != 1) return std::nullopt;
  hsize_t n = 0;
  H5Sget_simple_extent_dims(space.id, &n, nullptr);
  std::vector<double> values(n);
  if (H5Dread(set.id, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0) return std::nullopt;
  return values;
}

void write_vector(hid_t file, const char* name, const std::vector<double>& values, const std::string& units) {
  const hsize_t n = values.size();
  Handle space{H5Screate_simple(1, &n, nullptr), H5Sclose};
  Handle set{H5Dcreate2(file, name, H5T_IEEE_F64LE, space.id, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose};
  if (set.id < 0 || H5Dwrite(set.id, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0)
    throw std::runtime_error(fmt::format("cannot write dataset '{}'", name));
  write_string_attribute(set.id, "units", units);
}

}  // namespace

std::filesystem::path default_cache_dir() {
  if (const char* dir = std::getenv("SPINSC_CACHE_DIR"); dir && *dir) return dir;
  if (const char* dir = std::getenv("XDG_CACHE_HOME"); dir && *dir) return std::filesystem::path(dir) / "spinsc";
  if (const char* home = std::getenv("HOME"); home && *home) return std::filesystem::path(home) / ".cache" / "spinsc";
  return std::filesystem::current_path() / ".spinsc-cache";
}

std::filesystem::path calibration_cache_file(const std::filesystem::path& cache_dir, const std::string& key_text,
                                             const std::string& prefix) {
  return cache_dir / fmt::format("{}{:016x}.h5", prefix, fnv1a(key_text));
}

std::filesystem::path resolve_cache_dir(const std::string& cache_dir) {
  return cache_dir == "auto" || cache_dir.empty() ? default_cache_dir() : std::filesystem::path(cache_dir);
}

std::optional<CalibrationCurve> load_calibration(const std::filesystem::path& file, const std::string& key_text) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return std::nullopt;
  QuietHdf5 quiet;
  if (H5Fis_hdf5(file.c_str()) <= 0) return std::nullopt;
  Handle h{H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  if (h.id < 0) return std::nullopt;
  const auto key = read_string_attribute(h.id, "key");
  if (!key || *key != key_text) return std::nullopt;
  CalibrationCurve curve;
  curve.bias_unit = read_string_attribute(h.id, "bias_unit").value_or("");
  auto bias = read_vector(h.id, "bias"), p = read_vector(h.id, "p_one"), se = read_vector(h.id, "p_one_se");
  if (!bias || !p || !se || bias->size() < 2 || p->size() != bias->size() || se->size() != bias->size())
    return std::nullopt;
  curve.bias = std::move(*bias);
  curve.p_one = std::move(*p);
  curve.p_one_se = std::move(*se);
  curve.make_monotone();
  return curve;
}

std::optional<std::string> calibration_file_key(const std::filesystem::path& file) {
  QuietHdf5 quiet;
  if (H5Fis_hdf5(file.c_str()) <= 0) return std::nullopt;
  Handle h{H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  if (h.id < 0) return std::nullopt;
  return read_string_attribute(h.id, "key");
}

void save_calibration(const std::filesystem::path& file, const std::string& key_text, const CalibrationCurve& curve,
                      const std::string& model) {
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  if (ec) throw std::runtime_error(fmt::format("cannot create cache folder '{}': {}", file.parent_path().string(), ec.message()));
  const std::filesystem::path temporary = file.string() + fmt::format(".tmp{}", static_cast<long>(::getpid()));
  {
    QuietHdf5 quiet;
    // A stale temporary (or a symlink planted under its name) is removed, never written through:
    // H5F_ACC_EXCL creates with O_CREAT | O_EXCL, which also refuses to follow a symlink.
    std::filesystem::remove(temporary, ec);
    Handle h{H5Fcreate(temporary.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, H5P_DEFAULT), H5Fclose};
    if (h.id < 0) throw std::runtime_error(fmt::format("cannot create calibration cache file '{}'", temporary.string()));
    try {
      write_string_attribute(h.id, "key", key_text);
      write_string_attribute(h.id, "model", model);
      write_string_attribute(h.id, "bias_unit", curve.bias_unit);
      write_vector(h.id, "bias", curve.bias, curve.bias_unit);
      write_vector(h.id, "p_one", curve.p_one, "1");
      write_vector(h.id, "p_one_se", curve.p_one_se, "1");
    } catch (const std::exception& e) {
      throw std::runtime_error(fmt::format("calibration cache file '{}': {}", temporary.string(), e.what()));
    }
  }
  std::filesystem::rename(temporary, file, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot move '{}' to '{}': {}", temporary.string(), file.string(), ec.message()));
}

CalibrationSource obtain_calibration(const DevicePhysics& physics, const CalibrationSettings& settings) {
  const std::string key = physics.calibration_key_text() + settings.key_text();
  const std::filesystem::path dir = resolve_cache_dir(settings.cache_dir);
  CalibrationSource source;
  source.file = calibration_cache_file(dir, key);
  if (auto cached = load_calibration(source.file, key)) {
    source.curve = std::move(*cached);
    source.from_cache = true;
    return source;
  }
  source.curve = compute_calibration(physics, settings);
  save_calibration(source.file, key, source.curve);
  return source;
}

}  // namespace spinsc::smtj_llg
