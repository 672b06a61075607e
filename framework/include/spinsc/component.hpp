#pragma once
// Base of every object a plugin makes. The destructor is defined in the framework library so that
// the type information lives in one place and dynamic_cast works across shared libraries.
#include <boost/config.hpp>
#include <cstdint>

namespace spinsc {

// What every component gets when it is made: the run's seed, the stream key of the stage that
// makes it (training or evaluation: a hash of the keys that stage reads, see run_identity.hpp),
// and which instance of its kind it is, so that it can derive its own random streams
// (RandomStream(seed, purpose, stream_key, instance), see random.hpp).
struct ComponentContext {
  std::uint64_t seed = 0;
  std::uint64_t stream_key = 0;
  std::uint64_t instance = 0;
};

class BOOST_SYMBOL_VISIBLE Component {
 public:
  virtual ~Component();
};

}  // namespace spinsc
