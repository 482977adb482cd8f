// The squashing family: sigmoid and tanh (float lanes; tanh on AVX-512 from a table for |x| < 8),
// symmetrical_sigmoid, lecun_tanh, softsign, arctan, isru, isrlu and tanhshrink.
// The loop, the dispatch and the contract every kernel here meets are in loop-inl.h.

#include <cmath>
#include <type_traits>

#include "activations/kernels/kernels.hpp"

// clang-format off
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "activations/kernels/sigmoid_tanh_kernels.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "activations/kernels/logistic-inl.h"
#include "activations/kernels/loop-inl.h"
// clang-format on

HWY_BEFORE_NAMESPACE();
namespace sigma::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

struct Sigmoid {
#if HWY_TARGET <= HWY_AVX3
  static constexpr Hooks kHooks =
      kFloat | kFloatGrad | kFastRange | kHandlesSpecials | kFloatFromOutput;
  static constexpr bool kValueHandlesSpecialsF = true;
#else
  static constexpr Hooks kHooks = kFloat | kFloatGrad | kFastRange | kFloatFromOutput;
#endif
  explicit Sigmoid(const Params&) {}
  V Value(V x) const { return Logistic(D(), x); }
  V Grad(V x) const { return LogisticGrad(D(), x); }
  V GradFromOutput(V y) const { return hn::Mul(y, hn::Sub(One(), y)); }
  VF GradFromOutputF(VF y) const { return hn::NegMulAdd(y, y, y); }  // y - y^2, rounded once

  // One formula, no tables: with inputs beyond the tables' |x| < 8 in most vectors of a layer's
  // pre-activations (N(0, 4) puts one in 95% of groups of 64), a table only added its cost to the
  // formula's (docs/performance.md). On AVX-512 f takes it at every input (LogisticAnyF).
  bool FloatNative() const { return true; }
  MF FastRangeF(VF x) const { return hn::Le(hn::Abs(x), ConstantF(87.0f)); }
  template <class Exp>
  VF ValueF(VF x) const {
#if HWY_TARGET <= HWY_AVX3
    static_assert(std::is_same_v<Exp, NormalRangeExp>, "every input takes the fast path");
    return LogisticAnyF(x);
#else
    return LogisticF<Exp>(x);
#endif
  }
  // In the fast path q - q^2 = q (1 - q) by one fma, q = sigma(-|x|): q's error counts at most
  // (1 - 2q)/(1 - q) <= 1 times, and nothing cancels (q^2 <= q/2). Elsewhere e/(1+e)^2, scaled
  // last, so that a subnormal f' keeps its bits.
  template <class Exp>
  VF GradF(VF x) const {
    if constexpr (std::is_same_v<Exp, NormalRangeExp>) {
#if HWY_TARGET <= HWY_AVX3
      const VF q = LogisticNegAbsF(x);
#else
      const VF q = LogisticF<Exp>(hn::Neg(hn::Abs(x)));
#endif
      return hn::NegMulAdd(q, q, q);
    } else {
      const DF df;
      const auto s = Exp::SplitNegated(df, hn::Abs(x));
      VF d, d_low, d2, d2_low;
      OnePlusF(df, s, &d, &d_low);
      SquareF(d, d_low, &d2, &d2_low);
      return s.Scale(DivideF(s.m, s.m_low, d2, d2_low));
    }
  }
};

struct Tanh {
  static constexpr Hooks kHooks =
      kFloat | kFloatGrad | kFastRange | kHandlesSpecials | kZerosExact | kFloatFromOutput;
  explicit Tanh(const Params&) {}
  V Value(V x) const { return hn::Tanh(D(), x); }
  V Grad(V x) const { return SechSquared(D(), x); }
  V GradFromOutput(V y) const { return hn::Mul(hn::Sub(One(), y), hn::Add(One(), y)); }
  VF GradFromOutputF(VF y) const { return hn::NegMulAdd(y, y, ConstantF(1.0f)); }  // 1 - y^2

