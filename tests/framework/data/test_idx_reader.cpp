// Requirement (issue 3, data sets): the IDX reader reads raw and gzip files and rejects missing,
// truncated and corrupt files with a clear error naming the file and the problem; a data set is
// found by [data] path, subsets and 2x2 downscaling work, and a missing data set says where the
// data can be put. MNIST ships with the project (data/mnist) and is found without any setting;
// files listed in a folder's MD5SUMS are checked when loaded; SPINSC_DATA naming a folder without
// the data is an error naming the variable, not a silent fall-back.
#define BOOST_TEST_MODULE data_idx_reader
#include <boost/test/unit_test.hpp>

#include "test_prerequisites.hpp"
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "data/file_checksum.hpp"
#include "spinsc/dataset.hpp"

using namespace spinsc;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("spinsc_idx_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter()++));
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  static int& counter() { static int c = 0; return c; }
};

std::vector<std::uint8_t> idx_bytes(std::vector<std::uint32_t> dims, const std::vector<std::uint8_t>& payload,
                                    std::uint8_t type = 0x08) {
  std::vector<std::uint8_t> b{0, 0, type, std::uint8_t(dims.size())};
  for (auto d : dims) for (int s = 24; s >= 0; s -= 8) b.push_back(std::uint8_t(d >> s));
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}

