#pragma once
// Shared set-up of the device.smtj_llg physics tests: a junction ensemble with a given Delta,
// damping and mu0 H_K,eff (thin film, N = (0, 0, 1), so the demagnetizing term is exercised), and
// an observer that records dwell times through the Schmitt trigger.
#include <utility>  // before Odeint (Boost 1.74's check_adapter.hpp needs std::pair)
#include <boost/numeric/odeint/integrate/integrate_const.hpp>

#include <functional>
#include <vector>

#include "heun_stepper.hpp"
#include "junction_ensemble.hpp"
#include "physical_constants.hpp"
#include "schmitt_readout.hpp"

namespace spinsc::smtj_llg::test {

struct TestMagnet {
  double delta = 3.0;
  double alpha = 0.5;
  double mu0_hk_eff_T = 0.5;
  double temperature_K = 300.0;
  double ms_A_per_m = 1e6;
  double h_ext_z_A_per_m = 0.0;
  double aj_over_alpha_hk = 0.0;  // damping-like torque a_J in units of alpha H_K,eff (angle independent)

  double hk_eff() const { return mu0_hk_eff_T / kMu0; }
  // Volume for the requested Delta = mu0 Ms H_K V / (2 kB T).
  double volume_m3() const { return 2.0 * delta * kBoltzmann_J_per_K * temperature_K / (kMu0 * ms_A_per_m * hk_eff()); }
  // tau_N = (1 + alpha^2) Ms V / (2 alpha gamma_e kB T), the time unit of the first-passage integrals.
  double tau_n_s() const {
    return (1.0 + alpha * alpha) * ms_A_per_m * volume_m3() / (2.0 * alpha * kGammaE_rad_per_s_T * kBoltzmann_J_per_K * temperature_K);
  }
  // The reduced axial field h = (H_z + a_J/alpha)/H_K,eff of the exact 1D reduction.
  double reduced_field() const { return h_ext_z_A_per_m / hk_eff() + aj_over_alpha_hk; }
  // A fraction of the largest step physics.md recommends, 0.02 / (gamma0 H_K). Equilibrium
  // averages are insensitive to it; mean dwell times converge from above as dt falls
  // (docs/smtj_llg.md), so the dwell tests use a smaller fraction.
  double step_fraction = 0.45;
  double time_step_s() const { return step_fraction * 0.02 / (kGamma0_m_per_A_s * hk_eff()); }

  MacrospinModel model() const {
    MacrospinModel m;
    m.alpha = alpha;
    m.ms_A_per_m = ms_A_per_m;
    m.demag_x = m.demag_y = 0.0;
    m.demag_z = 1.0;
    m.h_ext_A_per_m = {0.0, 0.0, h_ext_z_A_per_m};
    return m;
  }
  JunctionCoefficients junction() const {
    JunctionCoefficients c;
    c.hk_uniaxial_A_per_m = hk_eff() + ms_A_per_m;  // H_K,eff + (N_z - N_x) Ms
    c.thermal_diffusion = smtj_llg::thermal_diffusion(alpha, temperature_K, ms_A_per_m, volume_m3());
    c.aj0_A_per_m = aj_over_alpha_hk * alpha * hk_eff();
    return c;
  }
  JunctionEnsemble ensemble(std::size_t n, std::uint64_t seed, const char* purpose) const {
    std::vector<RandomStream> streams;
    const RandomStream base(seed, purpose);
    for (std::size_t j = 0; j < n; ++j) streams.push_back(base.substream(j));
    return JunctionEnsemble(model(), std::vector<JunctionCoefficients>(n, junction()), std::move(streams));
  }
};

// Integrates `steps` steps with integrate_const; `observe(state, step_index)` sees every state
// after the first (the start is not observed).
template <class Observe>
void integrate_steps(JunctionEnsemble& ensemble, EnsembleState& m, std::size_t steps, double dt, Observe&& observe) {
  std::size_t index = 0;
  bool first = true;
  auto observer = [&](const EnsembleState& state, double) {
    if (first) {
      first = false;
      return;
    }
    observe(state, ++index);
  };
  boost::numeric::odeint::integrate_const(HeunStratonovichStepper(), std::ref(ensemble), m, 0.0,
                                          static_cast<double>(steps) * dt, dt, std::ref(observer));
}

// Dwell times through a Schmitt trigger at m_z = -+threshold. The first dwell of each junction
// starts at an unknown time and is dropped; afterwards the first `per_junction` complete dwells
// in each state are kept (a fixed count per junction: no bias towards short dwells from a fixed
// end time).
class DwellRecorder {
 public:
  DwellRecorder(std::size_t n, double threshold, std::size_t per_junction)
      : DwellRecorder(n, -threshold, threshold, per_junction) {}
  // Asymmetric thresholds: the state turns antiparallel below mz_one_below, parallel above
  // mz_zero_above (the plugin's read-out thresholds, DevicePhysics::mz_thresholds_at).
  DwellRecorder(std::size_t n, double mz_one_below, double mz_zero_above, std::size_t per_junction)
      : trigger_(mz_one_below, mz_zero_above, n), last_flip_step_(n, -1), per_junction_(per_junction),
        count_parallel_(n, 0), count_antiparallel_(n, 0) {}

  void start(const EnsembleState& m) { trigger_.reset(m.z.data()); }
  void observe(const EnsembleState& m, std::size_t step, double dt) {
    if (trigger_.update(m.z.data()) == 0) return;
    const auto& flipped = trigger_.flipped();
    const auto& bits = trigger_.bits();
    for (std::size_t j = 0; j < flipped.size(); ++j) {
      if (!flipped[j]) continue;
      if (last_flip_step_[j] >= 0) {
        const double dwell = static_cast<double>(static_cast<long long>(step) - last_flip_step_[j]) * dt;
        // bits[j] is the new state: the dwell that ended was in the other one.
        if (bits[j] == 1 && count_parallel_[j] < per_junction_) {
          parallel_.push_back(dwell);
          ++count_parallel_[j];
        } else if (bits[j] == 0 && count_antiparallel_[j] < per_junction_) {
          antiparallel_.push_back(dwell);
          ++count_antiparallel_[j];
        }
      }
      last_flip_step_[j] = static_cast<long long>(step);
    }
  }
  bool complete() const {
    for (std::size_t j = 0; j < count_parallel_.size(); ++j)
      if (count_parallel_[j] < per_junction_ || count_antiparallel_[j] < per_junction_) return false;
    return true;
  }
  const std::vector<double>& parallel() const { return parallel_; }          // m_z > 0 dwells, s
  const std::vector<double>& antiparallel() const { return antiparallel_; }  // m_z < 0 dwells, s
  const std::vector<std::uint32_t>& bits() const { return trigger_.bits(); }  // 1: antiparallel now

 private:
  SchmittTrigger trigger_;
  std::vector<long long> last_flip_step_;
  std::size_t per_junction_;
  std::vector<std::size_t> count_parallel_, count_antiparallel_;
  std::vector<double> parallel_, antiparallel_;
};

struct MeanAndError {
  double mean = 0.0, standard_error = 0.0;
};
inline MeanAndError mean_and_error(const std::vector<double>& values) {
  double s = 0.0, s2 = 0.0;
  for (double v : values) s += v, s2 += v * v;
  const double n = static_cast<double>(values.size());
  const double mean = s / n;
  return {mean, std::sqrt(std::max(0.0, s2 / n - mean * mean) / (n - 1.0))};
}

}  // namespace spinsc::smtj_llg::test
