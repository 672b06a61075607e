#pragma once
// What a task gets for one run point. Tasks are framework functions registered by name
// (SPINSC_REGISTER_TASK); the experiment key `task` chooses one (`network` trains and evaluates
// a network; `device_characterization` measures devices).
#include <boost/config.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "spinsc/ledger.hpp"
#include "spinsc/params.hpp"
#include "spinsc/random.hpp"
#include "spinsc/run_record.hpp"

namespace spinsc {

class PluginRegistry;
class Component;
class ScEvaluationSharing;

// Progress inside a run, shown on the progress line. A run is a sequence of phases (training,
// the SC evaluation of each variant, ...): phase(name) starts one, step(what, f) says what it is
// doing and the fraction f in [0, 1] of the phase done (of the whole run if no phase was started).
// The display estimates the time left from each phase's own rate and, for the phases still to
// come, from their duration in the previous run.
class BOOST_SYMBOL_VISIBLE Progress {
 public:
  virtual ~Progress();
  virtual void step(const std::string& what, double fraction_done) = 0;
  virtual void message(const std::string& text) = 0;  // a line for the person watching
  virtual void phase(const std::string& name);        // default: ignored
};

struct RunContext {
  const Params& config;          // every resolved key of this run point (prefix "")
  PluginRegistry& registry;      // makes components by plugin id
  std::uint64_t seed = 0;        // this run's seed (derived from the experiment seed and repeat)
  // Stream keys (RunIdentity): a hash of the keys the training reads, and of the training plus
  // the evaluation keys. Streams never depend on the run's index, so a point gives the same
  // numbers alone or inside any sweep.
  std::uint64_t training_stream_key = 0;
  RunRecord& record;             // the run's results
  EnergyLedger& ledger;
  Progress& progress;
  std::uint64_t evaluation_stream_key = 0;
  // The training identity (RunIdentity::training_id): runs with the same one share one trained
  // network within a process. Empty (tests): always train.
  std::string training_id;
  bool training = false;         // set by the task while it trains: random() and make() use the training key
  // The results file this run goes to ("" or "memory" if none): a training it already holds (a
  // complete run with the same training id) is read back instead of being trained again.
  std::string results_file;
  // Set by a runner that can share this run's SC evaluation with idle processes (spinsc run under
  // mpirun); nullptr: the run evaluates everything itself. See spinsc/sc_evaluation_sharing.hpp.
  ScEvaluationSharing* sc_sharing = nullptr;
  // Set by a runner that can hand the other runs of this run's training to other processes
  // (spinsc run under mpirun): the network task calls it with the training id once the
  // training's network is kept for reuse in this process (trained, or read from a file), before
  // the run's own evaluations. Empty: nobody is told.
  std::function<void(const std::string& training_id)> network_ready;

  std::uint64_t stream_key() const { return training ? training_stream_key : evaluation_stream_key; }
  RandomStream random(std::string_view purpose, std::uint64_t instance = 0) const {
    return RandomStream(seed, purpose, stream_key(), instance);
  }
  // Makes the plugin `plugin_id` (e.g. "device.lfsr") from this run's configuration, as T.
  // Throws with the list of available plugins of that kind if unknown, or a clear message if
  // the plugin is not a T.
  template <class T>
  std::unique_ptr<T> make(const std::string& plugin_id, std::uint64_t instance = 0) const;
};

using TaskFunction = std::function<void(RunContext&)>;

// Framework sections ([data], [network], [train], [eval], [device], [sc], ...) declare their keys
// the same way plugins do. Registration happens at load time of the framework library.
struct SectionRegistration {
  SectionRegistration(const char* section, void (*declare)(OptionsBuilder&));
};
struct TaskRegistration {
  TaskRegistration(const char* task, void (*run)(RunContext&), const char* description);
};

}  // namespace spinsc

#define SPINSC_CONCAT_INNER(a, b) a##b
#define SPINSC_CONCAT(a, b) SPINSC_CONCAT_INNER(a, b)
#define SPINSC_REGISTER_SECTION(section_literal, declare_function) \
  static const ::spinsc::SectionRegistration SPINSC_CONCAT(spinsc_section_, __LINE__)(section_literal, declare_function);
#define SPINSC_REGISTER_TASK(task_literal, run_function, description_literal) \
  static const ::spinsc::TaskRegistration SPINSC_CONCAT(spinsc_task_, __LINE__)(task_literal, run_function, description_literal);

#include "spinsc/plugin_registry.hpp"

template <class T>
std::unique_ptr<T> spinsc::RunContext::make(const std::string& plugin_id, std::uint64_t instance) const {
  return create_as<T>(registry, plugin_id, config.values(), ComponentContext{seed, stream_key(), instance});
}