  bool FloatNative() const { return true; }
  // f' where e^-2|x| is normal; on AVX-512 every input but NaN (ScaledLogisticSlopeF). f takes
  // the fast path at every input: it clamps |x| at 9.5, beyond which tanh rounds to 1, so
  // infinities give +-1, and NaN is passed through.
  MF FastRangeF(VF x) const {
#if HWY_TARGET <= HWY_AVX3
    return hn::Eq(x, x);
#else
    return hn::Le(hn::Abs(x), ConstantF(43.0f));  // as GradF's
#endif
  }
  static constexpr bool kValueHandlesSpecialsF = true;
  // tanh a, a = |x|, then x's sign, which makes f(+-0) = +-0 without the zero handling
  // (ZerosExactF).
  template <class Exp>
  VF ValueF(VF x) const {
    static_assert(std::is_same_v<Exp, NormalRangeExp>, "every input takes the fast path");
    const VF a = hn::Abs(x);
#if HWY_TARGET <= HWY_AVX3
    const VF value = PiecewiseF(hn::Min(a, ConstantF(9.5f)));
#else
    const VF value = ExpFormulaF(a);
#endif
    return OddFromAbsF(x, value);
  }
#if HWY_TARGET <= HWY_AVX3
  // Where one permute reads a table of 32 (AVX-512): tanh a for a in [0, 9.5] on 32 intervals,
  // [0, 2^-12) and then half binades (a's exponent and top mantissa bit pick the interval), as a
  // polynomial of degree 7 in h = a - the interval's midpoint (exact: both in one binade), from
  // scripts/fit_float_polynomials.py (fit within 2^-27.5, c0 rounded to float). No exponential
  // and no division: eight table lookups and seven multiply-adds on a short dependency chain.
  static VF PiecewiseF(VF a) {
    static constexpr float kTable[9][32] = {
#include "tables/tanh_table.inc"
    };
    const DF df;
    const hn::RebindToSigned<DF> di;
    const auto bits = hn::ShiftRight<22>(hn::BitCast(di, a));
    const auto lane = hn::Max(hn::Sub(bits, hn::Set(di, 229)), hn::Zero(di));
    const VF h = hn::Sub(a, Lookup32F(df, kTable[0], lane));
    VF p = Lookup32F(df, kTable[8], lane);
    for (int k = 7; k >= 1; --k) p = hn::MulAdd(p, h, Lookup32F(df, kTable[k], lane));
    return p;
  }
#endif
  // Elsewhere: a + a z P(z) for a < 0.55, z = a^2, P fitted by scripts/fit_float_polynomials.py
  // (tanh within 2^-28.4). Beyond: 1 - 2/(1 + E), E = e^2a rounded, 1 + E a double-float (q =
  // 2/(1 + E) <= 1/2, so 1 - q is rounded once, and E's and q's errors count fully only near
  // a = 0.55, at most a quarter beyond a = 1.1).
  static VF ExpFormulaF(VF a) {
    static constexpr float kP[] = {
#include "tables/tanh_near_zero.inc"
    };
    const DF df;
    const VF one = ConstantF(1.0f);
    const VF z = hn::Mul(a, a);
    VF poly = ConstantF(kP[5]);
    for (int k = 4; k >= 0; --k) poly = hn::MulAdd(poly, z, ConstantF(kP[k]));
    const VF series = hn::MulAdd(hn::Mul(a, z), poly, a);
    const auto s = ExpSplitFastF(df, hn::Mul(hn::Min(a, ConstantF(9.5f)), ConstantF(2.0f)));
    const VF e = s.Scale(s.m);
    const VF d = s.ScaleAdd(s.m, one);  // e + 1 (Fast2Sum, e >= 1), e = m 2^k exact
    const VF d_low = hn::Sub(one, hn::Sub(d, e));
    const VF saturating = hn::Sub(one, DivideF(ConstantF(2.0f), d, d_low));
    return hn::IfThenElse(hn::Lt(a, ConstantF(0.55f)), series, saturating);
  }
  bool ZerosExactF() const { return true; }
  template <class Exp>
  VF GradF(VF x) const {
#if HWY_TARGET <= HWY_AVX3
    if constexpr (std::is_same_v<Exp, NormalRangeExp>) {
      const VF a = hn::Abs(x);
      return ScaledLogisticSlopeF<2>(hn::Add(a, a));
    }
#endif
    return ScaledSechSquaredF<Exp>(x, 4.0f);
  }
  // scale e/(1+e)^2 with e = e^-2|x| (4 of it is sech^2 x), scaled by 2^k scale last, so that a
  // power-of-two scale adds no rounding.
  template <class Exp>
  static VF ScaledSechSquaredF(VF x, float scale) {
    const DF df;
    const auto s = SplitNegatedAsFastF<Exp>(df, hn::Mul(ConstantF(2.0f), hn::Abs(x)), 86.0f);
    VF d, d_low, d2, d2_low;
    OnePlusF(df, s, &d, &d_low);
    SquareF(d, d_low, &d2, &d2_low);
    return s.Scale(DivideF(s.m, s.m_low, d2, d2_low), ConstantF(scale));
  }
};

