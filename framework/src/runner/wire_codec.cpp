// Run records and matrices as message bytes (see wire_codec.hpp).
#include "runner/wire_codec.hpp"

namespace spinsc::wire {

void write_record(Writer& w, const RunRecord& record) {
  w.u64(record.datasets().size());
  for (const auto& [path, dataset] : record.datasets()) {
    w.str(path);
    w.u64(dataset.data.index());
    if (auto* d = std::get_if<std::vector<double>>(&dataset.data)) {
      w.u64(d->size());
      for (double v : *d) w.f64(v);
    } else if (auto* i = std::get_if<std::vector<std::int64_t>>(&dataset.data)) {
      w.u64(i->size());
      for (std::int64_t v : *i) w.i64(v);
    } else {
      const auto& s = std::get<std::vector<std::string>>(dataset.data);
      w.u64(s.size());
      for (const auto& v : s) w.str(v);
    }
    w.u64(dataset.shape.size());
    for (std::size_t n : dataset.shape) w.u64(n);
    w.str(dataset.units);
    w.attributes(dataset.attributes);
  }
  w.u64(record.attributes().size());
  for (const auto& [path, attributes] : record.attributes()) {
    w.str(path);
    w.attributes(attributes);
  }
  w.u64(record.summary_values().size());
  for (const auto& [column, value_units] : record.summary_values()) {
    w.str(column);
    w.f64(value_units.first);
    w.str(value_units.second);
  }
}

RunRecord read_record(Reader& r) {
  RunRecord record;
  for (std::uint64_t n = r.count(32); n > 0; --n) {
    const std::string path = r.str();
    DatasetRecord dataset;
    const std::uint64_t kind = r.u64();
    if (kind == 0) {
      std::vector<double> values(r.count(8));
      for (double& v : values) v = r.f64();
      dataset.data = std::move(values);
    } else if (kind == 1) {
      std::vector<std::int64_t> values(r.count(8));
      for (std::int64_t& v : values) v = r.i64();
      dataset.data = std::move(values);
    } else if (kind == 2) {
      std::vector<std::string> values(r.count(8));
      for (std::string& v : values) v = r.str();
      dataset.data = std::move(values);
    } else {
      r.fail();
    }
    dataset.shape.resize(r.count(8));
    for (std::size_t& s : dataset.shape) s = r.u64();
    dataset.units = r.str();
    dataset.attributes = r.attributes();
    record.put(path, std::move(dataset));
  }
  for (std::uint64_t n = r.count(16); n > 0; --n) {
    const std::string path = r.str();
    for (auto& [name, value] : r.attributes()) record.attribute(path, name, std::move(value));
  }
  for (std::uint64_t n = r.count(24); n > 0; --n) {
    const std::string column = r.str();
    const double value = r.f64();
    record.summary(column, value, r.str());
  }
  return record;
}

void write_matrices(Writer& w, const std::vector<const Matrix*>& matrices) {
  w.u64(matrices.size());
  for (const Matrix* m : matrices) {
    w.u64(std::uint64_t(m->rows()));
    w.u64(std::uint64_t(m->cols()));
    for (Eigen::Index i = 0; i < m->size(); ++i) w.f32(m->data()[i]);
  }
}

std::vector<Matrix> read_matrices(Reader& r) {
  std::vector<Matrix> matrices(r.count(16));
  for (Matrix& m : matrices) {
    const std::uint64_t rows = r.u64(), cols = r.u64();
    if (cols != 0 && rows > r.left() / sizeof(float) / cols) r.fail();  // a damaged shape cannot allocate much
    m.resize(Eigen::Index(rows), Eigen::Index(cols));
    for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = r.f32();
  }
  return matrices;
}

}  // namespace spinsc::wire
