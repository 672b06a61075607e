#pragma once
// HDF5 files built in memory (the "core" driver, no backing store) and written to disk in one
// atomic step (atomic_file.hpp): the results index and every run and network file are made this
// way, so that nothing reaches the disk half-written.
#include <filesystem>

#include "results/h5_handle.hpp"

namespace spinsc::results {

// A new empty file in memory that tracks link and attribute creation order (h5py lists members
// in the order they were written). `name` only labels it in messages.
h5::Handle create_memory_file(const std::filesystem::path& name);

// Writes the file's image to `path` atomically (temporary, fsync, rename, fsync of the folder).
void write_memory_file(hid_t file, const std::filesystem::path& path);

}  // namespace spinsc::results
