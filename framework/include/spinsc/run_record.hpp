#pragma once
// RunRecord: everything one run produces, in memory, before it is written. Paths are relative
// to the run's group (/runs/NNNNNN/ in the results file), e.g. "training/loss" or
// "evaluation/sc/accuracy". Every dataset carries its units ("1" for dimensionless, "%" for
// accuracy in percent, "J", "s", "cycles", ...). The HDF5 store writes a finished record in one
// piece, so a run killed midway leaves nothing half-written; tests read records directly.
#include <boost/config.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace spinsc {

using AttributeValue = std::variant<std::int64_t, double, std::string>;

struct DatasetRecord {
  // One of: real data, integer data, or strings; stored row-major with `shape`.
  std::variant<std::vector<double>, std::vector<std::int64_t>, std::vector<std::string>> data;
  std::vector<std::size_t> shape;  // {n} for a vector, {rows, cols} for a matrix
  std::string units;
  std::map<std::string, AttributeValue> attributes;
};

class BOOST_SYMBOL_VISIBLE RunRecord {
 public:
  void put(const std::string& path, std::vector<double> values, std::string units);
  void put(const std::string& path, std::vector<std::int64_t> values, std::string units);
  void put(const std::string& path, std::vector<std::string> values);
  void put_matrix(const std::string& path, std::vector<double> row_major, std::size_t rows,
                  std::size_t cols, std::string units);
  void put_matrix(const std::string& path, std::vector<std::int64_t> row_major, std::size_t rows,
                  std::size_t cols, std::string units);
  void put_scalar(const std::string& path, double value, std::string units);
  // A dataset as it is (any shape); used to move datasets between records (the results store).
  void put(const std::string& path, DatasetRecord dataset);
  // Attribute on a group ("" = the run group itself, "training", ...) or on a dataset path.
  void attribute(const std::string& path, const std::string& name, AttributeValue value);
  // Values for the /summary table: one column per name, with units.
  void summary(const std::string& column, double value, std::string units);

  const std::map<std::string, DatasetRecord>& datasets() const { return datasets_; }
  const std::map<std::string, std::map<std::string, AttributeValue>>& attributes() const {
    return attributes_;
  }
  const std::map<std::string, std::pair<double, std::string>>& summary_values() const {
    return summary_;
  }
  const DatasetRecord& dataset(const std::string& path) const;  // throws if absent

 private:
  std::map<std::string, DatasetRecord> datasets_;
  std::map<std::string, std::map<std::string, AttributeValue>> attributes_;
  std::map<std::string, std::pair<double, std::string>> summary_;
};

}  // namespace spinsc
