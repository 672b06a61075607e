// Cutting an SC evaluation into image ranges, and the messages of its shares (see
// sc_evaluation_sharing.hpp).
#include "spinsc/sc_evaluation_sharing.hpp"

#include <algorithm>

#include "runner/wire_codec.hpp"

namespace spinsc {

ScEvaluationSharing::~ScEvaluationSharing() = default;

std::vector<ImageRange> split_images(std::size_t n_images, std::size_t chunk_size, std::size_t parts) {
  const std::size_t chunk = std::max<std::size_t>(chunk_size, 1);
  const std::size_t n_chunks = (n_images + chunk - 1) / chunk;
  const std::size_t n_ranges = std::min(std::max<std::size_t>(parts, 1), n_chunks);
  std::vector<ImageRange> ranges;
  std::size_t next_chunk = 0;
  for (std::size_t r = 0; r < n_ranges; ++r) {
    // The first (n_chunks % n_ranges) ranges take one chunk more.
    const std::size_t chunks = n_chunks / n_ranges + (r < n_chunks % n_ranges ? 1 : 0);
    const std::size_t first = next_chunk * chunk;
    const std::size_t end = std::min((next_chunk + chunks) * chunk, n_images);
    ranges.push_back({first, end - first});
    next_chunk += chunks;
  }
  return ranges;
}

namespace {

constexpr std::string_view kJobTag = "spinsc-sc-job-1";
constexpr std::string_view kShardTag = "spinsc-sc-shard-1";

}  // namespace

std::string encode_sc_job(std::size_t point, const Mlp& network, ImageRange images) {
  wire::Writer w;
  w.str(std::string(kJobTag));
  w.u64(point);
  w.u64(images.first);
  w.u64(images.count);
  std::vector<const Matrix*> weights;
  for (std::size_t l = 0; l < network.n_layers(); ++l) weights.push_back(&network.weights(l));
  wire::write_matrices(w, weights);
  return w.take();
}

void decode_sc_job(std::string_view bytes, std::size_t& point, std::vector<Matrix>& weights, ImageRange& images) {
  wire::Reader r(bytes, "a share of an SC evaluation");
  if (r.str() != kJobTag) r.fail();
  point = r.u64();
  images.first = r.u64();
  images.count = r.u64();
  weights = wire::read_matrices(r);
  if (!r.done()) r.fail();
}

std::string encode_sc_shard(const ScShard& shard) {
  wire::Writer w;
  w.str(std::string(kShardTag));
  w.u64(shard.images.first);
  w.u64(shard.images.count);
  w.u64(shard.results.size());
  for (const ScRangeResult& result : shard.results) {
    w.u64(result.predictions.size());
    for (int p : result.predictions) w.i64(p);
    w.u64(result.chunk_ledgers.size());
    for (const EnergyLedger& ledger : result.chunk_ledgers) {
      w.u64(ledger.entries().size());
      for (const auto& [key, totals] : ledger.entries()) {
        w.str(key.component);
        w.str(key.layer);
        w.str(key.event);
        w.u64(totals.events);
        w.f64(totals.energy_J);
        w.f64(totals.latency_s);
        w.f64(totals.cycles);
      }
    }
    w.f64(result.wall_time_s);
  }
  return w.take();
}

ScShard decode_sc_shard(std::string_view bytes) {
  wire::Reader r(bytes, "a share of an SC evaluation's results");
  if (r.str() != kShardTag) r.fail();
  ScShard shard;
  shard.images.first = r.u64();
  shard.images.count = r.u64();
  shard.results.resize(r.count(24));
  for (ScRangeResult& result : shard.results) {
    result.predictions.resize(r.count(8));
    for (int& p : result.predictions) p = int(r.i64());
    result.chunk_ledgers.resize(r.count(8));
    for (EnergyLedger& ledger : result.chunk_ledgers) {
      for (std::uint64_t n = r.count(56); n > 0; --n) {
        LedgerKey key;
        key.component = r.str();
        key.layer = r.str();
        key.event = r.str();
        LedgerTotals totals;
        totals.events = r.u64();
        totals.energy_J = r.f64();
        totals.latency_s = r.f64();
        totals.cycles = r.f64();
        ledger.add_totals(key, totals);
      }
    }
    result.wall_time_s = r.f64();
  }
  if (!r.done()) r.fail();
  return shard;
}

}  // namespace spinsc