// 2 sigmoid(x) - 1 = tanh(x/2): in float lanes tanh's at x/2, which is exact but for subnormal x,
// where tanh(x/2) rounds to x/2 anyway; f' = 2 e/(1+e)^2 at x/2, the factor 1/2 folded into the
// power of two that scales it.
struct SymmetricalSigmoid : Tanh {
  explicit SymmetricalSigmoid(const Params& p) : Tanh(p) {}
  MF FastRangeF(VF x) const { return Tanh::FastRangeF(Half(x)); }
  template <class Exp>
  VF ValueF(VF x) const {
    return Tanh::ValueF<Exp>(Half(x));
  }
  template <class Exp>
  VF GradF(VF x) const {
#if HWY_TARGET <= HWY_AVX3
    if constexpr (std::is_same_v<Exp, NormalRangeExp>) return ScaledLogisticSlopeF<1>(hn::Abs(x));
#endif
    return ScaledSechSquaredF<Exp>(Half(x), 2.0f);
  }
  static VF Half(VF x) { return hn::Mul(x, ConstantF(0.5f)); }
  V Value(V x) const { return hn::Tanh(D(), hn::Mul(x, Constant(0.5))); }
  V Grad(V x) const { return hn::Mul(SechSquared(D(), hn::Mul(x, Constant(0.5))), Constant(0.5)); }
  V GradFromOutput(V y) const {
    return hn::Mul(hn::Mul(hn::Sub(One(), y), hn::Add(One(), y)), Constant(0.5));
  }
  // Halving 1 - y^2 >= 2^-24 is exact.
  VF GradFromOutputF(VF y) const { return hn::Mul(Tanh::GradFromOutputF(y), ConstantF(0.5f)); }
};

