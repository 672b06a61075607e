#pragma once
// Stream generation for the telegraph junction at a constant bias, sampled every clock period T.
// All generators are exact in distribution (physics.md section B) and write packed streams
// (bit t = state at t T, 1 = AP); the stream starts in `initial_ap`.
//
// markov_runs: the sampled process is a two-state Markov chain, so the run of equal bits starting
//   in state s has a geometric length, P(L = k) = (1 - q_s)^(k-1) q_s, q_s the per-sample
//   probability of leaving s. One uniform number and one log per run: fast when runs are long
//   (T << tau_c); ~ a few bits per run at T ~ tau_c.
// markov_words: 64 samples at a time from bitwise comparisons of uniforms (no table).
// markov_chunks: 8 samples per alias-table draw (telegraph_chunk_table.hpp), the fastest when
//   runs are short; markov_stream picks among the three (by chain and length only).
// events: continuous time. Dwell d ~ Exp(tau_state); the state is read at t = k T. Counts every
//   switching event, including those that happen and revert between two samples.
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>

#include "../common/packed_bits.hpp"
#include "spinsc/random.hpp"
#include "chunk_table_cache.hpp"
#include "telegraph_chunk_table.hpp"
#include "telegraph_model.hpp"

namespace spinsc::telegraph {

struct StreamResult {
  std::uint64_t switching_events = 0;  // switches counted by the generator
  bool final_ap = false;               // state at the last sample
};

// Length of a geometric run >= 1 with per-step exit probability q, capped at `cap`.
// inv_log_stay = 1 / log(1 - q) (< 0), precomputed.
inline std::uint64_t geometric_run(double q, double inv_log_stay, std::uint64_t cap, RandomStream& rng) {
  if (q >= 1.0) return 1;
  if (q <= 0.0) return cap;
  const double extra = std::floor(std::log(rng.uniform_open0()) * inv_log_stay);
  if (!(extra < double(cap))) return cap;
  return 1 + static_cast<std::uint64_t>(extra);
}

// words must hold ceil(n_bits/64) words; they are overwritten (zero past n_bits).
inline StreamResult markov_runs(const SampledChain& chain, bool initial_ap, std::size_t n_bits,
                                std::span<std::uint64_t> words, RandomStream& rng) {
  const std::size_t n_words = (n_bits + 63) / 64;
  std::fill(words.begin(), words.begin() + n_words, 0ull);
  const double inv_log_stay_ap = chain.leave_ap > 0 && chain.leave_ap < 1 ? 1.0 / std::log1p(-chain.leave_ap) : 0.0;
  const double inv_log_stay_p = chain.leave_p > 0 && chain.leave_p < 1 ? 1.0 / std::log1p(-chain.leave_p) : 0.0;
  StreamResult result;
  bool ap = initial_ap;
  std::size_t position = 0;
  while (position < n_bits) {
    const std::uint64_t left = n_bits - position;
    const std::uint64_t run = ap ? geometric_run(chain.leave_ap, inv_log_stay_ap, left, rng)
                                 : geometric_run(chain.leave_p, inv_log_stay_p, left, rng);
    const std::size_t end = position + std::min<std::uint64_t>(run, left);
    if (ap) device_bits::set_run(words, position, end);
    position = end;
    if (position < n_bits) {
      ap = !ap;
      ++result.switching_events;
    }
  }
  result.final_ap = ap;
  return result;
}

// The same chain, 64 samples at a time, for short runs (T ~ tau_c). Each sample t draws one
// uniform U_t and becomes AP iff U_t < (previous AP ? P(AP->AP) : P(P->AP)) = (a or b), b < a.
// With A_t = [U_t < a] and B_t = [U_t < b] from the same U_t (so B_t implies A_t):
//   A_t = B_t = 1: AP;  A_t = B_t = 0: P;  A_t = 1, B_t = 0: the previous state is kept.
// Within a word every bit takes B at the last "decided" position at or before it (a segmented
// copy-forward in 6 doubling steps), or the carried state when there was none since the word
// began. A and B cost ~7-8 random words together (coupled lazy comparisons), exact to 2^-32.
inline StreamResult markov_words(const SampledChain& chain, bool initial_ap, std::size_t n_bits,
                                 std::span<std::uint64_t> words, RandomStream& rng) {
  const std::size_t n_words = (n_bits + 63) / 64;
  const std::uint64_t stay_ap_fixed = device_bits::probability_to_fixed32(1.0 - chain.leave_ap);
  const std::uint64_t enter_ap_fixed = device_bits::probability_to_fixed32(chain.leave_p);
  std::uint64_t carry = initial_ap ? ~0ull : 0ull;  // all ones if the previous sample was AP
  for (std::size_t i = 0; i < n_words; ++i) {
    const device_bits::CoupledWords ab = device_bits::coupled_bernoulli_words_lazy(stay_ap_fixed, enter_ap_fixed, rng);
    std::uint64_t known = ~(ab.below_a & ~ab.below_b);  // decided positions
    std::uint64_t value = ab.below_b & known;
    if (i == 0) {                                       // sample 0 is the initial state itself
      known |= 1ull;
      value = (value & ~1ull) | (initial_ap ? 1ull : 0ull);
    }
    for (int shift = 1; shift < 64; shift <<= 1) {
      value |= (value << shift) & ~known;
      known |= known << shift;
    }
    value |= carry & ~known;
    words[i] = value;
    carry = (value >> 63) ? ~0ull : 0ull;
  }
  device_bits::clear_padding(words, n_bits);
  StreamResult result;
  result.switching_events = device_bits::count_toggles(words, n_bits);
  result.final_ap = device_bits::get_bit(words, n_bits - 1);
  return result;
}

// The same chain, 8 samples per alias-table draw (telegraph_chunk_table.hpp): 256 random bits
// (PhiloxLanes, keyed from rng) per 64 samples, no per-sample branch, a speed independent of the
// run lengths. Word i is the sample before it (sample 0: the initial state) followed by the first
// 63 of the 64 samples drawn after it; the 64th starts the next word.
inline StreamResult markov_chunks(const ChunkTable& table, bool initial_ap, std::size_t n_bits,
                                  std::span<std::uint64_t> words, RandomStream& rng) {
  if (n_bits == 0) return {0, initial_ap};
  const std::size_t n_words = (n_bits + 63) / 64;
  PhiloxLanes random(rng);
  std::uint64_t previous = initial_ap ? 1 : 0;  // state of the sample before the next chunk
  for (std::size_t i = 0; i < n_words; i += 4) {
    const PhiloxLanes::Batch batch = random.next();  // random bits for 4 words
    for (std::size_t j = 0; j < 4 && i + j < n_words; ++j) {
      const std::uint64_t first = previous;
      const std::uint64_t drawn = ChunkTable::chain(table.draw8(batch.lanes[j]), previous);  // samples 64(i+j)+1 ...
      words[i + j] = drawn << 1 | first;
    }
  }
  device_bits::clear_padding(words, n_bits);
  StreamResult result;
  result.switching_events = device_bits::count_toggles(words, n_bits);
  result.final_ap = device_bits::get_bit(words, n_bits - 1);
  return result;
}

// Exact Markov sampling, choosing the faster generator: geometric runs when runs are long, else
// 8-sample chunks, or markov_words (no table) for a short stream whose chain may be new. The choice
// depends only on the chain, the length and `chains_repeat` (the junctions share a few chains: no
// device-to-device variation), never on what was generated before, so a stream's bits are a
// function of its random stream alone, whatever the thread or call order.
// kRunsFromMeanRun: where runs overtake chunks (bench telegraph: runs make ~0.04 Gbit/s per bit of
// mean run, chunks ~3 Gbit/s at any run length; the mean run is that of the two states).
// kChunksFromBits: a table build (a few microseconds) is repaid at once by a stream this long.
inline constexpr double kRunsFromMeanRun = 72.0;
inline constexpr std::size_t kChunksFromBits = 8192;
enum class StreamGenerator { runs, chunks, words };
inline StreamGenerator markov_generator(const SampledChain& chain, std::size_t n_bits, bool chains_repeat) {
  const double mean_run = 0.5 / std::max(chain.leave_ap, 1e-300) + 0.5 / std::max(chain.leave_p, 1e-300);
  if (mean_run >= kRunsFromMeanRun || chain.rho < 0.0) return StreamGenerator::runs;
  if (chains_repeat || n_bits >= kChunksFromBits) return StreamGenerator::chunks;
  return StreamGenerator::words;
}
inline StreamResult markov_stream(const SampledChain& chain, bool initial_ap, std::size_t n_bits,
                                  std::span<std::uint64_t> words, RandomStream& rng, bool chains_repeat) {
  if (n_bits == 0) return {0, initial_ap};
  switch (markov_generator(chain, n_bits, chains_repeat)) {
    case StreamGenerator::runs: return markov_runs(chain, initial_ap, n_bits, words, rng);
    case StreamGenerator::chunks:
      return markov_chunks(ChunkTableCache::for_this_thread().find(chain), initial_ap, n_bits, words, rng);
    case StreamGenerator::words: break;
  }
  return markov_words(chain, initial_ap, n_bits, words, rng);
}

// Event-driven: time measured in clock periods. The remaining dwell of the initial state is
// exponential too (memoryless), so a stationary initial state gives a stationary stream.
inline StreamResult events(const DwellTimes& dwell, double clock_period_s, bool initial_ap, std::size_t n_bits,
                           std::span<std::uint64_t> words, RandomStream& rng) {
  const std::size_t n_words = (n_bits + 63) / 64;
  std::fill(words.begin(), words.begin() + n_words, 0ull);
  const double mean_ap = dwell.tau_ap_s / clock_period_s, mean_p = dwell.tau_p_s / clock_period_s;
  StreamResult result;
  bool ap = initial_ap;
  double next_switch =  // time of the next switch, in clock periods from the first sample
      (ap ? mean_ap : mean_p) * rng.exponential();
  std::size_t position = 0;
  while (position < n_bits) {
    // Samples k with k < next_switch are in the current state.
    const double first_after = std::ceil(next_switch);
    const std::size_t end = first_after >= double(n_bits) ? n_bits : std::max(position, std::size_t(first_after));
    if (ap) device_bits::set_run(words, position, end);
    position = end;
    if (position >= n_bits) break;
    ap = !ap;
    ++result.switching_events;
    next_switch += (ap ? mean_ap : mean_p) * rng.exponential();
  }
  result.final_ap = ap;
  return result;
}

}  // namespace spinsc::telegraph
