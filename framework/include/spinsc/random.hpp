#pragma once
// Counter-based random numbers (Random123 Philox4x64-10). No hidden state is shared between
// threads or components: a stream is fully determined by
//   key     = (run seed, purpose)                          purpose: a name, hashed (FNV-1a)
//   counter = (stream key, instance, substream, position)
// The stream key is a hash of the keys the stage reads (training or evaluation, see
// run_identity.hpp), never a run index: the same point gives the same numbers for any thread
// count, run order or sweep around it.
// Example: RandomStream rng(seed, "weights_init", stream_key, layer); rng.normal();
//          for sample i in parallel: RandomStream s = stream.substream(i);
#include <Random123/philox.h>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>

namespace spinsc {

// Philox4x64-10 blocks at consecutive positions of one counter: out[4 i + j] = word j of the block
// with counter (counter[0], counter[1], counter[2], first + i mod 2^64) under key (key[0], key[1]),
// for i < n_blocks. Several implementations (vector lanes of one instruction set each, the same
// numbers as r123::Philox4x64); RandomStream::fill uses the one the CPU runs best.
using PhiloxBlocks = void (*)(const std::uint64_t* key, const std::uint64_t* counter, std::uint64_t first,
                              std::size_t n_blocks, std::uint64_t* out);
// The fastest implementation this CPU runs (the kernel set of spinsc/sc_kernels.hpp, chosen at run
// time; SPINSC_SC_KERNEL forces one).
PhiloxBlocks philox_blocks_of_this_cpu();

constexpr std::uint64_t purpose_id(std::string_view purpose) {
  std::uint64_t hash = 14695981039346656037ull;  // FNV-1a, 64 bit
  for (char c : purpose) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

class RandomStream {
 public:
  using result_type = std::uint64_t;  // UniformRandomBitGenerator, usable with <random>
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

  RandomStream(std::uint64_t seed, std::string_view purpose, std::uint64_t stream_key = 0,
               std::uint64_t instance = 0)
      : key_{{seed, purpose_id(purpose)}}, counter_{{stream_key, instance, 0, 0}} {}

  // An independent stream for item `index` (a sample, a synapse, a thread's chunk): same key,
  // counter (stream key, instance, index, 0). Substreams of substreams are made by re-keying: derive().
  RandomStream substream(std::uint64_t index) const {
    RandomStream s = *this;
    s.counter_.v[2] = index;
    s.counter_.v[3] = 0;
    s.buffered_ = 0;
    return s;
  }
  // A stream for a different purpose within the same stream key and instance, e.g. rng.derive("dropout").
  RandomStream derive(std::string_view purpose) const {
    RandomStream s = *this;
    s.key_.v[1] = (s.key_.v[1] ^ purpose_id(purpose)) * 0x9E3779B97F4A7C15ull + counter_.v[2];
    s.counter_.v[2] = 0;
    s.counter_.v[3] = 0;
    s.buffered_ = 0;
    return s;
  }

  // Four 64-bit words at block `position` of this stream, without touching the sequence.
  std::array<std::uint64_t, 4> block(std::uint64_t position) const {
    Philox::ctr_type c = counter_;
    c.v[3] = position;
    const Philox::ctr_type r = Philox()(c, key_);
    return {r.v[0], r.v[1], r.v[2], r.v[3]};
  }

  result_type operator()() { return next_u64(); }
  std::uint64_t next_u64() {
    if (buffered_ == 0) {
      buffer_ = Philox()(counter_, key_);
      ++counter_.v[3];
      buffered_ = 4;
    }
    return buffer_.v[4 - buffered_--];
  }
  // out[i] = next_u64() for i < n, and the stream left where those calls leave it; the whole
  // blocks in between are computed together by the PhiloxBlocks implementation of use_blocks()
  // (default: the fastest of this CPU). Streams made from this one (substream, derive) keep it.
  void fill(std::uint64_t* out, std::size_t n) {
    std::size_t i = 0;
    for (; i < n && buffered_ > 0; ++i) out[i] = buffer_.v[4 - buffered_--];
    const std::size_t whole = (n - i) / 4;
    if (whole > 0) {
      (blocks_ ? blocks_ : philox_blocks_of_this_cpu())(key_.v, counter_.v, counter_.v[3], whole, out + i);
      counter_.v[3] += whole;
      i += 4 * whole;
    }
    for (; i < n; ++i) out[i] = next_u64();
  }
  // Which implementation fill() uses (nullptr: the fastest of this CPU). Every one gives the same numbers.
  void use_blocks(PhiloxBlocks blocks) { blocks_ = blocks; }
  // Uniform on [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  // Uniform on (0, 1]: safe for log().
  double uniform_open0() { return static_cast<double>((next_u64() >> 11) + 1) * 0x1.0p-53; }
  // Uniform integer in [0, n) (Lemire's multiply-shift; bias below 2^-64 * n).
  std::uint64_t below(std::uint64_t n) {
    return static_cast<std::uint64_t>((static_cast<unsigned __int128>(next_u64()) * n) >> 64);
  }
  // Standard normal (Box–Muller; both values used).
  double normal() {
    if (has_spare_normal_) {
      has_spare_normal_ = false;
      return spare_normal_;
    }
    const double r = std::sqrt(-2.0 * std::log(uniform_open0()));
    const double phi = 2.0 * M_PI * uniform();
    spare_normal_ = r * std::sin(phi);
    has_spare_normal_ = true;
    return r * std::cos(phi);
  }
  // Exponential with mean 1.
  double exponential() { return -std::log(uniform_open0()); }

 private:
  using Philox = r123::Philox4x64;
  Philox::key_type key_;
  Philox::ctr_type counter_;
  Philox::ctr_type buffer_{};
  int buffered_ = 0;
  bool has_spare_normal_ = false;
  double spare_normal_ = 0.0;
  PhiloxBlocks blocks_ = nullptr;
};

}  // namespace spinsc
