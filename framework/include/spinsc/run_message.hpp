#pragma once
// A finished run (its outcome and record) as bytes and back, so that a run made by one process
// can be stored by another (`mpirun -n N spinsc run`: every rank sends its runs to the rank that
// writes the results file). Decoding gives back exactly what was encoded, every value bit for
// bit; bytes that are not such a message are refused with std::runtime_error.
#include <string>
#include <utility>

#include "spinsc/result_store.hpp"

namespace spinsc {

std::string encode_run(const RunOutcome& outcome, const RunRecord& record);
std::pair<RunOutcome, RunRecord> decode_run(const std::string& bytes);

}  // namespace spinsc
