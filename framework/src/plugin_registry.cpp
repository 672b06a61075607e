#include "spinsc/plugin_registry.hpp"

#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/dll/shared_library.hpp>
#include <algorithm>
#include <cstdlib>
#include <set>

#include "plugin_file_check.hpp"

namespace spinsc {

namespace fs = std::filesystem;

struct PluginRegistry::Library {
  boost::dll::shared_library library;
  PluginOptionsFunction* options = nullptr;
  PluginCreateFunction* create = nullptr;
  PluginReadsFunction* reads = nullptr;  // optional
};

std::vector<fs::path> PluginRegistry::default_search_path() {
  std::vector<fs::path> path;
  // Installed layout: <prefix>/lib/libspinsc.so and <prefix>/lib/spinsc/plugins/<id>/. An
  // installed libspinsc uses its own prefix's plugins, never the build tree it was built in
  // (which may be gone, or hold newer plugins that would shadow the installed ones).
  const fs::path installed =
      fs::path(boost::dll::this_line_location().parent_path().string() + "/spinsc/plugins").lexically_normal();
  if (fs::is_directory(installed)) {
    path.push_back(installed);
  } else {
#ifdef SPINSC_BUILD_PLUGIN_DIR
    if (fs::is_directory(SPINSC_BUILD_PLUGIN_DIR)) path.emplace_back(SPINSC_BUILD_PLUGIN_DIR);
#endif
  }
  if (const char* extra = std::getenv("SPINSC_PLUGIN_PATH")) {
    std::string text(extra);
    std::size_t start = 0;
    while (start <= text.size()) {
      const std::size_t colon = text.find(':', start);
      const std::string item = text.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
      if (!item.empty()) path.emplace_back(item);
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
  }
  return path;
}

PluginRegistry::PluginRegistry(std::vector<fs::path> search_path) : search_path_(std::move(search_path)) {
  for (const auto& folder : search_path_) scan(folder);
}

// Libraries stay loaded for the life of the process: objects made by a plugin (components, option
// semantics, exceptions) may outlive the registry that loaded it, and unloading under them crashes.
PluginRegistry::~PluginRegistry() {
  static auto* kept_loaded = new std::vector<std::unique_ptr<Library>>();  // never freed, on purpose
  for (auto& entry : libraries_) kept_loaded->push_back(std::move(entry.second));
}

void PluginRegistry::scan(const fs::path& folder) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return;
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(folder, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file(ec) && it->path().extension() == ".so") files.push_back(it->path());
  }
  if (ec) {  // an unreadable folder is listed, not skipped without a word
    PluginEntry entry;
    entry.file = folder;
    entry.id = "?";
    entry.name = folder.filename().string();
    entry.load_error = "plugin folder cannot be read: " + ec.message();
    entries_.push_back(entry);
  }
  std::sort(files.begin(), files.end());  // deterministic order within a folder
  for (const auto& file : files) load(file);
}

namespace {
std::string options_problem(PluginOptionsFunction* options, const fs::path& file) {
  po::options_description scratch;
  OptionsBuilder builder(scratch, "probe");
  try {
    options(builder);
    return "";
  } catch (const std::exception& e) {
    return "its options function (spinsc_plugin_options in " + file.string() + ") failed: " + e.what();
  } catch (...) {
    return "its options function (spinsc_plugin_options in " + file.string() + ") threw a non-standard exception";
  }
}
}  // namespace