void write_raw(const fs::path& file, const std::vector<std::uint8_t>& bytes) {
  std::ofstream(file, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

void write_gzip(const fs::path& file, const std::vector<std::uint8_t>& bytes) {
  gzFile out = gzopen(file.c_str(), "wb");
  gzwrite(out, bytes.data(), unsigned(bytes.size()));
  gzclose(out);
}

std::vector<std::uint8_t> read_raw(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// The error message of f(), or "" if it did not throw DataError.
template <class F>
std::string data_error(F f) {
  try {
    f();
  } catch (const DataError& e) {
    return e.what();
  }
  return "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A tiny data set: n images of 4x4 with pixel (i, p) = 10 i + p, labels i % 10.
void write_tiny_dataset(const fs::path& dir, std::uint32_t n_train, std::uint32_t n_test) {
  for (auto [prefix, n] : {std::pair{std::string("train"), n_train}, std::pair{std::string("t10k"), n_test}}) {
    std::vector<std::uint8_t> pixels, labels;
    for (std::uint32_t i = 0; i < n; ++i) {
      for (int p = 0; p < 16; ++p) pixels.push_back(std::uint8_t(10 * i + p));
      labels.push_back(std::uint8_t(i % 10));
    }
    write_gzip(dir / (prefix + "-images-idx3-ubyte.gz"), idx_bytes({n, 4, 4}, pixels));
    write_raw(dir / (prefix + "-labels-idx1-ubyte"), idx_bytes({n}, labels));  // raw on purpose
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(reads_raw_and_gzip) {
  TempDir dir;
  const auto bytes = idx_bytes({2, 3}, {1, 2, 3, 4, 5, 6});
  write_raw(dir.path / "a.idx", bytes);
  write_gzip(dir.path / "a.idx.gz", bytes);
  for (const char* name : {"a.idx", "a.idx.gz"}) {
    const IdxArray a = read_idx(dir.path / name);
    BOOST_TEST(a.dims == std::vector<std::uint32_t>({2, 3}), boost::test_tools::per_element());
    BOOST_TEST(a.data == std::vector<std::uint8_t>({1, 2, 3, 4, 5, 6}), boost::test_tools::per_element());
  }
}

BOOST_AUTO_TEST_CASE(broken_files_are_rejected_with_the_file_and_the_reason) {
  TempDir dir;
  const auto good = idx_bytes({2, 3}, {1, 2, 3, 4, 5, 6});
  struct Case { std::string name; std::vector<std::uint8_t> bytes; std::string reason; };
  std::vector<Case> cases{
      {"short_payload", idx_bytes({2, 3}, {1, 2, 3, 4, 5}), "truncated"},
      {"trailing", idx_bytes({2, 3}, {1, 2, 3, 4, 5, 6, 7}), "follow"},
      {"bad_magic", {1, 0, 8, 1, 0, 0, 0, 1, 9}, "not an IDX file"},
      {"float_type", idx_bytes({1}, {0, 0, 0, 0}, 0x0D), "type code"},
      {"no_dims", {0, 0, 8, 0}, "dimensions"},
      {"short_header", {0, 0, 8, 2, 0, 0}, "header"},
      {"tiny", {0, 0}, "truncated"},
      {"empty", {}, "truncated"},
  };
  for (const auto& c : cases) {
    const fs::path file = dir.path / c.name;
    write_raw(file, c.bytes);
    const std::string message = data_error([&] { read_idx(file); });
    BOOST_TEST(contains(message, file.string()), c.name << ": " << message);
    BOOST_TEST(contains(message, c.reason), c.name << ": " << message);
  }
  // A gzip file cut in the middle of its stream, and a gzip file with a damaged body.
  std::vector<std::uint8_t> big(5000);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = std::uint8_t((i * 7919) >> 3);
  write_gzip(dir.path / "whole.gz", idx_bytes({5000}, big));
  auto compressed = read_raw(dir.path / "whole.gz");
  write_raw(dir.path / "cut.gz", std::vector<std::uint8_t>(compressed.begin(), compressed.begin() + compressed.size() / 2));
  std::string message = data_error([&] { read_idx(dir.path / "cut.gz"); });
  BOOST_TEST(contains(message, "cut.gz"), message);
  BOOST_TEST((contains(message, "truncated") || contains(message, "corrupt")), message);
  auto damaged = compressed;
  for (std::size_t i = 20; i < 60; ++i) damaged[i] ^= 0x5A;
  write_raw(dir.path / "damaged.gz", damaged);
  message = data_error([&] { read_idx(dir.path / "damaged.gz"); });
  BOOST_TEST(contains(message, "damaged.gz"), message);
  BOOST_TEST(!message.empty());
}

BOOST_AUTO_TEST_CASE(missing_file_and_missing_dataset_say_where_to_put_the_data) {
  TempDir dir;
  std::string message = data_error([&] { read_idx(dir.path / "nothing.gz"); });
  BOOST_TEST(contains(message, "nothing.gz"));
  BOOST_TEST(contains(message, "does not exist"));

  DataOptions options;
  options.path = dir.path.string();  // an existing folder without the files
  message = data_error([&] { load_dataset(options); });
  BOOST_TEST(contains(message, "train-images-idx3-ubyte"), message);
  BOOST_TEST(contains(message, "[data] path"), message);
  BOOST_TEST(contains(message, "SPINSC_DATA"), message);

  options.path = (dir.path / "not_there").string();
  message = data_error([&] { locate_dataset(options); });
  BOOST_TEST(contains(message, "not_there"), message);
  BOOST_TEST(contains(message, "not a folder"), message);
}

BOOST_AUTO_TEST_CASE(dataset_from_path_with_subset_and_downscale) {
  TempDir dir;
  write_tiny_dataset(dir.path, 6, 3);
  DataOptions options;
  options.path = dir.path.string();
  DataSplit split = load_dataset(options);
  BOOST_TEST(split.train.size() == 6u);
  BOOST_TEST(split.test.size() == 3u);
  BOOST_TEST(split.train.n_pixels() == 16);
  BOOST_TEST(int(split.train.images(5, 15)) == 65);
  BOOST_TEST(split.train.max_value == 65.0f);   // X / max(X) over the training images
  BOOST_TEST(split.test.max_value == 65.0f);
  Matrix x;
  const std::vector<std::uint64_t> ids{5};
  split.train.normalized_batch(ids, x);
  BOOST_TEST(x(0, 15) == 1.0f);

  options.train_size = 4;
  options.test_size = 2;
  options.downscale = 2;
  split = load_dataset(options);
  BOOST_TEST(split.train.size() == 4u);
  BOOST_TEST(split.test.size() == 2u);
  BOOST_TEST(split.train.rows == 2);
  BOOST_TEST(split.train.n_pixels() == 4);
  // Image 1, top-left 2x2 block: pixels 10, 11, 14, 15 -> average 12.5 rounds to 13.
  BOOST_TEST(int(split.train.images(1, 0)) == 13);
  // Image 3, bottom-right block: 30 + {10, 11, 14, 15} -> 42.5 -> 43.
  BOOST_TEST(int(split.train.images(3, 3)) == 43);

  options.train_size = 7;  // more than there are
  BOOST_CHECK_THROW(load_dataset(options), ParamError);
}

BOOST_AUTO_TEST_CASE(inconsistent_files_are_rejected) {
  TempDir dir;
  write_tiny_dataset(dir.path, 6, 3);
  write_raw(dir.path / "train-labels-idx1-ubyte", idx_bytes({5}, {0, 1, 2, 3, 4}));  // 5 labels for 6 images
  DataOptions options;
  options.path = dir.path.string();
  std::string message = data_error([&] { load_dataset(options); });
  BOOST_TEST(contains(message, "do not match"), message);
  write_raw(dir.path / "train-labels-idx1-ubyte", idx_bytes({6}, {0, 1, 2, 3, 4, 12}));  // label 12 of 10 classes
  message = data_error([&] { load_dataset(options); });
  BOOST_TEST(contains(message, "label 12"), message);
}

BOOST_AUTO_TEST_CASE(real_mnist_ships_with_the_project) {
  // The shipped copy data/mnist: 60000 + 10000 images of 28x28, labels 0-9, pixel maximum 255,
  // found with no [data] path and no SPINSC_DATA (its MD5SUMS checked on the way).
  ::unsetenv("SPINSC_DATA");
  DataOptions options;
  const fs::path folder = locate_dataset(options);  // shipped: no prerequisite to miss
  BOOST_TEST(fs::equivalent(folder, fs::path(SPINSC_SOURCE_DIR) / "data" / "mnist"), folder);
  options.test_size = 100;
  const DataSplit split = load_dataset(options);
  BOOST_TEST(split.train.size() == 60000u);
  BOOST_TEST(split.test.size() == 100u);
  BOOST_TEST(split.train.rows == 28);
  BOOST_TEST(split.train.max_value == 255.0f);
  BOOST_TEST(int(split.train.labels[0]) == 5);  // the first MNIST training digit is a 5
  BOOST_TEST(int(split.test.labels[0]) == 7);   // the first test digit is a 7
}

BOOST_AUTO_TEST_CASE(md5_matches_the_rfc_1321_examples) {
  // RFC 1321, appendix A.5: the reference implementation's test suite.
  BOOST_TEST(md5_hex("") == "d41d8cd98f00b204e9800998ecf8427e");
  BOOST_TEST(md5_hex("a") == "0cc175b9c0f1b6a831c399e269772661");
  BOOST_TEST(md5_hex("abc") == "900150983cd24fb0d6963f7d28e17f72");
  BOOST_TEST(md5_hex("message digest") == "f96b697d7cb7938d525a2f31aaf161d0");
  BOOST_TEST(md5_hex("abcdefghijklmnopqrstuvwxyz") == "c3fcd3d76192e4007dfb496cca67e13b");
  BOOST_TEST(md5_hex("12345678901234567890123456789012345678901234567890123456789012345678901234567890") ==
             "57edf4a22be3c955ac49da2e2107b67a");
  TempDir dir;
  write_raw(dir.path / "abc", {'a', 'b', 'c'});
  BOOST_TEST(md5_hex_of_file(dir.path / "abc") == "900150983cd24fb0d6963f7d28e17f72");
}

BOOST_AUTO_TEST_CASE(md5sums_are_checked_when_loading) {
  TempDir dir;
  write_tiny_dataset(dir.path, 6, 3);
  DataOptions options;
  options.path = dir.path.string();
  const std::string good = md5_hex_of_file(dir.path / "train-images-idx3-ubyte.gz");
  // Right sums (and an unlisted file): loads.
  std::ofstream(dir.path / "MD5SUMS") << good << "  train-images-idx3-ubyte.gz\n"
                                      << md5_hex_of_file(dir.path / "t10k-labels-idx1-ubyte")
                                      << " *t10k-labels-idx1-ubyte\n";
  BOOST_TEST(load_dataset(options).train.size() == 6u);
  // A wrong sum: an error naming the file, both sums and MD5SUMS.
  std::string wrong = good;
  wrong[0] = wrong[0] == '0' ? '1' : '0';
  std::ofstream(dir.path / "MD5SUMS") << wrong << "  train-images-idx3-ubyte.gz\n";
  std::string message = data_error([&] { load_dataset(options); });
  BOOST_TEST(contains(message, (dir.path / "train-images-idx3-ubyte.gz").string()), message);
  BOOST_TEST(contains(message, good), message);
  BOOST_TEST(contains(message, wrong), message);
  BOOST_TEST(contains(message, "MD5SUMS"), message);
  // A malformed line names MD5SUMS and the line.
  std::ofstream(dir.path / "MD5SUMS") << "not-a-sum  train-images-idx3-ubyte.gz\n";
  message = data_error([&] { load_dataset(options); });
  BOOST_TEST(contains(message, "MD5SUMS line 1"), message);
}

BOOST_AUTO_TEST_CASE(spinsc_data_without_the_data_is_an_error_naming_it) {
  TempDir dir;
  ::setenv("SPINSC_DATA", dir.path.string().c_str(), 1);
  DataOptions options;
  std::string message = data_error([&] { locate_dataset(options); });
  BOOST_TEST(contains(message, "SPINSC_DATA"), message);
  BOOST_TEST(contains(message, dir.path.string()), message);
  // SPINSC_DATA may name the MNIST folder or a folder holding mnist/.
  write_tiny_dataset(dir.path, 6, 3);
  BOOST_TEST(fs::equivalent(locate_dataset(options), dir.path));
  fs::create_directories(dir.path / "mnist");
  write_tiny_dataset(dir.path / "mnist", 4, 2);
  BOOST_TEST(fs::equivalent(locate_dataset(options), dir.path / "mnist"));
  ::unsetenv("SPINSC_DATA");
}
