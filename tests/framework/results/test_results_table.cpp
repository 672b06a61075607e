// The results table (spinsc/results_table.hpp) on a known file: a results file written by the
// HDF5 store with two runs of known figures (one single-variant SC run at two lengths, one run
// with two activation variants, and a failed run) reads back into the long format (one row per
// run, variant and length), prints the expected text at a terminal width, drops the least
// important columns on a narrow one and says which, gives every figure in file units as CSV, and
// `spinsc show` prints the same from the command line.
#define BOOST_TEST_MODULE results_table
#include <boost/test/unit_test.hpp>

#include <sys/wait.h>

#include <cstdio>
#include <fstream>

#include "results_test_support.hpp"
#include "spinsc/results_table.hpp"

using namespace spinsc;
using results_test::ScratchFolder;
namespace fs = std::filesystem;

namespace {

RunRecord sc_record(const std::string& prefix, std::vector<double> accuracy, std::vector<double> energy) {
  RunRecord r;
  r.put(prefix + "/lengths", std::vector<double>{100, 200}, "bits");
  r.put(prefix + "/accuracy", accuracy, "%");
  r.put(prefix + "/energy_per_inference_J", energy, "J");
  r.put(prefix + "/activation_latency_cycles", std::vector<double>{1, 1}, "cycles");
  r.put_scalar(prefix + "/L100/accuracy", accuracy[0], "%");  // per-length groups are not variants
  return r;
}

void write_known_file(const fs::path& file) {
  auto store = open_hdf5_store(file, results_test::sample_identity(), false);
  // Run 0: one variant. Figures chosen so that each printed digit is checkable by hand.
  RunOutcome o0 = results_test::sample_outcome(0);
  o0.swept = {{"device.plugin", "device.lfsr"}};
  RunRecord r0 = sc_record("evaluation/sc", {90.5, 93.25}, {2.05e-7, 4.1e-7});
  r0.summary("quantized_accuracy", 96.1, "%");
  r0.summary("sc_accuracy_L100", 90.5, "%");  // per-length summary columns are not repeated
  store->write_run(o0, r0);
  // Run 1: two activation variants.
  RunOutcome o1 = results_test::sample_outcome(1);
  o1.swept = {{"device.plugin", "device.bernoulli"}};
  RunRecord r1 = sc_record("evaluation/sc/sc.lut_sigmoid", {91, 94}, {1e-6, 2e-6});
  const RunRecord fsm = sc_record("evaluation/sc/sc.fsm_sigmoid", {89, 92.5}, {1e-6, 2e-6});
  for (const auto& [path, dataset] : fsm.datasets()) {
    if (const auto* v = std::get_if<std::vector<double>>(&dataset.data))
      dataset.shape.empty() ? r1.put_scalar(path, v->front(), dataset.units) : r1.put(path, *v, dataset.units);
  }
  r1.summary("quantized_accuracy", 95.5, "%");
  store->write_run(o1, r1);
  // Run 2: failed before any SC evaluation.
  RunOutcome o2 = results_test::sample_outcome(2, "failed: out of luck");
  o2.swept = {{"device.plugin", "device.trace"}};
  store->write_run(o2, RunRecord{});
  store->finish("2026-01-01T00:00:02Z");
}

std::string print(const ResultsTable& table, const TableFormat& format) {
  std::FILE* out = std::tmpfile();
  print_results_table(out, table, format);
  std::rewind(out);
  std::string text;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, out)) text += buffer;
  std::fclose(out);
  return text;
}

}  // namespace