// Float lanes where one permute reads a table of 32 (elsewhere double lanes).
struct LecunTanh : EveryInputF {
  static constexpr Hooks kHooks =
      (kFloat | kFloatGrad | kFastRange | kHandlesSpecials | kZerosExact) & kOnAvx3;
  static constexpr double kScale = constants::kLecunScale;
  explicit LecunTanh(const Params&) {}
#if HWY_TARGET <= HWY_AVX3
  // 1.7159 tanh(2a/3), a = |x|, from its own table (scripts/fit_float_polynomials.py): tanh's at
  // the rounded 2a/3 would amplify that rounding, and the product with 1.7159 add another.
  // Clamped at 15, where it has rounded to 1.7159; x's sign last, so f(+-0) = +-0. Below the
  // table's lane 1 (a < 1.5 2^-12), c1 a (1 - (4/27) a^2) with c1 = 2 (1.7159)/3 as a pair of
  // floats: the table's c1, one float, cost up to 1.8 ulp there.
  template <class Exp>
  VF ValueF(VF x) const {
    static constexpr float kTable[10][32] = {
#include "tables/lecun_tanh_table.inc"
    };
    const VF a = hn::Min(hn::Abs(x), ConstantF(15.0f));
    VF low;
    const VF c0 = HalfBinadeTableF<230>(kTable, a, &low);
    VF value = hn::Add(c0, low);
    const MF tiny = hn::Lt(a, ConstantF(0x1.8p-12f));
    if (HWY_UNLIKELY(!hn::AllFalse(DF(), tiny))) {
      const SplitConstant c1(kScale * 2 / 3);
      const VF cubic =
          hn::MulAdd(ConstantF(static_cast<float>(-kScale * 8 / 81)), hn::Mul(a, a), c1.lo);
      value = hn::IfThenElse(tiny, hn::MulAdd(c1.hi, a, hn::Mul(a, cubic)), value);
    }
    return OddFromAbsF(x, value);
  }
  bool ZerosExactF() const { return true; }
  // f' = 1.7159 (2/3) sech^2(2x/3) = (2/3) 1.7159 4e/(1 + e)^2, e = e^-b, b = 4|x|/3 as a
  // double-float, whose low part scales e's split by 1 - b_low: e^-b amplifies b's rounding b
  // times.
  template <class Exp>
  VF GradF(VF x) const {
    const SplitConstant four_thirds(4.0 / 3);
    const VF a = hn::Min(ConstantF(200.0f), hn::Abs(x));  // passes NaN
    const VF b = hn::Mul(four_thirds.hi, a);
    const VF b_low = hn::MulAdd(four_thirds.lo, a, hn::MulSub(four_thirds.hi, a, b));
    ExpNegSplitF split(hn::Min(ConstantF(170.0f), b));
    split.m = hn::NegMulAdd(split.m, b_low, split.m);
    return hn::Mul(ScaledLogisticSlopeF<2>(split), ConstantF(static_cast<float>(kScale * 2 / 3)));
  }
#endif
  static V Inner(V x) { return hn::Div(hn::Add(x, x), Constant(3.0)); }
  V Value(V x) const { return hn::Mul(Constant(kScale), hn::Tanh(D(), Inner(x))); }
  // sech^2(t) = 4e/(1+e)^2, e = e^-2|t|, with t = 2x/3 carried with its remainder: e^(-4|x|/3)
  // would amplify the rounding of t by 4|x|/3.
  V Grad(V x) const {
    const V twice = hn::Add(x, x);
    const V t = hn::Div(twice, Constant(3.0));
    const V remainder = hn::IfThenZeroElse(hn::IsInf(t), hn::NegMulAdd(t, Constant(3.0), twice));
    const V t_low = hn::Div(remainder, Constant(3.0));
    const V e = ExpNegAbsOfSum(D(), hn::Add(t, t), hn::Add(t_low, t_low));
    const V one_plus = hn::Add(One(), e);
    const V sech_squared = hn::Div(hn::Mul(Constant(4.0), e), hn::Mul(one_plus, one_plus));
    return hn::Mul(Constant(kScale * 2 / 3), sech_squared);
  }
  V GradFromOutput(V y) const {
    return hn::Mul(Constant(2 / (3 * kScale)),
                   hn::Mul(hn::Sub(Constant(kScale), y), hn::Add(Constant(kScale), y)));
  }
};

struct Softsign {
  static constexpr Hooks kHooks = kFloat | kFloatGrad;
  explicit Softsign(const Params&) {}
  bool FloatNative() const { return true; }
  // x/(1+|x|) with 1 + |x| as an exact double-float (TwoSum).
  static VF Reciprocal(VF x, VF n) {
    const VF a = hn::Abs(x), one = ConstantF(1.0f);
    const VF d = hn::Add(one, a);
    const VF a_part = hn::Sub(d, one);
    const VF d_low = hn::Add(hn::Sub(one, hn::Sub(d, a_part)), hn::Sub(a, a_part));
    return DivideF</*kWideDivisor=*/true>(n, hn::Zero(DF()), d, d_low);
  }
  template <class Exp>
  VF ValueF(VF x) const {
    return Reciprocal(x, x);
  }
  template <class Exp>
  VF GradF(VF x) const {  // (1/(1+|x|))^2: the square cannot overflow to a false 0
    const VF r = Reciprocal(x, ConstantF(1.0f));
    return hn::Mul(r, r);
  }
  V Value(V x) const { return hn::Div(x, hn::Add(One(), hn::Abs(x))); }
  V Grad(V x) const {
    const V r = hn::Div(One(), hn::Add(One(), hn::Abs(x)));
    return hn::Mul(r, r);
  }
  V GradFromOutput(V y) const {
    const V r = hn::Sub(One(), hn::Abs(y));
    return hn::Mul(r, r);
  }
};

