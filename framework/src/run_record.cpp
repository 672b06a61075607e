#include "spinsc/run_record.hpp"

#include <stdexcept>

namespace spinsc {

void RunRecord::put(const std::string& path, std::vector<double> values, std::string units) {
  const std::size_t n = values.size();
  datasets_[path] = DatasetRecord{std::move(values), {n}, std::move(units), {}};
}
void RunRecord::put(const std::string& path, std::vector<std::int64_t> values, std::string units) {
  const std::size_t n = values.size();
  datasets_[path] = DatasetRecord{std::move(values), {n}, std::move(units), {}};
}
void RunRecord::put(const std::string& path, std::vector<std::string> values) {
  const std::size_t n = values.size();
  datasets_[path] = DatasetRecord{std::move(values), {n}, "", {}};
}
void RunRecord::put_matrix(const std::string& path, std::vector<double> row_major, std::size_t rows,
                           std::size_t cols, std::string units) {
  if (row_major.size() != rows * cols) throw std::invalid_argument("put_matrix: size mismatch for " + path);
  datasets_[path] = DatasetRecord{std::move(row_major), {rows, cols}, std::move(units), {}};
}
void RunRecord::put_matrix(const std::string& path, std::vector<std::int64_t> row_major,
                           std::size_t rows, std::size_t cols, std::string units) {
  if (row_major.size() != rows * cols) throw std::invalid_argument("put_matrix: size mismatch for " + path);
  datasets_[path] = DatasetRecord{std::move(row_major), {rows, cols}, std::move(units), {}};
}
void RunRecord::put_scalar(const std::string& path, double value, std::string units) {
  datasets_[path] = DatasetRecord{std::vector<double>{value}, {}, std::move(units), {}};
}
void RunRecord::put(const std::string& path, DatasetRecord dataset) { datasets_[path] = std::move(dataset); }
void RunRecord::attribute(const std::string& path, const std::string& name, AttributeValue value) {
  attributes_[path][name] = std::move(value);
}
void RunRecord::summary(const std::string& column, double value, std::string units) {
  summary_[column] = {value, std::move(units)};
}
const DatasetRecord& RunRecord::dataset(const std::string& path) const {
  auto it = datasets_.find(path);
  if (it == datasets_.end()) throw std::out_of_range("run record has no dataset '" + path + "'");
  return it->second;
}

}  // namespace spinsc
