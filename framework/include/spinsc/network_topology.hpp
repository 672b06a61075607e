#pragma once
// The topology of a network: its input shape and its weight layers (dense or convolutional, a
// convolution optionally followed by pooling), read from `[network] layers`.
//
// Syntax: a comma-separated list, input first.
//   layers = 784,128,10                                   an MLP: widths only
//   layers = 28x28, conv6x5x5:pad2, pool2, conv16x5x5, pool2, 120, 84, 10     LeNet-5
// Items:
//   N            the input width (first item), or a dense layer of N neurons
//   HxW, CxHxW   the input as an image of C channels (first item; 784 is read as 1x28x28 when a
//                convolution follows)
//   convCxKxK    C output channels, K x K kernels; options :strideS and :padP (zero padding),
//                e.g. conv16x3x3:stride2:pad1. Square kernels only.
//   poolN        average pooling over N x N windows with stride N after the convolution before it
//   maxpoolN     max pooling (float and quantized forward passes only: no SC unit computes it)
//   flatten      optional, for readability: a dense layer after a convolution reads its output
//                map flattened
//
// Feature maps are stored channels last (HWC): element (y, x, c) of a map of width W and C
// channels sits at (y * W + x) * C + c of a sample's row. MNIST's 28 x 28 row-major image is such a
// map with C = 1.
//
// Pooling belongs to the convolution before it. Average pooling is taken before the activation:
// the pooled pre-activation is the mean of the window's convolution sums, z = (1/N^2) sum_w W.x_w
// (+ b once), the subsampling of the original LeNet-5, which lets SC hardware pool in its counters:
// one neuron per pooled position whose synapses are the N^2 windows' products, reduced by the
// layer's adder (an exact counter, or a scaled MUX adder), with the LUT's gain divided by N^2.
// Max pooling takes the largest pre-activation of the window (the activation is increasing, so
// this is the max of the activated outputs too).
#include <string>
#include <vector>

namespace spinsc {

struct FeatureShape {
  int channels = 1, height = 1, width = 1;
  int size() const { return channels * height * width; }
  int positions() const { return height * width; }
  bool operator==(const FeatureShape&) const = default;
};

enum class PoolKind { none, average, max };

// One weight layer.
struct WeightLayer {
  bool convolution = false;
  FeatureShape in;   // what the layer reads (dense: channels = width, 1 x 1)
  int outputs = 0;   // neurons: the width of a dense layer, the output channels of a convolution
  int kernel = 1, stride = 1, pad = 0;     // convolution
  PoolKind pool = PoolKind::none;
  int pool_size = 1;
  FeatureShape conv_out;  // the convolution's output map before pooling
  FeatureShape out;       // what the next layer reads (after pooling)

  // Inputs of one neuron at one position, bias excluded: K*K*C_in, or the dense layer's width.
  int synapses() const { return convolution ? kernel * kernel * in.channels : in.size(); }
  // Convolution positions one neuron row covers: pool_size^2 with average pooling, else 1.
  int window() const { return pool == PoolKind::average ? pool_size * pool_size : 1; }
  // Rows a sample contributes to the layer's input matrix: the output positions (average
  // pooling: pooled positions; max pooling: every convolution position of every window).
  int rows_per_sample() const {
    if (!convolution) return 1;
    return pool == PoolKind::max ? out.positions() * pool_size * pool_size : out.positions();
  }
  // Columns of one input row, bias excluded: window() * synapses().
  int row_synapses() const { return window() * synapses(); }
};

struct NetworkTopology {
  FeatureShape input;
  std::vector<WeightLayer> layers;
  // The widths of the network: input size, then each weight layer's output size.
  std::vector<int> widths() const;
  bool convolutional() const;
  // The list in a canonical spelling ("1x28x28, conv6x5x5:pad2, pool2, 120, 10"), for the
  // results file.
  std::string text() const;
};

// Parses the items of `[network] layers`. Throws ParamError naming `key` and the item.
NetworkTopology parse_network_topology(const std::vector<std::string>& items, const std::string& key);
// An MLP of these widths (input first).
NetworkTopology dense_topology(const std::vector<int>& widths);

}  // namespace spinsc
