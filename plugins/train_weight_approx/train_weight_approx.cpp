// train.weight_approx: energy-aware weight approximation of Mondal & Srivastava (section IV), a
// post-training strategy. It trains the network in float ([train] keys, as train.float), then
// moves every weight as far toward +-1 (on its own sign's side) as the output tolerance phi
// allows on every one of D training samples: one LP per layer, solved with GLPK
// (approximation.hpp, layer_lp.hpp). Streams of values near +-1 are cheap for the biased MTJ
// generator (device.mtj_sng mode = bms), so the SC evaluation that follows measures the saving.
//
// Records under weight_approx/: phi, phi_z, phi_z_bound, solver_time_s, max_output_deviation,
// samples, per layer layer<l>/{distance_before, distance_after, mean_abs_weight_before,
// mean_abs_weight_after, lp_rows, lp_rounds, max_violation (with the float32 weights),
// solver_time_s}, the phi_Z search (search/phi_z, search/feasible, search/distance,
// search/seconds, phi_z_search_steps, attribute phi_z_search_end), and the outputs beyond phi per
// set (beyond_phi/<set>/{fraction (of the outputs), image_fraction (of the images with at least one
// output beyond), outputs, max_deviation}; sets: constrained, other_training,
// test, constrained_quantized, test_quantized). Summary columns approx_solver_time_s,
// approx_phi_z, approx_phi_z_search_steps, approx_mean_abs_weight, trained_float_accuracy,
// approx_beyond_phi_<set>.
//
// Example experiment block:
//   [network]
//   layers = 784,10
//   hidden_activation = tanh
//   [train]
//   strategy = train.weight_approx
//   [train.weight_approx]
//   phi = 0.03          # -1: no approximation (the trained network as is)
//   samples = 0         # D: 0 = every training sample
#include <fmt/format.h>
#include <glpk.h>

#include <cmath>
#include <limits>
#include <numeric>

#include "approximation.hpp"
#include "spinsc/evaluation.hpp"
#include "spinsc/plugin.hpp"
#include "spinsc/training_strategy.hpp"

namespace {

namespace wa = spinsc::weight_approx;

class TrainWeightApprox final : public spinsc::TrainingStrategy {
 public:
  static void declare(spinsc::OptionsBuilder& add) {
    add("phi", spinsc::param<double>(0.0)->range(-1.0, 2.0),
        "output tolerance phi (phi_W for 2 layers) on the bipolar output value; < 0: no approximation");
    add("phi_z", spinsc::param<double>(-1.0)->range(-1.0, 2.0),
        "2 layers: hidden-layer tolerance phi_Z; < 0: searched from the eq. (16) lower bound");
    add("phi_z_steps", spinsc::param<int>(100)->range(1, 10000),
        "phi_Z search: phi_Z = k x the eq. (16) lower bound for k = 1, 2, ... until the output LP is infeasible "
        "or phi_Z reaches 2; at most this many k (a cap, reported when it stops the search)");
    add("phi_z_tolerance", spinsc::param<double>(0.1)->range(1e-6, 1.0),
        "phi_Z search: bisect between the last feasible and the first infeasible phi_Z until they are closer "
        "than this fraction of the lower bound");
    add("phi_z_bisections", spinsc::param<int>(30)->range(0, 60), "phi_Z search: at most this many bisections");
    add("samples", spinsc::param<int>(0)->min(0), "D: training samples constrained (the first D; 0 = all)");
    add("slack", spinsc::param<double>(1e-6)->range(0.0, 1.0),
        "absolute widening of the pre-activation bounds (keeps the trained weights feasible despite rounding)");
    add("rows_per_round", spinsc::param<int>(512)->range(1, 1 << 20), "row generation: violated rows added per LP solve");
  }
  TrainWeightApprox(const spinsc::Params& p, const spinsc::ComponentContext&)
      : phi_(p.get<double>("phi")), samples_(p.get<int>("samples")) {
    options_.phi = phi_;
    options_.phi_z = p.get<double>("phi_z");
    options_.phi_z_steps = p.get<int>("phi_z_steps");
    options_.phi_z_bisections = p.get<int>("phi_z_bisections");
    options_.phi_z_tolerance = p.get<double>("phi_z_tolerance");
    options_.slack = p.get<double>("slack");
    options_.lp.rows_per_round = std::size_t(p.get<int>("rows_per_round"));
    options_.lp.initial_rows = options_.lp.rows_per_round;
  }

