// IDX reader (the MNIST file format): big-endian header {0, 0, type, n_dims}, n_dims 32-bit
// sizes, then the payload. zlib's gzread reads gzip and raw files alike.
#include <zlib.h>

#include <fmt/format.h>

#include "spinsc/dataset.hpp"

namespace spinsc {

DataError::~DataError() = default;

namespace {

std::vector<std::uint8_t> read_all(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec))
    throw DataError(fmt::format("data file '{}' does not exist", file.string()));
  if (std::filesystem::is_directory(file, ec))
    throw DataError(fmt::format("data file '{}' is a directory", file.string()));
  gzFile in = gzopen(file.c_str(), "rb");
  if (!in) throw DataError(fmt::format("data file '{}' cannot be opened for reading", file.string()));
  std::vector<std::uint8_t> bytes;
  std::uint8_t buffer[1 << 16];
  for (;;) {
    const int n = gzread(in, buffer, sizeof buffer);
    if (n < 0) {
      int code = 0;
      const std::string message = gzerror(in, &code);
      gzclose(in);
      throw DataError(fmt::format("data file '{}' is corrupt (gzip: {})", file.string(), message));
    }
    if (n == 0) break;
    bytes.insert(bytes.end(), buffer, buffer + n);
  }
  // A truncated gzip stream ends without an error from gzread on some zlib versions; gzclose
  // reports it (Z_BUF_ERROR: the last read ended in the middle of a stream).
  const int close_code = gzclose(in);
  if (close_code == Z_BUF_ERROR)
    throw DataError(fmt::format("data file '{}' is truncated (the gzip stream ends early)", file.string()));
  if (close_code != Z_OK)
    throw DataError(fmt::format("data file '{}' could not be read to the end (zlib error {})", file.string(), close_code));
  return bytes;
}

std::uint32_t big_endian_u32(const std::uint8_t* p) {
  return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | std::uint32_t(p[3]);
}

}  // namespace

IdxArray read_idx(const std::filesystem::path& file) {
  std::vector<std::uint8_t> bytes = read_all(file);
  const std::string name = file.string();
  if (bytes.size() < 4)
    throw DataError(fmt::format("data file '{}' is truncated: {} bytes, shorter than the 4-byte IDX magic number",
                                name, bytes.size()));
  if (bytes[0] != 0 || bytes[1] != 0)
    throw DataError(fmt::format("data file '{}' is not an IDX file: magic number starts with {:#04x} {:#04x}, "
                                "expected 0x00 0x00", name, bytes[0], bytes[1]));
  if (bytes[2] != 0x08)
    throw DataError(fmt::format("data file '{}' has IDX type code {:#04x}; only 0x08 (unsigned byte) is supported",
                                name, bytes[2]));
  const int n_dims = bytes[3];
  if (n_dims < 1 || n_dims > 4)
    throw DataError(fmt::format("data file '{}' has {} IDX dimensions; expected 1 to 4", name, n_dims));
  const std::size_t header = 4 + 4 * std::size_t(n_dims);
  if (bytes.size() < header)
    throw DataError(fmt::format("data file '{}' is truncated: {} bytes, shorter than its {}-byte header", name,
                                bytes.size(), header));
  IdxArray array;
  std::size_t expected = 1;
  for (int d = 0; d < n_dims; ++d) {
    const std::uint32_t size = big_endian_u32(&bytes[4 + 4 * d]);
    array.dims.push_back(size);
    expected *= size;
    if (expected > (std::size_t(1) << 34))
      throw DataError(fmt::format("data file '{}' declares an implausible size (dimension {} = {})", name, d, size));
  }
  const std::size_t payload = bytes.size() - header;
  if (payload < expected)
    throw DataError(fmt::format("data file '{}' is truncated: the header declares {} data bytes, the file has {}",
                                name, expected, payload));
  if (payload > expected)
    throw DataError(fmt::format("data file '{}' is corrupt: {} bytes follow the {} data bytes its header declares",
                                name, payload - expected, expected));
  array.data.assign(bytes.begin() + header, bytes.end());
  return array;
}

}  // namespace spinsc