BOOST_AUTO_TEST_CASE(long_format_from_a_known_file) {
  ScratchFolder folder("results_table");
  const fs::path file = folder.path() / "known.h5";
  write_known_file(file);
  const std::vector<TableRun> runs = read_table_runs(file);
  BOOST_TEST_REQUIRE(runs.size() == 3u);
  BOOST_TEST(runs[1].sc.size() == 2u);
  const ResultsTable table = build_results_table(runs);
  // 2 rows of run 0, 2 x 2 of run 1, 1 of the failed run.
  BOOST_TEST(table.rows.size() == 7u);

  TableFormat wide;
  wide.width = 200;
  const std::string text = print(table, wide);
  // Checked by hand: 2.05e-7 J is 0.205 uJ (the column's largest value, 2e-6 J, sets the prefix);
  // accuracies with two decimals; the per-run quantized accuracy repeated on each of its rows.
  const std::string expected =
      "run  status               plugin            variant         L (bits)  SC acc. (%)  quant. acc. (%)"
      "  energy/inf. (uJ)  act. latency (cycles)\n"
      "  0  complete             device.lfsr                            100        90.50            96.10"
      "             0.205                      1\n"
      "  0  complete             device.lfsr                            200        93.25            96.10"
      "              0.41                      1\n"
      "  1  complete             device.bernoulli  sc.fsm_sigmoid       100        89.00            95.50"
      "                 1                      1\n";
  BOOST_TEST(text.substr(0, expected.size()) == expected, text);
  BOOST_TEST(text.find("  2  failed: out of luck  device.trace                             -            -") !=
                 std::string::npos, text);
  BOOST_TEST(text.find("more column") == std::string::npos, text);  // everything fits in 200

  // 60 columns: the least important columns go, and the line under the table names them.
  TableFormat narrow;
  narrow.width = 60;
  const std::string cut = print(table, narrow);
  std::size_t longest = 0, start = 0;
  for (std::size_t end; (end = cut.find('\n', start)) != std::string::npos; start = end + 1)
    if (cut.compare(start, 1, "(") != 0) longest = std::max(longest, end - start);
  BOOST_TEST(longest <= 60u, cut);
  BOOST_TEST(cut.find("more columns not shown in 60 columns") != std::string::npos, cut);
  BOOST_TEST(cut.find("energy_per_inference_J") != std::string::npos, cut);

  // CSV: chosen columns, file units (J), empty for none.
  TableFormat csv;
  csv.csv = true;
  csv.columns = {"run", "variant", "length_bits", "sc_accuracy", "energy_per_inference_J"};
  const std::string rows = print(table, csv);
  BOOST_TEST(rows.rfind("run,variant,length_bits,sc_accuracy,energy_per_inference_J\n"
                        "0,,100,90.5,2.05e-07\n0,,200,93.25,4.1e-07\n1,sc.fsm_sigmoid,100,89,1e-06\n", 0) == 0,
             rows);
  BOOST_TEST(rows.find("\n2,,,,\n") != std::string::npos, rows);

  TableFormat unknown;
  unknown.columns = {"accuracy_typo"};
  try {
    print(table, unknown);
    BOOST_FAIL("an unknown column was accepted");
  } catch (const std::invalid_argument& e) {
    const std::string message = e.what();
    BOOST_TEST(message.find("accuracy_typo") != std::string::npos, message);
    BOOST_TEST(message.find("sc_accuracy") != std::string::npos, message);
  }
}

BOOST_AUTO_TEST_CASE(show_command_prints_the_table_and_names_a_bad_file) {
  ScratchFolder folder("results_table_show");
  const fs::path file = folder.path() / "known.h5";
  write_known_file(file);
  auto run = [&](const std::string& arguments, int& code) {
    const fs::path out = folder.path() / "out.txt";
    const int status = std::system((std::string(SPINSC_CLI) + " " + arguments + " > '" + out.string() + "' 2>&1").c_str());
    code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream in(out);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  int code = -1;
  std::string text = run("show '" + file.string() + "' --width 200", code);
  BOOST_TEST(code == 0, text);
  BOOST_TEST(text.find("Summary of " + file.string() + " (3 runs") != std::string::npos, text);
  BOOST_TEST(text.find("device.bernoulli  sc.fsm_sigmoid       100        89.00") != std::string::npos, text);
  text = run("show '" + file.string() + "' --csv --columns=run,sc_accuracy", code);
  BOOST_TEST(code == 0, text);
  BOOST_TEST(text.rfind("run,sc_accuracy\n0,90.5\n", 0) == 0, text);
  text = run("show '" + (folder.path() / "none.h5").string() + "'", code);
  BOOST_TEST(code != 0);
  BOOST_TEST(text.find("none.h5") != std::string::npos, text);
  text = run("show '" + file.string() + "' --columns=nope", code);
  BOOST_TEST(code != 0);
  BOOST_TEST(text.find("unknown column 'nope'") != std::string::npos, text);
}
