#pragma once
// Image classification data sets (MNIST, Fashion-MNIST) read from IDX files, gzip-compressed or
// raw. Where the files are found:
//   MNIST          [data] path, else $SPINSC_DATA, else <checkout>/../shared/data/mnist
//   Fashion-MNIST  [data] path, else /usr/share/datasets/fashion-mnist (Debian dataset-fashion-mnist)
// File names: train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-... for the test set.
//
// Example experiment block:
//   [data]
//   dataset = mnist
//   train_size = 10000     # first 10000 training images (0 = all)
//   test_size = 0
//   downscale = 1          # 2: 14x14 by 2x2 averages (196 inputs)
#include <boost/config.hpp>
#include <cstdint>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "spinsc/params.hpp"
#include "spinsc/quantized_matrix.hpp"
#include "spinsc/random.hpp"

namespace spinsc {

// A missing, truncated or malformed data file. what() names the file, the problem and where
// the data can be put.
class BOOST_SYMBOL_VISIBLE DataError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  ~DataError() override;
};

// An IDX array of unsigned bytes (type code 0x08): dims and row-major data.
struct IdxArray {
  std::vector<std::uint32_t> dims;
  std::vector<std::uint8_t> data;
};
// Reads an IDX file (gzip detected from its magic bytes). Validates the magic number, the type
// code (only 0x08 = unsigned byte), the dimension count, and that the payload size equals the
// product of the dimensions (no truncation, no trailing bytes). Throws DataError.
IdxArray read_idx(const std::filesystem::path& file);

using ImageMatrix = Eigen::Matrix<std::uint8_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct Dataset {
  std::string name;       // e.g. "mnist/train"
  ImageMatrix images;     // n_samples × (rows · cols), raw pixel values
  std::vector<std::uint8_t> labels;  // n_samples, in [0, n_classes)
  int rows = 0, cols = 0;
  int n_classes = 10;
  float max_value = 255;  // X / max(X) normalization: the maximum over the TRAINING images
  std::size_t size() const { return labels.size(); }
  int n_pixels() const { return rows * cols; }
  // Normalized inputs x / max(X) of the samples `ids`: out is ids.size() × n_pixels, in [0, 1].
  void normalized_batch(std::span<const std::uint64_t> ids, Matrix& out) const;
};

// Member initializers mirror declare_data_section() (checked by test_defaults.cpp).
struct DataOptions {
  std::string dataset = "mnist";   // mnist | fashion_mnist
  std::string path;                // folder with the IDX files; "" = the default search
  std::size_t train_size = 0;      // first n training samples, 0 = all
  std::size_t test_size = 0;       // first n test samples, 0 = all
  int downscale = 1;               // 1 or 2 (2x2 average: 28x28 -> 14x14)
  static DataOptions from_params(const Params& data_section);
};

// Declares the keys of [data] (registered as a framework section).
void declare_data_section(OptionsBuilder& add);

// The folder the data set is read from: [data] path if given (must exist); for MNIST then the
// folder named by the environment variable SPINSC_DATA if set (it or its mnist/ must hold the
// files, else an error naming the variable), else the copy shipped in data/mnist
// (spinsc/shipped_files.hpp); fashion_mnist is read from the Debian package's folder. Throws
// DataError saying what was tried and how to provide the data. Files listed in the folder's
// MD5SUMS are checked when loaded.
std::filesystem::path locate_dataset(const DataOptions& options);

struct DataSplit {
  Dataset train, test;
  std::filesystem::path folder;  // where the files were read
};
DataSplit load_dataset(const DataOptions& options);

// Data augmentation by translation. shift_image writes into dst (rows × cols, row-major) the image
// src moved by dx pixels right and dy pixels down; pixels moved in from outside are 0 (MNIST's
// background). src and dst must not overlap.
void shift_image(const float* src, float* dst, int rows, int cols, int dx, int dy);
// Shifts every row of x (a batch of rows × cols images, one per row) by dx, dy drawn uniformly
// from {-max_shift_px, ..., max_shift_px}, independently per sample from stream.substream(id)
// (ids: the samples' global ids, one per row). max_shift_px <= 0 leaves x unchanged.
void random_shift_batch(Matrix& x, int rows, int cols, int max_shift_px, std::span<const std::uint64_t> ids,
                        const RandomStream& stream);

// 2x2 average pooling of every image (rounded to the nearest integer): rows and cols halve.
void downscale_2x2(Dataset& data);

}  // namespace spinsc
