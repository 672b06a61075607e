#include "results/untrusted_hdf5.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <limits>
#include <string_view>

#include "results/h5_handle.hpp"
#include "spinsc/result_store.hpp"

namespace spinsc::h5 {

namespace {

std::uint64_t little_endian(const unsigned char* p, int n_bytes) {
  std::uint64_t value = 0;
  for (int i = n_bytes - 1; i >= 0; --i) value = (value << 8) | p[i];
  return value;
}

// The global heap collection format (HDF5 file format specification, "Global Heap"), with
// 8-byte lengths (the only size spinsc and h5py write): "GCOL", version 1, 3 reserved bytes,
// collection size (8 bytes, header included); then objects: index (2), reference count (2),
// reserved (4), size (8), data padded to a multiple of 8. Index 0 is the free space, whose size
// counts its own header.
constexpr std::size_t kCollectionHeader = 16, kObjectHeader = 16;

// "" if the collection at `at` is sound, else what is wrong.
std::string walk_collection(const unsigned char* bytes, std::size_t file_size, std::size_t at) {
  const std::uint64_t size = little_endian(bytes + at + 8, 8);
  if (size < kCollectionHeader) return "its size " + std::to_string(size) + " is smaller than its header";
  if (size > file_size - at) return "its size " + std::to_string(size) + " runs past the end of the file";
  const std::size_t end = at + size;
  std::size_t p = at + kCollectionHeader;
  while (p < end) {
    if (end - p < kObjectHeader) break;  // too small for an object: free space, as libhdf5 reads it
    const std::uint64_t index = little_endian(bytes + p, 2);
    const std::uint64_t object_size = little_endian(bytes + p + 8, 8);
    std::uint64_t need = 0;
    if (index > 0) {
      if (object_size > std::numeric_limits<std::uint64_t>::max() - kObjectHeader - 7)
        return "object " + std::to_string(index) + " claims " + std::to_string(object_size) + " bytes";
      need = kObjectHeader + ((object_size + 7) / 8) * 8;
    } else {
      need = object_size;
    }
    if (need < kObjectHeader)
      return "object " + std::to_string(index) + " has size " + std::to_string(object_size) + " (the walk would not advance)";
    if (need > end - p)
      return "object " + std::to_string(index) + " of " + std::to_string(object_size) + " bytes runs past its collection";
    p += need;
  }
  return "";
}

}  // namespace

void check_global_heaps(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw ResultStoreError("cannot read '" + file.string() + "': " + std::strerror(errno));
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    throw ResultStoreError("'" + file.string() + "' is not a regular file");
  }
  const auto file_size = static_cast<std::size_t>(info.st_size);
  if (file_size < kCollectionHeader) {
    ::close(fd);
    return;  // too small for a heap; libhdf5 refuses such a file by itself
  }
  void* mapped = ::mmap(nullptr, file_size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (mapped == MAP_FAILED) throw ResultStoreError("cannot read '" + file.string() + "': " + std::strerror(errno));
  const auto* bytes = static_cast<const unsigned char*>(mapped);
  const std::string_view text(reinterpret_cast<const char*>(bytes), file_size);
  std::string problem;
  std::size_t where = 0;
  for (std::size_t at = text.find("GCOL"); at != std::string_view::npos; at = text.find("GCOL", at + 1)) {
    // Only a real collection header: version 1, three zero bytes (text never holds NUL bytes).
    if (file_size - at < kCollectionHeader || bytes[at + 4] != 1 || bytes[at + 5] || bytes[at + 6] || bytes[at + 7])
      continue;
    problem = walk_collection(bytes, file_size, at);
    if (!problem.empty()) {
      where = at;
      break;
    }
  }
  ::munmap(mapped, file_size);
  if (!problem.empty()) {
    throw ResultStoreError("'" + file.string() + "' is damaged: the global heap collection at byte " +
                           std::to_string(where) + " (where its text values live) is corrupt: " + problem);
  }
}

void check_untrusted_files(const std::vector<std::filesystem::path>& files) {
  for (const auto& file : files) check_global_heaps(file);
  check_readable_in_child(files);
}

void check_fits_in_file(hid_t object, std::uint64_t n_elements, std::uint64_t element_bytes, const std::string& what,
                        std::uint64_t compression_factor) {
  const hid_t file = H5Iget_file_id(object);
  hsize_t file_size = 0;
  const bool sized = file >= 0 && H5Fget_filesize(file, &file_size) >= 0;
  if (file >= 0) H5Fclose(file);
  if (!sized) return;  // no size to compare with: the read itself will tell
  const std::uint64_t limit = std::uint64_t(file_size) * compression_factor;
  if (element_bytes != 0 && n_elements > limit / element_bytes) {
    throw ResultStoreError(what + " claims " + std::to_string(n_elements) + " values of " +
                           std::to_string(element_bytes) + " bytes, more than the file of " +
                           std::to_string(file_size) + " bytes can hold (damaged file?)");
  }
}

}  // namespace spinsc::h5
