// Requirement (issue 2, item 5): [sweep] expands into run points: grid and zip modes, explicit
// lists, linspace/range helpers, and repeats with distinct derived seeds; run indices are stable.
#define BOOST_TEST_MODULE experiment_sweep
#include <boost/test/unit_test.hpp>
#include <set>

#include "spinsc/experiment.hpp"
#include "spinsc/plugin_registry.hpp"
#include "spinsc/run_context.hpp"

using namespace spinsc;

namespace {
void declare_axes_section(OptionsBuilder& add) {
  add("x", param<double>(0.0), "a real");
  add("n", param<std::int64_t>(1), "an integer");
  add("layers", param<List<int>>({1}), "a list");
}
void run_nothing(RunContext&) {}

PluginRegistry& registry() {
  static PluginRegistry instance({SPINSC_BUILD_PLUGIN_DIR});
  return instance;
}
Experiment load(const std::string& text) {
  return load_experiment_text("task = axes_task\nseed = 11\n" + text, "sweep.ini", {}, registry());
}
using Pairs = std::vector<std::pair<std::string, std::string>>;
}  // namespace

SPINSC_REGISTER_SECTION("axes", declare_axes_section)
SPINSC_REGISTER_TASK("axes_task", run_nothing, "test task that does nothing")

BOOST_AUTO_TEST_CASE(helpers_expand_exactly) {
  BOOST_TEST(expand_sweep_values("linspace(-1,1,5)", false) == (std::vector<std::string>{"-1", "-0.5", "0", "0.5", "1"}));
  const auto eleven = expand_sweep_values("linspace(-1, 1, 11)", false);
  BOOST_TEST(eleven.size() == 11u);
  BOOST_TEST(eleven[1] == "-0.8");  // correctly rounded, not -0.7999999999999999
  BOOST_TEST(eleven[8] == "0.6");
  BOOST_TEST(expand_sweep_values("linspace(3,3,1)", false) == std::vector<std::string>{"3"});
  BOOST_TEST(expand_sweep_values("range(8,33,8)", false) == (std::vector<std::string>{"8", "16", "24", "32"}));
  BOOST_TEST(expand_sweep_values("range(0,1,0.25)", false) == (std::vector<std::string>{"0", "0.25", "0.5", "0.75"}));
  BOOST_TEST(expand_sweep_values("range(0,1,0.1)", false).size() == 10u);
  BOOST_TEST(expand_sweep_values("range(5,0,-2)", false) == (std::vector<std::string>{"5", "3", "1"}));
  BOOST_TEST(expand_sweep_values(" a, b ,c ", false) == (std::vector<std::string>{"a", "b", "c"}));
  BOOST_TEST(expand_sweep_values("784,128,10 | 784,392,10", true) ==
             (std::vector<std::string>{"784,128,10", "784,392,10"}));
  BOOST_CHECK_THROW(expand_sweep_values("linspace(0,1,0)", false), ExperimentError);
  BOOST_CHECK_THROW(expand_sweep_values("linspace(0,1,2.5)", false), ExperimentError);
  BOOST_CHECK_THROW(expand_sweep_values("range(0,1,0)", false), ExperimentError);
  BOOST_CHECK_THROW(expand_sweep_values("range(0,1,-1)", false), ExperimentError);
  BOOST_CHECK_THROW(expand_sweep_values("linspace(0,x,3)", false), ExperimentError);
  BOOST_CHECK_THROW(expand_sweep_values("linspace(0,1,3", false), ExperimentError);
}

