// The classification of keys into stages and the ids derived from it (see run_identity.hpp).
#include "spinsc/run_identity.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

#include "experiment/composed_options.hpp"
#include "spinsc/experiment.hpp"
#include "spinsc/plugin_registry.hpp"

namespace spinsc {

namespace {

using experiment_detail::default_text;
using experiment_detail::is_list_valued;

enum class Stage { none, data, training, evaluation };

// Framework sections have no dot in their name and plugin ids exactly one (kind.name), so the
// owner of a key is everything before its last dot: "" (top level), a section, or a plugin id.
std::string owner_of(const std::string& key) {
  const std::size_t dot = key.rfind('.');
  return dot == std::string::npos ? "" : key.substr(0, dot);
}

bool affects_results(const po::option_description& option) {
  const auto* info = dynamic_cast<const ParamInfo*>(option.semantic().get());
  return !info || info->affects_results();
}

// The stage of a framework section's keys (plugins get the stage of whoever names them).
Stage stage_of_section(const std::string& section) {
  if (section == "data") return Stage::data;
  if (section == "network" || section == "train") return Stage::training;
  if (section == "sweep") return Stage::none;
  return Stage::evaluation;
}

std::string lines_of(const KeyValues& keys) {
  std::string text;
  for (const auto& [key, value] : keys) text += key + "=" + value + "\n";
  return text;
}

}  // namespace

std::uint64_t identity_hash(const std::string& text) {
  std::uint64_t h = 14695981039346656037ull;  // FNV-1a, 64 bit
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  h ^= h >> 33;  // murmur3 finalizer: every input bit reaches every output bit
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

std::string hex_id(std::uint64_t hash) { return fmt::format("{:016x}", hash); }

RunIdentity identify_run(const Experiment& experiment, const RunPoint& point, const PluginRegistry& registry) {
  // Every key's value at this point, as text: swept value, else explicit setting, else default.
  std::map<std::string, std::string> value;
  std::map<std::string, const po::option_description*> option_of;
  for (const auto& option : experiment.options->options()) {
    const std::string& key = option->long_name();
    option_of[key] = option.get();
    if (auto def = default_text(*option)) value[key] = *def;
  }
  for (const auto& [key, setting] : experiment.settings) value[key] = setting.value;
  for (const auto& [key, v] : point.swept)
    if (key != "repeat") value[key] = v;

  std::set<std::string> plugin_ids;
  for (const auto& entry : registry.entries())
    if (entry.usable()) plugin_ids.insert(entry.id);
  std::map<std::string, std::vector<std::string>> keys_of_owner;
  for (const auto& [key, v] : value) keys_of_owner[owner_of(key)].push_back(key);

  // Stage of each owner: framework sections by rule, plugins by the stage that names them.
  // A network read from a results file ([network] from) is not trained: [train] and the training
  // strategy it names have no effect on the run.
  const bool network_from_file = !value["network.from"].empty();
  std::map<std::string, Stage> stage;
  for (const auto& [owner, keys] : keys_of_owner)
    if (!owner.empty() && !plugin_ids.count(owner))
      stage[owner] = network_from_file && owner == "train" ? Stage::none : stage_of_section(owner);
  const po::variables_map config = experiment.config_for(point);

  // Owners of `wanted` stage name plugins; those (and the sections they read) join the stage.
  auto spread = [&](Stage wanted) {
    std::vector<std::string> to_visit;
    for (const auto& [owner, s] : stage)
      if (s == wanted || (wanted == Stage::training && s == Stage::data)) to_visit.push_back(owner);
    if (wanted == Stage::training) to_visit.push_back("");  // the task
    std::set<std::string> visited;
    while (!to_visit.empty()) {
      const std::string owner = to_visit.back();
      to_visit.pop_back();
      if (!visited.insert(owner).second) continue;
      for (const auto& key : keys_of_owner[owner]) {
        std::vector<std::string> items{value[key]};
        if (is_list_valued(*option_of[key])) items = split_list(value[key]);
        for (const auto& item : items) {
          if (!plugin_ids.count(item)) continue;
          auto [it, added] = stage.emplace(item, wanted);
          if (added || (wanted == Stage::training && it->second == Stage::evaluation)) {
            it->second = wanted;
            to_visit.push_back(item);
          }
        }
      }
      if (plugin_ids.count(owner) && wanted == Stage::training) {
        for (const auto& section : registry.sections_read(owner, config)) {
          if (!keys_of_owner.count(section)) continue;
          stage[section] = Stage::training;
          to_visit.push_back(section);
        }
      }
    }
  };
  spread(Stage::training);
  spread(Stage::evaluation);

  RunIdentity id;
  for (const auto& [key, v] : value) {
    const std::string owner = owner_of(key);
    Stage s = Stage::none;
    if (owner.empty()) {
      s = key == "task" ? Stage::training : Stage::none;  // name and seed: the seed enters the ids itself
    } else if (auto it = stage.find(owner); it != stage.end()) {
      s = it->second;
    }
    if (s == Stage::none || !affects_results(*option_of[key])) continue;
    (s == Stage::data ? id.data_keys : s == Stage::training ? id.training_keys : id.evaluation_keys).emplace_back(key, v);
  }
  for (const auto& [owner, s] : stage) {
    if (!plugin_ids.count(owner)) continue;
    (s == Stage::evaluation ? id.evaluation_plugins : id.training_plugins).push_back(owner);
  }
  const std::uint64_t training_hash =
      identity_hash(fmt::format("seed={}\n", point.seed) + lines_of(id.data_keys) + lines_of(id.training_keys));
  id.training_id = hex_id(training_hash);
  id.run_id = hex_id(identity_hash(id.training_id + "\n" + lines_of(id.evaluation_keys)));
  id.training_stream_key = identity_hash("training streams " + id.training_id);
  id.evaluation_stream_key = identity_hash("evaluation streams " + id.training_id);
  return id;
}

}  // namespace spinsc
