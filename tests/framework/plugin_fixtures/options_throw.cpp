// Test fixture: a plugin whose options function throws, built twice: with a std::exception
// (SPINSC_FIXTURE_THROW_STD) and with a non-standard exception (an int). The host must list it
// as broken, naming its file, and every command that does not use it must go on working.
#include <stdexcept>

#include "spinsc/bit_source.hpp"
#include "spinsc/plugin.hpp"

namespace {

class ThrowingOptions final : public spinsc::BitSource {
 public:
  static void declare(spinsc::OptionsBuilder&) {
#ifdef SPINSC_FIXTURE_THROW_STD
    throw std::runtime_error("fixture: options cannot be declared");
#else
    throw 42;  // NOLINT: deliberately not a std::exception
#endif
  }
  ThrowingOptions(const spinsc::Params&, const spinsc::ComponentContext&) {}
  std::uint64_t generate(const spinsc::StreamRequest&, std::span<std::uint64_t>, spinsc::RandomStream&) override {
    return 0;
  }
  double energy_per_bit_J(double) const override { return 0; }
  double time_per_bit_s(double) const override { return 1e-9; }
};

}  // namespace

#ifdef SPINSC_FIXTURE_THROW_STD
SPINSC_PLUGIN(ThrowingOptions, "device", "throws_std_fixture", "0.0.1", "options throw a std::exception (test fixture)")
#else
SPINSC_PLUGIN(ThrowingOptions, "device", "throws_int_fixture", "0.0.1", "options throw an int (test fixture)")
#endif
