// Trace files: HDF5 reader and writer (schema: trace_file.hpp, docs/trace-format.md).
#include "spinsc/trace_file.hpp"

#include <fmt/format.h>
#include <hdf5.h>

#include <cmath>

#include "results/atomic_file.hpp"
#include "results/h5_handle.hpp"
#include "results/h5_io.hpp"
#include "results/untrusted_hdf5.hpp"

namespace spinsc {

TraceError::~TraceError() = default;

namespace {

[[noreturn]] void fail(const std::filesystem::path& file, const std::string& what) {
  throw TraceError(fmt::format("trace file '{}': {}", file.string(), what));
}

void write_vector(hid_t group, const char* name, hid_t mem_type, hid_t file_type, const void* data, std::size_t n) {
  const hsize_t dims[1] = {hsize_t(n)};
  h5::Handle space = h5::check(H5Screate_simple(1, dims, nullptr), std::string("dataspace of ") + name);
  h5::Handle set = h5::check(H5Dcreate2(group, name, file_type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                             std::string("creating ") + name);
  h5::check_status(H5Dwrite(set, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), std::string("writing ") + name);
}

template <class T>
std::vector<T> read_vector(const std::filesystem::path& file, hid_t group, const std::string& where, const char* name,
                           hid_t mem_type, H5T_class_t expected_class) {
  h5::Handle set(H5Dopen2(group, name, H5P_DEFAULT));
  if (!set.valid()) fail(file, fmt::format("{}/{} cannot be opened as a dataset", where, name));
  h5::Handle type(H5Dget_type(set));
  if (H5Tget_class(type) != expected_class)
    fail(file, fmt::format("{}/{} has the wrong type (expected {})", where, name,
                           expected_class == H5T_INTEGER ? "unsigned 64-bit integers" : "64-bit floats"));
  h5::Handle space(H5Dget_space(set));
  if (H5Sget_simple_extent_ndims(space) != 1) fail(file, fmt::format("{}/{} is not one-dimensional", where, name));
  hsize_t n = 0;
  H5Sget_simple_extent_dims(space, &n, nullptr);
  // A damaged dataspace must not make us allocate more than the file could hold (compressed
  // data: up to deflate's best ratio, about 1000:1).
  h5::Handle properties(H5Dget_create_plist(set));
  const bool filtered = properties.valid() && H5Pget_nfilters(properties) > 0;
  try {
    h5::check_fits_in_file(set, n, sizeof(T), where + "/" + name, filtered ? 1100 : 1);
  } catch (const std::exception& e) {
    fail(file, e.what());
  }
  std::vector<T> values(n);
  if (n > 0 && H5Dread(set, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0)
    fail(file, fmt::format("{}/{} cannot be read: {}", where, name, h5::last_error_message()));
  return values;
}

// Infinities are never valid; NaN only where the schema gives it a meaning (`control` = none).
double real_attribute(const std::filesystem::path& file, hid_t object, const std::string& where, const char* name,
                      bool nan_allowed = false) {
  if (!h5::has_attribute(object, name)) fail(file, fmt::format("{} has no attribute '{}'", where, name));
  const AttributeValue value = h5::read_attribute(object, name);
  double number = 0;
  if (const double* d = std::get_if<double>(&value)) number = *d;
  else if (const std::int64_t* i = std::get_if<std::int64_t>(&value)) number = double(*i);
  else fail(file, fmt::format("attribute '{}' of {} is not a number", name, where));
  if (std::isinf(number) || (std::isnan(number) && !nan_allowed))
    fail(file, fmt::format("attribute '{}' of {} is {} (a finite number is needed)", name, where, number));
  return number;
}

// A bit count: a positive whole number, checked before any arithmetic is done with it (a
// negative count would wrap to a huge unsigned one, a count of 1e30 would not fit in 64 bits).
std::uint64_t count_attribute(const std::filesystem::path& file, hid_t object, const std::string& where,
                              const char* name) {
  if (!h5::has_attribute(object, name)) fail(file, fmt::format("{} has no attribute '{}'", where, name));
  const AttributeValue value = h5::read_attribute(object, name);
  if (const std::int64_t* i = std::get_if<std::int64_t>(&value)) {
    if (*i < 1) fail(file, fmt::format("attribute '{}' of {} is {} (a count >= 1 is needed)", name, where, *i));
    return std::uint64_t(*i);
  }
  if (const double* d = std::get_if<double>(&value)) {
    if (!(*d >= 1 && *d < 0x1p63 && std::floor(*d) == *d))
      fail(file, fmt::format("attribute '{}' of {} is {} (a whole count from 1 to 2^63 is needed)", name, where, *d));
    return std::uint64_t(*d);
  }
  fail(file, fmt::format("attribute '{}' of {} is not a number", name, where));
}

void validate_level(const std::filesystem::path& file, const std::string& where, const TraceLevel& level) {
  if (!(level.probability >= 0 && level.probability <= 1))
    fail(file, fmt::format("{} attribute 'probability' = {} is outside [0, 1]", where, level.probability));
  if (level.energy_per_bit_J < 0 && level.energy_per_bit_J != -1)
    fail(file, fmt::format("{} attribute 'energy_per_bit_J' = {} is negative", where, level.energy_per_bit_J));
  if (level.is_resistance()) {
    if (!(level.sample_period_s > 0)) fail(file, fmt::format("{} attribute 'sample_period_s' must be > 0", where));
    if (!(level.threshold_low_ohm <= level.threshold_high_ohm))
      fail(file, fmt::format("{} threshold_low_ohm = {} is above threshold_high_ohm = {}", where,
                             level.threshold_low_ohm, level.threshold_high_ohm));
    for (double r : level.resistance_ohm)
      if (!std::isfinite(r)) fail(file, fmt::format("{}/resistance_ohm holds a non-finite value", where));
  } else {
    if (level.n_bits == 0) fail(file, fmt::format("{} holds no bits (n_bits = 0)", where));
    const std::uint64_t words_needed = (level.n_bits - 1) / 64 + 1;  // n_bits >= 1: cannot wrap
    if (level.bits.size() != words_needed)
      fail(file, fmt::format("{}/bits has {} words but n_bits = {} needs {}", where, level.bits.size(), level.n_bits,
                             words_needed));
  }
}

}  // namespace

void write_trace_file(const std::filesystem::path& file, const TraceFile& trace) {
  // Built in memory (HDF5 core driver, no backing store) and put on disk in one atomic step by
  // the results store's writer: a temporary created with O_EXCL | O_NOFOLLOW, fsync, rename. A
  // full disk or a planted symlink is then one clear error, with no HDF5 file left half-closed.
  try {
    h5::QuietErrors quiet;
    h5::Handle access = h5::check(H5Pcreate(H5P_FILE_ACCESS), "making file access properties");
    h5::check_status(H5Pset_fapl_core(access, 1 << 20, 0), "selecting the in-memory driver");
    h5::Handle f = h5::check(H5Fcreate(file.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access), "creating it in memory");
    h5::set_attribute(f, "format", "spinsc-trace");
    h5::set_attribute(f, "format_version", kTraceFormatVersion);
    h5::set_attribute(f, "source", trace.source);
    h5::set_attribute(f, "clock_period_s", trace.clock_period_s);
    for (std::size_t k = 0; k < trace.levels.size(); ++k) {
      const TraceLevel& level = trace.levels[k];
      h5::Handle group = h5::create_group(f, fmt::format("levels/{:03d}", k));
      h5::set_attribute(group, "probability", level.probability);
      h5::set_attribute(group, "control", level.control);
      h5::set_attribute(group, "control_unit", level.control_unit);
      if (level.energy_per_bit_J >= 0) h5::set_attribute(group, "energy_per_bit_J", level.energy_per_bit_J);
      if (level.is_resistance()) {
        write_vector(group, "resistance_ohm", H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, level.resistance_ohm.data(),
                     level.resistance_ohm.size());
        h5::Handle set = h5::check(H5Dopen2(group, "resistance_ohm", H5P_DEFAULT), "reopening resistance_ohm");
        h5::set_attribute(set, "units", "Ohm");
        h5::set_attribute(set, "sample_period_s", level.sample_period_s);
        h5::set_attribute(set, "threshold_low_ohm", level.threshold_low_ohm);
        h5::set_attribute(set, "threshold_high_ohm", level.threshold_high_ohm);
      } else {
        write_vector(group, "bits", H5T_NATIVE_UINT64, H5T_STD_U64LE, level.bits.data(), level.bits.size());
        h5::Handle set = h5::check(H5Dopen2(group, "bits", H5P_DEFAULT), "reopening bits");
        h5::set_attribute(set, "units", "1");
        h5::set_attribute(set, "n_bits", level.n_bits);
      }
    }
    h5::check_status(H5Fflush(f, H5F_SCOPE_GLOBAL), "flushing it");
    const ssize_t size = H5Fget_file_image(f, nullptr, 0);
    if (size < 0) h5::check_status(-1, "sizing its image");
    std::vector<unsigned char> image(static_cast<std::size_t>(size));
    if (H5Fget_file_image(f, image.data(), image.size()) != size) h5::check_status(-1, "copying its image");
    results::prepare_writable_location(file, "trace file");
    results::replace_file_atomically(file, image.data(), image.size());
  } catch (const TraceError&) {
    throw;
  } catch (const std::exception& e) {
    fail(file, std::string("cannot be written: ") + e.what());
  }
}

TraceFile read_trace_file(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) fail(file, "does not exist");
  if (!std::filesystem::is_regular_file(file, ec)) fail(file, "is not a regular file");
  h5::QuietErrors quiet;
  if (H5Fis_hdf5(file.c_str()) <= 0) fail(file, "is not an HDF5 file");
  try {
    h5::check_untrusted_files({file});
  } catch (const std::exception& e) {
    fail(file, e.what());
  }
  h5::Handle f(H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  if (!f.valid()) fail(file, "cannot be opened (" + h5::last_error_message() + ")");
  TraceFile trace;
  try {
    if (!h5::has_attribute(f, "format") || h5::read_string_attribute(f, "format") != "spinsc-trace")
      fail(file, "root attribute 'format' is missing or not \"spinsc-trace\" (see docs/trace-format.md)");
    const double version = real_attribute(file, f, "the root group", "format_version");
    if (version != double(kTraceFormatVersion))
      fail(file, fmt::format("format_version {} is not supported (this spinsc reads version {})", version,
                             kTraceFormatVersion));
    trace.source = h5::has_attribute(f, "source") ? h5::read_string_attribute(f, "source") : "";
    trace.clock_period_s = real_attribute(file, f, "the root group", "clock_period_s");
    if (!(trace.clock_period_s > 0)) fail(file, "root attribute 'clock_period_s' must be > 0");
    if (!h5::exists(f, "levels")) fail(file, "has no group /levels");
    h5::Handle levels = h5::open_group(f, "levels");
    for (const std::string& name : h5::member_names(levels)) {
      const std::string where = "/levels/" + name;
      h5::Handle group(H5Gopen2(levels, name.c_str(), H5P_DEFAULT));
      if (!group.valid()) fail(file, where + " is not a group");
      TraceLevel level;
      level.probability = real_attribute(file, group, where, "probability");
      level.control =
          h5::has_attribute(group, "control") ? real_attribute(file, group, where, "control", true) : std::nan("");
      level.control_unit = h5::has_attribute(group, "control_unit") ? h5::read_string_attribute(group, "control_unit") : "";
      if (h5::has_attribute(group, "energy_per_bit_J"))
        level.energy_per_bit_J = real_attribute(file, group, where, "energy_per_bit_J");
      const bool has_bits = h5::exists(group, "bits"), has_resistance = h5::exists(group, "resistance_ohm");
      if (has_bits == has_resistance)
        fail(file, where + (has_bits ? " has both 'bits' and 'resistance_ohm'" : " has neither 'bits' nor 'resistance_ohm'"));
      if (has_bits) {
        level.bits = read_vector<std::uint64_t>(file, group, where, "bits", H5T_NATIVE_UINT64, H5T_INTEGER);
        h5::Handle set(H5Dopen2(group, "bits", H5P_DEFAULT));
        level.n_bits = count_attribute(file, set, where + "/bits", "n_bits");
      } else {
        level.resistance_ohm = read_vector<double>(file, group, where, "resistance_ohm", H5T_NATIVE_DOUBLE, H5T_FLOAT);
        if (level.resistance_ohm.empty()) fail(file, where + "/resistance_ohm is empty");
        h5::Handle set(H5Dopen2(group, "resistance_ohm", H5P_DEFAULT));
        const std::string at = where + "/resistance_ohm";
        level.sample_period_s = real_attribute(file, set, at, "sample_period_s");
        level.threshold_low_ohm = real_attribute(file, set, at, "threshold_low_ohm");
        level.threshold_high_ohm = real_attribute(file, set, at, "threshold_high_ohm");
      }
      validate_level(file, where, level);
      trace.levels.push_back(std::move(level));
    }
  } catch (const TraceError&) {
    throw;
  } catch (const std::exception& e) {
    fail(file, e.what());
  }
  if (trace.levels.empty()) fail(file, "/levels holds no level");
  return trace;
}

std::vector<std::uint64_t> resistance_to_bits(const TraceLevel& level, double clock_period_s, std::uint64_t* n_bits) {
  const std::size_t n_samples = level.resistance_ohm.size();
  const double duration = double(n_samples) * level.sample_period_s;
  // Samples t_k = k T with k T < duration. The count is checked before the float-to-integer
  // conversion (which is undefined beyond 2^64) and bounded so that the replay fits in memory.
  const double n_real = std::ceil(duration / clock_period_s - 1e-9);
  constexpr double kMaxReplayBits = 0x1p34;  // 2 GiB of packed bits
  if (!(n_real >= 1 && n_real <= kMaxReplayBits))
    throw TraceError(fmt::format("{} samples of {} s replayed at a clock of {} s would make {} bits (1 to 2^34 "
                                 "can be replayed)", n_samples, level.sample_period_s, clock_period_s, n_real));
  const auto n = static_cast<std::uint64_t>(n_real);
  std::vector<std::uint64_t> words((n + 63) / 64, 0);
  bool ap = level.resistance_ohm[0] >= 0.5 * (level.threshold_low_ohm + level.threshold_high_ohm);
  std::size_t next_sample = 0;
  for (std::uint64_t k = 0; k < n; ++k) {
    const auto last = std::min<std::size_t>(n_samples - 1, std::size_t(std::floor(k * clock_period_s / level.sample_period_s + 1e-9)));
    for (; next_sample <= last; ++next_sample) {  // run the trigger through every sample up to t_k
      const double r = level.resistance_ohm[next_sample];
      if (r >= level.threshold_high_ohm) ap = true;
      else if (r <= level.threshold_low_ohm) ap = false;
    }
    if (ap) words[k / 64] |= 1ull << (k % 64);
  }
  *n_bits = n;
  return words;
}

}  // namespace spinsc
