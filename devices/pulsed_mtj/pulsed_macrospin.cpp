#include "pulsed_macrospin.hpp"

#include <utility>  // before Odeint: Boost 1.74's check_adapter.hpp uses std::pair without it
#include <boost/numeric/odeint/integrate/integrate_const.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <stdexcept>

#include "thermal_noise.hpp"

namespace spinsc::pulsed_mtj {

PulsedEnsemble::PulsedEnsemble(const PulsedMacrospin& model, std::size_t n, std::vector<RandomStream> streams)
    : model_(model), n_(n), gamma_prime_(smtj_llg::kGamma0_m_per_A_s / (1.0 + model.alpha * model.alpha)) {
  sigma_.assign(n, 0.0);
  if (model_.thermal_diffusion > 0.0) {
    if (streams.size() != n) throw std::invalid_argument("PulsedEnsemble: need one random stream per junction");
    noise_ = std::make_shared<smtj_llg::ThermalNoise>(std::move(streams));
  }
}

ThermalFieldView PulsedEnsemble::thermal_field(double dt) {
  if (!noise_) return {nullptr, nullptr, nullptr, sigma_.data()};
  if (dt != sigma_dt_) {
    std::fill(sigma_.begin(), sigma_.end(), std::sqrt(model_.thermal_diffusion / dt));
    sigma_dt_ = dt;
  }
  const smtj_llg::ThermalNoise::StepNormals normals = noise_->next_step();
  return {normals.x, normals.y, normals.z, sigma_.data()};
}

WriteCycleResult run_write_cycle(const PulsedMacrospin& model, const std::vector<PulsePhase>& phases, std::size_t n,
                                 std::vector<RandomStream> streams, double dt, std::vector<std::size_t> watch,
                                 std::optional<Vec3> start) {
  PulsedEnsemble ensemble(model, n, std::move(streams));
  const Vec3 parallel = model.in_plane() ? Vec3{1.0, 0.0, 0.0} : Vec3{0.0, 0.0, 1.0};
  EnsembleState m = EnsembleState::uniform(n, start.value_or(parallel));
  WriteCycleResult result;
  for (std::size_t k = 0; k < phases.size(); ++k) {
    const auto steps = static_cast<std::size_t>(std::llround(phases[k].duration_s / dt));
    if (steps == 0) continue;
    ensemble.set_phase(phases[k]);
    const bool watched = std::find(watch.begin(), watch.end(), k) != watch.end();
    auto observe = [&](const EnsembleState& state, double) {
      if (watched)
        for (double z : state.z) result.min_mz_during_pulse = std::min(result.min_mz_during_pulse, z);
    };
    result.steps += boost::numeric::odeint::integrate_const(smtj_llg::SystemHeunStepper(), std::ref(ensemble), m, 0.0,
                                                            static_cast<double>(steps) * dt, dt, observe);
  }
  result.bits.resize(n);
  const std::vector<double>& easy = model.in_plane() ? m.x : m.z;
  for (std::size_t j = 0; j < n; ++j) result.bits[j] = easy[j] < 0.0 ? 1 : 0;
  result.final_mz = m.z;
  result.final_mx = m.x;
  return result;
}

}  // namespace spinsc::pulsed_mtj