void PluginRegistry::load(const fs::path& file) {
  PluginEntry entry;
  entry.file = file;
  auto lib = std::make_unique<Library>();
  if (const std::string problem = shared_library_problem(file); !problem.empty()) {
    entry.load_error = "cannot be loaded: " + file.string() + " is " + problem;
    entry.id = "?";
    entry.name = file.filename().string();
    entries_.push_back(entry);
    return;
  }
  try {
    lib->library.load(file.string(), boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    entry.load_error = std::string("cannot be loaded: ") + e.what();
    entry.id = "?";
    entry.name = file.filename().string();
    entries_.push_back(entry);
    return;
  }
  if (!lib->library.has("spinsc_plugin_info")) return;  // some other shared library: not ours
  // Read only the ABI version first; nothing else of the library is trusted before it matches.
  entry.abi_version = lib->library.get<const std::uint32_t>("spinsc_plugin_info");
  if (entry.abi_version != kPluginAbiVersion) {
    entry.id = "?";
    entry.name = file.filename().string();
    entry.load_error = "plugin ABI version " + std::to_string(entry.abi_version) + " in " + file.string() +
                       ", this spinsc needs " + std::to_string(kPluginAbiVersion) + ": rebuild the plugin";
    entries_.push_back(entry);
    return;
  }
  const auto& info = lib->library.get<const PluginInfo>("spinsc_plugin_info");
  entry.kind = info.kind ? info.kind : "";
  entry.name = info.name ? info.name : "";
  entry.version = info.version ? info.version : "";
  entry.description = info.description ? info.description : "";
  entry.id = entry.kind + "." + entry.name;
  if (entry.kind != "device" && entry.kind != "sc" && entry.kind != "train") {
    entry.load_error = "unknown plugin kind '" + entry.kind + "' in " + file.string() + " (valid: device, sc, train)";
  } else if (!lib->library.has("spinsc_plugin_options") || !lib->library.has("spinsc_plugin_create")) {
    entry.load_error = "library " + file.string() + " lacks spinsc_plugin_options or spinsc_plugin_create";
  } else if (libraries_.count(entry.id)) {
    const auto first = std::find_if(entries_.begin(), entries_.end(),
                                    [&](const PluginEntry& e) { return e.id == entry.id && e.usable(); });
    entry.load_error = "shadowed by " + first->file.string() + " (the first on the plugin path is used)";
  } else {
    lib->options = &lib->library.get<PluginOptionsFunction>("spinsc_plugin_options");
    lib->create = &lib->library.get<PluginCreateFunction>("spinsc_plugin_create");
    if (lib->library.has("spinsc_plugin_reads"))
      lib->reads = &lib->library.get<PluginReadsFunction>("spinsc_plugin_reads");
    // Its options are declared once here, so that a plugin whose options function throws is
    // listed as broken (naming its file) instead of stopping every command that composes options.
    entry.load_error = options_problem(lib->options, file);
    if (entry.usable()) libraries_[entry.id] = std::move(lib);
  }
  entries_.push_back(entry);
}

const PluginEntry& PluginRegistry::find(const std::string& id) const {
  const PluginEntry* broken = nullptr;
  for (const auto& e : entries_) {
    if (e.id == id && e.usable()) return e;
    if (e.id == id) broken = &e;
  }
  if (broken) throw PluginError("plugin '" + id + "' cannot be used: " + broken->load_error);
  const std::string kind = id.substr(0, id.find('.'));
  std::string valid;
  for (const auto& other : ids_of_kind(kind)) valid += "\n  " + other;
  if (valid.empty()) valid = " none found on the plugin path (set SPINSC_PLUGIN_PATH)";
  throw PluginError("unknown plugin '" + id + "'. Valid " + kind + " plugins are:" + valid);
}

std::vector<std::string> PluginRegistry::ids_of_kind(const std::string& kind) const {
  std::set<std::string> ids;
  for (const auto& e : entries_)
    if (e.kind == kind && e.usable()) ids.insert(e.id);
  return {ids.begin(), ids.end()};
}

void PluginRegistry::declare_options(const std::string& id, po::options_description& into) const {
  find(id);
  OptionsBuilder builder(into, id);
  libraries_.at(id)->options(builder);
}

std::unique_ptr<Component> PluginRegistry::create(const std::string& id, const po::variables_map& config,
                                                  const ComponentContext& context) const {
  const PluginEntry& entry = find(id);
  try {
    return std::unique_ptr<Component>(libraries_.at(id)->create(Params(config, id), context));
  } catch (const std::exception&) {
    throw;  // the plugin's own error type and message (they name what is wrong)
  } catch (...) {
    throw PluginError("plugin '" + id + "' (" + entry.file.string() + ") threw a non-standard exception while "
                      "being created");
  }
}

std::vector<std::string> PluginRegistry::sections_read(const std::string& id, const po::variables_map& config) const {
  find(id);
  std::vector<std::string> sections;
  if (PluginReadsFunction* reads = libraries_.at(id)->reads) reads(Params(config, id), sections);
  return sections;
}

}  // namespace spinsc
