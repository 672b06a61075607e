// Benchmark (issue 4): bit-mode SC inference of 784-392-196-98-10 at L = 500 on the MNIST test
// images, streams from a bank of K = 256 per level (and fresh streams on a subset, from
// device.bernoulli and device.smtj_telegraph), 2 threads, with the SC kernel chosen at run time
// (SPINSC_SC_KERNEL forces one). Prints images/s, XNOR-popcount word and bit operations per
// second, and each policy's fraction of the limit: a plain XOR + popcount loop over the same
// number of words with the best kernel of this CPU, measured here (the scalar loop is printed
// too, for comparison).
// Targets on 2 cores: bank K = 256 at >= 50 % of the limit, the 10 000 test images in <= 3.5 s;
// fresh streams from device.bernoulli in <= 25 s, from device.smtj_telegraph in <= 60 s.
// Weights are random levels (no trained network is needed for speed: the work does not depend
// on the values); the images are MNIST's if found ([data] search order), random otherwise.
// A row "unipolar_ei, bank K=256" runs the excitatory/inhibitory encoding (sc.and, two weight
// streams and two AND counts a synapse) on a tenth of the images; it needs non-negative inputs,
// so it runs on MNIST images only. Its words count both AND counts of a synapse.
//   usage: spinsc_bench_sc_inference [images=10000] [length=500] [levels=5] [threads=2] [rows=all]
//   rows: all, or only the rows whose label contains this text (e.g. "fresh", "bank K=256")
#include <fmt/core.h>

#include <bit>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "spinsc/dataset.hpp"
#include "../bench_plugins.hpp"
#include "spinsc/plugin_registry.hpp"
#include "spinsc/sc_kernels.hpp"
#include "spinsc/sc_network.hpp"

