#include "calibration.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <mutex>
#include <thread>

#include "clocked_readout.hpp"

namespace spinsc::smtj_llg {

void declare_calibration_parameters(OptionsBuilder& add) {
  add("calibration_points", param<int>(11)->min(3), "bias grid points of the P(1) calibration");
  // The default device reaches P(1) = 0.02 / 0.97 at +-0.6 V and its critical current is 16 uA.
  add("calibration_max_bias_V", param<double>(0.6)->unit("V")->above(0.0),
      "calibration grid spans [-max, max] (voltage bias mode)");
  add("calibration_max_current_A", param<double>(5e-6)->unit("A")->above(0.0),
      "calibration grid spans [-max, max] (current bias mode)");
  add("calibration_junctions", param<int>(64)->min(2), "independent junctions simulated per grid point");
  add("calibration_clocks", param<int>(50)->min(1), "bits read per junction per grid point");
  add("calibration_burn_in_clocks", param<int>(10)->min(0), "clock periods run before the first calibration bit");
  add("calibration_seed", param<int>(1)->min(0), "seed of the calibration simulation (independent of the experiment seed, so the cache is shared)");
  add("calibration_threads", param<int>(0)->min(0), "threads for the calibration (0: all cores); results do not depend on it");
  add("cache_dir", param("auto"),
      "folder of cached calibration curves (HDF5); auto: $SPINSC_CACHE_DIR, else $XDG_CACHE_HOME/spinsc, else ~/.cache/spinsc");
}

CalibrationSettings CalibrationSettings::from_params(const Params& p, BiasMode mode) {
  CalibrationSettings s;
  s.points = p.get<int>("calibration_points");
  s.max_bias = mode == BiasMode::kVoltage ? p.get<double>("calibration_max_bias_V") : p.get<double>("calibration_max_current_A");
  s.junctions = p.get<int>("calibration_junctions");
  s.clocks = p.get<int>("calibration_clocks");
  s.burn_in_clocks = p.get<int>("calibration_burn_in_clocks");
  s.seed = static_cast<std::uint64_t>(p.get<int>("calibration_seed"));
  s.threads = p.get<int>("calibration_threads");
  s.cache_dir = p.get<std::string>("cache_dir");
  return s;
}

std::string CalibrationSettings::key_text() const {
  return fmt::format("calibration_points={}\ncalibration_max_bias={:.17g}\ncalibration_junctions={}\n"
                     "calibration_clocks={}\ncalibration_burn_in_clocks={}\ncalibration_seed={}\n",
                     points, max_bias, junctions, clocks, burn_in_clocks, seed);
}

namespace {

double logit(double p) {
  const double eps = 1e-6;
  p = std::clamp(p, eps, 1.0 - eps);
  return std::log(p / (1.0 - p));
}

// Interpolates y (ascending x) at x_query, linearly in logit(y); clamps outside the grid.
double interpolate_logit(const std::vector<double>& x, const std::vector<double>& y, double x_query) {
  if (x_query <= x.front()) return y.front();
  if (x_query >= x.back()) return y.back();
  const auto upper = std::upper_bound(x.begin(), x.end(), x_query);
  const std::size_t k = static_cast<std::size_t>(upper - x.begin()) - 1;
  const double w = (x_query - x[k]) / (x[k + 1] - x[k]);
  const double l = (1.0 - w) * logit(y[k]) + w * logit(y[k + 1]);
  return 1.0 / (1.0 + std::exp(-l));
}

}  // namespace

void CalibrationCurve::make_monotone() {
  // Pool adjacent violators towards the overall trend (P(1) falls with bias for a positive
  // spin polarization; the direction is read from the data).
  const bool increasing = p_one.back() >= p_one.front();
  std::vector<double> values, weights;
  std::vector<std::size_t> counts;
  for (double raw : p_one) {
    const double v = increasing ? raw : -raw;
    values.push_back(v);
    weights.push_back(1.0);
    counts.push_back(1);
    while (values.size() > 1 && values[values.size() - 2] > values.back()) {
      const double w = weights[weights.size() - 2] + weights.back();
      const double merged = (values[values.size() - 2] * weights[weights.size() - 2] + values.back() * weights.back()) / w;
      const std::size_t c = counts[counts.size() - 2] + counts.back();
      values.pop_back(), weights.pop_back(), counts.pop_back();
      values.back() = merged, weights.back() = w, counts.back() = c;
    }
  }
  p_monotone.clear();
  for (std::size_t b = 0; b < values.size(); ++b)
    for (std::size_t i = 0; i < counts[b]; ++i) p_monotone.push_back(increasing ? values[b] : -values[b]);
}

double CalibrationCurve::p_one_at(double b) const { return interpolate_logit(bias, p_monotone, b); }

double CalibrationCurve::bias_for(double p) const {
  const std::vector<double>& q = p_monotone;
  const bool increasing = q.back() >= q.front();
  const double lowest = std::min(q.front(), q.back()), highest = std::max(q.front(), q.back());
  if (p <= lowest) return increasing ? bias.front() : bias.back();
  if (p >= highest) return increasing ? bias.back() : bias.front();
  // The first grid interval whose P(1) values bracket p (flat, pooled intervals: their middle).
  for (std::size_t k = 0; k + 1 < q.size(); ++k) {
    const double lo = std::min(q[k], q[k + 1]), hi = std::max(q[k], q[k + 1]);
    if (p < lo || p > hi) continue;
    if (hi == lo) return 0.5 * (bias[k] + bias[k + 1]);
    const double w = (logit(p) - logit(q[k])) / (logit(q[k + 1]) - logit(q[k]));
    return bias[k] + w * (bias[k + 1] - bias[k]);
  }
  return bias.back();  // not reached: p lies within [lowest, highest]
}

CalibrationCurve compute_calibration(const DevicePhysics& physics, const CalibrationSettings& s) {
  CalibrationCurve curve;
  curve.bias_unit = physics.bias_unit();
  const std::size_t n_points = static_cast<std::size_t>(s.points);
  for (std::size_t k = 0; k < n_points; ++k)
    curve.bias.push_back(-s.max_bias + 2.0 * s.max_bias * static_cast<double>(k) / static_cast<double>(n_points - 1));
  curve.p_one.assign(n_points, 0.0);
  curve.p_one_se.assign(n_points, 0.0);

  auto measure_point = [&](std::size_t k) {
    const double bias = curve.bias[k];
    const std::size_t n = static_cast<std::size_t>(s.junctions);
    std::vector<JunctionCoefficients> junctions(n, physics.junction_at(bias));
    const RandomStream base(s.seed, "device.smtj_llg.calibration", k);
    std::vector<RandomStream> streams;
    std::vector<std::uint8_t> start(n);
    for (std::size_t j = 0; j < n; ++j) {
      streams.push_back(base.substream(j));
      start[j] = static_cast<std::uint8_t>(j % 2);  // half start parallel, half antiparallel
    }
    const ClockedReadoutResult r = run_clocked_readout(physics, bias, junctions, std::move(streams), start,
                                                       static_cast<std::size_t>(s.burn_in_clocks),
                                                       static_cast<std::size_t>(s.clocks));
    double sum = 0.0, sum2 = 0.0;
    for (std::size_t j = 0; j < n; ++j) {
      const double f = static_cast<double>(r.ones[j]) / s.clocks;
      sum += f;
      sum2 += f * f;
    }
    const double mean = sum / n;
    const double variance = std::max(0.0, (sum2 - n * mean * mean) / (n - 1));
    curve.p_one[k] = mean;
    curve.p_one_se[k] = std::sqrt(variance / n);
  };

  std::size_t n_threads = s.threads > 0 ? static_cast<std::size_t>(s.threads) : std::thread::hardware_concurrency();
  n_threads = std::clamp<std::size_t>(n_threads, 1, n_points);
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> workers;
  std::exception_ptr failure;
  std::mutex failure_mutex;
  for (std::size_t t = 0; t < n_threads; ++t)
    workers.emplace_back([&] {
      for (std::size_t k = next++; k < n_points; k = next++) {
        try {
          measure_point(k);
        } catch (...) {
          std::lock_guard lock(failure_mutex);
          failure = std::current_exception();
        }
      }
    });
  for (auto& w : workers) w.join();
  if (failure) std::rethrow_exception(failure);
  curve.make_monotone();
  return curve;
}

}  // namespace spinsc::smtj_llg
