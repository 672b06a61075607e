#include "pulsed_device.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "calibration_cache.hpp"
#include "delta_variation.hpp"
#include "free_layer_params.hpp"
#include "physical_constants.hpp"

namespace spinsc::pulsed_mtj {

using namespace smtj_llg;  // constants

void declare_pulsed_parameters(OptionsBuilder& add, const PulsedDefaults& d) {
  add("temperature_K", param<double>(300.0)->unit("K")->above(0.0), "temperature");
  add("saturation_magnetization_A_per_m", param<double>(1.2e6)->unit("A/m")->above(0.0), "free layer Ms");
  add("anisotropy_J_per_m2", param<double>(d.anisotropy_J_per_m2)->unit("J/m^2")->above(0.0),
      "interface anisotropy K_i of the free layer; H_K,eff = 2 K_i/(mu0 Ms t_F) - Ms must be > 0");
  add("free_layer_diameter_m", param<double>(d.diameter_m)->unit("m")->above(0.0), "free layer (disk) diameter");
  add("free_layer_thickness_m", param<double>(d.thickness_m)->unit("m")->above(0.0), "free layer thickness t_F");
  add("damping", param<double>(d.damping)->above(0.0), "Gilbert damping alpha");
  add("bias_field_x_A_per_m", param<double>(d.bias_field_x_A_per_m)->unit("A/m"),
      "in-plane bias field H_x (along the channel, x)");
  add("time_step_s", param<double>(d.time_step_s)->unit("s")->above(0.0),
      "fixed Heun time step; must satisfy dt gamma0 (H_K,eff + |H_ext|) <= 0.05");
  add("pulse_width_s", param<double>(d.pulse_s)->unit("s")->above(0.0), "width of the write pulse");
  add("relax_time_s", param<double>(d.relax_s)->unit("s")->min(0.0),
      "relaxation after the pulse before the read (also the settling before it)");
  add("parallel_resistance_ohm", param<double>(d.parallel_resistance_ohm)->unit("ohm")->above(0.0),
      "MTJ resistance R_P of the parallel state (read path)");
  add("tmr", param<double>(d.tmr)->min(0.0), "tunnel magnetoresistance (R_AP = R_P (1 + TMR))");
  add("read_voltage_V", param<double>(0.1)->unit("V")->min(0.0), "read voltage across the MTJ");
  add("read_time_s", param<double>(1e-9)->unit("s")->min(0.0), "read time per bit");
  add("sense_energy_J", param<double>(0.0)->unit("J")->min(0.0), "sense amplifier energy per read (an assumption)");
  add("calibration_points", param<int>(13)->min(3), "control grid points of the P(1) calibration, over [0, max]");
  add(d.control_key, param<double>(d.max_control)->unit(d.control_unit)->above(0.0), d.control_text);
  add("calibration_junctions", param<int>(256)->min(2), "write cycles simulated per grid point");
  add("calibration_seed", param<int>(1)->min(0), "seed of the calibration (independent of the experiment seed)");
  add("delta_spread", param<double>(0.0)->min(0.0),
      "device-to-device spread of Delta: sigma of ln(Delta_device/Delta), drawn per device_index from the seed "
      "(through the anisotropy; the calibration stays the nominal device's)");
  add("cache_dir", param("auto"),
      "folder of cached calibrations (HDF5); auto: $SPINSC_CACHE_DIR, else $XDG_CACHE_HOME/spinsc, else ~/.cache/spinsc");
}

PulsedPhysics PulsedPhysics::from_params(const Params& p) {
  PulsedPhysics d{};
  if (p.has("free_layer") && p.get<std::string>("free_layer") == "in_plane")
    d.in_plane_anisotropy_A_per_m = p.get<double>("in_plane_anisotropy_A_per_m");
  read_free_layer(p, d);
  d.anisotropy_J_per_m2 = p.get<double>("anisotropy_J_per_m2");
  d.h_ext_A_per_m = {p.get<double>("bias_field_x_A_per_m"), 0.0, 0.0};
  d.time_step_s = p.get<double>("time_step_s");
  d.pulse_s = p.get<double>("pulse_width_s");
  d.relax_s = p.get<double>("relax_time_s");
  d.r_parallel_ohm = p.get<double>("parallel_resistance_ohm");
  d.tmr = p.get<double>("tmr");
  d.read_voltage_V = p.get<double>("read_voltage_V");
  d.read_time_s = p.get<double>("read_time_s");
  d.sense_energy_J = p.get<double>("sense_energy_J");
  d.delta_spread = p.get<double>("delta_spread");
  if (!d.in_plane() && !(d.hk_eff_A_per_m() > 0.0))
    throw ParamError(fmt::format("'{}' = {} J/m^2 gives H_K,eff = {:.4g} A/m <= 0: not a perpendicular free layer",
                                 p.full_key("anisotropy_J_per_m2"), d.anisotropy_J_per_m2, d.hk_eff_A_per_m()));
  if (d.in_plane() && !(d.hk_eff_A_per_m() < 0.0))
    throw ParamError(fmt::format("'{}' = {} J/m^2 gives H_K,eff = {:.4g} A/m >= 0: the interface anisotropy holds an "
                                 "in-plane free layer out of the plane (lower it below mu0 Ms^2 t_F / 2)",
                                 p.full_key("anisotropy_J_per_m2"), d.anisotropy_J_per_m2, d.hk_eff_A_per_m()));
  // The fastest precession: about the anisotropy fields and the bias field (an in-plane layer's
  // demagnetizing field, ~Ms, needs a step ~30x shorter than a perpendicular layer's H_K,eff).
  const double stiffness = d.time_step_s * kGamma0_m_per_A_s *
                           (std::abs(d.hk_eff_A_per_m()) + d.in_plane_anisotropy_A_per_m + std::abs(d.h_ext_A_per_m.x));
  if (stiffness > 0.05)
    throw ParamError(fmt::format("'{}' = {} s is too long: dt gamma0 (|H_K,eff| + H_K,x + |H_x|) = {:.3g} > 0.05",
                                 p.full_key("time_step_s"), d.time_step_s, stiffness));
  if (d.pulse_s < d.time_step_s)
    throw ParamError(fmt::format("'{}' = {} s is shorter than the time step", p.full_key("pulse_width_s"), d.pulse_s));
  return d;
}

double PulsedPhysics::area_m2() const { return 0.25 * kPi * diameter_m * diameter_m; }
double PulsedPhysics::volume_m3() const { return area_m2() * thickness_m; }
double PulsedPhysics::hk_eff_A_per_m(double k_i) const {
  return 2.0 * k_i / (kMu0 * ms_A_per_m * thickness_m) - ms_A_per_m;
}
PulsedMacrospin PulsedPhysics::macrospin() const {
  PulsedMacrospin m;
  m.alpha = alpha;
  m.h_ext_A_per_m = h_ext_A_per_m;
  m.thermal_diffusion = thermal_diffusion();
  m.in_plane_anisotropy_A_per_m = in_plane_anisotropy_A_per_m;
  return m;
}
double PulsedPhysics::delta() const {
  const double hk = in_plane() ? in_plane_anisotropy_A_per_m : hk_eff_A_per_m();
  return kMu0 * ms_A_per_m * hk * volume_m3() / (2.0 * kBoltzmann_J_per_K * temperature_K);
}
double PulsedPhysics::thermal_diffusion() const {
  return smtj_llg::thermal_diffusion(alpha, temperature_K, ms_A_per_m, volume_m3());
}
double PulsedPhysics::torque_per_current_density(double efficiency) const {
  return kHbar_J_s * efficiency / (2.0 * kElementaryCharge_C * kMu0 * ms_A_per_m * thickness_m);
}
double PulsedPhysics::read_energy_J(double p_one) const {
  const double r_ap = r_parallel_ohm * (1.0 + tmr);
  return read_voltage_V * read_voltage_V * read_time_s * ((1.0 - p_one) / r_parallel_ohm + p_one / r_ap) + sense_energy_J;
}
std::string PulsedPhysics::key_text() const {
  return fmt::format(
      "temperature_K={:.17g}\nms={:.17g}\nK_i={:.17g}\ndiameter={:.17g}\nthickness={:.17g}\ndamping={:.17g}\n"
      "bias_field_x={:.17g}\ntime_step={:.17g}\npulse={:.17g}\nrelax={:.17g}\n",
             temperature_K, ms_A_per_m, anisotropy_J_per_m2, diameter_m, thickness_m, alpha, h_ext_A_per_m.x, time_step_s,
             pulse_s, relax_s) +
         (in_plane() ? fmt::format("in_plane_anisotropy={:.17g}\n", in_plane_anisotropy_A_per_m) : "");
}

PulsedMtjDevice::PulsedMtjDevice(const Params& params, const ComponentContext& context, std::string plugin_id,
                                 std::string control_unit, const std::string& control_key)
    : physics_(PulsedPhysics::from_params(params)),
      context_(context),
      plugin_id_(std::move(plugin_id)),
      control_unit_(std::move(control_unit)),
      points_(params.get<int>("calibration_points")),
      junctions_(params.get<int>("calibration_junctions")),
      max_control_(params.get<double>(control_key)),
      seed_(static_cast<std::uint64_t>(params.get<int>("calibration_seed"))),
      cache_dir_(params.get<std::string>("cache_dir")) {}

WriteCycleResult PulsedMtjDevice::write_cycles(double control, std::size_t n, std::vector<RandomStream> streams,
                                              double delta_factor) const {
  std::vector<PulsePhase> phases;
  if (settles()) phases.push_back({physics_.relax_s, physics_.hk_eff_A_per_m(), 0.0, 0.0});
  phases.push_back(pulse_at(control));
  phases.back().duration_s = physics_.pulse_s;
  phases.push_back(relax_at(control));
  phases.back().duration_s = physics_.relax_s;
  PulsedMacrospin model = model_at(control);
  if (physics_.in_plane()) {
    // Delta = mu0 Ms H_K,x V / (2 kB T): the junction's in-plane anisotropy differs.
    model.in_plane_anisotropy_A_per_m *= delta_factor;
  } else {
    // Delta = mu0 Ms H_K,eff V / (2 kB T): another K_i shifts H_K,eff in every phase alike.
    const double hk_shift = (delta_factor - 1.0) * physics_.hk_eff_A_per_m();
    for (PulsePhase& phase : phases) phase.hk_eff_A_per_m += hk_shift;
  }
  return run_write_cycle(model, phases, n, std::move(streams), physics_.time_step_s, {phases.size() - 2});
}

void PulsedMtjDevice::calibrate() {
  const std::string key =
      fmt::format("model={}-1\n{}{}points={}\nmin={:.17g}\nmax={:.17g}\njunctions={}\nseed={}\n", plugin_id_,
                  physics_.key_text(), device_key_text(), points_, min_control_, max_control_, junctions_, seed_);
  const std::string prefix = plugin_id_.substr(plugin_id_.find('.') + 1) + "_calibration_";
  const auto file = calibration_cache_file(resolve_cache_dir(cache_dir_), key, prefix);
  if (auto cached = load_calibration(file, key)) {
    curve_ = std::move(*cached);
    from_cache_ = true;
    return;
  }
  curve_.bias_unit = control_unit_;
  const RandomStream base(seed_, plugin_id_ + ".calibration");
  for (int k = 0; k < points_; ++k) {
    const double control = min_control_ + (max_control_ - min_control_) * k / (points_ - 1);
    std::vector<RandomStream> streams;
    for (int j = 0; j < junctions_; ++j) streams.push_back(base.substream(static_cast<std::uint64_t>(k)).substream(j));
    const WriteCycleResult r = write_cycles(control, static_cast<std::size_t>(junctions_), std::move(streams));
    double ones = 0.0;
    for (auto b : r.bits) ones += b;
    const double p = ones / junctions_;
    curve_.bias.push_back(control);
    curve_.p_one.push_back(p);
    curve_.p_one_se.push_back(std::sqrt(p * (1.0 - p) / junctions_));
  }
  curve_.make_monotone();
  save_calibration(file, key, curve_, plugin_id_);
}

std::uint64_t PulsedMtjDevice::generate(const StreamRequest& request, std::span<std::uint64_t> words, RandomStream& rng) {
  const std::size_t n_words = words_for_bits(request.n_bits);
  std::fill(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(n_words), 0ull);
  if (request.n_bits == 0) return 0;
  // Every bit is one write cycle of its own (reset) junction; all are integrated together.
  const RandomStream thermal(rng.next_u64(), plugin_id_ + ".thermal");
  std::vector<RandomStream> streams;
  for (std::size_t b = 0; b < request.n_bits; ++b) streams.push_back(thermal.substream(b));
  const WriteCycleResult r = write_cycles(control_for(request.probability), request.n_bits, std::move(streams),
                                          delta_factor(request.device_index));
  std::uint64_t switches = 0;
  for (std::size_t b = 0; b < request.n_bits; ++b) {
    words[b / 64] |= static_cast<std::uint64_t>(r.bits[b]) << (b % 64);
    switches += (settles() ? 2u : 1u) * r.bits[b];  // the switch (and its reset)
  }
  return switches;
}

double PulsedMtjDevice::delta_factor(std::uint64_t device_index) const {
  return smtj_llg::delta_factor(physics_.delta_spread, context_, plugin_id_ + ".variation", device_index);
}

double PulsedMtjDevice::control_for(double probability) const { return curve_.bias_for(std::clamp(probability, 0.0, 1.0)); }

double PulsedMtjDevice::energy_per_bit_J(double probability) const {
  const double control = control_for(probability);
  const double p = curve_.p_one_at(control);
  return write_energy_J(control) + p * reset_energy_J() + physics_.read_energy_J(p);
}

double PulsedMtjDevice::time_per_bit_s(double) const { return physics_.pulse_s + physics_.relax_s + physics_.read_time_s; }

}  // namespace spinsc::pulsed_mtj
