#include "spinsc/result_store.hpp"

namespace spinsc {

ResultStoreError::~ResultStoreError() = default;
ResultStore::~ResultStore() = default;

bool MemoryResultStore::is_complete(std::uint64_t run_index) const {
  auto it = runs.find(run_index);
  return it != runs.end() && it->second.first.status == "complete";
}
std::vector<StoredRun> MemoryResultStore::stored_runs() const {
  std::vector<StoredRun> stored;
  for (const auto& [index, run] : runs) stored.push_back({index, run.first.run_id, run.first.status, run.first.swept});
  return stored;
}
void MemoryResultStore::write_run(const RunOutcome& outcome, const RunRecord& record) {
  runs[outcome.run_index] = {outcome, record};
}
void MemoryResultStore::finish(const std::string&) { finished = true; }

}  // namespace spinsc
