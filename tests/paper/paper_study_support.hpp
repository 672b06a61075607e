#pragma once
// Helpers of the paper-study tests: run a study's command in a scratch folder, and read its
// results file with the HDF5 C API (independently of spinsc's own store code).
#include <hdf5.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

namespace paper_test {

namespace fs = std::filesystem;

// A fresh folder under the build tree, kept after the test for inspection (overwritten next time).
inline fs::path scratch(const std::string& name) {
  const fs::path dir = fs::path(SPINSC_BINARY_DIR) / "test-scratch" / ("paper_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

struct CommandResult {
  int exit_code = -1;
  std::string output;
};

// Runs `command` (a shell command line) with stdout and stderr into dir/log.txt.
inline CommandResult run(const fs::path& dir, const std::string& command) {
  const fs::path log = dir / "log.txt";
  const std::string line = command + " > '" + log.string() + "' 2>&1";
  const int status = std::system(line.c_str());
  std::ifstream in(log);
  CommandResult r;
  r.output.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

inline std::string cli() { return SPINSC_CLI; }
inline std::string source(const std::string& relative) { return (fs::path(SPINSC_SOURCE_DIR) / relative).string(); }

class File {
 public:
  explicit File(const fs::path& p) : id_(H5Fopen(p.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT)) {
    if (id_ < 0) throw std::runtime_error("cannot open " + p.string());
  }
  ~File() { H5Fclose(id_); }
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  bool exists(const std::string& path) const { return H5Lexists(id_, path.c_str(), H5P_DEFAULT) > 0; }

  std::vector<double> doubles(const std::string& path) const {
    const hid_t ds = open(path);
    std::vector<double> out(points(ds));
    H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data());
    H5Dclose(ds);
    return out;
  }
  double scalar(const std::string& path) const { return doubles(path).at(0); }

  std::vector<std::string> strings(const std::string& path) const {
    const hid_t ds = open(path);
    const std::size_t n = points(ds);
    std::vector<char*> raw(n, nullptr);
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    H5Tset_cset(type, H5T_CSET_UTF8);
    H5Dread(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data());
    std::vector<std::string> out;
    for (char* s : raw) out.emplace_back(s ? s : "");
    const hid_t space = H5Dget_space(ds);
    H5Dvlen_reclaim(type, space, H5P_DEFAULT, raw.data());
    H5Sclose(space);
    H5Tclose(type);
    H5Dclose(ds);
    return out;
  }

  // Attributes are read from the opened object: runs are files of their own behind external
  // links, and libhdf5 1.10 cannot read a text attribute opened by name through such a link
  // (H5Aopen_by_name; docs/results-format.md, "Reading it with the HDF5 C API").
  std::string attribute(const std::string& object, const std::string& name) const {
    const hid_t o = H5Oopen(id_, object.c_str(), H5P_DEFAULT);
    if (o < 0) throw std::runtime_error("no object " + object);
    const hid_t a = H5Aopen(o, name.c_str(), H5P_DEFAULT);
    H5Oclose(o);
    if (a < 0) throw std::runtime_error("no attribute " + object + "@" + name);
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    H5Tset_cset(type, H5T_CSET_UTF8);
    char* raw = nullptr;
    H5Aread(a, type, &raw);
    std::string out = raw ? raw : "";
    H5free_memory(raw);
    H5Tclose(type);
    H5Aclose(a);
    return out;
  }

  std::int64_t int_attribute(const std::string& object, const std::string& name) const {
    const hid_t o = H5Oopen(id_, object.c_str(), H5P_DEFAULT);
    if (o < 0) throw std::runtime_error("no object " + object);
    const hid_t a = H5Aopen(o, name.c_str(), H5P_DEFAULT);
    H5Oclose(o);
    if (a < 0) throw std::runtime_error("no attribute " + object + "@" + name);
    std::int64_t value = 0;
    H5Aread(a, H5T_NATIVE_INT64, &value);
    H5Aclose(a);
    return value;
  }

 private:
  hid_t open(const std::string& path) const {
    const hid_t ds = H5Dopen2(id_, path.c_str(), H5P_DEFAULT);
    if (ds < 0) throw std::runtime_error("no dataset " + path);
    return ds;
  }
  static std::size_t points(hid_t ds) {
    const hid_t space = H5Dget_space(ds);
    const auto n = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space));
    H5Sclose(space);
    return n;
  }
  hid_t id_;
};

// One run's ledger (runs/NNNNNN/ledger/entries): totals of the entries whose layer starts with
// `layer_prefix` (e.g. "L100/") and whose event is `event`.
struct LedgerSum {
  double events = 0, energy_J = 0, latency_s = 0, cycles = 0;
};
inline LedgerSum ledger_sum(const File& f, const std::string& run, const std::string& layer_prefix,
                            const std::string& event) {
  const std::string e = run + "/ledger/entries/";
  const auto layers = f.strings(e + "layer"), events = f.strings(e + "event");
  const auto n = f.doubles(e + "events"), energy = f.doubles(e + "energy_J"), latency = f.doubles(e + "latency_s"),
             cycles = f.doubles(e + "cycles");
  LedgerSum s;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    if (layers[i].rfind(layer_prefix, 0) != 0 || events[i] != event) continue;
    s.events += n[i], s.energy_J += energy[i], s.latency_s += latency[i], s.cycles += cycles[i];
  }
  return s;
}

}  // namespace paper_test
