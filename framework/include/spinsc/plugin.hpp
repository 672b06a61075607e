#pragma once
// The plugin ABI. A plugin is a shared library that exports three C symbols:
//   spinsc_plugin_info     a PluginInfo record (plain data, read first: ABI version, kind, name, ...)
//   spinsc_plugin_options  fills a boost::program_options::options_description with its parameters
//   spinsc_plugin_create   makes the component from its resolved parameters
// The host reads the info record, refuses a different ABI version, and only then looks up the
// other two. Write a plugin with SPINSC_PLUGIN(...) at the end of its .cpp file:
//
//   class Lfsr final : public spinsc::BitSource {
//    public:
//     static void declare(spinsc::OptionsBuilder& add);             // its parameters, once
//     Lfsr(const spinsc::Params& p, const spinsc::ComponentContext& c);
//     ...
//   };
//   SPINSC_PLUGIN(Lfsr, "device", "lfsr", "1.0.0", "CMOS LFSR stochastic number generator")
#include <boost/config.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "spinsc/component.hpp"
#include "spinsc/params.hpp"

namespace spinsc {

// Bump when any interface in framework/include/spinsc/ changes in a binary-incompatible way.
inline constexpr std::uint32_t kPluginAbiVersion = 3;  // 2: ParamInfo::affects_results, spinsc_plugin_reads; 3: BitSource::generate_streams

// Plain data so that it can be read before anything else of the library is trusted.
// abi_version is the first member: the host reads it alone before the rest.
struct PluginInfo {
  std::uint32_t abi_version;
  const char* kind;         // "device", "sc" or "train"
  const char* name;         // e.g. "lfsr"; the plugin id is kind.name
  const char* version;      // the plugin's own version, e.g. "1.0.0"
  const char* description;  // one line
};

using PluginOptionsFunction = void(OptionsBuilder&);
using PluginCreateFunction = Component*(const Params&, const ComponentContext&);
// Optional fourth symbol, spinsc_plugin_reads: the framework sections (e.g. "device", "sc") whose
// keys the component reads besides its own, given its own resolved keys. Those sections, and the
// plugins their keys name, then belong to the stage that uses this plugin (run_identity.hpp):
// train.qat_sc reads [sc] and, when its forward pass uses the device's bits, [device], so a
// device sweep retrains only then. Export it with SPINSC_PLUGIN_READS(ClassName) and
//   static std::vector<std::string> reads(const spinsc::Params& own_keys);
// A plugin without it reads only its own keys (and what they name): a device or SC unit needs none.
using PluginReadsFunction = void(const Params&, std::vector<std::string>&);

}  // namespace spinsc

#define SPINSC_PLUGIN(ClassName, kind_literal, name_literal, version_literal, description_literal) \
  extern "C" BOOST_SYMBOL_EXPORT const spinsc::PluginInfo spinsc_plugin_info;                      \
  extern "C" BOOST_SYMBOL_EXPORT const spinsc::PluginInfo spinsc_plugin_info = {                   \
      spinsc::kPluginAbiVersion, kind_literal, name_literal, version_literal, description_literal}; \
  extern "C" BOOST_SYMBOL_EXPORT void spinsc_plugin_options(spinsc::OptionsBuilder& add) {         \
    ClassName::declare(add);                                                                       \
  }                                                                                                \
  extern "C" BOOST_SYMBOL_EXPORT spinsc::Component* spinsc_plugin_create(                          \
      const spinsc::Params& params, const spinsc::ComponentContext& context) {                     \
    return new ClassName(params, context);                                                         \
  }

#define SPINSC_PLUGIN_READS(ClassName)                                                             \
  extern "C" BOOST_SYMBOL_EXPORT void spinsc_plugin_reads(const spinsc::Params& params,           \
                                                          std::vector<std::string>& sections) {    \
    sections = ClassName::reads(params);                                                           \
  }
