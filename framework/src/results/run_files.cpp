#include "results/run_files.hpp"

#include <fmt/format.h>

#include <cstring>
#include <regex>
#include <vector>

#include "spinsc/result_store.hpp"

namespace fs = std::filesystem;

namespace spinsc::results {

fs::path runs_folder_for(const fs::path& file) {
  fs::path folder = file;
  folder += ".runs";
  return folder;
}

std::string free_file_name(const fs::path& folder, const std::string& stem) {
  std::error_code ec;
  std::string name = stem + ".h5";
  for (int k = 1; fs::exists(folder / name, ec) || fs::is_symlink(folder / name, ec); ++k) {
    name = fmt::format("{}.{}.h5", stem, k);
  }
  return name;
}

std::string run_file_stem(std::uint64_t run_index) { return fmt::format("{:06d}", run_index); }
std::string network_file_stem(const std::string& training_id) { return "network-" + training_id; }

void link_to_file(hid_t group, const std::string& name, const std::string& target) {
  h5::check_status(H5Lcreate_external(target.c_str(), "/", group, name.c_str(), H5P_DEFAULT, H5P_DEFAULT),
                   "linking '" + name + "' to '" + target + "'");
}

std::string linked_file(hid_t group, const std::string& name) {
  H5L_info_t info{};
  h5::check_status(H5Lget_info(group, name.c_str(), &info, H5P_DEFAULT), "reading the link '" + name + "'");
  if (info.type != H5L_TYPE_EXTERNAL) {
    throw ResultStoreError(fmt::format("'{}' is not a link to a run or network file", name));
  }
  if (info.u.val_size == 0 || info.u.val_size > 4096) {
    throw ResultStoreError(fmt::format("the link '{}' has a damaged target", name));
  }
  std::vector<char> value(info.u.val_size);
  h5::check_status(H5Lget_val(group, name.c_str(), value.data(), value.size(), H5P_DEFAULT),
                   "reading the link '" + name + "'");
  unsigned flags = 0;
  const char* file = nullptr;
  const char* object = nullptr;
  h5::check_status(H5Lunpack_elink_val(value.data(), value.size(), &flags, &file, &object),
                   "reading the link '" + name + "'");
  if (file == nullptr || object == nullptr || std::strcmp(object, "/") != 0) {
    throw ResultStoreError(fmt::format("the link '{}' does not point to the root of a file", name));
  }
  return file;
}

void remove_unreferenced_files(const fs::path& folder, const std::set<std::string>& referenced) {
  // Only names spinsc writes here: "000042.h5", "000042.1.h5", "network-<id>.h5", "... .h5.writing".
  static const std::regex ours(R"((\d{6,}|network-[0-9A-Za-z_-]+)(\.\d+)?\.h5(\.writing)?)");
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return;
  std::vector<fs::path> debris;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    const std::string name = entry.path().filename().string();
    if (std::regex_match(name, ours) && !referenced.count(name)) debris.push_back(entry.path());
  }
  for (const auto& path : debris) fs::remove(path, ec);
}

namespace {
bool in_network(const std::string& path) {
  const std::size_t n = std::strlen(kNetworkGroup);
  return path.compare(0, n, kNetworkGroup) == 0 && (path.size() == n || path[n] == '/');
}
std::string below_network(const std::string& path) {
  const std::size_t n = std::strlen(kNetworkGroup);
  return path.size() == n ? std::string() : path.substr(n + 1);
}

// FNV-1a, 64 bit, over a byte sequence that spells every part of the record with its length.
class Hasher {
 public:
  void bytes(const void* data, std::size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < n; ++i) hash_ = (hash_ ^ p[i]) * 1099511628211ull;
  }
  void number(std::uint64_t v) { bytes(&v, sizeof v); }
  void text(const std::string& s) {
    number(s.size());
    bytes(s.data(), s.size());
  }
  void value(const AttributeValue& v) {
    number(v.index());
    std::visit([&](const auto& x) {
      if constexpr (std::is_same_v<std::decay_t<decltype(x)>, std::string>) {
        text(x);
      } else {
        bytes(&x, sizeof x);
      }
    }, v);
  }
  std::uint64_t result() const { return hash_; }

 private:
  std::uint64_t hash_ = 14695981039346656037ull;
};
}  // namespace

SplitRecord split_network(const RunRecord& record) {
  SplitRecord split;
  for (const auto& [path, dataset] : record.datasets()) {
    const bool network = in_network(path) && path != kNetworkGroup;
    RunRecord& to = network ? split.network : split.rest;
    const std::string at = network ? below_network(path) : path;
    to.put(at, dataset);
  }
  for (const auto& [path, attributes] : record.attributes()) {
    const bool network = in_network(path);
    for (const auto& [name, value] : attributes) {
      (network ? split.network : split.rest).attribute(network ? below_network(path) : path, name, value);
    }
  }
  for (const auto& [column, value_units] : record.summary_values()) {
    split.rest.summary(column, value_units.first, value_units.second);
  }
  return split;
}

std::string content_hash(const RunRecord& record) {
  Hasher h;
  for (const auto& [path, dataset] : record.datasets()) {
    h.text(path);
    h.number(dataset.shape.size());
    for (auto d : dataset.shape) h.number(d);
    h.text(dataset.units);
    h.number(dataset.data.index());
    std::visit([&](const auto& values) {
      h.number(values.size());
      for (const auto& v : values) {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>) {
          h.text(v);
        } else {
          h.bytes(&v, sizeof v);
        }
      }
    }, dataset.data);
    for (const auto& [name, value] : dataset.attributes) {
      h.text(name);
      h.value(value);
    }
  }
  for (const auto& [path, attributes] : record.attributes()) {
    h.text(path);
    for (const auto& [name, value] : attributes) {
      h.text(name);
      h.value(value);
    }
  }
  return fmt::format("{:016x}", h.result());
}

}  // namespace spinsc::results
