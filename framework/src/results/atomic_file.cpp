#include "results/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include "spinsc/result_store.hpp"

namespace fs = std::filesystem;

namespace spinsc::results {

namespace {
std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }
std::string errno_text() { return std::strerror(errno); }

fs::path folder_of(const fs::path& file) {
  return file.has_parent_path() ? file.parent_path() : fs::path(".");
}

// Closes a POSIX descriptor on scope exit.
struct Descriptor {
  int fd = -1;
  ~Descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

// Creates the temporary afresh: a stale one (or a symlink planted under its name) is unlinked,
// never followed, and O_EXCL | O_NOFOLLOW make the create fail rather than write through a link
// or into a file someone else made in between.
int create_temporary(const fs::path& temporary) {
  ::unlink(temporary.c_str());
  return ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
}
}  // namespace

fs::path temporary_path_for(const fs::path& file) {
  fs::path temporary = file;
  temporary += ".writing";
  return temporary;
}

void prepare_writable_location(const fs::path& file, const std::string& kind) {
  if (file.empty()) throw ResultStoreError(kind + ": empty path");
  const fs::path folder = folder_of(file);
  std::error_code ec;
  if (fs::exists(folder, ec) && !fs::is_directory(folder, ec)) {
    throw ResultStoreError("cannot write " + kind + " " + quoted(file) + ": " + quoted(folder) +
                           " is not a folder");
  }
  if (!fs::exists(folder, ec)) {
    fs::create_directories(folder, ec);
    if (ec) {
      throw ResultStoreError("cannot create the folder " + quoted(folder) + " for " + kind + " " + quoted(file) +
                             ": " + ec.message());
    }
  }
  if (fs::is_directory(file, ec)) {
    throw ResultStoreError("cannot write " + kind + " " + quoted(file) + ": it is a folder");
  }
  if (fs::exists(file, ec)) {
    if (!fs::is_regular_file(file, ec)) {
      throw ResultStoreError("cannot write " + kind + " " + quoted(file) + ": it is not a regular file");
    }
    // The file is replaced by rename, which would succeed even on a read-only file: honour
    // the read-only mark instead of overwriting what the user protected.
    struct stat info {};
    if (::access(file.c_str(), W_OK) != 0 || (::stat(file.c_str(), &info) == 0 && (info.st_mode & 0222) == 0)) {
      throw ResultStoreError("cannot write " + kind + " " + quoted(file) + ": it is read-only");
    }
  }
  // Probe the folder by creating the temporary: it needs exactly the rights the commits need
  // (root passes access() checks on read-only folders, so only a real create tells the truth).
  // The probe has a name of this process's own: a writer that holds the file may be writing
  // "<file>.writing" right now (this check runs before the writer lock is asked for).
  fs::path probe = file;
  probe += ".probe-" + std::to_string(::getpid());
  Descriptor d{create_temporary(probe)};
  if (d.fd < 0) {
    throw ResultStoreError("cannot write " + kind + " " + quoted(file) + ": cannot create files in " +
                           quoted(folder) + " (" + errno_text() + ")");
  }
  ::unlink(probe.c_str());
}

void replace_file_atomically(const fs::path& file, const void* data, std::size_t size) {
  const fs::path temporary = temporary_path_for(file);
  {
    Descriptor d{create_temporary(temporary)};
    if (d.fd < 0) throw ResultStoreError("cannot create " + quoted(temporary) + ": " + errno_text());
    const char* bytes = static_cast<const char*>(data);
    std::size_t written = 0;
    while (written < size) {
      const ssize_t n = ::write(d.fd, bytes + written, size - written);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        const std::string reason = errno_text();
        ::unlink(temporary.c_str());
        throw ResultStoreError("cannot write " + quoted(temporary) + " (the file is unchanged): " + reason);
      }
      written += static_cast<std::size_t>(n);
    }
    if (::fsync(d.fd) != 0) {
      const std::string reason = errno_text();
      ::unlink(temporary.c_str());
      throw ResultStoreError("cannot flush " + quoted(temporary) + " to disk (the file is unchanged): " + reason);
    }
  }
  if (::rename(temporary.c_str(), file.c_str()) != 0) {
    const std::string reason = errno_text();
    ::unlink(temporary.c_str());
    throw ResultStoreError("cannot replace " + quoted(file) + " (the file is unchanged): " + reason);
  }
  // Make the rename durable; failure here does not undo it, so it is not an error.
  Descriptor folder{::open(folder_of(file).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (folder.fd >= 0) ::fsync(folder.fd);
}

}  // namespace spinsc::results
