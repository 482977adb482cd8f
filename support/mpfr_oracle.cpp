// High-precision oracle: each activation and its derivative written straight from the definitions
// in functions.md with MPFR, evaluated at increasing precision until two precisions agree.
#include "support/mpfr_oracle.hpp"

#include <mpfr.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <sigma/catalog.hpp>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>

#include "support/float_sweep.hpp"

namespace sigma::mpfr {
namespace {

using Params = std::array<double, 4>;

// Ziv-style precision ladder: evaluate at P and P + kCheckBits and accept when both round to the
// same (hi, lo); otherwise double P, up to kMaxBits.
constexpr mpfr_prec_t kStartBits = 160;
constexpr mpfr_prec_t kCheckBits = 64;
constexpr mpfr_prec_t kMaxBits = 4096;

// Enough bits for +, -, * on a few doubles to be exact: a product of two doubles spans at most
// 2^2048 down to 2^-2148, so a sum of such terms fits in 4200 bits. Used by the piecewise-linear
// activations so that their results are exact (and accepted at the first precision).
constexpr mpfr_prec_t kWideBits = 4352;

// Enough bits to hold hi + lo, or a double minus it, exactly: both span 2^1024 down to 2^-1074.
constexpr mpfr_prec_t kSumBits = 2176;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// MPFR asks every thread to free its caches (pi, log 2, ...) before it exits.
struct ThreadCacheRelease {
  ~ThreadCacheRelease() { mpfr_free_cache2(MPFR_FREE_LOCAL_CACHE); }
};

// MPFR's exponent range and flags are per thread (Debian builds MPFR with thread-local storage), so
// they are set up on every call rather than once: the range is widened to its maximum so that
// intermediates such as e^-1e30 do not underflow before the final rounding to double (mpfr_get_d
// then rounds to double's own range, subnormals included, so mpfr_subnormalize is not needed), and
// the caller's range and flags are restored afterwards.
class ScopedMpfrEnvironment {
 public:
  ScopedMpfrEnvironment()
      : emin_(mpfr_get_emin()), emax_(mpfr_get_emax()), flags_(mpfr_flags_save()) {
    [[maybe_unused]] thread_local ThreadCacheRelease release;
    mpfr_set_emin(mpfr_get_emin_min());
    mpfr_set_emax(mpfr_get_emax_max());
  }
  ~ScopedMpfrEnvironment() {
    mpfr_set_emin(emin_);
    mpfr_set_emax(emax_);
    mpfr_flags_restore(flags_, MPFR_FLAGS_ALL);
  }
  ScopedMpfrEnvironment(const ScopedMpfrEnvironment&) = delete;
  ScopedMpfrEnvironment& operator=(const ScopedMpfrEnvironment&) = delete;

 private:
  mpfr_exp_t emin_;
  mpfr_exp_t emax_;
  mpfr_flags_t flags_;
};

// Owns one mpfr_t. Every operation below rounds to nearest, at the larger precision of its
// operands.
class Real {
 public:
  explicit Real(mpfr_prec_t prec) { mpfr_init2(v_, prec); }
  Real(mpfr_prec_t prec, double value) : Real(prec) { mpfr_set_d(v_, value, MPFR_RNDN); }
  Real(const Real& other) : Real(other.prec()) { mpfr_set(v_, other.v_, MPFR_RNDN); }
  Real(Real&& other) noexcept : Real(MPFR_PREC_MIN) { mpfr_swap(v_, other.v_); }
  Real& operator=(Real other) noexcept {
    mpfr_swap(v_, other.v_);
    return *this;
  }
  ~Real() { mpfr_clear(v_); }

  mpfr_ptr get() { return v_; }
  mpfr_srcptr get() const { return v_; }
  mpfr_prec_t prec() const { return mpfr_get_prec(v_); }

