// Requirement: as test_shipped_device, with 8 to 16 times the dwells (SE ~1 %).
#define BOOST_TEST_MODULE device_smtj_llg_shipped_device_long
#include <boost/test/unit_test.hpp>

#include "shipped_device_check.hpp"

using namespace spinsc::smtj_llg::test;

BOOST_AUTO_TEST_CASE(zero_bias_two_solvers_against_the_oracle) {
  compare_solvers_at(0.0, {1024, 30e-9, 500e-9, 32, 16}, {256, 30e-9, 300e-9, 24, 12}, 0.5, 41);
}

BOOST_AUTO_TEST_CASE(positive_bias_two_solvers_against_the_oracle) {
  compare_solvers_at(0.15, {1024, 30e-9, 500e-9, 32, 16}, {256, 30e-9, 300e-9, 24, 12}, 0.5, 43);
}
