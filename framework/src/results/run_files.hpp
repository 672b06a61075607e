#pragma once
// The files next to a results index (docs/results-format.md, "Layout"): every run in its own HDF5
// file and every trained network in its own file, in the folder "<results file>.runs/", each
// written once and never changed. The index refers to them by HDF5 external links (relative to
// the index's folder), which h5py and the HDF5 library follow by themselves; a run file refers to
// its network the same way. A file the index does not refer to holds nothing committed (debris
// of a writer killed before its index commit, or a run replaced since) and is removed on the
// next start.
#include <cstdint>
#include <filesystem>
#include <set>
#include <string>

#include "results/h5_handle.hpp"
#include "spinsc/run_record.hpp"

namespace spinsc::results {

// "<file>.runs": the folder of the run and network files of the results file `file`.
std::filesystem::path runs_folder_for(const std::filesystem::path& file);

// "<stem>.h5" if no such file exists in `folder`, else "<stem>.1.h5", "<stem>.2.h5", ...: a name
// that no committed file has, so that a new file never replaces one the index still refers to.
std::string free_file_name(const std::filesystem::path& folder, const std::string& stem);

// "000042" for a run file, "network-<training id>" for a network file.
std::string run_file_stem(std::uint64_t run_index);
std::string network_file_stem(const std::string& training_id);

// Creates an external link `name` in `group` to the root of the file `target` (a relative path).
void link_to_file(hid_t group, const std::string& name, const std::string& target);
// The file an external link `name` in `group` points to; throws ResultStoreError (naming the link)
// if it is not an external link to a file's root.
std::string linked_file(hid_t group, const std::string& name);

// Removes the files of `folder` that spinsc writes there (run and network files and their
// temporaries) and that `referenced` (file names) does not hold. Other files are left alone.
void remove_unreferenced_files(const std::filesystem::path& folder, const std::set<std::string>& referenced);

// The group of a network run record that is stored once per training (record_weights()).
inline constexpr const char* kNetworkGroup = "network";

// `record` split into its network part (paths below "network/", without that prefix; attributes
// of "network" on "") and the rest.
struct SplitRecord {
  RunRecord rest, network;
};
SplitRecord split_network(const RunRecord& record);

// 16 hex digits of a hash of every dataset (path, shape, units, values) and attribute of `record`:
// equal for bit-identical networks.
std::string content_hash(const RunRecord& record);

}  // namespace spinsc::results
