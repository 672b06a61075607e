// The child-process read probe of untrusted HDF5 files (see untrusted_hdf5.hpp for why).
//
// The child reads, file by file, everything of a file that goes through libhdf5's global heap or
// type conversion when spinsc reads it: every attribute of every object and every dataset of a
// string or other variable-length type. Before each file it writes the file's number to a pipe,
// so the parent knows which file it was in when it died. A clean libhdf5 error in the child is not
// a finding (spinsc's own reader reports it with its usual message); only a death by signal, a
// non-zero exit (a sanitizer report in an instrumented build) or a timeout is.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include "results/untrusted_hdf5.hpp"
#include "spinsc/result_store.hpp"

// In a sanitized build (tests, fuzzers) the sanitizer runtime defines this; a report in the child
// must not run a death callback of the parent's (libFuzzer's would save a "crash" input for a
// failure that spinsc contained).
extern "C" void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

namespace spinsc::h5 {

namespace {

// What the child may allocate for one value: more than this is a damaged size, which spinsc's
// own checked readers refuse with a message of their own (check_fits_in_file), so it is skipped.
constexpr std::uint64_t kMaxProbeBytes = 64ull << 20;

std::uint64_t elements_of(hid_t space) {
  const hssize_t n = H5Sget_simple_extent_npoints(space);
  return n < 0 ? 0 : std::uint64_t(n);
}

// Reads one attribute or dataset (`is_dataset`) into memory the way spinsc's readers do: strings
// as strings, everything else in its native form.
void read_value(hid_t object, bool is_dataset) {
  const hid_t file_type = is_dataset ? H5Dget_type(object) : H5Aget_type(object);
  const hid_t space = is_dataset ? H5Dget_space(object) : H5Aget_space(object);
  if (file_type < 0 || space < 0) {
    if (file_type >= 0) H5Tclose(file_type);
    if (space >= 0) H5Sclose(space);
    return;
  }
  const bool is_string = H5Tget_class(file_type) == H5T_STRING;
  const bool variable = is_string ? H5Tis_variable_str(file_type) > 0 : H5Tdetect_class(file_type, H5T_VLEN) > 0;
  hid_t memory_type = -1;
  if (is_string) {
    memory_type = H5Tcopy(H5T_C_S1);
    H5Tset_size(memory_type, variable ? H5T_VARIABLE : H5Tget_size(file_type));
    H5Tset_cset(memory_type, H5Tget_cset(file_type));
  } else {
    memory_type = H5Tget_native_type(file_type, H5T_DIR_DEFAULT);
  }
  const std::uint64_t n = elements_of(space);
  const std::uint64_t value_bytes = memory_type >= 0 ? H5Tget_size(memory_type) : 0;
  // Fixed-size numeric datasets never touch the heap: only their metadata matters here, and their
  // size is checked by the readers.
  const bool worth_reading = !is_dataset || is_string || variable;
  if (memory_type >= 0 && worth_reading && value_bytes > 0 && n <= kMaxProbeBytes / value_bytes) {
    std::vector<unsigned char> buffer(std::max<std::uint64_t>(n * value_bytes, 1));
    const herr_t status = is_dataset ? H5Dread(object, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data())
                                     : H5Aread(object, memory_type, buffer.data());
    if (status >= 0 && variable) H5Dvlen_reclaim(memory_type, space, H5P_DEFAULT, buffer.data());
  }
  if (memory_type >= 0) H5Tclose(memory_type);
  H5Sclose(space);
  H5Tclose(file_type);
}

herr_t read_attribute(hid_t object, const char* name, const H5A_info_t*, void*) {
  const hid_t attribute = H5Aopen(object, name, H5P_DEFAULT);
  if (attribute >= 0) {
    read_value(attribute, false);
    H5Aclose(attribute);
  }
  return 0;  // go on with the next attribute whatever happened
}

herr_t read_object(hid_t parent, const char* name, const H5O_info_t* info, void*) {
  const hid_t object = H5Oopen(parent, name, H5P_DEFAULT);
  if (object < 0) return 0;
  hsize_t at = 0;
  H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_NATIVE, &at, read_attribute, nullptr);
  if (info->type == H5O_TYPE_DATASET) read_value(object, true);
  H5Oclose(object);
  return 0;
}

[[noreturn]] void run_child(const std::vector<std::filesystem::path>& files, int progress_fd) {
  if (__sanitizer_set_death_callback) __sanitizer_set_death_callback(nullptr);
  // A crash must end the child, not run a handler of the parent's (a test framework's handler
  // would carry on with the parent's work in the child); Ctrl-C is for the parent to handle.
  for (int crash : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP}) ::signal(crash, SIG_DFL);
  for (int stop : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) ::signal(stop, SIG_IGN);
  const int null_fd = ::open("/dev/null", O_WRONLY);  // libhdf5's and a sanitizer's words are not the user's
  if (null_fd >= 0) {
    ::dup2(null_fd, STDOUT_FILENO);
    ::dup2(null_fd, STDERR_FILENO);
  }
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  try {
    for (std::uint32_t i = 0; i < files.size(); ++i) {
      if (::write(progress_fd, &i, sizeof i) != sizeof i) ::_exit(0);  // the parent is gone
      const hid_t file = H5Fopen(files[i].c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
      if (file < 0) continue;
      H5Ovisit2(file, H5_INDEX_NAME, H5_ITER_NATIVE, read_object, nullptr, H5O_INFO_BASIC);
      H5Fclose(file);
    }
  } catch (...) {  // out of memory in the child: no evidence of damage; the readers decide
  }
  ::_exit(0);  // no exit handlers of the parent's
}

enum class Outcome { clean, died, timed_out };

struct ProbeResult {
  Outcome outcome = Outcome::clean;
  std::size_t file = 0;  // the file the child was reading when it died or stopped
  std::string how;       // "killed by signal 11 (Segmentation fault)", ...
};

ProbeResult probe_once(const std::vector<std::filesystem::path>& files, std::chrono::seconds per_file) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw ResultStoreError(std::string("cannot make a pipe: ") + std::strerror(errno));
  const pid_t child = ::fork();
  if (child < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw ResultStoreError(std::string("cannot start a process to check the file: ") + std::strerror(errno));
  }
  if (child == 0) {
    ::close(fds[0]);
    run_child(files, fds[1]);
  }
  ::close(fds[1]);
  ProbeResult result;
  bool finished = false, timed_out = false;
  auto deadline = std::chrono::steady_clock::now() + per_file;
  while (!finished) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd wait_for{fds[0], POLLIN, 0};
    const int ready = ::poll(&wait_for, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;  // the deadline is checked above
    std::uint32_t at = 0;
    const ssize_t got = ::read(fds[0], &at, sizeof at);
    if (got == sizeof at) {
      result.file = at;
      deadline = std::chrono::steady_clock::now() + per_file;  // each file gets its own time
    } else if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN)) {
      finished = true;  // the child has closed its end: it exited
    }
  }
  ::close(fds[0]);
  if (timed_out) ::kill(child, SIGKILL);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    result.outcome = Outcome::timed_out;
  } else if (WIFSIGNALED(status)) {
    result.outcome = Outcome::died;
    result.how = "killed by signal " + std::to_string(WTERMSIG(status)) + " (" + ::strsignal(WTERMSIG(status)) + ")";
  } else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
    result.outcome = Outcome::died;
    result.how = "stopped with exit status " + std::to_string(WEXITSTATUS(status)) + " (a memory error)";
  }
  return result;
}

}  // namespace

void check_readable_in_child(const std::vector<std::filesystem::path>& files, std::chrono::seconds per_file) {
  if (files.empty()) return;
  ProbeResult result = probe_once(files, per_file);
  // One retry after a timeout: the child is a fork of a process that may have other threads, and
  // one of them holding a lock of libhdf5's at that moment would stall the child, not the file.
  if (result.outcome == Outcome::timed_out) result = probe_once(files, per_file);
  if (result.outcome == Outcome::clean) return;
  const std::string file = files.at(result.file).string();
  if (result.outcome == Outcome::timed_out) {
    throw ResultStoreError("'" + file + "' is damaged: HDF5 did not finish reading its attributes within " +
                           std::to_string(per_file.count()) + " s (twice)");
  }
  throw ResultStoreError("'" + file + "' is damaged: reading its attributes crashes HDF5 (a trial read in a " +
                         "separate process was " + result.how + "); spinsc did not read it");
}

}  // namespace spinsc::h5
