#pragma once
// The threshold of a monotone yes/no outcome of the dynamics (does the tilt grow, does m reach
// the plane or the equator), by bisection: `crosses(x)` must be false at `lo` and true at `hi`
// (both required), and the bracket is halved until it is at most `width` wide. Returns its middle.
#include <boost/test/unit_test.hpp>

namespace device_tests {

template <class Crosses>
double bisect_threshold(Crosses&& crosses, double lo, double hi, double width) {
  BOOST_REQUIRE(!crosses(lo));
  BOOST_REQUIRE(crosses(hi));
  while (hi - lo > width) {
    const double mid = 0.5 * (lo + hi);
    (crosses(mid) ? hi : lo) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace device_tests
