#include "spinsc/framework_parts.hpp"

#include <algorithm>

namespace spinsc {

namespace {
std::vector<SectionEntry>& sections() {
  static std::vector<SectionEntry> list;
  return list;
}
std::vector<TaskEntry>& tasks() {
  static std::vector<TaskEntry> list;
  return list;
}
std::vector<RunCheckEntry>& run_checks() {
  static std::vector<RunCheckEntry> list;
  return list;
}
}  // namespace

RunCheckRegistration::RunCheckRegistration(const char* task, RunCheckFunction check) {
  run_checks().push_back({task, check});
}
const std::vector<RunCheckEntry>& registered_run_checks() { return run_checks(); }

SectionRegistration::SectionRegistration(const char* section, void (*declare)(OptionsBuilder&)) {
  auto& list = sections();
  list.push_back({section, declare});
  std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.section < b.section; });
}

TaskRegistration::TaskRegistration(const char* task, void (*run)(RunContext&), const char* description) {
  auto& list = tasks();
  list.push_back({task, run, description});
  std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
}

const std::vector<SectionEntry>& registered_sections() { return sections(); }
const std::vector<TaskEntry>& registered_tasks() { return tasks(); }

const TaskEntry& find_task(const std::string& name) {
  for (const auto& t : tasks())
    if (t.name == name) return t;
  std::string valid;
  for (const auto& t : tasks()) valid += (valid.empty() ? "" : ", ") + t.name;
  throw ParamError("unknown task '" + name + "'. Valid tasks are: " + valid);
}

}  // namespace spinsc
