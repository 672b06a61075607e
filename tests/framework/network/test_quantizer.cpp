// Requirement (issue 3, network): the quantizer implements the paper's eqs. (1)-(3) exactly for
// odd Q >= 3 on [a, b], including the edges, ties and Q = 3, 5, 11; hidden sigmoid outputs take
// 3 states for Q = 5 and 6 for Q = 11 (Fig. 4a).
#define BOOST_TEST_MODULE network_quantizer
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>

#include "spinsc/mlp.hpp"
#include "spinsc/quantized_matrix.hpp"
#include "spinsc/quantizer.hpp"

using namespace spinsc;

namespace {
// Eqs. (1)-(3) written out directly, independently of the class.
double equation_3(double m, int Q, double a, double b) {
  const double clipped = std::min(std::max(m, a), b);  // (1)
  const double delta = (b - a) / (Q - 1);              // (2)
  return std::round((clipped - a) / delta) * delta + a;  // (3)
}
}  // namespace

BOOST_AUTO_TEST_CASE(levels_of_q3_q5_q11) {
  BOOST_TEST(Quantizer(3).level_values() == std::vector<double>({-1.0, 0.0, 1.0}), boost::test_tools::per_element());
  BOOST_TEST(Quantizer(5).level_values() == std::vector<double>({-1.0, -0.5, 0.0, 0.5, 1.0}),
             boost::test_tools::per_element());
  const auto q11 = Quantizer(11).level_values();
  BOOST_TEST(q11.size() == 11u);
  for (int k = 0; k < 11; ++k) BOOST_TEST(std::abs(q11[k] - (-1.0 + 0.2 * k)) < 1e-15);
  BOOST_TEST(Quantizer(5).step() == 0.5);
}

BOOST_AUTO_TEST_CASE(matches_equations_on_a_fine_grid) {
  for (int Q : {3, 5, 11, 255}) {
    for (auto [a, b] : {std::pair{-1.0, 1.0}, std::pair{0.0, 1.0}, std::pair{-2.0, 0.5}}) {
      const Quantizer q(Q, a, b);
      for (int i = -3000; i <= 3000; ++i) {
        const double m = 1.5 * (b - a) * i / 2000.0 + 0.5 * (a + b);  // covers beyond both edges
        BOOST_TEST(std::abs(q.quantize(m) - equation_3(m, Q, a, b)) < 1e-12, "Q=" << Q << " m=" << m);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(edges_ties_and_clipping) {
  const Quantizer q5(5);
  BOOST_TEST(q5.quantize(-1.0) == -1.0);
  BOOST_TEST(q5.quantize(1.0) == 1.0);
  BOOST_TEST(q5.quantize(-7.0) == -1.0);   // clipped, eq. (1)
  BOOST_TEST(q5.quantize(3.0) == 1.0);
  BOOST_TEST(q5.quantize(0.25) == 0.5);    // tie: (0.25 + 1) / 0.5 = 2.5 rounds up
  BOOST_TEST(q5.quantize(-0.25) == 0.0);   // tie: 1.5 rounds up
  BOOST_TEST(q5.quantize(0.2499999) == 0.0);
  BOOST_TEST(q5.quantize(-0.7500001) == -1.0);
  BOOST_TEST(q5.index(0.0) == 2);
  BOOST_TEST(q5.index(std::numeric_limits<double>::quiet_NaN()) == 0);
  const Quantizer q3(3);
  BOOST_TEST(q3.quantize(0.49) == 0.0);
  BOOST_TEST(q3.quantize(0.5) == 1.0);
  BOOST_TEST(q3.quantize(-0.51) == -1.0);
  const Quantizer q11(11);
  BOOST_TEST(std::abs(q11.quantize(0.31) - 0.4) < 1e-15);
  BOOST_TEST(std::abs(q11.quantize(0.29) - 0.2) < 1e-15);
  for (int k = 0; k < 11; ++k) BOOST_TEST(q11.index(q11.value(k)) == k);  // levels are fixed points
}

BOOST_AUTO_TEST_CASE(invalid_numbers_of_states_are_rejected) {
  for (int Q : {-1, 0, 1, 2, 4, 10, 256}) BOOST_CHECK_THROW(Quantizer{Q}, ParamError);
  BOOST_CHECK_THROW(Quantizer(5, 1.0, 1.0), ParamError);
}

BOOST_AUTO_TEST_CASE(matrix_quantization_agrees_with_scalar) {
  const Quantizer q(11);
  Matrix m(7, 13);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = float(-1.3 + 2.6 * double(i) / double(m.size() - 1));
  QuantizedMatrix out;
  quantize_matrix(q, m, out);
  for (Eigen::Index i = 0; i < m.size(); ++i) {
    BOOST_TEST(int(out.levels.data()[i]) == q.index(m.data()[i]));
    BOOST_TEST(out.values.data()[i] == float(q.value(out.levels.data()[i])));
  }
}

BOOST_AUTO_TEST_CASE(padded_rows_are_read_with_their_stride) {
  // A block of a wider matrix is a Ref whose rows are 9 floats apart but 4 long: each row of the
  // result must come from its own row of the block. Element (r, c) is -1 + 0.3 r + 0.1 c, level
  // 3 r + c of the 21-state grid (step 0.1; float rounding is far below the half step).
  const Quantizer q(21);
  Matrix wide(5, 9);
  for (Eigen::Index r = 0; r < wide.rows(); ++r)
    for (Eigen::Index c = 0; c < wide.cols(); ++c) wide(r, c) = float(-1.0 + 0.3 * double(r) + 0.1 * double(c));
  QuantizedMatrix out;
  quantize_matrix(q, wide.block(1, 2, 4, 4), out);
  BOOST_TEST_REQUIRE(out.rows() == 4);
  BOOST_TEST_REQUIRE(out.cols() == 4);
  for (Eigen::Index r = 0; r < 4; ++r)
    for (Eigen::Index c = 0; c < 4; ++c) {
      const int want = 3 * int(r + 1) + int(c + 2);
      BOOST_TEST(int(out.levels(r, c)) == want, "row " << r << " col " << c);
      BOOST_TEST(out.values(r, c) == float(q.value(want)));
    }
}

BOOST_AUTO_TEST_CASE(sigmoid_hidden_outputs_have_3_and_6_states) {
  NetworkSpec spec;
  spec.levels = 5;
  BOOST_TEST(hidden_output_levels(spec) == std::vector<double>({0.0, 0.5, 1.0}), boost::test_tools::per_element());
  spec.levels = 11;
  const auto six = hidden_output_levels(spec);
  BOOST_TEST(six.size() == 6u);
  for (std::size_t k = 0; k < six.size(); ++k) BOOST_TEST(std::abs(six[k] - 0.2 * double(k)) < 1e-12);
  spec.hidden = HiddenActivation::tanh;
  BOOST_TEST(hidden_output_levels(spec).size() == 11u);
}
