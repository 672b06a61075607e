#pragma once
// What makes two experiments "the same" for a results file (resume versus refuse):
//  - the experiment text, normalized: each line trimmed, blank lines and whole-line comments
//    (first non-blank character '#' or ';') dropped. Any other edit counts, inline comments too;
//  - the effective configuration: every key = resolved value (order does not matter);
//  - the command-line overrides, as a set (order does not matter);
//  - the experiment seed.
// Not part of it: the experiment's file path, the spinsc version or git revision, plugin
// versions and the time (those are provenance; each run group records the revision it ran with).
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "spinsc/result_store.hpp"

namespace spinsc::results {

struct IdentityFields {
  std::string experiment_text;
  std::vector<std::pair<std::string, std::string>> effective;
  std::vector<std::string> overrides;
  std::uint64_t seed = 0;
};

IdentityFields identity_fields(const ExperimentIdentity& identity);

std::string normalized_experiment_text(const std::string& text);

// nullopt when `stored` and `current` are the same experiment; otherwise the first difference,
// in words ("effective key 'device.lfsr.width' is 16 in the file, 12 now").
std::optional<std::string> identity_difference(const IdentityFields& stored, const IdentityFields& current);

}  // namespace spinsc::results
