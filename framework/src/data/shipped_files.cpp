// Where shipped files are (see spinsc/shipped_files.hpp).
#include "spinsc/shipped_files.hpp"

#include <boost/dll/runtime_symbol_info.hpp>
#include <vector>

#ifndef SPINSC_SOURCE_DIR
#define SPINSC_SOURCE_DIR "."
#endif
#ifndef SPINSC_LIB_TO_SHARE
#define SPINSC_LIB_TO_SHARE "../share/spinsc"
#endif

namespace spinsc {

namespace fs = std::filesystem;

namespace {

// Installed first: <prefix>/bin/../share/spinsc beside the program, then the share folder seen
// from this libspinsc (a program of the user's linked against an installed spinsc); last the
// source tree. A build tree has neither share folder, so it uses its source tree.
std::vector<fs::path> candidates() {
  std::vector<fs::path> list;
  std::error_code ec;
  const fs::path program = boost::dll::program_location(ec).string();
  if (!ec) list.push_back((program.parent_path() / ".." / "share" / "spinsc").lexically_normal());
  ec.clear();
  const fs::path library = boost::dll::this_line_location(ec).string();
  if (!ec) list.push_back((library.parent_path() / SPINSC_LIB_TO_SHARE).lexically_normal());
  list.push_back(fs::path(SPINSC_SOURCE_DIR).lexically_normal());
  return list;
}

}  // namespace

fs::path shipped_root() {
  std::error_code ec;
  for (const auto& candidate : candidates())
    if (fs::is_directory(candidate / "data", ec) || fs::is_directory(candidate / "experiments", ec)) return candidate;
  return {};
}

fs::path resolve_shipped_path(const fs::path& path) {
  std::error_code ec;
  if (path.empty() || path.is_absolute() || fs::exists(path, ec)) return path;
  const fs::path root = shipped_root();
  if (!root.empty() && fs::exists(root / path, ec)) return root / path;
  return path;
}

std::string shipped_root_candidates() {
  std::string text;
  for (const auto& candidate : candidates()) text += (text.empty() ? "" : ", ") + candidate.string();
  return text;
}

}  // namespace spinsc
