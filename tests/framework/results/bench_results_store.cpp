// Benchmark (not a test): what the copy-on-write commit costs. Each write_run writes the whole
// file image to a temporary, fsyncs it and renames it; the cost grows with the file. Prints
// milliseconds per run for the first and the last runs of experiments with small and large runs.
//   bench_results_store [folder]   (default: the current folder)
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "results_test_support.hpp"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  const fs::path folder = argc > 1 ? fs::path(argv[1]) : fs::current_path();
  std::printf("%-14s %6s %14s %14s %12s\n", "bytes per run", "runs", "ms/run first10", "ms/run last10", "file MB");
  for (std::size_t values : {128u, 12'500u, 125'000u}) {  // 1 kB, 100 kB, 1 MB of doubles
    const int runs = values >= 125'000u ? 40 : 100;
    const fs::path file = folder / "bench_results_store.h5";
    fs::remove(file);
    auto store = spinsc::open_hdf5_store(file, results_test::sample_identity(), false);
    std::vector<double> per_run_ms;
    for (int run = 0; run < runs; ++run) {
      spinsc::RunRecord record = results_test::sample_record(static_cast<std::uint64_t>(run));
      record.put("device/trace", std::vector<double>(values, 0.5), "1");
      const auto start = std::chrono::steady_clock::now();
      store->write_run(results_test::sample_outcome(static_cast<std::uint64_t>(run)), record);
      per_run_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    store.reset();
    double first = 0, last = 0;
    for (int i = 0; i < 10; ++i) {
      first += per_run_ms[static_cast<std::size_t>(i)] / 10;
      last += per_run_ms[per_run_ms.size() - 10 + static_cast<std::size_t>(i)] / 10;
    }
    std::printf("%-14zu %6d %14.2f %14.2f %12.2f\n", values * sizeof(double), runs, first, last,
                static_cast<double>(fs::file_size(file)) / 1e6);
    fs::remove(file);
  }
  return 0;
}
