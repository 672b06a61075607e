#include "spinsc/version.hpp"

// Generated at build time by cmake/SpinscGitRevision.cmake (defines SPINSC_GIT_REVISION).
#include "spinsc_git_revision.h"

namespace spinsc {

std::string version() { return SPINSC_VERSION; }
std::string git_revision() { return SPINSC_GIT_REVISION; }

}  // namespace spinsc
