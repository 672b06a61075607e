#pragma once
// A trained network read back from a results file, so that a later experiment can evaluate it
// without training (`[network] from = FILE.h5`, `from_run = SELECTOR`). The reader takes the
// weights a run recorded under runs/NNNNNN/network/ (see docs/results-format.md) and the
// structure stored with them, which the caller checks against its own [network] keys.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "spinsc/run_record.hpp"

namespace spinsc {

struct StoredNetwork {
  std::string file;           // the results file, as given
  std::uint64_t run_index = 0;
  std::string run_id, training_id;  // "" in files written before runs had ids
  std::vector<int> layers;
  std::string topology;  // a convolutional network's layers in canonical spelling; "" for an MLP
  int levels = 0;
  std::string hidden_activation, output_activation;
  bool bias = false;
  // Recorded since the quantization range and gains were stored with the weights (else unset).
  std::optional<double> quant_lower, quant_upper;
  std::vector<double> activation_gain;
  // Float weights of each layer, row-major n_out x (n_in [+ 1 with bias]).
  std::vector<std::vector<double>> weights;
  std::vector<std::pair<std::size_t, std::size_t>> weight_shapes;  // rows, cols
  // What the run recorded of its training (only from find_stored_training): every dataset below
  // training/ (history, wall time), the attributes of training/, and the training's summary
  // values (train_time_s): a run that reuses it records the same training part as one that
  // reused the network in memory.
  RunRecord training_part;
};

// Reads the network of the run `selector` names: a run number (the `run` column of spinsc
// show), or a training id or run id (16 hex digits). An empty selector takes the only trained
// network of the file's complete runs. Throws ParamError naming `from_key` or `run_key` and the
// file, with the choices, when the file is not a results file, the run is absent or not
// complete, or it holds no network.
StoredNetwork read_stored_network(const std::filesystem::path& file, const std::string& selector,
                                  const std::string& from_key, const std::string& run_key);

// The network of a complete run of `file` that was trained with `training_id`, if there is one:
// a grown or resumed experiment reuses the trainings its own results file holds. The run is found
// in the index's /summary (the first complete one, by run index, that recorded a network), so
// only that run's file is opened, however many runs the index holds. Empty when the file does
// not exist, cannot be read or holds no such run. `file` must be the run's own results file (its
// store ran the checks for untrusted files when it opened it; none are run again here).
std::optional<StoredNetwork> find_stored_training(const std::filesystem::path& file, const std::string& training_id);

}  // namespace spinsc
