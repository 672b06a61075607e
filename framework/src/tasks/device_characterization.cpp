// The `device_characterization` task: measures the device named by [device] plugin at a set of
// target probabilities (the bipolar levels x_k = -1 + 2k/(Q-1), p = (x+1)/2, or explicit ones)
// and records, per level, with units, under device/ in the run's group:
//   probability_requested, bipolar_level, control (the bias/pulse/threshold; attr control_unit),
//   p1_measured and p1_standard_error (batch means over n_streams independent streams),
//   lag1_autocorrelation, autocorrelation (levels x max_lag, lags 1..max_lag),
//   scc (two streams of the same device model, device_index 0 and 1, same level; Alaghi & Hayes),
//   energy_per_bit_J, time_per_bit_s, switching_events_per_bit,
//   mean_run_ones, mean_run_zeros (complete runs, in bits) and the run-length (dwell) histograms
//   dwell_histogram_ones / _zeros (levels x bins; bin j = run of j+1 bits; last bin: longer runs).
// The bits generated are charged to the ledger (component = plugin id, event bits_generated).
// Summary columns: max |P(1) - p|, mean |lag-1 autocorrelation|, mean energy per bit.
//
//   task = device_characterization
//   [device]
//   plugin = device.lfsr
//   [characterization]
//   levels = 5            # or: probabilities = 0.1,0.5,0.9
//   n_bits = 65536
#include <fmt/format.h>

#include <cmath>
#include <vector>

#include "spinsc/bit_source.hpp"
#include "spinsc/run_context.hpp"
#include "spinsc/stream_statistics.hpp"
#include "error_text.hpp"

