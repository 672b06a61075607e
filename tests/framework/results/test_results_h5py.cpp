// Requirement 6 (issue 2): h5py (Debian's python3-h5py) reads a results file without help:
// str attributes and units, UTF-8 text datasets, the /summary columns in order, and the runs and
// their network through the index's external links.
#define BOOST_TEST_MODULE results_h5py
#include <boost/test/unit_test.hpp>
#include <cstdlib>

#include "results_test_support.hpp"

using namespace results_test;

BOOST_AUTO_TEST_CASE(h5py_reads_summary_units_and_strings) {
  ScratchFolder folder("h5py");
  const fs::path file = folder.path() / "for_h5py.h5";
  {
    auto store = spinsc::open_hdf5_store(file, sample_identity(), false);
    // Runs 0 to 3 evaluate one trained network (stored once, linked from each run).
    for (std::uint64_t run = 0; run < 4; ++run) {
      spinsc::RunOutcome outcome = sample_outcome(run);
      outcome.training_id = "00000000000000a1";
      spinsc::RunRecord record = sample_record(run);
      add_network(record, 1.0);
      store->write_run(outcome, record);
    }
    store->finish("2026-01-01T00:04:00Z");
  }
  const std::string command = std::string("'") + SPINSC_PYTHON3 + "' '" + SPINSC_H5PY_CHECK + "' '" +
                              file.string() + "' 4";
  BOOST_TEST_MESSAGE(command);
  const int status = std::system(command.c_str());
  BOOST_TEST(status == 0, "the h5py check failed (see its output above): " << command);
}
