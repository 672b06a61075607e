#pragma once
// Replacing a file in one step, so that a process killed at any moment (kill -9, power loss
// after fsync) leaves either the old file or the new one, never a mix: the new bytes go to a
// temporary file in the same folder, are fsync'ed, and renamed over the old file (rename() is
// atomic within one file system); the folder is fsync'ed so that the rename itself is durable.
#include <cstddef>
#include <filesystem>
#include <string>

namespace spinsc::results {

// "<file>.writing": the temporary next to `file`. A stale one (a writer killed before its
// rename) holds nothing that was ever committed and may be deleted.
std::filesystem::path temporary_path_for(const std::filesystem::path& file);

// Creates missing parent folders and checks that `file` can be written there (a regular file
// or nothing at that path, a writable folder). Throws ResultStoreError naming the path.
// `kind` names the file in messages ("results file", "trace file").
void prepare_writable_location(const std::filesystem::path& file, const std::string& kind = "results file");

// Writes `size` bytes to the temporary, fsyncs it, renames it over `file`, fsyncs the folder.
// Throws ResultStoreError naming the file; the old file is untouched on failure.
void replace_file_atomically(const std::filesystem::path& file, const void* data, std::size_t size);

}  // namespace spinsc::results
