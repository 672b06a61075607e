#pragma once
// A small SC engine with plugin units for the engine tests: random level matrices, sigmoid
// hidden activations with a LUT (or the chosen activation plugin).
#include <memory>
#include <string>
#include <vector>

#include "sc/sc_test_util.hpp"
#include "spinsc/sc_engine.hpp"

namespace spinsc::test {

struct EngineFixture {
  std::unique_ptr<BitSource> device;
  std::unique_ptr<Multiplier> multiplier;
  std::unique_ptr<Adder> adder;
  std::vector<std::unique_ptr<Activation>> activations;
  std::unique_ptr<ScEngine> engine;
  std::vector<std::vector<std::uint8_t>> weights;  // per layer n_out x n_in levels
  std::vector<ScLayerView> views;
  std::vector<ScLayerShape> shapes;
  ScUnits units_;
  LevelGrid grid_{2, -1.0, 1.0};
  ActivationSetup hidden_;
  std::uint64_t seed_ = 0;

  EngineFixture(const std::vector<std::size_t>& widths, int levels, ScSettings settings, std::size_t L,
                const std::string& adder_id = "sc.parallel_counter", const std::string& activation_id = "sc.lut_sigmoid",
                const std::string& multiplier_id = "sc.xnor", std::uint64_t seed = 7,
                std::vector<std::string> device_overrides = {}) {
    device = make_plugin<BitSource>("device.bernoulli", device_overrides);
    multiplier = make_plugin<Multiplier>(multiplier_id);
    adder = make_plugin<Adder>(adder_id);
    ScUnits units{multiplier.get(), adder.get(), {}, device.get()};
    for (std::size_t l = 0; l + 2 < widths.size(); ++l) {
      activations.push_back(make_plugin<Activation>(activation_id, {}, l));
      units.activations.push_back(activations.back().get());
    }
    ActivationSetup hidden;
    hidden.function = "sigmoid";
    hidden.gain = 0.5;
    hidden.target = [](double s) { return sigmoid(0.5 * s); };
    units_ = units;
    grid_ = LevelGrid{levels, -1.0, 1.0};
    hidden_ = hidden;
    seed_ = seed;
    engine = std::make_unique<ScEngine>(settings, units, grid_, std::vector{hidden}, RandomStream(seed, "engine-test"));
    RandomStream rng(seed, "engine-test-weights");
    for (std::size_t l = 0; l + 1 < widths.size(); ++l) {
      std::vector<std::uint8_t> w(widths[l] * widths[l + 1]);
      for (auto& v : w) v = static_cast<std::uint8_t>(rng.below(levels));
      weights.push_back(std::move(w));
      shapes.push_back({widths[l], widths[l + 1], false});
    }
    for (std::size_t l = 0; l + 1 < widths.size(); ++l)
      views.push_back({widths[l], widths[l + 1], weights[l].data(), nullptr, nullptr});
    engine->prepare(shapes, L);
  }

  // An engine like `engine` (same units, grid, activations and seed) whose streams come from `other`.
  std::unique_ptr<ScEngine> engine_with_device(BitSource& other, const ScSettings& settings, std::size_t L) const {
    ScUnits units = units_;
    units.device = &other;
    auto e = std::make_unique<ScEngine>(settings, units, grid_, std::vector{hidden_}, RandomStream(seed_, "engine-test"));
    e->prepare(shapes, L);
    return e;
  }

  static std::vector<std::uint8_t> random_inputs(std::size_t n_samples, std::size_t n_in, int levels,
                                                 std::uint64_t seed) {
    RandomStream rng(seed, "engine-test-inputs");
    std::vector<std::uint8_t> x(n_samples * n_in);
    for (auto& v : x) v = static_cast<std::uint8_t>(rng.below(levels));
    return x;
  }
};

}  // namespace spinsc::test