  void train(spinsc::TrainingSession& session) override {
    spinsc::TrainingPlan plan;
    plan.label = "float";
    plan.mode = spinsc::ForwardMode::float_precision;
    session.run(plan);

    spinsc::RunContext* ctx = session.context();
    spinsc::EvaluationOptions float_eval;
    float_eval.mode = spinsc::ForwardMode::float_precision;
    const double trained_accuracy =
        spinsc::evaluate(session.network(), session.test_set(), float_eval, session.pool()).accuracy_percent();
    if (ctx) {
      ctx->record.put_scalar("weight_approx/trained_float_accuracy", trained_accuracy, "%");
      ctx->record.summary("trained_float_accuracy", trained_accuracy, "%");
      ctx->record.put_scalar("weight_approx/phi", phi_, "1");
    }
    if (phi_ < 0) {
      if (ctx) {
        ctx->progress.message("train.weight_approx: phi < 0, the trained network is kept as is");
        record_weight_summary(*ctx, session.network());
      }
      return;
    }

    const spinsc::Dataset& train = session.train_set();
    const std::size_t d = samples_ > 0 ? std::min<std::size_t>(std::size_t(samples_), train.size()) : train.size();
    std::vector<std::uint64_t> ids(d);
    std::iota(ids.begin(), ids.end(), std::uint64_t(0));
    spinsc::Matrix inputs;
    train.normalized_batch(ids, inputs);
    if (ctx) {
      ctx->progress.message(fmt::format("train.weight_approx: LP over {} training samples, phi = {}", d, phi_));
      ctx->progress.phase("weight approximation (GLPK, no progress within a solve)");
    }

    const std::vector<wa::DMatrix> trained = weights_of(session.network());
    const wa::ApproxReport report = wa::approximate_weights(session.network(), inputs, options_);
    if (!ctx) return;
    spinsc::RunRecord& rec = ctx->record;
    record_tolerance_counts(*ctx, session, trained, inputs, d);
    rec.put_scalar("weight_approx/solver_time_s", report.solver_seconds, "s");
    rec.put_scalar("weight_approx/max_output_deviation", report.max_output_deviation, "1");
    rec.put_scalar("weight_approx/samples", double(report.samples), "1");
    rec.attribute("weight_approx", "solver", std::string("GLPK ") + glpk_version());
    rec.summary("approx_solver_time_s", report.solver_seconds, "s");
    if (std::isfinite(report.phi_z)) {
      rec.put_scalar("weight_approx/phi_z", report.phi_z, "1");
      rec.put_scalar("weight_approx/phi_z_bound", report.phi_z_bound, "1");
      rec.put_scalar("weight_approx/phi_z_search_steps", double(report.search.size()), "1");
      rec.attribute("weight_approx", "phi_z_search_end", wa::to_string(report.search_end));
      rec.summary("approx_phi_z", report.phi_z, "1");
      rec.summary("approx_phi_z_search_steps", double(report.search.size()), "1");
      if (report.search_end == wa::PhiZSearchEnd::step_cap)
        ctx->progress.message(fmt::format("train.weight_approx: the phi_Z search stopped at the step cap "
                                          "(phi_z_steps = {}) with phi_Z still feasible",
                                          options_.phi_z_steps));
      std::vector<double> phi_z, feasible, distance, seconds;
      for (const auto& c : report.search) {
        phi_z.push_back(c.phi_z);
        feasible.push_back(c.feasible ? 1.0 : 0.0);
        distance.push_back(c.feasible ? c.distance : std::numeric_limits<double>::quiet_NaN());
        seconds.push_back(c.seconds);
      }
      rec.put("weight_approx/search/phi_z", phi_z, "1");
      rec.put("weight_approx/search/feasible", feasible, "1");
      rec.put("weight_approx/search/distance", distance, "1");
      rec.put("weight_approx/search/seconds", seconds, "s");
    }
    std::string layers_text;
    for (std::size_t l = 0; l < report.layers.size(); ++l) {
      const wa::LayerLpResult& r = report.layers[l];
      const std::string g = fmt::format("weight_approx/layer{}/", l + 1);
      const double n = double(r.weights.size());
      rec.put_scalar(g + "distance_before", r.distance_before, "1");
      rec.put_scalar(g + "distance_after", r.distance_after, "1");
      rec.put_scalar(g + "mean_abs_weight_before", 1.0 - r.distance_before / n, "1");
      rec.put_scalar(g + "mean_abs_weight_after", 1.0 - r.distance_after / n, "1");
      rec.put_scalar(g + "lp_rows", double(r.rows), "1");
      rec.put_scalar(g + "lp_rounds", double(r.rounds), "1");
      rec.put_scalar(g + "max_violation", r.max_violation, "1");
      rec.put_scalar(g + "solver_time_s", r.seconds, "s");
      layers_text += fmt::format("{}layer {}: mean |w| {:.3f} -> {:.3f} ({} rows)", l ? "; " : "", l + 1,
                                 1.0 - r.distance_before / n, 1.0 - r.distance_after / n, r.rows);
    }
    record_weight_summary(*ctx, session.network());
    ctx->progress.message(fmt::format(
        "train.weight_approx: phi = {}{}: {}; max output deviation {:.4g}; solver {:.2f} s", phi_,
        std::isfinite(report.phi_z) ? fmt::format(" (phi_Z = {:.4g}, bound {:.4g}, {} steps, search end: {})", report.phi_z,
                                                  report.phi_z_bound, report.search.size(), wa::to_string(report.search_end))
                                    : "",
        layers_text, report.max_output_deviation, report.solver_seconds));
  }
  spinsc::ForwardMode target_mode() const override { return spinsc::ForwardMode::float_precision; }

