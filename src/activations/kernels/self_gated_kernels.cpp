// The self-gated family x g(x): silu and swish (x sigmoid(beta x)) and mish (x tanh(softplus x)),
// in float lanes with their derivatives' roots kept exact, on AVX-512 from tables for |x| < 8.
// The loop, the dispatch and the contract every kernel here meets are in loop-inl.h.

#include <cmath>
#include <type_traits>

#include "activations/kernels/derivative_roots.hpp"
#include "activations/kernels/kernels.hpp"

// clang-format off
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "activations/kernels/self_gated_kernels.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "activations/kernels/logistic-inl.h"
#include "activations/kernels/loop-inl.h"
// clang-format on

HWY_BEFORE_NAMESPACE();
namespace sigma::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

struct Swish {
  static constexpr Hooks kHooks = kScalar | kScalarDouble | kFloat | kFloatGrad | kFastRange;
  V beta;
  bool unit;
  explicit Swish(Named<params::kSwishBeta> p) : beta(Constant(p["beta"])), unit(p["beta"] == 1) {}
  // silu in float lanes: x/(1+e) or x e/(1+e) with x e and 1 + e exact double-floats. (Other
  // betas would round beta x, whose error e^(beta x) amplifies in the tail.) One formula for
  // every |x| <= 87, as sigmoid's: tables for |x| < 8 only added their cost to it in the vectors
  // with a lane beyond (docs/performance.md).
  bool FloatNative() const { return unit; }
  // Below -120 silu is -0 in float; the clamp keeps x m from overflowing near -FLT_MAX.
  MF FastRangeF(VF x) const { return hn::Le(hn::Abs(x), ConstantF(87.0f)); }
  template <class Exp>
  VF ValueF(VF x) const {
    return ScaledLogisticF<Exp>(x, hn::Max(x, ConstantF(-120.0f)));
  }
  // silu' = sigma(x) (1 + x sigma(-x)); near its root, RootPolynomialF.
  template <class Exp>
  VF GradF(VF x) const {
    static constexpr RootPolynomialF<10> kRoot = {-0x1.474974p+0f,
                                                  0x1.bdf6fap-27f,
                                                  -2.02f,
                                                  -0.68f,
                                                  {
#include "tables/silu_grad_root.inc"
                                                  }};
    const VF general = GatedSlopeF<Exp, false>(x, hn::Zero(DF()), hn::Max(x, ConstantF(-120.0f)));
    return hn::IfThenElse(kRoot.Within(x), kRoot(x), general);
  }
  V Value(V x) const { return hn::Mul(x, Logistic(D(), hn::Mul(beta, x))); }
  // s (1 + t (1 - s)), t = beta x, with 1 - s = sigma(-t) evaluated directly. Its terms cancel
  // near the root r of 1 + r + e^r = 0, so within 1 of it f' is sigma(t) sigma(-t) h with
  // h = 1 + t + e^t = d + e^r expm1(d), d = t - r: both terms have the sign of d, and d keeps its
  // relative accuracy with t's rounding error (fma) and r in three parts.
  V Grad(V x) const {
    const V t = hn::Mul(beta, x);
    const LogisticParts logistic(D(), t);
    const V general = hn::Mul(logistic.at_x, hn::MulAdd(t, logistic.at_minus_x, One()));
    const V d_high = hn::Sub(t, Constant(roots::kSiluGrad.hi));
    const M near_root = hn::Lt(hn::Abs(d_high), One());
    if (hn::AllFalse(D(), near_root)) return general;
    // t_low - r.lo (up to two half-ulps of t) may cancel d_high, so its rounding error is kept.
    const V t_low = hn::MulSub(beta, x, t);
    const V r_low = Constant(-roots::kSiluGrad.lo);
    V low_error;
    const V low = TwoSum(t_low, r_low, &low_error);
    const V d = hn::Add(hn::Add(d_high, low), hn::Sub(low_error, Constant(roots::kSiluGrad.lo2)));
    constexpr double kExpRoot = -(1 + roots::kSiluGrad.hi) - roots::kSiluGrad.lo;  // e^r
    const V h = hn::MulAdd(Constant(kExpRoot), hn::Expm1(D(), d), d);
    return Select(near_root, hn::Mul(logistic.Product(), h), general);
  }
  M Scalar(V x) const { return hn::Gt(hn::Abs(hn::Mul(beta, x)), Constant(700.0)); }
  // e^(bx) amplifies the rounding of beta x (beta != 1) in the negative tail, and is subnormal
  // below -708 while x e^(bx) is not.
  M ScalarDouble(V x) const {
    const V bx = hn::Mul(beta, x);
    return hn::Lt(bx, Select(hn::Eq(beta, One()), Constant(-700.0), Constant(-4.0)));
  }
};

