#pragma once
// The one conversion from an EnergyLedger to datasets of a RunRecord, used by the runner for
// every run (and by anyone else who records a ledger). Under `group` (default "ledger"):
//   entries/{component,layer,event}          strings, one row per (component, layer, event) key
//   entries/{events,energy_J,latency_s,cycles}  the totals of that key   [1, J, s, cycles]
//   by_component/{name,events,energy_J,latency_s,cycles}   totals per component
//   by_layer/{name,events,energy_J,latency_s,cycles}       totals per network layer (layer != "")
//   total/{events,energy_J,latency_s,cycles}               scalars over every entry
// Tables are left out when the ledger is empty (the totals are then 0).
#include <string>

#include "spinsc/ledger.hpp"
#include "spinsc/run_record.hpp"

namespace spinsc {

void record_ledger(const EnergyLedger& ledger, RunRecord& record, const std::string& group = "ledger");

}  // namespace spinsc
