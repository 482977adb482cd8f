// The piecewise family: identity, step and sign, the rectifiers (relu, leaky_relu, prelu, rrelu,
// relu6, hardtanh, threshold, srelu), hardsigmoid, hardswish, the shrinks and absolute, and the
// piecewise polynomials squared_relu, sparse_plus, sparse_sigmoid and sqnl.
// Exact or rounded once: most also run in float lanes.
// The loop, the dispatch and the contract every kernel here meets are in loop-inl.h.

#include <cmath>
#include <limits>
#include <type_traits>

#include "activations/kernels/kernels.hpp"

// clang-format off
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "activations/kernels/piecewise_kernels.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "activations/kernels/loop-inl.h"
// clang-format on

HWY_BEFORE_NAMESPACE();
namespace sigma::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Identity, step and sign also run in float lanes, where they are exact: NaN passes through
// and infinities take their own lanes' results, so their vectors skip the checks for them, and
// their zeros are the reference's.
struct Identity {
  static constexpr Hooks kHooks = kFloat | kFloatGrad | kHandlesSpecials | kZerosExact;
  explicit Identity(const Params&) {}
  bool FloatNative() const { return true; }
  static constexpr bool kValueHandlesSpecialsF = true;
  bool ZerosExactF() const { return true; }
  template <class Exp>
  VF ValueF(VF x) const {
    return x;
  }
  template <class Exp>
  VF GradF(VF) const {
    return ConstantF(1.0f);
  }
  V Value(V x) const { return x; }
  V Grad(V) const { return One(); }
  V GradFromOutput(V) const { return One(); }
};

struct Step {
  static constexpr Hooks kHooks = kFloat | kFloatGrad | kHandlesSpecials;
  explicit Step(const Params&) {}
  bool FloatNative() const { return true; }
  // 0 for x <= 0, 1 for x > 0, and NaN, which fails both comparisons, itself.
  static constexpr bool kValueHandlesSpecialsF = true;
  template <class Exp>
  VF ValueF(VF x) const {
    const VF zero = hn::Zero(DF());
    return hn::IfThenZeroElse(hn::Le(x, zero), hn::IfThenElse(hn::Gt(x, zero), ConstantF(1.0f), x));
  }
  template <class Exp>
  VF GradF(VF) const {
    return hn::Zero(DF());
  }
  V Value(V x) const { return hn::IfThenElseZero(Positive(x), One()); }
  V Grad(V) const { return Zero(); }
  V GradFromOutput(V) const { return Zero(); }
};

struct Sign {
  static constexpr Hooks kHooks = kFloat | kFloatGrad | kHandlesSpecials | kZerosExact;
  explicit Sign(const Params&) {}
  bool FloatNative() const { return true; }
  // +-1 with the sign of x where |x| > 0; zeros (keeping their sign) and NaN pass through.
  static constexpr bool kValueHandlesSpecialsF = true;
  bool ZerosExactF() const { return true; }
  template <class Exp>
  VF ValueF(VF x) const {
    return hn::IfThenElse(hn::Gt(hn::Abs(x), hn::Zero(DF())), hn::CopySign(ConstantF(1.0f), x), x);
  }
  template <class Exp>
  VF GradF(VF) const {
    return hn::Zero(DF());
  }
  V Value(V x) const {  // zeros keep their sign
    return Select(Positive(x), One(), Select(hn::Lt(x, Zero()), Constant(-1.0), x));
  }
  V Grad(V) const { return Zero(); }
  V GradFromOutput(V) const { return Zero(); }
};

// The largest float at or below a finite c: for every float x, x > c exactly when x > it (-inf
// where c is below -FLT_MAX, which no finite float is at or below; FLT_MAX where c is above it).
inline float FloatAtOrBelow(double c) {
  constexpr double kMax = std::numeric_limits<float>::max();
  if (c < -kMax) return -std::numeric_limits<float>::infinity();
  if (c >= kMax) return std::numeric_limits<float>::max();
  const float f = static_cast<float>(c);
  return double{f} > c ? std::nextafter(f, -std::numeric_limits<float>::infinity()) : f;
}

