#pragma once
// Test helper for device plugins: makes a BitSource through the real PluginRegistry with the
// plugin's declared defaults plus "key=value" overrides (keys without the plugin prefix).
#include <memory>
#include <string>
#include <vector>

#include "spinsc/bit_source.hpp"
#include "spinsc/plugin_registry.hpp"

namespace spinsc::test {

struct DeviceUnderTest {
  std::unique_ptr<PluginRegistry> registry;  // must outlive the device
  po::variables_map config;
  std::unique_ptr<BitSource> device;
  ~DeviceUnderTest() { device.reset(); }
};

inline std::unique_ptr<DeviceUnderTest> make_device(const std::string& id,
                                                    const std::vector<std::string>& overrides = {},
                                                    std::uint64_t seed = 1, std::uint64_t instance = 0) {
  auto made = std::make_unique<DeviceUnderTest>();
  made->registry = std::make_unique<PluginRegistry>(std::vector<std::filesystem::path>{SPINSC_BUILD_PLUGIN_DIR});
  po::options_description description;
  made->registry->declare_options(id, description);
  std::vector<std::string> args;
  for (const auto& o : overrides) args.push_back("--" + id + "." + o);
  po::store(po::command_line_parser(args).options(description).run(), made->config);
  po::notify(made->config);
  // Range checks, as the experiment loader does.
  for (const auto& option : description.options()) {
    const auto* info = dynamic_cast<const ParamInfo*>(option->semantic().get());
    auto it = made->config.find(option->long_name());
    if (info && it != made->config.end() && !it->second.empty()) info->check(it->second.value(), option->long_name());
  }
  made->device = create_as<BitSource>(*made->registry, id, made->config, ComponentContext{seed, 0, instance});
  return made;
}

}  // namespace spinsc::test
