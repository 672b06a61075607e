// Benchmark: s-MTJ telegraph stream generation, bits per second on one core (single thread),
// for each generator and several ratios of clock period to correlation time (run lengths).
// Target (issue 5): >= 1 Gbit/s per core. Prints one line per case; figures only.
// Generators: runs (geometric run lengths), words (64 samples from bitwise comparisons), chunks
// (8-sample alias tables, table built once per case: a network at a fixed level), chunks-cold
// (the table rebuilt for every stream), auto (what the plugin uses, markov_stream: runs when
// the mean run is long, else chunks), event (exponential dwells).
// The machine may be shared: each case is repeated and the best and the median of the thread's
// CPU-time rates are printed (wall time overstates the cost when other processes run).
#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <sstream>
#include <string>
#include <vector>

#include "../../devices/smtj_telegraph/telegraph_sampler.hpp"
#include "spinsc/bit_source.hpp"

using namespace spinsc;
using namespace spinsc::telegraph;

namespace {

const char* kUsage =
    "usage: spinsc_bench_telegraph [--bits N] [--stream-bits N] [--repeat N] [--methods LIST] [N]\n"
    "  --bits N         bits generated per case and repetition (default 2^28; a bare N is the same)\n"
    "  --stream-bits N  bits per stream, generated stream by stream as a network asks (default 65536)\n"
    "  --repeat N       repetitions per case; best and median are printed (default 3)\n"
    "  --methods LIST   comma-separated subset of auto,runs,words,chunks,chunks-cold,event (default all)\n"
    "Prints, per method, T/tau_c and P(AP): the mean run length, Gbit/s per core of CPU time (best and\n"
    "median over the repetitions), Gbit/s of wall time (best) and the measured P(1) as a check.\n";

// CPU time of this thread: on a loaded machine wall time overstates the cost; both are printed.
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

std::size_t parse_count(const std::string& flag, const char* text) {
  char* end = nullptr;
  const unsigned long long value = std::strtoull(text, &end, 10);
  if (end == text || *end != '\0' || value == 0) {
    fmt::print(stderr, "spinsc_bench_telegraph: {} needs a positive integer, got '{}'\n{}", flag, text, kUsage);
    std::exit(2);
  }
  return std::size_t(value);
}

struct Rates {
  double cpu_gbit_s, wall_gbit_s, p_one;
};

Rates run_case(const std::string& method, const DwellTimes& dwell, double clock_s, std::size_t total_bits,
               std::size_t stream_bits, std::uint64_t repetition) {
  const SampledChain chain = SampledChain::of(dwell, clock_s);
  std::vector<std::uint64_t> words(words_for_bits(stream_bits));
  RandomStream rng(1, "bench-telegraph", repetition);
  ChunkTable fixed_table;
  if (method == "chunks") fixed_table.build(chain);  // once per case, outside the timing
  std::uint64_t ones = 0, checked_bits = 0;
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = thread_cpu_seconds();
  std::size_t done = 0;
  for (; done < total_bits; done += stream_bits) {
    const bool ap = rng.uniform() < chain.p_ap;
    if (method == "auto") markov_stream(chain, ap, stream_bits, words, rng, /*chains_repeat=*/true);
    if (method == "runs") markov_runs(chain, ap, stream_bits, words, rng);
    if (method == "words") markov_words(chain, ap, stream_bits, words, rng);
    if (method == "chunks") markov_chunks(fixed_table, ap, stream_bits, words, rng);
    if (method == "chunks-cold") markov_chunks(ChunkTable(chain), ap, stream_bits, words, rng);
    if (method == "event") events(dwell, clock_s, ap, stream_bits, words, rng);
    const std::size_t check = std::min<std::size_t>(stream_bits, 256);  // keeps the output live
    ones += device_bits::count_ones(words, check);
    checked_bits += check;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu_seconds = thread_cpu_seconds() - cpu_start;
  return {double(done) / cpu_seconds / 1e9, double(done) / seconds / 1e9, double(ones) / double(checked_bits)};
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t total_bits = std::size_t(1) << 28, stream_bits = 1 << 16, repeat = 3;
  std::vector<std::string> methods = {"auto", "runs", "words", "chunks", "chunks-cold", "event"};
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--help" || arg == "-h") {
      fmt::print("{}", kUsage);
      return 0;
    } else if (arg == "--bits" && has_value) {
      total_bits = parse_count(arg, argv[++i]);
    } else if (arg == "--stream-bits" && has_value) {
      stream_bits = parse_count(arg, argv[++i]);
    } else if (arg == "--repeat" && has_value) {
      repeat = parse_count(arg, argv[++i]);
    } else if (arg == "--methods" && has_value) {
      const std::vector<std::string> known = methods;
      methods.clear();
      std::stringstream list(argv[++i]);
      for (std::string m; std::getline(list, m, ',');) {
        if (std::find(known.begin(), known.end(), m) == known.end()) {
          fmt::print(stderr, "spinsc_bench_telegraph: unknown method '{}'\n{}", m, kUsage);
          return 2;
        }
        methods.push_back(m);
      }
    } else if (!arg.empty() && arg[0] != '-') {
      total_bits = parse_count("bits", argv[i]);
    } else {
      fmt::print(stderr, "spinsc_bench_telegraph: unknown or incomplete argument '{}'\n{}", arg, kUsage);
      return 2;
    }
  }
  fmt::print("{:<11} {:>7} {:>5} {:>8} {:>13} {:>15} {:>14} {:>6}\n", "method", "T/tau_c", "P(AP)", "mean run",
             "Gbit/s cpu best", "Gbit/s cpu median", "Gbit/s wall best", "P(1)");
  for (const std::string& method : methods) {
    for (double t_over_tau : {0.01, 0.1, 0.3, 1.0, 3.0}) {
      for (double p : {0.5, 0.9}) {
        const double tau_c = 10e-9, clock = t_over_tau * tau_c;
        const DwellTimes dwell{tau_c / p, tau_c / (1 - p)};
        const SampledChain chain = SampledChain::of(dwell, clock);
        std::vector<double> cpu;
        double wall_best = 0, p_one = 0;
        for (std::size_t r = 0; r < repeat; ++r) {
          const Rates rates = run_case(method, dwell, clock, total_bits, stream_bits, r);
          cpu.push_back(rates.cpu_gbit_s);
          wall_best = std::max(wall_best, rates.wall_gbit_s);
          p_one += rates.p_one / double(repeat);
        }
        std::sort(cpu.begin(), cpu.end());
        const double median = cpu.size() % 2 ? cpu[cpu.size() / 2] : 0.5 * (cpu[cpu.size() / 2 - 1] + cpu[cpu.size() / 2]);
        const double mean_run = 0.5 / chain.leave_ap + 0.5 / chain.leave_p;  // mean of the two states' runs
        fmt::print("{:<11} {:>7} {:>5} {:>8.1f} {:>13.2f} {:>15.2f} {:>14.2f} {:>6.3f}\n", method, t_over_tau, p,
                   mean_run, cpu.back(), median, wall_best, p_one);
      }
    }
  }
  return 0;
}
