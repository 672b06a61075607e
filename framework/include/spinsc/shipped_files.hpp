#pragma once
// Where the files spinsc ships with (data/, experiments/, tools/) are: the install's
// <prefix>/share/spinsc when this spinsc is installed, else the source tree it was built from.
// An installed spinsc uses its own copies, never those of a source tree that may have moved on.
#include <filesystem>
#include <string>

namespace spinsc {

// The folder holding data/ and experiments/, or an empty path if neither place has them.
std::filesystem::path shipped_root();

// A relative path that does not exist from the working folder, but does from shipped_root(),
// is returned from there (so that `file = data/traces/x.h5` in a shipped experiment works from
// any folder and from an install); any other path is returned unchanged.
std::filesystem::path resolve_shipped_path(const std::filesystem::path& path);

// The places shipped_root() looks, in order, for error messages.
std::string shipped_root_candidates();

}  // namespace spinsc
