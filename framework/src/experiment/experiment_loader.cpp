// Reads an experiment file line by line, validates every key and value against the composed
// options, applies command-line overrides, expands the sweep and resolves the plugins used.
#include <algorithm>
#include <boost/algorithm/string/trim.hpp>
#include <map>
#include <fstream>
#include <sstream>

#include "experiment/composed_options.hpp"
#include "experiment/ini_reader.hpp"
#include "experiment/plugin_use.hpp"
#include "experiment/technology_file.hpp"
#include "spinsc/experiment.hpp"
#include "spinsc/framework_parts.hpp"
#include "spinsc/plugin_registry.hpp"
#include "error_text.hpp"

namespace spinsc {

ExperimentError::~ExperimentError() = default;

namespace {

using namespace experiment_detail;

std::string joined(const std::vector<std::string>& items, const std::string& separator = ", ") {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : separator) + item;
  return text;
}

class Loader {
 public:
  Loader(const PluginRegistry& registry, Experiment& experiment)
      : registry_(registry), experiment_(experiment), options_(compose_options(registry)) {
    experiment_.options = options_.description;
  }

  void read_file_entries(const std::string& source_name) {
    for (const IniEntry& entry : read_ini(experiment_.text, source_name)) {
      const std::string where = location(source_name, entry.line);
      if (entry.key.empty()) {  // a section header
        check_section(entry.section, where);
        continue;
      }
      if (entry.section == "sweep" && entry.key != "mode" && entry.key != "repeats") {
        add_axis(entry.key, entry.value, where);
        continue;
      }
      const std::string key = entry.section.empty() ? entry.key : entry.section + "." + entry.key;
      if (!options_.find(key)) throw unknown_key(entry.section, entry.key, where);
      if (auto previous = experiment_.settings.find(key); previous != experiment_.settings.end())
        throw ExperimentError(where + ": key '" + key + "' is set twice (first at " + previous->second.origin + ")");
      set(key, entry.value, where);
    }
  }

  void apply_override(const std::string& text) {
    const std::string where = "command line --" + text;
    const std::size_t equals = text.find('=');
    if (equals == std::string::npos || equals == 0)
      throw ExperimentError(where + ": expected --section.key=value");
    const std::string key = boost::algorithm::trim_copy(text.substr(0, equals));
    const std::string value = boost::algorithm::trim_copy(text.substr(equals + 1));
    if (key.rfind("sweep.", 0) == 0 && key != "sweep.mode" && key != "sweep.repeats") {
      const std::string swept_key = key.substr(6);
      std::erase_if(axes_, [&](const SweepAxis& axis) { return axis.key == swept_key; });
      add_axis(swept_key, value, where);
      return;
    }
    if (!options_.find(key)) {
      const std::size_t dot = key.rfind('.');
      throw unknown_key(dot == std::string::npos ? "" : key.substr(0, dot), key.substr(dot + 1), where);
    }
    // A fixed value for a swept key ends that sweep axis.
    std::erase_if(axes_, [&](const SweepAxis& axis) { return axis.key == key; });
    set(key, value, where);
  }

  void resolve() {
    experiment_.name = value_of("name");
    if (experiment_.name.empty()) experiment_.name = std::filesystem::path(source_name_).stem().string();
    // The default results file is results/<name>.h5: a name with folders in it ("../../x", "/tmp/x")
    // would write outside results/.
    const std::string& name = experiment_.name;
    if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos ||
        name.find('\0') != std::string::npos)
      throw ExperimentError(source_name_ + ": name = '" + shown_in_error(name) + "' is not a plain file name (no " +
                            "folders); results go to results/<name>.h5, use -o to write elsewhere");
    experiment_.seed = std::stoull(value_of("seed"));
    if (!experiment_.settings.count("task")) {
      std::vector<std::string> tasks;
      for (const auto& task : registered_tasks()) tasks.push_back(task.name);
      throw ExperimentError(source_name_ + ": the top-level key 'task' is missing. Valid tasks are: " + joined(tasks));
    }
    experiment_.task = value_of("task");
    experiment_.sweep_mode = value_of("sweep.mode");
    experiment_.repeats = std::stoull(value_of("sweep.repeats"));
    apply_technology();
    experiment_.axes = axes_;
    try {
      experiment_.points = expand_run_points(experiment_.sweep_mode, axes_, experiment_.repeats, experiment_.seed);
    } catch (const ExperimentError& e) {
      throw ExperimentError(source_name_ + " [sweep]: " + e.what());
    }
    resolve_plugins(options_, registry_, experiment_);
    for (RunPoint& point : experiment_.points) point.identity = identify_run(experiment_, point, registry_);
  }

  void set_source_name(std::string name) { source_name_ = std::move(name); }

