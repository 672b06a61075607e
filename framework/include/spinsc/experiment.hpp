#pragma once
// Experiment: an experiment file (INI) read, validated against every declared key, with its
// command-line overrides applied and its [sweep] expanded into run points.
//
//   name = lfsr_widths            # top level: name (default: file stem), seed (default 1), task
//   seed = 7
//   task = device_characterization
//   [device]                      # a framework section (registered_sections())
//   plugin = device.lfsr          # a key of a framework section [K] whose value is K.name names a plugin
//   [device.lfsr]                 # a plugin's own keys live in the section named by its id
//   width = 16
//   [sweep]
//   mode = grid                   # grid (every combination) or zip (i-th values together)
//   device.lfsr.width = 8,16,32   # list; or linspace(a,b,n); or range(a,b,step) (b excluded)
//   repeats = 3                   # repeat r >= 1 runs with seed repeat_seed(seed, r)
//
// Comments start at '#' or ';'. Every error names the file and line (or the command-line
// argument) and the key. Overrides: "device.lfsr.width=12" (as `--device.lfsr.width=12` on the
// command line) replace a file value; overriding a swept key fixes it (removes that sweep axis);
// "sweep.KEY=a,b" adds or replaces a sweep axis.
#include <boost/config.hpp>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "spinsc/params.hpp"
#include "spinsc/result_store.hpp"
#include "spinsc/run_identity.hpp"

namespace spinsc {

class PluginRegistry;

// A bad experiment file or override. what() names the file and line (or the override) and the key.
class BOOST_SYMBOL_VISIBLE ExperimentError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  ~ExperimentError() override;
};

// One key set explicitly, in the file or on the command line.
struct Setting {
  std::string key;     // full key, e.g. "device.lfsr.width"
  std::string value;   // the text as written, trimmed
  std::string origin;  // "exp.ini:12" or "command line --device.lfsr.width=12"
};

// One swept key and its values (already expanded from linspace/range, each one validated).
struct SweepAxis {
  std::string key;
  std::vector<std::string> values;
  std::string origin;
};

// One point of the sweep: what differs from the base configuration, and the run's seed.
struct RunPoint {
  std::uint64_t run_index = 0;  // stable: (combination index) * repeats + repeat
  std::uint64_t repeat = 0;
  std::uint64_t seed = 0;       // seed of this run (see repeat_seed)
  std::vector<std::pair<std::string, std::string>> swept;  // key = value in axis order; "repeat" last if repeats > 1
  RunIdentity identity;         // the keys its training and evaluation read, ids, stream keys
};

class BOOST_SYMBOL_VISIBLE Experiment {
 public:
  std::string name;          // resolved: the `name` key, or the file stem
  std::string task;
  std::uint64_t seed = 1;    // the experiment seed (the `seed` key)
  std::string source_path;   // the file read ("" for text given directly)
  std::string text;          // the file verbatim
  std::vector<std::string> overrides;     // as given, "key=value"
  std::map<std::string, Setting> settings;  // explicit keys after overrides, by full key
  std::string sweep_mode;    // "grid" or "zip"
  std::uint64_t repeats = 1;
  std::vector<SweepAxis> axes;
  std::vector<RunPoint> points;
  std::vector<std::string> used_plugins;   // ids, sorted: named by a resolved or swept value
  // Every framework key and every key of a used plugin = resolved value (defaults included),
  // sorted by key. A swept key shows "sweep: v1,v2,...".
  std::vector<std::pair<std::string, std::string>> effective;
  std::vector<std::string> notes;          // things worth telling the user (e.g. unused sections)
  std::shared_ptr<po::options_description> options;  // every declared key (framework + all plugins)

  // The configuration of one run point: settings, then its swept values, then defaults. Its
  // `seed` key keeps the experiment seed; the run's own seed is point.seed (RunContext::seed).
  po::variables_map config_for(const RunPoint& point) const;
  // What the results file records about this experiment (versions, plugins used, ...).
  ExperimentIdentity identity(const PluginRegistry& registry) const;
};

// Reads and validates an experiment file; overrides are "key=value" (no leading dashes).
Experiment load_experiment(const std::filesystem::path& file, const std::vector<std::string>& overrides,
                           const PluginRegistry& registry);
// The same for text in memory; `source_name` appears in error messages and is the default name.
Experiment load_experiment_text(const std::string& text, const std::string& source_name,
                                const std::vector<std::string>& overrides, const PluginRegistry& registry);

// Runs every registered run check (framework_parts.hpp) of the experiment's task on every point,
// before any work: throws ExperimentError "<file>: run point <i> (<swept values>): <what>" at the
// first point that cannot run.
void check_run_points(const Experiment& experiment, const PluginRegistry& registry);

// The seed of repeat r of a run whose base seed is `seed`: repeat 0 keeps the seed itself (so
// adding repeats never changes existing runs); repeat r >= 1 uses the first 64-bit word of
// RandomStream(seed, "repeat", r), a counter-based hash distinct for every r.
std::uint64_t repeat_seed(std::uint64_t seed, std::uint64_t repeat);

// Expands one sweep value text: "a,b,c" (for list-valued keys: "1,2|3,4", separated by '|'),
// "linspace(a,b,n)" (n values from a to b inclusive) or "range(a,b,step)" (a, a+step, ... < b).
// Throws ExperimentError (without location) on a malformed helper.
std::vector<std::string> expand_sweep_values(const std::string& text, bool list_valued);

// The run points of a sweep. grid: every combination, the first axis varying slowest; zip: the
// i-th value of every axis together (all axes equally long). Each combination is repeated
// `repeats` times. A swept "seed" axis sets the base seed of its points.
std::vector<RunPoint> expand_run_points(const std::string& mode, const std::vector<SweepAxis>& axes,
                                        std::uint64_t repeats, std::uint64_t seed);

}  // namespace spinsc