 private:
  mpfr_t v_;
};

using UnaryOp = int (*)(mpfr_ptr, mpfr_srcptr, mpfr_rnd_t);
using BinaryOp = int (*)(mpfr_ptr, mpfr_srcptr, mpfr_srcptr, mpfr_rnd_t);

Real Apply(UnaryOp op, const Real& a) {
  Real r(a.prec());
  op(r.get(), a.get(), MPFR_RNDN);
  return r;
}

Real Apply(BinaryOp op, const Real& a, const Real& b) {
  Real r(std::max(a.prec(), b.prec()));
  op(r.get(), a.get(), b.get(), MPFR_RNDN);
  return r;
}

// A double operand is converted exactly at the Real's precision (which is at least 53 bits).
Real operator+(const Real& a, const Real& b) { return Apply(mpfr_add, a, b); }
Real operator-(const Real& a, const Real& b) { return Apply(mpfr_sub, a, b); }
Real operator*(const Real& a, const Real& b) { return Apply(mpfr_mul, a, b); }
Real operator/(const Real& a, const Real& b) { return Apply(mpfr_div, a, b); }
Real operator+(const Real& a, double b) { return a + Real(a.prec(), b); }
Real operator+(double a, const Real& b) { return Real(b.prec(), a) + b; }
Real operator-(const Real& a, double b) { return a - Real(a.prec(), b); }
Real operator-(double a, const Real& b) { return Real(b.prec(), a) - b; }
Real operator*(const Real& a, double b) { return a * Real(a.prec(), b); }
Real operator*(double a, const Real& b) { return Real(b.prec(), a) * b; }
Real operator/(const Real& a, double b) { return a / Real(a.prec(), b); }
Real operator/(double a, const Real& b) { return Real(b.prec(), a) / b; }
Real operator-(const Real& a) { return Apply(mpfr_neg, a); }

Real Abs(const Real& a) {
  Real r(a.prec());
  mpfr_abs(r.get(), a.get(), MPFR_RNDN);
  return r;
}
Real Sqrt(const Real& a) { return Apply(mpfr_sqrt, a); }
Real Exp(const Real& a) { return Apply(mpfr_exp, a); }
Real Expm1(const Real& a) { return Apply(mpfr_expm1, a); }  // e^a - 1
Real Log1p(const Real& a) { return Apply(mpfr_log1p, a); }  // log(1 + a)
Real Tanh(const Real& a) { return Apply(mpfr_tanh, a); }
Real Erfc(const Real& a) { return Apply(mpfr_erfc, a); }
Real Atan(const Real& a) { return Apply(mpfr_atan, a); }
Real Sin(const Real& a) { return Apply(mpfr_sin, a); }
Real Cos(const Real& a) { return Apply(mpfr_cos, a); }

Real Sigmoid(const Real& x) { return 1 / (1 + Exp(-x)); }

// log(1 + e^y). For y > 0 it is written y + log(1 + e^-y) because e^y overflows even MPFR's widest
// exponent range once y > 3.2e18, which double inputs reach.
Real Softplus(const Real& y) {
  if (mpfr_sgn(y.get()) > 0) return y + Log1p(Exp(-y));
  return Log1p(Exp(y));
}

// min(max(v, lo), hi), on the exact value.
Real Clamp(const Real& v, double lo, double hi) {
  if (mpfr_cmp_d(v.get(), lo) < 0) return Real(v.prec(), lo);
  if (mpfr_cmp_d(v.get(), hi) > 0) return Real(v.prec(), hi);
  return v;
}

// One evaluation: the input, the parameters, what to compute and at what precision.
struct Arg {
  const Params& p;
  std::span<const ParamInfo> names;  // the catalog's list: p[i] is names[i]
  double x;
  bool derivative;
  mpfr_prec_t prec;

