#include "report_guide.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <random>
#include <span>
#include <tuple>
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

// ---- Where f' peaks ----

// Grid points within this share of the maximum are near it: every peak of a smooth f' has one
// (at a spacing of 0.001, a peak of curvature c is missed by at most c / 8e6), and two peaks
// apart by less are one to three digits.
constexpr double kNearPeak = 1e-6;
// |f'| that varies by less than this share over a run of grid points is constant there; a band's
// end is sought where it leaves its level by more than a rounding error.
constexpr double kFlat = 1e-12;
constexpr double kBandLevel = 1e-15;

// The bisection and the golden-section search end within about 1e-8 of a place that has a short
// decimal: it is shown to 6 decimals, without their dust (-3e-8 for sigmoid's 0).
double Clean(double x) { return std::round(x * 1e6) / 1e6 + 0.0; }

// A band's end: the input where the band starts, bisected between `outside` and `inside` to the
// last double, and whether it belongs to the band.
std::pair<double, bool> BandEnd(const Activation& act, double level, double outside,
                                double inside) {
  const auto in_band = [&](double x) {
    return std::abs(std::abs(act.reference_derivative(x)) - level) <= kBandLevel * level;
  };
  for (int i = 0; i < 200; ++i) {
    const double middle = outside + (inside - outside) / 2;
    if (middle == outside || middle == inside) break;
    (in_band(middle) ? inside : outside) = middle;
  }
  const double end = Clean(inside);
  return {end, in_band(end)};
}

// The input in [a, b] where |f'| is largest, by golden-section search between a grid point's
// neighbours.
double RefinePeak(const Activation& act, double a, double b) {
  const auto slope = [&](double x) { return std::abs(act.reference_derivative(x)); };
  const double ratio = (std::sqrt(5.0) - 1) / 2;
  for (int i = 0; i < 100 && b - a > 1e-12; ++i) {
    const double left = b - ratio * (b - a), right = a + ratio * (b - a);
    if (slope(left) >= slope(right)) {
      b = right;
    } else {
      a = left;
    }
  }
  return Clean(a + (b - a) / 2);
}

std::vector<PeakPlace> FindPeaks(const Activation& act, const std::vector<double>& grid,
                                 const std::vector<double>& slope, double max) {
  if (max == 0) return {{-INFINITY, INFINITY, false, false}};  // f' = 0 everywhere (step, sign)
  std::vector<PeakPlace> peaks;
  const std::size_t last = grid.size() - 1;
  for (std::size_t first = 0; first <= last; ++first) {
    if (slope[first] < max * (1 - kNearPeak)) continue;
    std::size_t end = first;  // the run of near points is [first, end]
    while (end < last && slope[end + 1] >= max * (1 - kNearPeak)) ++end;
    const auto [low, high] = std::minmax_element(slope.begin() + first, slope.begin() + end + 1);
    const std::size_t top = static_cast<std::size_t>(high - slope.begin());
    if (end > first && *high - *low <= kFlat * *high) {
      PeakPlace band{-INFINITY, INFINITY, false, false};
      if (first > 0) {
        std::tie(band.from, band.from_included) = BandEnd(act, *high, grid[first - 1], grid[first]);
      }
      if (end < last) {
        std::tie(band.to, band.to_included) = BandEnd(act, *high, grid[end + 1], grid[end]);
      }
      peaks.push_back(band);
    } else if ((top == 0 && slope[1] < slope[0]) ||
               (top == last && slope[last - 1] < slope[last])) {
      // Still rising at the grid's end: the supremum is the limit there.
      const double limit = top == 0 ? -INFINITY : INFINITY;
      peaks.push_back({limit, limit});
    } else {
      const double x = RefinePeak(act, grid[top == 0 ? 0 : top - 1], grid[std::min(top + 1, last)]);
      peaks.push_back({x, x});
    }
    first = end;
  }
  return peaks;
}

}  // namespace

GradientFacts AnalyseGradient(const Activation& act) {
  GradientFacts facts;
  std::vector<double> grid, slope;
  for (int i = -kGridLimit * kGridPerUnit; i <= kGridLimit * kGridPerUnit; ++i) {
    grid.push_back(static_cast<double>(i) / kGridPerUnit);
    slope.push_back(std::abs(act.reference_derivative(grid.back())));
    facts.max_derivative = std::max(facts.max_derivative, slope.back());
  }
  facts.peaks = FindPeaks(act, grid, slope, facts.max_derivative);
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
