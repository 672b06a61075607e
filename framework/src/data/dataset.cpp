// Data sets: location, loading, validation, subsets, downscaling, normalization.
#include <cstdlib>

#include <fmt/format.h>

#include "data/file_checksum.hpp"
#include "spinsc/dataset.hpp"
#include "spinsc/run_context.hpp"
#include "spinsc/shipped_files.hpp"

namespace spinsc {

namespace {

constexpr const char* kFashionFolder = "/usr/share/datasets/fashion-mnist";

// "train-images-idx3-ubyte" with or without ".gz", whichever exists (".gz" first).
std::filesystem::path idx_file(const std::filesystem::path& folder, const std::string& stem) {
  const auto gz = folder / (stem + ".gz");
  if (std::filesystem::exists(gz)) return gz;
  const auto raw = folder / stem;
  if (std::filesystem::exists(raw)) return raw;
  return gz;  // reported as missing by the reader, with this name
}

// The MNIST copy shipped with spinsc (data/mnist of the source tree or of the install).
std::filesystem::path shipped_mnist() {
  const std::filesystem::path root = shipped_root();
  return root.empty() ? std::filesystem::path() : root / "data" / "mnist";
}

bool has_idx_files(const std::filesystem::path& folder) {
  std::error_code ec;
  return std::filesystem::exists(folder / "train-images-idx3-ubyte.gz", ec) ||
         std::filesystem::exists(folder / "train-images-idx3-ubyte", ec);
}

std::string where_to_put(const DataOptions& options) {
  if (options.dataset == "fashion_mnist")
    return fmt::format("install the Debian package dataset-fashion-mnist (files in {}), or set [data] path "
                       "to a folder with the four IDX files", kFashionFolder);
  return "spinsc ships MNIST in data/mnist (restore it with `git checkout data/mnist` or reinstall); or put "
         "the four MNIST IDX files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
         "t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz; raw or gzip) in a folder and name it with "
         "[data] path = FOLDER or the environment variable SPINSC_DATA";
}

Dataset read_pair(const std::filesystem::path& folder, const std::string& prefix, const std::string& name,
                  const DataOptions& options) {
  const auto images_file = idx_file(folder, prefix + "-images-idx3-ubyte");
  const auto labels_file = idx_file(folder, prefix + "-labels-idx1-ubyte");
  IdxArray images, labels;
  try {
    verify_listed_md5(images_file);
    verify_listed_md5(labels_file);
    images = read_idx(images_file);
    labels = read_idx(labels_file);
  } catch (const DataError& e) {
    throw DataError(std::string(e.what()) + ". To fix: " + where_to_put(options));
  }
  if (images.dims.size() != 3)
    throw DataError(fmt::format("data file '{}' has {} dimensions; an image file has 3 (count, rows, cols)",
                                images_file.string(), images.dims.size()));
  if (labels.dims.size() != 1)
    throw DataError(fmt::format("data file '{}' has {} dimensions; a label file has 1", labels_file.string(),
                                labels.dims.size()));
  if (images.dims[0] != labels.dims[0])
    throw DataError(fmt::format("data files '{}' ({} images) and '{}' ({} labels) do not match",
                                images_file.string(), images.dims[0], labels_file.string(), labels.dims[0]));
  Dataset data;
  data.name = name;
  data.rows = static_cast<int>(images.dims[1]);
  data.cols = static_cast<int>(images.dims[2]);
  const std::size_t n = images.dims[0], pixels = std::size_t(data.rows) * data.cols;
  data.images = Eigen::Map<const ImageMatrix>(images.data.data(), Eigen::Index(n), Eigen::Index(pixels));
  data.labels = std::move(labels.data);
  for (std::size_t i = 0; i < n; ++i)
    if (data.labels[i] >= data.n_classes)
      throw DataError(fmt::format("data file '{}' is corrupt: label {} of sample {} is not in [0, {})",
                                  labels_file.string(), int(data.labels[i]), i, data.n_classes));
  return data;
}

void keep_first(Dataset& data, std::size_t count, const std::string& key) {
  if (count == 0) return;
  if (count > data.size())
    throw ParamError(fmt::format("'{}' = {} exceeds the {} samples of {}", key, count, data.size(), data.name));
  data.images.conservativeResize(Eigen::Index(count), data.images.cols());
  data.labels.resize(count);
}

}  // namespace

void Dataset::normalized_batch(std::span<const std::uint64_t> ids, Matrix& out) const {
  out.resize(Eigen::Index(ids.size()), n_pixels());
  const float scale = 1.0f / max_value;
  for (std::size_t s = 0; s < ids.size(); ++s)
    out.row(Eigen::Index(s)) = images.row(Eigen::Index(ids[s])).cast<float>() * scale;
}

void declare_data_section(OptionsBuilder& add) {
  add("dataset", param("mnist")->choices({"mnist", "fashion_mnist"}), "the data set");
  add("path", param(""), "folder with the IDX files (empty: $SPINSC_DATA if set, else the MNIST copy shipped in data/mnist)");
  add("train_size", param<int>(0)->min(0), "use the first n training images (0: all 60000)");
  add("test_size", param<int>(0)->min(0), "use the first n test images (0: all 10000)");
  add("downscale", param<int>(1)->range(1, 2), "1: 28x28 inputs; 2: 14x14 by 2x2 averages (196 inputs)");
}

SPINSC_REGISTER_SECTION("data", declare_data_section)

DataOptions DataOptions::from_params(const Params& p) {
  DataOptions o;
  o.dataset = p.get<std::string>("dataset");
  o.path = p.get<std::string>("path");
  o.train_size = static_cast<std::size_t>(p.get<int>("train_size"));
  o.test_size = static_cast<std::size_t>(p.get<int>("test_size"));
  o.downscale = p.get<int>("downscale");
  return o;
}

std::filesystem::path locate_dataset(const DataOptions& options) {
  if (!options.path.empty()) {
    // An explicit path is used as given: a wrong one must not silently fall back elsewhere.
    if (!std::filesystem::is_directory(options.path))
      throw DataError(fmt::format("[data] path '{}' is not a folder. To fix: {}", options.path, where_to_put(options)));
    return options.path;
  }
  if (options.dataset == "fashion_mnist") {
    if (has_idx_files(kFashionFolder)) return kFashionFolder;
    throw DataError(fmt::format("data set 'fashion_mnist' not found in {}. To fix: {}", kFashionFolder,
                                where_to_put(options)));
  }
  if (const char* env = std::getenv("SPINSC_DATA"); env && *env) {
    // SPINSC_DATA names the MNIST folder itself or a folder holding mnist/. Set but without the
    // files is an error: falling back to the shipped copy would hide a typo in the variable.
    const std::filesystem::path folder(env);
    if (has_idx_files(folder / "mnist")) return (folder / "mnist").lexically_normal();
    if (has_idx_files(folder)) return folder.lexically_normal();
    throw DataError(fmt::format("the environment variable SPINSC_DATA = '{}' names a folder without the MNIST "
                                "IDX files (looked in {} and {}). To fix: correct SPINSC_DATA, or unset it to "
                                "use the copy shipped with spinsc ({})", env, folder.string(),
                                (folder / "mnist").string(), shipped_mnist().string()));
  }
  const std::filesystem::path shipped = shipped_mnist();
  if (!shipped.empty() && has_idx_files(shipped)) return shipped.lexically_normal();
  throw DataError(fmt::format("data set 'mnist' not found: spinsc's own copy data/mnist is not in any of {}. "
                              "To fix: {}", shipped_root_candidates(), where_to_put(options)));
}

void downscale_2x2(Dataset& data) {
  if (data.rows % 2 || data.cols % 2)
    throw DataError(fmt::format("{}: images of {}x{} cannot be downscaled by 2", data.name, data.rows, data.cols));
  const int r2 = data.rows / 2, c2 = data.cols / 2;
  ImageMatrix small(data.images.rows(), r2 * c2);
  for (Eigen::Index i = 0; i < data.images.rows(); ++i)
    for (int r = 0; r < r2; ++r)
      for (int c = 0; c < c2; ++c) {
        auto px = [&](int rr, int cc) { return int(data.images(i, rr * data.cols + cc)); };
        const int sum = px(2 * r, 2 * c) + px(2 * r, 2 * c + 1) + px(2 * r + 1, 2 * c) + px(2 * r + 1, 2 * c + 1);
        small(i, r * c2 + c) = static_cast<std::uint8_t>((sum + 2) / 4);  // rounded average
      }
  data.images = std::move(small);
  data.rows = r2;
  data.cols = c2;
}

DataSplit load_dataset(const DataOptions& options) {
  DataSplit split;
  split.folder = locate_dataset(options);
  split.train = read_pair(split.folder, "train", options.dataset + "/train", options);
  split.test = read_pair(split.folder, "t10k", options.dataset + "/test", options);
  if (split.train.rows != split.test.rows || split.train.cols != split.test.cols)
    throw DataError(fmt::format("training images ({}x{}) and test images ({}x{}) in '{}' differ in size",
                                split.train.rows, split.train.cols, split.test.rows, split.test.cols,
                                split.folder.string()));
  keep_first(split.train, options.train_size, "data.train_size");
  keep_first(split.test, options.test_size, "data.test_size");
  if (options.downscale == 2) {
    downscale_2x2(split.train);
    downscale_2x2(split.test);
  }
  // X / max(X): the maximum over the training images, applied to both sets.
  const int max_pixel = split.train.images.size() ? int(split.train.images.maxCoeff()) : 0;
  if (max_pixel == 0)
    throw DataError(fmt::format("training images in '{}' are all zero", split.folder.string()));
  split.train.max_value = split.test.max_value = float(max_pixel);
  return split;
}

}  // namespace spinsc