// n/d for a float constant d: n times the float nearest 1/d (`inverse`), corrected once by the
// exact residual n - q d (fma), so about one rounding without a division.
HWY_INLINE VF QuotientByConstantF(VF n, float d, float inverse) {
  const VF inv = ConstantF(inverse);
  const VF q = hn::Mul(n, inv);
  return hn::MulAdd(hn::NegMulAdd(q, ConstantF(d), n), inv, q);
}

// (x + c)/w with c = offset/slope and w = 1/slope rounded to doubles (catalog), evaluated to
// about half an ulp: x + c as a sum and its error (TwoSum), the quotient and its remainder.
// In float lanes where c and w are floats (the default 3 and 6, Keras 2's 2.5 and 5): x + c
// rounded, then the quotient (ValueF).
struct Hardsigmoid {
  static constexpr Hooks kHooks = kFloat | kFloatGrad | kHandlesSpecials | kFloatFromOutput;
  V c, neg_c, w, inv_w;
  float c_f, w_f, inv_w_f;
  bool top_exact;     // w - c (for float c and w) is a double exactly
  float below_top_f;  // the largest float below w - c
  explicit Hardsigmoid(Named<params::kHardsigmoidLine> p)
      : c(Constant(p["offset"] / p["slope"])),
        neg_c(Constant(-(p["offset"] / p["slope"]))),
        w(Constant(1 / p["slope"])),
        inv_w(Constant(1 / (1 / p["slope"]))),
        c_f(static_cast<float>(p["offset"] / p["slope"])),
        w_f(static_cast<float>(1 / p["slope"])),
        inv_w_f(static_cast<float>(1 / (1 / p["slope"]))) {
    // w - c and its rounding error (TwoSum): exact where the error is 0.
    const double w_d = w_f, neg_c_d = -double{c_f};
    const double top = w_d + neg_c_d, back = top - w_d;
    const double error = (w_d - (top - back)) + (neg_c_d - back);
    top_exact = error == 0 && std::isfinite(top);
    // The largest float below top: at or below it, then one step down where that is top itself.
    below_top_f = FloatAtOrBelow(top);
    if (double{below_top_f} == top) {
      below_top_f = std::nextafter(below_top_f, -std::numeric_limits<float>::infinity());
    }
  }
  bool FloatNative() const {
    return double{c_f} == hn::GetLane(c) && double{w_f} == hn::GetLane(w) && std::isfinite(w_f);
  }
  // As Value: NaN fails both comparisons and passes through the quotient; -inf is at or below
  // -c, +inf at or above the top (its sum is +inf).
  static constexpr bool kValueHandlesSpecialsF = true;
  VF ShiftedF(VF x, VF* low) const {
    const VF cv = ConstantF(c_f);
    const VF sum = hn::Add(x, cv);
    const VF x_part = hn::Sub(sum, cv);
    const VF error = hn::Add(hn::Sub(x, x_part), hn::Sub(cv, hn::Sub(sum, x_part)));
    *low = hn::IfThenZeroElse(hn::IsInf(sum), error);
    return sum;
  }
  MF AtOrAboveTopF(VF sum, VF low) const {
    return hn::Ge(hn::Add(hn::Sub(sum, ConstantF(w_f)), low), hn::Zero(DF()));
  }
  template <class Exp>
  VF ValueF(VF x) const {
    const VF wv = ConstantF(w_f);
    // x + c rounded: exact near the root -c (Sterbenz), elsewhere half an ulp of a sum that
    // does not cancel; leaving its error out (as hardswish's x + 3) halves the operations, for
    // 1.000 ulp at the defaults and 1.200 at slope 0.2 (swept; 0.5 with it). sum/w by the
    // reciprocal, corrected once (two divisions had bound the kernel on their throughput, 7.4
    // Gelem/s on Zen 5). An overflowed sum is at the top.
    const VF sum = hn::Add(x, ConstantF(c_f));
    const VF inner = QuotientByConstantF(sum, w_f, inv_w_f);
    return hn::IfThenZeroElse(hn::Le(x, ConstantF(-c_f)),
                              hn::IfThenElse(hn::Ge(sum, wv), ConstantF(1.0f), inner));
  }
  // f' = 1/w where -c < x and x + c < w, that is x < w - c: where w - c is a double exactly (it
  // is for the defaults), x < w - c is x <= the largest float below it, two comparisons.
  template <class Exp>
  VF GradF(VF x) const {
    const MF above_bottom = hn::Gt(x, ConstantF(-c_f));
    if (top_exact) {
      const MF below_top = hn::Le(x, ConstantF(below_top_f));
      return hn::IfThenElseZero(hn::And(above_bottom, below_top), ConstantF(inv_w_f));
    }
    VF low;
    const VF sum = ShiftedF(x, &low);
    return hn::IfThenElseZero(hn::AndNot(AtOrAboveTopF(sum, low), above_bottom),
                              ConstantF(inv_w_f));
  }
  VF GradFromOutputF(VF y) const {
    return hn::IfThenElseZero(hn::And(hn::Gt(y, hn::Zero(DF())), hn::Lt(y, ConstantF(1.0f))),
                              ConstantF(inv_w_f));
  }
  // x + c = sum + *low exactly; *low is 0 where the sum overflowed.
  V Shifted(V x, V* low) const {
    const V sum = hn::Add(x, c);
    const V x_part = hn::Sub(sum, c);
    const V error = hn::Add(hn::Sub(x, x_part), hn::Sub(c, hn::Sub(sum, x_part)));
    *low = hn::IfThenZeroElse(hn::IsInf(sum), error);
    return sum;
  }
  // x + c >= w exactly: sum - w is exact where it could change sign with low (Sterbenz).
  M AtOrAboveTop(V sum, V low) const { return hn::Ge(hn::Add(hn::Sub(sum, w), low), Zero()); }
  V Value(V x) const {
    V low;
    const V sum = Shifted(x, &low);
    // By the reciprocal and one corrected step, as ValueF.
    const V q = hn::Mul(sum, inv_w);
    const V inner = hn::MulAdd(hn::Add(hn::NegMulAdd(q, w, sum), low), inv_w, q);
    return Select(hn::Le(x, neg_c), Zero(), Select(AtOrAboveTop(sum, low), One(), inner));
  }
  V Grad(V x) const {
    V low;
    const V sum = Shifted(x, &low);
    const M inside = hn::AndNot(AtOrAboveTop(sum, low), hn::Gt(x, neg_c));
    return hn::IfThenElseZero(inside, inv_w);
  }
  V GradFromOutput(V y) const {
    return hn::IfThenElseZero(hn::And(Positive(y), hn::Lt(y, One())), inv_w);
  }
};