BOOST_AUTO_TEST_CASE(grid_is_every_combination_first_axis_slowest) {
  const Experiment e = load("[sweep]\naxes.n = 1,2\naxes.x = linspace(0,1,3)\n");
  BOOST_TEST(e.points.size() == 6u);
  for (std::size_t i = 0; i < e.points.size(); ++i) {
    BOOST_TEST(e.points[i].run_index == i);
    BOOST_TEST(e.points[i].seed == 11u);  // no repeats: every run keeps the experiment seed
  }
  BOOST_TEST((e.points[0].swept == Pairs{{"axes.n", "1"}, {"axes.x", "0"}}));
  BOOST_TEST((e.points[2].swept == Pairs{{"axes.n", "1"}, {"axes.x", "1"}}));
  BOOST_TEST((e.points[3].swept == Pairs{{"axes.n", "2"}, {"axes.x", "0"}}));
  BOOST_TEST(e.config_for(e.points[4])["axes.x"].as<double>() == 0.5);
  BOOST_TEST(e.config_for(e.points[4])["axes.n"].as<std::int64_t>() == 2);
}

BOOST_AUTO_TEST_CASE(zip_takes_ith_values_together) {
  const Experiment e = load("[sweep]\nmode = zip\naxes.n = range(1,4,1)\naxes.x = 0.1, 0.2, 0.3\n");
  BOOST_TEST(e.points.size() == 3u);
  BOOST_TEST((e.points[2].swept == Pairs{{"axes.n", "3"}, {"axes.x", "0.3"}}));
}

BOOST_AUTO_TEST_CASE(list_valued_keys_sweep_over_lists) {
  const Experiment e = load("[sweep]\naxes.layers = 4,2 | 8,4,2\n");
  BOOST_TEST(e.points.size() == 2u);
  BOOST_TEST((e.config_for(e.points[1])["axes.layers"].as<List<int>>() == List<int>{8, 4, 2}));
}

BOOST_AUTO_TEST_CASE(repeats_get_distinct_derived_seeds) {
  const Experiment e = load("[sweep]\naxes.n = 1,2\nrepeats = 4\n");
  BOOST_TEST(e.points.size() == 8u);
  std::set<std::uint64_t> seeds_of_first_point;
  for (std::size_t i = 0; i < e.points.size(); ++i) {
    const RunPoint& p = e.points[i];
    BOOST_TEST(p.run_index == i);
    BOOST_TEST(p.repeat == i % 4);
    BOOST_TEST(p.seed == repeat_seed(11, p.repeat));  // the documented formula
    BOOST_TEST(p.swept.back().first == "repeat");
    if (i < 4) seeds_of_first_point.insert(p.seed);
  }
  BOOST_TEST(seeds_of_first_point.size() == 4u);  // distinct
  BOOST_TEST(e.points[0].seed == 11u);            // repeat 0 keeps the experiment seed
  BOOST_TEST(e.points[1].seed == RandomStream(11, "repeat", 1).next_u64());
  BOOST_TEST(e.points[5].seed == e.points[1].seed);  // same repeat, other point: same seed
}

BOOST_AUTO_TEST_CASE(swept_seed_is_the_base_of_its_repeats) {
  const Experiment e = load("[sweep]\nseed = 3,4\nrepeats = 2\n");
  BOOST_TEST(e.points.size() == 4u);
  BOOST_TEST(e.points[0].seed == 3u);
  BOOST_TEST(e.points[1].seed == repeat_seed(3, 1));
  BOOST_TEST(e.points[2].seed == 4u);
  BOOST_TEST(e.points[3].seed == repeat_seed(4, 1));
}

BOOST_AUTO_TEST_CASE(expansion_is_stable) {
  const std::string text = "[sweep]\naxes.n = 1,2,3\naxes.x = 0.5,0.25\nrepeats = 2\n";
  const Experiment a = load(text), b = load(text);
  BOOST_TEST(a.points.size() == b.points.size());
  for (std::size_t i = 0; i < a.points.size(); ++i) {
    BOOST_TEST(a.points[i].run_index == b.points[i].run_index);
    BOOST_TEST(a.points[i].seed == b.points[i].seed);
    BOOST_TEST((a.points[i].swept == b.points[i].swept));
  }
}