// Float lanes where one permute reads a table of 32 (elsewhere double lanes).
struct Arctan : EveryInputF {
  static constexpr Hooks kHooks =
      (kFloat | kFloatGrad | kFastRange | kHandlesSpecials | kZerosExact) & kOnAvx3;
  explicit Arctan(const Params&) {}
#if HWY_TARGET <= HWY_AVX3
  // atan a, a = |x|: atan r from a table (scripts/fit_float_polynomials.py) at r = a up to 1,
  // beyond at r = 1/a as r + r_low (the reciprocal refined once, its remainder kept), with
  // atan a = pi/2 - atan r - r_low/(1 + r^2). a is held at 2^64, where atan rounds to pi/2, so
  // that +-inf give +-pi/2. x's sign last, so f(+-0) = +-0.
  template <class Exp>
  VF ValueF(VF x) const {
    static constexpr float kTable[10][32] = {
#include "tables/arctan_table.inc"
    };
    const VF one = ConstantF(1.0f);
    const VF a = hn::Min(ConstantF(0x1p64f), hn::Abs(x));  // passes NaN
    const MF beyond_one = hn::Gt(a, one);
    const VF estimate = hn::ApproximateReciprocal(a);
    const VF inverse = hn::MulAdd(estimate, hn::NegMulAdd(a, estimate, one), estimate);
    const VF r = hn::IfThenElse(beyond_one, inverse, a);
    VF low;
    const VF c0 = HalfBinadeTableF<223>(kTable, r, &low);
    // pi/2 - c0 with its rounding error (Fast2Sum: c0 <= pi/4), and the reciprocal's remainder
    // 1 - r a over a, times atan' = 1/(1 + r^2).
    const SplitConstant half_pi(1.5707963267948966);
    const VF difference = hn::Sub(half_pi.hi, c0);
    const VF error = hn::Sub(hn::Sub(half_pi.hi, difference), c0);
    const VF r_low = hn::Mul(hn::NegMulAdd(r, a, one), r);
    const VF slope = hn::ApproximateReciprocal(hn::MulAdd(r, r, one));
    const VF tail = hn::MulAdd(r_low, slope, low);
    const VF complement = hn::Add(difference, hn::Sub(hn::Add(half_pi.lo, error), tail));
    const VF value = hn::IfThenElse(beyond_one, complement, hn::Add(c0, low));
    return OddFromAbsF(x, value);
  }
  bool ZerosExactF() const { return true; }
  // f' = 1/(1 + x^2) with x^2 and 1 + x^2 as double-floats, the quotient corrected once; from
  // |x| = 2^63 on, where x^2 nears overflow and 1 + x^2 = x^2, (1/x)^2 (subnormal from 2^63).
  template <class Exp>
  VF GradF(VF x) const {
    const VF one = ConstantF(1.0f);
    const VF x2 = hn::Mul(x, x);
    VF d_low;
    const VF d = SumOfNonNegativeF(one, x2, &d_low);
    const VF near = DivideF(one, d, hn::Add(d_low, hn::MulSub(x, x, x2)));
    const MF far = hn::Ge(hn::Abs(x), ConstantF(0x1p63f));
    if (HWY_LIKELY(hn::AllFalse(DF(), far))) return near;
    const VF inverse = hn::Div(one, x);
    return hn::IfThenElse(far, hn::Mul(inverse, inverse), near);
  }
#endif
  V Value(V x) const { return hn::Atan(D(), x); }
  V Grad(V x) const {  // for |x| > 1 in terms of 1/x, so x^2 cannot overflow
    const V r = hn::Div(One(), x);
    const V r2 = hn::Mul(r, r);
    return Select(hn::Le(hn::Abs(x), One()), hn::Div(One(), hn::MulAdd(x, x, One())),
                  hn::Div(r2, hn::Add(One(), r2)));
  }
  V GradFromOutput(V y) const {
    const V c = hn::Cos(D(), y);
    return hn::Mul(c, c);
  }
};

