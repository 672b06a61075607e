#pragma once
// ThermalNoise: standard normal numbers for the thermal field of many junctions, one
// spinsc::RandomStream (substream) per junction, so that junction j's noise depends only on its own
// stream: results do not depend on how junctions are grouped or threaded.
//
// Made in batches of kStepsPerBatch steps: each junction's stream gives Philox blocks (4 x 64
// bits = 4 pairs of 32-bit uniforms), and a vectorized Box–Muller turns all pairs of all
// junctions into normals at once. Layout of a batch: normals_[step][component][junction].
// Normals are single precision (their tail is cut at 5.9 sigma, probability 4e-9): plenty for a
// thermal field that is itself a model of white noise.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "spinsc/random.hpp"

namespace spinsc::smtj_llg {

class ThermalNoise {
 public:
  static constexpr int kStepsPerBatch = 16;

  // One stream per junction.
  explicit ThermalNoise(std::vector<RandomStream> streams);

  struct StepNormals {
    const float* x;  // size() standard normals each
    const float* y;
    const float* z;
  };
  // The normals of the next step; valid until the next call.
  StepNormals next_step();
  std::size_t size() const { return streams_.size(); }

 private:
  static constexpr int kPairsPerJunction = 3 * kStepsPerBatch / 2;  // 24
  static constexpr int kBlocksPerJunction = kPairsPerJunction / 4;  // 6 Philox blocks
  void refill();

  std::vector<RandomStream> streams_;
  std::vector<std::uint64_t> positions_;  // next Philox block of each junction's stream
  std::vector<std::uint32_t> u1_, u2_;    // [pair][junction] uniform bits
  std::vector<float> normals_;            // [step][component][junction]
  int next_step_ = kStepsPerBatch;
};

// Box–Muller on n pairs of 32-bit uniforms: z0[i] = r cos(phi), z1[i] = r sin(phi), with
// r = sqrt(-2 ln u1), u1 in (0, 1), phi = 2 pi u2. Compiled with -ffast-math and glibc's vector
// math (libmvec) so that it runs 8 lanes wide.
void box_muller(const std::uint32_t* u1, const std::uint32_t* u2, float* z0, float* z1, std::size_t n);

}  // namespace spinsc::smtj_llg
