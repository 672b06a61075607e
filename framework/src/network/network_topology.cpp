// Reading `[network] layers` into a topology (the syntax is in network_topology.hpp).
#include "spinsc/network_topology.hpp"

#include <charconv>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fmt/format.h>
#include <optional>

#include "spinsc/params.hpp"

namespace spinsc {

namespace {

// "123" -> 123; nullopt unless the whole text is a positive integer.
std::optional<int> positive_integer(std::string_view text) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 1) return std::nullopt;
  return value;
}

// "6x5x5" -> {6, 5, 5}; empty unless every part is a positive integer.
std::vector<int> dimensions(std::string_view text) {
  std::vector<int> parts;
  while (true) {
    const auto x = text.find('x');
    const auto part = positive_integer(text.substr(0, x));
    if (!part) return {};
    parts.push_back(*part);
    if (x == std::string_view::npos) return parts;
    text.remove_prefix(x + 1);
  }
}

// What one layer may hold (map elements, weights, receptive-field entries): 2^28, 1 GiB of floats.
// Far above any network of this field; a typo (conv6000x5x5) or a fuzzed file must not make the
// process allocate beyond memory or overflow an int.
constexpr std::int64_t kMaxLayerElements = std::int64_t(1) << 28;

struct ItemError {
  const std::string& key;
  const std::string& item;
  [[noreturn]] void operator()(const std::string& why) const {
    throw ParamError(fmt::format("'{}': item '{}' {}", key, item, why));
  }
};

void check_size(std::int64_t elements, const char* what, const ItemError& fail) {
  if (elements > kMaxLayerElements)
    fail(fmt::format("makes a layer too large: {} {} (at most {})", elements, what, kMaxLayerElements));
}

FeatureShape input_shape(const std::string& item, const ItemError& fail) {
  const std::vector<int> d = dimensions(item);
  std::int64_t elements = 1;
  for (int v : d) elements = std::min(elements * v, kMaxLayerElements + 1);
  check_size(elements, "input elements", fail);
  if (d.size() == 1) return {d[0], 1, 1};  // a width; made an image below if a convolution follows
  if (d.size() == 2) return {1, d[0], d[1]};
  if (d.size() == 3) return {d[0], d[1], d[2]};
  fail("is not an input: write a width (784), HxW (28x28) or CxHxW (1x28x28)");
}

// "conv6x5x5:stride1:pad2" into `layer` (its input shape already set).
void read_convolution(const std::string& item, WeightLayer& layer, const ItemError& fail) {
  std::string_view rest(item);
  rest.remove_prefix(4);  // "conv"
  const auto colon = rest.find(':');
  const std::vector<int> d = dimensions(rest.substr(0, colon));
  if (d.size() != 3) fail("is not a convolution: write convCxKxK, e.g. conv6x5x5 (6 channels of 5 x 5 kernels)");
  if (d[1] != d[2]) fail("has a kernel that is not square (only K x K kernels are supported)");
  layer.convolution = true;
  layer.outputs = d[0];
  layer.kernel = d[1];
  while (colon != std::string_view::npos && !rest.empty()) {
    rest.remove_prefix(rest.find(':') + 1);
    const auto next = rest.find(':');
    const std::string_view option = rest.substr(0, next);
    auto number = [&](std::size_t prefix, bool zero_allowed) {
      const std::string_view digits = option.substr(prefix);
      if (zero_allowed && digits == "0") return 0;
      const auto v = positive_integer(digits);
      if (!v) fail(fmt::format("has option '{}' without a valid number", option));
      return *v;
    };
    if (option.starts_with("stride")) layer.stride = number(6, false);
    else if (option.starts_with("pad")) layer.pad = number(3, true);
    else fail(fmt::format("has an unknown option '{}' (valid: strideS, padP)", option));
    if (next == std::string_view::npos) break;
  }
  const FeatureShape& in = layer.in;
  const int height = in.height + 2 * layer.pad - layer.kernel, width = in.width + 2 * layer.pad - layer.kernel;
  if (height < 0 || width < 0)
    fail(fmt::format("has a {0}x{0} kernel larger than its {1}x{2} input (with padding {3})", layer.kernel, in.height,
                     in.width, layer.pad));
  if (layer.pad >= layer.kernel) fail("pads by as much as its kernel or more: every output at the border would be padding");
  const std::int64_t synapses = std::int64_t(layer.kernel) * layer.kernel * in.channels;
  const std::int64_t positions = std::int64_t(height / layer.stride + 1) * (width / layer.stride + 1);
  check_size(synapses * layer.outputs, "weights", fail);
  check_size(positions * layer.outputs, "output elements", fail);
  check_size(positions * synapses, "receptive-field entries", fail);
  layer.conv_out = {layer.outputs, height / layer.stride + 1, width / layer.stride + 1};
  layer.out = layer.conv_out;
}

