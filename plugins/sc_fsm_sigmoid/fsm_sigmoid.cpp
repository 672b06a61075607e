// sc.fsm_sigmoid: sigmoid activation by a finite-state machine. sigmoid(g s) = (1 + tanh(g s/2))/2
// is the P(1) of a stream of bipolar value tanh(g s / 2), so an FSM tanh with half the gain gives
// it directly: the output value is the fraction of ones (fsm_core.hpp for the designs).
//
// Example experiment block:
//   [sc]
//   activation = sc.fsm_sigmoid
//   [sc.fsm_sigmoid]
//   mode = nstanh
#include "fsm_activation.hpp"
#include "spinsc/plugin.hpp"

namespace {
class FsmSigmoid final : public spinsc::fsm::FsmActivation {
 public:
  using FsmActivation::declare;
  FsmSigmoid(const spinsc::Params& p, const spinsc::ComponentContext&)
      : FsmActivation(p, "sigmoid", "sc.fsm_sigmoid") {}
};
}  // namespace

SPINSC_PLUGIN(FsmSigmoid, "sc", "fsm_sigmoid", "1.0.0", "sigmoid activation by FSM (Stanh, Btanh, NStanh)")
