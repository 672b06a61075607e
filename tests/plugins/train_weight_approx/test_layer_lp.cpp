// Requirement (issue 7, tests): the weight-approximation LP of Mondal & Srivastava
//  - on tiny networks whose optimum is known by hand;
//  - every constraint satisfied by the returned weights on every sample (the method's guarantee),
//    for 1 and 2 layers, with row generation forced through many rounds;
//  - row generation reaches the same optimum as the LP with every row from the start;
//  - infeasible settings reported clearly (neuron, layer, phi).
#define BOOST_TEST_MODULE train_weight_approx_lp
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "approximation.hpp"
#include "layer_lp.hpp"
#include "spinsc/random.hpp"

using namespace spinsc;
using namespace spinsc::weight_approx;

namespace {

Matrix rows_of(std::initializer_list<std::initializer_list<float>> rows) {
  Matrix m(Eigen::Index(rows.size()), Eigen::Index(rows.begin()->size()));
  Eigen::Index r = 0;
  for (const auto& row : rows) {
    Eigen::Index c = 0;
    for (float v : row) m(r, c++) = v;
    ++r;
  }
  return m;
}

DMatrix dmat(Eigen::Index rows, Eigen::Index cols, std::initializer_list<double> values) {
  DMatrix m(rows, cols);
  std::copy(values.begin(), values.end(), m.data());
  return m;
}

// Random inputs in [0, 1] with about half zeros (like image pixels), fixed seed.
Matrix random_inputs(Eigen::Index d, Eigen::Index n, std::uint64_t seed) {
  RandomStream rng(seed, "test_inputs");
  Matrix x(d, n);
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = rng.uniform() < 0.5 ? 0.0f : float(rng.uniform());
  return x;
}

void random_weights(Mlp& network, std::uint64_t seed) {
  RandomStream rng(seed, "test_weights");
  for (std::size_t l = 0; l < network.n_layers(); ++l)
    for (Eigen::Index i = 0; i < network.weights(l).size(); ++i)
      network.weights(l).data()[i] = float(std::clamp(0.5 * rng.normal(), -1.0, 1.0));
}

NetworkSpec spec_of(std::vector<int> layers, OutputActivation output, std::vector<double> gain) {
  NetworkSpec spec;
  spec.layers = std::move(layers);
  spec.hidden = HiddenActivation::tanh;
  spec.output = output;
  spec.activation_gain = std::move(gain);
  spec.levels = 255;
  return spec;
}

// Every weight on its trained sign's side, inside [-1, 1].
bool on_sign_side(const DMatrix& w, const Matrix& trained) {
  for (Eigen::Index i = 0; i < w.size(); ++i) {
    const double t = trained.data()[i], v = w.data()[i];
    if (t >= 0 ? (v < 0 || v > 1) : (v > 0 || v < -1)) return false;
  }
  return true;
}

}  // namespace

