// spinsc_bench_training: training throughput of the paper's two networks, float and QAT, on
// the MNIST training set: samples/s and seconds per epoch (one epoch each, after a short
// warm-up). The targets (issue 3): one QAT epoch over 60 000 images in <= 2.5 s (784-128-10)
// and <= 10 s (784-392-196-98-10) on 2 cores. Usage: spinsc_bench_training [threads] [batch]
// The machine may be shared: the figures are wall-clock times under whatever load there is.
#include <sys/resource.h>

#include <chrono>
#include <iostream>

#include <fmt/format.h>

#include "spinsc/training_strategy.hpp"

namespace {
// CPU time of the whole process (all threads), s: on a shared machine the wall time depends on
// the other jobs, the CPU time much less; CPU time / 2 is what 2 idle cores would take at best.
double process_cpu_s() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + 1e-6 * double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
}
double load_average() {
  double load[1] = {0.0};
  return getloadavg(load, 1) == 1 ? load[0] : -1.0;
}
}  // namespace

int main(int argc, char** argv) {
  try {
    const int threads = argc > 1 ? std::stoi(argv[1]) : 0;
    const int batch = argc > 2 ? std::stoi(argv[2]) : 64;
    spinsc::DataOptions data_options;
    const spinsc::DataSplit data = spinsc::load_dataset(data_options);
    // The test set is cut to 1000 images: the per-epoch test evaluation is not what is timed.
    spinsc::Dataset small_test = data.test;
    small_test.images.conservativeResize(1000, small_test.images.cols());
    small_test.labels.resize(1000);
    std::cout << fmt::format("MNIST {} training images, batch {}, threads {}\n", data.train.size(), batch,
                             threads ? std::to_string(threads) : std::string("all"));
    std::cout << fmt::format("load average at start: {:.1f} (other jobs share the cores)\n", load_average());
    std::cout << fmt::format("{:<22} {:<6} {:>12} {:>10} {:>14} {:>8}\n", "network", "mode", "samples/s", "s/epoch",
                             "CPU s/epoch", "load");
    for (const std::vector<int>& layers : {std::vector<int>{784, 128, 10}, std::vector<int>{784, 392, 196, 98, 10}}) {
      for (const auto mode : {spinsc::ForwardMode::float_precision, spinsc::ForwardMode::quantized}) {
        spinsc::NetworkSpec spec;
        spec.layers = layers;
        spinsc::Mlp network(spec);
        spinsc::TrainingOptions options;
        options.batch_size = batch;
        options.threads = threads;
        spinsc::TrainingSession session(network, data.train, small_test, options, {1, 0, nullptr});
        spinsc::TrainingPlan plan;
        plan.mode = mode;
        plan.epochs = 1;
        const double cpu0 = process_cpu_s();
        session.run(plan);
        const double seconds = session.history().back().seconds;
        // CPU time includes the per-epoch evaluation on the 1000 test images (about 2 % of an epoch).
        const double cpu_s = process_cpu_s() - cpu0;
        std::string name;
        for (int w : layers) name += (name.empty() ? "" : "-") + std::to_string(w);
        std::cout << fmt::format("{:<22} {:<6} {:>12.0f} {:>10.2f} {:>14.2f} {:>8.1f}\n", name,
                                 mode == spinsc::ForwardMode::quantized ? "QAT" : "float",
                                 double(data.train.size()) / seconds, seconds, cpu_s, load_average())
                  << std::flush;
      }
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "spinsc_bench_training: " << e.what() << std::endl;
    return 1;
  }
}
