// spinsc trace export: records streams of any device plugin into a trace file (docs/trace-format.md)
// that device.trace replays. Bit streams by default; --resistance writes a resistance time series
// (R_P for 0, R_AP for 1, --oversample samples per bit, Gaussian read noise) with Schmitt-trigger
// thresholds at 40 % and 60 % of the way from R_P to R_AP.
#include <fmt/core.h>

#include <cmath>
#include <string>

#include "commands.hpp"
#include "spinsc/bit_source.hpp"
#include "spinsc/plugin_registry.hpp"
#include "spinsc/trace_file.hpp"

namespace spinsc::cli {

namespace {

void print_trace_help() {
  fmt::print(
      "Usage: spinsc trace export --device ID -o FILE.h5 [options] [--ID.key=value ...]\n\n"
      "Records one stream per level from device plugin ID into a trace file (docs/trace-format.md)\n"
      "that device.trace replays.\n\n"
      "  --device ID            device plugin, e.g. device.smtj_telegraph\n"
      "  -o, --output FILE      trace file to write (replaced only when complete)\n"
      "  --levels Q             the Q bipolar levels of [-1, 1], P(1) = (x+1)/2 (default 5)\n"
      "  --probabilities LIST   explicit P(1) values instead, e.g. 0.1,0.5,0.9\n"
      "  --bits N               bits per level (default 65536)\n"
      "  --seed S               seed of the device and its streams (default 1)\n"
      "  --resistance           write resistance time series instead of bits\n"
      "  --oversample K         resistance samples per bit (default 4)\n"
      "  --noise-ohm SIGMA      Gaussian read noise on each resistance sample (default 0)\n"
      "  --r-p-ohm R, --r-ap-ohm R   resistances of 0 and 1 (default 375e3 and 750e3)\n"
      "  --ID.key=value         a parameter of the device (spinsc describe ID lists them)\n");
}

double number_argument(const std::string& option, const std::string& text) {
  try {
    std::size_t used = 0;
    const double value = std::stod(text, &used);
    if (used == text.size() && std::isfinite(value)) return value;
  } catch (const std::exception&) {
  }
  throw ParamError(fmt::format("{} expects a number, got '{}'", option, text));
}

int command_trace_export(const Arguments& args) {
  std::string device_id, output, probabilities_text;
  double levels_value = 5;
  double bits = 65536, seed = 1, oversample = 4, noise_ohm = 0, r_p_ohm = 375e3, r_ap_ohm = 750e3;
  bool resistance = false;
  std::vector<std::string> device_args;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= args.size()) throw ParamError(arg + " needs a value");
      return args[++i];
    };
    if (arg == "--help" || arg == "-h") {
      print_trace_help();
      return 0;
    } else if (arg == "--device") device_id = value();
    else if (arg == "-o" || arg == "--output") output = value();
    else if (arg == "--levels") levels_value = number_argument(arg, value());
    else if (arg == "--probabilities") probabilities_text = value();
    else if (arg == "--bits") bits = number_argument(arg, value());
    else if (arg == "--seed") seed = number_argument(arg, value());
    else if (arg == "--resistance") resistance = true;
    else if (arg == "--oversample") oversample = number_argument(arg, value());
    else if (arg == "--noise-ohm") noise_ohm = number_argument(arg, value());
    else if (arg == "--r-p-ohm") r_p_ohm = number_argument(arg, value());
    else if (arg == "--r-ap-ohm") r_ap_ohm = number_argument(arg, value());
    else if (arg.rfind("--", 0) == 0 && arg.find('.') != std::string::npos) device_args.push_back(arg);
    else throw ParamError("unexpected argument '" + arg + "' (spinsc trace export --help says how)");
  }
  if (device_id.empty()) throw ParamError("--device ID is required (spinsc plugins lists the devices)");
  if (output.empty()) throw ParamError("-o FILE.h5 is required");
  // Range checks come before any conversion to an integer (undefined for NaN or out of range).
  if (!(levels_value >= 2 && levels_value <= 100000 && std::floor(levels_value) == levels_value))
    throw ParamError(fmt::format("--levels must be a whole number in [2, 100000], got {}", levels_value));
  const int levels = int(levels_value);
  if (!(seed >= 0 && seed < 0x1p63 && std::floor(seed) == seed))
    throw ParamError(fmt::format("--seed must be a whole number >= 0, got {}", seed));
  if (!(bits >= 1 && bits <= 1e10)) throw ParamError(fmt::format("--bits must be in [1, 1e10], got {}", bits));
  if (!(oversample >= 1 && oversample <= 1000)) throw ParamError("--oversample must be in [1, 1000]");
  if (!(r_ap_ohm > r_p_ohm && r_p_ohm > 0)) throw ParamError("--r-ap-ohm must exceed --r-p-ohm > 0");

  std::vector<double> targets;
  if (probabilities_text.empty()) {
    for (int k = 0; k < levels; ++k) targets.push_back(double(k) / (levels - 1));
  } else {
    for (const std::string& item : split_list(probabilities_text)) {
      const double p = number_argument("--probabilities", item);
      if (!(p >= 0 && p <= 1)) throw ParamError(fmt::format("--probabilities: {} is outside [0, 1]", item));
      targets.push_back(p);
    }
  }

  PluginRegistry registry;
  po::options_description description;
  registry.declare_options(device_id, description);
  po::variables_map config;
  po::store(po::command_line_parser(device_args).options(description).run(), config);
  po::notify(config);
  for (const auto& option : description.options()) {
    const auto* info = dynamic_cast<const ParamInfo*>(option->semantic().get());
    auto it = config.find(option->long_name());
    if (info && it != config.end() && !it->second.empty()) {
      if (const auto* number = boost::any_cast<double>(&it->second.value()); number && !std::isfinite(*number))
        throw ParamError(fmt::format("--{} = {} is not a finite number", option->long_name(), *number));
      info->check(it->second.value(), option->long_name());
    }
  }
  const auto seed_value = static_cast<std::uint64_t>(seed);
  std::unique_ptr<BitSource> device = create_as<BitSource>(registry, device_id, config, ComponentContext{seed_value, 0, 0});

  TraceFile trace;
  trace.source = fmt::format("spinsc trace export --device {} --seed {}", device_id, seed_value);
  for (const auto& a : device_args) trace.source += " " + a;
  trace.clock_period_s = device->time_per_bit_s(0.5);
  const auto n_bits = static_cast<std::uint64_t>(bits);
  const RandomStream base(seed_value, "trace-export");
  for (std::size_t k = 0; k < targets.size(); ++k) {
    TraceLevel level;
    level.probability = targets[k];
    level.control = device->control_for(targets[k]);
    level.control_unit = device->control_unit();
    level.energy_per_bit_J = device->energy_per_bit_J(targets[k]);
    std::vector<std::uint64_t> words(words_for_bits(n_bits));
    RandomStream rng = base.substream(k);
    device->generate({targets[k], n_bits, 0}, words, rng);
    if (!resistance) {
      level.bits = std::move(words);
      level.n_bits = n_bits;
    } else {
      const auto per_bit = static_cast<std::size_t>(oversample);
      RandomStream noise = base.derive("read-noise").substream(k);
      level.resistance_ohm.reserve(n_bits * per_bit);
      for (std::uint64_t t = 0; t < n_bits; ++t) {
        const bool one = (words[t / 64] >> (t % 64)) & 1u;
        for (std::size_t s = 0; s < per_bit; ++s)
          level.resistance_ohm.push_back((one ? r_ap_ohm : r_p_ohm) + noise_ohm * noise.normal());
      }
      level.sample_period_s = trace.clock_period_s / double(per_bit);
      level.threshold_low_ohm = r_p_ohm + 0.4 * (r_ap_ohm - r_p_ohm);
      level.threshold_high_ohm = r_p_ohm + 0.6 * (r_ap_ohm - r_p_ohm);
    }
    trace.levels.push_back(std::move(level));
  }
  write_trace_file(output, trace);
  fmt::print("wrote {}: {} levels x {} bits from {} ({})\n", output, targets.size(), n_bits, device_id,
             resistance ? "resistance time series" : "bit streams");
  return 0;
}

int command_trace(const Arguments& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    if (args.empty()) fmt::print(stderr, "spinsc trace: missing the subcommand (export)\n\n");
    print_trace_help();
    return args.empty() ? 1 : 0;
  }
  if (args[0] == "export") return command_trace_export(Arguments(args.begin() + 1, args.end()));
  throw ParamError("unknown trace subcommand '" + args[0] + "'; valid: export");
}

}  // namespace

}  // namespace spinsc::cli

SPINSC_CLI_COMMAND("trace", spinsc::cli::command_trace, "trace export: record any device's streams into a trace file")
