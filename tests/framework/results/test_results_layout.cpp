// The results file as an index (docs/results-format.md, "Layout"): every run in a file of its own
// below "<file>.runs/", a trained network stored once per training id and referred to by every
// run that evaluated it, files no index refers to removed on the next start, and a file of format
// version 1 (every run inside the file, written by spinsc before this layout) converted with its
// runs intact. Files are read back with the HDF5 C API through the index's external links.
#define BOOST_TEST_MODULE results_layout
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <set>

#include "results_test_support.hpp"

using namespace results_test;

namespace {
const std::string kTraining = "00000000000000a1";
const std::string kOtherTraining = "00000000000000b2";

spinsc::RunOutcome network_outcome(std::uint64_t run_index, const std::string& training_id) {
  spinsc::RunOutcome outcome = sample_outcome(run_index);
  outcome.training_id = training_id;
  outcome.run_id = "run" + std::to_string(run_index);
  return outcome;
}
spinsc::RunRecord network_record(std::uint64_t run_index, double scale) {
  spinsc::RunRecord record = sample_record(run_index);
  add_network(record, scale);
  return record;
}

std::set<std::string> files_in(const fs::path& folder) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) names.insert(entry.path().filename().string());
  return names;
}

H5L_type_t link_type(hid_t loc, const std::string& path) {
  H5L_info_t info{};
  if (H5Lget_info(loc, path.c_str(), &info, H5P_DEFAULT) < 0) return H5L_TYPE_ERROR;
  return info.type;
}

std::int64_t format_version(hid_t file) {
  std::int64_t version = 0;
  hid_t a = H5Aopen(file, "format_version", H5P_DEFAULT);
  H5Aread(a, H5T_NATIVE_INT64, &version);
  H5Aclose(a);
  return version;
}

struct OpenFile {
  hid_t id;
  explicit OpenFile(const fs::path& p) : id(H5Fopen(p.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT)) {}
  ~OpenFile() {
    if (id >= 0) H5Fclose(id);
  }
};
}  // namespace

