#include "sc/stream_supply.hpp"

#include <bit>
#include <stdexcept>

#include "spinsc/params.hpp"

namespace spinsc::sc {

IndexDraw::IndexDraw(RandomStream rng, std::uint64_t range)
    : rng_(rng), range_(range), pow2_(range <= 65536 && std::has_single_bit(range)),
      mask_(static_cast<std::uint32_t>(range - 1)) {
  if (range == 0 || range > 0xffffffffull) throw ParamError("index range out of bounds: " + std::to_string(range));
}

void IndexDraw::fill(std::uint32_t* out, std::size_t n) {
  std::size_t i = 0;
  if (!pow2_) {
    for (; i < n; ++i) out[i] = next();
    return;
  }
  for (; i < n && left16_ > 0; ++i) out[i] = next16() & mask_;  // the rest of the current block
  // Whole blocks, four at a time: next16() reads a block's 16-bit fields from the last down.
  constexpr std::size_t kBlocks = 4;
  while (n - i >= 16 * kBlocks) {
    std::array<std::uint64_t, 4> b[kBlocks];
    for (std::size_t k = 0; k < kBlocks; ++k) b[k] = rng_.block(position_ + k);
    position_ += kBlocks;
    for (std::size_t k = 0; k < kBlocks; ++k)
      for (int f = 15; f >= 0; --f, ++i) out[i] = static_cast<std::uint32_t>(b[k][f >> 2] >> ((f & 3) * 16)) & mask_;
  }
  for (; i < n; ++i) out[i] = next16() & mask_;
}

std::uint32_t IndexDraw::next32() {
  if (left16_ < 2) refill();
  left16_ -= 2;  // two 16-bit halves of one 32-bit slot (left16_ stays even on this path)
  return static_cast<std::uint32_t>(block_[left16_ >> 2] >> ((left16_ & 3) * 16));
}

StreamSupply::StreamSupply(const ScSettings& settings, BitSource& device, std::vector<double> level_probabilities,
                           const RandomStream& base)
    : policy_(settings.policy), device_(&device), probabilities_(std::move(level_probabilities)),
      n_bits_(settings.n_bits), words_(words_for_bits(settings.n_bits)), bank_size_(settings.bank_size),
      trace_bits_(std::max<std::size_t>(settings.window_trace_bits, 2 * settings.n_bits)) {
  if (n_bits_ == 0) throw ParamError("SC stream length must be at least 1 bit");
  const std::size_t levels = probabilities_.size();
  // Device indices: role r, level k, entry b -> (r * levels + k) * K + b (bank) or r * levels + k (trace).
  if (policy_ == StreamPolicy::bank) {
    if (bank_size_ == 0) throw ParamError("sc.bank_size must be at least 1");
    const RandomStream bank_rng = base.derive("sc_bank");
    for (int role = 0; role < 2; ++role) {
      banks_[role].resize(levels);
      for (std::size_t k = 0; k < levels; ++k) {
        banks_[role][k].assign(bank_size_ * words_, 0);
        for (std::size_t b = 0; b < bank_size_; ++b) {
          const std::uint64_t index = (role * levels + k) * bank_size_ + b;
          RandomStream rng = bank_rng.substream(index);
          device.generate({probabilities_[k], n_bits_, index},
                          std::span(banks_[role][k].data() + b * words_, words_), rng);
        }
      }
    }
  } else if (policy_ == StreamPolicy::window) {
    const RandomStream trace_rng = base.derive("sc_trace");
    for (int role = 0; role < 2; ++role) {
      traces_[role].resize(levels);
      for (std::size_t k = 0; k < levels; ++k) {
        traces_[role][k].assign(words_for_bits(trace_bits_) + 1, 0);
        const std::uint64_t index = role * levels + k;
        RandomStream rng = trace_rng.substream(index);
        device.generate({probabilities_[k], trace_bits_, index},
                        std::span(traces_[role][k].data(), words_for_bits(trace_bits_)), rng);
      }
    }
  }
}

IndexDraw StreamSupply::make_draw(const RandomStream& layer_rng) const {
  const std::uint64_t range = policy_ == StreamPolicy::window ? trace_bits_ - n_bits_ + 1
                              : policy_ == StreamPolicy::bank ? bank_size_
                                                              : 1;
  return IndexDraw(layer_rng.derive("sc_draw"), range);
}

void StreamSupply::stream(StreamRole role, int level, IndexDraw& draw, RandomStream& fresh_rng,
                          std::uint64_t device_index, std::uint64_t* out) const {
  switch (policy_) {
    case StreamPolicy::bank: {
      const std::uint64_t* src = banks_[int(role)][level].data() + draw.next() * words_;
      std::copy(src, src + words_, out);
      return;
    }
    case StreamPolicy::window: {
      const std::uint64_t offset = draw.next();
      const std::uint64_t* trace = traces_[int(role)][level].data();
      const unsigned shift = offset & 63u;
      const std::size_t first = offset >> 6;
      for (std::size_t w = 0; w < words_; ++w) {
        const std::uint64_t lo = trace[first + w] >> shift;
        const std::uint64_t hi = shift ? trace[first + w + 1] << (64 - shift) : 0;
        out[w] = lo | hi;
      }
      const std::size_t tail = n_bits_ & 63u;
      if (tail) out[words_ - 1] &= (1ull << tail) - 1;
      return;
    }
    case StreamPolicy::fresh:
      device_->generate({probabilities_[level], n_bits_, device_index}, std::span(out, words_), fresh_rng);
      return;
  }
}

void StreamSupply::streams(StreamRole role, const std::uint8_t* levels, std::size_t n, IndexDraw& draw,
                           RandomStream& fresh_rng, std::uint64_t first_device, std::uint64_t* out) const {
  if (policy_ != StreamPolicy::fresh) {
    for (std::size_t j = 0; j < n; ++j) stream(role, levels[j], draw, fresh_rng, first_device + j, out + j * words_);
    return;
  }
  device_->generate_streams({probabilities_, levels, n, n_bits_, first_device}, out, words_, fresh_rng);
}

}  // namespace spinsc::sc
