// Progress all the way: the progress display shows the phase, the step and the time left from
// the phase's own rate; in the first run the phases still to come are not timed, so the estimate
// is a lower bound ("≥"); from the second run on they are ("~"), and the experiment's time left
// is shown beside the run's. On a terminal the line is redrawn in place and cut to the width.
// End to end, `spinsc run` on a terminal shows the training and SC evaluation phases (the SC
// evaluation used to show nothing for most of a run).
#define BOOST_TEST_MODULE progress
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "runner/progress_display.hpp"

using spinsc::runner_detail::ProgressDisplay;
namespace fs = std::filesystem;

namespace {

std::string read_all(std::FILE* f) {
  std::rewind(f);
  std::string text;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, f)) text += buffer;
  return text;
}

void wait_past_redraw_limit() { std::this_thread::sleep_for(std::chrono::milliseconds(150)); }  // > the 0.1 s redraw limit

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_CASE(phases_steps_and_time_left) {
  std::FILE* out = std::tmpfile();
  ProgressDisplay display(out, true, 3, 3, 100);
  display.start_run(0, "device.plugin=device.lfsr");
  display.phase("qat training");
  wait_past_redraw_limit();
  display.step("epoch 1/2, 640/2000 images", 0.16);
  // First run: the current phase has a rate, the phases after it are unknown.
  BOOST_TEST(contains(display.status_text(), "left ≥"), display.status_text());
  display.phase("SC evaluation (device.smtj_telegraph, sc.lut_sigmoid)");
  wait_past_redraw_limit();
  display.step("L = 100 (1/2), 200/1000 images with more words to overflow", 0.1);
  display.end_run("complete", 0.4);
  // Second run, nothing done yet: every phase was timed by the first run.
  display.start_run(1, "device.plugin=device.bernoulli");
  BOOST_TEST(contains(display.status_text(), "run 2/3"), display.status_text());
  BOOST_TEST(contains(display.status_text(), "left ~"), display.status_text());
  BOOST_TEST(contains(display.status_text(), "(run ~"), display.status_text());
  display.phase("qat training");
  wait_past_redraw_limit();
  display.step("epoch 2/2, 2000/2000 images with a long description that does not fit in the width", 0.9);
  display.finish();
  const std::string text = read_all(out);
  std::fclose(out);
  BOOST_TEST(contains(text, "qat training 16%: epoch 1/2, 640/2000 images"), text);
  // Too wide for 100 columns with the elapsed time and the variant: both are left out.
  BOOST_TEST(contains(text, "SC evaluation 10%: L = 100 (1/2), 200/1000 images"), text);
  // Redrawn in place (\r, erase line), each drawn line cut to the width minus one ("elapsed" left out first).
  BOOST_TEST(contains(text, "\r\033[K"));
  std::size_t start = 0;
  while ((start = text.find("\r\033[K", start)) != std::string::npos) {
    start += 4;
    const std::size_t end = text.find_first_of("\r\n", start);
    std::size_t columns = 0;
    for (std::size_t i = start; i < (end == std::string::npos ? text.size() : end); ++i)
      columns += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    BOOST_TEST(columns <= 99u, text.substr(start, end - start));
  }
}

BOOST_AUTO_TEST_CASE(a_run_on_a_terminal_shows_training_and_sc_evaluation) {
  // `script` (bsdutils, essential in Debian) gives spinsc a terminal; a tiny quick start.
  const fs::path work = fs::path(SPINSC_BINARY_DIR) / "test-scratch" / "progress";
  fs::remove_all(work);
  fs::create_directories(work);
  const std::string command = std::string(SPINSC_CLI) + " run " + SPINSC_SOURCE_DIR +
                              "/experiments/quickstart.ini --train.epochs=1 --data.train_size=500"
                              " --data.test_size=200 --eval.lengths=16,32 -o " + (work / "qs.h5").string();
  const std::string shell = "cd '" + work.string() + "' && COLUMNS=200 script -qec \"" + command + "\" /dev/null > '" +
                            (work / "out.txt").string() + "' 2>&1";
  BOOST_TEST_REQUIRE(std::system(shell.c_str()) == 0);
  std::ifstream in(work / "out.txt");
  const std::string text{std::istreambuf_iterator<char>(in), {}};
  BOOST_TEST(contains(text, "qat training"), text);
  BOOST_TEST(contains(text, "SC evaluation (device.smtj_telegraph, sc.lut_sigmoid)"), text);
  BOOST_TEST(contains(text, "\r\033[K"), text);
  // The table at the end, read back from the file.
  BOOST_TEST((contains(text, "Summary of qs.h5") || contains(text, "Summary of " + (work / "qs.h5").string())), text);
}
