#pragma once
// MD5 sums of data files, checked against a folder's MD5SUMS (the `md5sum` format:
// "<32 hex digits>  <file name>" per line). MD5 here guards against damaged or swapped files, not
// against tampering.
#include <filesystem>
#include <optional>
#include <string>

namespace spinsc {

// Lower-case hex MD5 of the file's bytes. Throws DataError naming the file if it cannot be read.
std::string md5_hex_of_file(const std::filesystem::path& file);
// Lower-case hex MD5 of a byte string (for tests against the RFC 1321 examples).
std::string md5_hex(const std::string& bytes);

// The sum listed for `file`'s name in `file`'s folder's MD5SUMS; nullopt if there is no MD5SUMS or
// it does not list the file. Throws DataError naming MD5SUMS and the line if a line is malformed.
std::optional<std::string> listed_md5(const std::filesystem::path& file);

// If the folder's MD5SUMS lists `file`, checks its sum; throws DataError naming the file, both
// sums and MD5SUMS on a mismatch. Files not listed are not checked.
void verify_listed_md5(const std::filesystem::path& file);

}  // namespace spinsc
