#include "plugin_roles.hpp"

#include <algorithm>

#include "spinsc/sc_units.hpp"

namespace spinsc::cli {

std::string sc_role(const PluginRegistry& registry, const std::string& id) {
  if (id.rfind("sc.", 0) != 0) return "";
  try {
    po::options_description description;
    registry.declare_options(id, description);
    po::variables_map defaults;
    po::store(po::parsed_options(&description), defaults);  // no values given: every default
    po::notify(defaults);
    const std::unique_ptr<Component> made = registry.create(id, defaults, ComponentContext{});
    if (dynamic_cast<const Multiplier*>(made.get())) return "multiplier";
    if (dynamic_cast<const Adder*>(made.get())) return "adder";
    if (dynamic_cast<const Activation*>(made.get())) return "activation";
  } catch (const std::exception&) {
  }
  return "";
}

namespace {
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}
}  // namespace

std::vector<std::string> close_names(const std::string& wanted, const std::vector<std::string>& candidates) {
  // The part after the kind ("lfsr" of "device.lfsr") is compared too: "describe lfsr" finds it.
  auto tail = [](const std::string& s) { return s.substr(s.find('.') == std::string::npos ? 0 : s.find('.') + 1); };
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const auto& candidate : candidates) {
    std::size_t d = std::min(edit_distance(wanted, candidate), edit_distance(tail(wanted), tail(candidate)));
    const bool contains = !tail(wanted).empty() && candidate.find(tail(wanted)) != std::string::npos;
    if (contains) d = std::min<std::size_t>(d, 1);
    if (d <= std::max<std::size_t>(2, tail(wanted).size() / 3)) scored.emplace_back(d, candidate);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> names;
  for (const auto& [d, name] : scored) names.push_back(name);
  return names;
}

}  // namespace spinsc::cli
