#pragma once
// The spinsc version (CMake project version, e.g. "0.1.0") and the git revision the framework
// library was built from: `git rev-parse --short HEAD`, with "-dirty" when the working tree had
// changes, or "unknown" outside a git checkout. Both go into every results file.
#include <string>

namespace spinsc {

std::string version();
std::string git_revision();

}  // namespace spinsc
