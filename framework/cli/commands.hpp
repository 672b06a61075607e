#pragma once
// The spinsc command line: one subcommand per file, each registering itself with
// SPINSC_CLI_COMMAND(name, function, summary). A command gets the arguments after its name and
// returns the process exit code; it prints its own --help.
#include <string>
#include <vector>

namespace spinsc::cli {

using Arguments = std::vector<std::string>;
using CommandFunction = int (*)(const Arguments&);

struct CommandEntry {
  std::string name;
  CommandFunction run;
  std::string summary;
};
const std::vector<CommandEntry>& registered_commands();  // sorted by name

struct CommandRegistration {
  CommandRegistration(const char* name, CommandFunction run, const char* summary);
};

}  // namespace spinsc::cli

#define SPINSC_CLI_CONCAT_INNER(a, b) a##b
#define SPINSC_CLI_CONCAT(a, b) SPINSC_CLI_CONCAT_INNER(a, b)
#define SPINSC_CLI_COMMAND(name_literal, function, summary_literal) \
  static const ::spinsc::cli::CommandRegistration SPINSC_CLI_CONCAT(spinsc_cli_command_, __LINE__)( \
      name_literal, function, summary_literal);