// The rectifiers also run in float lanes, where they are exact (leaky_relu's alpha x rounded
// about once from a split alpha).
struct Relu {
  static constexpr Hooks kHooks = kFloat | kFloatGrad | kHandlesSpecials | kFloatFromOutput;
  explicit Relu(const Params&) {}
  bool FloatNative() const { return true; }
  // 0 for x <= 0 (and -0), x otherwise: NaN stays NaN and infinities are exact, so its vectors
  // skip the checks for them.
  static constexpr bool kValueHandlesSpecialsF = true;
  template <class Exp>
  VF ValueF(VF x) const {
    return hn::IfThenZeroElse(hn::Le(x, hn::Zero(DF())), x);
  }
  template <class Exp>
  VF GradF(VF x) const {
    return hn::IfThenElseZero(hn::Gt(x, hn::Zero(DF())), ConstantF(1.0f));
  }
  V Value(V x) const { return hn::IfThenElseZero(Positive(x), x); }
  V Grad(V x) const { return hn::IfThenElseZero(Positive(x), One()); }
  V GradFromOutput(V y) const { return Grad(y); }
  VF GradFromOutputF(VF y) const { return GradF<AnyRangeExp>(y); }
};

// leaky_relu and prelu (the same function with another default slope).
struct LeakyRelu {
  static constexpr Hooks kHooks =
      kFloat | kFloatGrad | kHandlesSpecials | kFloatFromOutput | kZerosExact;
  V alpha;
  SplitConstant alpha_f;
  explicit LeakyRelu(Named<params::kLeakyAlpha> p) : LeakyRelu(p["alpha"]) {}
  explicit LeakyRelu(double slope) : alpha(Constant(slope)), alpha_f(slope) {}
  // Slopes beyond 2^24 (never a leaky slope) stay in double lanes, where alpha_f.lo times the
  // largest float could overflow.
  bool FloatNative() const { return std::abs(hn::GetLane(alpha)) <= 0x1p24; }
  // alpha x by TimesAny, so that -inf gives the exact -inf alpha.
  static constexpr bool kValueHandlesSpecialsF = true;
  // hi (+-0) + lo (+-0) is the zero of alpha (+-0), the reference's, where neither part of alpha
  // is negative (the default 0.01; not 0.2, whose float lies above it).
  bool ZerosExactF() const { return hn::GetLane(alpha_f.hi) >= 0 && hn::GetLane(alpha_f.lo) >= 0; }
  template <class Exp>
  VF ValueF(VF x) const {
    return hn::IfThenElse(hn::Gt(x, hn::Zero(DF())), x, alpha_f.TimesAny(x));
  }
  template <class Exp>
  VF GradF(VF x) const {
    return hn::IfThenElse(hn::Gt(x, hn::Zero(DF())), ConstantF(1.0f),
                          hn::Add(alpha_f.hi, alpha_f.lo));
  }
  V Value(V x) const { return Select(Positive(x), x, hn::Mul(alpha, x)); }
  V Grad(V x) const { return Select(Positive(x), One(), alpha); }
  V GradFromOutput(V y) const { return Grad(y); }
  VF GradFromOutputF(VF y) const { return GradF<AnyRangeExp>(y); }
};

