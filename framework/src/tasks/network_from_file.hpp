#pragma once
// `[network] from = FILE.h5`: a run evaluates a network trained earlier instead of training one.
// Used by the pre-run checks (so a wrong file or selector fails before any work) and by the task.
#include "spinsc/mlp.hpp"
#include "spinsc/params.hpp"
#include "spinsc/stored_network.hpp"

namespace spinsc {

// True when this point's [network] from names a results file.
bool network_from_file_is_set(const Params& config);

// Reads the network `[network] from` / `from_run` select and checks that it is the network this
// point's [network] keys describe (widths, levels, activations, bias, quantization range and
// gains where the file records them); throws ParamError naming the key that differs.
StoredNetwork network_from_file(const Params& config, const NetworkSpec& spec);

// Puts the stored weights into `network` (whose spec network_from_file checked).
void load_weights(Mlp& network, const StoredNetwork& stored);

}  // namespace spinsc