struct Isru {
  static constexpr Hooks kHooks = kScalar | kFloat | kFloatGrad | kHandlesSpecials;
  V alpha;
  bool unit;
  explicit Isru(Named<params::kIsruAlpha> p) : Isru(p["alpha"]) {}
  explicit Isru(double saturation) : alpha(Constant(saturation)), unit(saturation == 1) {}
  // Float lanes for alpha = 1, where 1 + x^2 is one fma: x / sqrt(1 + x^2) within 1.25 ulp by
  // the rounding bound, and beyond |x| = 2^32 (x^2 would overflow) the limit +-1, which x
  // reaches to 2^-65. f' = r sqrt(r), r = 1/(1 + x^2): it underflows gradually, where
  // 1/(s sqrt(s)) would overflow to a false 0.
  bool FloatNative() const { return unit; }
  static constexpr bool kValueHandlesSpecialsF = true;  // +-inf give +-1, NaN stays NaN
  static MF BeyondSquareF(VF x) { return hn::Gt(hn::Abs(x), ConstantF(0x1p32f)); }
  template <class Exp>
  VF ValueF(VF x) const {
    const VF s = hn::MulAdd(x, x, ConstantF(1.0f));
    return hn::IfThenElse(BeyondSquareF(x), hn::CopySign(ConstantF(1.0f), x),
                          hn::Div(x, hn::Sqrt(s)));
  }
  template <class Exp>
  VF GradF(VF x) const {
    const VF r = hn::Div(ConstantF(1.0f), hn::MulAdd(x, x, ConstantF(1.0f)));
    return hn::Mul(r, hn::Sqrt(r));
  }
  V Scale(V x) const { return hn::Sqrt(hn::MulAdd(hn::Mul(alpha, x), x, One())); }
  V Value(V x) const { return hn::Div(x, Scale(x)); }
  V Grad(V x) const {
    const V s = hn::MulAdd(hn::Mul(alpha, x), x, One());
    return hn::Div(One(), hn::Mul(s, hn::Sqrt(s)));
  }
  V GradFromOutput(V y) const {
    const V t = hn::Max(hn::NegMulAdd(hn::Mul(alpha, y), y, One()), Zero());
    return hn::Mul(t, hn::Sqrt(t));
  }
  M Scalar(V x) const { return hn::Gt(hn::Abs(x), Constant(1e100)); }  // (x^2)^1.5 overflows
};

// isru for x < 0, the identity for x >= 0.
struct Isrlu : Isru {
  explicit Isrlu(Named<params::kIsrluAlpha> p) : Isru(p["alpha"]) {}
  template <class Exp>
  VF ValueF(VF x) const {
    return hn::IfThenElse(hn::Ge(x, hn::Zero(DF())), x, Isru::ValueF<Exp>(x));
  }
  template <class Exp>
  VF GradF(VF x) const {
    return hn::IfThenElse(hn::Ge(x, hn::Zero(DF())), ConstantF(1.0f), Isru::GradF<Exp>(x));
  }
  V Value(V x) const { return Select(hn::Ge(x, Zero()), x, Isru::Value(x)); }
  V Grad(V x) const { return Select(hn::Ge(x, Zero()), One(), Isru::Grad(x)); }
  V GradFromOutput(V y) const { return Select(hn::Ge(y, Zero()), One(), Isru::GradFromOutput(y)); }
  M Scalar(V x) const { return hn::Lt(x, Constant(-1e100)); }  // (x^2)^1.5 overflows
};

