// sc.fsm_tanh: tanh activation by a finite-state machine (Stanh / Btanh / NStanh, fsm_core.hpp),
// for networks whose hidden activation is tanh(g s). Output value 2 P(1) - 1 of the FSM's stream.
//
// Example experiment block:
//   [sc]
//   activation = sc.fsm_tanh
//   [sc.fsm_tanh]
//   mode = nstanh
//   states = 0
#include "fsm_activation.hpp"
#include "spinsc/plugin.hpp"

namespace {
class FsmTanh final : public spinsc::fsm::FsmActivation {
 public:
  using FsmActivation::declare;
  FsmTanh(const spinsc::Params& p, const spinsc::ComponentContext&) : FsmActivation(p, "tanh", "sc.fsm_tanh") {}
};
}  // namespace

SPINSC_PLUGIN(FsmTanh, "sc", "fsm_tanh", "1.0.0", "tanh activation by FSM (Stanh, Btanh, NStanh)")
