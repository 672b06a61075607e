#pragma once
// Calibration of device.smtj_llg: P(1) (the fraction of antiparallel read-outs) against the bias,
// measured by simulation on a grid of biases, like a bench calibration of the real part. The
// inverse (bias for a requested probability) is the DAC level the device is driven at.
//
// At each grid bias, `junctions` nominal junctions run `burn_in_clocks` and then `clocks` clock
// periods; P(1) is the mean of the per-junction fractions and its standard error their spread
// over sqrt(junctions) (junctions are independent, so correlation inside a stream is accounted
// for). The measured points are made monotone (pool-adjacent-violators) and interpolated
// linearly in logit(P) between grid points.
#include <cstdint>
#include <string>
#include <vector>

#include "device_physics.hpp"
#include "spinsc/params.hpp"

namespace spinsc::smtj_llg {

void declare_calibration_parameters(OptionsBuilder& add);

struct CalibrationSettings {
  int points;
  double max_bias;  // V or A, by bias mode; the grid is linspace(-max, max, points)
  int junctions;
  int clocks;
  int burn_in_clocks;
  std::uint64_t seed;
  int threads;            // 0: all cores (the result does not depend on it)
  std::string cache_dir;  // "auto": $SPINSC_CACHE_DIR, $XDG_CACHE_HOME/spinsc, ~/.cache/spinsc, ./.spinsc-cache

  static CalibrationSettings from_params(const Params& params, BiasMode mode);
  std::string key_text() const;  // everything but threads and cache_dir
};

struct CalibrationCurve {
  std::string bias_unit;       // "V" or "A"
  std::vector<double> bias;    // ascending grid
  std::vector<double> p_one;   // measured P(1) at each bias
  std::vector<double> p_one_se;  // its standard error
  std::vector<double> p_monotone;  // p_one made monotone in bias (computed, not stored)

  void make_monotone();
  // The bias whose (interpolated) P(1) is p; p outside the calibrated range gives the end of the
  // grid (the DAC's extreme level) and the device cannot do better.
  double bias_for(double p) const;
  double p_one_at(double bias) const;
};

// Simulates the calibration (parallel over grid points; deterministic for any thread count).
CalibrationCurve compute_calibration(const DevicePhysics& physics, const CalibrationSettings& settings);

}  // namespace spinsc::smtj_llg
