// Benchmark: bit-mode SC inference of LeNet-5 (28x28, conv6x5x5:pad2, pool2, conv16x5x5, pool2, 120,
// 84, 10) on the MNIST test images at L = 128, the way a run evaluates it: the network's quantized
// forward pass with the SC engine behind the provider hook (one provider row per output position
// of a convolution), chunks of 200 images on a worker pool. Streams from a bank of K = 256 per
// level of device.bernoulli (and, on a subset, fresh streams from device.bernoulli and
// device.smtj_telegraph), XNOR, exact parallel counter, LUT sigmoid. Target: the 10 000 test
// images in <= 60 s on 2 cores (bank). Weights are random levels (the work does not depend on
// their values). Prints seconds, images/s and synapse-bits per second; the machine may be shared,
// so the load average is printed beside the figures.
//   usage: spinsc_bench_sc_lenet5 [images=10000] [length=128] [levels=33] [threads=2]
#include <fmt/core.h>

#include <chrono>
#include <cstdlib>

#include "spinsc/dataset.hpp"
#include "spinsc/evaluation.hpp"
#include "spinsc/params.hpp"
#include "../bench_plugins.hpp"
#include "spinsc/plugin_registry.hpp"
#include "spinsc/sc_network.hpp"
#include "spinsc/worker_pool.hpp"

using namespace spinsc;
using spinsc::bench::make;

namespace {

double load_average() {
  double load[1] = {0.0};
  return getloadavg(load, 1) == 1 ? load[0] : -1.0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t n_images = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10000;
  const std::size_t L = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 128;
  const int levels = argc > 3 ? std::atoi(argv[3]) : 33;
  const int threads = argc > 4 ? std::atoi(argv[4]) : 2;

  NetworkSpec spec;
  spec.topology = parse_network_topology(
      split_list("28x28, conv6x5x5:pad2, pool2, conv16x5x5, pool2, 120, 84, 10"), "network.layers");
  spec.layers = spec.topology.widths();
  spec.levels = levels;
  Mlp network(spec);
  RandomStream rng(3, "bench-weights");
  std::uint64_t synapses = 0;  // synapse streams per inference (rows x neurons x row synapses)
  for (std::size_t l = 0; l < network.n_layers(); ++l) {
    for (Eigen::Index i = 0; i < network.weights(l).size(); ++i)
      network.weights(l).data()[i] = float(2 * rng.uniform() - 1);
    const WeightLayer& g = network.layer(l);
    synapses += std::uint64_t(g.rows_per_sample()) * g.outputs * g.row_synapses();
  }
  DataSplit data = load_dataset(DataOptions{});
  Dataset& test = data.test;

  PluginRegistry registry({SPINSC_BUILD_PLUGIN_DIR});
  po::variables_map vm;
  auto bernoulli = make<BitSource>(registry, "device.bernoulli", vm);
  auto telegraph = make<BitSource>(registry, "device.smtj_telegraph", vm);
  auto xnor = make<Multiplier>(registry, "sc.xnor", vm);
  auto counter = make<Adder>(registry, "sc.parallel_counter", vm);
  std::vector<std::unique_ptr<Activation>> luts;
  std::vector<Activation*> activations;
  for (std::size_t l = 0; l + 1 < network.n_layers(); ++l) {
    luts.push_back(make<Activation>(registry, "sc.lut_sigmoid", vm));
    activations.push_back(luts.back().get());
  }
  WorkerPool pool(threads);
  fmt::print("SC inference benchmark: LeNet-5 ({}), Q = {}, L = {}, {} threads; {} synapse streams per inference\n",
             spec.topology.text(), levels, L, threads, synapses);
  fmt::print("{:<30} {:>7} {:>9} {:>10} {:>15} {:>6}\n", "policy", "images", "time s", "images/s", "synapse-bits/s",
             "load");
  auto run = [&](StreamPolicy policy, std::size_t n, BitSource* device, const std::string& label) {
    ScSettings settings;
    settings.policy = policy;
    settings.bank_size = 256;
    settings.threads = unsigned(threads);
    auto engine = make_sc_engine(spec, settings, ScUnits{xnor.get(), counter.get(), activations, device},
                                 RandomStream(4, "bench-engine"));
    engine->prepare(provider_shapes_of(spec), L);
    const ScPreactivationProvider provider(*engine, activations);
    EvaluationOptions options;
    options.provider = &provider;
    options.n_samples = n;
    const auto t0 = std::chrono::steady_clock::now();
    const EvaluationResult result = evaluate(network, test, options, pool);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    fmt::print("{:<30} {:>7} {:>9.2f} {:>10.1f} {:>15.3e} {:>6.1f}   (accuracy of random weights {:.1f} %)\n", label,
               result.n_samples, s, double(result.n_samples) / s, double(result.n_samples) * double(synapses) * double(L) / s,
               load_average(), result.accuracy_percent());
    return s * double(n_images) / double(result.n_samples);
  };
  const double bank_s = run(StreamPolicy::bank, n_images, bernoulli.get(), "bit, bank K=256");
  const std::size_t subset = std::max<std::size_t>(1, n_images / 50);
  const double fresh_s = run(StreamPolicy::fresh, subset, bernoulli.get(), "bit, fresh bernoulli (subset)");
  const double telegraph_s = run(StreamPolicy::fresh, subset, telegraph.get(), "bit, fresh telegraph (subset)");
  fmt::print("whole set ({} images): bank K=256 {:.1f} s (target <= 60 s for 10 000 at L = 128); fresh extrapolated: "
             "bernoulli {:.0f} s, smtj_telegraph {:.0f} s\n",
             n_images, bank_s, fresh_s, telegraph_s);
  return 0;
}