  Real Num(double v) const { return Real(prec, v); }
  Real X() const { return Num(x); }
  // The parameter of that name, as the catalog names it.
  double P(std::string_view name) const {
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (names[i].name == name) return p[i];
    }
    throw std::logic_error("the oracle reads a parameter its function lacks: " + std::string(name));
  }
  // For piecewise-linear formulas: arithmetic on these is exact.
  Real Wide(double v) const { return Real(std::max(prec, kWideBits), v); }
  // A named constant given in decimal, rounded at the working precision.
  Real Decimal(const char* digits) const {
    Real r(prec);
    mpfr_set_str(r.get(), digits, 10, MPFR_RNDN);
    return r;
  }
  Real Pi() const {
    Real r(prec);
    mpfr_const_pi(r.get(), MPFR_RNDN);
    return r;
  }
  Real NaN() const { return Num(kNaN); }
};

using Formula = Real (*)(const Arg&);

// Each activation returns f(x), or f'(x) when a.derivative, following functions.md line by line.
// Comparisons at kinks are on the exact double inputs, so they are done in double.

Real Identity(const Arg& a) { return a.derivative ? a.Num(1) : a.X(); }

Real Step(const Arg& a) { return a.Num(!a.derivative && a.x > 0 ? 1 : 0); }

Real Sign(const Arg& a) {
  if (a.derivative) return a.Num(0);
  return a.Num(a.x > 0 ? 1 : a.x < 0 ? -1 : 0);
}

Real SigmoidFn(const Arg& a) {
  const Real s = Sigmoid(a.X());
  return a.derivative ? s * (1 - s) : s;
}

Real TanhFn(const Arg& a) {
  const Real t = Tanh(a.X());
  return a.derivative ? 1 - t * t : t;
}

Real Relu(const Arg& a) {
  if (a.x > 0) return a.derivative ? a.Num(1) : a.X();
  return a.Num(0);
}

// leaky_relu (alpha = 0.01) and prelu (alpha = 0.25) share the formula.
Real LeakyRelu(const Arg& a) {
  const double alpha = a.P("alpha");
  if (a.x > 0) return a.derivative ? a.Num(1) : a.X();
  return a.derivative ? a.Num(alpha) : a.Num(alpha) * a.X();
}

Real Elu(const Arg& a) {
  const Real alpha = a.Num(a.P("alpha"));
  if (a.x > 0) return a.derivative ? a.Num(1) : a.X();
  return a.derivative ? alpha * Exp(a.X()) : alpha * Expm1(a.X());
}

Real SoftplusFn(const Arg& a) {
  const Real beta = a.Num(a.P("beta"));
  const Real bx = beta * a.X();
  return a.derivative ? Sigmoid(bx) : Softplus(bx) / beta;
}

Real Silu(const Arg& a) {
  const Real x = a.X();
  const Real s = Sigmoid(x);
  return a.derivative ? s + x * s * (1 - s) : x * s;
}

Real Swish(const Arg& a) {
  const Real x = a.X();
  const Real beta = a.Num(a.P("beta"));
  const Real s = Sigmoid(beta * x);
  return a.derivative ? s + beta * x * s * (1 - s) : x * s;
}

Real Gelu(const Arg& a) {
  const Real x = a.X();
  if (a.P("approximate") == 0) {  // x Phi(x), Phi(x) = erfc(-x/sqrt2)/2.
    const Real phi_cdf = Erfc(-x / Sqrt(a.Num(2))) / 2;
    if (!a.derivative) return x * phi_cdf;
    const Real phi = Exp(-(x * x) / 2) / Sqrt(2 * a.Pi());
    return phi_cdf + x * phi;
  }
  if (a.P("approximate") == 1) {  // tanh approximation.
    const Real k = Sqrt(2 / a.Pi());
    const Real c = a.Decimal("0.044715");
    const Real t = Tanh(k * (x + c * x * x * x));
    if (!a.derivative) return x / 2 * (1 + t);
    return (1 + t) / 2 + x / 2 * (1 - t * t) * k * (1 + 3 * c * x * x);
  }
  return a.NaN();
}

Real Mish(const Arg& a) {
  const Real x = a.X();
  const Real t = Tanh(Softplus(x));
  return a.derivative ? t + x * (1 - t * t) * Sigmoid(x) : x * t;
}

Real Relu6(const Arg& a) {
  if (a.derivative) return a.Num(a.x > 0 && a.x < 6 ? 1 : 0);
  return a.Num(std::min(std::max(a.x, 0.0), 6.0));
}

Real Selu(const Arg& a) {
  const Real alpha = a.Decimal("1.6732632423543772848170429916717");
  const Real lambda = a.Decimal("1.0507009873554804934193349852946");
  if (a.x > 0) return a.derivative ? lambda : lambda * a.X();
  return a.derivative ? lambda * alpha * Exp(a.X()) : lambda * alpha * Expm1(a.X());
}

Real Celu(const Arg& a) {
  const Real alpha = a.Num(a.P("alpha"));
  if (a.x > 0) return a.derivative ? a.Num(1) : a.X();
  return a.derivative ? Exp(a.X() / alpha) : alpha * Expm1(a.X() / alpha);
}

Real Hardtanh(const Arg& a) {
  const double min_val = a.P("min_val");
  const double max_val = a.P("max_val");
  if (a.derivative) return a.Num(a.x > min_val && a.x < max_val ? 1 : 0);
  return a.Num(std::min(std::max(a.x, min_val), max_val));
}

// The line through (-c, 0) and (w - c, 1), c and w the doubles nearest offset/slope and 1/slope
// as the catalog defines them: (x + 3)/6 at the defaults, with PyTorch's kinks at -3 and 3.
Real Hardsigmoid(const Arg& a) {
  const double c = a.P("offset") / a.P("slope");
  const double w = 1 / a.P("slope");
  const Real t = a.Wide(a.x) + a.Wide(c);
  const bool inside = mpfr_sgn(t.get()) > 0 && mpfr_cmp_d(t.get(), w) < 0;
  if (a.derivative) return inside ? 1 / a.Num(w) : a.Num(0);
  return Clamp(t / a.Wide(w), 0, 1);
}

Real Hardswish(const Arg& a) {
  const double x = a.x;
  if (a.derivative) {
    if (x < -3) return a.Num(0);
    if (x <= 3) return a.X() / 3 + 0.5;
    return a.Num(1);
  }
  if (x <= -3) return a.Num(0);
  if (x >= 3) return a.X();
  const Real wx = a.Wide(x);
  return wx * (wx + 3) / 6;
}

Real Logsigmoid(const Arg& a) {
  const Real x = a.X();
  return a.derivative ? 1 - Sigmoid(x) : -Softplus(-x);  // log(sigmoid(x)) = -log(1 + e^-x)
}

Real Tanhshrink(const Arg& a) {
  const Real x = a.X();
  const Real t = Tanh(x);
  return a.derivative ? t * t : x - t;
}

Real Softshrink(const Arg& a) {
  const double l = a.P("lambd");
  if (a.derivative) return a.Num(std::abs(a.x) > l ? 1 : 0);
  if (a.x > l) return a.Wide(a.x) - a.Wide(l);
  if (a.x < -l) return a.Wide(a.x) + a.Wide(l);
  return a.Num(0);
}

Real Hardshrink(const Arg& a) {
  const bool outside = std::abs(a.x) > a.P("lambd");
  if (a.derivative) return a.Num(outside ? 1 : 0);
  return a.Num(outside ? a.x : 0);
}

Real Threshold(const Arg& a) {
  const double threshold = a.P("threshold");
  const double value = a.P("value");
  if (a.derivative) return a.Num(a.x > threshold ? 1 : 0);
  return a.Num(a.x > threshold ? a.x : value);
}

Real Softsign(const Arg& a) {
  const Real x = a.X();
  const Real d = 1 + Abs(x);
  return a.derivative ? 1 / (d * d) : x / d;
}

Real Rrelu(const Arg& a) {
  const double slope = (a.P("lower") + a.P("upper")) / 2;  // In double, as the library computes it.
  if (a.x > 0) return a.derivative ? a.Num(1) : a.X();
  return a.derivative ? a.Num(slope) : a.Num(slope) * a.X();
}

Real Exponential(const Arg& a) { return Exp(a.X()); }

Real Squareplus(const Arg& a) {
  const Real x = a.X();
  const Real r = Sqrt(x * x + a.P("b"));
  return a.derivative ? (1 + x / r) / 2 : (x + r) / 2;
}

Real Arctan(const Arg& a) {
  const Real x = a.X();
  return a.derivative ? 1 / (1 + x * x) : Atan(x);
}

Real BentIdentity(const Arg& a) {
  const Real x = a.X();
  const Real r = Sqrt(x * x + 1);
  return a.derivative ? x / (2 * r) + 1 : (r - 1) / 2 + x;
}

Real SymmetricalSigmoid(const Arg& a) {
  const Real t = Tanh(a.X() / 2);
  return a.derivative ? (1 - t * t) / 2 : t;
}

Real LecunTanh(const Arg& a) {
  const Real k = a.Decimal("1.7159");
  const Real t = Tanh(2 * a.X() / 3);
  return a.derivative ? k * 2 / 3 * (1 - t * t) : k * t;
}

Real Loglog(const Arg& a) {
  const Real x = a.X();
  return a.derivative ? Exp(x - Exp(x)) : -Expm1(-Exp(x));  // 1 - e^(-e^x)
}

Real Gaussian(const Arg& a) {
  const Real x = a.X();
  const Real g = Exp(-(x * x));
  return a.derivative ? -2 * x * g : g;
}

Real Absolute(const Arg& a) {
  if (a.derivative) return a.Num(a.x > 0 ? 1 : a.x < 0 ? -1 : 0);
  return a.Num(std::abs(a.x));
}

Real Sinusoid(const Arg& a) { return a.derivative ? Cos(a.X()) : Sin(a.X()); }

Real CosFn(const Arg& a) { return a.derivative ? -Sin(a.X()) : Cos(a.X()); }

Real Sinc(const Arg& a) {
  if (a.x == 0) return a.Num(a.derivative ? 0 : 1);
  const Real x = a.X();
  return a.derivative ? (x * Cos(x) - Sin(x)) / (x * x) : Sin(x) / x;
}

Real Srelu(const Arg& a) {
  const double tl = a.P("tl");
  const double al = a.P("al");
  const double tr = a.P("tr");
  const double ar = a.P("ar");
  if (a.x <= tl) {
    return a.derivative ? a.Num(al) : a.Wide(tl) + a.Wide(al) * (a.Wide(a.x) - tl);
  }
  if (a.x >= tr) {
    return a.derivative ? a.Num(ar) : a.Wide(tr) + a.Wide(ar) * (a.Wide(a.x) - tr);
  }
  return a.derivative ? a.Num(1) : a.X();
}

Real Isru(const Arg& a) {
  const Real x = a.X();
  const Real t = 1 + a.P("alpha") * (x * x);
  return a.derivative ? 1 / (t * Sqrt(t)) : x / Sqrt(t);
}

Real SquaredRelu(const Arg& a) {
  if (a.x <= 0) return a.Num(0);
  const Real x = a.X();
  return a.derivative ? 2 * x : x * x;
}

Real SparsePlus(const Arg& a) {
  if (a.x <= -1) return a.Num(0);
  if (a.x >= 1) return a.derivative ? a.Num(1) : a.X();
  const Real t = a.X() + 1;
  return a.derivative ? t / 2 : t * t / 4;
}

Real SparseSigmoid(const Arg& a) {
  if (a.derivative) return a.Num(a.x > -1 && a.x < 1 ? 0.5 : 0);
  if (a.x <= -1) return a.Num(0);
  if (a.x >= 1) return a.Num(1);
  return (a.X() + 1) / 2;
}

Real Isrlu(const Arg& a) {
  if (a.x >= 0) return a.derivative ? a.Num(1) : a.X();
  return Isru(a);
}

Real Sqnl(const Arg& a) {
  if (a.x > 2) return a.Num(a.derivative ? 0 : 1);
  if (a.x < -2) return a.Num(a.derivative ? 0 : -1);
  const Real x = a.X();
  if (a.x >= 0) return a.derivative ? 1 - x / 2 : x - x * x / 4;
  return a.derivative ? 1 + x / 2 : x + x * x / 4;
}

Real Snake(const Arg& a) {
  const Real x = a.X();
  const Real alpha = a.Num(a.P("alpha"));
  if (a.derivative) return 1 + Sin(2 * alpha * x);
  const Real s = Sin(alpha * x);
  return x + s * s / alpha;
}

struct Activation {
  std::string_view name;
  Formula formula;
};

constexpr Activation kActivations[] = {
    {"identity", Identity},
    {"step", Step},
    {"sign", Sign},
    {"sigmoid", SigmoidFn},
    {"tanh", TanhFn},
    {"relu", Relu},
    {"leaky_relu", LeakyRelu},
    {"prelu", LeakyRelu},
    {"elu", Elu},
    {"softplus", SoftplusFn},
    {"silu", Silu},
    {"swish", Swish},
    {"gelu", Gelu},
    {"mish", Mish},
    {"relu6", Relu6},
    {"selu", Selu},
    {"celu", Celu},
    {"hardtanh", Hardtanh},
    {"hardsigmoid", Hardsigmoid},
    {"hardswish", Hardswish},
    {"logsigmoid", Logsigmoid},
    {"tanhshrink", Tanhshrink},
    {"softshrink", Softshrink},
    {"hardshrink", Hardshrink},
    {"threshold", Threshold},
    {"softsign", Softsign},
    {"rrelu", Rrelu},
    {"exponential", Exponential},
    {"squareplus", Squareplus},
    {"arctan", Arctan},
    {"bent_identity", BentIdentity},
    {"symmetrical_sigmoid", SymmetricalSigmoid},
    {"lecun_tanh", LecunTanh},
    {"loglog", Loglog},
    {"gaussian", Gaussian},
    {"absolute", Absolute},
    {"sinusoid", Sinusoid},
    {"cos", CosFn},
    {"sinc", Sinc},
    {"srelu", Srelu},
    {"isru", Isru},
    {"squared_relu", SquaredRelu},
    {"sparse_plus", SparsePlus},
    {"sparse_sigmoid", SparseSigmoid},
    {"isrlu", Isrlu},
    {"sqnl", Sqnl},
    {"snake", Snake},
};

Formula FindFormula(std::string_view name) {
  for (const Activation& activation : kActivations) {
    if (activation.name == name) return activation.formula;
  }
  return nullptr;
}

// f' from y = f(x) for the ELU family, whose from-output formulas cancel at saturation: the
// formula at the y given (a.x holds y), with its constants exact.
Real EluFromOutput(const Arg& a) { return a.x > 0 ? a.Num(1) : a.X() + a.P("alpha"); }
Real SeluFromOutput(const Arg& a) {
  const Real alpha = a.Decimal("1.6732632423543772848170429916717");
  const Real lambda = a.Decimal("1.0507009873554804934193349852946");
  return a.x > 0 ? lambda : a.X() + lambda * alpha;
}
Real CeluFromOutput(const Arg& a) {
  return a.x > 0 ? a.Num(1) : (a.X() + a.P("alpha")) / a.P("alpha");
}

constexpr Activation kFromOutput[] = {
    {"elu", EluFromOutput}, {"selu", SeluFromOutput}, {"celu", CeluFromOutput}};

// The result of one evaluation at one precision.
struct Attempt {
  Exact value;
  bool exact;  // no operation rounded: value is final
  bool nan;
  bool zero;  // the MPFR result itself is zero (possibly total cancellation)
};

Attempt Evaluate(Formula formula, const Params& p, std::span<const ParamInfo> names, double x,
                 bool derivative, mpfr_prec_t prec) {
  mpfr_clear_flags();
  const Real v = formula(Arg{p, names, x, derivative, prec});
  Attempt attempt{};
  attempt.exact = !mpfr_inexflag_p();
  attempt.nan = mpfr_nan_p(v.get());
  attempt.zero = mpfr_zero_p(v.get());
  attempt.value.hi = mpfr_get_d(v.get(), MPFR_RNDN);
  if (std::isfinite(attempt.value.hi)) {
    Real remainder(v.prec() + kCheckBits);  // v - hi is exact at this precision.
    mpfr_sub_d(remainder.get(), v.get(), attempt.value.hi, MPFR_RNDN);
    attempt.value.lo = mpfr_get_d(remainder.get(), MPFR_RNDN);
  }
  return attempt;
}

bool SameValue(const Exact& a, const Exact& b) { return a.hi == b.hi && a.lo == b.lo; }

Exact EvaluateToDouble(Formula formula, const Params& p, std::span<const ParamInfo> names, double x,
                       bool derivative) {
  ScopedMpfrEnvironment environment;
  // At |x| = 2^-e or 2^e the terms after the first can lie e, 2e, 3e bits below it
  // (sigmoid' = 1/4 - x^2/16, x - tanh x; bent_identity' = 3/2 - 1/(4x^2)), where both rungs of
  // the ladder can lose the same term and agree on a remainder lo = 0 that is not: the first rung
  // holds three such steps.
  const int e = x == 0 ? 0 : std::abs(std::ilogb(x));
  const mpfr_prec_t start = std::min<mpfr_prec_t>(kStartBits + 3 * e, kMaxBits);
  for (mpfr_prec_t prec = start;; prec = std::min(2 * prec, kMaxBits)) {
    const Attempt first = Evaluate(formula, p, names, x, derivative, prec);
    if (first.exact || first.nan) return first.value;
    const Attempt second = Evaluate(formula, p, names, x, derivative, prec + kCheckBits);
    // A zero from rounded operations may be a total cancellation (x - tanh x at tiny x rounds to
    // x - x), which both precisions can share, so it is only trusted at the last precision.
    if (!first.zero && !second.zero && SameValue(first.value, second.value)) return second.value;
    if (prec >= kMaxBits) return second.value;
  }
}

std::span<const ParamInfo> ParamNames(std::string_view name) {
  const FunctionInfo* info = find_function(name);
  return info != nullptr ? info->params : std::span<const ParamInfo>();
}

}  // namespace

bool oracle(std::string_view name, const std::array<double, 4>& p, double x, bool derivative,
            Exact* out) {
  const Formula formula = FindFormula(name);
  if (formula == nullptr || !std::isfinite(x)) return false;
  *out = EvaluateToDouble(formula, p, ParamNames(name), x, derivative);
  return true;
}

bool oracle_knows(std::string_view name) { return FindFormula(name) != nullptr; }

bool oracle_from_output(std::string_view name, const std::array<double, 4>& p, double y,
                        Exact* out) {
  for (const Activation& activation : kFromOutput) {
    if (activation.name != name || !std::isfinite(y)) continue;
    *out = EvaluateToDouble(activation.formula, p, ParamNames(name), y, true);
    return true;
  }
  return false;
}

double ulp_error(double computed, const Exact& exact, int precision_bits) {
  // hi + lo in long double (64 bits on x86: the error within 2^-11 ulp of a double result).
  const long double value = static_cast<long double>(exact.hi) + exact.lo;
  if (precision_bits == std::numeric_limits<float>::digits) {
    return UlpError(static_cast<float>(computed), value);
  }
  if (precision_bits == std::numeric_limits<double>::digits) return UlpError(computed, value);
  return kNaN;
}

}  // namespace sigma::mpfr
