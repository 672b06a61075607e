// Key functions of the interfaces: their type information is emitted here, once, so that
// dynamic_cast and exception matching work across the plugin libraries.
#include "spinsc/bit_source.hpp"
#include "spinsc/component.hpp"
#include "spinsc/params.hpp"
#include "spinsc/plugin_registry.hpp"
#include "spinsc/run_context.hpp"

namespace spinsc {
Component::~Component() = default;
BitSource::~BitSource() = default;
ParamError::~ParamError() = default;
ParamInfo::~ParamInfo() = default;
PluginError::~PluginError() = default;
Progress::~Progress() = default;
void Progress::phase(const std::string&) {}
}  // namespace spinsc
