#pragma once
// The spinsc command line: one function per subcommand, each in its own file.
// Each gets the arguments after the subcommand name and returns the process exit code.
#include <string>
#include <vector>

namespace spinsc::cli {

using Arguments = std::vector<std::string>;

int command_plugins(const Arguments& args);   // spinsc plugins
int command_describe(const Arguments& args);  // spinsc describe KIND.NAME

}  // namespace spinsc::cli
