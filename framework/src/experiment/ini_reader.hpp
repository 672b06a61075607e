#pragma once
// A line-by-line INI reader that remembers where every entry came from, so that every later
// error can name the file and the line. Syntax (Boost.Program_options config files, plus ';'):
//   [section]          a section header (name: letters, digits, '_', '.', '-')
//   key = value        an entry; the key is letters, digits, '_', '.', '-'
//   # comment, ; comment    also after a value: the rest of the line is ignored
// Blank lines are skipped; anything else is a malformed line (ExperimentError "file:line: ...").
#include <string>
#include <vector>

namespace spinsc::experiment_detail {

// Section headers are entries too (with an empty key), so that a bad section is reported at its
// header's line even when the section is empty.
struct IniEntry {
  std::string section;  // "" before the first header
  std::string key;      // "" for a section header
  std::string value;    // trimmed, comment removed
  int line = 0;         // 1-based
};

std::vector<IniEntry> read_ini(const std::string& text, const std::string& source_name);

// "file:line"
std::string location(const std::string& source_name, int line);

}  // namespace spinsc::experiment_detail
