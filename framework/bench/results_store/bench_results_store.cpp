// Benchmark (not a test): what the copy-on-write commit costs. Each write_run writes the whole
// file image to a temporary, fsyncs it and renames it; the cost grows with the file. Prints
// milliseconds per run for the first and the last runs of experiments with small and large runs.
//   spinsc_bench_results_store [folder]   (default: the current folder; the file is removed after)
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "spinsc/result_store.hpp"

namespace fs = std::filesystem;

namespace {
spinsc::ExperimentIdentity bench_identity() {
  spinsc::ExperimentIdentity id;
  id.name = "bench_results_store";
  id.experiment_text = "name = bench_results_store\nseed = 1\n";
  id.effective = {{"seed", "1"}};
  id.seed = 1;
  return id;
}

spinsc::RunOutcome bench_outcome(std::uint64_t run_index) {
  spinsc::RunOutcome outcome;
  outcome.run_index = run_index;
  outcome.swept = {{"repeat", std::to_string(run_index)}};
  outcome.seed = run_index;
  outcome.status = "complete";
  return outcome;
}

// A run like a small network run (a few curves, a ledger, summary values) plus `values` doubles.
spinsc::RunRecord bench_record(std::size_t values) {
  spinsc::RunRecord r;
  r.put("training/loss", std::vector<double>(20, 0.1), "1");
  r.put("training/accuracy", std::vector<double>(20, 90.0), "%");
  r.put_matrix("evaluation/sc/accuracy", std::vector<double>(10, 91.0), 2, 5, "%");
  r.put("ledger/by_component/name", std::vector<std::string>{"device", "sc.xnor", "sc.parallel_counter"});
  r.put("ledger/by_component/energy_J", std::vector<double>{1e-9, 2e-9, 3e-9}, "J");
  r.put_scalar("ledger/total/energy_J", 6e-9, "J");
  r.summary("sc_accuracy", 91.0, "%");
  r.summary("energy_per_inference_J", 6e-9, "J");
  r.put("device/trace", std::vector<double>(values, 0.5), "1");
  return r;
}
}  // namespace

int main(int argc, char** argv) {
  const fs::path folder = argc > 1 ? fs::path(argv[1]) : fs::current_path();
  std::printf("%-14s %6s %14s %14s %12s\n", "bytes per run", "runs", "ms/run first10", "ms/run last10", "file MB");
  for (std::size_t values : {128u, 12'500u, 125'000u}) {  // 1 kB, 100 kB, 1 MB of doubles
    const int runs = values >= 125'000u ? 40 : 100;
    const fs::path file = folder / "bench_results_store.h5";
    fs::remove(file);
    auto store = spinsc::open_hdf5_store(file, bench_identity(), false);
    std::vector<double> per_run_ms;
    for (int run = 0; run < runs; ++run) {
      const spinsc::RunRecord record = bench_record(values);
      const auto start = std::chrono::steady_clock::now();
      store->write_run(bench_outcome(static_cast<std::uint64_t>(run)), record);
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
