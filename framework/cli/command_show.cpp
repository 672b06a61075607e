// spinsc show RESULTS.h5 [--columns a,b,...] [--csv] [--width N]
#include <fmt/core.h>

#include <optional>
#include <stdexcept>

#include "commands.hpp"
#include "results_view.hpp"
#include "spinsc/result_store.hpp"

namespace spinsc::cli {

namespace {

void print_show_help() {
  fmt::print(
      "Usage: spinsc show RESULTS.h5 [--columns NAME,NAME,...] [--csv] [--width N]\n\n"
      "Prints the runs of a results file as a table: one row per run, SC variant and stream length,\n"
      "the swept keys and the key figures with units (the table `spinsc run` prints at the end).\n"
      "It fits the terminal: the columns that do not fit are named under the table.\n\n"
      "  --columns A,B,...  these columns, in this order (an unknown name lists the valid ones)\n"
      "  --csv              comma-separated, every column (or those chosen), in the file's units\n"
      "                     (J, s, %%, cycles, bits): for a spreadsheet or pandas.read_csv\n"
      "  --width N          fit N columns instead of the terminal's width (0: no limit)\n");
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty()) items.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return items;
}

}  // namespace

int command_show(const Arguments& args) {
  std::optional<std::string> file;
  TableFormat format;
  format.width = terminal_width(stdout);
  auto value_of = [&](std::size_t& i, const std::string& option) -> std::string {
    const std::string& arg = args[i];
    if (arg.size() > option.size() && arg[option.size()] == '=') return arg.substr(option.size() + 1);
    if (i + 1 >= args.size()) throw std::runtime_error(option + " needs a value (spinsc show --help)");
    return args[++i];
  };
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      print_show_help();
      return 0;
    } else if (arg == "--csv") {
      format.csv = true;
    } else if (arg.rfind("--columns", 0) == 0) {
      format.columns = split_list(value_of(i, "--columns"));
    } else if (arg.rfind("--width", 0) == 0) {
      const std::string value = value_of(i, "--width");
      std::size_t used = 0;
      long width = -1;
      try {
        width = std::stol(value, &used);
      } catch (const std::exception&) {
      }
      if (width < 0 || used != value.size())
        throw std::runtime_error("--width '" + value + "' is not a number of columns >= 0");
      format.width = std::size_t(width);
    } else if (arg.rfind("-", 0) == 0 || file) {
      throw std::runtime_error("unexpected argument '" + arg + "' (spinsc show --help says how)");
    } else {
      file = arg;
    }
  }
  if (!file) {
    fmt::print(stderr, "spinsc show: missing the results file (RESULTS.h5)\n\n");
    print_show_help();
    return 2;
  }
  print_results_file(stdout, *file, format);
  return 0;
}

}  // namespace spinsc::cli

SPINSC_CLI_COMMAND("show", spinsc::cli::command_show, "print the runs of a results file as a table (--csv for a spreadsheet)")
