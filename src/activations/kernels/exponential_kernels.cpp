// The exponential family: elu, selu and celu (float lanes from one expm1), exponential and
// loglog.
// The loop, the dispatch and the contract every kernel here meets are in loop-inl.h.

#include <cmath>
#include <type_traits>

#include "activations/kernels/kernels.hpp"

// clang-format off
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "activations/kernels/exponential_kernels.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "activations/kernels/logistic-inl.h"
#include "activations/kernels/loop-inl.h"
// clang-format on

HWY_BEFORE_NAMESPACE();
namespace sigma::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// The ELU family in float lanes: positive x (pos) or negative (e^x - 1, rounded once) times
// constants split into float pairs, so that elu, selu and celu (alpha = 1) stay within ~1.5 ulp.
struct EluFamilyF {
  static constexpr Hooks kHooks = kFloat | kFloatGrad | kFastRange | kHandlesSpecials | kZerosExact;
  SplitConstant pos, neg;
  bool unit;  // both scales 1 (elu and celu with alpha = 1): no products
  EluFamilyF(double positive_scale, double negative_scale)
      : pos(positive_scale),
        neg(negative_scale),
        unit(positive_scale == 1 && negative_scale == 1) {}
  // f' where e^x is normal.
  MF FastRangeF(VF x) const { return InRangeF(x, -87.0f, 3e38f); }
  // f at every input: e^x - 1 is clamped at -40, where it rounds to -1, so -inf gives the limit;
  // the positive scale multiplies by TimesAny, so +inf gives +inf; NaN, which Min would drop, is
  // passed through.
  static constexpr bool kValueHandlesSpecialsF = true;
  // With unit scales f(+-0) = x itself (the linear branch takes x >= 0), the reference's zeros.
  bool ZerosExactF() const { return unit; }
  template <class Exp>
  VF ValueF(VF x) const {
    const DF df;
    const auto positive = hn::Ge(x, hn::Zero(df));
    const VF negative = Expm1NonPositiveF<Exp>(df, hn::Min(x, hn::Zero(df)));
    const VF value = unit ? hn::IfThenElse(positive, x, negative)
                          : hn::IfThenElse(positive, pos.TimesAny(x), neg.Times(negative));
    return hn::IfThenElse(hn::IsNaN(x), x, value);
  }
  template <class Exp>
  VF GradF(VF x) const {
    const DF df;
    const auto positive = hn::Gt(x, hn::Zero(df));
    const VF negative = ExpF<Exp>(df, hn::Min(x, hn::Zero(df)));
    if (unit) return hn::IfThenElse(positive, ConstantF(1.0f), negative);
    return hn::IfThenElse(positive, hn::Add(pos.hi, pos.lo), neg.Times(negative));
  }
};

struct Elu : EluFamilyF {
  V alpha;
  explicit Elu(Named<params::kEluAlpha> p)
      : EluFamilyF(1, p["alpha"]), alpha(Constant(p["alpha"])) {}
  bool FloatNative() const { return true; }
  V Value(V x) const { return Select(Positive(x), x, hn::Mul(alpha, hn::Expm1(D(), x))); }
  V Grad(V x) const { return Select(Positive(x), One(), hn::Mul(alpha, hn::Exp(D(), x))); }
  V GradFromOutput(V y) const { return Select(Positive(y), One(), hn::Add(y, alpha)); }
};

struct Selu : EluFamilyF {
  static constexpr double kLambda = constants::kSeluLambda;
  static constexpr double kLambdaAlpha = constants::kSeluLambdaAlpha;
  explicit Selu(const Params&) : EluFamilyF(kLambda, kLambdaAlpha) {}
  bool FloatNative() const { return true; }
  V Value(V x) const {
    return Select(Positive(x), hn::Mul(Constant(kLambda), x),
                  hn::Mul(Constant(kLambdaAlpha), hn::Expm1(D(), x)));
  }
  V Grad(V x) const {
    return Select(Positive(x), Constant(kLambda), hn::Mul(Constant(kLambdaAlpha), hn::Exp(D(), x)));
  }
  // y + lambda alpha with lambda alpha to 106 bits: near saturation, y = -lambda alpha, the sum
  // with the high part is exact (Sterbenz) and the low part is what remains.
  static constexpr double kLambdaAlphaLow = constants::kSeluLambdaAlphaLow;
  V GradFromOutput(V y) const {
    const V sum = hn::Add(hn::Add(y, Constant(kLambdaAlpha)), Constant(kLambdaAlphaLow));
    return Select(Positive(y), Constant(kLambda), sum);
  }
};

