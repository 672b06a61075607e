#pragma once
// Shared by the libFuzzer targets: the input as a file (for readers that take a path), in a
// per-process scratch folder that is reused for every input.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

namespace spinsc::fuzz {

inline std::filesystem::path scratch_folder() {
  static const std::filesystem::path folder = [] {
    auto path = std::filesystem::temp_directory_path() / ("spinsc-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path);
    return path;
  }();
  return folder;
}

inline std::filesystem::path as_file(const std::uint8_t* data, std::size_t size, const std::string& name) {
  const auto file = scratch_folder() / name;
  std::ofstream(file, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data), std::streamsize(size));
  return file;
}

}  // namespace spinsc::fuzz
