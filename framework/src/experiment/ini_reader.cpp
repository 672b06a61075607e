#include "experiment/ini_reader.hpp"

#include <boost/algorithm/string/trim.hpp>
#include <sstream>

#include "spinsc/experiment.hpp"
#include "error_text.hpp"

namespace spinsc::experiment_detail {

namespace {
bool is_name(const std::string& text) {
  if (text.empty()) return false;
  for (char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '.' || c == '-';
    if (!ok) return false;
  }
  return text.front() != '.' && text.back() != '.';
}

std::string without_comment(const std::string& line) {
  const std::size_t cut = line.find_first_of("#;");
  return cut == std::string::npos ? line : line.substr(0, cut);
}
}  // namespace

std::string location(const std::string& source_name, int line) {
  return source_name + ":" + std::to_string(line);
}

std::vector<IniEntry> read_ini(const std::string& text, const std::string& source_name) {
  std::vector<IniEntry> entries;
  std::istringstream in(text);
  std::string raw;
  std::string section;
  int line_number = 0;
  while (std::getline(in, raw)) {
    ++line_number;
    if (!raw.empty() && raw.back() == '\r') raw.pop_back();  // files written on Windows
    std::string line = without_comment(raw);
    boost::algorithm::trim(line);
    if (line.empty()) continue;
    const std::string where = location(source_name, line_number);
    if (line.front() == '[') {
      std::string name = line.size() >= 2 && line.back() == ']' ? line.substr(1, line.size() - 2) : "";
      boost::algorithm::trim(name);
      if (!is_name(name))
        throw ExperimentError(where + ": malformed section header '" + shown_in_error(boost::algorithm::trim_copy(raw)) +
                              "': expected [section] with a name of letters, digits, '_', '.', '-'");
      section = name;
      entries.push_back(IniEntry{section, "", "", line_number});
      continue;
    }
    const std::size_t equals = line.find('=');
    if (equals == std::string::npos)
      throw ExperimentError(where + ": malformed line '" + shown_in_error(boost::algorithm::trim_copy(raw)) +
                            "': expected 'key = value' or '[section]'");
    IniEntry entry;
    entry.section = section;
    entry.key = boost::algorithm::trim_copy(line.substr(0, equals));
    entry.value = boost::algorithm::trim_copy(line.substr(equals + 1));
    entry.line = line_number;
    if (!is_name(entry.key))
      throw ExperimentError(where + ": malformed line '" + shown_in_error(boost::algorithm::trim_copy(raw)) + "': the key '" +
                            entry.key + "' is not a name (letters, digits, '_', '.', '-')");
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace spinsc::experiment_detail
