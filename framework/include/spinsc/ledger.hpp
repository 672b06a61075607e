#pragma once
// The energy and latency ledger. Every energy or latency figure spinsc reports comes from here:
// components record events (bits generated, gate operations, counter operations, activation
// look-ups or FSM steps) with their energy and latency per event; the run records the totals per
// component, per network layer and per event kind.
//
//   ledger.add({"device.smtj_telegraph", "layer1", "bits_generated"}, n_bits, 20e-15, 10e-9);
//
// Not thread-safe: give each thread its own ledger and merge() them in a fixed order.
#include <boost/config.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>

namespace spinsc {

struct LedgerKey {
  std::string component;  // plugin id or framework part, e.g. "sc.xnor"
  std::string layer;      // "layer1", ..., or "" when not tied to a layer
  std::string event;      // "bits_generated", "gate_ops", "counter_ops", "activation_cycles", ...
  auto operator<=>(const LedgerKey&) const = default;
};

struct LedgerTotals {
  std::uint64_t events = 0;
  double energy_J = 0.0;   // summed over events
  double latency_s = 0.0;  // summed over events (serial time if they ran one after another)
  double cycles = 0.0;     // summed clock cycles
};

class BOOST_SYMBOL_VISIBLE EnergyLedger {
 public:
  void add(const LedgerKey& key, std::uint64_t count, double energy_per_event_J,
           double latency_per_event_s = 0.0, double cycles_per_event = 0.0);
  void merge(const EnergyLedger& other);
  // Adds totals as merge() does (a ledger sent between processes is rebuilt with it, bit for bit).
  void add_totals(const LedgerKey& key, const LedgerTotals& totals);
  void clear() { entries_.clear(); }
  const std::map<LedgerKey, LedgerTotals>& entries() const { return entries_; }
  double total_energy_J() const;
  // Totals of all entries whose component (or layer, or event) equals the given name.
  LedgerTotals component_totals(const std::string& component) const;
  LedgerTotals layer_totals(const std::string& layer) const;
  LedgerTotals event_totals(const std::string& event) const;

 private:
  std::map<LedgerKey, LedgerTotals> entries_;
};

}  // namespace spinsc
