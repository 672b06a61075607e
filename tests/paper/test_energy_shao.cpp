// Requirement (issue 6, study 2): experiments/paper/energy_shao.ini runs end to end in a reduced
// form (1 epoch on 10 000 images, SC on 200 test images, L = 100, 400, 1024) and its energy figures
// come out of the ledger: bits per inference are the streams the hardware consumes, the device
// energy is those bits priced by the telegraph device at their level (13.3..26.7 fJ), and the
// analog design (31 levels, 1024 bits) spends more than the quantized ones at 400 bits.
#define BOOST_TEST_MODULE paper_energy_shao
#include <boost/test/unit_test.hpp>

#include "paper_study_support.hpp"

using namespace paper_test;

BOOST_AUTO_TEST_CASE(analog_design_spends_more_than_quantized_from_the_ledger) {
  const fs::path dir = scratch("energy_shao");
  const CommandResult r = run(dir, "cd '" + dir.string() + "' && SPINSC_PLUGIN_PATH= " + cli() + " run " +
                                       source("experiments/paper/energy_shao.ini") +
                                       " -o e.h5 --train.epochs=1 --data.train_size=10000 --eval.sc_samples=200"
                                       " --eval.lengths=100,400,1024");
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  BOOST_TEST(r.output.find("3 runs: 3 complete, 0 failed") != std::string::npos, r.output);
  File f(dir / "e.h5");
  const std::vector<int> levels{31, 11, 5};  // the sweep's order
  const std::vector<int> lengths{100, 400, 1024};
  // Streams of 784-128-10 without bias: inputs n_in L and weights n_in n_out L per layer.
  const double bits_per_bit_of_length = (784.0 + 784.0 * 128.0) + (128.0 + 128.0 * 10.0);
  const double gates_per_bit_of_length = 784.0 * 128.0 + 128.0 * 10.0, counters_per_bit_of_length = 128.0 + 10.0;
  std::vector<std::vector<double>> device_energy(levels.size());
  for (std::size_t k = 0; k < levels.size(); ++k) {
    const std::string run = "runs/00000" + std::to_string(k);
    BOOST_TEST(f.attribute(run, "status") == "complete");
    const auto bits = f.doubles(run + "/evaluation/sc/bits_per_inference");
    device_energy[k] = f.doubles(run + "/evaluation/sc/device_energy_per_inference_J");
    const auto accuracy = f.doubles(run + "/evaluation/sc/accuracy");
    for (std::size_t i = 0; i < lengths.size(); ++i) {
      const int L = lengths[i];
      const std::string prefix = "L" + std::to_string(L) + "/";
      const double n = f.scalar(run + "/evaluation/sc/" + prefix + "n_samples");
      BOOST_TEST(bits[i] == bits_per_bit_of_length * L);
      const LedgerSum device = ledger_sum(f, run, prefix, "bits_generated");
      BOOST_TEST(device.events / n == bits[i]);
      BOOST_TEST(device.energy_J / n == device_energy[k][i], boost::test_tools::tolerance(1e-9));
      const double per_bit_fJ = device_energy[k][i] / bits[i] * 1e15;
      // V^2 T (pi_P/R_P + pi_AP/R_AP) with 1 V, 10 ns, 375/750 kOhm: 13.33 (all AP) .. 26.67 fJ (all P).
      BOOST_TEST(per_bit_fJ > 13.33);
      BOOST_TEST(per_bit_fJ < 26.67);
      BOOST_TEST(ledger_sum(f, run, prefix, "gate_ops").events / n == gates_per_bit_of_length * L);
      BOOST_TEST(ledger_sum(f, run, prefix, "counter_ops").events / n == counters_per_bit_of_length * L);
      BOOST_TEST(ledger_sum(f, run, prefix, "activation_ops").events / n == 128.0);  // one look-up per hidden neuron
      BOOST_TEST(accuracy[i] > 30.0);  // well above chance (10 %) after one epoch
    }
  }
  // The analog design at 1024 bits against the quantized designs at 400 bits (the paper's pairing).
  for (std::size_t k : {1u, 2u}) {
    const double ratio = device_energy[0][2] / device_energy[k][1];
    BOOST_TEST(ratio > 1.5, "analog / Q = " << levels[k] << ": " << ratio);
  }
}