// In float lanes only for alpha = 1: x/alpha would be rounded, and e^(x/alpha) amplifies that.
struct Celu : EluFamilyF {
  static constexpr Hooks kHooks = EluFamilyF::kHooks | kScalar;
  V alpha, overflow_below;
  bool unit;
  explicit Celu(Named<params::kCeluAlpha> p)
      : EluFamilyF(1, 1),
        alpha(Constant(p["alpha"])),
        overflow_below(Constant(p["alpha"] < 0 ? 709 * p["alpha"] : -HUGE_VAL)),
        unit(p["alpha"] == 1) {}
  // For alpha < 0, e^(x/alpha) overflows past x/alpha = 709.78 while alpha (e^(x/alpha) - 1)
  // may not yet (|alpha| < 1): the reference takes those lanes (and the formulas below need not
  // mind an infinite e^q).
  M Scalar(V x) const { return hn::Lt(x, overflow_below); }
  bool FloatNative() const { return unit; }
  // x/alpha as q + q_low (q_low from the exact remainder x - q alpha; 0 where q overflowed), so
  // that e^(x/alpha) does not amplify the rounding of q |q| times: e^(q + q_low) = e^q (1 + q_low).
  V Quotient(V x, V* q_low) const {
    const V q = hn::Div(x, alpha);
    *q_low = hn::IfThenZeroElse(hn::IsInf(q), hn::Div(hn::NegMulAdd(q, alpha, x), alpha));
    return q;
  }
  V Value(V x) const {
    V q_low;
    const V q = Quotient(x, &q_low);
    const V expm1 = Expm1All(D(), q);
    // e^q = expm1 + 1 here: its absolute error 2^-53 costs e^q q_low 2^-53 |q_low|, nothing.
    const V sum = hn::MulAdd(hn::Add(expm1, One()), q_low, expm1);
    return Select(Positive(x), x, hn::Mul(alpha, sum));
  }
  V Grad(V x) const {
    V q_low;
    const V e = ExpAll(D(), Quotient(x, &q_low));
    return Select(Positive(x), One(), hn::MulAdd(e, q_low, e));
  }
  // (y + alpha)/alpha: y + alpha is exact near y = -alpha (Sterbenz), where y/alpha + 1 cancels.
  V GradFromOutput(V y) const {
    return Select(Positive(y), One(), hn::Div(hn::Add(y, alpha), alpha));
  }
};

struct Exponential {
  static constexpr Hooks kHooks = kFloat | kFloatGrad | kFastRange;
  explicit Exponential(const Params&) {}
  bool FloatNative() const { return true; }
  MF FastRangeF(VF x) const { return InRangeF(x, -87.0f, 88.0f); }
  template <class Exp>
  VF ValueF(VF x) const {  // inf past 88.7
    return ExpF<Exp>(DF(), hn::Min(x, ConstantF(120.0f)));
  }
  template <class Exp>
  VF GradF(VF x) const {
    return ValueF<Exp>(x);
  }
  V Value(V x) const { return ExpAll(D(), x); }
  V Grad(V x) const { return ExpAll(D(), x); }
  V GradFromOutput(V y) const { return y; }
};

