// MD5 of data files (see file_checksum.hpp). Boost.Uuid's MD5 (a detail header, but the one MD5
// in the project's dependencies); checked against the RFC 1321 examples in test_idx_reader.cpp.
#include "data/file_checksum.hpp"

#include <boost/uuid/detail/md5.hpp>
#include <cctype>
#include <fstream>
#include <vector>

#include <fmt/format.h>

#include "spinsc/dataset.hpp"

namespace spinsc {

namespace {

std::string hex_digest(boost::uuids::detail::md5& hash) {
  boost::uuids::detail::md5::digest_type digest;
  hash.get_digest(digest);
  // Since Boost 1.71 each 32-bit word holds four digest bytes, the first in its high byte.
  std::string hex;
  for (unsigned word : digest) hex += fmt::format("{:08x}", word);
  return hex;
}

}  // namespace

std::string md5_hex(const std::string& bytes) {
  boost::uuids::detail::md5 hash;
  hash.process_bytes(bytes.data(), bytes.size());
  return hex_digest(hash);
}

std::string md5_hex_of_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw DataError(fmt::format("data file '{}' cannot be opened for reading", file.string()));
  boost::uuids::detail::md5 hash;
  std::vector<char> buffer(1 << 16);
  while (in) {
    in.read(buffer.data(), std::streamsize(buffer.size()));
    hash.process_bytes(buffer.data(), std::size_t(in.gcount()));
  }
  if (in.bad()) throw DataError(fmt::format("data file '{}' could not be read to the end", file.string()));
  return hex_digest(hash);
}

std::optional<std::string> listed_md5(const std::filesystem::path& file) {
  const std::filesystem::path sums = file.parent_path() / "MD5SUMS";
  std::ifstream in(sums);
  if (!in) return std::nullopt;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    // "<sum>  <name>" or "<sum> *<name>" (binary mode marker of md5sum).
    const auto space = line.find(' ');
    std::string sum = line.substr(0, space);
    bool hex = sum.size() == 32;
    for (char& c : sum) {
      hex = hex && std::isxdigit(static_cast<unsigned char>(c));
      c = char(std::tolower(static_cast<unsigned char>(c)));
    }
    if (space == std::string::npos || !hex)
      throw DataError(fmt::format("{} line {}: expected '<32 hex digits>  <file name>', got '{}'", sums.string(),
                                  number, line));
    std::string name = line.substr(space + 1);
    if (!name.empty() && (name[0] == ' ' || name[0] == '*')) name.erase(0, 1);
    if (name == file.filename().string()) return sum;
  }
  return std::nullopt;
}

void verify_listed_md5(const std::filesystem::path& file) {
  const auto expected = listed_md5(file);
  if (!expected) return;
  const std::string actual = md5_hex_of_file(file);
  if (actual != *expected)
    throw DataError(fmt::format("data file '{}' is damaged or not the expected file: its MD5 is {}, {} lists {}. "
                                "To fix: restore the file (git checkout, or copy it again from its source)",
                                file.string(), actual, (file.parent_path() / "MD5SUMS").string(), *expected));
}

}  // namespace spinsc