 private:
  static std::string glpk_version() { return glp_version(); }
  static std::vector<wa::DMatrix> weights_of(const spinsc::Mlp& network) {
    std::vector<wa::DMatrix> w;
    for (std::size_t l = 0; l < network.n_layers(); ++l) w.push_back(network.weights(l).cast<double>());
    return w;
  }
  // The guarantee where the LP does not promise it, per set: the fraction of outputs beyond phi
  // (weight_approx/beyond_phi/<set>/{fraction, image_fraction, outputs, max_deviation}) on the D constrained
  // samples, on the other training images, on the test images, and on the constrained and test
  // samples with weights, inputs and hidden outputs on the SC levels ([network] levels).
  void record_tolerance_counts(spinsc::RunContext& ctx, spinsc::TrainingSession& session,
                               const std::vector<wa::DMatrix>& trained, const spinsc::Matrix& constrained,
                               std::size_t d) const {
    const spinsc::Mlp& network = session.network();
    const std::vector<wa::DMatrix> approximated = weights_of(network);
    const spinsc::Quantizer& levels = network.quantizer();
    auto over = [&](const spinsc::Dataset& data, std::size_t first, const spinsc::Quantizer* q) {
      wa::ToleranceCount total;
      const std::size_t block = 4096;  // bounded memory for 60 000 images
      for (std::size_t b = first; b < data.size(); b += block) {
        std::vector<std::uint64_t> ids(std::min(block, data.size() - b));
        std::iota(ids.begin(), ids.end(), std::uint64_t(b));
        spinsc::Matrix x;
        data.normalized_batch(ids, x);
        total.add(wa::count_beyond_tolerance(network.spec(), approximated, trained, x, phi_, q));
      }
      return total;
    };
    const std::pair<const char*, wa::ToleranceCount> sets[] = {
        {"constrained", wa::count_beyond_tolerance(network.spec(), approximated, trained, constrained, phi_)},
        {"other_training", over(session.train_set(), d, nullptr)},
        {"test", over(session.test_set(), 0, nullptr)},
        {"constrained_quantized",
         wa::count_beyond_tolerance(network.spec(), approximated, trained, constrained, phi_, &levels)},
        {"test_quantized", over(session.test_set(), 0, &levels)}};
    std::string text;
    for (const auto& [name, count] : sets) {
      const std::string g = fmt::format("weight_approx/beyond_phi/{}/", name);
      ctx.record.put_scalar(g + "fraction", count.fraction(), "1");
      ctx.record.put_scalar(g + "image_fraction", count.sample_fraction(), "1");
      ctx.record.put_scalar(g + "outputs", double(count.outputs), "1");
      ctx.record.put_scalar(g + "max_deviation", count.outputs ? count.max_deviation : std::numeric_limits<double>::quiet_NaN(), "1");
      ctx.record.summary(fmt::format("approx_beyond_phi_{}", name), count.fraction(), "1");
      text += fmt::format("{}{} {:.2f} % ({:.1f} % of images)", text.empty() ? "" : ", ", name, 100.0 * count.fraction(),
                          100.0 * count.sample_fraction());
    }
    ctx.record.attribute("weight_approx/beyond_phi", "threshold",
                         fmt::format("|y - y_hat| > phi + {} (bipolar output value)", wa::tolerance_margin));
    ctx.progress.message("train.weight_approx: outputs beyond phi: " + text);
  }
  static void record_weight_summary(spinsc::RunContext& ctx, const spinsc::Mlp& network) {
    double sum = 0, n = 0;
    for (std::size_t l = 0; l < network.n_layers(); ++l) {
      sum += network.weights(l).cwiseAbs().sum();
      n += double(network.weights(l).size());
    }
    ctx.record.summary("approx_mean_abs_weight", sum / n, "1");
  }

  double phi_;
  int samples_;
  wa::ApproxOptions options_;
};

}  // namespace

SPINSC_PLUGIN(TrainWeightApprox, "train", "weight_approx", "1.0.0",
              "float training, then the energy-aware weight approximation of Mondal & Srivastava (LP, GLPK)")
