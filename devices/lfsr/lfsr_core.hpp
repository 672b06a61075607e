#pragma once
// Fibonacci LFSR and comparator SNG (header only, shared by device.lfsr and its tests).
//
// Register R of n bits, state in {1, ..., 2^n - 1}. One step: the feedback bit is the XOR of the
// tapped bits, the register shifts right and the feedback enters at bit n-1. Tap t (1..n, the
// Xilinx XAPP052 numbering of the polynomial x^n + ... ) reads register bit n - t, so tap n is
// bit 0. With a primitive feedback polynomial the period is 2^n - 1 (every non-zero state once).
//
// Comparator: the stream bit is 1 iff R_t < B. Over one period R_t takes every value in
// {1, ..., 2^n - 1} once, so exactly B - 1 ones appear: P(1) = (B - 1) / (2^n - 1).
// B = 1 + round(p (2^n - 1)) gives the representable probability nearest to p.
#include <array>
#include <bit>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace spinsc::lfsr {

// Maximal-length taps for n = 8..32 (Xilinx XAPP052 table; physics.md section D).
inline std::vector<int> maximal_taps(int width) {
  static const std::array<std::vector<int>, 25> table = {{
      {8, 6, 5, 4}, {9, 5}, {10, 7}, {11, 9}, {12, 6, 4, 1}, {13, 4, 3, 1}, {14, 5, 3, 1},
      {15, 14}, {16, 15, 13, 4}, {17, 14}, {18, 11}, {19, 6, 2, 1}, {20, 17}, {21, 19},
      {22, 21}, {23, 18}, {24, 23, 22, 17}, {25, 22}, {26, 6, 2, 1}, {27, 5, 2, 1}, {28, 25},
      {29, 27}, {30, 6, 4, 1}, {31, 28}, {32, 22, 2, 1}}};
  if (width < 8 || width > 32) throw std::invalid_argument("LFSR width " + std::to_string(width) + " is outside 8..32");
  return table[width - 8];
}

// Register mask of the tapped bits. Throws std::invalid_argument naming the bad tap.
inline std::uint32_t tap_mask(int width, const std::vector<int>& taps) {
  std::uint32_t mask = 0;
  bool has_top = false;
  for (int t : taps) {
    if (t < 1 || t > width)
      throw std::invalid_argument("tap " + std::to_string(t) + " is outside 1.." + std::to_string(width));
    has_top |= (t == width);
    mask |= 1u << (width - t);
  }
  if (!has_top) throw std::invalid_argument("the taps must include the width " + std::to_string(width));
  return mask;
}

inline std::uint64_t period_of_width(int width) { return (1ull << width) - 1; }

class FibonacciLfsr {
 public:
  FibonacciLfsr(int width, std::uint32_t mask, std::uint32_t state)
      : width_(width), mask_(mask), state_(state) {
    if (state == 0 || state > period_of_width(width))
      throw std::invalid_argument("LFSR state " + std::to_string(state) + " is outside 1.." +
                                  std::to_string(period_of_width(width)));
  }
  std::uint32_t state() const { return state_; }
  void step() {
    const std::uint32_t feedback = std::popcount(state_ & mask_) & 1u;
    state_ = (state_ >> 1) | (feedback << (width_ - 1));
  }
  int width() const { return width_; }

 private:
  int width_;
  std::uint32_t mask_;
  std::uint32_t state_;
};

// Comparator threshold B for probability p: 1 + round(p (2^n - 1)), in [1, 2^n].
inline std::uint64_t comparator_threshold(double p, int width) {
  const double clamped = p < 0 ? 0.0 : (p > 1 ? 1.0 : p);
  return 1 + static_cast<std::uint64_t>(std::llround(clamped * double(period_of_width(width))));
}

// Fills n_bits of a packed stream (words zeroed past n_bits) with bit t = [R_t < B], where R_0 is
// the current state; the register is stepped once per bit.
inline void fill_stream(FibonacciLfsr& lfsr, std::uint64_t threshold, std::size_t n_bits, std::uint64_t* words) {
  const std::size_t n_words = (n_bits + 63) / 64;
  for (std::size_t i = 0; i < n_words; ++i) {
    const std::size_t bits_here = n_bits - 64 * i < 64 ? n_bits - 64 * i : 64;
    std::uint64_t w = 0;
    for (std::size_t b = 0; b < bits_here; ++b) {
      w |= std::uint64_t(lfsr.state() < threshold) << b;
      lfsr.step();
    }
    words[i] = w;
  }
}

}  // namespace spinsc::lfsr