struct Rrelu : LeakyRelu {
  explicit Rrelu(Named<params::kRreluBounds> p) : LeakyRelu((p["lower"] + p["upper"]) / 2) {}
};

struct Relu6 {
  static constexpr Hooks kHooks = kFloat | kFloatGrad | kHandlesSpecials | kFloatFromOutput;
  explicit Relu6(const Params&) {}
  bool FloatNative() const { return true; }
  // Comparisons rather than Min, whose result for NaN is target-defined: NaN fails both and
  // passes through.
  static constexpr bool kValueHandlesSpecialsF = true;
  template <class Exp>
  VF ValueF(VF x) const {
    const VF six = ConstantF(6.0f);
    return hn::IfThenElse(hn::Ge(x, six), six, hn::IfThenZeroElse(hn::Le(x, hn::Zero(DF())), x));
  }
  template <class Exp>
  VF GradF(VF x) const {
    return hn::IfThenElseZero(hn::And(hn::Gt(x, hn::Zero(DF())), hn::Lt(x, ConstantF(6.0f))),
                              ConstantF(1.0f));
  }
  V Value(V x) const { return hn::IfThenElseZero(Positive(x), hn::Min(x, Constant(6.0))); }
  V Grad(V x) const {
    return hn::IfThenElseZero(hn::And(Positive(x), hn::Lt(x, Constant(6.0))), One());
  }
  V GradFromOutput(V y) const { return Grad(y); }
  VF GradFromOutputF(VF y) const { return GradF<AnyRangeExp>(y); }
};

struct Hardtanh {
  static constexpr Hooks kHooks =
      kFloat | kFloatGrad | kHandlesSpecials | kFloatFromOutput | kZerosExact;
  V lo, hi;
  float lo_f, hi_f;
  explicit Hardtanh(Named<params::kHardtanhBounds> p)
      : lo(Constant(p["min_val"])),
        hi(Constant(p["max_val"])),
        lo_f(static_cast<float>(p["min_val"])),
        hi_f(static_cast<float>(p["max_val"])) {}
  // Float lanes when the limits are floats, so that comparisons with them are exact.
  bool FloatNative() const {
    return double{lo_f} == hn::GetLane(lo) && double{hi_f} == hn::GetLane(hi);
  }
  // As relu6: comparisons, which NaN fails.
  static constexpr bool kValueHandlesSpecialsF = true;
  bool ZerosExactF() const { return true; }  // the comparisons of Value: its zeros
  template <class Exp>
  VF ValueF(VF x) const {
    const VF lo_v = ConstantF(lo_f), hi_v = ConstantF(hi_f);
    return hn::IfThenElse(hn::Lt(x, lo_v), lo_v, hn::IfThenElse(hn::Gt(x, hi_v), hi_v, x));
  }
  template <class Exp>
  VF GradF(VF x) const {
    return hn::IfThenElseZero(hn::And(hn::Gt(x, ConstantF(lo_f)), hn::Lt(x, ConstantF(hi_f))),
                              ConstantF(1.0f));
  }
  V Value(V x) const { return Select(hn::Lt(x, lo), lo, Select(hn::Gt(x, hi), hi, x)); }
  V Grad(V x) const { return hn::IfThenElseZero(hn::And(hn::Gt(x, lo), hn::Lt(x, hi)), One()); }
  V GradFromOutput(V y) const { return Grad(y); }
  VF GradFromOutputF(VF y) const { return GradF<AnyRangeExp>(y); }
};

