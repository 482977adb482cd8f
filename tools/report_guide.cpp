#include "report_guide.hpp"

#include <array>
#include <cmath>
#include <numbers>
#include <random>
#include <span>
#include <utility>

namespace sigma::cli {
namespace {

constexpr int kGridLimit = 10;
constexpr int kGridPerUnit = 1000;  // x = i / 1000 is the double nearest the decimal, 0 included
constexpr double kTailInput = 6;
constexpr double kNormalLimit = 8;  // beyond it the normal density is below 1e-14
constexpr int kNormalPoints = 16000;

// ---- Output layers ----

bool Smooth(const FunctionInfo& f) { return f.properties.smooth && f.properties.monotonic; }

bool ProbabilityOutput(const FunctionInfo& f) {
  return Smooth(f) && f.range_min == 0 && f.range_max == 1;
}
bool RealOutput(const FunctionInfo& f) {
  return Smooth(f) && std::isinf(f.range_min) && std::isinf(f.range_max);
}
bool PositiveOutput(const FunctionInfo& f) {
  return Smooth(f) && f.range_min == 0 && std::isinf(f.range_max);
}
bool IntervalOutput(const FunctionInfo& f) {
  return Smooth(f) && f.properties.zero_centred && std::isfinite(f.range_min) &&
         std::isfinite(f.range_max);
}

std::vector<std::string_view> Select(bool (*fits)(const FunctionInfo&)) {
  std::vector<std::string_view> names;
  for (const FunctionInfo& f : catalog()) {
    if (fits(f)) names.push_back(f.name);
  }
  return names;
}

// ---- Least squares, for the best linear map ----

// Solves the n x n system a x = rhs (a row-major) by Gaussian elimination with partial pivoting;
// the systems here are small and well conditioned.
std::vector<double> Solve(std::vector<double> a, std::vector<double> rhs, int n) {
  for (int col = 0; col < n; ++col) {
    int pivot = col;
    for (int row = col + 1; row < n; ++row) {
      if (std::abs(a[row * n + col]) > std::abs(a[pivot * n + col])) pivot = row;
    }
    for (int k = 0; k < n; ++k) std::swap(a[col * n + k], a[pivot * n + k]);
    std::swap(rhs[col], rhs[pivot]);
    for (int row = col + 1; row < n; ++row) {
      const double factor = a[row * n + col] / a[col * n + col];
      for (int k = col; k < n; ++k) a[row * n + k] -= factor * a[col * n + k];
      rhs[row] -= factor * rhs[col];
    }
  }
  std::vector<double> x(n);
  for (int row = n - 1; row >= 0; --row) {
    double sum = rhs[row];
    for (int k = row + 1; k < n; ++k) sum -= a[row * n + k] * x[k];
    x[row] = sum / a[row * n + row];
  }
  return x;
}

// The share of the variance of `y` (samples x outputs) that the best affine map of `x`
// (samples x inputs) leaves unexplained: 1 - R^2, pooled over the outputs.
double UnexplainedShare(const std::vector<double>& x, const std::vector<double>& y, int samples,
                        int inputs, int outputs) {
  const int n = inputs + 1;  // the inputs and a constant, for the bias
  auto feature = [&](int s, int k) { return k < inputs ? x[s * inputs + k] : 1.0; };
  std::vector<double> normal(n * n, 0);
  for (int s = 0; s < samples; ++s) {
    for (int i = 0; i < n; ++i) {
      for (int j = 0; j < n; ++j) normal[i * n + j] += feature(s, i) * feature(s, j);
    }
  }
  double residual = 0, variance = 0;
  for (int out = 0; out < outputs; ++out) {
    std::vector<double> rhs(n, 0);
    double mean = 0;
    for (int s = 0; s < samples; ++s) {
      for (int i = 0; i < n; ++i) rhs[i] += feature(s, i) * y[s * outputs + out];
      mean += y[s * outputs + out] / samples;
    }
    const std::vector<double> c = Solve(normal, rhs, n);
    for (int s = 0; s < samples; ++s) {
      double fit = 0;
      for (int i = 0; i < n; ++i) fit += c[i] * feature(s, i);
      const double target = y[s * outputs + out];
      residual += (target - fit) * (target - fit);
      variance += (target - mean) * (target - mean);
    }
  }
  return residual / variance;
}

struct Layer {
  int in, out;
  std::vector<double> w, b;  // out x in, row-major; out
};

Layer RandomLayer(int in, int out, std::mt19937& random) {
  // A standard deviation of 2 / sqrt(in) puts the pre-activations at about +-2, where the
  // activations are far from linear.
  std::normal_distribution<double> normal(0, 2 / std::sqrt(in));
  Layer layer{in, out, std::vector<double>(in * out), std::vector<double>(out)};
  for (double& v : layer.w) v = normal(random);
  for (double& v : layer.b) v = normal(random);
  return layer;
}

std::vector<double> Apply(const Layer& layer, std::span<const double> x) {
  std::vector<double> y(layer.b);
  for (int i = 0; i < layer.out; ++i) {
    for (int j = 0; j < layer.in; ++j) y[i] += layer.w[i * layer.in + j] * x[j];
  }
  return y;
}

}  // namespace

GradientFacts AnalyseGradient(const Activation& act) {
  GradientFacts facts;
  facts.max_derivative = -1;  // below any |f'|, so that the first point counts
  for (int i = -kGridLimit * kGridPerUnit; i <= kGridLimit * kGridPerUnit; ++i) {
    const double x = static_cast<double>(i) / kGridPerUnit;
    const double d = std::abs(act.reference_derivative(x));
    if (d > facts.max_derivative) {
      facts.max_derivative = d;
      facts.max_from = x;
    }
    if (d == facts.max_derivative) facts.max_to = x;
  }
  facts.left_tail = act.reference_derivative(-kTailInput);
  facts.right_tail = act.reference_derivative(kTailInput);
  // The midpoint rule over the normal density.
  const double step = 2 * kNormalLimit / kNormalPoints;
  for (int i = 0; i < kNormalPoints; ++i) {
    const double x = -kNormalLimit + (i + 0.5) * step;
    if (act.reference_derivative(x) == 0) {
      facts.zero_share += std::exp(-x * x / 2) / std::sqrt(2 * std::numbers::pi) * step;
    }
  }
  return facts;
}

std::vector<OutputLayerFit> OutputLayerFits() {
  return {
      {"binary classification, multi-label", "smooth, monotonic, range (0, 1)",
       Select(ProbabilityOutput),
       "a probability with a gradient everywhere; pair it with binary cross-entropy computed "
       "from the logits"},
      {"multi-class classification",
       "not elementwise",
       {},
       "softmax over the logits (it couples the outputs, so it is no catalog entry); pair it "
       "with cross-entropy computed from the logits"},
      {"regression, any real target", "smooth, monotonic, range (-inf, inf)", Select(RealOutput),
       "identity (no activation) is the usual choice with a squared-error loss"},
      {"regression, positive target (counts, rates, variances)",
       "smooth, monotonic, range (0, inf)", Select(PositiveOutput),
       "softplus keeps the gradient of a large output near 1; exponential suits log-scale "
       "targets"},
      {"regression, bounded target", "smooth, monotonic, zero-centred, bounded",
       Select(IntervalOutput), "scale the target into the range first"},
  };
}

CollapseDemo DemonstrateCollapse() {
  CollapseDemo demo;
  demo.inputs = 4;
  demo.hidden = 16;
  demo.outputs = 3;
  demo.samples = 2000;
  std::mt19937 random(6);
  const Layer first = RandomLayer(demo.inputs, demo.hidden, random);
  const Layer second = RandomLayer(demo.hidden, demo.outputs, random);

  // W = W2 W1, b = W2 b1 + b2.
  Layer collapsed{demo.inputs, demo.outputs, std::vector<double>(demo.outputs * demo.inputs, 0),
                  Apply(second, first.b)};
  for (int i = 0; i < demo.outputs; ++i) {
    for (int j = 0; j < demo.inputs; ++j) {
      for (int k = 0; k < demo.hidden; ++k) {
        collapsed.w[i * demo.inputs + j] +=
            second.w[i * demo.hidden + k] * first.w[k * demo.inputs + j];
      }
    }
  }
  demo.w = collapsed.w;
  demo.b = collapsed.b;

  std::normal_distribution<double> normal(0, 1);
  std::vector<double> x(demo.samples * demo.inputs);
  for (double& v : x) v = normal(random);
  auto outputs_with = [&](const Activation* act) {
    std::vector<double> y;
    for (int s = 0; s < demo.samples; ++s) {
      std::vector<double> h =
          Apply(first, std::span<const double>(x).subspan(s * demo.inputs, demo.inputs));
      if (act != nullptr) act->forward(std::span<const double>(h), std::span<double>(h));
      const std::vector<double> out = Apply(second, h);
      y.insert(y.end(), out.begin(), out.end());
    }
    return y;
  };

  const std::vector<double> linear = outputs_with(nullptr);
  for (int s = 0; s < demo.samples; ++s) {
    const std::vector<double> one =
        Apply(collapsed, std::span<const double>(x).subspan(s * demo.inputs, demo.inputs));
    for (int i = 0; i < demo.outputs; ++i) {
      demo.max_difference =
          std::max(demo.max_difference, std::abs(one[i] - linear[s * demo.outputs + i]));
    }
  }
  demo.linear_unexplained = UnexplainedShare(x, linear, demo.samples, demo.inputs, demo.outputs);
  for (const char* spec : {"relu", "tanh", "gelu"}) {
    const Activation act = Activation::parse(spec);
    demo.nonlinear.push_back(
        {spec, UnexplainedShare(x, outputs_with(&act), demo.samples, demo.inputs, demo.outputs)});
  }
  return demo;
}

}  // namespace sigma::cli
