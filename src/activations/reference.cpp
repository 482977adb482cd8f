// Double-precision reference implementations. Each function is accurate to a few ulp of double
// over the whole real line, so that rounding it to float is within 0.5 ulp (plus a negligible
// 2^-29) of the exact value. Where the textbook formula cancels or overflows, the comment says
// which rearrangement avoids it. Limits at +-Inf are returned explicitly where the formula would
// produce inf * 0 or inf - inf.
//
// A few functions are evaluated in `Wide` (long double: a 64-bit significand on x86-64 and quad
// precision on AArch64 Linux): those whose derivative has a root where its terms cancel (silu,
// swish, gelu, mish, sinc) and those where the rounding of an exponential's argument is amplified
// (x - e^x in loglog', beta x in swish and softplus). Where long double is double, they keep the
// double-precision accuracy, which is still far below float's half ulp.
#include "activations/reference.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>

#include "activations/constants.hpp"
#include "activations/kernels/derivative_roots.hpp"
#include "activations/params.hpp"
#include "common/double_double.hpp"

namespace sigma::reference {
namespace {

using params::Named;

constexpr double kInf = std::numeric_limits<double>::infinity();
using Wide = long double;

// 1/sqrt(2) as an unevaluated sum hi + lo (hi is M_SQRT1_2).
constexpr Wide kInvSqrt2 = 0.707106781186547524400844362104849039L;
constexpr Wide kInvSqrt2Pi = 0.398942280401432677939946059934381868L;   // 1/sqrt(2 pi)
constexpr Wide kSqrt2OverPi = 0.797884560802865355879892119868763737L;  // sqrt(2/pi)

using constants::kGeluTanhCubic;
using constants::kLecunScale;
using constants::kSeluLambda;
using constants::kSeluLambdaAlpha;
using constants::kSeluLambdaAlphaLow;

// 1/(1+e^-x) without overflow; both branches have relative error of a few ulp.
double logistic(double x) {
  if (x >= 0) return 1 / (1 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1 + e);
}

// sigma(x) * sigma(-x) = e/(1+e)^2 with e = e^-|x|; no 1 - s cancellation in the tails.
double logistic_grad(double x) {
  const double e = std::exp(-std::fabs(x));
  return e / ((1 + e) * (1 + e));
}

// t - r for t = hi + lo (lo the error of a product, from fma) and a root in three parts, keeping
// its relative accuracy where t lies closer to r than an ulp: lo - r.lo's own error is kept.
double minus_root(double hi, double lo, const roots::Root& r) {
  const double low = lo - r.lo;
  const double back = low - lo;
  const double error = (lo - (low - back)) + (-r.lo - back);
  return ((hi - r.hi) + low) + (error - r.lo2);
}

Wide logistic(Wide x) {
  if (x >= 0) return 1 / (1 + std::exp(-x));
  const Wide e = std::exp(x);
  return e / (1 + e);
}

// log(1 + e^x): for x > 0 as x + log1p(e^-x), so e^x never overflows and nothing cancels.
double log1p_exp(double x) {
  if (x > 0) return x + std::log1p(std::exp(-x));
  return std::log1p(std::exp(x));
}

// sech^2(x) = 4e/(1+e)^2 with e = e^-2|x|, instead of the cancelling 1 - tanh^2.
double sech_squared(double x) {
  const double e = std::exp(-2 * std::fabs(x));
  return 4 * e / ((1 + e) * (1 + e));
}

// Taylor coefficients c_k of tanh x = sum c_k x^(2k+1), from tanh' = 1 - tanh^2:
// (2k+1) c_k = -sum_{i+j=k-1} c_i c_j. The products in each sum share one sign, so the recurrence
// loses nothing to cancellation.
constexpr int kTanhTerms = 48;
std::array<double, kTanhTerms> tanh_series() {
  std::array<double, kTanhTerms> c{};
  c[0] = 1;
  for (int k = 1; k < kTanhTerms; ++k) {
    double sum = 0;
    for (int i = 0; i <= k - 1; ++i) sum += c[i] * c[k - 1 - i];
    c[k] = -sum / (2 * k + 1);
  }
  return c;
}

// x - tanh x for |x| < 1 as -sum_{k>=1} c_k x^(2k+1): the direct difference loses up to all
// bits near 0 (x - tanh x ~ x^3/3). The coefficients shrink like (2/pi)^(2k), so 48 terms reach
// double precision at |x| = 1.
double tanhshrink_series(double x) {
  static const std::array<double, kTanhTerms> c = tanh_series();
  const double z = x * x;
  double sum = 0;
  for (int k = kTanhTerms - 1; k >= 1; --k) sum = sum * z - c[k];
  return sum * z * x;
}

// sinc'(x) = sum_{k>=1} (-1)^k 2k x^(2k-1) / (2k+1)! for |x| < 1, where x cos x - sin x cancels.
double sinc_grad_series(double x) {
  constexpr int kTerms = 14;
  std::array<double, kTerms + 1> coefficient{};
  double factorial = 1;  // (2k+1)!
  for (int k = 1; k <= kTerms; ++k) {
    factorial *= (2 * k) * (2 * k + 1);
    coefficient[k] = (k % 2 ? -2.0 : 2.0) * k / factorial;
  }
  const double z = x * x;
  double sum = 0;
  for (int k = kTerms; k >= 1; --k) sum = sum * z + coefficient[k];
  return sum * x;
}

}  // namespace

// --- Linear, step and sign ---

double identity(double x, const Params&) { return x; }
double identity_grad(double, const Params&) { return 1; }
double identity_grad_from_output(double, const Params&) { return 1; }

double step(double x, const Params&) { return x > 0 ? 1 : 0; }
double step_grad(double, const Params&) { return 0; }
double step_grad_from_output(double, const Params&) { return 0; }

// Zeros keep their sign.
double sign(double x, const Params&) { return x > 0 ? 1 : x < 0 ? -1 : x; }
double sign_grad(double, const Params&) { return 0; }
double sign_grad_from_output(double, const Params&) { return 0; }

// --- Sigmoids ---

double sigmoid(double x, const Params&) { return logistic(x); }
double sigmoid_grad(double x, const Params&) { return logistic_grad(x); }
double sigmoid_grad_from_output(double y, const Params&) { return y * (1 - y); }

double tanh(double x, const Params&) { return std::tanh(x); }
double tanh_grad(double x, const Params&) { return sech_squared(x); }
// (1-y)(1+y) rather than 1 - y^2: 1 - y is exact for y in [1/2, 1].
double tanh_grad_from_output(double y, const Params&) { return (1 - y) * (1 + y); }

// tanh(x/2) = 2 sigma(x) - 1; x/2 is exact (and correctly rounded for subnormals).
double symmetrical_sigmoid(double x, const Params&) { return std::tanh(x / 2); }
double symmetrical_sigmoid_grad(double x, const Params&) { return sech_squared(x / 2) / 2; }
double symmetrical_sigmoid_grad_from_output(double y, const Params&) {
  return (1 - y) * (1 + y) / 2;
}

double lecun_tanh(double x, const Params&) {
  return static_cast<double>(kLecunScale * std::tanh(2 * static_cast<Wide>(x) / 3));
}
// sech^2(2x/3) = 4e/(1+e)^2 with e = e^(-4|x|/3), whose argument is rounded in Wide: in double
// its rounding error is amplified 4|x|/3 times.
double lecun_tanh_grad(double x, const Params&) {
  const Wide e = std::exp(-4 * std::fabs(static_cast<Wide>(x)) / 3);
  return static_cast<double>(kLecunScale * 2 / 3 * (4 * e / ((1 + e) * (1 + e))));
}
double lecun_tanh_grad_from_output(double y, const Params&) {
  const Wide w = y;
  return static_cast<double>(2 / (3 * kLecunScale) * (kLecunScale - w) * (kLecunScale + w));
}

double logsigmoid(double x, const Params&) { return -log1p_exp(-x); }
double logsigmoid_grad(double x, const Params&) { return logistic(-x); }
double logsigmoid_grad_from_output(double y, const Params&) { return -std::expm1(y); }

// The line through (-c, 0) and (w - c, 1) with c = offset/slope and w = 1/slope rounded to
// doubles: (x + 3)/6 exactly for the defaults, as PyTorch, where slope x + offset would expose the
// rounding of slope = 1/6. x + c is summed in Wide, exact near the kink -c where it cancels.
struct HardsigmoidLine {
  double c, w;
  explicit HardsigmoidLine(const Params& values)
      : HardsigmoidLine(Named<params::kHardsigmoidLine>(values)) {}
  explicit HardsigmoidLine(const Named<params::kHardsigmoidLine>& p)
      : c(p["offset"] / p["slope"]), w(1 / p["slope"]) {}
  Wide shifted(double x) const { return static_cast<Wide>(x) + c; }
};
double hardsigmoid(double x, const Params& p) {
  const HardsigmoidLine line(p);
  if (x <= -line.c) return 0;
  const Wide t = line.shifted(x);
  if (t >= line.w) return 1;
  return static_cast<double>(t / line.w);
}
double hardsigmoid_grad(double x, const Params& p) {
  const HardsigmoidLine line(p);
  return x > -line.c && line.shifted(x) < line.w ? 1 / line.w : 0;
}
double hardsigmoid_grad_from_output(double y, const Params& p) {
  return y > 0 && y < 1 ? 1 / HardsigmoidLine(p).w : 0;
}

double softsign(double x, const Params&) {
  if (std::isinf(x)) return x > 0 ? 1 : -1;
  return x / (1 + std::fabs(x));
}
// r*r rather than 1/(1+|x|)^2, which overflows to 0 while the square is still representable.
double softsign_grad(double x, const Params&) {
  const double r = 1 / (1 + std::fabs(x));
  return r * r;
}
double softsign_grad_from_output(double y, const Params&) {
  const double r = 1 - std::fabs(y);
  return r * r;
}

double arctan(double x, const Params&) { return std::atan(x); }
// For |x| > 1 in terms of 1/x, so x^2 cannot overflow.
double arctan_grad(double x, const Params&) {
  if (std::fabs(x) <= 1) return 1 / (1 + x * x);
  const double r = 1 / x;
  return r * r / (1 + r * r);
}
double arctan_grad_from_output(double y, const Params&) {
  const double c = std::cos(y);
  return c * c;
}

// x / sqrt(1 + alpha x^2) in Wide, where alpha x^2 cannot overflow for double inputs.
double isru(double x, const Params& values) {
  const Named<params::kIsruAlpha> p(values);
  const Wide alpha = p["alpha"];
  if (std::isinf(x))
    return alpha == 0 ? x : static_cast<double>(std::copysign(1 / std::sqrt(alpha), x));
  const Wide w = x;
  return static_cast<double>(w / std::sqrt(1 + alpha * w * w));
}
double isru_grad(double x, const Params& values) {
  const Named<params::kIsruAlpha> p(values);
  const Wide w = x;
  const Wide s = 1 + p["alpha"] * w * w;
  return static_cast<double>(1 / (s * std::sqrt(s)));
}
double isru_grad_from_output(double y, const Params& values) {
  const Named<params::kIsruAlpha> p(values);
  const double t = std::fmax(1 - p["alpha"] * y * y, 0.0);
  return t * std::sqrt(t);
}

// isru for x < 0 and the identity for x >= 0 (so isrlu(-0) = -0). At -inf: -1/sqrt(alpha), and
// f' = 0 (1 + alpha x^2 would be inf * 0 for alpha = 0, the identity, whose f' is 1).
double isrlu(double x, const Params& values) { return x >= 0 ? x : isru(x, values); }
double isrlu_grad(double x, const Params& values) {
  const Named<params::kIsrluAlpha> p(values);
  if (x >= 0) return 1;
  if (std::isinf(x)) return p["alpha"] == 0 ? 1 : 0;
  return isru_grad(x, values);
}
double isrlu_grad_from_output(double y, const Params& values) {
  return y >= 0 ? 1 : isru_grad_from_output(y, values);
}

// x - x|x|/4 on [-2, 2] by one fma (x/4 is exact but for subnormal x, where the square is far
// below half an ulp of x): rounded once. -0 keeps its sign, which the fma's sum would lose.
double sqnl(double x, const Params&) {
  if (x > 2) return 1;
  if (x < -2) return -1;
  if (x == 0) return x;
  return std::fma(-0.25 * x, std::fabs(x), x);
}
// 1 - |x|/2, 0 at +-2 from both sides: continuous, no convention needed.
double sqnl_grad(double x, const Params&) {
  const double a = std::fabs(x);
  return a > 2 ? 0 : std::fma(-0.5, a, 1.0);
}

double loglog(double x, const Params&) { return -std::expm1(-std::exp(x)); }
// e^(x - e^x) with the exponent formed in Wide: in double the rounding of e^x (~700 at the
// underflow threshold) costs hundreds of ulp.
double loglog_grad(double x, const Params&) {
  const Wide e = std::exp(static_cast<Wide>(x));
  if (std::isinf(e)) return 0;
  return static_cast<double>(std::exp(x - e));
}
double loglog_grad_from_output(double y, const Params&) {
  return y >= 1 ? 0 : -(1 - y) * std::log1p(-y);
}

// --- Rectifiers ---

double relu(double x, const Params&) { return x > 0 ? x : 0; }
double relu_grad(double x, const Params&) { return x > 0 ? 1 : 0; }
double relu_grad_from_output(double y, const Params&) { return y > 0 ? 1 : 0; }

// Shared by leaky_relu, prelu and (with the mean slope) rrelu.
double leaky_relu(double x, const Params& values) {
  const Named<params::kLeakyAlpha> p(values);
  return x > 0 ? x : p["alpha"] * x;
}
double leaky_relu_grad(double x, const Params& values) {
  const Named<params::kLeakyAlpha> p(values);
  return x > 0 ? 1 : p["alpha"];
}
double leaky_relu_grad_from_output(double y, const Params& values) {
  const Named<params::kLeakyAlpha> p(values);
  return y > 0 ? 1 : p["alpha"];
}

double rrelu_slope(const Params& values) {
  const Named<params::kRreluBounds> p(values);
  return (p["lower"] + p["upper"]) / 2;
}
double rrelu(double x, const Params& p) { return x > 0 ? x : rrelu_slope(p) * x; }
double rrelu_grad(double x, const Params& p) { return x > 0 ? 1 : rrelu_slope(p); }
double rrelu_grad_from_output(double y, const Params& p) { return y > 0 ? 1 : rrelu_slope(p); }

// relu(x)^2: x * x is rounded once (and exact for float inputs). f' = 2 relu(x) is continuous.
double squared_relu(double x, const Params&) { return x > 0 ? x * x : 0; }
double squared_relu_grad(double x, const Params&) { return x > 0 ? 2 * x : 0; }
double squared_relu_grad_from_output(double y, const Params&) {
  return y > 0 ? 2 * std::sqrt(y) : 0;
}

// Keras 3's sparse_plus: 0, (x + 1)^2 / 4, x. Its derivative is sparse_sigmoid, continuous at the
// joins -1 and 1 (0 and 1 there).
double sparse_plus(double x, const Params&) {
  if (x <= -1) return 0;
  if (x >= 1) return x;
  const double t = x + 1;  // exact for x <= -1/2, where the square is small
  return t * t / 4;
}
double sparse_plus_grad(double x, const Params&) {
  if (x <= -1) return 0;
  if (x >= 1) return 1;
  return std::fma(x, 0.5, 0.5);  // (x + 1)/2 rounded once
}
double sparse_plus_grad_from_output(double y, const Params&) {
  return y >= 1 ? 1 : y > 0 ? std::sqrt(y) : 0;
}

// Keras 3's sparse_sigmoid: (x + 1)/2 clamped to [0, 1], rounded once by fma. f' = 0 at the kinks
// +-1, where Keras' where(x <= -1, 0, where(x >= 1, 1, ...)) takes the constant branches.
double sparse_sigmoid(double x, const Params&) {
  if (x <= -1) return 0;
  if (x >= 1) return 1;
  return std::fma(x, 0.5, 0.5);
}
double sparse_sigmoid_grad(double x, const Params&) { return x > -1 && x < 1 ? 0.5 : 0; }
double sparse_sigmoid_grad_from_output(double y, const Params&) { return y > 0 && y < 1 ? 0.5 : 0; }

double relu6(double x, const Params&) { return x > 0 ? (x < 6 ? x : 6) : 0; }
double relu6_grad(double x, const Params&) { return x > 0 && x < 6 ? 1 : 0; }
double relu6_grad_from_output(double y, const Params&) { return y > 0 && y < 6 ? 1 : 0; }

double hardtanh(double x, const Params& values) {
  const Named<params::kHardtanhBounds> p(values);
  return x < p["min_val"] ? p["min_val"] : x > p["max_val"] ? p["max_val"] : x;
}
double hardtanh_grad(double x, const Params& values) {
  const Named<params::kHardtanhBounds> p(values);
  return x > p["min_val"] && x < p["max_val"] ? 1 : 0;
}
double hardtanh_grad_from_output(double y, const Params& values) {
  const Named<params::kHardtanhBounds> p(values);
  return y > p["min_val"] && y < p["max_val"] ? 1 : 0;
}

double threshold(double x, const Params& values) {
  const Named<params::kThresholdParams> p(values);
  return x > p["threshold"] ? x : p["value"];
}
double threshold_grad(double x, const Params& values) {
  const Named<params::kThresholdParams> p(values);
  return x > p["threshold"] ? 1 : 0;
}

// a(x - t) + t with one rounding after the subtraction; a = 0 gives t even at infinite x.
double srelu_piece(double x, double t, double a) { return a == 0 ? t : std::fma(a, x - t, t); }
double srelu(double x, const Params& values) {
  const Named<params::kSreluParams> p(values);
  if (x <= p["tl"]) return srelu_piece(x, p["tl"], p["al"]);
  if (x >= p["tr"]) return srelu_piece(x, p["tr"], p["ar"]);
  return x;
}
double srelu_grad(double x, const Params& values) {
  const Named<params::kSreluParams> p(values);
  return x <= p["tl"] ? p["al"] : x >= p["tr"] ? p["ar"] : 1;
}
double srelu_grad_from_output(double y, const Params& values) {
  const Named<params::kSreluParams> p(values);
  return y <= p["tl"] ? p["al"] : y >= p["tr"] ? p["ar"] : 1;
}

// --- Exponential linear units ---

double elu(double x, const Params& values) {
  const Named<params::kEluAlpha> p(values);
  return x > 0 ? x : p["alpha"] * std::expm1(x);
}
double elu_grad(double x, const Params& values) {
  const Named<params::kEluAlpha> p(values);
  return x > 0 ? 1 : p["alpha"] * std::exp(x);
}
double elu_grad_from_output(double y, const Params& values) {
  const Named<params::kEluAlpha> p(values);
  return y > 0 ? 1 : y + p["alpha"];
}

double selu(double x, const Params&) {
  return x > 0 ? kSeluLambda * x : kSeluLambdaAlpha * std::expm1(x);
}
double selu_grad(double x, const Params&) {
  return x > 0 ? kSeluLambda : kSeluLambdaAlpha * std::exp(x);
}
// y + lambda alpha with lambda alpha to 106 bits, so that the sum keeps its relative accuracy
// near y = -lambda alpha, where y + the rounded product would cancel to its rounding error.
double selu_grad_from_output(double y, const Params&) {
  return y > 0 ? kSeluLambda : (y + kSeluLambdaAlpha) + kSeluLambdaAlphaLow;
}

// x/alpha in Wide: e^(x/alpha) amplifies the rounding of its argument |x/alpha| times.
double celu(double x, const Params& values) {
  const Named<params::kCeluAlpha> p(values);
  return x > 0 ? x
               : static_cast<double>(p["alpha"] * std::expm1(static_cast<Wide>(x) / p["alpha"]));
}
double celu_grad(double x, const Params& values) {
  const Named<params::kCeluAlpha> p(values);
  return x > 0 ? 1 : static_cast<double>(std::exp(static_cast<Wide>(x) / p["alpha"]));
}
// (y + alpha)/alpha: exact near y = -alpha (Sterbenz), where y/alpha + 1 cancels.
double celu_grad_from_output(double y, const Params& values) {
  const Named<params::kCeluAlpha> p(values);
  return y > 0 ? 1 : (y + p["alpha"]) / p["alpha"];
}

double exponential(double x, const Params&) { return std::exp(x); }
double exponential_grad(double x, const Params&) { return std::exp(x); }
double exponential_grad_from_output(double y, const Params&) { return y; }

// --- Smooth rectifiers and self-gated functions ---

// beta x in Wide (its rounding is amplified by e^(beta x) in the negative tail); for beta x > 0
// as x + log1p(e^-(beta x))/beta, which cannot overflow.
double softplus(double x, const Params& values) {
  const Named<params::kSoftplusBeta> p(values);
  const Wide bx = static_cast<Wide>(p["beta"]) * x;
  if (bx > 0) return static_cast<double>(x + std::log1p(std::exp(-bx)) / p["beta"]);
  return static_cast<double>(std::log1p(std::exp(bx)) / p["beta"]);
}
double softplus_grad(double x, const Params& values) {
  const Named<params::kSoftplusBeta> p(values);
  return static_cast<double>(logistic(static_cast<Wide>(p["beta"]) * x));
}
double softplus_grad_from_output(double y, const Params& values) {
  const Named<params::kSoftplusBeta> p(values);
  return -std::expm1(-p["beta"] * y);
}

// x sigma(beta x). At infinite x the gate's limit is 1, 0 or (beta = 0) 1/2. In Wide: beta x
// would be rounded in double, and f' = s (1 + beta x (1 - s)) cancels near its root at -1.28/beta.
double swish(double x, const Params& values) {
  const Named<params::kSwishBeta> p(values);
  const double beta = p["beta"];
  if (std::isinf(x)) return beta == 0 ? x : beta * x > 0 ? x : std::copysign(0.0, x);
  return static_cast<double>(x * logistic(static_cast<Wide>(beta) * x));
}
// Near the root r of 1 + r + e^r = 0 (t = beta x within 1 of it) even Wide cancels (to 1.6e14 ulp
// at beta = 1.5): there f' = sigma(t) sigma(-t) (d + e^r expm1(d)), d = t - r, whose terms share
// d's sign, as in the kernel.
double swish_grad(double x, const Params& values) {
  const Named<params::kSwishBeta> p(values);
  const Wide bx = static_cast<Wide>(p["beta"]) * x;
  if (std::isinf(x)) return p["beta"] == 0 ? 0.5 : bx > 0 ? 1 : 0;
  const double t = p["beta"] * x;
  if (std::fabs(t - roots::kSiluGrad.hi) < 1) {
    const double d = minus_root(t, std::fma(p["beta"], x, -t), roots::kSiluGrad);
    const Wide exp_root = -(1 + static_cast<Wide>(roots::kSiluGrad.hi)) - roots::kSiluGrad.lo;
    return static_cast<double>(logistic(bx) * logistic(-bx) * (d + exp_root * std::expm1(d)));
  }
  return static_cast<double>(logistic(bx) * (1 + bx * logistic(-bx)));
}

// swish at its default beta = 1.
constexpr Params kSiluBeta = params::Defaults<params::kSwishBeta>();
static_assert(Named<params::kSwishBeta>(kSiluBeta)["beta"] == 1);
double silu(double x, const Params&) { return swish(x, kSiluBeta); }
double silu_grad(double x, const Params&) { return swish_grad(x, kSiluBeta); }

// approximate selects the form: 0 (none) is the exact x Phi(x), 1 (tanh) the tanh approximation. In
// Wide: erfc's condition number is about x^2 in the tail, and f' = Phi(x) + x phi(x) cancels near
// -0.75.
double gelu(double x, const Params& values) {
  const Named<params::kGeluApproximate> p(values);
  if (std::isinf(x)) return x > 0 ? x : -0.0;
  const Wide w = x;
  if (p["approximate"] == 0) return static_cast<double>(w * (std::erfc(-w * kInvSqrt2) / 2));
  // x (1 + tanh u)/2 = x sigma(2u): no cancellation of 1 + tanh u in the negative tail.
  const Wide u = kSqrt2OverPi * w * (1 + kGeluTanhCubic * w * w);
  return static_cast<double>(w * logistic(2 * u));
}
// Near the roots of f' even Wide cancels (to 3.6e12 ulp), so there, as in the kernel: the erf
// form is phi(x) d P(d) (Phi/phi + x from its Taylor series), the tanh form
// s (1 - s) (E expm1(a d (1 + b S)) + a d (1 + 3b S)), d = x - r, S = x^2 + x r + r^2.
double gelu_grad(double x, const Params& values) {
  const Named<params::kGeluApproximate> p(values);
  if (std::isinf(x)) return x > 0 ? 1 : 0;
  // Below its root f' is negative however small, so a value that underflowed (from x = -150.7 for
  // the erf form in long double) is -0, the sign the kernels give.
  const auto negative_below_root = [x](double r) { return r == 0 && x < 0 ? -0.0 : r; };
  const Wide w = x;
  if (p["approximate"] == 0) {
    const roots::GeluRootSeries& series = roots::kGeluGradSeries;
    if (std::fabs(x - roots::kGeluGrad.hi) < series.radius) {
      const double d = minus_root(x, 0, roots::kGeluGrad);
      Wide sum = series.c[series.kTerms - 1];
      for (int n = series.kTerms - 2; n >= 0; --n) sum = sum * d + series.c[n];
      return static_cast<double>(kInvSqrt2Pi * std::exp(-w * w / 2) * d * sum);
    }
    return negative_below_root(static_cast<double>(std::erfc(-w * kInvSqrt2) / 2 +
                                                   w * kInvSqrt2Pi * std::exp(-w * w / 2)));
  }
  if (x >= -2 && x < roots::kGeluTanhGrad.hi + 0.5) {
    const double d = minus_root(x, 0, roots::kGeluTanhGrad);
    const Wide sum =
        (w + roots::kGeluTanhGrad.hi) * w + roots::kGeluTanhGrad.hi * roots::kGeluTanhGrad.hi;
    const Wide ad = 2 * kSqrt2OverPi * d;
    const Wide h = roots::kGeluTanhGradExpV * std::expm1(ad * (1 + kGeluTanhCubic * sum)) +
                   ad * (1 + 3 * kGeluTanhCubic * sum);
    const Wide v = 2 * kSqrt2OverPi * w * (1 + kGeluTanhCubic * w * w);
    return static_cast<double>(logistic(v) * logistic(-v) * h);
  }
  const Wide u = kSqrt2OverPi * w * (1 + kGeluTanhCubic * w * w);
  const Wide s = logistic(2 * u);
  const Wide gate_slope = s * logistic(-2 * u);                             // d sigma(2u)/d(2u)
  if (gate_slope == 0) return negative_below_root(static_cast<double>(s));  // no 0 * inf
  const Wide du = kSqrt2OverPi * (1 + 3 * kGeluTanhCubic * w * w);
  return negative_below_root(static_cast<double>(s + 2 * w * gate_slope * du));
}

// tanh(softplus x) = n/(n+2) with n = e^x (e^x + 2), and 1 - tanh(softplus x) = 2/(n+2): both
// free of cancellation, so mish is accurate in the negative tail where x tanh(softplus x) ~ x e^x.
// In Wide because f' cancels near its root at -1.19.
double mish(double x, const Params&) {
  if (std::isinf(x)) return x > 0 ? x : -0.0;
  const Wide e = std::exp(static_cast<Wide>(x));
  const Wide n = e * (e + 2);
  const Wide t = x > 30 ? 1 - 2 / (n + 2) : n / (n + 2);  // n/(n+2) is inf/inf for huge x
  return static_cast<double>(x * t);
}
// Near its root r (r - 1.8 < x < r + 0.75) even Wide cancels (to 9e12 ulp), so there, as in the
// kernel, f' = e N / (n + 2)^2 with N = d (4 + 4E) + m E (6 + 4x + 4E (2 + m) + E^2 (3 + 3m +
// m^2)), d = x - r, m = expm1(d), e = E (1 + m), E = e^r: two terms with the sign of d.
double mish_grad(double x, const Params&) {
  if (std::isinf(x)) return x > 0 ? 1 : 0;
  const Wide w = x;
  const double d_high = x - roots::kMishGrad.hi;
  if (d_high > -1.8 && d_high < 0.75) {
    const double d = minus_root(x, 0, roots::kMishGrad);
    const Wide m = std::expm1(static_cast<Wide>(d));
    const Wide exp_root = std::exp(static_cast<Wide>(roots::kMishGrad.hi) + roots::kMishGrad.lo);
    const Wide e = exp_root * (1 + m);
    const Wide c = 6 + 4 * w + 4 * exp_root * (2 + m) + exp_root * exp_root * (3 + 3 * m + m * m);
    const Wide numerator = d * (4 + 4 * exp_root) + m * exp_root * c;
    const Wide n_plus_2 = e * (e + 2) + 2;
    return static_cast<double>(e * numerator / (n_plus_2 * n_plus_2));
  }
  const Wide e = std::exp(w);
  const Wide n = e * (e + 2);
  const Wide one_minus_t = 2 / (n + 2);
  const Wide t = x > 30 ? 1 - one_minus_t : n / (n + 2);
  // Below the root f' is negative however small: a value that underflowed (from x = -11355 in
  // long double) is -0.
  const double r = static_cast<double>(t + w * one_minus_t * (1 + t) * logistic(w));
  return r == 0 && x < 0 ? -0.0 : r;
}

double hardswish(double x, const Params&) {
  if (x <= -3) return 0;
  if (x >= 3) return x;
  return x * (x + 3) / 6;
}
// PyTorch's convention: the inner formula on the closed interval [-3, 3], so f'(-3) = -1/2 and
// f'(3) = 3/2. (2x + 3)/6 rather than x/3 + 1/2, which cancels near x = -3/2.
double hardswish_grad(double x, const Params&) {
  if (x < -3) return 0;
  if (x <= 3) return (2 * x + 3) / 6;
  return 1;
}

// (x + sqrt(x^2 + b))/2; for x < 0 as b / (2 (h - x)), since x + h cancels. Halving before
// adding keeps h - x and x + h finite at the ends of the double range.
double squareplus(double x, const Params& values) {
  const Named<params::kSquareplusB> p(values);
  const double b = p["b"];
  const double h = std::hypot(x, std::sqrt(b));
  if (x >= 0) return x / 2 + h / 2;
  return (b / 4) / (h / 2 - x / 2);
}
double squareplus_grad(double x, const Params& values) {
  const Named<params::kSquareplusB> p(values);
  const double b = p["b"];
  if (std::isinf(x)) return x > 0 ? 1 : 0;
  const double h = std::hypot(x, std::sqrt(b));
  if (x >= 0) return 0.5 + x / h / 2;
  return (b / 4 / h) / (h / 2 - x / 2);  // (h + x)/(2h) with h + x = b/(h - x)
}
// f' = y^2 / (y^2 + b/4), written to avoid inf/inf for large y.
double squareplus_grad_from_output(double y, const Params& values) {
  const Named<params::kSquareplusB> p(values);
  const double quarter_b = p["b"] / 4;
  const double y2 = y * y;
  if (y2 < quarter_b) return y2 / (y2 + quarter_b);
  return 1 / (1 + quarter_b / y2);
}

// x + (sqrt(x^2+1) - 1)/2 = x + x^2 / (2 (h + 1)): no cancellation in h - 1 near 0, and
// x (x/(h+1)) cannot overflow.
double bent_identity(double x, const Params&) {
  if (std::isinf(x) || x == 0) return x;  // f(-0) = -0, as f(x) ~ x near 0
  const double h = std::hypot(x, 1.0);
  return x + x * (x / (h + 1)) / 2;
}
double bent_identity_grad(double x, const Params&) {
  if (std::isinf(x)) return x > 0 ? 1.5 : 0.5;
  return 1 + x / std::hypot(x, 1.0) / 2;
}

// --- Shrinkage ---

double tanhshrink(double x, const Params&) {
  if (std::fabs(x) < 1) return tanhshrink_series(x);
  return x - std::tanh(x);
}
double tanhshrink_grad(double x, const Params&) {
  const double t = std::tanh(x);
  return t * t;
}

double softshrink(double x, const Params& values) {
  const Named<params::kShrinkLambda> p(values);
  const double lambda = p["lambd"];
  return x > lambda ? x - lambda : x < -lambda ? x + lambda : std::copysign(0.0, x);
}
double softshrink_grad(double x, const Params& values) {
  const Named<params::kShrinkLambda> p(values);
  return std::fabs(x) > p["lambd"] ? 1 : 0;
}
double softshrink_grad_from_output(double y, const Params&) { return y != 0 ? 1 : 0; }

double hardshrink(double x, const Params& values) {
  const Named<params::kShrinkLambda> p(values);
  return std::fabs(x) > p["lambd"] ? x : std::copysign(0.0, x);
}
double hardshrink_grad(double x, const Params& values) {
  const Named<params::kShrinkLambda> p(values);
  return std::fabs(x) > p["lambd"] ? 1 : 0;
}
double hardshrink_grad_from_output(double y, const Params&) { return y != 0 ? 1 : 0; }

// --- Radial, periodic and other gallery functions ---

// In Wide: x^2 rounded in double costs x^2 2^-53 relative error, and f' = -2x e^(-x^2) is
// normal where e^(-x^2) is already subnormal in double.
double gaussian(double x, const Params&) {
  const Wide w = x;
  return static_cast<double>(std::exp(-w * w));
}
double gaussian_grad(double x, const Params&) {
  const Wide w = x;
  const Wide g = std::exp(-w * w);
  return g == 0 ? std::copysign(0.0, -x) : static_cast<double>(-2 * w * g);
}

double absolute(double x, const Params&) { return std::fabs(x); }
double absolute_grad(double x, const Params&) { return x > 0 ? 1 : x < 0 ? -1 : 0; }

double sinusoid(double x, const Params&) { return std::sin(x); }
double sinusoid_grad(double x, const Params&) { return std::cos(x); }

double cos(double x, const Params&) { return std::cos(x); }
double cos_grad(double x, const Params&) { return -std::sin(x); }

double sinc(double x, const Params&) {
  if (x == 0) return 1;
  if (std::isinf(x)) return 0;
  return std::sin(x) / x;
}
namespace {

// sinc'(a) for 1.5 <= a < 1e6 from the distance to the nearest root of tan x = x, where
// a cos a - sin a cancels (even in Wide, to 1.4e12 ulp), as the kernel: below 1024 from the tabled
// root x_k, -c_k (x_k a sin d + (sin d - d cos d)) / a^2 with c_k = (-1)^k / sqrt(1 + x_k^2);
// beyond, -(-1)^k sqrt(1 + a^2) sin(w) / a^2, w = a + atan(1/a) - (k + 1/2) pi in parts.
double sinc_grad_near_roots(double a) {
  constexpr double kPi = 3.14159265358979323846;
  if (a < 1024) {
    const int k = std::clamp(static_cast<int>(a / kPi), 1, roots::kSincGradRootCount);
    const roots::Root& root = roots::kSincGradRoots[k - 1];
    const Wide d = minus_root(a, 0, root);
    const Wide bracket = root.hi * (a * std::sin(d)) + (std::sin(d) - d * std::cos(d));
    const Wide cos_root = (k % 2 ? 1 : -1) / std::sqrt(1 + static_cast<Wide>(root.hi) * root.hi);
    return static_cast<double>(cos_root * bracket / (static_cast<Wide>(a) * a));
  }
  const double u = 1 / a;
  const double u_low = std::fma(-a, u, 1) * u;
  const double k = std::nearbyint((a + u) / kPi - 0.5);
  const double n = 2 * k + 1;  // y = a - n pi/2, pi/2 in fdlibm's pieces (exact products)
  const double y1 = std::fma(-n, 0x1.921fb544p+0, a);
  const double p2 = n * 0x1.0b4611a6p-34;
  const double y2 = y1 - p2;
  const double back = y2 - y1;
  const double y_low = ((y1 - (y2 - back)) - (p2 + back)) - n * 0x1.3198a2e037073p-69;
  const double square = u * u;
  const double cube = square * u;
  const double cube_low =
      3 * square * u_low + (std::fma(u, u, -square) * u + std::fma(square, u, -cube));
  const double third = cube / 3;
  const double third_low = (std::fma(-3, third, cube) + cube_low) / 3;
  const double fifth =
      cube * square * (1.0 / 5 + square * (-1.0 / 7 + square * (1.0 / 9 - square / 11)));
  const double w = ((y2 + u) - third) + (((y_low + u_low) - third_low) + fifth);
  const Wide magnitude =
      std::sqrt(1 + static_cast<Wide>(u) * u) * u * std::sin(static_cast<Wide>(w));
  return static_cast<double>(std::fmod(k, 2) != 0 ? magnitude : -magnitude);
}

}  // namespace

// (cos x - sin(x)/x)/x rather than (x cos x - sin x)/x^2, whose x^2 overflows; near the roots of
// f' from the distance to them (sinc_grad_near_roots).
double sinc_grad(double x, const Params&) {
  if (std::isinf(x)) return 0;
  const double a = std::fabs(x);
  if (a < 1) return sinc_grad_series(x);
  if (a >= 1.5 && a < 1e6) return std::copysign(1.0, x) * sinc_grad_near_roots(a);
  const Wide w = x;  // the difference cancels near the roots of tan x = x
  return static_cast<double>((std::cos(w) - std::sin(w) / w) / w);
}

namespace {

// sin and cos of k alpha x (k = 1 or 2), in Wide: alpha x is split exactly into hi + lo (fma), k hi
// cannot overflow in Wide, sin and cos of k hi are accurate relative to their own size (libm
// reduces the argument exactly), and the rotation by k lo is applied with its own sin and cos (lo
// is not small once |alpha x| > 2^53).
struct SinCos {
  Wide sin, cos;
};
SinCos sin_cos_of_scaled(double alpha, double x, int k) {
  const double hi = alpha * x;
  if (!std::isfinite(hi)) {  // alpha x overflows double: the product in Wide, rounded
    const Wide v = k * (static_cast<Wide>(alpha) * x);
    return {std::sin(v), std::cos(v)};
  }
  const Wide v = static_cast<Wide>(k) * hi, v_low = static_cast<Wide>(k) * std::fma(alpha, x, -hi);
  const Wide s = std::sin(v), c = std::cos(v);
  if (v_low == 0) return {s, c};  // alpha = 1 and many others: alpha x is exact
  const Wide s_low = std::sin(v_low), c_low = std::cos(v_low);
  return {s * c_low + c * s_low, c * c_low - s * s_low};
}

}  // namespace

// x + sin^2(alpha x)/alpha. For x < 0 the two terms cancel by at most a factor of 3.6 (where
// sin^2(u)/u peaks at 0.72), which Wide's extra bits absorb. At +-inf the bounded term does not
// matter: the limit is +-inf.
double snake(double x, const Params& values) {
  const Named<params::kSnakeAlpha> p(values);
  if (std::isinf(x)) return x;
  const Wide s = sin_cos_of_scaled(p["alpha"], x, 1).sin;
  return static_cast<double>(x + s * s / p["alpha"]);
}
// 1 + sin(2 alpha x), which cancels at its roots (sin = -1); there it is written
// cos^2 / (1 - sin), with cos accurate near its zeros. It has no limit at +-inf: NaN there.
double snake_grad(double x, const Params& values) {
  const Named<params::kSnakeAlpha> p(values);
  if (std::isinf(x)) return std::numeric_limits<double>::quiet_NaN();
  const SinCos v = sin_cos_of_scaled(p["alpha"], x, 2);
  if (v.sin >= 0) return static_cast<double>(1 + v.sin);
  return static_cast<double>(v.cos * v.cos / (1 - v.sin));
}

// --- Maclaurin series at 0 ---
// c0..c4, from the series of e^t, sigma(t) = 1/2 + t/4 - t^3/48, log(1 + e^t) = log 2 + t/2 +
// t^2/8 - t^4/192, erf and tanh. The 16-bit recomputation multiplies the leading term out
// exactly, so its coefficient is exact (1/2, 1/4, alpha) or, as tanhshrink's 1/3, puts x^3/3 of a
// 16-bit x far from every midpoint; tests/accuracy_test.cpp checks each series against the oracle.

using Series = std::array<double, 5>;

Series sigmoid_maclaurin(double, const Params&) { return {0.5, 0.25, 0, -1.0 / 48, 0}; }
Series symmetrical_sigmoid_maclaurin(double, const Params&) { return {0, 0.5, 0, -1.0 / 24, 0}; }
Series logsigmoid_maclaurin(double, const Params&) {
  return {-std::numbers::ln2, 0.5, -0.125, 0, 1.0 / 192};
}
Series elu_maclaurin(double side, const Params& values) {
  const double a = Named<params::kEluAlpha>(values)["alpha"];
  if (side > 0) return {0, 1, 0, 0, 0};
  return {0, a, a / 2, a / 6, a / 24};
}
Series softplus_maclaurin(double, const Params& values) {
  const double b = Named<params::kSoftplusBeta>(values)["beta"];
  return {std::numbers::ln2 / b, 0.5, b / 8, 0, -b * b * b / 192};
}
Series squareplus_maclaurin(double, const Params& values) {
  const double b = Named<params::kSquareplusB>(values)["b"];
  const double root = std::sqrt(b);
  return {root / 2, 0.5, 1 / (4 * root), 0, -1 / (16 * b * root)};
}
Series sparse_plus_maclaurin(double, const Params&) { return {0.25, 0.5, 0.25, 0, 0}; }
Series swish_maclaurin(double, const Params& values) {
  const double b = Named<params::kSwishBeta>(values)["beta"];
  return {0, 0.5, b / 4, 0, -b * b * b / 48};
}
Series silu_maclaurin(double side, const Params&) { return swish_maclaurin(side, kSiluBeta); }
// x Phi(x) = x/2 + x^2/sqrt(2 pi) - x^4/(6 sqrt(2 pi)); the tanh form has the same x^2 term and
// x^4 (c - 2/(3 pi))/sqrt(2 pi) with c = 0.044715.
Series gelu_maclaurin(double, const Params& values) {
  const double c2 = static_cast<double>(kInvSqrt2Pi);
  if (Named<params::kGeluApproximate>(values)["approximate"] == 0) return {0, 0.5, c2, 0, -c2 / 6};
  return {0, 0.5, c2, 0, c2 * (static_cast<double>(kGeluTanhCubic) - 2 / (3 * std::numbers::pi))};
}
Series tanhshrink_maclaurin(double, const Params&) { return {0, 0, 0, 1.0 / 3, 0}; }
Series gaussian_maclaurin(double, const Params&) { return {1, 0, -1, 0, 0.5}; }
Series cos_maclaurin(double, const Params&) { return {1, 0, -0.5, 0, 1.0 / 24}; }

// At infinity: sqrt(x^2 + 1) = |x| + 1/(2|x|) - 1/(8|x|^3) + ..., so f = x + (|x| - 1)/2 +
// 1/(4|x|) - 1/(16|x|^3) + ...
Series bent_identity_asymptotic(double side, const Params&) {
  if (side > 0) return {1.5, -0.5, 0.25, 0, -1.0 / 16};
  return {0.5, -0.5, -0.25, 0, 1.0 / 16};
}

// --- Lines in double-double ---
// The same pieces and conventions as the references above, each operation's error kept.

using detail::DoubleDouble;

// Each hi[i] + lo[i] from one DoubleDouble.
template <class F>
void each(std::span<const double> xs, std::span<double> hi, std::span<double> lo, F f) {
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const DoubleDouble v = f(xs[i]);
    hi[i] = v.hi;
    lo[i] = v.lo;
  }
}

