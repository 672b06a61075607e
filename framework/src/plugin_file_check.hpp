#pragma once
// A look at a candidate plugin library before dlopen: the loader maps the file's segments and
// touches them, so a truncated or damaged .so on the plugin path would kill the process with
// SIGBUS (a mapped page beyond the end of the file) instead of being listed with its error.
#include <filesystem>
#include <string>

namespace spinsc {

// "" when `file` is an ELF shared object for this machine whose headers and loadable segments
// lie within the file; otherwise what is wrong ("truncated: ...", "not an ELF file", ...).
std::string shared_library_problem(const std::filesystem::path& file);

}  // namespace spinsc
