// Requirement (issue 3, float baseline accuracy): training images can be augmented by random
// whole-pixel translations. shift_image moves every pixel by exactly (dx, dy) and fills with 0;
// random_shift_batch draws shifts uniformly from {-n..n}^2 per sample id (the same id gets the
// same shift whatever batch or chunk it is in), and n = 0 leaves the batch untouched.
#define BOOST_TEST_MODULE data_augmentation
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <map>
#include <optional>

#include "spinsc/dataset.hpp"

using namespace spinsc;

namespace {

// A rows × cols image with distinct non-zero pixels: value(r, c) = 1 + r · cols + c.
std::vector<float> ramp(int rows, int cols) {
  std::vector<float> v(std::size_t(rows) * cols);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = float(i + 1);
  return v;
}

// The (dx, dy) that maps a ramp image onto `shifted`: the pixel value 1 + r·cols + c found at
// (r', c') gives dx = c' − c, dy = r' − r (every non-zero pixel must agree).
std::pair<int, int> recover_shift(const float* shifted, int rows, int cols) {
  std::optional<std::pair<int, int>> shift;
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      const float v = shifted[r * cols + c];
      if (v == 0) continue;
      const int src = int(v) - 1;
      const std::pair<int, int> s{c - src % cols, r - src / cols};
      if (shift) BOOST_REQUIRE(*shift == s);
      shift = s;
    }
  BOOST_REQUIRE(shift.has_value());
  return *shift;
}

}  // namespace

BOOST_AUTO_TEST_CASE(shift_image_moves_every_pixel_and_fills_with_zero) {
  const int rows = 5, cols = 7;
  const auto src = ramp(rows, cols);
  std::vector<float> dst(src.size());
  for (int dy = -3; dy <= 3; ++dy)
    for (int dx = -3; dx <= 3; ++dx) {
      shift_image(src.data(), dst.data(), rows, cols, dx, dy);
      for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) {
          const int sr = r - dy, sc = c - dx;
          const float expected = (sr >= 0 && sr < rows && sc >= 0 && sc < cols) ? src[sr * cols + sc] : 0.0f;
          BOOST_TEST(dst[r * cols + c] == expected, "dx " << dx << " dy " << dy << " at " << r << "," << c);
        }
    }
  // A shift by the whole width leaves nothing.
  shift_image(src.data(), dst.data(), rows, cols, cols, 0);
  for (float v : dst) BOOST_TEST(v == 0.0f);
}

BOOST_AUTO_TEST_CASE(random_shifts_are_uniform_per_sample_and_reproducible) {
  const int rows = 12, cols = 12, n = 2, samples = 4500;
  const auto image = ramp(rows, cols);
  Matrix x(samples, rows * cols);
  for (int s = 0; s < samples; ++s) std::copy(image.begin(), image.end(), x.row(s).data());
  std::vector<std::uint64_t> ids(samples);
  for (int s = 0; s < samples; ++s) ids[s] = 1000 + std::uint64_t(s);
  const RandomStream stream(7, "augment", 0, 1);
  Matrix shifted = x;
  random_shift_batch(shifted, rows, cols, n, ids, stream);

  std::map<std::pair<int, int>, int> counts;
  for (int s = 0; s < samples; ++s) {
    const auto d = recover_shift(shifted.row(s).data(), rows, cols);
    BOOST_REQUIRE(std::abs(d.first) <= n);
    BOOST_REQUIRE(std::abs(d.second) <= n);
    ++counts[d];
  }
  // 25 equally likely shifts: each count is binomial(4500, 1/25), mean 180, sd 13.1; 5 sd.
  BOOST_TEST(counts.size() == 25u);
  const double p = 1.0 / 25, mean = samples * p, sd = std::sqrt(samples * p * (1 - p));
  for (const auto& [d, count] : counts) BOOST_TEST(std::abs(count - mean) < 5 * sd, "shift " << d.first << "," << d.second << ": " << count);

  // The shift of a sample depends on its id only: a batch holding the same ids in another order
  // (another chunk or batch) shifts each of them the same way.
  Matrix reversed(samples, rows * cols);
  std::vector<std::uint64_t> reversed_ids(ids.rbegin(), ids.rend());
  for (int s = 0; s < samples; ++s) reversed.row(s) = x.row(samples - 1 - s);
  random_shift_batch(reversed, rows, cols, n, reversed_ids, stream);
  for (int s = 0; s < samples; ++s) BOOST_TEST((reversed.row(samples - 1 - s).array() == shifted.row(s).array()).all());

  // Another epoch's stream shifts differently; n = 0 changes nothing.
  Matrix other = x;
  random_shift_batch(other, rows, cols, n, ids, RandomStream(7, "augment", 0, 2));
  BOOST_TEST(!(other.array() == shifted.array()).all());
  Matrix untouched = x;
  random_shift_batch(untouched, rows, cols, 0, ids, stream);
  BOOST_TEST((untouched.array() == x.array()).all());
}