// Float lanes where one permute reads a table of 32 (elsewhere double lanes).
struct Tanhshrink : EveryInputF {
  static constexpr Hooks kHooks =
      (kFloat | kFloatGrad | kFastRange | kHandlesSpecials | kZerosExact) & kOnAvx3;
  explicit Tanhshrink(const Params&) {}
#if HWY_TARGET <= HWY_AVX3
  // a - tanh a = a^3 r(a), a = |x|, r from a table (scripts/fit_float_polynomials.py; 1/3 at 0),
  // a^3 a double-float and the product rounded once, so the result keeps its relative accuracy
  // where a - tanh a cancels. From 9.5 on a - tanh a rounds to a - 1 (exact below 2^24). x's sign
  // last, so f(+-0) = +-0; a^3 underflows only where the result rounds to 0.
  template <class Exp>
  VF ValueF(VF x) const {
    static constexpr float kTable[11][32] = {
#include "tables/tanhshrink_table.inc"
    };
    const VF a = hn::Abs(x);
    const VF t = hn::Min(a, ConstantF(9.5f));
    VF r_low;
    const VF r = HalfBinadeTableF<229>(kTable, t, &r_low);
    const VF t2 = hn::Mul(t, t);
    const VF t3 = hn::Mul(t2, t);
    const VF t3_low = hn::MulAdd(hn::MulSub(t, t, t2), t, hn::MulSub(t2, t, t3));
    const VF cubic = hn::MulAdd(t3, r, hn::MulAdd(t3, r_low, hn::Mul(t3_low, r)));
    const VF value = hn::IfThenElse(hn::Gt(a, ConstantF(9.5f)), hn::Sub(a, ConstantF(1.0f)), cubic);
    return OddFromAbsF(x, value);
  }
  bool ZerosExactF() const { return true; }
  // f' = tanh^2 x, tanh from its table (Tanh::PiecewiseF).
  template <class Exp>
  VF GradF(VF x) const {
    const VF t = Tanh::PiecewiseF(hn::Min(hn::Abs(x), ConstantF(9.5f)));
    return hn::IfThenElse(hn::IsNaN(x), x, hn::Mul(t, t));
  }
#endif
  // x - tanh x = -sum_{k>=1} c_k x^(2k+1) for |x| < 1 (c_k from tanh' = 1 - tanh^2), where the
  // difference cancels.
  static V Series(V x) {
    static const struct Coefficients {
      double c[48];
      Coefficients() : c{} {
        c[0] = 1;
        for (int k = 1; k < 48; ++k) {
          double sum = 0;
          for (int i = 0; i <= k - 1; ++i) sum += c[i] * c[k - 1 - i];
          c[k] = -sum / (2 * k + 1);
        }
      }
    } coefficients;
    const V z = hn::Mul(x, x);
    V sum = Zero();
    for (int k = 47; k >= 1; --k) sum = hn::MulSub(sum, z, Constant(coefficients.c[k]));
    return hn::Mul(hn::Mul(sum, z), x);
  }
  // Each vector computes only the forms its lanes need (the series is most of the cost); a lane's
  // result is the same either way.
  V Value(V x) const {
    const M small = hn::Lt(hn::Abs(x), One());
    if (hn::AllFalse(D(), small)) return hn::Sub(x, hn::Tanh(D(), x));
    if (hn::AllTrue(D(), small)) return Series(x);
    return Select(small, Series(x), hn::Sub(x, hn::Tanh(D(), x)));
  }
  V Grad(V x) const {
    const V t = hn::Tanh(D(), x);
    return hn::Mul(t, t);
  }
};

SIGMA_DEFINE_FAMILY_RUN(SigmoidTanh, SIGMA_SIGMOID_TANH_ACTIVATIONS)

}  // namespace sigma::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace sigma::kernels {
SIGMA_EXPORT_FAMILY_RUN(SigmoidTanh)
}  // namespace sigma::kernels
#endif  // HWY_ONCE
