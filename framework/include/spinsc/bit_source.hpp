#pragma once
// BitSource: the interface of every random-bit device plugin (kind "device").
//
// A device produces packed bitstreams (64 bits a word, bit t of the stream is bit t%64 of word
// t/64) whose probability of a 1 is a requested value. A device controlled by a bias maps the
// target probability to the bias through its own calibration: in hardware, that is the DAC level.
// It reports the energy and time each bit costs at that probability, and the switching events of
// the streams it made. Bipolar SC: value x in [-1, 1] is carried by P(1) = (x + 1) / 2.
#include <cmath>
#include <cstdint>
#include <span>
#include <string>

#include "spinsc/component.hpp"
#include "spinsc/random.hpp"

namespace spinsc {

struct StreamRequest {
  double probability = 0.5;         // requested P(1), in [0, 1]
  std::size_t n_bits = 0;           // stream length L
  std::uint64_t device_index = 0;   // which physical junction (device-to-device variation)
};

// Many streams of one length whose P(1) takes a few values (the levels of an SC network): stream j
// has P(1) = level_probabilities[levels[j]] and is made by device first_device + j.
struct StreamBatch {
  std::span<const double> level_probabilities;
  const std::uint8_t* levels = nullptr;  // n_streams entries, each < level_probabilities.size()
  std::size_t n_streams = 0;
  std::size_t n_bits = 0;
  std::uint64_t first_device = 0;
};

class BOOST_SYMBOL_VISIBLE BitSource : public Component {
 public:
  ~BitSource() override;
  // Writes ceil(n_bits / 64) words into `words` (which must be at least that long); bits past
  // n_bits in the last word are zero. All randomness comes from `rng`. Returns the number of
  // switching events (state changes of the device) while the stream was made.
  virtual std::uint64_t generate(const StreamRequest& request, std::span<std::uint64_t> words,
                                 RandomStream& rng) = 0;
  // The streams of a batch in turn (see StreamBatch), stream j into out + j * stride_words
  // (stride_words >= ceil(n_bits / 64)): the same bits as generate() called for each stream in that
  // order with the same rng, and rng left where those calls leave it. Switching events are not
  // counted (a caller that needs them calls generate()). A device may override it to draw the
  // random numbers of many streams at once; by default it calls generate() for each.
  virtual void generate_streams(const StreamBatch& batch, std::uint64_t* out, std::size_t stride_words,
                                RandomStream& rng) {
    for (std::size_t j = 0; j < batch.n_streams; ++j)
      generate({batch.level_probabilities[batch.levels[j]], batch.n_bits, batch.first_device + j},
               std::span<std::uint64_t>(out + j * stride_words, stride_words), rng);
  }
  // Energy (J) and time (s) one bit costs at requested probability p.
  virtual double energy_per_bit_J(double probability) const = 0;
  virtual double time_per_bit_s(double probability) const = 0;
  // The control value that sets probability p (bias voltage, pulse width, comparator threshold)
  // and its unit, for records and plots. NaN and "" for devices without one.
  virtual double control_for(double /*probability*/) const { return std::nan(""); }
  virtual std::string control_unit() const { return ""; }
};

inline std::size_t words_for_bits(std::size_t n_bits) { return (n_bits + 63) / 64; }

}  // namespace spinsc
