// GELU in both forms, x Phi(x) (erf) and x sigma(2u) with u = sqrt(2/pi) (x + 0.044715 x^3) (tanh),
// in float lanes, on AVX-512 from tables for |x| < 8.
// The loop, the dispatch and the contract every kernel here meets are in loop-inl.h.

#include <cmath>
#include <type_traits>

#include "activations/kernels/derivative_roots.hpp"
#include "activations/kernels/kernels.hpp"

// clang-format off
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "activations/kernels/gelu_kernels.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "activations/kernels/logistic-inl.h"
#include "activations/kernels/loop-inl.h"
// clang-format on

HWY_BEFORE_NAMESPACE();
namespace sigma::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

struct Gelu {
  static constexpr Hooks kHooks = kScalar | kScalarDouble | kFloat | kFloatGrad | kFastRange |
                                  ((kZerosExact | kTableForms) & kOnAvx3);
  bool tanh_form;
  explicit Gelu(Named<params::kGeluApproximate> p) : tanh_form(p["approximate"] != 0) {}

  // Float lanes for the erf form: Phi(-t) = e^(-t^2/2) R(t), t = |x|, with R from a table of
  // polynomials (MillsRatioF) and the products compensated, so each result is rounded about once.
  //
  // The tanh form is x sigma(2u) with 2u = c x (1 + k x^2) formed as a double-float (c and k
  // split into float pairs), since e^-|2u| amplifies its rounding by |2u|; its f' is
  // GatedSlopeF with factor 2x u', and RootPolynomialF near its root.
  bool FloatNative() const { return true; }
  MF FastRangeF(VF x) const {  // the exponentials stay normal
    return tanh_form ? InRangeF(x, -9.8f, 9.8f) : InRangeF(x, -13.0f, 3e38f);
  }
  // a (1 + k x^2) as a double-float, for a = a + a_low and x^2 = x2 + x2_low (k split).
  static VF TimesOnePlusKX2(VF a, VF a_low, double k_value, VF x2, VF x2_low, VF* low) {
    const SplitConstant k(k_value);
    const VF kx2 = hn::Mul(k.hi, x2);
    const VF kx2_low = hn::MulAdd(k.lo, x2, hn::MulAdd(k.hi, x2_low, hn::MulSub(k.hi, x2, kx2)));
    VF w_low;
    const VF w = PowerOfTwoPlusF(1.0f, kx2, &w_low);  // k x^2 <= 54 for |x| <= 20
    w_low = hn::Add(w_low, kx2_low);
    const VF product = hn::Mul(a, w);
    *low = hn::MulAdd(a_low, w, hn::MulAdd(a, w_low, hn::MulSub(a, w, product)));
    return product;
  }
  // 2u = c x (1 + k x^2) as v + *v_low, and 2x u' = c x (1 + 3k x^2) as *slope + *slope_low,
  // for |x| <= 20.
  static VF TanhArgumentF(VF x, VF* v_low, VF* slope = nullptr, VF* slope_low = nullptr) {
    const SplitConstant c(2 * kSqrt2OverPi);
    const VF x2 = hn::Mul(x, x);
    const VF x2_low = hn::MulSub(x, x, x2);
    const VF cx = hn::Mul(c.hi, x);
    const VF cx_low = hn::MulAdd(c.lo, x, hn::MulSub(c.hi, x, cx));
    if (slope) *slope = TimesOnePlusKX2(cx, cx_low, 3 * kCubic, x2, x2_low, slope_low);
    return TimesOnePlusKX2(cx, cx_low, kCubic, x2, x2_low, v_low);
  }
  template <class Exp>
  VF TanhFormValueF(VF x) const {
    VF v_low;
    const VF v = TanhArgumentF(hn::Min(hn::Max(x, ConstantF(-20.0f)), ConstantF(20.0f)), &v_low);
    return ScaledLogisticF<Exp, true, true>(v, hn::Max(x, ConstantF(-20.0f)), v_low);
  }
  template <class Exp>
  VF TanhFormGradF(VF x) const {
    static constexpr RootPolynomialF<10> kRoot = {-0x1.8142ap-1f,
                                                  0x1.85a06cp-27f,
                                                  -1.35f,
                                                  -0.31f,
                                                  {
#include "tables/gelu_tanh_grad_root.inc"
                                                  }};
    const VF xa = hn::Min(hn::Max(x, ConstantF(-20.0f)), ConstantF(20.0f));
    VF v_low, slope, slope_low;
    const VF v = TanhArgumentF(xa, &v_low, &slope, &slope_low);
    return hn::IfThenElse(kRoot.Within(x), kRoot(x),
                          GatedSlopeF<Exp, true>(v, v_low, slope, slope_low));
  }

