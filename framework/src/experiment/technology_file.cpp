#include "experiment/technology_file.hpp"

#include <algorithm>

#include "spinsc/experiment.hpp"
#include "spinsc/shipped_files.hpp"

namespace spinsc::experiment_detail {

namespace fs = std::filesystem;

namespace {

// The folder a bare technology name is looked up in: data/technology of the shipped files
// (an installed spinsc's own copy, else the source tree it was built from; shipped_files.hpp).
std::vector<fs::path> technology_folders() {
  const fs::path root = shipped_root();
  if (root.empty()) return {};
  return {root / "data" / "technology"};
}

bool is_path(const std::string& value) {
  return value.find('/') != std::string::npos || (value.size() > 4 && value.ends_with(".ini"));
}

}  // namespace

std::vector<std::string> shipped_technologies() {
  std::vector<std::string> names;
  for (const auto& folder : technology_folders()) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(folder, ec))
      if (entry.path().extension() == ".ini") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

fs::path find_technology_file(const std::string& value, const std::string& experiment_source,
                              const std::string& where) {
  std::vector<fs::path> candidates;
  if (is_path(value)) {
    const fs::path given(value);
    if (given.is_absolute()) {
      candidates.push_back(given);
    } else {
      const fs::path folder = fs::path(experiment_source).parent_path();
      if (!folder.empty()) candidates.push_back(folder / given);
      candidates.push_back(given);
    }
  } else {
    for (const auto& folder : technology_folders()) candidates.push_back(folder / (value + ".ini"));
  }
  std::string looked;
  if (candidates.empty()) looked = "\n  (no shipped files at any of: " + shipped_root_candidates() + ")";
  for (const auto& candidate : candidates) {
    if (fs::is_regular_file(candidate)) return candidate;
    looked += "\n  " + candidate.string();
  }
  std::string shipped;
  for (const auto& name : shipped_technologies()) shipped += (shipped.empty() ? "" : ", ") + name;
  throw ExperimentError(where + ": technology file '" + value + "' not found; looked at:" + looked +
                        "\nShipped technologies: " + (shipped.empty() ? "(none found)" : shipped));
}

}  // namespace spinsc::experiment_detail
