#pragma once
// HDF5 files damaged in the two ways that reach inside libhdf5 1.10 (shared by the bad-input suite
// and the unit tests of the untrusted-file checks). Both start from a small file written with the
// C API's defaults (as h5py writes them too: object headers without checksums), with one root text
// attribute `name` = `value` (variable-length, so its text lives in a global heap collection).
#include <hdf5.h>

#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace damaged_hdf5 {

inline std::string text_attribute_file(const std::filesystem::path& scratch, const char* name, const std::string& value) {
  std::filesystem::create_directories(scratch.parent_path());
  const hid_t f = H5Fcreate(scratch.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  BOOST_REQUIRE(f >= 0);
  const hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, H5T_VARIABLE);
  const hid_t space = H5Screate(H5S_SCALAR);
  const hid_t a = H5Acreate2(f, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  const char* text = value.c_str();
  H5Awrite(a, type, &text);
  H5Aclose(a), H5Sclose(space), H5Tclose(type), H5Fclose(f);
  std::ifstream in(scratch, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline std::size_t first_heap_collection(const std::string& bytes) {
  const std::size_t at = bytes.find(std::string("GCOL\x01\0\0\0", 8));
  BOOST_REQUIRE_MESSAGE(at != std::string::npos, "no global heap collection in the file");
  return at;
}

// The text's heap reference (length 4 bytes, collection address 8, object index 4) gets the object
// index 0x7fffffff, far past the collection's objects: libhdf5 does not check it and reads out of
// bounds (SIGSEGV) when it reads the attribute.
inline std::string with_damaged_text_reference(const std::filesystem::path& scratch, const char* name,
                                               const std::string& value) {
  std::string bytes = text_attribute_file(scratch, name, value);
  const std::uint64_t heap = first_heap_collection(bytes);
  std::string reference;
  for (int i = 0; i < 4; ++i) reference += char((value.size() >> (8 * i)) & 0xff);
  for (int i = 0; i < 8; ++i) reference += char((heap >> (8 * i)) & 0xff);
  const std::size_t at = bytes.find(reference);
  BOOST_REQUIRE_MESSAGE(at != std::string::npos, "the text's heap reference is not in the file");
  bytes.replace(at + 12, 4, std::string("\xff\xff\xff\x7f", 4));
  return bytes;
}

// `bytes` (any HDF5 file with a global heap) with the first object of its first collection turned
// into a zero-size free-space entry: libhdf5 1.10 loops for ever on it when it reads the text.
inline std::string with_corrupt_heap(std::string bytes) {
  bytes.replace(first_heap_collection(bytes) + 16, 16, std::string(16, '\0'));
  return bytes;
}

}  // namespace damaged_hdf5
