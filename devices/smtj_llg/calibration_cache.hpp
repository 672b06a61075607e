#pragma once
// The calibration cache: one HDF5 file per set of physical and calibration parameters,
// <cache_dir>/smtj_llg_calibration_<16 hex digits>.h5, the digits a hash of the parameter text.
// The file keeps the full text as the attribute "key" and is used only if it matches exactly, so
// a changed parameter (or a hash collision) means a new calibration, never a stale one.
//
// Schema: attrs key (string), model ("device.smtj_llg"), bias_unit;
//         datasets bias [points] (units V or A), p_one [points] (units 1), p_one_se [points] (units 1).
#include <filesystem>
#include <optional>
#include <string>

#include "calibration.hpp"

namespace spinsc::smtj_llg {

std::filesystem::path default_cache_dir();
// <cache_dir>/<prefix><16 hex digits>.h5; other devices with a calibrated control (the pulsed
// MTJs) use the same cache with their own prefix and model name.
std::filesystem::path calibration_cache_file(const std::filesystem::path& cache_dir, const std::string& key_text,
                                             const std::string& prefix = "smtj_llg_calibration_");

// The curve stored in `file` for exactly `key_text`; nothing if the file is missing, unreadable
// or made for other parameters.
std::optional<CalibrationCurve> load_calibration(const std::filesystem::path& file, const std::string& key_text);
// The key a cache file was written for (nothing if it has none): lets a test open the curve a
// plugin cached without rebuilding its key.
std::optional<std::string> calibration_file_key(const std::filesystem::path& file);
// Writes atomically (temporary file, then rename). Throws std::runtime_error naming the file.
void save_calibration(const std::filesystem::path& file, const std::string& key_text, const CalibrationCurve& curve,
                      const std::string& model = "device.smtj_llg");
// `cache_dir` as the parameter gives it ("auto" or empty: default_cache_dir()).
std::filesystem::path resolve_cache_dir(const std::string& cache_dir);

struct CalibrationSource {
  CalibrationCurve curve;
  std::filesystem::path file;
  bool from_cache = false;
};
// Load from the cache or compute (and store) the calibration of `physics`.
CalibrationSource obtain_calibration(const DevicePhysics& physics, const CalibrationSettings& settings);

}  // namespace spinsc::smtj_llg
