// Requirement 6 (issue 2): the HDF5 results file holds the experiment, effective config,
// provenance, one group per run with every RunRecord dataset (values, shapes, units) and a
// /summary table with one row per run; checked by reading it back with the HDF5 C API.
#define BOOST_TEST_MODULE results_round_trip
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <set>

#include "results_test_support.hpp"
#include "spinsc/version.hpp"

using namespace results_test;

namespace {
struct OpenFile {
  hid_t id;
  explicit OpenFile(const fs::path& p) : id(H5Fopen(p.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT)) {}
  ~OpenFile() {
    if (id >= 0) H5Fclose(id);
  }
};

herr_t collect_datasets(hid_t, const char* name, const H5O_info_t* info, void* client) {
  if (info->type == H5O_TYPE_DATASET) static_cast<std::vector<std::string>*>(client)->emplace_back(name);
  return 0;
}

fs::path write_two_runs_and_a_failure(const fs::path& folder) {
  const fs::path file = folder / "results" / "round_trip.h5";  // results/ does not exist yet
  auto store = spinsc::open_hdf5_store(file, sample_identity(), false);
  store->write_run(sample_outcome(0), sample_record(0));
  store->write_run(sample_outcome(1), sample_record(1));
  spinsc::RunRecord partial;  // a failed run reports no summary values
  store->write_run(sample_outcome(2, "failed: device exploded"), partial);
  store->finish("2026-01-01T00:01:00Z");
  return file;
}
}  // namespace

BOOST_AUTO_TEST_CASE(run_datasets_read_back_with_values_shapes_and_units) {
  ScratchFolder folder("round_trip");
  const fs::path path = write_two_runs_and_a_failure(folder.path());
  OpenFile file(path);
  BOOST_REQUIRE(file.id >= 0);

  BOOST_TEST(read_numbers<double>(file.id, "runs/000001/training/loss", H5T_NATIVE_DOUBLE) ==
                 (std::vector<double>{2.0, 1.5, 1.25}),
             boost::test_tools::per_element());
  BOOST_TEST(dataset_shape(file.id, "runs/000001/training/loss") == (std::vector<hsize_t>{3}),
             boost::test_tools::per_element());
  BOOST_TEST(dataset_units(file.id, "runs/000001/training/loss") == "1");

  BOOST_TEST(read_numbers<std::int64_t>(file.id, "runs/000000/training/epoch", H5T_NATIVE_INT64) ==
                 (std::vector<std::int64_t>{1, 2, 3}),
             boost::test_tools::per_element());

  BOOST_TEST(dataset_shape(file.id, "runs/000001/evaluation/sc/accuracy") == (std::vector<hsize_t>{2, 3}),
             boost::test_tools::per_element());
  BOOST_TEST(read_numbers<double>(file.id, "runs/000001/evaluation/sc/accuracy", H5T_NATIVE_DOUBLE) ==
                 (std::vector<double>{91, 91, 92, 93, 94, 95}),
             boost::test_tools::per_element());
  BOOST_TEST(dataset_units(file.id, "runs/000001/evaluation/sc/accuracy") == "%");

  BOOST_TEST(dataset_shape(file.id, "runs/000001/device/counts") == (std::vector<hsize_t>{4, 2}),
             boost::test_tools::per_element());
  BOOST_TEST(read_numbers<std::int64_t>(file.id, "runs/000001/device/counts", H5T_NATIVE_INT64)[4] == 1);

  BOOST_TEST(dataset_shape(file.id, "runs/000001/ledger/energy_total").empty());  // scalar
  BOOST_TEST(read_numbers<double>(file.id, "runs/000001/ledger/energy_total", H5T_NATIVE_DOUBLE).at(0) == 5e-9);
  BOOST_TEST(dataset_units(file.id, "runs/000001/ledger/energy_total") == "J");

  BOOST_TEST(read_texts(file.id, "runs/000000/evaluation/modes") ==
                 (std::vector<std::string>{"float", "quantized", "sc \xc2\xb5"}),
             boost::test_tools::per_element());
  BOOST_TEST(dataset_shape(file.id, "runs/000000/ledger/empty") == (std::vector<hsize_t>{0}),
             boost::test_tools::per_element());
  BOOST_TEST(dataset_units(file.id, "runs/000000/ledger/empty") == "s");
}

