#pragma once
// Helpers shared by the results-store tests: a sample experiment identity, a run record with
// every dataset kind, temporary folders, and small HDF5 C API readers for checking files
// independently of the store's own reading code.
#include <hdf5.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "spinsc/result_store.hpp"

namespace results_test {

namespace fs = std::filesystem;

// A fresh empty folder under the build tree's test scratch space, removed by the destructor.
class ScratchFolder {
 public:
  explicit ScratchFolder(const std::string& name) {
    path_ = fs::path(SPINSC_BINARY_DIR) / "test-scratch" / (name + "-" + std::to_string(::getpid()));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~ScratchFolder() {
    std::error_code ec;
    fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

inline spinsc::ExperimentIdentity sample_identity(std::uint64_t seed = 7) {
  spinsc::ExperimentIdentity id;
  id.name = "store_test";
  id.experiment_text = "# a test experiment\nname = store_test\nseed = 7\ntask = device_characterization\n"
                       "[device]\nplugin = device.bernoulli\n[sweep]\ndevice.bernoulli.p = 0.25,0.5\n";
  id.source_path = "experiments/store_test.ini";
  id.effective = {{"device.bernoulli.p", "0.5"}, {"device.plugin", "device.bernoulli"}, {"seed", "7"},
                  {"task", "device_characterization"}};
  id.overrides = {"device.bernoulli.p=0.5"};
  id.seed = seed;
  id.spinsc_version = "0.1.0";
  id.git_revision = "abc1234";
  id.plugins = {{"device.bernoulli", "1.0.0", "/plugins/device.bernoulli/libspinsc_device_bernoulli.so", 1}};
  return id;
}

inline spinsc::RunOutcome sample_outcome(std::uint64_t run_index, const std::string& status = "complete") {
  spinsc::RunOutcome outcome;
  outcome.run_index = run_index;
  outcome.swept = {{"device.bernoulli.p", run_index % 2 ? "0.5" : "0.25"}, {"repeat", std::to_string(run_index / 2)}};
  outcome.seed = 1000 + run_index;
  outcome.status = status;
  outcome.wall_time_s = 0.5 + static_cast<double>(run_index);
  outcome.started_utc = "2026-01-01T00:00:00Z";
  outcome.finished_utc = "2026-01-01T00:00:01Z";
  return outcome;
}

// A record with every dataset kind: real and integer vectors and matrices, a scalar, strings,
// an empty vector, nested groups, attributes of each type on the run, a group and a dataset.
// Values depend on run_index so that runs can be told apart when read back.
inline spinsc::RunRecord sample_record(std::uint64_t run_index) {
  spinsc::RunRecord r;
  const double k = static_cast<double>(run_index);
  r.put("training/loss", std::vector<double>{1.0 + k, 0.5 + k, 0.25 + k}, "1");
  r.put("training/epoch", std::vector<std::int64_t>{1, 2, 3}, "1");
  r.put_matrix("evaluation/sc/accuracy", std::vector<double>{90 + k, 91, 92, 93, 94, 95}, 2, 3, "%");
  r.put_matrix("device/counts", std::vector<std::int64_t>{1, 2, 3, 4, static_cast<std::int64_t>(run_index), 6, 7, 8},
               4, 2, "1");
  r.put_scalar("ledger/energy_total", 2.5e-9 * (k + 1), "J");
  r.put("evaluation/modes", std::vector<std::string>{"float", "quantized", "sc \xc2\xb5"});
  r.put("ledger/empty", std::vector<double>{}, "s");
  r.attribute("", "note", std::string("run ") + std::to_string(run_index));
  r.attribute("training", "epochs", std::int64_t{3});
  r.attribute("evaluation/sc/accuracy", "bitstream_length", std::int64_t{400});
  r.attribute("meta", "temperature_K", 300.0);  // a group that holds only attributes
  r.summary("accuracy_sc", 90 + k, "%");
  r.summary("energy_per_inference", 1e-9 * (k + 1), "J");
  return r;
}

// What record_weights() puts in a network run's record: the weights of a 3-2 layer (`scale`
// tells networks apart), the layer widths and the network's attributes.
inline void add_network(spinsc::RunRecord& r, double scale) {
  r.put_matrix("network/layer1/weights", std::vector<double>{0.5 * scale, -0.25, 0.125, 1.0, -1.0, scale}, 2, 3, "1");
  r.put_matrix("network/layer1/quantized_levels", std::vector<std::int64_t>{1, 0, 0, 1, -1, 1}, 2, 3, "1");
  r.put("network/layers", std::vector<std::int64_t>{3, 2}, "1");
  r.attribute("network", "levels", std::int64_t{3});
  r.attribute("network/layer1/weights", "layout", std::string("n_out x n_in"));
}

// --- independent HDF5 C API readers -------------------------------------------------------

inline std::string read_string_attribute(hid_t object, const char* name) {
  hid_t attribute = H5Aopen(object, name, H5P_DEFAULT);
  if (attribute < 0) return "<missing>";
  hid_t type = H5Aget_type(attribute);
  std::string out;
  if (H5Tis_variable_str(type) > 0) {
    hid_t memory = H5Tget_native_type(type, H5T_DIR_ASCEND);
    char* text = nullptr;
    H5Aread(attribute, memory, &text);
    out = text ? text : "";
    H5free_memory(text);
    H5Tclose(memory);
  } else {
    out = "<not a variable-length string>";
  }
  H5Tclose(type);
  H5Aclose(attribute);
  return out;
}

inline std::vector<hsize_t> dataset_shape(hid_t file, const std::string& path) {
  hid_t dataset = H5Dopen2(file, path.c_str(), H5P_DEFAULT);
  if (dataset < 0) return {999};
  hid_t space = H5Dget_space(dataset);
  std::vector<hsize_t> dims(static_cast<std::size_t>(H5Sget_simple_extent_ndims(space)));
  if (!dims.empty()) H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  H5Sclose(space);
  H5Dclose(dataset);
  return dims;
}

template <class T>
std::vector<T> read_numbers(hid_t file, const std::string& path, hid_t memory_type) {
  hid_t dataset = H5Dopen2(file, path.c_str(), H5P_DEFAULT);
  if (dataset < 0) return {};
  hid_t space = H5Dget_space(dataset);
  std::vector<T> values(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
  if (!values.empty()) H5Dread(dataset, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
  H5Sclose(space);
  H5Dclose(dataset);
  return values;
}

inline std::vector<std::string> read_texts(hid_t file, const std::string& path) {
  hid_t dataset = H5Dopen2(file, path.c_str(), H5P_DEFAULT);
  if (dataset < 0) return {};
  hid_t space = H5Dget_space(dataset);
  hid_t type = H5Dget_type(dataset);
  std::vector<char*> pointers(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
  std::vector<std::string> out;
  if (H5Tis_variable_str(type) > 0 && !pointers.empty()) {
    H5Dread(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data());
    for (char* p : pointers) out.emplace_back(p ? p : "");
    H5Dvlen_reclaim(type, space, H5P_DEFAULT, pointers.data());
  }
  H5Tclose(type);
  H5Sclose(space);
  H5Dclose(dataset);
  return out;
}

inline std::string dataset_units(hid_t file, const std::string& path) {
  hid_t dataset = H5Dopen2(file, path.c_str(), H5P_DEFAULT);
  if (dataset < 0) return "<no dataset>";
  std::string units = read_string_attribute(dataset, "units");
  H5Dclose(dataset);
  return units;
}

}  // namespace results_test
