#pragma once
// Technology files: the energies (and other costs) of the SC units and the DAC level in one
// process, as experiment keys in an INI file under data/technology/ (docs/sc.md, "Technology
// files"). An experiment chooses one with `[sc] technology = NAME` (or a path to such a file); its
// keys then act as defaults: a key the experiment file, the command line or the sweep sets wins.
#include <filesystem>
#include <string>
#include <vector>

namespace spinsc::experiment_detail {

// Where `[sc] technology = value` points: a value with a '/' or ending in ".ini" is a path (a
// relative one from the experiment file's folder, then from the working directory); a bare name
// is <name>.ini in the installed share/spinsc/data/technology/, then in the source tree's
// data/technology/. Throws ExperimentError naming `where`, the value and every place looked at.
std::filesystem::path find_technology_file(const std::string& value, const std::string& experiment_source,
                                           const std::string& where);

// The names of the technology files shipped (for messages): the stems of data/technology/*.ini.
std::vector<std::string> shipped_technologies();

}  // namespace spinsc::experiment_detail
