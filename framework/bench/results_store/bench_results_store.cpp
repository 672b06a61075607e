// Benchmark (not a test): what a results-store commit costs as the file grows. Each write_run
// writes the run's own file (temporary, fsync, rename) and then a new index (the same), so the
// cost should depend on the run's size, not on how many runs the file holds. Prints the
// milliseconds per run of the first and the last 100 of 1000 runs, for small and for 1 MB runs,
// and as its last line `commit_growth_ratio R` (last 100 / first 100, 1 MB runs).
//   spinsc_bench_results_store [folder]   (default: the current folder; the files are removed after)
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "spinsc/result_store.hpp"

namespace fs = std::filesystem;

namespace {
constexpr int kRuns = 1000;
constexpr int kWindow = 100;  // runs averaged at the start and at the end

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
  outcome.run_id = std::to_string(1000000 + run_index);
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

std::uintmax_t folder_bytes(const fs::path& folder) {
  std::uintmax_t bytes = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) bytes += entry.file_size(ec);
  return bytes;
}
}  // namespace

int main(int argc, char** argv) {
  const fs::path folder = argc > 1 ? fs::path(argv[1]) : fs::current_path();
  std::printf("%-14s %6s %16s %16s %10s %12s\n", "bytes per run", "runs", "ms/run first100", "ms/run last100",
              "index kB", "run files MB");
  double ratio = 0;
  for (std::size_t values : {128u, 125'000u}) {  // 1 kB and 1 MB of doubles
    const fs::path file = folder / "bench_results_store.h5";
    const fs::path runs_folder = folder / "bench_results_store.h5.runs";
    fs::remove(file);
    fs::remove_all(runs_folder);
    auto store = spinsc::open_hdf5_store(file, bench_identity(), false);
    std::vector<double> per_run_ms;
    for (int run = 0; run < kRuns; ++run) {
      const spinsc::RunRecord record = bench_record(values);
      const auto start = std::chrono::steady_clock::now();
      store->write_run(bench_outcome(static_cast<std::uint64_t>(run)), record);
      per_run_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    store.reset();
    double first = 0, last = 0;
    for (int i = 0; i < kWindow; ++i) {
      first += per_run_ms[static_cast<std::size_t>(i)] / kWindow;
      last += per_run_ms[per_run_ms.size() - kWindow + static_cast<std::size_t>(i)] / kWindow;
    }
    ratio = last / first;
    std::printf("%-14zu %6d %16.2f %16.2f %10.1f %12.1f\n", values * sizeof(double), kRuns, first, last,
                static_cast<double>(fs::file_size(file)) / 1e3, static_cast<double>(folder_bytes(runs_folder)) / 1e6);
    std::fflush(stdout);
    fs::remove(file);
    fs::remove(folder / "bench_results_store.h5.lock");
    fs::remove_all(runs_folder);
  }
  std::printf("commit_growth_ratio %.3f\n", ratio);
  return 0;
}