// In float lanes for any threshold, compared through FloatAtOrBelow, and any value within
// float's range, rounded once as the double lanes' result is: exact. NaN fails x <= threshold
// and passes through; +inf is above every threshold and -inf at or below it.
struct Threshold {
  static constexpr Hooks kHooks = kFloat | kFloatGrad | kHandlesSpecials | kZerosExact;
  V threshold, value;
  float threshold_f, value_f;
  explicit Threshold(Named<params::kThresholdParams> p)
      : threshold(Constant(p["threshold"])),
        value(Constant(p["value"])),
        threshold_f(FloatAtOrBelow(p["threshold"])),
        value_f(std::abs(p["value"]) <= std::numeric_limits<float>::max()
                    ? static_cast<float>(p["value"])
                    : 0.0f) {}
  // Values beyond float's range (infinite as floats) stay in double lanes.
  bool FloatNative() const {
    return std::abs(hn::GetLane(value)) <= std::numeric_limits<float>::max();
  }
  static constexpr bool kValueHandlesSpecialsF = true;
  // x at +-0 where the threshold is below 0, else the value for both: the reference's zeros.
  bool ZerosExactF() const { return true; }
  template <class Exp>
  VF ValueF(VF x) const {
    return hn::IfThenElse(hn::Le(x, ConstantF(threshold_f)), ConstantF(value_f), x);
  }
  template <class Exp>
  VF GradF(VF x) const {
    return hn::IfThenElseZero(hn::Gt(x, ConstantF(threshold_f)), ConstantF(1.0f));
  }
  V Value(V x) const { return Select(hn::Gt(x, threshold), x, value); }
  V Grad(V x) const { return hn::IfThenElseZero(hn::Gt(x, threshold), One()); }
};

struct Srelu {
  V tl, al, tr, ar;
  explicit Srelu(Named<params::kSreluParams> p)
      : tl(Constant(p["tl"])),
        al(Constant(p["al"])),
        tr(Constant(p["tr"])),
        ar(Constant(p["ar"])) {}
  V Value(V x) const {
    const V left = hn::MulAdd(al, hn::Sub(x, tl), tl);
    const V right = hn::MulAdd(ar, hn::Sub(x, tr), tr);
    return Select(hn::Le(x, tl), left, Select(hn::Ge(x, tr), right, x));
  }
  V Grad(V x) const { return Select(hn::Le(x, tl), al, Select(hn::Ge(x, tr), ar, One())); }
  V GradFromOutput(V y) const { return Grad(y); }
};

struct Hardswish {
  static constexpr Hooks kHooks = kFloat | kFloatGrad | kHandlesSpecials | kZerosExact;
  explicit Hardswish(const Params&) {}
  // In float lanes x t, t = (x + 3)/6 with x + 3 rounded and the quotient corrected once by
  // its exact residual: four multiplies and an addition where the correctly rounded x (x + 3)/6
  // took six and four, within 1.871 ulp (the float32 sweep; x + 3 is exact near the root -3 by
  // Sterbenz, so nothing cancels there). Infinities take the outer cases and NaN the inner one,
  // which keeps it.
  bool FloatNative() const { return true; }
  static constexpr bool kValueHandlesSpecialsF = true;
  bool ZerosExactF() const { return true; }  // x t keeps the sign of x = +-0 (t = 1/2)
  static VF SixthF(VF n) { return QuotientByConstantF(n, 6.0f, 1.0f / 6); }
  template <class Exp>
  VF ValueF(VF x) const {
    const VF three = ConstantF(3.0f);
    const VF inner = hn::Mul(x, SixthF(hn::Add(x, three)));
    // Beyond +-3 the result is max(x, +0): x, or +0 for x <= -3.
    return hn::IfThenElse(hn::Ge(hn::Abs(x), three), hn::Max(x, hn::Zero(DF())), inner);
  }
  template <class Exp>
  VF GradF(VF x) const {
    const VF zero = hn::Zero(DF());
    const VF inner = SixthF(hn::MulAdd(ConstantF(2.0f), x, ConstantF(3.0f)));
    return hn::IfThenElse(hn::Lt(x, ConstantF(-3.0f)), zero,
                          hn::IfThenElse(hn::Le(x, ConstantF(3.0f)), inner, ConstantF(1.0f)));
  }
  // Multiplying by 1/6 (one more rounding than dividing) keeps the kernel at memory speed.
  V Value(V x) const {
    const V inner = hn::Mul(hn::Mul(x, hn::Add(x, Constant(3.0))), Constant(1.0 / 6));
    return Select(hn::Le(x, Constant(-3.0)), Zero(), Select(hn::Ge(x, Constant(3.0)), x, inner));
  }
  V Grad(V x) const {
    const V inner = hn::Mul(hn::Add(hn::Add(x, x), Constant(3.0)), Constant(1.0 / 6));
    return Select(hn::Lt(x, Constant(-3.0)), Zero(),
                  Select(hn::Le(x, Constant(3.0)), inner, One()));
  }
};