struct Silu : Swish {
  explicit Silu(const Params&) : Swish(params::Defaults<params::kSwishBeta>()) {}  // beta = 1
};

// tanh(softplus x) = n/(n+2) with n = e^x (e^x + 2), and 1 - tanh(softplus x) = 2/(n+2).
struct Mish {
  static constexpr Hooks kHooks = kScalarDouble | kFloat | kFloatGrad | kFastRange |
                                  ((kTable | kTableGrad | kTail | kTailGrad) & kOnAvx3);
  double exp_root_ = std::exp(roots::kMishGrad.hi);  // e^r, for Grad near the root
  explicit Mish(const Params&) {}
  bool FloatNative() const { return true; }
  // x n/(n + 2) with n = e (e + 2), e = e^x = 2^k (m + m_low): n and x n are formed unscaled as
  // double-floats (so e^x being subnormal costs nothing) and the quotient is scaled by 2^k last.
  // Past x = 9, 1 - t < 2^-25 and mish(x) rounds to x.
  MF FastRangeF(VF x) const { return InRangeF(x, -87.0f, 3e38f); }
#if HWY_TARGET <= HWY_AVX3
  // Where every lane has |x| < 8: x g(x), g = tanh(softplus(x)) from a SignedTablePolynomialF
  // of degree 6 (fit within 2^-27.9), as x c0 + x low rounded once.
  MF TableRangeF(VF x) const { return WithinTablesF(x); }
  VF TableValueF(VF x) const {
    static constexpr float kTable[8][32] = {
#include "tables/mish_table.inc"
    };
    VF low;
    const VF c0 = SignedTablePolynomialF(kTable, x, &low);
    return hn::MulAdd(x, c0, hn::Mul(x, low));
  }
  // mish' there: (x - x0) P(x), P = mish'/(x - x0) from the same intervals (degree 7, fit within
  // 2^-29.1), x0 the root -1.1924, so that the relative error holds at and near the root.
  VF TableGradF(VF x) const {
    static constexpr float kTable[9][32] = {
#include "tables/mish_grad_table.inc"
    };
    return TableTimesFromRootF(kTable, -0x1.31432cp+0f, -0x1.a25b08p-29f, x);
  }
  // Beyond the table (logistic-inl.h's tails): for x > 0, x (1 - q) with q = 1 - tanh(softplus x)
  // = 2e^2 / (1 + 2e + 2e^2) = 2e^2 (1 - 2e) to e^2 of q; for x < 0, tanh(softplus x) =
  // e (1 + e/2) / (1 + e + e^2/2) = e (1 - e/2 + e^3/4 ...), so x 2^k (m + m_low - m e/2).
  // q = 1 - tanh(softplus x) = 2e^2 (1 - 2e) for x >= 8, e = e^-x. e^2 would underflow (and cost
  // an assist) beyond x = 43, where q is far below an ulp of 1, so e is held at 2^-30 or above.
  static VF GapTailF(VF e) {
    const VF eq = hn::Max(e, ConstantF(0x1p-30f));
    return hn::Mul(hn::Mul(hn::Add(eq, eq), eq),
                   hn::NegMulAdd(ConstantF(2.0f), eq, ConstantF(1.0f)));
  }
  // The fast range, up to 3e38, where 1 - q rounds to 1.
  MF TailRangeF(VF x) const { return FastRangeF(x); }
  VF TailValueF(VF x) const {
    VF e;
    const auto s = TailSplitF(x, &e);
    const VF q = GapTailF(e);
    const VF positive = hn::NegMulAdd(x, q, x);
    const VF c = TailSeriesLowF(s, e, 0.5f, 0.0f);
    const VF negative = s.Scale(hn::MulAdd(x, s.m, hn::Mul(x, c)));
    return hn::IfThenElse(hn::Lt(x, hn::Zero(DF())), negative, positive);
  }
  // mish' = 1 - q + x q (2 - q) sigma(x) = 1 + q (2x (1 - e) - 1) to x q^2 for x > 0 (x clamped
  // at 40, beyond which it rounds to 1); for x < 0, tanh(softplus x) + x sigma(x) sech^2(softplus
  // x) = e ((1 + x) - e (x + 1/2)) to x e^3, with 1 + x and x + 1/2 exact.
  VF TailGradF(VF x) const {
    VF e;
    const auto s = TailSplitF(x, &e);
    const VF one = ConstantF(1.0f);
    const VF q = GapTailF(e);
    const VF xp = hn::Min(x, ConstantF(40.0f));
    const VF positive = hn::MulAdd(q, hn::MulSub(hn::Add(xp, xp), hn::Sub(one, e), one), one);
    const VF g = hn::NegMulAdd(e, hn::Add(x, ConstantF(0.5f)), hn::Add(one, x));
    const VF negative = s.Scale(hn::MulAdd(s.m, g, hn::Mul(s.m_low, g)));
    return hn::IfThenElse(hn::Lt(x, hn::Zero(DF())), negative, positive);
  }
#endif
  template <class Exp>
  VF ValueF(VF x) const {
    const DF df;
    const VF two = ConstantF(2.0f);
    const VF xc = hn::Min(hn::Max(x, ConstantF(-120.0f)), ConstantF(9.0f));
    const auto s = Exp::Split(df, xc);
    const VF e = s.Scale(s.m);
    VF a_low;
    const VF a = PowerOfTwoPlusF(2.0f, e, &a_low);  // e + 2, e <= e^9
    a_low = s.ScaleAdd(s.m_low, a_low);
    const VF u = hn::Mul(s.m, a);  // n / 2^k
    const VF u_low = hn::Add(hn::MulSub(s.m, a, u), hn::MulAdd(s.m, a_low, hn::Mul(s.m_low, a)));
    const VF n = s.Scale(u);
    VF d_low;
    const VF d = SumOfNonNegativeF(n, two, &d_low);  // n + 2
    d_low = s.ScaleAdd(u_low, d_low);
    const VF p = hn::Mul(xc, u);
    const VF p_low = hn::MulAdd(xc, u_low, hn::MulSub(xc, u, p));
    const VF q = s.Scale(DivideF(p, p_low, d, d_low));
    return hn::IfThenElse(hn::Gt(x, ConstantF(9.0f)), x, q);
  }
  // mish' = t + x sech^2(softplus x) sigma(x) over one denominator: e N / (n + 2)^2 with
  // N = 4 (1 + x) + e (6 + 4x + e (4 + e)), whose first two terms are exact where N cancels
  // (RootPolynomialF near its root). n + 2 is a double-float and squared as one; e N is formed
  // from m and scaled last, as in ValueF. Past x = 15, mish' rounds to 1.
  template <class Exp>
  VF GradF(VF x) const {
    static constexpr RootPolynomialF<11> kRoot = {-0x1.31432cp+0f,
                                                  -0x1.a25b08p-29f,
                                                  -1.94f,
                                                  -0.6f,
                                                  {
#include "tables/mish_grad_root.inc"
                                                  }};
    const DF df;
    const VF two = ConstantF(2.0f), four = ConstantF(4.0f);
    const VF xc = hn::Min(hn::Max(x, ConstantF(-120.0f)), ConstantF(15.0f));
    const auto s = Exp::Split(df, xc);
    const VF e = s.Scale(s.m);
    VF a_low, b_low, square, square_low;
    const VF a = PowerOfTwoPlusF(2.0f, e, &a_low);  // e + 2, e <= e^15
    const VF n = hn::Mul(e, a);
    const VF n_low = hn::MulAdd(e, a_low, hn::MulAdd(s.Scale(s.m_low), a, hn::MulSub(e, a, n)));
    const VF b = SumOfNonNegativeF(n, two, &b_low);  // n + 2
    SquareF(b, hn::Add(b_low, n_low), &square, &square_low);
    const VF inner = hn::MulAdd(e, hn::Add(e, four), hn::MulAdd(four, xc, ConstantF(6.0f)));
    const VF numerator = hn::MulAdd(e, inner, hn::Mul(four, hn::Add(xc, ConstantF(1.0f))));
    const VF num = hn::Mul(s.m, numerator);
    const VF num_low = hn::MulAdd(s.m_low, numerator, hn::MulSub(s.m, numerator, num));
    const VF general = s.Scale(DivideF(num, num_low, square, square_low));
    return hn::IfThenElse(kRoot.Within(x), kRoot(x),
                          hn::IfThenElse(hn::Gt(x, ConstantF(15.0f)), ConstantF(1.0f), general));
  }
  // Beyond x = 30, 1 - t = 2e^-2x is far below half an ulp of 1, so t = 1 there.
  static void Gate(V x, V* t, V* one_minus_t) {
    const V e = hn::Exp(D(), hn::Min(x, Constant(30.0)));
    const V n = hn::Mul(e, hn::Add(e, Constant(2.0)));
    *one_minus_t = hn::Div(Constant(2.0), hn::Add(n, Constant(2.0)));
    *t = Select(hn::Gt(x, Constant(30.0)), One(), hn::Div(n, hn::Add(n, Constant(2.0))));
    *one_minus_t = hn::IfThenZeroElse(hn::Gt(x, Constant(30.0)), *one_minus_t);
  }
  V Value(V x) const {
    V t, one_minus_t;
    Gate(x, &t, &one_minus_t);
    return hn::Mul(x, t);
  }
  // t + x (1 - t)(1 + t) sigma(x), whose terms cancel near the root r = -1.1924 (7 ulp off as far
  // as x = -2.1). For r - 1.8 < x < r + 0.75, f' is e N / (n + 2)^2 as in GradF, with N(x) = N(x) -
  // N(r) written in d = x - r (r in three parts) and m = expm1(d), e = E (1 + m), E = e^r: N = d (4
  // + 4E) + m E (6 + 4x + 4E (2 + m) + E^2 (3 + 3m + m^2)), whose two terms share the sign of d
  // there.
  V Grad(V x) const {
    V t, one_minus_t;
    Gate(x, &t, &one_minus_t);
    const V slope = hn::Mul(hn::Mul(one_minus_t, hn::Add(One(), t)), Logistic(D(), x));
    const V general = hn::MulAdd(x, slope, t);
    const V d_high = hn::Sub(x, Constant(roots::kMishGrad.hi));
    const M near_root = hn::And(hn::Gt(d_high, Constant(-1.8)), hn::Lt(d_high, Constant(0.75)));
    if (hn::AllFalse(D(), near_root)) return general;
    const V d =
        hn::Sub(hn::Sub(d_high, Constant(roots::kMishGrad.lo)), Constant(roots::kMishGrad.lo2));
    const V m = hn::Expm1(D(), d);
    const V exp_root = Constant(exp_root_);
    const V e = hn::MulAdd(exp_root, m, exp_root);
    const V cubic = hn::MulAdd(m, hn::Add(m, Constant(3.0)), Constant(3.0));
    const V inner = hn::MulAdd(exp_root, cubic, hn::Mul(Constant(4.0), hn::Add(m, Constant(2.0))));
    const V c = hn::MulAdd(exp_root, inner, hn::MulAdd(Constant(4.0), x, Constant(6.0)));
    const V numerator =
        hn::MulAdd(d, Constant(4 + 4 * exp_root_), hn::Mul(hn::Mul(m, exp_root), c));
    const V n_plus_2 = hn::MulAdd(e, hn::Add(e, Constant(2.0)), Constant(2.0));
    const V near = hn::Div(hn::Mul(e, numerator), hn::Mul(n_plus_2, n_plus_2));
    return Select(near_root, near, general);
  }
  // Below -700 e^x is subnormal while x e^x is not.
  M ScalarDouble(V x) const { return hn::Lt(x, Constant(-700.0)); }
};

SIGMA_DEFINE_FAMILY_RUN(SelfGated, SIGMA_SELF_GATED_ACTIVATIONS)

}  // namespace sigma::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace sigma::kernels {
SIGMA_EXPORT_FAMILY_RUN(SelfGated)
}  // namespace sigma::kernels
#endif  // HWY_ONCE
