#pragma once
// The `network` task: reads [data], [network], [train]; builds the data set, the network and
// the training strategy (`[train] strategy`, a train plugin); trains; evaluates the test set in
// float and quantized mode (evaluation/float, evaluation/quantized: accuracy and confusion
// matrix; summary columns float_accuracy and quantized_accuracy) and records the weights.
//
// Further evaluations (SC inference at `[eval] lengths`, ...) plug in without touching the
// task: register a function with SPINSC_REGISTER_NETWORK_EVALUATION in the framework library;
// the task calls every registered one, in name order, after the float and quantized ones, with
// the trained network.
#include <memory>
#include <string>
#include <vector>

#include "spinsc/dataset.hpp"
#include "spinsc/mlp.hpp"
#include "spinsc/run_context.hpp"
#include "spinsc/training_strategy.hpp"
#include "spinsc/worker_pool.hpp"

namespace spinsc {

struct NetworkTaskState {
  RunContext& context;
  const DataSplit& data;
  Mlp& network;
  TrainingStrategy& strategy;
  TrainingSession& session;  // its pool() runs work in parallel; options() has [train]
};

using NetworkEvaluationFunction = void (*)(NetworkTaskState&);

struct NetworkEvaluationRegistration {
  NetworkEvaluationRegistration(const char* name, NetworkEvaluationFunction run);
};

struct NetworkEvaluationEntry {
  std::string name;
  NetworkEvaluationFunction run;
};
const std::vector<NetworkEvaluationEntry>& registered_network_evaluations();  // sorted by name

// The data set of `options`, read once per process and shared (read-only) by every run that uses it.
std::shared_ptr<const DataSplit> cached_dataset(const DataOptions& options);

// The task itself (also callable directly, e.g. from tests with a hand-made RunContext). A run
// whose RunContext::training_id names a training done before in this process reuses that
// network (and the training's part of the record) instead of training again; its record says
// so (attribute training/trained_in_this_run = 0).
void run_network_task(RunContext& context);
// Forgets the networks kept for reuse (tests: the next run trains again).
void forget_trained_networks();

// Sets the weights of `network` to `weights` received from another process (one matrix per
// layer, as Mlp::weights); throws std::runtime_error naming `what` ("a trained network") if they
// do not fit its layers.
void load_received_weights(Mlp& network, const std::vector<Matrix>& weights, const std::string& what);

// The network kept for reuse under `training_id` and its training's part of the record, as bytes
// for another process of the same job (spinsc run under mpirun, after RunContext::network_ready);
// throws std::logic_error if this process keeps none under that id.
std::string encode_trained_network(const std::string& training_id);
// Keeps the network of encode_trained_network's bytes for reuse in this process, as if this
// process had trained it: the next run with its training id evaluates it, with the same record
// as a later run of the process that trained it. `spec`: the network's layers (the run's
// [network]). Throws std::runtime_error on damaged bytes or weights that do not fit `spec`.
void adopt_trained_network(std::string_view bytes, const NetworkSpec& spec);

}  // namespace spinsc

#define SPINSC_REGISTER_NETWORK_EVALUATION(name_literal, run_function) \
  static const ::spinsc::NetworkEvaluationRegistration SPINSC_CONCAT(spinsc_network_evaluation_, __LINE__)(name_literal, run_function);