// +-0 with the sign of x: the shrinks' result within the band.
HWY_INLINE VF SignedZeroF(VF x) { return hn::And(x, hn::SignBit(DF())); }

// In float lanes where lambda is a float: x - lambda (or x + lambda) of two floats is then
// correctly rounded in float, as the double lanes' exact difference rounded once is. Within the
// band (|x| <= lambda) the zero of x's sign; NaN fails that comparison and gives NaN -+ lambda.
struct Softshrink {
  static constexpr Hooks kHooks = kFloat | kFloatGrad | kHandlesSpecials | kZerosExact;
  V lambda;
  float lambda_f;
  explicit Softshrink(Named<params::kShrinkLambda> p)
      : lambda(Constant(p["lambd"])),
        lambda_f(p["lambd"] <= std::numeric_limits<float>::max() ? static_cast<float>(p["lambd"])
                                                                 : 0.0f) {}
  bool FloatNative() const { return double{lambda_f} == hn::GetLane(lambda); }
  static constexpr bool kValueHandlesSpecialsF = true;
  bool ZerosExactF() const { return true; }
  template <class Exp>
  VF ValueF(VF x) const {
    const VF l = ConstantF(lambda_f);
    const VF outside = hn::IfThenElse(hn::Gt(x, l), hn::Sub(x, l), hn::Add(x, l));
    return hn::IfThenElse(hn::Le(hn::Abs(x), l), SignedZeroF(x), outside);
  }
  template <class Exp>
  VF GradF(VF x) const {
    return hn::IfThenElseZero(hn::Gt(hn::Abs(x), ConstantF(lambda_f)), ConstantF(1.0f));
  }
  V Value(V x) const {  // zeros keep the sign of x
    return Select(hn::Gt(x, lambda), hn::Sub(x, lambda),
                  Select(hn::Lt(x, hn::Neg(lambda)), hn::Add(x, lambda), hn::CopySign(Zero(), x)));
  }
  V Grad(V x) const { return hn::IfThenElseZero(hn::Gt(hn::Abs(x), lambda), One()); }
  V GradFromOutput(V y) const { return hn::IfThenElseZero(hn::Ne(y, Zero()), One()); }
};

// In float lanes for any lambda, compared through FloatAtOrBelow: only comparisons, exact. NaN
// fails |x| <= lambda and passes through.
struct Hardshrink {
  static constexpr Hooks kHooks = kFloat | kFloatGrad | kHandlesSpecials | kZerosExact;
  V lambda;
  float lambda_f;
  explicit Hardshrink(Named<params::kShrinkLambda> p)
      : lambda(Constant(p["lambd"])), lambda_f(FloatAtOrBelow(p["lambd"])) {}
  bool FloatNative() const { return true; }
  static constexpr bool kValueHandlesSpecialsF = true;
  bool ZerosExactF() const { return true; }
  template <class Exp>
  VF ValueF(VF x) const {
    return hn::IfThenElse(hn::Le(hn::Abs(x), ConstantF(lambda_f)), SignedZeroF(x), x);
  }
  template <class Exp>
  VF GradF(VF x) const {
    return hn::IfThenElseZero(hn::Gt(hn::Abs(x), ConstantF(lambda_f)), ConstantF(1.0f));
  }
  V Value(V x) const { return Select(hn::Gt(hn::Abs(x), lambda), x, hn::CopySign(Zero(), x)); }
  V Grad(V x) const { return hn::IfThenElseZero(hn::Gt(hn::Abs(x), lambda), One()); }
  V GradFromOutput(V y) const { return hn::IfThenElseZero(hn::Ne(y, Zero()), One()); }
};

