// Fuzzes the results-file reader: an existing file is loaded, its identity compared with the
// experiment's and its runs listed (the resume path of `spinsc run`). A refusal must be a
// ResultStoreError; the file that is refused must stay as it was (checked here byte by byte).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

#include "fuzz_support.hpp"
#include "spinsc/result_store.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = spinsc::fuzz::as_file(data, size, "results.h5");
  spinsc::ExperimentIdentity identity;
  identity.name = "fuzz";
  identity.experiment_text = "task = device_characterization\n";
  identity.seed = 1;
  try {
    auto store = spinsc::open_hdf5_store(file, identity, false);
  } catch (const spinsc::ResultStoreError&) {
    std::ifstream in(file, std::ios::binary);
    const std::string after((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (after.size() != size || std::memcmp(after.data(), data, size) != 0) std::abort();  // a refused file changed
  }
  return 0;
}
