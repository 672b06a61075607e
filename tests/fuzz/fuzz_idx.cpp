// Fuzzes the IDX reader (raw and gzip-compressed image and label files).
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "spinsc/dataset.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = spinsc::fuzz::as_file(data, size, "input-idx3-ubyte");
  try {
    spinsc::read_idx(file);
  } catch (const spinsc::DataError&) {
  }
  return 0;
}
