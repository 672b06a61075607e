#include "spinsc/ledger.hpp"

namespace spinsc {

void EnergyLedger::add(const LedgerKey& key, std::uint64_t count, double energy_per_event_J,
                       double latency_per_event_s, double cycles_per_event) {
  LedgerTotals& t = entries_[key];
  t.events += count;
  t.energy_J += static_cast<double>(count) * energy_per_event_J;
  t.latency_s += static_cast<double>(count) * latency_per_event_s;
  t.cycles += static_cast<double>(count) * cycles_per_event;
}

void EnergyLedger::merge(const EnergyLedger& other) {
  for (const auto& [key, totals] : other.entries_) add_totals(key, totals);
}

void EnergyLedger::add_totals(const LedgerKey& key, const LedgerTotals& totals) {
  LedgerTotals& t = entries_[key];
  t.events += totals.events;
  t.energy_J += totals.energy_J;
  t.latency_s += totals.latency_s;
  t.cycles += totals.cycles;
}

double EnergyLedger::total_energy_J() const {
  double sum = 0.0;
  for (const auto& entry : entries_) sum += entry.second.energy_J;
  return sum;
}

namespace {
template <class Select>
LedgerTotals totals_where(const std::map<LedgerKey, LedgerTotals>& entries, Select select) {
  LedgerTotals sum;
  for (const auto& [key, t] : entries) {
    if (!select(key)) continue;
    sum.events += t.events;
    sum.energy_J += t.energy_J;
    sum.latency_s += t.latency_s;
    sum.cycles += t.cycles;
  }
  return sum;
}
}  // namespace

LedgerTotals EnergyLedger::component_totals(const std::string& component) const {
  return totals_where(entries_, [&](const LedgerKey& k) { return k.component == component; });
}
LedgerTotals EnergyLedger::layer_totals(const std::string& layer) const {
  return totals_where(entries_, [&](const LedgerKey& k) { return k.layer == layer; });
}
LedgerTotals EnergyLedger::event_totals(const std::string& event) const {
  return totals_where(entries_, [&](const LedgerKey& k) { return k.event == event; });
}

}  // namespace spinsc
