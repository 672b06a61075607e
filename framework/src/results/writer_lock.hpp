#pragma once
// One writer per results file: two spinsc processes committing to the same file would each
// rename their own image over the other's. The lock is an flock on "<file>.lock" (the results
// file itself cannot carry it: every commit renames a new inode over it), held for the life of
// the store; the lock file records the holder's pid so that the refusal can name it. The lock
// file is left in place on exit: removing it would let a third process lock a new file while
// a second still holds the old one.
#include <filesystem>

namespace spinsc::results {

class WriterLock {
 public:
  // Throws ResultStoreError "'<file>' is being written by another spinsc (pid N)" when held.
  explicit WriterLock(const std::filesystem::path& file);
  ~WriterLock();
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;

 private:
  int fd_ = -1;
};

// "<file>.lock".
std::filesystem::path lock_path_for(const std::filesystem::path& file);

}  // namespace spinsc::results
