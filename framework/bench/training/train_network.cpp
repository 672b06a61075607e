// spinsc_train_network: runs the `network` task once with settings given as key=value
// arguments (the keys of an experiment file: data.train_size=10000 train.epochs=5
// train.strategy=train.qat train.qat.float_warmup_epochs=2 seed=3), with a hand-made RunContext
// and an in-memory record; prints the per-epoch history and the summary. For quick studies
// and for the accuracy runs of docs/training.md; `spinsc run FILE.ini` is the real front end.
#include <iostream>

#include <fmt/format.h>

#include "spinsc/framework_parts.hpp"
#include "spinsc/network_task.hpp"
#include "spinsc/plugin_registry.hpp"

namespace {

class ConsoleProgress final : public spinsc::Progress {
 public:
  void step(const std::string&, double) override {}
  void message(const std::string& text) override { std::cout << text << std::endl; }
};

}  // namespace

int main(int argc, char** argv) {
  try {
    namespace po = spinsc::po;
    std::vector<std::string> args;
    std::string strategy = "train.qat";
    std::uint64_t seed = 1;
    for (int i = 1; i < argc; ++i) {
      std::string a = argv[i];
      if (a.rfind("seed=", 0) == 0) {
        seed = std::stoull(a.substr(5));
        continue;
      }
      if (a.rfind("train.strategy=", 0) == 0) strategy = a.substr(15);
      args.push_back("--" + a);
    }
    spinsc::PluginRegistry registry;
    po::options_description description;
    for (const auto& section : spinsc::registered_sections()) {
      spinsc::OptionsBuilder builder(description, section.section);
      section.declare(builder);
    }
    registry.declare_options(strategy, description);
    po::variables_map values;
    po::store(po::command_line_parser(args).options(description).run(), values);
    po::notify(values);
    const spinsc::Params config(values, "");
    spinsc::RunRecord record;
    spinsc::EnergyLedger ledger;
    ConsoleProgress progress;
    spinsc::RunContext context{config, registry, seed, 0, record, ledger, progress};
    spinsc::run_network_task(context);
    for (const auto& [name, value] : record.summary_values())
      std::cout << fmt::format("summary {} = {:.4f} {}", name, value.first, value.second) << std::endl;
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "spinsc_train_network: " << e.what() << std::endl;
    return 1;
  }
}
