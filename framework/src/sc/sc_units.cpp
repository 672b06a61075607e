// Key functions of the SC unit interfaces (type information emitted once, in the framework) and
// the level grid of eqs. (1)-(3).
#include <algorithm>
#include <cmath>

#include "spinsc/sc_units.hpp"

namespace spinsc {

Multiplier::~Multiplier() = default;
Adder::~Adder() = default;
Activation::~Activation() = default;

// The same arithmetic as Quantizer::index (quantizer.hpp), so that a LUT built on this grid
// reproduces the network's quantized outputs exactly.
int LevelGrid::level_of(double v) const {
  const double t = (std::min(std::max(v, lo), hi) - lo) / step();
  const double k = std::floor(t + 0.5);
  if (!(k >= 0.0)) return 0;
  return k > states - 1 ? states - 1 : static_cast<int>(k);
}

}  // namespace spinsc