 private:
  // [sc] technology: the chosen file's keys are set where nothing else set them (the experiment
  // file, the command line and the sweep win). Every key is validated as if it were in the
  // experiment file, and its origin names the technology file and line.
  void apply_technology() {
    for (const auto& axis : axes_)
      if (axis.key == "sc.technology")
        throw ExperimentError(axis.origin + ": cannot sweep over 'sc.technology': sweep the keys it sets instead");
    const auto chosen = experiment_.settings.find("sc.technology");
    if (chosen == experiment_.settings.end() || chosen->second.value.empty()) return;
    const std::string& where = chosen->second.origin;
    const std::filesystem::path file = find_technology_file(chosen->second.value, source_name_, where);
    std::ifstream in(file, std::ios::binary);
    if (!in) throw ExperimentError(where + ": cannot read technology file '" + file.string() + "'");
    std::ostringstream text;
    text << in.rdbuf();
    const std::string name = file.string();
    std::map<std::string, std::string> seen;  // key -> where in the technology file
    for (const IniEntry& entry : read_ini(text.str(), name)) {
      const std::string at = location(name, entry.line);
      if (entry.key.empty()) {
        if (entry.section == "sweep")
          throw ExperimentError(at + ": a technology file cannot have a [sweep] section (it prices units)");
        check_section(entry.section, at);
        continue;
      }
      const std::string key = entry.section.empty() ? entry.key : entry.section + "." + entry.key;
      if (!options_.find(key)) throw unknown_key(entry.section, entry.key, at);
      if (key == "sc.technology" || entry.section.empty())
        throw ExperimentError(at + ": '" + key + "' cannot be set by a technology file (it prices units: keys of "
                              "[sc] and of the sections of plugins)");
      if (auto previous = seen.find(key); previous != seen.end())
        throw ExperimentError(at + ": key '" + key + "' is set twice (first at " + previous->second + ")");
      seen[key] = at;
      if (experiment_.settings.count(key)) continue;  // the experiment's own value wins
      if (std::any_of(axes_.begin(), axes_.end(), [&](const SweepAxis& axis) { return axis.key == key; })) continue;
      set(key, entry.value, kTechnologyOrigin + at);
    }
  }

  void set(const std::string& key, const std::string& value, const std::string& where) {
    check_value(options_, key, value, where);
    experiment_.settings[key] = Setting{key, value, where};
  }

  // The value of a framework key: explicit, else its default (these keys all have one, but task).
  std::string value_of(const std::string& key) const {
    if (auto it = experiment_.settings.find(key); it != experiment_.settings.end()) return it->second.value;
    return default_text(*options_.find(key)).value_or("");
  }

  void add_axis(const std::string& key, const std::string& text, const std::string& where) {
    const po::option_description* option = options_.find(key);
    if (!option || key.rfind("sweep.", 0) == 0)
      throw ExperimentError(where + ": cannot sweep over '" + key +
                            "': no component declares that key (spinsc describe SECTION lists the keys)");
    for (const auto& axis : axes_)
      if (axis.key == key) throw ExperimentError(where + ": '" + key + "' is swept twice (first at " + axis.origin + ")");
    SweepAxis axis{key, {}, where};
    try {
      axis.values = expand_sweep_values(text, is_list_valued(*option));
    } catch (const ExperimentError& e) {
      throw ExperimentError(where + ": sweep over '" + key + "': " + e.what());
    }
    for (const auto& value : axis.values) check_value(options_, key, value, where);
    axes_.push_back(std::move(axis));
  }

  void check_section(const std::string& section, const std::string& where) const {
    if (section.empty() || options_.framework_sections.count(section) || options_.plugin_ids.count(section)) return;
    const std::string kind = section.substr(0, section.find('.'));
    if (section.find('.') != std::string::npos && (kind == "device" || kind == "sc" || kind == "train")) {
      try {
        registry_.find(section);
      } catch (const std::exception& e) {
        throw ExperimentError(where + ": section [" + section + "]: " + e.what() + broken_libraries(registry_));
      }
    }
    std::vector<std::string> valid(options_.framework_sections.begin(), options_.framework_sections.end());
    for (const auto& id : options_.plugin_ids) valid.push_back(id);
    throw ExperimentError(where + ": unknown section [" + section + "]. Valid sections are: [" + joined(valid, "], [") +
                          "] (and keys before any section: " + joined(options_.keys_of("")) + ")");
  }

  ExperimentError unknown_key(const std::string& section, const std::string& key, const std::string& where) const {
    const std::string full = section.empty() ? key : section + "." + key;
    if (!section.empty() && !options_.framework_sections.count(section) && !options_.plugin_ids.count(section)) {
      check_section(section, where);  // throws the better message about the section itself
    }
    const std::string shown_section = section.empty() ? "top level" : "[" + section + "]";
    return ExperimentError(where + ": unknown key '" + key + "' in " + shown_section + " ('" + full +
                           "'). Valid keys there are: " + joined(options_.keys_of(section)));
  }

  const PluginRegistry& registry_;
  Experiment& experiment_;
  ComposedOptions options_;
  std::vector<SweepAxis> axes_;
  std::string source_name_;
};

}  // namespace

Experiment load_experiment_text(const std::string& text, const std::string& source_name,
                                const std::vector<std::string>& overrides, const PluginRegistry& registry) {
  Experiment experiment;
  experiment.text = text;
  experiment.overrides = overrides;
  Loader loader(registry, experiment);
  loader.set_source_name(source_name);
  loader.read_file_entries(source_name);
  for (const auto& item : overrides) loader.apply_override(item);
  loader.resolve();
  return experiment;
}

Experiment load_experiment(const std::filesystem::path& file, const std::vector<std::string>& overrides,
                           const PluginRegistry& registry) {
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec))
    throw ExperimentError("experiment file '" + file.string() + "' is a folder, not a file");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ExperimentError("cannot read experiment file '" + file.string() + "'");
  std::ostringstream text;
  text << in.rdbuf();
  Experiment experiment = load_experiment_text(text.str(), file.string(), overrides, registry);
  experiment.source_path = std::filesystem::absolute(file).string();
  return experiment;
}

}  // namespace spinsc