// Float lanes where vscalefps scales the exponentials (elsewhere double lanes).
struct Loglog : EveryInputF {
  static constexpr Hooks kHooks =
      kScalarDouble | ((kFloat | kFloatGrad | kFastRange | kHandlesSpecials) & kOnAvx3);
  explicit Loglog(const Params&) {}
#if HWY_TARGET <= HWY_AVX3
  // e = e^x as (m + m_low) 2^n from e^-a's split at a = -x, x held to [-170, 3] (beyond 3 f
  // rounds to 1; below -104 e^x rounds to 0), scaled by vscalefps: rounded once also where it is
  // subnormal. -expm1(-(e + e_low)): below e = 1/4 by its series, e + (e_low + e^2 P(e)) with the
  // sum rounded once (P to e^5, truncated below 2^-29 of f); beyond from e^-e's split
  // (ExpNegSplitF::Expm1), where the result is at least 0.22. e's rounding would cost up to an ulp
  // where e is small. As its magnitude, since f > 0: where e underflows, a negative e_low would
  // make it -0.
  template <class Exp>
  VF ValueF(VF x) const {
    const ExpNegSplitF s(hn::Neg(hn::Min(hn::Max(x, ConstantF(-170.0f)), ConstantF(3.0f))));
    const VF e = s.Scaled(), e_low{_mm512_scalef_ps(s.MLow().raw, s.n.raw)};
    VF p = ConstantF(1.0f / 5040);
    for (const float c : {-1.0f / 720, 1.0f / 120, -1.0f / 24, 1.0f / 6, -0.5f}) {
      p = hn::MulAdd(p, e, ConstantF(c));
    }
    const VF series = hn::Add(e, hn::MulAdd(hn::Mul(e, e), p, e_low));
    const VF complement = hn::Neg(ExpNegSplitF(e).Expm1(e_low));
    const VF value = hn::IfThenElse(hn::Lt(e, ConstantF(0.25f)), series, complement);
    return hn::IfThenElse(hn::IsNaN(x), x, hn::Abs(value));
  }
  // f' = e e^-e, e = e^x: e^-e amplifies e's relative error e times (up to 116, where f'
  // underflows to 0), so e = (m + m_low) 2^k comes from its own split, the table's 2^(j/16) and
  // its error, r = x - (16k + j) ln2/16 a double-float (ln2 in three parts) and e^r to r^5: within
  // about 2^-40. e^-e from ExpNegSplitF at e rounded, times 1 - e's low part; the product
  // m e^-e's m and its corrections summed in one fma, scaled by 2^(k + k') once (a subnormal
  // result rounded twice, within an ulp). x held to [-170, 4.75]: beyond, f' rounds to +0.
  template <class Exp>
  VF GradF(VF x) const {
    // e^x's reduction and table from e^-a's split at a = -x; its short polynomial goes unused.
    const ExpNegSplitF split(hn::Neg(hn::Min(hn::Max(x, ConstantF(-170.0f)), ConstantF(4.75f))));
    const VF n = split.n, r = split.r, r_low = split.RLow();
    const VF power = split.power, power_error = split.power_error;
    VF p = ConstantF(1.0f / 120);
    for (const float c : {1.0f / 24, 1.0f / 6, 0.5f}) p = hn::MulAdd(p, r, ConstantF(c));
    // e^(r + r_low) 2^(j/16) = power (1 + r + q), q = r^2 P(r) + r_low + power_error (1 + r).
    const VF q =
        hn::MulAdd(hn::Mul(r, r), p, hn::Add(r_low, hn::MulAdd(power_error, r, power_error)));
    const VF m1 = hn::MulAdd(power, r, power);
    const VF m = hn::MulAdd(power, q, m1);  // rounded, so that e^-e is taken near e
    const VF m_low =
        hn::Add(hn::MulAdd(power, q, hn::Sub(m1, m)), hn::MulAdd(power, r, hn::Sub(power, m1)));
    const VF e{_mm512_scalef_ps(m.raw, n.raw)};
    const ExpNegSplitF gate(e);
    const VF e_low{_mm512_scalef_ps(m_low.raw, n.raw)};
    const VF product = hn::Mul(m, gate.m);
    const VF correction =
        hn::MulAdd(m_low, gate.m, hn::MulSub(m, gate.MLow(), hn::Mul(product, e_low)));
    const VF exponent = hn::Add(hn::Floor(n), hn::Floor(gate.n));
    const VF grad{_mm512_scalef_ps(hn::MulAdd(m, gate.m, correction).raw, exponent.raw)};
    return hn::IfThenElse(hn::IsNaN(x), x, grad);
  }
#endif
  // -expm1(-e^x) with Highway's Expm1 (its argument is never positive, so Expm1All's exponential
  // for arguments beyond 700 is not needed), the argument capped at -40: from e^x = 37.5 on the
  // result rounds to 1, and Expm1 is slow far below. As |expm1|, since f > 0: where e^x
  // underflows, expm1(-0) would make it -0. NaN lanes pass through in the loop.
  V Value(V x) const {
    return hn::Abs(hn::Expm1(D(), hn::Max(hn::Neg(ExpAll(D(), x)), Constant(-40.0))));
  }
  V Grad(V x) const {
    const V e = ExpAll(D(), x);
    return hn::IfThenZeroElse(hn::IsInf(e), hn::Mul(e, hn::Exp(D(), hn::Neg(e))));
  }
  // e^-(e^x) amplifies the rounding of e^x by e^x.
  M ScalarDouble(V x) const { return hn::Gt(x, One()); }
  V GradFromOutput(V y) const {
    const V one_minus = hn::Sub(One(), y);
    return hn::IfThenZeroElse(hn::Ge(y, One()),
                              hn::Neg(hn::Mul(one_minus, hn::Log1p(D(), hn::Neg(y)))));
  }
};

SIGMA_DEFINE_FAMILY_RUN(Exponential, SIGMA_EXPONENTIAL_ACTIVATIONS)

}  // namespace sigma::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace sigma::kernels {
SIGMA_EXPORT_FAMILY_RUN(Exponential)
}  // namespace sigma::kernels
#endif  // HWY_ONCE
