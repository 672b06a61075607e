// spinsc experiments: the experiment files shipped with spinsc, each with what its header comment
// says first.
#include <fmt/core.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "commands.hpp"
#include "spinsc/results_table.hpp"
#include "spinsc/shipped_files.hpp"

namespace spinsc::cli {

namespace fs = std::filesystem;

namespace {

// The first sentence of the file's leading comment block ("# ..." or "; ..." lines), one line.
std::string first_sentence(const fs::path& file) {
  std::ifstream in(file);
  std::string line, text;
  while (std::getline(in, line)) {
    const auto start = line.find_first_not_of(" \t");
    if (start == std::string::npos || (line[start] != '#' && line[start] != ';')) break;
    std::string part = line.substr(start + 1);
    part.erase(0, part.find_first_not_of(" \t"));
    if (part.empty()) break;
    text += (text.empty() ? "" : " ") + part;
    // A sentence ends at ". " or a final "." (not "e.g." inside a word: the next char is a space).
    const auto end = text.find(". ");
    if (end != std::string::npos) return text.substr(0, end + 1);
    if (!text.empty() && text.back() == '.') return text;
  }
  return text.empty() ? "(no header comment)" : text;
}

}  // namespace

int command_experiments(const Arguments& args) {
  if (!args.empty()) {
    const bool help = args[0] == "--help" || args[0] == "-h";
    if (!help) {  // a usage error names what was not understood
      fmt::print(stderr, "spinsc experiments: unexpected argument '{}' (the command takes none)\n", args[0]);
      return 2;
    }
    fmt::print(
        "Usage: spinsc experiments\n\nLists the experiment files shipped with spinsc (experiments/ of the source\n"
        "tree, or <prefix>/share/spinsc/experiments when installed), each with the first sentence of its\n"
        "header comment. Run one with `spinsc run FILE`; plan it first with `spinsc describe` for its keys.\n");
    return 0;
  }
  const fs::path root = shipped_root();
  if (root.empty() || !fs::is_directory(root / "experiments")) {
    fmt::print(stderr, "spinsc experiments: no shipped experiments folder in any of {}\n", shipped_root_candidates());
    return 1;
  }
  const fs::path folder = root / "experiments";
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(folder))
    if (entry.is_regular_file() && entry.path().extension() == ".ini") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  const std::size_t width = terminal_width(stdout);
  fmt::print("Experiment files in {}:\n", folder.string());
  // As `spinsc run` takes them: relative to the working folder when inside it, else as found.
  const fs::path here = fs::current_path();
  auto shown = [&](const fs::path& f) {
    const fs::path relative = f.lexically_relative(here);
    return relative.empty() || relative.begin()->string() == ".." ? f.string() : relative.string();
  };
  std::size_t name_width = 0;
  for (const auto& f : files) name_width = std::max(name_width, shown(f).size());
  for (const auto& f : files) {
    const std::string name = shown(f);
    std::string about = first_sentence(f);
    const std::size_t room = width > name_width + 4 ? width - name_width - 4 : 20;
    if (about.size() > room) about = about.substr(0, room > 3 ? room - 3 : room) + "...";
    fmt::print("  {:<{}}  {}\n", name, name_width, about);
  }
  return 0;
}

}  // namespace spinsc::cli

SPINSC_CLI_COMMAND("experiments", spinsc::cli::command_experiments,
                   "list the shipped experiment files, each with its first comment line")
