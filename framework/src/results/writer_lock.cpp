#include "results/writer_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "spinsc/result_store.hpp"

namespace fs = std::filesystem;

namespace spinsc::results {

fs::path lock_path_for(const fs::path& file) {
  fs::path lock = file;
  lock += ".lock";
  return lock;
}

namespace {
// The pid recorded by the current holder, or "" if the file holds none.
std::string recorded_pid(int fd) {
  char text[32] = {};
  const ssize_t n = ::pread(fd, text, sizeof text - 1, 0);
  if (n <= 0) return "";
  std::string pid(text, static_cast<std::size_t>(n));
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
  return pid.find_first_not_of("0123456789") == std::string::npos ? pid : "";
}
}  // namespace

WriterLock::WriterLock(const fs::path& file) {
  const fs::path lock = lock_path_for(file);
  // O_NOFOLLOW: a symlink planted under the lock's name is refused, not written through.
  fd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (fd_ < 0) {
    throw ResultStoreError("cannot create the lock file '" + lock.string() + "' for results file '" + file.string() +
                           "': " + std::strerror(errno));
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    const std::string pid = recorded_pid(fd_);
    ::close(fd_);
    fd_ = -1;
    if (error == EWOULDBLOCK) {
      throw ResultStoreError("'" + file.string() + "' is being written by another spinsc" +
                             (pid.empty() ? std::string() : " (pid " + pid + ")") +
                             "; wait for it to finish, or use -o to write elsewhere");
    }
    throw ResultStoreError("cannot lock '" + lock.string() + "': " + std::strerror(error));
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd_, 0) == 0) {
    [[maybe_unused]] const ssize_t ignored = ::pwrite(fd_, pid.data(), pid.size(), 0);  // only for the message
  }
}

WriterLock::~WriterLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace spinsc::results
