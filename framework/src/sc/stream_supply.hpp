#pragma once
// Where the bit-mode engine gets its streams: the stream policies fresh, bank and window.
// A supply is made per stream length; it is read-only afterwards and shared by all threads.
// Per inference and layer, a StreamDraw (counter-based, keyed by the inference id) picks bank
// entries or window offsets, or feeds the device for fresh streams.
#include <cstdint>
#include <vector>

#include "spinsc/bit_source.hpp"
#include "spinsc/random.hpp"
#include "spinsc/sc_engine.hpp"

namespace spinsc::sc {

// Uniform draws of bank indices and window offsets from a RandomStream, 16 or 32 bits at a time.
// Exact (no modulo bias) when the range is a power of two up to 2^16; otherwise multiply-shift on
// 32 random bits (bias below range / 2^32).
class IndexDraw {
 public:
  IndexDraw(RandomStream rng, std::uint64_t range);
  std::uint32_t next() {
    if (pow2_) return next16() & mask_;
    return static_cast<std::uint32_t>((static_cast<std::uint64_t>(next32()) * range_) >> 32);
  }
  // out[i] = next() for i < n: the same draws, with whole Philox blocks computed side by side
  // (independent counters, so the CPU overlaps them) instead of one call per draw.
  void fill(std::uint32_t* out, std::size_t n);

 private:
  std::uint32_t next16() {
    if (left16_ == 0) refill();
    --left16_;
    return static_cast<std::uint32_t>(block_[left16_ >> 2] >> ((left16_ & 3) * 16)) & 0xffffu;
  }
  std::uint32_t next32();
  void refill() { block_ = rng_.block(position_++); left16_ = 16; }
  RandomStream rng_;
  std::uint64_t range_, position_ = 0;
  bool pow2_;
  std::uint32_t mask_;
  std::array<std::uint64_t, 4> block_{};
  int left16_ = 0;
};

// Inputs and weights come from separate recordings (two banks, or two traces, per level): in
// hardware they are different junctions, and a shared recording would let an input and a weight
// of the same level draw the same stream (SCC = +1, XNOR = all ones) with probability 1/K.
enum class StreamRole { input = 0, weight = 1 };

class StreamSupply {
 public:
  // level_probabilities[k] = P(1) of a stream carrying level k.
  StreamSupply(const ScSettings& settings, BitSource& device, std::vector<double> level_probabilities,
               const RandomStream& base);
  std::size_t words() const { return words_; }
  std::size_t n_bits() const { return n_bits_; }
  StreamPolicy policy() const { return policy_; }
  // bank: K x words words of level k, contiguous (entry b at b * words).
  const std::uint64_t* bank(StreamRole role, int level) const { return banks_[int(role)][level].data(); }
  std::size_t bank_size() const { return bank_size_; }
  // The draw of one inference and layer.
  IndexDraw make_draw(const RandomStream& layer_rng) const;
  // Writes the stream of `level` into out (words() words), using the draw (bank / window) or the
  // device (fresh, with `fresh_rng`). `device_index` names the physical device for fresh streams.
  void stream(StreamRole role, int level, IndexDraw& draw, RandomStream& fresh_rng, std::uint64_t device_index,
              std::uint64_t* out) const;
  // The streams of levels[0 .. n) into out (n x words() words), stream j for device first_device + j:
  // the same as n calls of stream(), but fresh streams come from one device call for all of them
  // (generate_streams), which lets the device draw their random numbers together.
  void streams(StreamRole role, const std::uint8_t* levels, std::size_t n, IndexDraw& draw, RandomStream& fresh_rng,
               std::uint64_t first_device, std::uint64_t* out) const;
  double probability(int level) const { return probabilities_[level]; }

 private:
  StreamPolicy policy_;
  BitSource* device_;
  std::vector<double> probabilities_;
  std::size_t n_bits_, words_, bank_size_, trace_bits_;
  std::vector<std::vector<std::uint64_t>> banks_[2];   // per role, per level: K x words
  std::vector<std::vector<std::uint64_t>> traces_[2];  // per role, per level: trace words + 1 zero word
};

}  // namespace spinsc::sc