// Hand-solved: What = (0.5, -0.3); sample a = (1, 0) with s <= 0.7, sample b = (1, 1) with
// 0.2 <= s <= 0.4. Maximize w1 - w2 (w1 on the + side, w2 on the - side): w1 - w2 <= w1 - (0.2 - w1)
// = 2 w1 - 0.2 <= 1.2, reached only at w1 = 0.7, w2 = -0.5; objective (1 - 0.7) + (1 - 0.5) = 0.8.
BOOST_AUTO_TEST_CASE(two_weight_lp_has_the_hand_solved_optimum) {
  const Matrix x = rows_of({{1, 0}, {1, 1}});
  LayerLpProblem p{&x, dmat(1, 2, {0.5, -0.3}), 1.0, dmat(2, 1, {-infinity, 0.2}), dmat(2, 1, {0.7, 0.4})};
  const LayerLpResult r = solve_layer_lp(p);
  BOOST_TEST(r.weights(0, 0) == 0.7, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(r.weights(0, 1) == -0.5, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(r.distance_after == 0.8, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(r.distance_before == 1.2, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(r.max_violation <= 1e-9);
}

// Through the network: 2-1 identity output, gain 1, phi = 0.2 on s. s_a = w1 in [0.3, 0.7],
// s_b = w1 + w2 in [0, 0.4]: w1 = 0.7, w2 = -0.7 (w1 - w2 <= 2 w1 <= 1.4), objective 0.6.
BOOST_AUTO_TEST_CASE(one_layer_network_identity_output_hand_solved) {
  Mlp network(spec_of({2, 1}, OutputActivation::identity, {1.0}));
  network.weights(0) << 0.5f, -0.3f;
  ApproxOptions o;
  o.phi = 0.2;
  o.slack = 0;
  const ApproxReport r = approximate_weights(network, rows_of({{1, 0}, {1, 1}}), o);
  BOOST_TEST(network.weights(0)(0, 0) == 0.7f, boost::test_tools::tolerance(1e-6f));
  BOOST_TEST(network.weights(0)(0, 1) == -0.7f, boost::test_tools::tolerance(1e-6f));
  BOOST_TEST(r.layers.at(0).distance_after == 0.6, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(r.max_output_deviation <= 0.2 + 1e-6);
}

// The tanh^-1 bounds: sigmoid output, gain 2, so the bipolar output is tanh(z). With phi = 0.1:
// w1 = z_a at its upper bound atanh(tanh(0.5) + 0.1), w2 = atanh(tanh(0.2) - 0.1) - w1 (z_b at its
// lower bound), the optimum by the same argument as above.
BOOST_AUTO_TEST_CASE(one_layer_network_tanh_bounds_hand_solved) {
  Mlp network(spec_of({2, 1}, OutputActivation::sigmoid, {2.0}));
  network.weights(0) << 0.5f, -0.3f;
  ApproxOptions o;
  o.phi = 0.1;
  o.slack = 0;
  approximate_weights(network, rows_of({{1, 0}, {1, 1}}), o);
  const double w1 = std::atanh(std::tanh(0.5) + 0.1);
  const double w2 = std::atanh(std::tanh(0.2) - 0.1) - w1;
  BOOST_TEST(network.weights(0)(0, 0) == w1, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(network.weights(0)(0, 1) == w2, boost::test_tools::tolerance(1e-6));
}

// phi = 0 keeps every training output exactly (up to the slack), yet inputs that are zero on every
// sample leave their weights free: they go to +-1 (the paper's saving at phi = 0).
BOOST_AUTO_TEST_CASE(phi_zero_frees_only_the_weights_of_unused_inputs) {
  Mlp network(spec_of({6, 3}, OutputActivation::sigmoid, {1.0}));
  random_weights(network, 3);
  Matrix x = random_inputs(400, 6, 4);
  x.col(2).setZero();
  x.col(5).setZero();
  const Matrix trained = network.weights(0);
  ApproxOptions o;
  o.phi = 0;
  const ApproxReport r = approximate_weights(network, x, o);
  for (Eigen::Index j = 0; j < 3; ++j) {
    BOOST_TEST(std::abs(network.weights(0)(j, 2)) == 1.0f);
    BOOST_TEST(std::abs(network.weights(0)(j, 5)) == 1.0f);
    for (Eigen::Index i : {0, 1, 3, 4})
      BOOST_TEST(network.weights(0)(j, i) == trained(j, i), boost::test_tools::tolerance(1e-4f));
  }
  BOOST_TEST(r.max_output_deviation <= 1e-5);
}

// The guarantee: every (sample, output) pair within phi, for a layer with many binding rows,
// found over many row-generation rounds (8 rows per round); the same optimum as the LP with all
// rows from the start; every weight on its sign's side and no farther from +-1 than before.
BOOST_AUTO_TEST_CASE(one_layer_every_constraint_holds_on_every_sample) {
  const NetworkSpec spec = spec_of({30, 4}, OutputActivation::sigmoid, {0.8});
  Mlp network(spec);
  random_weights(network, 11);
  const Matrix trained = network.weights(0);
  const Matrix x = random_inputs(1500, 30, 12);
  ApproxOptions o;
  o.phi = 0.05;
  o.lp.initial_rows = 8;
  o.lp.rows_per_round = 8;
  const ApproxReport r = approximate_weights(network, x, o);
  BOOST_TEST(r.layers[0].rounds > 8);  // row generation really iterated
  BOOST_TEST(r.layers[0].rows < 1500u * 4u);
  // Independent check of |y - y_hat| <= phi for every sample and output (y = tanh(0.5 g z)).
  double worst = 0;
  for (Eigen::Index s = 0; s < x.rows(); ++s)
    for (Eigen::Index j = 0; j < 4; ++j) {
      double z = 0, z_hat = 0;
      for (Eigen::Index i = 0; i < 30; ++i) {
        z += double(x(s, i)) * r.layers[0].weights(j, i);
        z_hat += double(x(s, i)) * double(trained(j, i));
      }
      worst = std::max(worst, std::abs(std::tanh(0.4 * z) - std::tanh(0.4 * z_hat)));
    }
  BOOST_TEST(worst <= o.phi + 1e-6);
  BOOST_TEST(worst >= 0.5 * o.phi);  // the tolerance is used, not ignored
  BOOST_TEST(r.max_output_deviation == worst, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(on_sign_side(r.layers[0].weights, trained));
  BOOST_TEST(r.layers[0].distance_after < r.layers[0].distance_before);

  Mlp all_rows(spec);
  all_rows.weights(0) = trained;
  ApproxOptions full = o;
  full.lp.initial_rows = full.lp.rows_per_round = 1u << 20;
  const ApproxReport f = approximate_weights(all_rows, x, full);
  BOOST_TEST(f.layers[0].rounds < r.layers[0].rounds);  // (rows satisfied at the start may bind later)
  BOOST_TEST(f.layers[0].distance_after == r.layers[0].distance_after, boost::test_tools::tolerance(1e-7));
}

// Two layers (IV-D): the output stays within phi_W on every sample, the hidden outputs within the
// chosen phi_Z, the search starts at the eq. (16) bound and keeps the least total distance.
BOOST_AUTO_TEST_CASE(two_layers_every_output_within_phi_w_and_hidden_within_phi_z) {
  const NetworkSpec spec = spec_of({20, 6, 3}, OutputActivation::sigmoid, {0.5, 1.0});
  Mlp network(spec);
  random_weights(network, 21);
  const std::vector<DMatrix> trained{network.weights(0).cast<double>(), network.weights(1).cast<double>()};
  const Matrix x = random_inputs(600, 20, 22);
  ApproxOptions o;
  o.phi = 0.04;
  const ApproxReport r = approximate_weights(network, x, o);
  BOOST_TEST(r.phi_z_bound > 0);
  BOOST_TEST(r.search.front().phi_z == r.phi_z_bound);
  BOOST_TEST(r.phi_z >= r.phi_z_bound * 0.999);
  double best = 1e300;
  for (const auto& c : r.search)
    if (c.feasible) best = std::min(best, c.distance);
  BOOST_TEST(r.layers[0].distance_after + r.layers[1].distance_after == best, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(r.max_output_deviation <= o.phi + 1e-6);
  const std::vector<DMatrix> now{r.layers[0].weights, r.layers[1].weights};
  BOOST_TEST(max_output_deviation(spec, now, trained, x) <= o.phi + 1e-6);
  // Hidden layer: |tanh(g1 z) - tanh(g1 z_hat)| <= phi_Z for every sample and hidden neuron.
  const DMatrix s = 0.5 * (x.cast<double>() * r.layers[0].weights.transpose());
  const DMatrix s_hat = 0.5 * (x.cast<double>() * trained[0].transpose());
  BOOST_TEST((s.array().tanh() - s_hat.array().tanh()).abs().maxCoeff() <= r.phi_z + 1e-6);
  BOOST_TEST(r.layers[0].distance_after + r.layers[1].distance_after <
             r.layers[0].distance_before + r.layers[1].distance_before);
}

// The phi_Z search steps up until the output LP is infeasible (not at a fixed number of steps),
// then bisects until the last feasible and the first infeasible phi_Z are closer than the stated
// tolerance; the steps taken are the candidates tried.
BOOST_AUTO_TEST_CASE(phi_z_search_runs_until_infeasible_then_to_the_tolerance) {
  const NetworkSpec spec = spec_of({20, 6, 3}, OutputActivation::sigmoid, {0.5, 1.0});
  Mlp network(spec);
  random_weights(network, 21);
  const Matrix x = random_inputs(600, 20, 22);
  ApproxOptions o;
  o.phi = 0.04;
  o.phi_z_tolerance = 0.05;
  const ApproxReport r = approximate_weights(network, x, o);
  BOOST_TEST_MESSAGE("phi_Z search: " << r.search.size() << " steps, end: " << to_string(r.search_end)
                                      << ", bound " << r.phi_z_bound << ", chosen " << r.phi_z);
  BOOST_TEST_REQUIRE((r.search_end == PhiZSearchEnd::infeasible || r.search_end == PhiZSearchEnd::unconstrained));
  if (r.search_end == PhiZSearchEnd::infeasible) {
    double feasible = 0, infeasible = 1e300;  // the bracket the search ends with
    for (const auto& c : r.search) {
      if (c.feasible) feasible = std::max(feasible, c.phi_z);
    }
    for (const auto& c : r.search)
      if (!c.feasible && c.phi_z > feasible) infeasible = std::min(infeasible, c.phi_z);
    BOOST_TEST(infeasible - feasible <= o.phi_z_tolerance * r.phi_z_bound * (1 + 1e-12));
    // Every multiple of the bound below the first infeasible one was tried and feasible.
    int multiples = 0;
    for (const auto& c : r.search)
      if (std::abs(c.phi_z / r.phi_z_bound - std::round(c.phi_z / r.phi_z_bound)) < 1e-9 && c.feasible) ++multiples;
    BOOST_TEST(multiples >= int(std::floor(feasible / r.phi_z_bound + 1e-9)));
  }
  // A cap of one step stops there and says so.
  Mlp capped(spec);
  random_weights(capped, 21);
  ApproxOptions one = o;
  one.phi_z_steps = 1;
  const ApproxReport c = approximate_weights(capped, x, one);
  if (r.search.size() > 2 && r.search[1].feasible) {  // the full search went past k = 1
    BOOST_TEST(c.search.size() == 1u);
    BOOST_TEST((c.search_end == PhiZSearchEnd::step_cap));
  }
}

// The guarantee holds on the D constrained samples only: on other samples, and with the weights,
// inputs and hidden outputs on the SC levels, some outputs leave phi. Counts checked against an
// independent forward pass (the network's own float and quantized modes, sigmoid output as the
// bipolar 2 sigmoid - 1); float32 against double may move an output across the threshold only if
// it lies within about 1e-6 of it, so the counts may differ by at most 1 per set.
BOOST_AUTO_TEST_CASE(outputs_beyond_phi_are_counted_off_the_constrained_samples) {
  const NetworkSpec spec = spec_of({20, 3}, OutputActivation::sigmoid, {1.0});
  Mlp network(spec);
  random_weights(network, 41);
  const Matrix x = random_inputs(900, 20, 42);
  const Matrix constrained = x.topRows(100), others = x.bottomRows(800);
  Mlp reference = network;
  const std::vector<DMatrix> trained{network.weights(0).cast<double>()};
  ApproxOptions o;
  o.phi = 0.05;
  const ApproxReport r = approximate_weights(network, constrained, o);
  const std::vector<DMatrix> stored{network.weights(0).cast<double>()};
  // The report's checks use the float32 weights the network now holds.
  BOOST_TEST(r.max_output_deviation == max_output_deviation(spec, stored, trained, constrained));
  auto independent = [&](const Matrix& inputs, ForwardMode mode) {
    const std::vector<QuantizedMatrix> qa = network.quantize_weights();
    ForwardOptions fa, fr;
    fa.quantized_weights = &qa;
    ForwardState a, b;
    network.forward(inputs, mode, fa, a);
    reference.forward(inputs, ForwardMode::float_precision, fr, b);
    const Matrix dev = (2.0f * (a.output - b.output)).cwiseAbs();
    return std::size_t((dev.array() > float(o.phi + tolerance_margin)).count());
  };
  const ToleranceCount in = count_beyond_tolerance(spec, stored, trained, constrained, o.phi);
  const ToleranceCount out = count_beyond_tolerance(spec, stored, trained, others, o.phi);
  const ToleranceCount quantized = count_beyond_tolerance(spec, stored, trained, constrained, o.phi, &network.quantizer());
  BOOST_TEST_MESSAGE("beyond phi: constrained " << in.beyond << "/" << in.outputs << ", others " << out.beyond << "/"
                                                << out.outputs << ", constrained on the levels " << quantized.beyond);
  BOOST_TEST(in.outputs == 300u);
  BOOST_TEST(in.beyond == 0u);
  BOOST_TEST(in.max_deviation <= o.phi + tolerance_margin);
  BOOST_TEST(out.outputs == 2400u);
  BOOST_TEST(out.beyond > 0u);  // 100 samples do not pin 20 weights per output: the guarantee leaks
  BOOST_TEST(out.max_deviation > o.phi);
  BOOST_TEST(std::abs(double(out.beyond) - double(independent(others, ForwardMode::float_precision))) <= 1.0);
  // The LP's optimum sits on its bounds (binding rows), so rounding to the levels pushes some of
  // those outputs beyond phi even on the constrained samples.
  BOOST_TEST(quantized.beyond > 0u);
  BOOST_TEST(std::abs(double(quantized.beyond) - double(independent(constrained, ForwardMode::quantized))) <= 1.0);
  BOOST_TEST(out.fraction() == double(out.beyond) / 2400.0);
  BOOST_TEST(out.samples == 800u);
  BOOST_TEST(out.samples_beyond <= out.beyond);              // an image counts once ...
  BOOST_TEST(3 * out.samples_beyond >= out.beyond);          // ... for at most its 3 outputs
  BOOST_TEST(in.samples_beyond == 0u);
}

BOOST_AUTO_TEST_CASE(infeasible_layer_lp_names_the_neuron) {
  // w1 <= 1 and w2 <= 0 (sign sides), so w1 + w2 >= 1.5 is impossible.
  const Matrix x = rows_of({{1, 0}, {1, 1}});
  LayerLpProblem p{&x, dmat(1, 2, {0.5, -0.3}), 1.0, dmat(2, 1, {-infinity, 1.5}), dmat(2, 1, {infinity, 2.0})};
  try {
    solve_layer_lp(p);
    BOOST_FAIL("no error for an infeasible LP");
  } catch (const LpInfeasible& e) {
    BOOST_TEST(e.neuron == 0u);
    BOOST_TEST(e.sample == 1u);
  }
}

// A fixed phi_Z too large for phi_W = 0: the output layer cannot reproduce its trained outputs
// exactly after the hidden layer moved. The error names the layer and both tolerances.
BOOST_AUTO_TEST_CASE(infeasible_fixed_phi_z_is_reported_with_layer_and_phi) {
  Mlp network(spec_of({20, 6, 3}, OutputActivation::sigmoid, {0.5, 1.0}));
  random_weights(network, 31);
  ApproxOptions o;
  o.phi = 0.0;
  o.phi_z = 0.5;
  try {
    approximate_weights(network, random_inputs(300, 20, 32), o);
    BOOST_FAIL("no error for an infeasible phi_Z");
  } catch (const ApproxInfeasible& e) {
    const std::string m = e.what();
    BOOST_TEST(m.find("layer 2 (the output layer)") != std::string::npos, m);
    BOOST_TEST(m.find("phi_W = 0") != std::string::npos, m);
    BOOST_TEST(m.find("phi_Z = 0.5") != std::string::npos, m);
    BOOST_TEST(m.find("infeasible") != std::string::npos, m);
  }
}

BOOST_AUTO_TEST_CASE(unsupported_networks_are_refused_by_name) {
  Mlp three(spec_of({4, 3, 3, 2}, OutputActivation::sigmoid, {1.0}));
  BOOST_CHECK_THROW(approximate_weights(three, random_inputs(10, 4, 1), {}), ParamError);
  Mlp softmax(spec_of({4, 2}, OutputActivation::softmax, {1.0}));
  try {
    approximate_weights(softmax, random_inputs(10, 4, 1), {});
    BOOST_FAIL("softmax accepted");
  } catch (const ParamError& e) {
    BOOST_TEST(std::string(e.what()).find("network.output_activation") != std::string::npos);
  }
}
