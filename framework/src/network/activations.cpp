// Hidden and output activations of the MLP and the set of values a quantized hidden output takes.
#include <algorithm>
#include <cmath>
#include <set>

#include "spinsc/mlp.hpp"

namespace spinsc {

float hidden_activation(HiddenActivation kind, float u) {
  switch (kind) {
    case HiddenActivation::sigmoid: return 1.0f / (1.0f + std::exp(-u));
    case HiddenActivation::tanh: return std::tanh(u);
    case HiddenActivation::relu: return u > 0.0f ? u : 0.0f;
    // Piecewise-linear sigmoid with the sigmoid's slope at 0 (1/4): clip(0.5 + u/4, 0, 1).
    case HiddenActivation::hard_sigmoid: return std::clamp(0.5f + 0.25f * u, 0.0f, 1.0f);
  }
  return 0.0f;
}

float hidden_activation_derivative(HiddenActivation kind, float u) {
  switch (kind) {
    case HiddenActivation::sigmoid: {
      const float s = 1.0f / (1.0f + std::exp(-u));
      return s * (1.0f - s);
    }
    case HiddenActivation::tanh: {
      const float t = std::tanh(u);
      return 1.0f - t * t;
    }
    case HiddenActivation::relu: return u > 0.0f ? 1.0f : 0.0f;
    case HiddenActivation::hard_sigmoid: return (u > -2.0f && u < 2.0f) ? 0.25f : 0.0f;
  }
  return 0.0f;
}

std::vector<double> hidden_output_levels(const NetworkSpec& spec) {
  // The activation's range intersected with the quantizer's levels: every level that Q(act(u))
  // reaches for some u. Sigmoid/hard sigmoid reach [0, 1], tanh [-1, 1], relu [0, inf).
  const Quantizer q(spec.levels, spec.lower, spec.upper);
  double lo = 0.0, hi = 1.0;
  if (spec.hidden == HiddenActivation::tanh) lo = -1.0;
  if (spec.hidden == HiddenActivation::relu) hi = spec.upper;
  std::set<int> reached;
  // Dense scan of the open range plus the end points (sigmoid reaches 0 and 1 only in the limit,
  // but in float arithmetic it saturates to them; the quantizer's rounding makes them reachable
  // well before that anyway).
  const int n = 100000;
  for (int i = 0; i <= n; ++i) reached.insert(q.index(lo + (hi - lo) * i / n));
  std::vector<double> values;
  for (int k : reached) values.push_back(q.value(k));
  return values;
}

std::string to_string(HiddenActivation kind) {
  switch (kind) {
    case HiddenActivation::sigmoid: return "sigmoid";
    case HiddenActivation::tanh: return "tanh";
    case HiddenActivation::relu: return "relu";
    case HiddenActivation::hard_sigmoid: return "hard_sigmoid";
  }
  return "?";
}

std::string to_string(OutputActivation kind) {
  switch (kind) {
    case OutputActivation::sigmoid: return "sigmoid";
    case OutputActivation::softmax: return "softmax";
    case OutputActivation::identity: return "identity";
  }
  return "?";
}

}  // namespace spinsc
