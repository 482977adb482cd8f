// The computed content of sigma report's guide: gradient facts of each activation, which
// functions fit which output layer (from the catalog's ranges and properties), and the collapse
// of stacked linear layers into one.
#pragma once

#include <sigma/sigma.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace sigma::cli {

// Where |f'| reaches its largest value: an isolated point (from == to: 0 for sigmoid, each of
// +-0.707 for gaussian), the limit as x goes to an infinity (from == to == +-inf: softplus), or a
// band where |f'| is constant at it (from < to, an infinite end for a band open to that side:
// x > 0 for relu).
struct PeakPlace {
  double from = 0, to = 0;
  bool from_included = true, to_included = true;  // whether a band's finite ends belong to it
  bool is_band() const { return from < to; }
};

struct GradientFacts {
  double max_derivative = 0;     // the largest |f'(x)| on a grid over [-10, 10]
  std::vector<PeakPlace> peaks;  // where it is reached, in increasing x
  double left_tail = 0;          // f'(-6): how much gradient a saturated unit passes back
  double right_tail = 0;         // f'(6)
  double zero_share = 0;         // the share of standard-normal inputs where f'(x) = 0 exactly
};

GradientFacts AnalyseGradient(const Activation& act);

struct OutputLayerFit {
  std::string_view task;                    // "binary classification", ...
  std::string_view rule;                    // the catalog properties that select the functions
  std::vector<std::string_view> functions;  // canonical names, in catalog order
  std::string_view advice;
};

// For each kind of output layer, the catalog functions whose range and properties fit it.
std::vector<OutputLayerFit> OutputLayerFits();

// Two dense layers, y = W2 (W1 x + b1) + b2, against their product y = W x + b with W = W2 W1
// and b = W2 b1 + b2, on random inputs; then the same two layers with an activation between
// them, against the best single linear map (least squares).
struct CollapseDemo {
  int inputs = 0, hidden = 0, outputs = 0, samples = 0;
  std::vector<double> w;          // outputs x inputs, row-major: the collapsed layer
  std::vector<double> b;          // outputs
  double max_difference = 0;      // max |two layers - collapsed layer| over the samples and outputs
  double linear_unexplained = 0;  // share of the output variance the best linear map misses
  struct WithActivation {
    std::string spec;
    double unexplained = 0;  // as linear_unexplained, with the activation between the layers
  };
  std::vector<WithActivation> nonlinear;
};

CollapseDemo DemonstrateCollapse();

}  // namespace sigma::cli
