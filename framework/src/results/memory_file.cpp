#include "results/memory_file.hpp"

#include <vector>

#include "results/atomic_file.hpp"

namespace spinsc::results {

h5::Handle create_memory_file(const std::filesystem::path& name) {
  h5::Handle fcpl = h5::check(H5Pcreate(H5P_FILE_CREATE), "making file creation properties");
  h5::check_status(H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
                   "tracking link creation order");
  h5::check_status(H5Pset_attr_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
                   "tracking attribute creation order");
  h5::check_status(H5Pset_attr_phase_change(fcpl, 64, 56), "keeping root attributes compact");
  h5::Handle fapl = h5::check(H5Pcreate(H5P_FILE_ACCESS), "making file access properties");
  // 1 MiB growth steps; no backing store: nothing reaches the disk except through write_memory_file().
  h5::check_status(H5Pset_fapl_core(fapl, 1 << 20, 0), "selecting the in-memory driver");
  // Closing the file closes every object still open in it.
  h5::check_status(H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG), "setting the close degree");
  return h5::check(H5Fcreate(name.c_str(), H5F_ACC_TRUNC, fcpl, fapl), "creating '" + name.string() + "' in memory");
}

void write_memory_file(hid_t file, const std::filesystem::path& path) {
  h5::check_status(H5Fflush(file, H5F_SCOPE_GLOBAL), "flushing '" + path.string() + "'");
  const ssize_t size = H5Fget_file_image(file, nullptr, 0);
  if (size < 0) h5::check_status(-1, "sizing the image of '" + path.string() + "'");
  std::vector<unsigned char> image(static_cast<std::size_t>(size));
  if (H5Fget_file_image(file, image.data(), image.size()) != size) {
    h5::check_status(-1, "copying the image of '" + path.string() + "'");
  }
  replace_file_atomically(path, image.data(), image.size());
}

}  // namespace spinsc::results
