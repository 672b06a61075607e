// The atomic commit of a results file, call by call: the new bytes go to "<file>.writing", that
// temporary is fsync'ed, renamed over the file, and the folder is fsync'ed. A kill test cannot
// see a missing fsync (the page cache survives a killed process), so this test interposes
// fsync() and rename(): the executable defines them (exported to the library, which resolves
// them here first) and records each call before forwarding it to the C library.
#define BOOST_TEST_MODULE results_atomic_commit
#include <boost/test/unit_test.hpp>
#include <dlfcn.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "results/atomic_file.hpp"

namespace fs = std::filesystem;

namespace {
bool recording = false;
std::vector<std::string> calls;

std::string path_of_descriptor(int fd) {
  std::error_code ec;
  const fs::path p = fs::read_symlink("/proc/self/fd/" + std::to_string(fd), ec);
  return ec ? "fd" + std::to_string(fd) : p.string();
}
}  // namespace

extern "C" int fsync(int fd) {
  using Fn = int (*)(int);
  static const Fn real = reinterpret_cast<Fn>(dlsym(RTLD_NEXT, "fsync"));
  if (recording) calls.push_back("fsync " + path_of_descriptor(fd));
  return real(fd);
}

extern "C" int rename(const char* from, const char* to) noexcept {
  using Fn = int (*)(const char*, const char*);
  static const Fn real = reinterpret_cast<Fn>(dlsym(RTLD_NEXT, "rename"));
  if (recording) calls.push_back(std::string("rename ") + from + " -> " + to);
  return real(from, to);
}

BOOST_AUTO_TEST_CASE(the_temporary_is_synced_renamed_and_the_folder_synced) {
  const fs::path dir = fs::canonical(fs::temp_directory_path()) / ("spinsc_atomic_commit_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path file = dir / "results.h5";
  { std::ofstream(file) << "old contents"; }
  const std::string data = "new contents, longer than the old ones";
  calls.clear();
  recording = true;
  spinsc::results::replace_file_atomically(file, data.data(), data.size());
  recording = false;
  const std::vector<std::string> expected{"fsync " + (dir / "results.h5.writing").string(),
                                          "rename " + (dir / "results.h5.writing").string() + " -> " + file.string(),
                                          "fsync " + dir.string()};
  BOOST_TEST(calls == expected, boost::test_tools::per_element());
  std::ifstream in(file);
  const std::string back((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  BOOST_TEST(back == data);
  BOOST_TEST(!fs::exists(spinsc::results::temporary_path_for(file)));
  fs::remove_all(dir);
}
