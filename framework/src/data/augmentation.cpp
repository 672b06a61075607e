// Random translation of training images (data augmentation; see dataset.hpp). Whole-pixel shifts
// keep every pixel value unchanged (only moved or replaced by the background 0), so a shifted
// image quantizes to the same levels as the original and QAT can use it as well as float.
#include <algorithm>

#include "spinsc/dataset.hpp"

namespace spinsc {

void shift_image(const float* src, float* dst, int rows, int cols, int dx, int dy) {
  std::fill(dst, dst + std::ptrdiff_t(rows) * cols, 0.0f);
  // Destination pixel (r, c) takes source pixel (r - dy, c - dx) when that lies in the image.
  const int c0 = std::max(0, dx), c1 = std::min(cols, cols + dx);
  if (c1 <= c0) return;
  for (int r = std::max(0, dy); r < std::min(rows, rows + dy); ++r)
    std::copy(src + std::ptrdiff_t(r - dy) * cols + (c0 - dx), src + std::ptrdiff_t(r - dy) * cols + (c1 - dx),
              dst + std::ptrdiff_t(r) * cols + c0);
}

void random_shift_batch(Matrix& x, int rows, int cols, int max_shift_px, std::span<const std::uint64_t> ids,
                        const RandomStream& stream) {
  if (max_shift_px <= 0) return;
  std::vector<float> shifted(std::size_t(rows) * cols);
  const auto span = std::uint64_t(2 * max_shift_px + 1);
  for (Eigen::Index s = 0; s < x.rows(); ++s) {
    // One substream per sample id: the shift does not depend on the chunking or thread count.
    RandomStream rng = stream.substream(ids[std::size_t(s)]);
    const int dx = int(rng.below(span)) - max_shift_px;
    const int dy = int(rng.below(span)) - max_shift_px;
    if (dx == 0 && dy == 0) continue;
    float* row = x.data() + s * x.cols();
    shift_image(row, shifted.data(), rows, cols, dx, dy);
    std::copy(shifted.begin(), shifted.end(), row);
  }
}

}  // namespace spinsc
