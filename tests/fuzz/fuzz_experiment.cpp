// Fuzzes the experiment reader and loader (INI text, keys, values, [sweep], run points) with
// the framework's own sections and tasks. A documented refusal (ExperimentError, ParamError) is
// a correct answer; a crash, a hang, a sanitizer report or any other exception is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "spinsc/experiment.hpp"
#include "spinsc/params.hpp"
#include "spinsc/plugin_registry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const spinsc::PluginRegistry registry(std::vector<std::filesystem::path>{});  // no plugins: fast
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    spinsc::load_experiment_text(text, "fuzz.ini", {}, registry);
  } catch (const spinsc::ExperimentError&) {
  } catch (const spinsc::ParamError&) {
  }
  return 0;
}
