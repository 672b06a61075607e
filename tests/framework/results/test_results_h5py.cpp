// Requirement 6 (issue 2): h5py (Debian's python3-h5py) reads a results file without help:
// str attributes and units, UTF-8 text datasets, the /summary columns in order.
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
    for (std::uint64_t run = 0; run < 4; ++run) store->write_run(sample_outcome(run), sample_record(run));
    store->finish("2026-01-01T00:04:00Z");
  }
  const std::string command = std::string("'") + SPINSC_PYTHON3 + "' '" + SPINSC_H5PY_CHECK + "' '" +
                              file.string() + "' 4";
  BOOST_TEST_MESSAGE(command);
  const int status = std::system(command.c_str());
  BOOST_TEST(status == 0, "the h5py check failed (see its output above): " << command);
}
