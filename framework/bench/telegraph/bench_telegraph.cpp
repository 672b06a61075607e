// Benchmark: s-MTJ telegraph stream generation, bits per second on one core (single thread),
// for each generator and several ratios of clock period to correlation time (run lengths).
// Target (issue 5): >= 1 Gbit/s per core. Prints one line per case; figures only.
//   usage: spinsc_bench_telegraph [total_bits_per_case]
// Generators: runs (geometric run lengths), words (64 samples at a time), auto (what the plugin
// uses: runs when the mean run is >= 24 bits, else words), event (exponential dwells).
#include <fmt/core.h>

#include <chrono>
#include <ctime>
#include <cstdlib>
#include <string>
#include <vector>

#include "../../devices/smtj_telegraph/telegraph_sampler.hpp"

using namespace spinsc;
using namespace spinsc::telegraph;

// CPU time of this thread: on a loaded machine wall time overstates the cost; both are printed.
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

int main(int argc, char** argv) {
  const std::size_t total_bits = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : (std::size_t(1) << 30);
  const std::size_t stream_bits = 1 << 16;  // generated stream by stream, as a network would ask
  std::vector<std::uint64_t> words(stream_bits / 64);
  fmt::print("{:<7} {:>8} {:>7} {:>10} {:>12} {:>12} {:>9}\n", "method", "T/tau_c", "P(AP)", "mean run", "Gbit/s wall",
             "Gbit/s cpu", "P(1)");
  for (std::string method : {"auto", "runs", "words", "event"}) {
    for (double t_over_tau : {0.01, 0.1, 0.3, 1.0, 3.0}) {
      for (double p : {0.5, 0.9}) {
        const double tau_c = 10e-9, clock = t_over_tau * tau_c;
        const DwellTimes dwell{tau_c / p, tau_c / (1 - p)};
        const SampledChain chain = SampledChain::of(dwell, clock);
        RandomStream rng(1, "bench-telegraph");
        std::uint64_t ones = 0;
        const auto start = std::chrono::steady_clock::now();
        const double cpu_start = thread_cpu_seconds();
        for (std::size_t done = 0; done < total_bits; done += stream_bits) {
          const bool ap = rng.uniform() < chain.p_ap;
          if (method == "auto") markov_stream(chain, ap, stream_bits, words, rng);
          if (method == "runs") markov_runs(chain, ap, stream_bits, words, rng);
          if (method == "words") markov_words(chain, ap, stream_bits, words, rng);
          if (method == "event") events(dwell, clock, ap, stream_bits, words, rng);
          ones += device_bits::count_ones(std::span<const std::uint64_t>(words.data(), 4), 256);
        }
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const double cpu_seconds = thread_cpu_seconds() - cpu_start;
        const double mean_run = 0.5 / chain.leave_ap + 0.5 / chain.leave_p;  // mean of the two states' runs
        const double checked = double(ones) / (256.0 * double(total_bits / stream_bits));
        fmt::print("{:<7} {:>8} {:>7} {:>10.1f} {:>12.2f} {:>12.2f} {:>9.3f}\n", method, t_over_tau, p, mean_run,
                   total_bits / seconds / 1e9, total_bits / cpu_seconds / 1e9, checked);
      }
    }
  }
  return 0;
}
