// spinsc run [FILE.ini] [-o|--output RESULTS.h5] [--force] [--dry-run] [--section.key=value ...]
#include <fmt/core.h>
#include <unistd.h>

#include <boost/dll/runtime_symbol_info.hpp>
#include <filesystem>

#include "commands.hpp"
#include "distributed_run.hpp"
#include "results_view.hpp"
#include "spinsc/experiment.hpp"
#include "spinsc/plugin_registry.hpp"
#include "spinsc/result_store.hpp"
#include "spinsc/runner.hpp"
#include "spinsc/shipped_files.hpp"

namespace spinsc::cli {

namespace fs = std::filesystem;

namespace {

void print_run_help() {
  fmt::print(
      "Usage: spinsc run [FILE.ini] [-o|--output RESULTS.h5] [--force] [--dry-run] [--section.key=value ...]\n\n"
      "Runs an experiment: every point of its [sweep], each with the experiment's task, into one HDF5\n"
      "results file. Without FILE.ini it runs the quick-start experiment (experiments/quickstart.ini).\n\n"
      "  -o, --output FILE     results file (default: results/<name>.h5, <name> = the experiment's name)\n"
      "  --force               replace a results file written by an experiment of another name\n"
      "  --dry-run             validate, then print every run point (complete or to run), the shared\n"
      "                        trainings and the counts of trainings and evaluations; writes nothing\n"
      "  --section.key=value   override a key of the file, e.g. --device.plugin=device.lfsr or\n"
      "                        --device.lfsr.width=12 (a swept key becomes fixed); top-level keys\n"
      "                        as --seed=3; --sweep.KEY=a,b,c sweeps KEY (also linspace(a,b,n),\n"
      "                        range(a,b,step)); --sweep.repeats=N\n\n"
      "Runs already complete in the results file are skipped (matched by run id: the keys a run depends\n"
      "on), so an interrupted or grown experiment runs only what is new; points that share a training\n"
      "(same data, network, train keys and seed) train it once. Every key, its default, unit and range: spinsc describe SECTION|PLUGIN.\n\n"
      "Under MPI (mpirun -n N spinsc run FILE.ini, a build with MPI: spinsc --version) the N ranks share\n"
      "the runs, those of one training on one rank, and rank 0 writes the one results file: the same\n"
      "numbers as one process. Set --train.threads=1 (the worker threads of a rank) for one rank per core.\n");
}

// experiments/quickstart.ini of the source tree this spinsc was built from, else of the install.
fs::path default_experiment() {
  std::vector<fs::path> candidates;
#ifdef SPINSC_SOURCE_DIR
  candidates.push_back(fs::path(SPINSC_SOURCE_DIR) / "experiments" / "quickstart.ini");
#endif
  const fs::path exe_dir = boost::dll::program_location().parent_path().string();
  candidates.push_back(exe_dir / ".." / "share" / "spinsc" / "experiments" / "quickstart.ini");
  std::string looked;
  for (const auto& candidate : candidates) {
    if (fs::is_regular_file(candidate)) return candidate;
    looked += "\n  " + candidate.lexically_normal().string();
  }
  throw ExperimentError("no experiment file given, and the quick-start experiment is not in any of:" + looked);
}

}  // namespace

int command_run(const Arguments& args) {
  std::optional<fs::path> file, output;
  bool force = false, dry_run = false;
  std::vector<std::string> overrides;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      print_run_help();
      return 0;
    } else if (arg == "-o" || arg == "--output") {
      if (i + 1 >= args.size()) throw ExperimentError(arg + " needs a file name");
      output = args[++i];
    } else if (arg.rfind("--output=", 0) == 0) {
      output = arg.substr(9);
    } else if (arg == "--force") {
      force = true;
    } else if (arg == "--dry-run") {
      dry_run = true;
    } else if (arg.rfind("--", 0) == 0) {
      // --section.key=value, or --section.key value
      std::string item = arg.substr(2);
      if (item.find('=') == std::string::npos) {
        if (i + 1 >= args.size() || args[i + 1].rfind("--", 0) == 0)
          throw ExperimentError("command line " + arg + ": expected --section.key=value");
        item += "=" + args[++i];
      }
      overrides.push_back(item);
    } else if (arg.rfind("-", 0) == 0 || file) {
      throw ExperimentError("unexpected argument '" + arg + "' (spinsc run --help says how)");
    } else {
      file = arg;
    }
  }
  if (!file) file = default_experiment();
  file = resolve_shipped_path(*file);  // experiments/x.ini of spinsc itself works from any folder

  const MpiSession mpi;  // inside an MPI job (mpirun -n N spinsc run ...): N ranks share the work
  const bool lead = mpi.rank() == 0;
  PluginRegistry registry;
  const Experiment experiment = load_experiment(*file, overrides, registry);
  if (lead)
    for (const auto& note : experiment.notes) fmt::print(stderr, "note: {}\n", note);
  if (!output) output = fs::path("results") / (experiment.name + ".h5");
  check_run_points(experiment, registry);  // mistakes that would surface only after data or training
  if (dry_run) {
    if (lead)
      print_plan(experiment, force ? std::vector<StoredRun>{} : read_stored_runs(*output), output->string(), stdout);
    return 0;
  }
  if (output->has_parent_path()) {
    std::error_code ec;
    fs::create_directories(output->parent_path(), ec);
    if (ec)
      throw ResultStoreError("cannot create the folder of the results file '" + output->string() + "': " + ec.message());
  }
  if (mpi.size() > 1) return run_distributed(mpi, experiment, registry, *output, force);
  std::unique_ptr<ResultStore> store = open_hdf5_store(*output, experiment.identity(registry), force);
  if (const std::string notice = store->notice(); !notice.empty()) fmt::print(stderr, "note: {}\n", notice);
  RunnerOptions options;
  options.interactive = isatty(fileno(stdout)) != 0;
  options.width = terminal_width(stdout);
  options.print_summary = false;  // printed below from the file: runs complete before included
  const RunnerReport report = run_experiment(experiment, registry, *store, options);
  store.reset();  // closes the results file
  TableFormat format;
  format.width = options.width;
  print_results_file(stdout, *output, format, ResultsFileOrigin::this_process);
  return report.ok() ? 0 : 1;
}

}  // namespace spinsc::cli

SPINSC_CLI_COMMAND("run", spinsc::cli::command_run, "run an experiment file (every sweep point) into an HDF5 results file")