BOOST_AUTO_TEST_CASE(each_run_is_a_file_and_a_network_is_stored_once_per_training) {
  ScratchFolder folder("layout_networks");
  const fs::path file = folder.path() / "n.h5";
  const fs::path runs = folder.path() / "n.h5.runs";
  {
    auto store = spinsc::open_hdf5_store(file, sample_identity(), false);
    for (std::uint64_t run = 0; run < 3; ++run) store->write_run(network_outcome(run, kTraining), network_record(run, 1.0));
    store->write_run(network_outcome(3, kOtherTraining), network_record(3, 2.0));
    // The same training id with other weights (a training that did not reproduce): kept apart,
    // so that the run refers to the weights it evaluated.
    store->write_run(network_outcome(4, kTraining), network_record(4, 3.0));
  }
  const std::set<std::string> expected{"000000.h5", "000001.h5", "000002.h5", "000003.h5", "000004.h5",
                                       "network-" + kTraining + ".h5", "network-" + kTraining + ".1.h5",
                                       "network-" + kOtherTraining + ".h5"};
  BOOST_TEST(files_in(runs) == expected, boost::test_tools::per_element());

  OpenFile index(file);
  BOOST_REQUIRE(index.id >= 0);
  BOOST_TEST(format_version(index.id) == 2);
  BOOST_TEST(link_type(index.id, "runs/000002") == H5L_TYPE_EXTERNAL);
  BOOST_TEST(link_type(index.id, "networks/" + kTraining) == H5L_TYPE_EXTERNAL);
  BOOST_TEST(link_type(index.id, "networks/" + kTraining + ".1") == H5L_TYPE_EXTERNAL);
  // Readers of runs/NNNNNN/network/... keep working: the links are followed by libhdf5.
  const std::vector<double> weights{0.5, -0.25, 0.125, 1.0, -1.0, 1.0};
  for (const char* run : {"runs/000000", "runs/000001", "runs/000002"}) {
    BOOST_TEST(read_numbers<double>(index.id, std::string(run) + "/network/layer1/weights", H5T_NATIVE_DOUBLE) ==
                   weights, boost::test_tools::per_element());
  }
  BOOST_TEST(read_numbers<double>(index.id, "runs/000004/network/layer1/weights", H5T_NATIVE_DOUBLE).at(5) == 3.0);
  BOOST_TEST(read_numbers<double>(index.id, "runs/000003/network/layer1/weights", H5T_NATIVE_DOUBLE).at(0) == 1.0);
  BOOST_TEST(read_numbers<double>(index.id, "networks/" + kTraining + "/layer1/weights", H5T_NATIVE_DOUBLE) ==
                 weights, boost::test_tools::per_element());
  BOOST_TEST(dataset_units(index.id, "runs/000001/network/layers") == "1");
  std::int64_t levels = 0;
  hid_t a = H5Aopen_by_name(index.id, "runs/000001/network", "levels", H5P_DEFAULT, H5P_DEFAULT);
  H5Aread(a, H5T_NATIVE_INT64, &levels);
  H5Aclose(a);
  BOOST_TEST(levels == 3);
  hid_t weights_dataset = H5Dopen2(index.id, "runs/000001/network/layer1/weights", H5P_DEFAULT);
  BOOST_TEST(read_string_attribute(weights_dataset, "layout") == "n_out x n_in");
  H5Dclose(weights_dataset);
  // The rest of the run is in its own file, the network is not.
  BOOST_TEST(read_numbers<double>(index.id, "runs/000001/training/loss", H5T_NATIVE_DOUBLE).at(0) == 2.0);
  OpenFile run_file(runs / "000001.h5");
  BOOST_TEST(link_type(run_file.id, "network") == H5L_TYPE_EXTERNAL);
  BOOST_TEST(read_string_attribute(run_file.id, "status") == "complete");

  // A later session with the same training adds no network file.
  {
    auto store = spinsc::open_hdf5_store(file, sample_identity(), false);
    store->write_run(network_outcome(5, kTraining), network_record(5, 1.0));
  }
  auto after = expected;
  after.insert("000005.h5");
  BOOST_TEST(files_in(runs) == after, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(files_no_index_refers_to_are_removed_on_the_next_start) {
  ScratchFolder folder("layout_debris");
  const fs::path file = folder.path() / "d.h5";
  const fs::path runs = folder.path() / "d.h5.runs";
  {
    auto store = spinsc::open_hdf5_store(file, sample_identity(), false);
    store->write_run(sample_outcome(0), sample_record(0));
    store->write_run(sample_outcome(1, "failed: out of memory"), spinsc::RunRecord{});
  }
  // Debris of writers killed before their index commit, and a file of the user's.
  for (const char* name : {"000007.h5", "000001.1.h5.writing", "network-00000000000000c3.h5"}) {
    std::ofstream(runs / name) << "debris";
  }
  std::ofstream(runs / "notes.txt") << "mine";
  {
    auto store = spinsc::open_hdf5_store(file, sample_identity(), false);
    BOOST_TEST(files_in(runs) == (std::set<std::string>{"000000.h5", "000001.h5", "notes.txt"}),
               boost::test_tools::per_element());
    // The failed run is rerun: its new file replaces the old one, which is then removed.
    store->write_run(sample_outcome(1), sample_record(1));
    BOOST_TEST(files_in(runs) == (std::set<std::string>{"000000.h5", "000001.1.h5", "notes.txt"}),
               boost::test_tools::per_element());
    BOOST_TEST(store->is_complete(1));
  }
  OpenFile index(file);
  BOOST_TEST(read_numbers<double>(index.id, "runs/000001/training/loss", H5T_NATIVE_DOUBLE).at(0) == 2.0);
  BOOST_TEST(read_texts(index.id, "summary/status") == (std::vector<std::string>{"complete", "complete"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_file_of_format_version_1_is_converted_with_its_runs_intact) {
  // Written by spinsc before this layout (tests/framework/results/fixtures/README.md): two runs,
  // one training evaluated with two devices, each run holding a copy of the network.
  ScratchFolder folder("layout_convert");
  const fs::path file = folder.path() / "old.h5";
  fs::copy_file(fs::path(SPINSC_RESULTS_FIXTURES) / "format1_network.h5", file);

  struct Before {
    std::vector<double> loss, weights, float_accuracy;
    std::string status, run_id, training_id, git_revision, started_utc;
  } before;
  {
    OpenFile old(file);
    BOOST_REQUIRE(old.id >= 0);
    BOOST_REQUIRE(format_version(old.id) == 1);
    before.loss = read_numbers<double>(old.id, "runs/000001/training/loss", H5T_NATIVE_DOUBLE);
    before.weights = read_numbers<double>(old.id, "runs/000001/network/layer1/weights", H5T_NATIVE_DOUBLE);
    before.float_accuracy = read_numbers<double>(old.id, "summary/float_accuracy", H5T_NATIVE_DOUBLE);
    hid_t run = H5Gopen2(old.id, "runs/000001", H5P_DEFAULT);
    before.status = read_string_attribute(run, "status");
    before.run_id = read_string_attribute(run, "run_id");
    before.training_id = read_string_attribute(run, "training_id");
    before.git_revision = read_string_attribute(run, "git_revision");
    before.started_utc = read_string_attribute(run, "started_utc");
    H5Gclose(run);
  }
  BOOST_REQUIRE(!before.weights.empty());
  BOOST_REQUIRE(before.training_id.size() == 16u);

  // A dry run reads it as it is.
  const auto stored = spinsc::read_stored_runs(file);
  BOOST_TEST(stored.size() == 2u);
  auto identity = sample_identity();
  identity.name = "format1_network";
  {
    auto store = spinsc::open_hdf5_store(file, identity, false);
    BOOST_TEST(store->notice().find("format version 1") != std::string::npos, store->notice());
    BOOST_TEST(store->notice().find(file.string()) != std::string::npos, store->notice());
    BOOST_TEST(store->is_complete(0));
    BOOST_TEST(store->is_complete(1));
    BOOST_TEST(store->stored_runs().at(1).run_id == before.run_id);
  }
  OpenFile index(file);
  BOOST_REQUIRE(index.id >= 0);
  BOOST_TEST(format_version(index.id) == 2);
  BOOST_TEST(link_type(index.id, "runs/000001") == H5L_TYPE_EXTERNAL);
  BOOST_TEST(read_numbers<double>(index.id, "runs/000001/training/loss", H5T_NATIVE_DOUBLE) == before.loss,
             boost::test_tools::per_element());
  BOOST_TEST(read_numbers<double>(index.id, "runs/000001/network/layer1/weights", H5T_NATIVE_DOUBLE) == before.weights,
             boost::test_tools::per_element());
  BOOST_TEST(read_numbers<double>(index.id, "summary/float_accuracy", H5T_NATIVE_DOUBLE) == before.float_accuracy,
             boost::test_tools::per_element());
  hid_t run = H5Gopen2(index.id, "runs/000001", H5P_DEFAULT);
  BOOST_TEST(read_string_attribute(run, "status") == before.status);
  BOOST_TEST(read_string_attribute(run, "training_id") == before.training_id);
  BOOST_TEST(read_string_attribute(run, "git_revision") == before.git_revision);  // the build that ran it
  BOOST_TEST(read_string_attribute(run, "started_utc") == before.started_utc);
  H5Gclose(run);
  // Both runs evaluated one training: its network is now stored once.
  const auto names = files_in(folder.path() / "old.h5.runs");
  BOOST_TEST(names == (std::set<std::string>{"000000.h5", "000001.h5", "network-" + before.training_id + ".h5"}),
             boost::test_tools::per_element());
}
