// Loads device.oot_threshold through the installed libspinsc's PluginRegistry, sets a parameter
// the way an experiment would, and checks the bits it makes. Exit 0 when all is as expected.
#include <bit>
#include <cstdio>

#include "spinsc/bit_source.hpp"
#include "spinsc/plugin_registry.hpp"
#include "spinsc/version.hpp"

int main() {
  spinsc::PluginRegistry registry({OOT_PLUGIN_DIR});
  spinsc::po::options_description description;
  registry.declare_options("device.oot_threshold", description);
  spinsc::po::variables_map vm;
  const char* argv[] = {"oot_host", "--device.oot_threshold.threshold=0.75"};
  spinsc::po::store(spinsc::po::parse_command_line(2, argv, description), vm);
  spinsc::po::notify(vm);
  auto device = spinsc::create_as<spinsc::BitSource>(registry, "device.oot_threshold", vm,
                                                      spinsc::ComponentContext{1, 0, 0});
  spinsc::RandomStream rng(1, "oot_host");
  std::vector<std::uint64_t> words(spinsc::words_for_bits(100));
  device->generate({0.8, 100, 0}, words, rng);
  const int ones_high = std::popcount(words[0]) + std::popcount(words[1]);
  device->generate({0.7, 100, 0}, words, rng);
  const int ones_low = std::popcount(words[0]) + std::popcount(words[1]);
  std::printf("oot_host: spinsc %s (%s): %d ones at P=0.8, %d at P=0.7, %g J/bit\n", spinsc::version().c_str(),
              spinsc::git_revision().c_str(), ones_high, ones_low, device->energy_per_bit_J(0.8));
  return ones_high == 100 && ones_low == 0 && device->energy_per_bit_J(0.8) == 3e-15 ? 0 : 1;
}
