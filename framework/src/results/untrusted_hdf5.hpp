#pragma once
// Guards for reading HDF5 files spinsc did not just write (trace files, an existing results
// file): libhdf5 1.10 trusts the bytes it reads, and some corruptions make it loop forever or
// allocate whatever a damaged header claims. These checks run before the library touches the
// bytes in question, and turn such files into errors that name the file.
#include <hdf5.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace spinsc::h5 {

// Walks every global heap collection ("GCOL", where variable-length strings live) of the file
// the way libhdf5 does and throws ResultStoreError naming the file when an object's size would
// not move the walk forward (libhdf5 then loops for ever in H5HG_read) or runs past its
// collection or the file.
void check_global_heaps(const std::filesystem::path& file);

// Reads, in a child process (fork), what spinsc's readers would read of each file through
// libhdf5's global heap and type conversion: every attribute, every string or variable-length
// dataset. libhdf5 1.10 trusts a file's bytes; a damaged variable-length string reference (inside
// an attribute, where the heap walk above cannot see it) makes it read out of bounds, and other
// damage may make it crash or loop where no check of ours can look. A child that dies, or spends
// more than `per_file` on one file (twice: see the .cpp), makes this throw ResultStoreError naming
// the file; spinsc's own process then never reads it. A clean HDF5 error is left to the readers.
void check_readable_in_child(const std::vector<std::filesystem::path>& files,
                             std::chrono::seconds per_file = std::chrono::seconds(20));

// Everything above for files spinsc did not just write: the global heap walk of each file, then
// the read probe of all of them in one child process.
void check_untrusted_files(const std::vector<std::filesystem::path>& files);

// Throws ResultStoreError when `bytes` (what reading `what` would allocate) exceeds what the
// file holding `object` could store: a damaged dataspace must not make us allocate gigabytes.
// `compression_factor` allows for filtered (compressed) datasets.
void check_fits_in_file(hid_t object, std::uint64_t n_elements, std::uint64_t element_bytes, const std::string& what,
                        std::uint64_t compression_factor = 1);

}  // namespace spinsc::h5
