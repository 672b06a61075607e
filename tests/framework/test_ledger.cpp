// The energy ledger adds events times their price, per key; merging adds every total; the
// component, layer and event totals sum exactly the entries they name. Expected values are hand
// sums of the events recorded here (all binary fractions, so every comparison is exact).
#define BOOST_TEST_MODULE ledger
#include <boost/test/unit_test.hpp>

#include "spinsc/ledger.hpp"

using namespace spinsc;

BOOST_AUTO_TEST_CASE(add_prices_every_event) {
  EnergyLedger ledger;
  ledger.add({"device", "layer1", "bits_generated"}, 1000, 0.25, 0.5, 2.0);
  ledger.add({"device", "layer1", "bits_generated"}, 24, 0.25, 0.5, 2.0);  // same key: accumulates
  ledger.add({"sc.xnor", "layer1", "gate_ops"}, 8, 0.125);
  const LedgerTotals& t = ledger.entries().at({"device", "layer1", "bits_generated"});
  BOOST_TEST(t.events == 1024u);
  BOOST_TEST(t.energy_J == 256.0);
  BOOST_TEST(t.latency_s == 512.0);
  BOOST_TEST(t.cycles == 2048.0);
  const LedgerTotals& g = ledger.entries().at({"sc.xnor", "layer1", "gate_ops"});
  BOOST_TEST(g.events == 8u);
  BOOST_TEST(g.energy_J == 1.0);
  BOOST_TEST(g.latency_s == 0.0);
  BOOST_TEST(ledger.total_energy_J() == 257.0);
}

BOOST_AUTO_TEST_CASE(merge_adds_every_total_of_equal_keys_and_keeps_the_others) {
  EnergyLedger a, b;
  a.add({"device", "layer1", "bits_generated"}, 10, 0.5, 1.0, 1.0);
  a.add({"sc.xnor", "layer1", "gate_ops"}, 4, 0.25);
  b.add({"device", "layer1", "bits_generated"}, 6, 0.5, 1.0, 1.0);
  b.add({"device", "layer2", "bits_generated"}, 2, 0.5, 1.0, 1.0);
  a.merge(b);
  BOOST_TEST(a.entries().size() == 3u);
  const LedgerTotals& t = a.entries().at({"device", "layer1", "bits_generated"});
  BOOST_TEST(t.events == 16u);
  BOOST_TEST(t.energy_J == 8.0);
  BOOST_TEST(t.latency_s == 16.0);
  BOOST_TEST(t.cycles == 16.0);
  BOOST_TEST(a.entries().at({"device", "layer2", "bits_generated"}).events == 2u);
  BOOST_TEST(a.entries().at({"sc.xnor", "layer1", "gate_ops"}).events == 4u);
  BOOST_TEST(a.total_energy_J() == 8.0 + 1.0 + 1.0);
  // Merging twice adds twice (no overwrite), and merge order does not change integer counts.
  EnergyLedger c;
  c.merge(b);
  c.merge(b);
  BOOST_TEST(c.entries().at({"device", "layer1", "bits_generated"}).events == 12u);
}

BOOST_AUTO_TEST_CASE(totals_select_by_component_layer_and_event) {
  EnergyLedger ledger;
  ledger.add({"device", "layer1", "bits_generated"}, 3, 1.0, 0.5);
  ledger.add({"device", "layer2", "bits_generated"}, 5, 1.0, 0.5);
  ledger.add({"sc.xnor", "layer1", "gate_ops"}, 7, 0.5, 0.25);
  ledger.add({"sc.lut_sigmoid", "layer1", "activation_ops"}, 11, 0.0, 0.0, 9.0);
  const LedgerTotals device = ledger.component_totals("device");
  BOOST_TEST(device.events == 8u);
  BOOST_TEST(device.energy_J == 8.0);
  BOOST_TEST(device.latency_s == 4.0);
  const LedgerTotals layer1 = ledger.layer_totals("layer1");
  BOOST_TEST(layer1.events == 3u + 7u + 11u);
  BOOST_TEST(layer1.energy_J == 3.0 + 3.5);
  BOOST_TEST(layer1.latency_s == 1.5 + 1.75);
  BOOST_TEST(layer1.cycles == 99.0);
  BOOST_TEST(ledger.event_totals("bits_generated").events == 8u);
  BOOST_TEST(ledger.event_totals("nothing").events == 0u);
  ledger.clear();
  BOOST_TEST(ledger.entries().empty());
  BOOST_TEST(ledger.total_energy_J() == 0.0);
}