using namespace spinsc;
using spinsc::bench::make;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The plain loop: popcount(a ^ b) over two arrays with `kernel`, repeated to `total_words`, on
// `threads`. Arrays of 64 Ki words each (1 MiB together, the size of the engine's bank + input
// streams). XOR, not XNOR: the engine counts XOR ones (L - XNOR ones), the same work.
double plain_loop_words_per_s(const ScBitKernels& kernel, std::uint64_t total_words, unsigned threads) {
  const std::size_t n = 1 << 16;
  std::vector<std::uint64_t> a(n), b(n);
  RandomStream rng(1, "bench-plain");
  for (std::size_t i = 0; i < n; ++i) {
    a[i] = rng.next_u64();
    b[i] = rng.next_u64();
  }
  std::vector<std::uint64_t> sums(threads, 0);
  const std::uint64_t mine = (total_words / threads + n - 1) / n * n;  // whole passes
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      std::uint64_t c = 0;
      for (std::uint64_t done = 0; done < mine; done += n) c += kernel.xor_count(a.data(), b.data(), n);
      sums[t] = c;
    });
  for (auto& th : pool) th.join();
  const double s = seconds_since(t0);
  std::uint64_t all = 0;
  for (auto v : sums) all += v;
  if (all == 42) fmt::print("");  // use the result
  return double(mine * threads) / s;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t n_images = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10000;
  const std::size_t L = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 500;
  const int levels = argc > 3 ? std::atoi(argv[3]) : 5;
  const unsigned threads = argc > 4 ? unsigned(std::atoi(argv[4])) : 2;
  const std::string rows = argc > 5 ? argv[5] : "all";

  NetworkSpec spec;
  spec.layers = {784, 392, 196, 98, 10};
  spec.levels = levels;
  const Quantizer quantizer(levels);

  // Inputs: quantized MNIST test images (x / max(X)), or random levels.
  std::vector<std::uint8_t> inputs(n_images * 784);
  std::string source = "random levels (MNIST not found)";
  try {
    const DataSplit data = load_dataset(DataOptions{});
    for (std::size_t k = 0; k < n_images; ++k)
      for (int j = 0; j < 784; ++j)
        inputs[k * 784 + j] = static_cast<std::uint8_t>(
            quantizer.index(double(data.test.images(Eigen::Index(k % data.test.size()), j)) / data.train.max_value));
    source = "MNIST test images from " + data.folder.string();
  } catch (const std::exception&) {
    RandomStream rng(2, "bench-inputs");
    for (auto& v : inputs) v = static_cast<std::uint8_t>(rng.below(levels));
  }
  // Random weight levels.
  std::vector<std::vector<std::uint8_t>> weights;
  std::vector<ScLayerView> views;
  std::uint64_t synapses = 0;
  RandomStream wrng(3, "bench-weights");
  for (std::size_t l = 0; l + 1 < spec.layers.size(); ++l) {
    const std::size_t n_in = spec.layers[l], n_out = spec.layers[l + 1];
    weights.emplace_back(n_in * n_out);
    for (auto& v : weights.back()) v = static_cast<std::uint8_t>(wrng.below(levels));
    views.push_back({n_in, n_out, weights.back().data(), nullptr, nullptr});
    synapses += n_in * n_out;
  }
  const std::vector<ScLayerShape> shapes = provider_shapes_of(spec);

  PluginRegistry registry({SPINSC_BUILD_PLUGIN_DIR});
  po::variables_map vm;
  auto device = make<BitSource>(registry, "device.bernoulli", vm);
  auto telegraph = make<BitSource>(registry, "device.smtj_telegraph", vm);
  auto xnor = make<Multiplier>(registry, "sc.xnor", vm);
  auto and_gate = make<Multiplier>(registry, "sc.and", vm);
  auto counter = make<Adder>(registry, "sc.parallel_counter", vm);
  std::vector<std::unique_ptr<Activation>> luts;
  ScUnits units{xnor.get(), counter.get(), {}, device.get()};
  for (int l = 0; l < 3; ++l) {
    luts.push_back(make<Activation>(registry, "sc.lut_sigmoid", vm));
    units.activations.push_back(luts.back().get());
  }
  const std::size_t words = words_for_bits(L);
  const ScBitKernels& kernel = sc_kernels();
  const ScBitKernels& scalar = sc_kernels_for("portable");
  fmt::print("SC inference benchmark: 784-392-196-98-10, Q = {}, L = {} ({} words/stream), {} threads\n", levels, L,
             words, threads);
  fmt::print("SC kernel: {} ({}); SPINSC_SC_KERNEL=portable|avx2|avx512 forces one\n", kernel.name,
             kernel.description);
  fmt::print("inputs: {}; weights: random levels\n", source);

  // The limit: the plain loop with the best kernel of this CPU (about 1 s of work at its speed).
  const std::uint64_t limit_words = std::uint64_t(n_images) * synapses * words;
  const ScBitKernels& best = *sc_kernels_available().front();
  const double limit_words_per_s = plain_loop_words_per_s(best, std::min<std::uint64_t>(limit_words, 8e9), threads);
  const double scalar_words_per_s = plain_loop_words_per_s(scalar, std::min<std::uint64_t>(limit_words, 3e9), threads);
  fmt::print("limit: plain XOR+popcount loop, {} kernel, {} threads: {:.3e} words/s = {:.3e} bit-ops/s\n", best.name,
             threads, limit_words_per_s, 64 * limit_words_per_s);
  fmt::print("       the same loop, portable kernel (scalar popcount): {:.3e} words/s ({:.2f}x less)\n",
             scalar_words_per_s, limit_words_per_s / scalar_words_per_s);
  fmt::print("{:<28} {:>8} {:>9} {:>10} {:>13} {:>13} {:>9}\n", "policy", "images", "time s", "images/s",
             "words/s", "bit-ops/s", "of limit");

  auto run = [&](ScMode mode, StreamPolicy policy, std::size_t bank, std::size_t n, BitSource* source_device,
                 const std::string& label, ScEncoding encoding = ScEncoding::bipolar) {
    if (rows != "all" && label.find(rows) == std::string::npos) return 0.0;
    ScSettings settings;
    settings.mode = mode;
    settings.policy = policy;
    settings.bank_size = bank;
    settings.threads = threads;
    settings.encoding = encoding;
    ScUnits u = units;
    u.device = source_device;
    const bool ei = encoding == ScEncoding::unipolar_ei;
    if (ei) u.multiplier = and_gate.get();
    auto engine = make_sc_engine(spec, settings, u, RandomStream(4, "bench-engine"));
    const auto t_prepare = std::chrono::steady_clock::now();
    engine->prepare(shapes, L);
    const double prepare_s = seconds_since(t_prepare);
    const auto t0 = std::chrono::steady_clock::now();
    const auto classes = engine->classify(views, inputs.data(), n, 0);
    const double s = seconds_since(t0);
    const double counts_per_synapse = ei ? 2.0 : 1.0;  // unipolar_ei: an AND count into C+ and one into C-
    const double word_ops = double(n) * double(synapses) * double(words) * counts_per_synapse;
    const double bit_ops = double(n) * double(synapses) * double(L) * counts_per_synapse;
    fmt::print("{:<28} {:>8} {:>9.2f} {:>10.1f} {:>13.3e} {:>13.3e} {:>8.1f}%   (set-up {:.2f} s, class[0] = {})\n",
               label, n, s, double(n) / s, word_ops / s, bit_ops / s, 100.0 * (word_ops / s) / limit_words_per_s,
               prepare_s, classes.empty() ? -1 : classes[0]);
    return s;
  };
  const double bank_s = run(ScMode::bit, StreamPolicy::bank, 256, n_images, device.get(), "bit, bank K=256");
  run(ScMode::bit, StreamPolicy::bank, 1, n_images / 10, device.get(), "bit, bank K=1");
  run(ScMode::bit, StreamPolicy::window, 256, n_images / 10, device.get(), "bit, window");
  const std::size_t fresh_n = std::max<std::size_t>(1, n_images / 200);
  const double fresh_s = run(ScMode::bit, StreamPolicy::fresh, 256, fresh_n, device.get(), "bit, fresh bernoulli (subset)");
  const double telegraph_s =
      run(ScMode::bit, StreamPolicy::fresh, 256, fresh_n, telegraph.get(), "bit, fresh telegraph (subset)");
  run(ScMode::binomial, StreamPolicy::bank, 256, n_images / 10, device.get(), "binomial");
  run(ScMode::expected, StreamPolicy::bank, 256, n_images / 10, device.get(), "expected");
  if (source.starts_with("MNIST"))
    run(ScMode::bit, StreamPolicy::bank, 256, n_images / 10, device.get(), "unipolar_ei, bank K=256",
        ScEncoding::unipolar_ei);
  else
    fmt::print("unipolar_ei, bank K=256: not run (random input levels can be negative)\n");
  const double scale = double(n_images) / double(fresh_n);
  fmt::print("whole set ({} images): bank K=256 {:.2f} s (target <= 3.5 s for 10 000); fresh extrapolated: "
             "bernoulli {:.0f} s (target <= 25 s), smtj_telegraph {:.0f} s (target <= 60 s)\n",
             n_images, bank_s, fresh_s * scale, telegraph_s * scale);
  return 0;
}
