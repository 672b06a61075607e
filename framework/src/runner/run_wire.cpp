// Encoding of a finished run for another process (see run_wire.hpp): a tag, then every field as
// fixed-size integers, raw doubles, and strings as length + bytes.
#include "spinsc/run_wire.hpp"

#include "runner/wire_codec.hpp"

namespace spinsc {

namespace {

constexpr std::string_view kTag = "spinsc-run-1";
using wire::Reader;
using wire::Writer;

}  // namespace

std::string encode_run(const RunOutcome& outcome, const RunRecord& record) {
  Writer w;
  w.str(std::string(kTag));
  w.u64(outcome.run_index);
  w.str(outcome.run_id);
  w.str(outcome.training_id);
  w.pairs(outcome.swept);
  w.u64(outcome.seed);
  w.str(outcome.status);
  w.f64(outcome.wall_time_s);
  w.str(outcome.started_utc);
  w.str(outcome.finished_utc);
  write_record(w, record);
  return w.take();
}

void decode_run(std::string_view bytes, RunOutcome& outcome, RunRecord& record) {
  Reader r(bytes, "a run");
  if (r.str() != kTag) r.fail();
  outcome.run_index = r.u64();
  outcome.run_id = r.str();
  outcome.training_id = r.str();
  outcome.swept = r.pairs();
  outcome.seed = r.u64();
  outcome.status = r.str();
  outcome.wall_time_s = r.f64();
  outcome.started_utc = r.str();
  outcome.finished_utc = r.str();
  record = read_record(r);
  if (!r.done()) r.fail();
}

}  // namespace spinsc
