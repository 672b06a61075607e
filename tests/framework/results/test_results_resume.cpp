// Requirement 7 (issue 2): re-opening a results file of the same experiment resumes (complete
// runs are skipped, failed ones are not), also after the experiment grew or changed; a file of an
// experiment with another name is refused unless --force, a path that cannot be written is
// refused up front with the path named, and a second writer of the same file is refused while the
// first holds it.
#define BOOST_TEST_MODULE results_resume
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <fstream>

#include "permission_checks_as_root.hpp"
#include "results_test_support.hpp"

using namespace results_test;

namespace {
std::string refusal(const fs::path& file, const spinsc::ExperimentIdentity& identity, bool force = false) {
  try {
    spinsc::open_hdf5_store(file, identity, force);
  } catch (const spinsc::ResultStoreError& e) {
    return e.what();
  }
  return "";
}
bool mentions(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
}  // namespace

BOOST_AUTO_TEST_CASE(same_experiment_resumes_and_skips_complete_runs) {
  ScratchFolder folder("resume");
  const fs::path file = folder.path() / "r.h5";
  {
    auto store = spinsc::open_hdf5_store(file, sample_identity(), false);
    store->write_run(sample_outcome(0), sample_record(0));
    store->write_run(sample_outcome(1, "failed: out of memory"), spinsc::RunRecord{});
    store->write_run(sample_outcome(3), sample_record(3));
    // no finish(): as if the process died here
  }
  auto identity = sample_identity();
  identity.experiment_text = "# comment changed\n\n" + identity.experiment_text + "   \n; another comment\n";
  identity.overrides = {"device.bernoulli.p=0.5"};
  identity.git_revision = "def5678";  // a rebuilt spinsc still resumes: provenance, not identity
  auto store = spinsc::open_hdf5_store(file, identity, false);
  BOOST_TEST(store->is_complete(0));
  BOOST_TEST(!store->is_complete(1));  // failed: run again
  BOOST_TEST(!store->is_complete(2));  // never written
  BOOST_TEST(store->is_complete(3));
  store->write_run(sample_outcome(1), sample_record(1));
  store->write_run(sample_outcome(2), sample_record(2));
  store->finish("2026-01-01T00:02:00Z");
  BOOST_TEST(store->is_complete(1));

  hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  BOOST_REQUIRE(f >= 0);
  BOOST_TEST(read_texts(f, "summary/status") ==
                 (std::vector<std::string>{"complete", "complete", "complete", "complete"}),
             boost::test_tools::per_element());
  // run 0 from the first session is intact
  BOOST_TEST(read_numbers<double>(f, "runs/000000/training/loss", H5T_NATIVE_DOUBLE) ==
                 (std::vector<double>{1.0, 0.5, 0.25}),
             boost::test_tools::per_element());
  std::int64_t sessions = 0;
  hid_t a = H5Aopen_by_name(f, "provenance", "sessions", H5P_DEFAULT, H5P_DEFAULT);
  H5Aread(a, H5T_NATIVE_INT64, &sessions);
  H5Aclose(a);
  BOOST_TEST(sessions == 2);
  hid_t root = H5Gopen2(f, "/", H5P_DEFAULT);
  BOOST_TEST(read_string_attribute(root, "git_revision") == "abc1234");  // the creating session
  H5Gclose(root);
  hid_t provenance = H5Gopen2(f, "provenance", H5P_DEFAULT);
  BOOST_TEST(read_string_attribute(provenance, "git_revision") == "def5678");  // the latest session
  H5Gclose(provenance);
  H5Fclose(f);
}

BOOST_AUTO_TEST_CASE(another_experiment_is_refused_unless_forced_a_changed_one_reopens) {
  ScratchFolder folder("refuse");
  const fs::path file = folder.path() / "r.h5";
  {
    auto store = spinsc::open_hdf5_store(file, sample_identity(), false);
    store->write_run(sample_outcome(0), sample_record(0));
  }
  const auto size = fs::file_size(file);

  auto renamed = sample_identity();
  renamed.name = "another_study";
  std::string message = refusal(file, renamed);
  BOOST_TEST(mentions(message, file.string()), message);
  BOOST_TEST(mentions(message, "--force"), message);
  BOOST_TEST(mentions(message, "'store_test'"), message);
  BOOST_TEST(fs::file_size(file) == size);  // refusals touch nothing

  // The same experiment grown or changed (a value, the seed, overrides, the text): the file
  // reopens with its runs; the runner matches them to points by run id.
  auto changed = sample_identity(8);
  changed.effective[0].second = "0.75";
  changed.overrides.push_back("train.epochs=2");
  changed.experiment_text += "[sweep]\nrepeats = 3\n";
  {
    auto store = spinsc::open_hdf5_store(file, changed, false);
    BOOST_TEST(store->is_complete(0));
    BOOST_TEST(store->stored_runs().size() == 1u);
  }
  {  // forced: the old file is replaced by a fresh one of the other experiment
    auto store = spinsc::open_hdf5_store(file, renamed, true);
    BOOST_TEST(!store->is_complete(0));
  }
  BOOST_TEST(refusal(file, renamed).empty());
  BOOST_TEST(!refusal(file, sample_identity()).empty());
}

BOOST_AUTO_TEST_CASE(foreign_files_are_refused_unless_forced) {
  ScratchFolder folder("foreign");
  const fs::path text_file = folder.path() / "notes.h5";
  std::ofstream(text_file) << "not an HDF5 file\n";
  const std::string message = refusal(text_file, sample_identity());
  BOOST_TEST(mentions(message, "not an HDF5 file"), message);
  BOOST_TEST(mentions(message, "--force"), message);
  BOOST_TEST(refusal(text_file, sample_identity(), true).empty());

  const fs::path other_hdf5 = folder.path() / "other.h5";
  H5Fclose(H5Fcreate(other_hdf5.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
  BOOST_TEST(mentions(refusal(other_hdf5, sample_identity()), "not a spinsc results file"));
}

BOOST_AUTO_TEST_CASE(unwritable_paths_are_refused_naming_the_path) {
  ScratchFolder folder("unwritable");
  const auto identity = sample_identity();

  const fs::path directory_in_place = folder.path() / "taken.h5";
  fs::create_directories(directory_in_place);
  std::string message = refusal(directory_in_place, identity);
  BOOST_TEST(mentions(message, directory_in_place.string()), message);
  BOOST_TEST(mentions(message, "folder"), message);

  const fs::path plain_file = folder.path() / "plain";
  std::ofstream(plain_file) << "x";
  message = refusal(plain_file / "results" / "r.h5", identity);
  BOOST_TEST(mentions(message, plain_file.string()), message);

  // A folder that cannot be created, even by root (/proc refuses new entries).
  message = refusal("/proc/spinsc-no-such-folder/r.h5", identity);
  BOOST_TEST(mentions(message, "/proc/spinsc-no-such-folder"), message);

  const fs::path read_only_file = folder.path() / "protected.h5";
  { spinsc::open_hdf5_store(read_only_file, identity, false); }
  fs::permissions(read_only_file, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  message = refusal(read_only_file, identity, true);
  BOOST_TEST(mentions(message, "read-only"), message);

  // A folder without write permission. Root passes permission checks, so the check runs with
  // root's permission override dropped (see permission_checks_as_root.hpp): the product's real
  // create of a probe file is what must refuse, for root as for anyone.
  const fs::path read_only_folder = folder.path() / "locked";
  fs::create_directories(read_only_folder);
  fs::permissions(read_only_folder, fs::perms::owner_read | fs::perms::owner_exec);
  {
    spinsc_permissions::PermissionOverrideDropped as_any_user;
    message = refusal(read_only_folder / "r.h5", identity);
  }
  BOOST_TEST(mentions(message, read_only_folder.string()), message);
  BOOST_TEST(mentions(message, "cannot create files in"), message);
  BOOST_TEST(fs::is_empty(read_only_folder));  // nothing left behind by the probe
  // And a folder on a file system that refuses new files to everyone, root's override included
  // (procfs, mounted wherever Linux runs).
  message = refusal(fs::path("/proc/self/fdinfo") / "r.h5", identity);
  BOOST_TEST(mentions(message, "/proc/self/fdinfo"), message);
  BOOST_TEST(mentions(message, "cannot create files in"), message);
  fs::permissions(read_only_folder, fs::perms::owner_all);
}

BOOST_AUTO_TEST_CASE(missing_parent_folders_are_created_and_stale_temporaries_removed) {
  ScratchFolder folder("parents");
  const fs::path file = folder.path() / "a" / "b" / "results" / "r.h5";
  fs::create_directories(file.parent_path());
  std::ofstream(file.string() + ".writing") << "debris of a writer killed mid-commit";
  auto store = spinsc::open_hdf5_store(file, sample_identity(), false);
  BOOST_TEST(fs::is_regular_file(file));
  BOOST_TEST(store->location() == file.string());
  BOOST_TEST(!fs::exists(fs::path(file.string() + ".writing")));
  const fs::path nested = folder.path() / "x" / "y" / "results" / "r.h5";  // none of it exists
  spinsc::open_hdf5_store(nested, sample_identity(), false);
  BOOST_TEST(fs::is_regular_file(nested));
}

BOOST_AUTO_TEST_CASE(a_second_writer_is_refused_naming_the_first_ones_pid) {
  // Two stores on one results file would each rename their own image over the other's: the second
  // is refused while the first is open, and may open once the first is gone.
  ScratchFolder folder("lock");
  const fs::path file = folder.path() / "r.h5";
  {
    auto first = spinsc::open_hdf5_store(file, sample_identity(), false);
    // As if the first were committing: the refused second must not touch its temporary (its
    // checks of the folder run before it asks for the lock).
    std::ofstream(file.string() + ".writing") << "the first writer's commit in progress";
    const std::string message = refusal(file, sample_identity());
    BOOST_TEST(fs::exists(file.string() + ".writing"));
    fs::remove(file.string() + ".writing");
    BOOST_TEST(mentions(message, "being written by another spinsc (pid " + std::to_string(::getpid()) + ")"), message);
    BOOST_TEST(mentions(message, file.string()), message);
  }
  BOOST_CHECK_NO_THROW(spinsc::open_hdf5_store(file, sample_identity(), false));
}