void read_pooling(const std::string& item, WeightLayer& layer, const ItemError& fail) {
  const bool max = item.starts_with("maxpool");
  const auto size = positive_integer(std::string_view(item).substr(max ? 7 : item.starts_with("avgpool") ? 7 : 4));
  if (!size) fail("is not a pooling: write poolN (average over N x N) or maxpoolN, e.g. pool2");
  if (*size < 2) fail("pools over 1 x 1 windows, which does nothing: remove it");
  if (layer.conv_out.height < *size || layer.conv_out.width < *size)
    fail(fmt::format("pools over {0}x{0} windows of a {1}x{2} map", *size, layer.conv_out.height, layer.conv_out.width));
  layer.pool = max ? PoolKind::max : PoolKind::average;
  layer.pool_size = *size;
  // Windows do not overlap; a remainder row or column of the map is left out.
  layer.out = {layer.outputs, layer.conv_out.height / *size, layer.conv_out.width / *size};
}

}  // namespace

std::vector<int> NetworkTopology::widths() const {
  std::vector<int> w{input.size()};
  for (const WeightLayer& l : layers) w.push_back(l.out.size());
  return w;
}

bool NetworkTopology::convolutional() const {
  for (const WeightLayer& l : layers)
    if (l.convolution) return true;
  return false;
}

std::string NetworkTopology::text() const {
  std::string text = convolutional() ? fmt::format("{}x{}x{}", input.channels, input.height, input.width)
                                     : fmt::format("{}", input.size());
  for (const WeightLayer& l : layers) {
    if (!l.convolution) {
      text += fmt::format(", {}", l.outputs);
      continue;
    }
    text += fmt::format(", conv{}x{}x{}", l.outputs, l.kernel, l.kernel);
    if (l.stride != 1) text += fmt::format(":stride{}", l.stride);
    if (l.pad != 0) text += fmt::format(":pad{}", l.pad);
    if (l.pool != PoolKind::none) text += fmt::format(", {}{}", l.pool == PoolKind::max ? "maxpool" : "pool", l.pool_size);
  }
  return text;
}

NetworkTopology parse_network_topology(const std::vector<std::string>& items, const std::string& key) {
  if (items.size() < 2) throw ParamError(fmt::format("'{}' needs at least two items (inputs and outputs)", key));
  NetworkTopology topology;
  topology.input = input_shape(items[0], ItemError{key, items[0]});
  bool has_convolution = false;
  for (std::size_t i = 1; i < items.size(); ++i) has_convolution |= items[i].starts_with("conv");
  if (has_convolution && topology.input.height == 1 && topology.input.width == 1) {
    // A width before a convolution: a square one-channel image.
    const int n = topology.input.channels, side = int(std::lround(std::sqrt(double(n))));
    if (side * side != n)
      ItemError{key, items[0]}(fmt::format("is not a square image for the convolution after it: write HxW or CxHxW"));
    topology.input = {1, side, side};
  }
  FeatureShape current = topology.input;
  bool spatial = has_convolution;  // the current map has a spatial shape (no dense layer yet)
  bool flattened = false;
  for (std::size_t i = 1; i < items.size(); ++i) {
    const std::string& item = items[i];
    const ItemError fail{key, item};
    if (item == "flatten") {
      if (topology.layers.empty() || !topology.layers.back().convolution || flattened)
        fail("can only follow a convolution or pooling");
      flattened = true;
      continue;
    }
    if (item.starts_with("pool") || item.starts_with("maxpool") || item.starts_with("avgpool")) {
      if (topology.layers.empty() || !topology.layers.back().convolution || flattened)
        fail("can only follow a convolution");
      if (topology.layers.back().pool != PoolKind::none) fail("follows a pooling: one pooling per convolution");
      read_pooling(item, topology.layers.back(), fail);
      current = topology.layers.back().out;
      continue;
    }
    WeightLayer layer;
    layer.in = current;
    if (item.starts_with("conv")) {
      if (!spatial || flattened) fail("follows a dense layer or flatten: a convolution needs an image");
      read_convolution(item, layer, fail);
    } else {
      const auto width = positive_integer(item);
      if (!width) fail("is not a layer: write a width (e.g. 128), convCxKxK, poolN, maxpoolN or flatten");
      check_size(std::int64_t(*width) * current.size(), "weights", fail);
      layer.outputs = *width;
      layer.in = {current.size(), 1, 1};
      layer.out = layer.conv_out = {*width, 1, 1};
      spatial = false;
    }
    flattened = false;
    topology.layers.push_back(layer);
    current = layer.out;
  }
  if (topology.layers.empty()) throw ParamError(fmt::format("'{}' has no weight layer", key));
  if (topology.layers.back().convolution)
    ItemError{key, items.back()}("ends the network: the last layer must be a width (one neuron per class)");
  return topology;
}

NetworkTopology dense_topology(const std::vector<int>& widths) {
  NetworkTopology topology;
  topology.input = {widths.empty() ? 1 : widths.front(), 1, 1};
  for (std::size_t l = 0; l + 1 < widths.size(); ++l) {
    WeightLayer layer;
    layer.in = {widths[l], 1, 1};
    layer.outputs = widths[l + 1];
    layer.out = layer.conv_out = {widths[l + 1], 1, 1};
    topology.layers.push_back(layer);
  }
  return topology;
}

}  // namespace spinsc
