#pragma once
// JunctionEnsemble: N macrospin junctions integrated together, structure of arrays, as the
// "system" of an Odeint stepper (heun_stepper.hpp). It owns the per-junction constants and the
// thermal noise; the state (EnsembleState) is separate, as Odeint expects.
//
//   JunctionEnsemble ensemble(model, coefficients, streams);  // streams: one per junction
//   EnsembleState m = EnsembleState::uniform(n, {0, 0, 1});
//   boost::numeric::odeint::integrate_const(HeunStratonovichStepper(), std::ref(ensemble), m,
//                                           0.0, t_end, dt, observer);
#include <cmath>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <vector>

#include "macrospin_model.hpp"
#include "thermal_noise.hpp"

namespace spinsc::smtj_llg {

// Unit magnetization vectors of N junctions: three arrays of N (dimensionless).
struct EnsembleState {
  std::vector<double> x, y, z;

  static EnsembleState uniform(std::size_t n, const Vec3& m) {
    return {std::vector<double>(n, m.x), std::vector<double>(n, m.y), std::vector<double>(n, m.z)};
  }
  std::size_t size() const { return z.size(); }
  Vec3 at(std::size_t j) const { return {x[j], y[j], z[j]}; }
  void set(std::size_t j, const Vec3& m) { x[j] = m.x; y[j] = m.y; z[j] = m.z; }
};

// The thermal field of one step: component c of junction j is sigma[j] * normal_c[j] (A/m).
struct ThermalFieldView {
  const float* normal_x;  // nullptr at zero temperature
  const float* normal_y;
  const float* normal_z;
  const double* sigma_A_per_m;
};

class JunctionEnsemble {
 public:
  // `streams` gives one random stream per junction; it may be empty only if every junction has
  // thermal_diffusion == 0 (zero temperature: deterministic).
  JunctionEnsemble(const MacrospinModel& model, const std::vector<JunctionCoefficients>& junctions,
                   std::vector<RandomStream> streams)
      : model_(model), terms_(model) {
    hk_.reserve(junctions.size());
    for (const auto& c : junctions) {
      hk_.push_back(c.hk_uniaxial_A_per_m);
      diffusion_.push_back(c.thermal_diffusion);
      aj0_.push_back(c.aj0_A_per_m);
      if (c.thermal_diffusion > 0) thermal_ = true;
    }
    if (thermal_) {
      if (streams.size() != junctions.size())
        throw std::invalid_argument("JunctionEnsemble: need one random stream per junction");
      noise_.emplace(std::move(streams));
    }
    sigma_.assign(junctions.size(), 0.0);
  }

  std::size_t size() const { return hk_.size(); }
  const MacrospinModel& model() const { return model_; }
  const DriftTerms& drift_terms() const { return terms_; }
  const double* hk_uniaxial() const { return hk_.data(); }
  const double* aj0() const { return aj0_.data(); }
  // Changes the damping-like torque of every junction (a new bias), keeping the noise streams.
  void set_aj0(double aj0_A_per_m) { aj0_.assign(aj0_.size(), aj0_A_per_m); }

  // A fresh thermal field for a step of length dt (held constant within the step, as the Heun
  // scheme for the Stratonovich interpretation requires). Variance per component D / dt.
  ThermalFieldView thermal_field(double dt) {
    if (!thermal_) return {nullptr, nullptr, nullptr, sigma_.data()};
    if (dt != sigma_dt_) {
      for (std::size_t j = 0; j < size(); ++j) sigma_[j] = std::sqrt(diffusion_[j] / dt);
      sigma_dt_ = dt;
    }
    const ThermalNoise::StepNormals n = noise_->next_step();
    return {n.x, n.y, n.z, sigma_.data()};
  }

 private:
  MacrospinModel model_;
  DriftTerms terms_;
  std::vector<double> hk_, diffusion_, aj0_, sigma_;
  double sigma_dt_ = -1.0;
  bool thermal_ = false;
  std::optional<ThermalNoise> noise_;
};

}  // namespace spinsc::smtj_llg