  // A function of t in [0, 15) from a table of 16 polynomials (scripts/fit_float_polynomials.py),
  // as a double-float: on the interval of t + 1 that its exponent and top two mantissa bits name
  // (a quarter wide near 0, 2 wide beyond 7), c0 + h S(h) with h = t - the midpoint, c0 a pair of
  // floats (rows 0 and 1) and the last step compensated. Picked by a permute rather than one
  // formula: the ratio u = (t - 4)/(t + 4) that a single fit for GELU's tail needs, and the
  // quotient by t + 4, were two divisions on the critical path.
  template <size_t kRows>
  static VF PiecewiseF(const float (&table)[kRows][16], VF t, VF* low) {
    const DF df;
    const hn::RebindToSigned<DF> di;
    const VF one = ConstantF(1.0f);
    const auto bits = hn::BitCast(di, hn::Add(t, one));
    const auto index = hn::And(hn::ShiftRight<21>(bits), hn::Set(di, 15));
    // The midpoint of t + 1's interval: its bits there with the next mantissa bit set.
    const auto mid_bits = hn::Or(hn::And(bits, hn::Set(di, -(1 << 21))), hn::Set(di, 1 << 20));
    const VF h = hn::Sub(t, hn::Sub(hn::BitCast(df, mid_bits), one));
    VF sum = Lookup16F(DF(), table[kRows - 1], index);
    for (size_t k = kRows - 1; k-- > 2;) sum = hn::MulAdd(sum, h, Lookup16F(DF(), table[k], index));
    const VF product = hn::Mul(h, sum);
    const VF c0 = Lookup16F(DF(), table[0], index);
    const VF value = hn::Add(c0, product);  // Fast2Sum: |h S| < c0 / 4
    *low = hn::Add(hn::Add(hn::Sub(product, hn::Sub(value, c0)), hn::MulSub(h, sum, product)),
                   Lookup16F(DF(), table[1], index));
    return value;
  }
  // R(t) = Phi(-t) e^(t^2/2), degree 6.
  static VF MillsRatioF(VF t, VF* low) {
    alignas(64) static constexpr float kTable[8][16] = {
#include "tables/gelu_mills_ratio.inc"
    };
    return PiecewiseF(kTable, t, low);
  }
  // (R(t) - t/sqrt(2 pi))/(t - t0), degree 5, t0 = kRootHigh + kRootLow the root of the
  // numerator (gelu' at -t0).
  static constexpr float kRootHigh = 0x1.80ead2p-1f, kRootLow = -0x1.a03fd4p-27f;
  // The tanh form's root, t0 = kTanhRootHigh + kTanhRootLow (its gelu' at -t0).
  static constexpr float kTanhRootHigh = 0x1.8142ap-1f, kTanhRootLow = -0x1.85a06cp-27f;
  static VF SlopeRatioF(VF t, VF* low) {
    alignas(64) static constexpr float kTable[7][16] = {
#include "tables/gelu_slope_ratio.inc"
    };
    return PiecewiseF(kTable, t, low);
  }
  // The tail's factors at t = |x| (clamped where x Phi(-t) underflows or, in the fast path,
  // e^(-t^2/2) would not be normal): t and the split of e^(-t^2/2), with t^2/2 split exactly so
  // that its rounding is not amplified.
  template <class Exp>
  struct TailF {
    VF t;
    decltype(Exp::Split(DF(), VF())) s;
    explicit TailF(VF x)
        : t(hn::Min(hn::Abs(x),
                    ConstantF(std::is_same_v<Exp, NormalRangeExp> ? 13.0f
                                                                  : 0x1.dffffep3f))) {  // below 15
      const VF half_t = hn::Mul(t, ConstantF(0.5f));
      const VF a = hn::Mul(half_t, t);
      const VF a_low = hn::MulSub(half_t, t, a);
      s = SplitNegatedAsFastF<Exp>(DF(), a, 84.5f);  // t <= 13 on the fast path
      s.m_low = hn::NegMulAdd(s.m, a_low, s.m_low);  // e^-(a + a_low) = e^-a (1 - a_low)
    }
  };
#if HWY_TARGET <= HWY_AVX3
  // Where every lane has |x| < 8: gelu(-t)/(-t) and gelu'(-t), t = |x|, from tables of
  // polynomials on 32 intervals of s = t (t + 1) for the erf form and s = t (1 + k t^2) for the
  // tanh form (whose gate is sigma(-v), v = 2u = 2 sqrt(2/pi) s), s(8)/31 wide: narrower as t
  // grows, so that the Gaussian or the gate changes by at most about e^(+-0.8) over one, and
  // degree 7 (erf) or 8 (tanh: sigma's poles lie nearer) holds the error within 2^-26.7. No
  // exponential, no quotient and no double-float argument: half the operations. The polynomial
  // is in h = t - m_k, exact for the interval's m_k, with c0 a pair of floats
  // (scripts/fit_float_polynomials.py, gelu_tail_tables). gelu(x)/x and gelu'(x) for
  // x > 0 are 1 minus those at -x.
  MF TableRangeF(VF x) const { return WithinTablesF(x); }
  int TableFormF() const { return tanh_form ? 1 : 0; }
  // Beyond the tables, any finite x: for x >= 8, gelu(x) = x and gelu'(x) = 1 after rounding (in
  // both forms the gate is within 2^-40 of 1); for x <= -8, from e^(-t^2/2) (erf) or e^v (tanh,
  // v = 2u), scaled by 2^100 so that it stays normal where the result is subnormal, and 2^-100
  // applied last. Beyond x = -15 (erf) or -12 (tanh) both round to -0.
  MF TailRangeF(VF x) const { return hn::IsFinite(x); }
  template <int kForm>
  static VF TailValueOfFormF(VF x) {
    return hn::IfThenElse(hn::Gt(x, hn::Zero(DF())), x, NegativeTailF<kForm, false>(x));
  }
  template <int kForm>
  static VF TailGradOfFormF(VF x) {
    return hn::IfThenElse(hn::Gt(x, hn::Zero(DF())), ConstantF(1.0f),
                          NegativeTailF<kForm, true>(x));
  }
  // Where both have settled (the tails' results without their arithmetic): x and 1 from 8 on,
  // -0 below -15 (erf) or -12 (tanh); infinities are left to the formula.
  template <int kForm>
  static MF SettledRangeOfFormF(VF x) {
    const MF far =
        hn::Or(hn::Ge(x, ConstantF(8.0f)), hn::Lt(x, ConstantF(kForm == 0 ? -15.0f : -12.0f)));
    return hn::And(far, hn::IsFinite(x));
  }
  template <int kForm>
  static VF SettledValueOfFormF(VF x) {
    return hn::IfThenElse(hn::Gt(x, hn::Zero(DF())), x, ConstantF(-0.0f));
  }
  template <int kForm>
  static VF SettledGradOfFormF(VF x) {
    return hn::IfThenElse(hn::Gt(x, hn::Zero(DF())), ConstantF(1.0f), ConstantF(-0.0f));
  }
  // f (or f') for x <= -8. Erf form, t = -x: Phi(-t) = phi(t) R(t), so f = -e^(-t^2/2) P(u) and
  // f' = Phi(-t) - t phi(t) = x e^(-t^2/2) P2(u) with u = 1/t^2, P = t R(t)/sqrt(2 pi) and
  // P2 = (1 - u t R(t))/sqrt(2 pi) of degree 4 on u in [1/225, 1/64] (relative error 2^-32.3 and
  // 2^-35.2), c0 a pair of floats; t^2 is exact as x2 + x2_low. Tanh form: sigma(v) = e^v (1 - e^v)
  // with e^v <= 2^-70, so f = x e^v and f' = e^v (1 + 2x u'), v and 2x u' double-floats.
  template <int kForm, bool kGrad>
  static VF NegativeTailF(VF x) {
    const DF df;
    const VF one = ConstantF(1.0f);
    VF factor, factor_low, m_low;
    ExpSplit<DF, true> s;
    // Every lane computes a normal result: an underflowing product costs a microcode assist (3x
    // the vector's time on Zen 5). So where both round to -0, a normal result is computed and
    // replaced, and lanes at x > -8 (the table's, or the positive tail's) take x = -8.
    const MF zero = hn::Lt(x, ConstantF(kForm == 0 ? -15.0f : -12.0f));
    const VF xc =
        hn::IfThenElse(zero, ConstantF(kForm == 0 ? -13.0f : -10.0f), hn::Min(x, ConstantF(-8.0f)));
    if constexpr (kForm == 0) {
      const VF x2 = hn::Mul(xc, xc), x2_low = hn::MulSub(xc, xc, hn::Mul(xc, xc));
      s = ExpSplitTableF<false, 100>(df, hn::Mul(x2, ConstantF(-0.5f)));
      m_low = hn::NegMulAdd(hn::Mul(s.m, ConstantF(0.5f)), x2_low, s.m_low);
      const VF r = hn::ApproximateReciprocal(x2);
      const VF u = hn::MulAdd(r, hn::NegMulAdd(x2, r, one), r);
      static constexpr float kP[2][6] = {{0x1.988452p-2f, 0x1.f36f22p-29f, -0x1.9881f2p-2f,
                                          0x1.31d78ap+0f, -0x1.6f678ep+2f, 0x1.bdd722p+4f},
                                         {0x1.988454p-2f, -0x1.c358ecp-27f, -0x1.98840ap-2f,
                                          0x1.9841b8p-2f, -0x1.2b05acp+0f, 0x1.1688b4p+2f}};
      const float* c = kP[kGrad ? 1 : 0];
      VF q = ConstantF(c[5]);
      for (int k = 4; k >= 2; --k) q = hn::MulAdd(q, u, ConstantF(c[k]));
      const VF p = ConstantF(c[0]), p_low = hn::MulAdd(q, u, ConstantF(c[1]));
      if constexpr (kGrad) {
        factor = hn::Mul(xc, p);
        factor_low = hn::MulAdd(xc, p_low, hn::MulSub(xc, p, factor));
      } else {
        factor = hn::Neg(p);
        factor_low = hn::Neg(p_low);
      }
    } else {
      VF v_low, slope, slope_low;
      const VF v = TanhArgumentF(xc, &v_low, &slope, &slope_low);
      s = ExpSplitTableF<false, 100>(df, v);
      m_low = hn::MulAdd(s.m, v_low, s.m_low);  // e^v_low = 1 + v_low
      if constexpr (kGrad) {
        factor = hn::Add(slope, one);  // Fast2Sum: |slope| >= 1
        factor_low = hn::Add(hn::Sub(one, hn::Sub(factor, slope)), slope_low);
      } else {
        factor = xc;
        factor_low = hn::Zero(df);
      }
    }
    const VF product = hn::MulAdd(factor, s.m, hn::MulAdd(factor_low, s.m, hn::Mul(factor, m_low)));
    // The result times 2^100, normal. Where the result is subnormal it is formed from its bits,
    // |w| 2^49 rounded to an integer, rather than by a product that underflows.
    const VF w = s.Scale(product);
    const VF magnitude = hn::Abs(w);
    const MF subnormal = hn::Lt(magnitude, ConstantF(0x1p-26f));
    const VF normal =
        hn::Mul(hn::IfThenElse(subnormal, ConstantF(0x1p-26f), w), ConstantF(0x1p-100f));
    // 2^23 + |w| 2^49 rounded to an integer (|w| 2^49 <= 2^23: the sum's ulp is 1), whose bits
    // less 2^23's are those of the subnormal (2^23 of them making the smallest normal).
    const hn::RebindToSigned<DF> di;
    const VF sum = hn::MulAdd(magnitude, ConstantF(0x1p49f), ConstantF(0x1p23f));
    const auto bits = hn::Sub(hn::BitCast(di, sum), hn::Set(di, 0x4B000000));
    const VF tiny = hn::Or(hn::BitCast(df, bits), hn::And(w, ConstantF(-0.0f)));
    return hn::IfThenElse(zero, ConstantF(-0.0f), hn::IfThenElse(subnormal, tiny, normal));
  }
  // Zeros always take the table (even in a vector with lanes beyond it), which keeps their sign.
  bool ZerosExactF() const { return true; }
  alignas(64) static constexpr float kErfMids[32] = {
#include "tables/gelu_erf_mids.inc"
  };
  alignas(64) static constexpr float kTanhMids[32] = {
#include "tables/gelu_tanh_mids.inc"
  };
  // The table's c0 + h p(h) at t as a double-float, p = c1 + h q(h), the last two steps
  // compensated: h p is up to 1.3 times the result over these intervals, and p rounded cost gelu
  // 1 ulp.
  template <int kForm, size_t kRows>
  static VF TailTableF(const float (&rows)[kRows][32], VF t, VF* low) {
    const DF df;
    const VF one = ConstantF(1.0f);
    const VF s = kForm == 0 ? hn::Mul(t, hn::Add(t, one))
                            : hn::Mul(t, hn::MulAdd(hn::Mul(t, t), ConstantF(kCubic), one));
    // k = round(31 s/s(8)) in the low bits of v (TableLaneF).
    const VF v =
        hn::MulAdd(s, ConstantF(kForm == 0 ? 31.0f / 72 : 31.0f / 30.89408f), ConstantF(0x1.8p23f));
    const auto lane = hn::BitCast(hn::RebindToSigned<DF>(), v);
    const VF h = hn::Sub(t, Lookup32F(df, kForm == 0 ? kErfMids : kTanhMids, lane));
    VF q = Lookup32F(df, rows[kRows - 1], lane);
    for (size_t k = kRows - 2; k >= 3; --k) q = hn::MulAdd(q, h, Lookup32F(df, rows[k], lane));
    const VF c1 = Lookup32F(df, rows[2], lane);
    const VF p = hn::MulAdd(q, h, c1);
    const VF p_low = hn::MulAdd(q, h, hn::Sub(c1, p));
    const VF hp = hn::Mul(h, p);
    const VF c0 = Lookup32F(df, rows[0], lane);
    const VF value = hn::Add(c0, hp);  // Fast2Sum: |h p| < c0
    *low =
        hn::Add(hn::Add(hn::Sub(c0, value), hp),
                hn::Add(hn::MulSub(h, p, hp), hn::MulAdd(h, p_low, Lookup32F(df, rows[1], lane))));
    return value;
  }
  // gelu(-t)/(-t) as g + *low.
  template <int kForm>
  static VF NegativeGateF(VF t, VF* low) {
    if constexpr (kForm == 0) {
      alignas(64) static constexpr float kTable[9][32] = {
#include "tables/gelu_erf_table.inc"
      };
      return TailTableF<kForm>(kTable, t, low);
    } else {
      alignas(64) static constexpr float kTable[10][32] = {
#include "tables/gelu_tanh_table.inc"
      };
      return TailTableF<kForm>(kTable, t, low);
    }
  }
  // gelu(x) = x g for x <= 0 and x (1 - g) for x > 0, g = g + low at t = |x|, the difference by
  // Fast2Sum (g <= 1/2) and the product t hi + t lo rounded once, with x's sign: formed from x, a
  // negative lo would turn gelu(-0) into +0.
  template <int kForm>
  static VF TableValueOfFormF(VF x) {
    const VF t = hn::Abs(x);
    VF low;
    const VF g = NegativeGateF<kForm>(t, &low);
    const VF one = ConstantF(1.0f);
    const VF r = hn::Sub(one, g);
    const VF r_low = hn::Sub(hn::Sub(hn::Sub(one, r), g), low);
    const MF positive = hn::Gt(x, hn::Zero(DF()));
    const VF hi = hn::IfThenElse(positive, r, g), lo = hn::IfThenElse(positive, r_low, low);
    return hn::CopySignToAbs(hn::MulAdd(t, hi, hn::Mul(t, lo)), x);
  }
  // gelu' = e for x <= 0 and 1 - e for x > 0, e = gelu'(-t) = (t - t0) Q(t), Q from the table
  // with the form's root t0 divided out, so that e keeps its relative accuracy at and near -t0.
  template <int kForm>
  static VF TableGradOfFormF(VF x) {
    const VF t = hn::Abs(x);
    VF low, c0;
    float root_high, root_low;
    if constexpr (kForm == 0) {
      alignas(64) static constexpr float kTable[9][32] = {
#include "tables/gelu_erf_grad_table.inc"
      };
      c0 = TailTableF<kForm>(kTable, t, &low);
      root_high = kRootHigh, root_low = kRootLow;
    } else {
      alignas(64) static constexpr float kTable[10][32] = {
#include "tables/gelu_tanh_grad_table.inc"
      };
      c0 = TailTableF<kForm>(kTable, t, &low);
      root_high = kTanhRootHigh, root_low = kTanhRootLow;
    }
    const VF from_root = hn::Sub(hn::Sub(t, ConstantF(root_high)), ConstantF(root_low));
    // e = e_high + e_low, and 1 - e by Fast2Sum (|e| <= 1/2).
    const VF e = hn::Mul(from_root, c0);
    const VF e_low = hn::MulAdd(from_root, low, hn::MulSub(from_root, c0, e));
    const VF one = ConstantF(1.0f);
    const VF r = hn::Sub(one, e);
    const VF positive = hn::Add(r, hn::Sub(hn::Sub(hn::Sub(one, r), e), e_low));
    return hn::IfThenElse(hn::Gt(x, hn::Zero(DF())), positive, hn::Add(e, e_low));
  }
#endif
  template <class Exp>
  VF ValueF(VF x) const {
    if (tanh_form) return TanhFormValueF<Exp>(x);
    // x Phi(-t) = x 2^k (m + m_low) (ratio + ratio_low) from compensated products, rounded once
    // (x clamped with t on the general path, so that it underflows to -0 below -15 as gelu does);
    // x - that for x > 0.
    const TailF<Exp> tail(x);
    VF ratio_low;
    const VF ratio = MillsRatioF(tail.t, &ratio_low);
    const VF xc = std::is_same_v<Exp, NormalRangeExp> ? x : hn::Max(x, ConstantF(-15.0f));
    const VF w = hn::Mul(xc, ratio);
    const VF w_low = hn::MulAdd(xc, ratio_low, hn::MulSub(xc, ratio, w));
    const VF n = hn::Mul(w, tail.s.m);
    const VF n_low =
        hn::MulAdd(w_low, tail.s.m, hn::MulAdd(w, tail.s.m_low, hn::MulSub(w, tail.s.m, n)));
    const VF x_phi_minus_t = tail.s.Scale(hn::Add(n, n_low));
    return hn::IfThenElse(hn::Gt(x, hn::Zero(DF())), hn::Sub(x, x_phi_minus_t), x_phi_minus_t);
  }
  // gelu' = Phi(x) + x phi(x) = e^(-t^2/2) D(t) for x <= 0 and 1 - e^(-t^2/2) D(t) for x > 0,
  // D(t) = R(t) - t/sqrt(2 pi) = (t - t0) SlopeRatioF(t): with D's root divided out of the fit,
  // gelu' keeps its relative accuracy at its own root, -t0, where D cancels.
  template <class Exp>
  VF GradF(VF x) const {
    if (tanh_form) return TanhFormGradF<Exp>(x);
    const TailF<Exp> tail(x);
    VF ratio_low;
    const VF ratio = SlopeRatioF(tail.t, &ratio_low);
    const VF u = hn::Sub(tail.t, ConstantF(kRootHigh));  // exact near t0 (Sterbenz)
    const VF u_low = ConstantF(-kRootLow);
    const VF d = hn::Mul(u, ratio);
    const VF d_low = hn::MulAdd(u, ratio_low, hn::MulAdd(u_low, ratio, hn::MulSub(u, ratio, d)));
    const auto& s = tail.s;
    const VF negative = s.Scale(hn::MulAdd(s.m, d, hn::MulAdd(s.m, d_low, hn::Mul(s.m_low, d))));
    // 1 - e D with e D = p + p_low and 1 - p by Fast2Sum (p <= 1/2): near 0+, where gelu' is
    // 1/2 + 0.8x, a rounded e D would cost an ulp.
    const VF one = ConstantF(1.0f), e = s.Scale(s.m);
    const VF p = hn::Mul(e, d);
    const VF p_low = hn::MulAdd(e, d_low, hn::MulAdd(s.Scale(s.m_low), d, hn::MulSub(e, d, p)));
    const VF r = hn::Sub(one, p);
    const VF positive = hn::Add(r, hn::Sub(hn::Sub(hn::Sub(one, r), p), p_low));
    return hn::IfThenElse(hn::Gt(x, hn::Zero(DF())), positive, negative);
  }
  static constexpr double kInvSqrt2 = 0.70710678118654752440;
  static constexpr double kInvSqrt2Low = -4.833646656726457e-17;  // 1/sqrt(2) - kInvSqrt2
  static constexpr double kTwoOverSqrtPi = 1.1283791670955126;
  static constexpr double kInvSqrt2Pi = 0.3989422804014327;
  static constexpr double kSqrt2OverPi = 0.7978845608028654;
  static constexpr double kTwoSqrt2OverPiLow =
      -9.96930880911092e-17;  // 2 sqrt(2/pi) - 2 kSqrt2OverPi
  static constexpr double kCubic = constants::kGeluTanhCubic;
  static constexpr double kCubicLow = 2.1960211427085595e-18;  // 0.044715 - kCubic
  // 3 (0.044715) - 3 kCubic rounded, from the exact long double product.
  static constexpr double kThreeCubicLow =
      static_cast<double>(3.0L * kCubic - 3 * kCubic) + 3 * kCubicLow;

