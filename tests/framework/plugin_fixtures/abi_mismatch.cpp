// Test fixture: a plugin library built for another plugin ABI (version 999). The host must read
// only the version, refuse the library, and name the file.
#include <boost/config.hpp>
#include <cstdint>

namespace {
// The layout of spinsc::PluginInfo; only abi_version (the first member) may be read.
struct ForeignPluginInfo {
  std::uint32_t abi_version;
  const char* kind;
  const char* name;
  const char* version;
  const char* description;
};
}  // namespace

extern "C" BOOST_SYMBOL_EXPORT const ForeignPluginInfo spinsc_plugin_info;
extern "C" BOOST_SYMBOL_EXPORT const ForeignPluginInfo spinsc_plugin_info = {
    999, "device", "abi_fixture", "0.0.1", "a plugin built for ABI 999 (test fixture)"};