// In float lanes: |x| clears the sign bit (+0 at -0, as the reference; NaN stays NaN), and f' is
// +-1 with the sign of x where x != 0, +0 at either zero.
struct Absolute {
  static constexpr Hooks kHooks = kFloat | kFloatGrad | kHandlesSpecials;
  explicit Absolute(const Params&) {}
  bool FloatNative() const { return true; }
  static constexpr bool kValueHandlesSpecialsF = true;
  template <class Exp>
  VF ValueF(VF x) const {
    return hn::Abs(x);
  }
  template <class Exp>
  VF GradF(VF x) const {
    return hn::IfThenElseZero(hn::Ne(x, hn::Zero(DF())), hn::CopySign(ConstantF(1.0f), x));
  }
  V Value(V x) const { return hn::Abs(x); }
  V Grad(V x) const {
    return Select(Positive(x), One(), Select(hn::Lt(x, Zero()), Constant(-1.0), Zero()));
  }
};

// The piecewise polynomials below: in double lanes a float input's square, x + 1 and x/2 are
// exact, so a float result is rounded once; their float lanes round each result once from its
// exact value too (sparse_plus from x + 1 as a double-float), and pass NaN through with its sign.
struct SquaredRelu {
  // f' stays in double lanes: 2x overflows float from 2^127 on, where dy 2x need not.
  static constexpr Hooks kHooks = kFloat | kHandlesSpecials;
  explicit SquaredRelu(const Params&) {}
  bool FloatNative() const { return true; }
  static constexpr bool kValueHandlesSpecialsF = true;
  template <class Exp>
  VF ValueF(VF x) const {
    const VF r = hn::IfThenZeroElse(hn::Le(x, hn::Zero(DF())), x);
    return hn::Mul(r, r);
  }
  V Value(V x) const {
    const V r = hn::IfThenElseZero(Positive(x), x);
    return hn::Mul(r, r);
  }
  V Grad(V x) const { return hn::IfThenElseZero(Positive(x), hn::Add(x, x)); }
  V GradFromOutput(V y) const {
    const V root = hn::Sqrt(y);
    return hn::IfThenElseZero(Positive(y), hn::Add(root, root));
  }
};

struct SparsePlus {
  static constexpr Hooks kHooks = kFloat | kFloatGrad | kHandlesSpecials;
  explicit SparsePlus(const Params&) {}
  bool FloatNative() const { return true; }
  static constexpr bool kValueHandlesSpecialsF = true;
  // (t + t_low)^2/4, t + t_low = x + 1 (Fast2Sum: |x| < 1 where it counts), the square's low
  // term inside the fma.
  template <class Exp>
  VF ValueF(VF x) const {
    const VF one = ConstantF(1.0f);
    const VF t = hn::Add(x, one);
    const VF t_low = hn::Add(hn::Sub(one, t), x);
    const VF inner = hn::Mul(hn::MulAdd(t, t, hn::Mul(hn::Add(t, t), t_low)), ConstantF(0.25f));
    return hn::IfThenZeroElse(hn::Le(x, hn::Neg(one)), hn::IfThenElse(hn::Ge(x, one), x, inner));
  }
  template <class Exp>
  VF GradF(VF x) const {
    return SparseSigmoidF(x);
  }
  static VF SparseSigmoidF(VF x) {
    const VF one = ConstantF(1.0f);
    const VF inner = hn::MulAdd(x, ConstantF(0.5f), ConstantF(0.5f));
    return hn::IfThenZeroElse(hn::Le(x, hn::Neg(one)), hn::IfThenElse(hn::Ge(x, one), one, inner));
  }
  V Value(V x) const {
    const V t = hn::Add(x, One());
    const V inner = hn::Mul(hn::Mul(t, t), Constant(0.25));
    return Select(hn::Le(x, Constant(-1.0)), Zero(), Select(hn::Ge(x, One()), x, inner));
  }
  // sparse_sigmoid's value: (x + 1)/2 by one fma, clamped.
  V Grad(V x) const {
    const V inner = hn::MulAdd(x, Constant(0.5), Constant(0.5));
    return Select(hn::Le(x, Constant(-1.0)), Zero(), Select(hn::Ge(x, One()), One(), inner));
  }
  V GradFromOutput(V y) const {
    return Select(hn::Ge(y, One()), One(), hn::IfThenElseZero(Positive(y), hn::Sqrt(y)));
  }
};

