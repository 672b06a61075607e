#include "spinsc/ledger_record.hpp"

#include <map>
#include <vector>

namespace spinsc {

namespace {

struct Columns {
  std::vector<std::int64_t> events;
  std::vector<double> energy_J, latency_s, cycles;
  void add(const LedgerTotals& t) {
    events.push_back(static_cast<std::int64_t>(t.events));
    energy_J.push_back(t.energy_J);
    latency_s.push_back(t.latency_s);
    cycles.push_back(t.cycles);
  }
  void put(RunRecord& record, const std::string& table) {
    record.put(table + "/events", std::move(events), "1");
    record.put(table + "/energy_J", std::move(energy_J), "J");
    record.put(table + "/latency_s", std::move(latency_s), "s");
    record.put(table + "/cycles", std::move(cycles), "cycles");
  }
};

void put_grouped(RunRecord& record, const std::string& table, const std::map<std::string, LedgerTotals>& groups) {
  if (groups.empty()) return;
  std::vector<std::string> names;
  Columns columns;
  for (const auto& [name, totals] : groups) {
    names.push_back(name);
    columns.add(totals);
  }
  record.put(table + "/name", std::move(names));
  columns.put(record, table);
}

void accumulate(LedgerTotals& sum, const LedgerTotals& t) {
  sum.events += t.events;
  sum.energy_J += t.energy_J;
  sum.latency_s += t.latency_s;
  sum.cycles += t.cycles;
}

}  // namespace

void record_ledger(const EnergyLedger& ledger, RunRecord& record, const std::string& group) {
  LedgerTotals total;
  std::map<std::string, LedgerTotals> by_component, by_layer;
  if (!ledger.entries().empty()) {
    std::vector<std::string> components, layers, events;
    Columns columns;
    for (const auto& [key, totals] : ledger.entries()) {
      components.push_back(key.component);
      layers.push_back(key.layer);
      events.push_back(key.event);
      columns.add(totals);
      accumulate(total, totals);
      accumulate(by_component[key.component], totals);
      if (!key.layer.empty()) accumulate(by_layer[key.layer], totals);
    }
    record.put(group + "/entries/component", std::move(components));
    record.put(group + "/entries/layer", std::move(layers));
    record.put(group + "/entries/event", std::move(events));
    columns.put(record, group + "/entries");
  }
  put_grouped(record, group + "/by_component", by_component);
  put_grouped(record, group + "/by_layer", by_layer);
  record.put_scalar(group + "/total/energy_J", total.energy_J, "J");
  record.put_scalar(group + "/total/latency_s", total.latency_s, "s");
  record.put_scalar(group + "/total/cycles", total.cycles, "cycles");
  record.put(group + "/total/events", std::vector<std::int64_t>{static_cast<std::int64_t>(total.events)}, "1");
}

}  // namespace spinsc