BOOST_AUTO_TEST_CASE(run_group_and_record_attributes) {
  ScratchFolder folder("round_trip_attributes");
  const fs::path path = write_two_runs_and_a_failure(folder.path());
  OpenFile file(path);
  hid_t run = H5Gopen2(file.id, "runs/000001", H5P_DEFAULT);
  BOOST_REQUIRE(run >= 0);
  BOOST_TEST(read_string_attribute(run, "status") == "complete");
  BOOST_TEST(read_string_attribute(run, "note") == "run 1");
  BOOST_TEST(read_string_attribute(run, "started_utc") == "2026-01-01T00:00:00Z");
  BOOST_TEST(read_string_attribute(run, "git_revision") == spinsc::git_revision());
  std::uint64_t seed = 0;
  hid_t a = H5Aopen(run, "run_seed", H5P_DEFAULT);
  H5Aread(a, H5T_NATIVE_UINT64, &seed);
  H5Aclose(a);
  BOOST_TEST(seed == 1001u);
  double swept_p = 0, wall = 0;
  a = H5Aopen(run, "device.bernoulli.p", H5P_DEFAULT);
  H5Aread(a, H5T_NATIVE_DOUBLE, &swept_p);
  H5Aclose(a);
  a = H5Aopen(run, "wall_time_s", H5P_DEFAULT);
  H5Aread(a, H5T_NATIVE_DOUBLE, &wall);
  H5Aclose(a);
  BOOST_TEST(swept_p == 0.5);
  BOOST_TEST(wall == 1.5);
  H5Gclose(run);

  std::int64_t epochs = 0, length = 0;
  double temperature = 0;
  H5Aread(a = H5Aopen_by_name(file.id, "runs/000001/training", "epochs", H5P_DEFAULT, H5P_DEFAULT), H5T_NATIVE_INT64,
          &epochs);
  H5Aclose(a);
  H5Aread(a = H5Aopen_by_name(file.id, "runs/000001/evaluation/sc/accuracy", "bitstream_length", H5P_DEFAULT,
                              H5P_DEFAULT),
          H5T_NATIVE_INT64, &length);
  H5Aclose(a);
  H5Aread(a = H5Aopen_by_name(file.id, "runs/000001/meta", "temperature_K", H5P_DEFAULT, H5P_DEFAULT),
          H5T_NATIVE_DOUBLE, &temperature);
  H5Aclose(a);
  BOOST_TEST(epochs == 3);
  BOOST_TEST(length == 400);
  BOOST_TEST(temperature == 300.0);

  hid_t failed = H5Gopen2(file.id, "runs/000002", H5P_DEFAULT);
  BOOST_TEST(read_string_attribute(failed, "status") == "failed: device exploded");
  H5Gclose(failed);
}

BOOST_AUTO_TEST_CASE(config_provenance_and_root_attributes) {
  ScratchFolder folder("round_trip_config");
  const fs::path path = write_two_runs_and_a_failure(folder.path());
  OpenFile file(path);
  const auto identity = sample_identity();
  hid_t root = H5Gopen2(file.id, "/", H5P_DEFAULT);
  BOOST_TEST(read_string_attribute(root, "format") == "spinsc-results");
  BOOST_TEST(read_string_attribute(root, "spinsc_version") == "0.1.0");
  BOOST_TEST(read_string_attribute(root, "git_revision") == "abc1234");
  BOOST_TEST(read_string_attribute(root, "created_utc").size() == std::string("2026-01-01T00:00:00Z").size());
  H5Gclose(root);

  BOOST_TEST(read_texts(file.id, "config/experiment").at(0) == identity.experiment_text);
  BOOST_TEST(dataset_shape(file.id, "config/effective") == (std::vector<hsize_t>{4, 2}),
             boost::test_tools::per_element());
  const auto effective = read_texts(file.id, "config/effective");
  BOOST_TEST(effective.at(0) == "device.bernoulli.p");
  BOOST_TEST(effective.at(1) == "0.5");
  BOOST_TEST(effective.at(7) == "device_characterization");
  BOOST_TEST(read_texts(file.id, "config/overrides") == identity.overrides, boost::test_tools::per_element());

  hid_t provenance = H5Gopen2(file.id, "provenance", H5P_DEFAULT);
  BOOST_TEST(read_string_attribute(provenance, "finished_utc") == "2026-01-01T00:01:00Z");
  BOOST_TEST(read_string_attribute(provenance, "started_utc").size() == 20u);
  std::uint64_t seed = 0;
  hid_t a = H5Aopen(provenance, "seed", H5P_DEFAULT);
  H5Aread(a, H5T_NATIVE_UINT64, &seed);
  H5Aclose(a);
  BOOST_TEST(seed == 7u);
  H5Gclose(provenance);
  hid_t plugin = H5Gopen2(file.id, "provenance/plugins/device.bernoulli", H5P_DEFAULT);
  BOOST_REQUIRE(plugin >= 0);
  BOOST_TEST(read_string_attribute(plugin, "version") == "1.0.0");
  BOOST_TEST(read_string_attribute(plugin, "file") == identity.plugins[0].file);
  H5Gclose(plugin);
}