  // erfc(-x/sqrt(2)) = 2 Phi(x), with the argument's rounding corrected to first order (erfc's
  // condition number is about 2t^2 in the tail).
  static V TwoPhi(V x, V* exp_half_x2) {
    const V t = hn::Mul(hn::Neg(x), Constant(kInvSqrt2));
    const V dt = hn::Sub(hn::MulAdd(hn::Neg(x), Constant(kInvSqrt2), hn::Neg(t)),
                         hn::Mul(x, Constant(kInvSqrt2Low)));
    const V erfc = Erfc(D(), t, exp_half_x2);
    return hn::NegMulAdd(hn::Mul(dt, Constant(kTwoOverSqrtPi)), *exp_half_x2, erfc);
  }
  static V TanhArgument(V x) {  // 2u, u = sqrt(2/pi) (x + 0.044715 x^3)
    return hn::Mul(hn::Mul(Constant(2 * kSqrt2OverPi), x),
                   hn::MulAdd(hn::Mul(Constant(kCubic), x), x, One()));
  }
  // v = 2u = (a x)(1 + b x^2) and its rounding error *low, from the products' errors (fma), a's
  // and b's own (kTwoSqrt2OverPiLow, kCubicLow: b's cost 300 ulp by x = -20) and 1 + b x^2's
  // (TwoSum): sigma(v) amplifies v's rounding |v| (1 - sigma) times.
  static V TanhArgument(V x, V* low) { return ScaledOnePlusCubic(x, kCubic, kCubicLow, low); }
  // (a x)(1 + b x^2) with a = 2 sqrt(2/pi), as a double-double: v for b = 0.044715, x v' for
  // three times that (b = b_high + b_low).
  static V ScaledOnePlusCubic(V x, double b_high, double b_low, V* low) {
    const V x2 = hn::Mul(x, x);
    const V bx2 = hn::Mul(Constant(b_high), x2);
    const V bx2_low =
        hn::MulAdd(Constant(b_high), hn::MulSub(x, x, x2),
                   hn::MulAdd(Constant(b_low), x2, hn::MulSub(Constant(b_high), x2, bx2)));
    V w_low;
    const V w = TwoSum(One(), bx2, &w_low);
    w_low = hn::Add(w_low, bx2_low);
    const V ax = hn::Mul(Constant(2 * kSqrt2OverPi), x);
    const V ax_low =
        hn::MulAdd(Constant(kTwoSqrt2OverPiLow), x, hn::MulSub(Constant(2 * kSqrt2OverPi), x, ax));
    const V v = hn::Mul(ax, w);
    *low = hn::MulAdd(ax, w_low, hn::MulAdd(ax_low, w, hn::MulSub(ax, w, v)));
    return v;
  }
  // The tanh form's x sigma(v), for x < 0 with sigma(v + v_low) = s + s (1 - s) v_low: the
  // rounding of v cost up to 8.8 ulp (at -1.82) above the scalar tail.
  V Value(V x) const {
    if (tanh_form) {
      V v_low;
      const V v = TanhArgument(x, &v_low);
      const V s = Logistic(D(), v);
      const V corrected = hn::MulAdd(hn::Mul(s, hn::Sub(One(), s)), v_low, s);
      const V value = hn::Mul(x, Select(hn::Lt(x, Zero()), corrected, s));
      // Where e^v nears the subnormals (v < -700, x < -21.1), sigma(v) = e^v to double precision:
      // x e^(v + v_low) = (x h (1 + v_low)) h with h = e^(v/2), the last product rounding once.
      const M far = hn::Lt(v, Constant(-700.0));
      if (HWY_LIKELY(hn::AllFalse(D(), far))) return value;
      const V h = hn::Exp(D(), hn::Mul(v, Constant(0.5)));
      return Select(far, hn::Mul(hn::Mul(x, hn::MulAdd(h, v_low, h)), h), value);
    }
    V unused;
    const V two_phi = TwoPhi(x, &unused);
    return hn::Mul(x, hn::Mul(two_phi, Constant(0.5)));
  }
  // The tanh form's f' (TanhGrad below) for x < -2, where e^v <= 0.0074 and its terms do not
  // cancel: f' = E r F with E = e^(v + v_low), r = 1/(1 + E) and F = 1 + x v' r, r with its
  // remainder and x v' = (a x)(1 + 3b x^2) as double-doubles, so that little beyond e^v's error
  // and the last rounding remains. (The general formula reached 7.3 ulp here, sampled densely,
  // which is why these lanes went to the reference before.)
  static V TanhGradTail(V x, V v, V v_low) {
    const V one = One();
    // Where e^v nears the subnormals (v < -700), E = (h (1 + v_low)) h with h = e^(v/2), and the
    // last product by h rounds once, as in Value.
    const M far = hn::Lt(v, Constant(-700.0));
    const V h = hn::Exp(D(), Select(far, hn::Mul(v, Constant(0.5)), v));
    const V scaled = hn::MulAdd(h, v_low, h);
    const V e = Select(far, hn::Mul(scaled, h), scaled);
    const V d = hn::Add(one, e);
    const V d_low = hn::Sub(e, hn::Sub(d, one));  // Fast2Sum: e < 1
    const V r = hn::Div(one, d);
    const V r_low = hn::Mul(r, hn::NegMulAdd(r, d_low, hn::NegMulAdd(r, d, one)));
    V q_low;
    const V q = ScaledOnePlusCubic(x, 3 * kCubic, kThreeCubicLow, &q_low);  // x v'
    const V p = hn::Mul(q, r);
    const V p_low = hn::MulAdd(q, r_low, hn::MulAdd(q_low, r, hn::MulSub(q, r, p)));
    const V f = hn::Add(p, one);  // Fast2Sum: |p| > 4
    const V f_low = hn::Add(hn::Sub(one, hn::Sub(f, p)), p_low);
    const V er = hn::Mul(scaled, r);
    const V er_low = hn::MulAdd(scaled, r_low, hn::MulSub(scaled, r, er));
    const V product = hn::MulAdd(er, f, hn::MulAdd(er_low, f, hn::Mul(er, f_low)));
    // Negative (below the root), so -0 where it underflows.
    return hn::Or(Select(far, hn::Mul(product, h), product), Constant(-0.0));
  }
  // The tanh form's f' = s + x v' s (1 - s), s = sigma(v), v = 2u = a (x + b x^3), is
  // s (1 - s) H with H = 1 + e^v + x v'. H cancels near the root r, and the general formula loses
  // up to 10 ulp as far as x = -1.72. So from -2 to r + 0.5, with d = x - r (r in three parts)
  // and S = x^2 + x r + r^2, H = H(x) - H(r) = E expm1(a d (1 + b S)) + a d (1 + 3b S),
  // E = e^v(r) (kGeluTanhGradExpV): both terms have the sign of d. s (1 - s) there takes v's
  // rounding error into account, which it would amplify |v| (1 - 2s) times. Below -2,
  // TanhGradTail.
  V TanhGrad(V x) const {
    V v_low;
    const V two_u = TanhArgument(x, &v_low);
    const LogisticParts logistic(D(), two_u);
    // sigma(v + v_low) = s (1 + sigma(-v) v_low): below the root v's rounding is amplified |v|
    // times.
    const V s = hn::Mul(logistic.at_x, hn::MulAdd(logistic.at_minus_x, v_low, One()));
    const V gate_slope = hn::Mul(s, logistic.at_minus_x);
    const V du =
        hn::Mul(Constant(kSqrt2OverPi), hn::MulAdd(hn::Mul(Constant(3 * kCubic), x), x, One()));
    V general = hn::MulAdd(hn::Mul(hn::Add(x, x), gate_slope), du, s);
    const M tail = hn::Lt(x, Constant(-2.0));
    if (!hn::AllFalse(D(), tail)) general = Select(tail, TanhGradTail(x, two_u, v_low), general);
    constexpr roots::Root kRoot = roots::kGeluTanhGrad;
    const V d_high = hn::Sub(x, Constant(kRoot.hi));
    const M near_root = hn::And(hn::Not(tail), hn::Lt(d_high, Constant(0.5)));
    if (hn::AllFalse(D(), near_root)) return general;
    const V d = hn::Sub(hn::Sub(d_high, Constant(kRoot.lo)), Constant(kRoot.lo2));
    const V sum = hn::MulAdd(hn::Add(x, Constant(kRoot.hi)), x, Constant(kRoot.hi * kRoot.hi));
    const V ad = hn::Mul(Constant(2 * kSqrt2OverPi), d);
    const V dv = hn::MulAdd(ad, hn::Mul(Constant(kCubic), sum), ad);
    const V d_slope = hn::MulAdd(ad, hn::Mul(Constant(3 * kCubic), sum), ad);
    const V h = hn::MulAdd(Constant(roots::kGeluTanhGradExpV), hn::Expm1(D(), dv), d_slope);
    const V v = two_u;
    const V gate = hn::Mul(LogisticGrad(D(), v),
                           hn::MulAdd(hn::NegMulAdd(Constant(2.0), s, One()), v_low, One()));
    return Select(near_root, hn::Mul(gate, h), general);
  }
  // The erf form's f' = Phi(x) + x phi(x) = phi(x) K(x), K = Phi/phi + x, cancels near its root
  // r; there K = d P(d), d = x - r, from K's Taylor series (roots::kGeluGradSeries).
  V Grad(V x) const {
    if (tanh_form) return TanhGrad(x);
    // e^(-x^2/2) from x^2 split exactly: from t = -x/sqrt(2) its rounding would be amplified x^2
    // times.
    const V x2 = hn::Mul(x, x);
    const V x2_low = hn::MulSub(x, x, x2);
    const V exp_half_x2 = hn::Mul(hn::Exp(D(), hn::Mul(x2, Constant(-0.5))),
                                  hn::NegMulAdd(x2_low, Constant(0.5), One()));
    const V phi = hn::Mul(exp_half_x2, Constant(kInvSqrt2Pi));
    V unused;
    const V two_phi = TwoPhi(x, &unused);
    // Below the root f' is negative, so where it underflows it is -0 (as in float lanes); the
    // sum of the underflowed terms would give +0.
    const V sum = hn::MulAdd(x, phi, hn::Mul(two_phi, Constant(0.5)));
    const V general = hn::IfThenElse(hn::Lt(x, Constant(-1.0)), hn::Or(sum, Constant(-0.0)), sum);
    const V d_high = hn::Sub(x, Constant(roots::kGeluGrad.hi));
    const M near_root = hn::Lt(hn::Abs(d_high), Constant(roots::kGeluGradSeries.radius));
    if (hn::AllFalse(D(), near_root)) return general;
    const V d =
        hn::Sub(hn::Sub(d_high, Constant(roots::kGeluGrad.lo)), Constant(roots::kGeluGrad.lo2));
    V p = Constant(roots::kGeluGradSeries.c[roots::kGeluGradSeries.kTerms - 1]);
    for (int n = roots::kGeluGradSeries.kTerms - 2; n >= 0; --n) {
      p = hn::MulAdd(p, d, Constant(roots::kGeluGradSeries.c[n]));
    }
    return Select(near_root, hn::Mul(phi, hn::Mul(d, p)), general);
  }
  // The tanh form's x u' overflows; its gate is saturated long before.
  M Scalar(V x) const { return hn::Gt(hn::Abs(x), Constant(1e100)); }
  // The erf form's tails lose bits where e^(-x^2/2) is subnormal, until the result rounds to -0
  // (below -38.6, where the vector lanes give -0 too): from -39 to -37 the reference computes
  // them. From -37 to -3 its f is within 4.6 ulp and f' within 3.9, the tanh form's f within 3.7
  // from -21 to -2 (swept densely against MPFR). The tanh form needs no lane of the reference
  // (e^v's subnormal band is taken in two halves).
  M ScalarDouble(V x) const {
    return tanh_form ? hn::FirstN(D(), 0)
                     : hn::And(hn::Ge(x, Constant(-39.0)), hn::Lt(x, Constant(-37.0)));
  }
};

SIGMA_DEFINE_FAMILY_RUN(Gelu, SIGMA_GELU_ACTIVATIONS)

}  // namespace sigma::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace sigma::kernels {
SIGMA_EXPORT_FAMILY_RUN(Gelu)
}  // namespace sigma::kernels
#endif  // HWY_ONCE
