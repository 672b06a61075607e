#include "device_physics.hpp"

#include <fmt/format.h>

#include <cmath>
#include <sstream>

#include "calibration.hpp"
#include "free_layer_params.hpp"

namespace spinsc::smtj_llg {

void declare_device_parameters(OptionsBuilder& add) {
  // Free layer: the worked superparamagnetic set of physics.md A (Delta = 3.7, mean dwell ~12 ns):
  // Ms = 1e6 A/m, mu0 H_K,eff = 0.20 T (thin film: N = (0, 0, 1), K_u = Ms (mu0 H_K,eff + mu0 Ms)/2),
  // 14 nm x 1 nm disk, alpha = 0.1.
  add("temperature_K", param<double>(300.0)->unit("K")->above(0.0), "temperature");
  add("saturation_magnetization_A_per_m", param<double>(1e6)->unit("A/m")->above(0.0), "free layer Ms");
  add("anisotropy_J_per_m3", param<double>(7.2832e5)->unit("J/m^3")->min(0.0),
      "uniaxial (interface) anisotropy K_u of the free layer; H_K,eff = 2K_u/(mu0 Ms) - (N_z - N_x) Ms");
  add("demag_factor_x", param<double>(0.0)->range(0.0, 1.0), "demagnetizing factor N_x");
  add("demag_factor_y", param<double>(0.0)->range(0.0, 1.0), "demagnetizing factor N_y");
  add("demag_factor_z", param<double>(1.0)->range(0.0, 1.0), "demagnetizing factor N_z (thin film: 1)");
  add("free_layer_diameter_m", param<double>(14e-9)->unit("m")->above(0.0), "free layer (disk) diameter");
  add("free_layer_thickness_m", param<double>(1e-9)->unit("m")->above(0.0), "free layer thickness t_F");
  add("damping", param<double>(0.1)->above(0.0), "Gilbert damping alpha");
  add("external_field_x_A_per_m", param<double>(0.0)->unit("A/m"), "external field, x (in plane)");
  add("external_field_y_A_per_m", param<double>(0.0)->unit("A/m"), "external field, y (in plane)");
  add("external_field_z_A_per_m", param<double>(0.0)->unit("A/m"), "external field, z (easy axis)");
  // Spin torque: a_J = hbar eta J / (e mu0 Ms t_F), eta = P Lambda^2/(Lambda^2 + 1 + (Lambda^2 - 1) m.p)
  // (= hbar P J / (2 e mu0 Ms t_F) at m = p).
  add("spin_polarization", param<double>(0.58)->range(0.0, 1.0), "spin polarization P (eta = P/2 at m = p)");
  add("slonczewski_lambda", param<double>(1.0)->above(0.0),
      "Slonczewski asymmetry Lambda of the angular efficiency (1: independent of angle)");
  add("field_like_ratio", param<double>(0.0), "field-like torque b_J / a_J (beta)");
  // Read-out.
  add("parallel_resistance_ohm", param<double>(100e3)->unit("ohm")->above(0.0), "resistance R_P of the parallel state");
  add("tmr", param<double>(1.0)->min(0.0), "tunnel magnetoresistance at zero bias (1 = 100 %)");
  add("tmr_half_bias_V", param<double>(0.5)->unit("V")->above(0.0), "V_h of the roll-off TMR0/(1 + V^2/V_h^2)");
  add("read_threshold_low", param<double>(0.4)->range(0.0, 1.0),
      "Schmitt trigger: bit turns 0 (parallel) when (R - R_P)/(R_AP - R_P) falls below this");
  add("read_threshold_high", param<double>(0.6)->range(0.0, 1.0),
      "Schmitt trigger: bit turns 1 (antiparallel) when (R - R_P)/(R_AP - R_P) rises above this");
  add("read_energy_J", param<double>(1e-15)->unit("J")->min(0.0),
      "energy of one read (sense amplifier) per bit; an assumption, not a measured value");
  add("bias_mode", param("voltage")->choices({"voltage", "current"}),
      "what the DAC sets: a voltage across the junction or a current through it (positive favours P)");
  add("time_step_s", param<double>(0.5e-12)->unit("s")->above(0.0),
      "fixed Heun time step; must satisfy dt gamma0 H_K,eff <= 0.05");
  add("clock_period_s", param<double>(10e-9)->unit("s")->above(0.0), "sampling period: one bit per period");
  // Device-to-device variation.
  add("delta_spread", param<double>(0.0)->min(0.0),
      "device-to-device spread of Delta: sigma of ln(Delta_device/Delta), drawn per device_index from the seed");
  add("variation_via", param("volume")->choices({"volume", "anisotropy"}), "what varies from device to device");
  // Streams.
  add("stream_segment_bits", param<int>(64)->min(0),
      "a long stream is made by junction copies integrated together, each giving this many consecutive bits "
      "(0: one junction makes the whole stream, exact correlation across the whole stream)");
  add("stream_burn_in_clocks", param<int>(1)->min(0), "clock periods run before the first bit of a segment");
  declare_calibration_parameters(add);
}

boost::program_options::variables_map default_device_parameters(const std::string& prefix,
                                                                 const std::vector<std::string>& overrides) {
  namespace po = boost::program_options;
  po::options_description description;
  OptionsBuilder builder(description, prefix);
  declare_device_parameters(builder);
  std::stringstream text;
  if (!overrides.empty()) text << "[" << prefix << "]\n";
  for (const auto& line : overrides) text << line << "\n";
  po::variables_map values;
  po::store(po::parse_config_file(text, description, false), values);
  po::notify(values);
  for (const auto& option : description.options()) {
    auto it = values.find(option->long_name());
    if (it == values.end()) continue;
    if (auto* info = dynamic_cast<const ParamInfo*>(option->semantic().get()))
      info->check(it->second.value(), option->long_name());
  }
  return values;
}

DevicePhysics DevicePhysics::from_params(const Params& p) {
  DevicePhysics d{};
  read_free_layer(p, d);
  d.anisotropy_J_per_m3 = p.get<double>("anisotropy_J_per_m3");
  d.demag_x = p.get<double>("demag_factor_x");
  d.demag_y = p.get<double>("demag_factor_y");
  d.demag_z = p.get<double>("demag_factor_z");
  d.h_ext_A_per_m = {p.get<double>("external_field_x_A_per_m"), p.get<double>("external_field_y_A_per_m"),
                     p.get<double>("external_field_z_A_per_m")};
  d.spin_polarization = p.get<double>("spin_polarization");
  d.slonczewski_lambda = p.get<double>("slonczewski_lambda");
  d.field_like_ratio = p.get<double>("field_like_ratio");
  d.resistance = {p.get<double>("parallel_resistance_ohm"), p.get<double>("tmr"), p.get<double>("tmr_half_bias_V")};
  d.bias_mode = p.get<std::string>("bias_mode") == "current" ? BiasMode::kCurrent : BiasMode::kVoltage;
  d.time_step_s = p.get<double>("time_step_s");
  d.clock_period_s = p.get<double>("clock_period_s");
  d.read_threshold_low = p.get<double>("read_threshold_low");
  d.read_threshold_high = p.get<double>("read_threshold_high");
  d.read_energy_J = p.get<double>("read_energy_J");
  d.delta_spread = p.get<double>("delta_spread");
  d.variation_via = p.get<std::string>("variation_via") == "anisotropy" ? VariationVia::kAnisotropy : VariationVia::kVolume;

  const double demag_sum = d.demag_x + d.demag_y + d.demag_z;
  if (std::abs(demag_sum - 1.0) > 1e-6)
    throw ParamError(fmt::format("demagnetizing factors '{}', '{}', '{}' sum to {}, must sum to 1",
                                 p.full_key("demag_factor_x"), p.full_key("demag_factor_y"),
                                 p.full_key("demag_factor_z"), demag_sum));
  if (d.demag_x != d.demag_y)
    throw ParamError(fmt::format("'{}' must equal '{}': the model (and its calibration) assume an axially symmetric free layer",
                                 p.full_key("demag_factor_x"), p.full_key("demag_factor_y")));
  if (!(d.hk_eff_A_per_m() > 0.0))
    throw ParamError(fmt::format("'{}' = {} J/m^3 gives H_K,eff = {} A/m <= 0: not a perpendicular free layer",
                                 p.full_key("anisotropy_J_per_m3"), d.anisotropy_J_per_m3, d.hk_eff_A_per_m()));
  const double stiffness = d.time_step_s * kGamma0_m_per_A_s * d.hk_eff_A_per_m();
  if (stiffness > 0.05)
    throw ParamError(fmt::format("'{}' = {} s is too long: dt gamma0 H_K,eff = {:.3g} > 0.05 (use dt <= {:.3g} s)",
                                 p.full_key("time_step_s"), d.time_step_s, stiffness,
                                 0.05 / (kGamma0_m_per_A_s * d.hk_eff_A_per_m())));
  if (d.clock_period_s < d.time_step_s)
    throw ParamError(fmt::format("'{}' = {} s is shorter than the time step", p.full_key("clock_period_s"), d.clock_period_s));
  if (d.read_threshold_low > d.read_threshold_high)
    throw ParamError(fmt::format("'{}' = {} is above '{}' = {}", p.full_key("read_threshold_low"), d.read_threshold_low,
                                 p.full_key("read_threshold_high"), d.read_threshold_high));
  return d;
}

double DevicePhysics::delta() const {
  return kMu0 * ms_A_per_m * hk_eff_A_per_m() * volume_m3() / (2.0 * kBoltzmann_J_per_K * temperature_K);
}

double DevicePhysics::voltage_V(double bias, double mz) const {
  if (bias_mode == BiasMode::kVoltage) return bias;
  // Current bias: V = I R(m); TMR(V) depends on V, solved by a few fixed-point iterations.
  double v = bias * resistance.r_parallel_ohm;
  for (int i = 0; i < 20; ++i) v = bias / resistance.conductance_S(mz, v);
  return v;
}

MacrospinModel DevicePhysics::model_at(double bias) const {
  MacrospinModel m;
  m.alpha = alpha;
  m.ms_A_per_m = ms_A_per_m;
  m.demag_x = demag_x;
  m.demag_y = demag_y;
  m.demag_z = demag_z;
  m.h_ext_A_per_m = h_ext_A_per_m;
  m.field_like_ratio = field_like_ratio;
  m.slonczewski_lambda = slonczewski_lambda;
  if (bias_mode == BiasMode::kVoltage) {
    const double g_p = 1.0 / resistance.r_parallel_ohm, g_ap = 1.0 / resistance.r_antiparallel_ohm(bias);
    m.current_asymmetry = (g_p - g_ap) / (g_p + g_ap);
  }
  return m;
}

JunctionCoefficients DevicePhysics::junction_at(double bias, double delta_factor) const {
  const bool by_volume = variation_via == VariationVia::kVolume;
  const double volume = volume_m3() * (by_volume ? delta_factor : 1.0);
  const double area = area_m2() * (by_volume ? delta_factor : 1.0);
  // Current at m_z = 0: voltage bias V (G_P + G_AP)/2, with G proportional to the area (fixed RA).
  double current_A = bias;
  if (bias_mode == BiasMode::kVoltage) {
    const double area_scale = by_volume ? delta_factor : 1.0;
    current_A = bias * 0.5 * (1.0 / resistance.r_parallel_ohm + 1.0 / resistance.r_antiparallel_ohm(bias)) * area_scale;
  }
  const double current_density = current_A / area;
  // a_J = hbar eta J / (e mu0 Ms t_F) with Slonczewski's eta = P/2 at m = p (Lambda-independent
  // there): hbar P J / (2 e mu0 Ms t_F), hbar/2 of angular momentum per polarized electron.
  const double eta_parallel = 0.5 * spin_polarization;
  JunctionCoefficients c;
  c.aj0_A_per_m = kHbar_J_s * eta_parallel * current_density / (kElementaryCharge_C * kMu0 * ms_A_per_m * thickness_m);
  const double hk_eff = hk_eff_A_per_m() * (by_volume ? 1.0 : delta_factor);
  c.hk_uniaxial_A_per_m = hk_eff + (demag_z - demag_x) * ms_A_per_m;
  c.thermal_diffusion = thermal_diffusion(alpha, temperature_K, ms_A_per_m, volume);
  return c;
}

std::pair<double, double> DevicePhysics::mz_thresholds_at(double bias) const {
  // Thresholds on R depend on TMR at the voltage across the junction; take it at m_z = 0.
  const double v = voltage_V(bias, 0.0);
  return {resistance.mz_at_normalized_resistance(read_threshold_high, v),
          resistance.mz_at_normalized_resistance(read_threshold_low, v)};
}

double DevicePhysics::energy_per_bit_J(double bias, double p_antiparallel) const {
  const double p_parallel = 1.0 - p_antiparallel;
  double power_W = 0.0;
  if (bias_mode == BiasMode::kVoltage) {
    power_W = bias * bias * (p_parallel / resistance.r_parallel_ohm + p_antiparallel / resistance.r_antiparallel_ohm(bias));
  } else {
    const double v_p = voltage_V(bias, 1.0), v_ap = voltage_V(bias, -1.0);
    power_W = std::abs(bias) * (p_parallel * std::abs(v_p) + p_antiparallel * std::abs(v_ap));
  }
  return power_W * clock_period_s + read_energy_J;
}

std::string DevicePhysics::calibration_key_text() const {
  // Full precision so that any change of a value changes the key. The model line carries the
  // version of the physics, so that curves cached by an older model are never reused.
  return fmt::format(
      "model=smtj_llg-{}\ntemperature_K={:.17g}\nms_A_per_m={:.17g}\nanisotropy_J_per_m3={:.17g}\n"
      "demag={:.17g},{:.17g},{:.17g}\ndiameter_m={:.17g}\nthickness_m={:.17g}\ndamping={:.17g}\n"
      "external_field_A_per_m={:.17g},{:.17g},{:.17g}\nspin_polarization={:.17g}\nslonczewski_lambda={:.17g}\n"
      "field_like_ratio={:.17g}\nparallel_resistance_ohm={:.17g}\ntmr={:.17g}\ntmr_half_bias_V={:.17g}\n"
      "bias_mode={}\ntime_step_s={:.17g}\nclock_period_s={:.17g}\nread_threshold_low={:.17g}\n"
      "read_threshold_high={:.17g}\n",
      kPhysicsVersion, temperature_K, ms_A_per_m, anisotropy_J_per_m3, demag_x, demag_y, demag_z, diameter_m, thickness_m, alpha,
      h_ext_A_per_m.x, h_ext_A_per_m.y, h_ext_A_per_m.z, spin_polarization, slonczewski_lambda, field_like_ratio,
      resistance.r_parallel_ohm, resistance.tmr0, resistance.tmr_half_bias_V, bias_unit(), time_step_s,
      clock_period_s, read_threshold_low, read_threshold_high);
}

}  // namespace spinsc::smtj_llg