BOOST_AUTO_TEST_CASE(summary_has_one_row_per_run_and_units) {
  ScratchFolder folder("round_trip_summary");
  const fs::path path = write_two_runs_and_a_failure(folder.path());
  OpenFile file(path);
  BOOST_TEST(read_numbers<std::int64_t>(file.id, "summary/run_index", H5T_NATIVE_INT64) ==
                 (std::vector<std::int64_t>{0, 1, 2}),
             boost::test_tools::per_element());
  BOOST_TEST(read_texts(file.id, "summary/status") ==
                 (std::vector<std::string>{"complete", "complete", "failed: device exploded"}),
             boost::test_tools::per_element());
  BOOST_TEST(read_numbers<double>(file.id, "summary/device.bernoulli.p", H5T_NATIVE_DOUBLE) ==
                 (std::vector<double>{0.25, 0.5, 0.25}),
             boost::test_tools::per_element());
  BOOST_TEST(read_numbers<std::int64_t>(file.id, "summary/repeat", H5T_NATIVE_INT64) ==
                 (std::vector<std::int64_t>{0, 0, 1}),
             boost::test_tools::per_element());
  const auto accuracy = read_numbers<double>(file.id, "summary/accuracy_sc", H5T_NATIVE_DOUBLE);
  BOOST_REQUIRE(accuracy.size() == 3u);
  BOOST_TEST(accuracy[0] == 90.0);
  BOOST_TEST(accuracy[1] == 91.0);
  BOOST_TEST(std::isnan(accuracy[2]));  // the failed run reported nothing
  BOOST_TEST(dataset_units(file.id, "summary/accuracy_sc") == "%");
  BOOST_TEST(dataset_units(file.id, "summary/energy_per_inference") == "J");
  BOOST_TEST(dataset_units(file.id, "summary/wall_time_s") == "s");

  hid_t summary = H5Gopen2(file.id, "summary", H5P_DEFAULT);
  hid_t a = H5Aopen(summary, "columns", H5P_DEFAULT);
  hid_t space = H5Aget_space(a);
  BOOST_TEST(H5Sget_simple_extent_npoints(space) == 10);  // 6 fixed (run_id, training_id too) + 2 swept + 2 summary columns
  H5Sclose(space);
  H5Aclose(a);
  H5Gclose(summary);
}

BOOST_AUTO_TEST_CASE(every_dataset_has_a_units_attribute) {
  ScratchFolder folder("round_trip_units");
  const fs::path path = write_two_runs_and_a_failure(folder.path());
  // The index and every run file (H5Ovisit does not follow the index's external links).
  std::vector<fs::path> files{path};
  for (const auto& entry : fs::directory_iterator(fs::path(path.string() + ".runs"))) files.push_back(entry.path());
  BOOST_TEST(files.size() == 4u);  // the index and three run files
  std::size_t n_datasets = 0;
  for (const auto& each : files) {
    OpenFile file(each);
    BOOST_REQUIRE(file.id >= 0);
    std::vector<std::string> datasets;
    H5Ovisit(file.id, H5_INDEX_NAME, H5_ITER_INC, collect_datasets, &datasets);
    n_datasets += datasets.size();
    for (const auto& name : datasets) {
      hid_t dataset = H5Dopen2(file.id, name.c_str(), H5P_DEFAULT);
      BOOST_TEST(H5Aexists(dataset, "units") > 0, each.filename().string() + ": " + name);
      H5Dclose(dataset);
    }
  }
  BOOST_TEST(n_datasets > 20u);
}

BOOST_AUTO_TEST_CASE(bad_records_are_refused_before_anything_is_written) {
  ScratchFolder folder("round_trip_bad");
  const fs::path path = folder.path() / "bad.h5";
  auto store = spinsc::open_hdf5_store(path, sample_identity(), false);
  store->write_run(sample_outcome(0), sample_record(0));
  const auto size_before = fs::file_size(path);

  spinsc::RunRecord absolute_path;
  absolute_path.put("/training/loss", std::vector<double>{1.0}, "1");
  BOOST_CHECK_THROW(store->write_run(sample_outcome(1), absolute_path), spinsc::ResultStoreError);

  spinsc::RunRecord reserved;
  reserved.summary("status", 1.0, "1");
  BOOST_CHECK_THROW(store->write_run(sample_outcome(1), reserved), spinsc::ResultStoreError);

  spinsc::RunRecord other_units;  // accuracy_sc was "%" in run 0
  other_units.summary("accuracy_sc", 0.9, "1");
  try {
    store->write_run(sample_outcome(1), other_units);
    BOOST_FAIL("a summary column changing units was accepted");
  } catch (const spinsc::ResultStoreError& e) {
    BOOST_TEST(std::string(e.what()).find("accuracy_sc") != std::string::npos);
  }

  // A clash that only HDF5 notices (a dataset where a group must go) rolls back cleanly.
  spinsc::RunRecord clash;
  clash.put("a", std::vector<double>{1.0}, "1");
  clash.put("a/b", std::vector<double>{2.0}, "1");
  BOOST_CHECK_THROW(store->write_run(sample_outcome(1), clash), spinsc::ResultStoreError);
  BOOST_TEST(fs::file_size(path) == size_before);
  BOOST_TEST(!store->is_complete(1));
  BOOST_TEST(store->is_complete(0));

  store->write_run(sample_outcome(1), sample_record(1));  // the store still works afterwards
  OpenFile file(path);
  BOOST_TEST(read_numbers<std::int64_t>(file.id, "summary/run_index", H5T_NATIVE_INT64).size() == 2u);
}
