#pragma once
// The framework's own sections and tasks, registered at load time with SPINSC_REGISTER_SECTION
// and SPINSC_REGISTER_TASK (see run_context.hpp). The experiment loader composes these sections'
// keys with the keys of the plugins.
#include <string>
#include <vector>

#include "spinsc/run_context.hpp"

namespace spinsc {

struct SectionEntry {
  std::string section;
  void (*declare)(OptionsBuilder&);
};
struct TaskEntry {
  std::string name;
  void (*run)(RunContext&);
  std::string description;
};

// A check of one run point's configuration before any work (spinsc run, --dry-run): throws
// ParamError naming the key when the point cannot run (a layer count that does not match the data
// set, a multiplier given as the activation, ...). Register with SPINSC_REGISTER_RUN_CHECK.
using RunCheckFunction = void (*)(const Params& config, const PluginRegistry& registry);
struct RunCheckEntry {
  std::string task;
  RunCheckFunction check;
};
struct RunCheckRegistration {
  RunCheckRegistration(const char* task, RunCheckFunction check);
};
const std::vector<RunCheckEntry>& registered_run_checks();

const std::vector<SectionEntry>& registered_sections();  // sorted by section name
const std::vector<TaskEntry>& registered_tasks();        // sorted by task name
const TaskEntry& find_task(const std::string& name);     // throws ParamError listing the tasks

}  // namespace spinsc

#define SPINSC_REGISTER_RUN_CHECK(task_literal, check_function) \
  static const ::spinsc::RunCheckRegistration SPINSC_CONCAT(spinsc_run_check_, __LINE__)(task_literal, check_function);