void srelu_exact(std::span<const double> xs, const Params& values, bool derivative,
                 std::span<double> hi, std::span<double> lo) {
  const Named<params::kSreluParams> p(values);
  const auto piece = [&](double x, double t, double a) -> DoubleDouble {
    if (derivative) return {a, 0};
    // t + a (x - t): x - t exactly as two doubles, then a times them.
    const DoubleDouble d = detail::plus({x, 0}, -t);
    const DoubleDouble product = detail::two_product(a, d.hi);
    return detail::plus({product.hi, product.lo + a * d.lo}, t);
  };
  each(xs, hi, lo, [&](double x) -> DoubleDouble {
    if (x <= p["tl"]) return piece(x, p["tl"], p["al"]);
    if (x >= p["tr"]) return piece(x, p["tr"], p["ar"]);
    return {derivative ? 1 : x, 0};
  });
}

void hardsigmoid_exact(std::span<const double> xs, const Params& values, bool derivative,
                       std::span<double> hi, std::span<double> lo) {
  const HardsigmoidLine line(values);
  const DoubleDouble slope = detail::divided({1, 0}, line.w);
  each(xs, hi, lo, [&](double x) -> DoubleDouble {
    const DoubleDouble t = detail::plus({x, 0}, line.c);  // x + c exactly
    const bool inside = t.hi > 0 && (t.hi < line.w || (t.hi == line.w && t.lo < 0));
    if (derivative) return inside ? slope : DoubleDouble{0, 0};
    if (inside) return detail::divided(t, line.w);
    return {t.hi > 0 ? 1.0 : 0.0, 0};
  });
}

void hardswish_exact(std::span<const double> xs, const Params&, bool derivative,
                     std::span<double> hi, std::span<double> lo) {
  each(xs, hi, lo, [&](double x) -> DoubleDouble {
    if (derivative) {
      if (x < -3) return {0, 0};
      if (x > 3) return {1, 0};
      return detail::divided(detail::plus({2 * x, 0}, 3), 6);
    }
    if (x <= -3) return {0, 0};
    if (x >= 3) return {x, 0};
    const DoubleDouble shifted = detail::plus({x, 0}, 3);
    const DoubleDouble product = detail::two_product(x, shifted.hi);
    return detail::divided({product.hi, product.lo + x * shifted.lo}, 6);
  });
}

}  // namespace sigma::reference
