// check_results_file_readable: the untrusted-file checks (untrusted_hdf5.hpp) for a results file
// that is only read (show, plot): the index first, then every file its links name.
#include <vector>

#include "results/h5_handle.hpp"
#include "results/h5_io.hpp"
#include "results/run_files.hpp"
#include "results/untrusted_hdf5.hpp"
#include "spinsc/result_store.hpp"

namespace spinsc {

void check_results_file_readable(const std::filesystem::path& file) {
  h5::QuietErrors quiet;
  if (H5Fis_hdf5(file.c_str()) <= 0) return;  // not HDF5: the reader says so
  h5::check_untrusted_files({file});
  h5::Handle index(H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  if (!index.valid()) return;  // the reader reports HDF5's error
  std::vector<std::filesystem::path> linked;
  for (const char* group_name : {"runs", "networks"}) {
    if (!h5::exists(index, group_name)) continue;
    h5::Handle group = h5::open_group(index, group_name);
    for (const auto& name : h5::member_names(group)) {
      H5L_info_t info{};
      if (H5Lget_info(group, name.c_str(), &info, H5P_DEFAULT) < 0 || info.type != H5L_TYPE_EXTERNAL) continue;
      const std::filesystem::path target = file.parent_path() / results::linked_file(group, name);
      std::error_code ec;
      if (std::filesystem::is_regular_file(target, ec)) linked.push_back(target);
    }
  }
  h5::check_untrusted_files(linked);
}

}  // namespace spinsc
