// Requirement (style: one source of truth for defaults): the C++ structs NetworkSpec,
// TrainingOptions and DataOptions default to exactly what [network], [train] and [data] declare.
#define BOOST_TEST_MODULE network_defaults
#include <boost/test/unit_test.hpp>

#include "spinsc/dataset.hpp"
#include "spinsc/mlp.hpp"
#include "spinsc/training_strategy.hpp"

using namespace spinsc;

namespace {
// The declared defaults of one section, read back through its from_params().
template <class T>
T declared(const char* section, void (*declare)(OptionsBuilder&)) {
  static po::variables_map values;  // Params keeps a pointer to it
  values.clear();
  po::options_description description;
  OptionsBuilder builder(description, section);
  declare(builder);
  po::store(po::parsed_options(&description), values);
  po::notify(values);
  return T::from_params(Params(values, section));
}
}  // namespace

BOOST_AUTO_TEST_CASE(network_spec_defaults_match_the_declaration) {
  const NetworkSpec d = declared<NetworkSpec>("network", declare_network_section), s;
  BOOST_TEST(d.layers == s.layers, boost::test_tools::per_element());
  BOOST_TEST(d.levels == s.levels);
  BOOST_TEST(d.lower == s.lower);
  BOOST_TEST(d.upper == s.upper);
  BOOST_TEST(int(d.hidden) == int(s.hidden));
  BOOST_TEST(int(d.output) == int(s.output));
  BOOST_TEST(d.bias == s.bias);
  BOOST_TEST(d.activation_gain == s.activation_gain, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(training_option_defaults_match_the_declaration) {
  const TrainingOptions d = declared<TrainingOptions>("train", declare_train_section), s;
  BOOST_TEST(d.epochs == s.epochs);
  BOOST_TEST(d.batch_size == s.batch_size);
  BOOST_TEST(d.optimizer == s.optimizer);
  BOOST_TEST(d.learning_rate == s.learning_rate);
  BOOST_TEST(d.lr_decay == s.lr_decay);
  BOOST_TEST(d.momentum == s.momentum);
  BOOST_TEST(d.dropout == s.dropout);
  BOOST_TEST(d.weight_decay == s.weight_decay);
  BOOST_TEST(d.adam_beta1 == s.adam_beta1);
  BOOST_TEST(d.adam_beta2 == s.adam_beta2);
  BOOST_TEST(d.adam_epsilon == s.adam_epsilon);
  BOOST_TEST(d.loss == s.loss);
  BOOST_TEST(d.init == s.init);
  BOOST_TEST(d.init_std == s.init_std);
  BOOST_TEST(d.paper_backprop == s.paper_backprop);
  BOOST_TEST(d.shuffle == s.shuffle);
  BOOST_TEST(d.threads == s.threads);
}

BOOST_AUTO_TEST_CASE(data_option_defaults_match_the_declaration) {
  const DataOptions d = declared<DataOptions>("data", declare_data_section), s;
  BOOST_TEST(d.dataset == s.dataset);
  BOOST_TEST(d.path == s.path);
  BOOST_TEST(d.train_size == s.train_size);
  BOOST_TEST(d.test_size == s.test_size);
  BOOST_TEST(d.downscale == s.downscale);
}