struct SparseSigmoid {
  static constexpr Hooks kHooks = kFloat | kFloatGrad | kHandlesSpecials;
  explicit SparseSigmoid(const Params&) {}
  bool FloatNative() const { return true; }
  static constexpr bool kValueHandlesSpecialsF = true;
  template <class Exp>
  VF ValueF(VF x) const {
    return SparsePlus::SparseSigmoidF(x);
  }
  template <class Exp>
  VF GradF(VF x) const {
    const VF inside = hn::IfThenElseZero(
        hn::And(hn::Gt(x, ConstantF(-1.0f)), hn::Lt(x, ConstantF(1.0f))), ConstantF(0.5f));
    return hn::IfThenElse(hn::IsNaN(x), x, inside);
  }
  V Value(V x) const {
    const V inner = hn::MulAdd(x, Constant(0.5), Constant(0.5));
    return Select(hn::Le(x, Constant(-1.0)), Zero(), Select(hn::Ge(x, One()), One(), inner));
  }
  V Grad(V x) const {
    return hn::IfThenElseZero(hn::And(hn::Gt(x, Constant(-1.0)), hn::Lt(x, One())), Constant(0.5));
  }
  V GradFromOutput(V y) const {
    return hn::IfThenElseZero(hn::And(Positive(y), hn::Lt(y, One())), Constant(0.5));
  }
};

struct Sqnl {
  static constexpr Hooks kHooks = kFloat | kFloatGrad | kHandlesSpecials;
  explicit Sqnl(const Params&) {}
  bool FloatNative() const { return true; }
  static constexpr bool kValueHandlesSpecialsF = true;
  // |x| would clear a NaN's sign, so NaN is passed through explicitly.
  template <class Exp>
  VF ValueF(VF x) const {
    const VF inner = hn::MulAdd(hn::Mul(ConstantF(-0.25f), x), hn::Abs(x), x);
    const VF value =
        hn::IfThenElse(hn::Gt(x, ConstantF(2.0f)), ConstantF(1.0f),
                       hn::IfThenElse(hn::Lt(x, ConstantF(-2.0f)), ConstantF(-1.0f), inner));
    return hn::IfThenElse(hn::IsNaN(x), x, value);
  }
  template <class Exp>
  VF GradF(VF x) const {
    const VF a = hn::Abs(x);
    const VF inside = hn::IfThenZeroElse(hn::Gt(a, ConstantF(2.0f)),
                                         hn::NegMulAdd(a, ConstantF(0.5f), ConstantF(1.0f)));
    return hn::IfThenElse(hn::IsNaN(x), x, inside);
  }
  // x - x|x|/4 by one fma (the loop restores the sign of a zero).
  V Value(V x) const {
    const V inner = hn::MulAdd(hn::Mul(Constant(-0.25), x), hn::Abs(x), x);
    return Select(hn::Gt(x, Constant(2.0)), One(),
                  Select(hn::Lt(x, Constant(-2.0)), Constant(-1.0), inner));
  }
  V Grad(V x) const {
    const V a = hn::Abs(x);
    return hn::IfThenElseZero(hn::Le(a, Constant(2.0)), hn::NegMulAdd(a, Constant(0.5), One()));
  }
};

SIGMA_DEFINE_FAMILY_RUN(Piecewise, SIGMA_PIECEWISE_ACTIVATIONS)

}  // namespace sigma::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace sigma::kernels {
SIGMA_EXPORT_FAMILY_RUN(Piecewise)
}  // namespace sigma::kernels
#endif  // HWY_ONCE
