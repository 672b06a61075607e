#pragma once
// A finished run (its outcome and record) as bytes, so that a process that ran it can hand it to
// the process that writes the results file (spinsc run under mpirun). The encoding is private to
// one build of spinsc: every rank of a job runs the same binary, nothing is stored in this form.
#include <string>
#include <string_view>

#include "spinsc/result_store.hpp"
#include "spinsc/run_record.hpp"

namespace spinsc {

std::string encode_run(const RunOutcome& outcome, const RunRecord& record);
// Throws std::runtime_error if `bytes` is not what encode_run made.
void decode_run(std::string_view bytes, RunOutcome& outcome, RunRecord& record);

}  // namespace spinsc