namespace spinsc {

namespace {

void declare_characterization_section(OptionsBuilder& add) {
  add("levels", param<int>(5)->range(2, 4097), "number of bipolar levels of [-1, 1] (5 or 11 in the paper)");
  add("probabilities", param("levels"),
      "explicit target probabilities P(1), comma-separated; 'levels' = use the bipolar levels");
  add("n_bits", param<std::int64_t>(65536)->range(64, 1e10), "length of each measured stream, bits");
  add("n_streams", param<int>(4)->range(2, 100000), "independent streams per level (standard errors by batch means)");
  add("max_lag", param<int>(16)->range(1, 4096), "largest lag of the recorded autocorrelation, bits");
  add("histogram_bins", param<int>(32)->range(2, 100000), "bins of the run-length (dwell) histograms, 1 bit each");
}

std::vector<double> target_probabilities(const Params& section) {
  const std::string text = section.get<std::string>("probabilities");
  std::vector<double> targets;
  if (text == "levels") {
    const int q = section.get<int>("levels");
    for (int k = 0; k < q; ++k) targets.push_back((-1.0 + 2.0 * k / (q - 1) + 1.0) / 2.0);
    return targets;
  }
  for (const std::string& item : split_list_keeping_empty(text)) {
    if (item.empty())
      throw ParamError(fmt::format("value '{}' of 'characterization.probabilities' has an empty item",
                                   shown_in_error(text)));
    double p = 0;
    try {
      std::size_t used = 0;
      p = std::stod(item, &used);
      if (used != item.size()) throw std::invalid_argument(item);
    } catch (const std::exception&) {
      throw ParamError(fmt::format("value '{}' of 'characterization.probabilities' is not a list of numbers",
                                   shown_in_error(text)));
    }
    if (!(p >= 0.0 && p <= 1.0))
      throw ParamError(fmt::format("probability {} in 'characterization.probabilities' is outside [0, 1]", item));
    targets.push_back(p);
  }
  if (targets.empty()) throw ParamError("'characterization.probabilities' is empty");
  return targets;
}

struct LevelMeasurement {
  double p1_mean = 0, p1_se = 0, scc = 0, switches_per_bit = 0, mean_run_ones = 0, mean_run_zeros = 0;
  std::vector<double> autocorrelation;          // lags 1..max_lag, averaged over streams
  std::vector<std::int64_t> runs_ones, runs_zeros;  // histogram counts
};

void add_runs(const std::vector<std::size_t>& runs, std::vector<std::int64_t>& histogram, double& total, double& count) {
  for (std::size_t r : runs) {
    ++histogram[std::min(r, histogram.size()) - 1];
    total += double(r);
    count += 1;
  }
}

LevelMeasurement measure_level(BitSource& device, double p, std::size_t n_bits, int n_streams, int max_lag,
                               int bins, const RunContext& ctx, std::uint64_t level_index) {
  LevelMeasurement m;
  m.autocorrelation.assign(max_lag, 0.0);
  m.runs_ones.assign(bins, 0);
  m.runs_zeros.assign(bins, 0);
  std::vector<std::uint64_t> words(words_for_bits(n_bits)), partner(words_for_bits(n_bits));
  const RandomStream base = ctx.random("device_characterization", level_index);
  double sum = 0, sum2 = 0, scc_sum = 0, switches = 0, ones_total = 0, ones_count = 0, zeros_total = 0,
         zeros_count = 0;
  std::vector<int> lag_counts(max_lag, 0);
  for (int s = 0; s < n_streams; ++s) {
    RandomStream rng = base.substream(2 * s);
    switches += double(device.generate({p, n_bits, 0}, words, rng));
    const double p1 = double(stream_stats::count_ones(words, n_bits)) / double(n_bits);
    sum += p1, sum2 += p1 * p1;
    for (int lag = 1; lag <= max_lag; ++lag) {
      const double r = stream_stats::autocorrelation(words, n_bits, lag);
      if (std::isfinite(r)) m.autocorrelation[lag - 1] += r, ++lag_counts[lag - 1];
    }
    add_runs(stream_stats::complete_runs(words, n_bits, true), m.runs_ones, ones_total, ones_count);
    add_runs(stream_stats::complete_runs(words, n_bits, false), m.runs_zeros, zeros_total, zeros_count);
    RandomStream partner_rng = base.substream(2 * s + 1);
    device.generate({p, n_bits, 1}, partner, partner_rng);
    scc_sum += stream_stats::scc(words, partner, n_bits);
  }
  m.p1_mean = sum / n_streams;
  m.p1_se = std::sqrt(std::max(0.0, sum2 / n_streams - m.p1_mean * m.p1_mean) / (n_streams - 1));
  for (int lag = 0; lag < max_lag; ++lag)
    m.autocorrelation[lag] = lag_counts[lag] ? m.autocorrelation[lag] / lag_counts[lag] : std::nan("");
  m.scc = scc_sum / n_streams;
  m.switches_per_bit = switches / (double(n_streams) * double(n_bits));
  m.mean_run_ones = ones_count ? ones_total / ones_count : std::nan("");
  m.mean_run_zeros = zeros_count ? zeros_total / zeros_count : std::nan("");
  return m;
}

void run_device_characterization(RunContext& ctx) {
  const Params section = ctx.config.section("characterization");
  const std::string plugin = ctx.config.get<std::string>("device.plugin");
  const std::vector<double> targets = target_probabilities(section);
  const auto n_bits = static_cast<std::size_t>(section.get<std::int64_t>("n_bits"));
  const int n_streams = section.get<int>("n_streams"), max_lag = section.get<int>("max_lag");
  const int bins = section.get<int>("histogram_bins");
  std::unique_ptr<BitSource> device = ctx.make<BitSource>(plugin);

  const std::size_t n = targets.size();
  std::vector<double> bipolar(n), control(n), p1(n), p1_se(n), lag1(n), scc(n), energy(n), time(n), switches(n),
      run_ones(n), run_zeros(n), autocorrelation(n * max_lag);
  std::vector<std::int64_t> hist_ones(n * bins), hist_zeros(n * bins);
  double max_error = 0, mean_abs_lag1 = 0, mean_energy = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const double p = targets[k];
    ctx.progress.step(fmt::format("{} P(1) = {:.4g}", plugin, p), double(k) / n);
    const LevelMeasurement m = measure_level(*device, p, n_bits, n_streams, max_lag, bins, ctx, k);
    bipolar[k] = 2 * p - 1;
    control[k] = device->control_for(p);
    p1[k] = m.p1_mean, p1_se[k] = m.p1_se, lag1[k] = m.autocorrelation[0], scc[k] = m.scc;
    energy[k] = device->energy_per_bit_J(p), time[k] = device->time_per_bit_s(p);
    switches[k] = m.switches_per_bit, run_ones[k] = m.mean_run_ones, run_zeros[k] = m.mean_run_zeros;
    std::copy(m.autocorrelation.begin(), m.autocorrelation.end(), autocorrelation.begin() + k * max_lag);
    std::copy(m.runs_ones.begin(), m.runs_ones.end(), hist_ones.begin() + k * bins);
    std::copy(m.runs_zeros.begin(), m.runs_zeros.end(), hist_zeros.begin() + k * bins);
    // Two streams per repetition were generated (the second for the SCC).
    ctx.ledger.add({plugin, "", "bits_generated"}, 2ull * n_streams * n_bits, energy[k], time[k]);
    // Switching events of the measured streams (their energy is inside the energy per bit).
    ctx.ledger.add({plugin, "", "switching_events"},
                   static_cast<std::uint64_t>(std::llround(m.switches_per_bit * double(n_streams) * double(n_bits))), 0.0);
    max_error = std::max(max_error, std::abs(p1[k] - p));
    if (std::isfinite(lag1[k])) mean_abs_lag1 += std::abs(lag1[k]) / n;
    mean_energy += energy[k] / n;
  }
  ctx.record.put("device/probability_requested", targets, "1");
  ctx.record.put("device/bipolar_level", bipolar, "1");
  ctx.record.put("device/control", control, device->control_unit().empty() ? "1" : device->control_unit());
  ctx.record.attribute("device/control", "control_unit", device->control_unit());
  ctx.record.put("device/p1_measured", p1, "1");
  ctx.record.put("device/p1_standard_error", p1_se, "1");
  ctx.record.put("device/lag1_autocorrelation", lag1, "1");
  ctx.record.put_matrix("device/autocorrelation", autocorrelation, n, max_lag, "1");
  ctx.record.attribute("device/autocorrelation", "lags", fmt::format("1..{} bits (columns)", max_lag));
  ctx.record.put("device/scc", scc, "1");
  ctx.record.put("device/energy_per_bit_J", energy, "J");
  ctx.record.put("device/time_per_bit_s", time, "s");
  ctx.record.put("device/switching_events_per_bit", switches, "1");
  ctx.record.put("device/mean_run_ones", run_ones, "bits");
  ctx.record.put("device/mean_run_zeros", run_zeros, "bits");
  ctx.record.put_matrix("device/dwell_histogram_ones", hist_ones, n, bins, "1");
  ctx.record.put_matrix("device/dwell_histogram_zeros", hist_zeros, n, bins, "1");
  for (const char* h : {"device/dwell_histogram_ones", "device/dwell_histogram_zeros"})
    ctx.record.attribute(h, "bins", fmt::format("column j counts runs of j+1 bits; the last column runs of >= {} bits", bins));
  ctx.record.attribute("device", "plugin", plugin);
  ctx.record.attribute("device", "n_bits", std::int64_t(n_bits));
  ctx.record.attribute("device", "n_streams", std::int64_t(n_streams));
  ctx.record.summary("max_abs_p1_error", max_error, "1");
  ctx.record.summary("mean_abs_lag1_autocorrelation", mean_abs_lag1, "1");
  ctx.record.summary("mean_energy_per_bit_J", mean_energy, "J");
  ctx.progress.message(fmt::format("{}: {} levels, max |P(1) - p| = {:.4f}, mean |lag-1| = {:.3f}, mean energy {:.3g} J/bit",
                                   plugin, n, max_error, mean_abs_lag1, mean_energy));
}

}  // namespace

}  // namespace spinsc

SPINSC_REGISTER_SECTION("characterization", spinsc::declare_characterization_section)
SPINSC_REGISTER_TASK("device_characterization", spinsc::run_device_characterization,
                     "measure a device: P(1), autocorrelation, SCC, dwell histograms, energy and time per bit per level")
