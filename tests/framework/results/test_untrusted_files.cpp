// Requirement (bad input never crashes or hangs spinsc): the checks run before spinsc reads an HDF5
// file it did not just write (results/untrusted_hdf5.hpp). A sound file passes; a file whose text
// reference would crash libhdf5 and a file whose heap would make it loop are refused with an error
// that names the file, in a list the right one; spinsc's own process never reads them.
#define BOOST_TEST_MODULE untrusted_files
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "../damaged_hdf5_files.hpp"
#include "results/untrusted_hdf5.hpp"
#include "spinsc/result_store.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

const fs::path kRoot = fs::temp_directory_path() / "spinsc_untrusted_files";

fs::path file_with(const std::string& name, const std::string& bytes) {
  fs::create_directories(kRoot);
  std::ofstream(kRoot / name, std::ios::binary | std::ios::trunc) << bytes;
  return kRoot / name;
}

// The message of the ResultStoreError that `check` throws, or "" if it throws none.
template <class Check>
std::string refusal(Check check) {
  try {
    check();
  } catch (const spinsc::ResultStoreError& e) {
    return e.what();
  }
  return "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_CASE(a_sound_file_passes_every_check) {
  const fs::path good = file_with("good.h5", damaged_hdf5::text_attribute_file(kRoot / "scratch.h5", "format", "spinsc-trace"));
  BOOST_TEST(refusal([&] { spinsc::h5::check_untrusted_files({good, good}); }) == "");
}

BOOST_AUTO_TEST_CASE(a_damaged_text_reference_is_refused_by_name) {
  const fs::path good = file_with("good.h5", damaged_hdf5::text_attribute_file(kRoot / "scratch.h5", "format", "x"));
  const fs::path bad =
      file_with("bad.h5", damaged_hdf5::with_damaged_text_reference(kRoot / "scratch.h5", "status", "complete"));
  // The heap walk cannot see this damage (the collection itself is sound) ...
  BOOST_TEST(refusal([&] { spinsc::h5::check_global_heaps(bad); }) == "");
  // ... the trial read in a child process can.
  const std::string why = refusal([&] { spinsc::h5::check_untrusted_files({good, bad, good}); });
  BOOST_TEST(contains(why, "'" + bad.string() + "' is damaged"), why);
  BOOST_TEST(contains(why, "crashes HDF5"), why);
}

BOOST_AUTO_TEST_CASE(a_file_that_makes_libhdf5_loop_is_refused_after_the_time_limit) {
  const fs::path looping = file_with(
      "loop.h5", damaged_hdf5::with_corrupt_heap(damaged_hdf5::text_attribute_file(kRoot / "scratch.h5", "format", "x")));
  // The heap walk refuses it at once; without it, the trial read stops the looping child after
  // its time (1 s here, twice).
  BOOST_TEST(contains(refusal([&] { spinsc::h5::check_global_heaps(looping); }), "is damaged"));
  const auto start = std::chrono::steady_clock::now();
  const std::string why = refusal([&] { spinsc::h5::check_readable_in_child({looping}, 1s); });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  BOOST_TEST(contains(why, "'" + looping.string() + "' is damaged: HDF5 did not finish"), why);
  BOOST_TEST(seconds >= 2.0);
  BOOST_TEST(seconds < 30.0);
}
