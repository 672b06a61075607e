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

const std::vector<SectionEntry>& registered_sections();  // sorted by section name
const std::vector<TaskEntry>& registered_tasks();        // sorted by task name
const TaskEntry& find_task(const std::string& name);     // throws ParamError listing the tasks

}  // namespace spinsc
