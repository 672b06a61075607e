#pragma once
// A check that needs something the machine may lack (MNIST, matplotlib, a second plugin) is
// skipped with a message on a developer's machine, but under CI=true (what CI services set) a
// missing prerequisite is a failure: a CI run must not pass by skipping what it was meant to check.
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <string_view>

namespace spinsc_prerequisites {  // not spinsc::test: some tests have a function named spinsc

inline bool running_in_ci() {
  const char* value = std::getenv("CI");
  return value && std::string_view(value) == "true";
}

}  // namespace spinsc_prerequisites

// Reports a missing prerequisite: an error under CI=true, else a message saying what is skipped.
#define SPINSC_MISSING_PREREQUISITE(what)                                         \
  do {                                                                            \
    if (spinsc_prerequisites::running_in_ci())                                            \
      BOOST_ERROR("CI=true: a prerequisite is missing, nothing may be skipped: " << what); \
    else                                                                          \
      BOOST_TEST_MESSAGE(what << " (set CI=true to make this a failure)");       \
  } while (0)
