#include "results/results_identity.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

namespace spinsc::results {

namespace {
std::string trim(const std::string& s) {
  const auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return {};
  const auto end = s.find_last_not_of(" \t\r\n");
  return s.substr(begin, end - begin + 1);
}

std::string shorten(const std::string& s) { return s.size() <= 60 ? s : s.substr(0, 57) + "..."; }
}  // namespace

IdentityFields identity_fields(const ExperimentIdentity& identity) {
  return IdentityFields{identity.experiment_text, identity.effective, identity.overrides, identity.seed};
}

std::string normalized_experiment_text(const std::string& text) {
  std::istringstream in(text);
  std::string line, out;
  while (std::getline(in, line)) {
    line = trim(line);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    out += line;
    out += '\n';
  }
  return out;
}

std::optional<std::string> identity_difference(const IdentityFields& stored, const IdentityFields& current) {
  if (stored.seed != current.seed) {
    return "seed is " + std::to_string(stored.seed) + " in the file, " + std::to_string(current.seed) + " now";
  }
  const std::map<std::string, std::string> a(stored.effective.begin(), stored.effective.end());
  const std::map<std::string, std::string> b(current.effective.begin(), current.effective.end());
  for (const auto& [key, value] : a) {
    auto it = b.find(key);
    if (it == b.end()) return "key '" + key + "' is in the file's configuration but not in this one";
    if (it->second != value) {
      return "key '" + key + "' is '" + shorten(value) + "' in the file, '" + shorten(it->second) + "' now";
    }
  }
  for (const auto& [key, value] : b) {
    if (!a.count(key)) return "key '" + key + "' is in this configuration but not in the file's";
  }
  const std::set<std::string> overrides_a(stored.overrides.begin(), stored.overrides.end());
  const std::set<std::string> overrides_b(current.overrides.begin(), current.overrides.end());
  for (const auto& o : overrides_b) {
    if (!overrides_a.count(o)) return "override '" + shorten(o) + "' is given now but was not for the file";
  }
  for (const auto& o : overrides_a) {
    if (!overrides_b.count(o)) return "override '" + shorten(o) + "' was given for the file but is not now";
  }
  if (normalized_experiment_text(stored.experiment_text) != normalized_experiment_text(current.experiment_text)) {
    return "the experiment file text differs (beyond comments and blank lines)";
  }
  return std::nullopt;
}

}  // namespace spinsc::results
