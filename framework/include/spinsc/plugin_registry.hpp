#pragma once
// PluginRegistry: finds plugins by scanning folders (the build tree, the install prefix, and the
// folders in SPINSC_PLUGIN_PATH), reads each library's info record first, refuses ABI
// mismatches, and keeps every library loaded for the life of the registry (which must outlive
// every component it made). It knows no plugin by name.
#include <boost/config.hpp>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "spinsc/component.hpp"
#include "spinsc/params.hpp"
#include "spinsc/plugin.hpp"

namespace spinsc {

class BOOST_SYMBOL_VISIBLE PluginError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  ~PluginError() override;
};

struct PluginEntry {
  std::string id;           // kind.name
  std::string kind, name, version, description;
  std::uint32_t abi_version = 0;
  std::filesystem::path file;
  std::string load_error;   // non-empty: the library could not be used (and why)
  bool usable() const { return load_error.empty(); }
};

class BOOST_SYMBOL_VISIBLE PluginRegistry {
 public:
  // The default search path: the install prefix's plugin folder when libspinsc is installed,
  // else the build tree's plugin folder; then every folder of SPINSC_PLUGIN_PATH (colon-separated).
  static std::vector<std::filesystem::path> default_search_path();

  explicit PluginRegistry(std::vector<std::filesystem::path> search_path = default_search_path());
  ~PluginRegistry();
  PluginRegistry(const PluginRegistry&) = delete;
  PluginRegistry& operator=(const PluginRegistry&) = delete;

  // Every library found, usable or not, sorted by id (then file).
  const std::vector<PluginEntry>& entries() const { return entries_; }
  const std::vector<std::filesystem::path>& search_path() const { return search_path_; }
  // The usable plugin with this id; throws PluginError listing the available ones of its kind,
  // or naming the file and the reason if the library failed to load.
  const PluginEntry& find(const std::string& id) const;
  std::vector<std::string> ids_of_kind(const std::string& kind) const;

  // The plugin's parameters, under prefix = its id.
  void declare_options(const std::string& id, po::options_description& into) const;
  // Makes the component; its parameters are read from `config` under prefix = its id.
  std::unique_ptr<Component> create(const std::string& id, const po::variables_map& config,
                                    const ComponentContext& context) const;
  // The framework sections the plugin reads besides its own keys, for this configuration
  // (spinsc_plugin_reads; empty when the plugin does not export it).
  std::vector<std::string> sections_read(const std::string& id, const po::variables_map& config) const;

 private:
  struct Library;
  void scan(const std::filesystem::path& folder);
  void load(const std::filesystem::path& file);
  std::vector<std::filesystem::path> search_path_;
  std::vector<PluginEntry> entries_;
  std::map<std::string, std::unique_ptr<Library>> libraries_;  // by id, usable ones only
};

// Makes a plugin of a given interface: throws PluginError if it is not one.
template <class T>
std::unique_ptr<T> create_as(const PluginRegistry& registry, const std::string& id,
                             const po::variables_map& config, const ComponentContext& context) {
  std::unique_ptr<Component> made = registry.create(id, config, context);
  if (auto* typed = dynamic_cast<T*>(made.get())) {
    made.release();
    return std::unique_ptr<T>(typed);
  }
  throw PluginError("plugin '" + id + "' does not implement the interface asked for");
}

}  // namespace spinsc
