#include "thermal_noise.hpp"

#include <stdexcept>

namespace spinsc::smtj_llg {

ThermalNoise::ThermalNoise(std::vector<RandomStream> streams)
    : streams_(std::move(streams)),
      positions_(streams_.size(), 0),
      u1_(kPairsPerJunction * streams_.size()),
      u2_(kPairsPerJunction * streams_.size()),
      normals_(3 * kStepsPerBatch * streams_.size()) {
  if (streams_.empty()) throw std::invalid_argument("ThermalNoise: no junctions");
}

void ThermalNoise::refill() {
  const std::size_t n = streams_.size();
  for (std::size_t j = 0; j < n; ++j) {
    const RandomStream& stream = streams_[j];
    std::uint64_t position = positions_[j];
    for (int b = 0; b < kBlocksPerJunction; ++b) {
      const std::array<std::uint64_t, 4> block = stream.block(position++);
      for (int w = 0; w < 4; ++w) {
        const std::size_t pair = static_cast<std::size_t>(4 * b + w);
        u1_[pair * n + j] = static_cast<std::uint32_t>(block[w] >> 32);
        u2_[pair * n + j] = static_cast<std::uint32_t>(block[w]);
      }
    }
    positions_[j] = position;
  }
  // Pair q of junction j fills rows q and q + 24 of the [step*3 + component] x junction table.
  const std::size_t half = static_cast<std::size_t>(kPairsPerJunction) * n;
  box_muller(u1_.data(), u2_.data(), normals_.data(), normals_.data() + half, half);
  next_step_ = 0;
}

ThermalNoise::StepNormals ThermalNoise::next_step() {
  if (next_step_ == kStepsPerBatch) refill();
  const std::size_t n = streams_.size();
  const float* row = normals_.data() + static_cast<std::size_t>(3 * next_step_) * n;
  ++next_step_;
  return {row, row + n, row + 2 * n};
}

}  // namespace spinsc::smtj_llg
