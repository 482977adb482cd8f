// The logistic function in float lanes, shared by sigmoid, softplus, logsigmoid, silu and the
// tanh form of GELU: factor sigma(z) and the gated slope sigma(z) (1 + factor sigma(-z)) from an
// exponential split, softplus as max(x, 0) + log1p(e^-|x|), and on AVX-512 sigma(x) and s e/(1 +
// e)^2 (tanh') for every input from e = e^-|x| scaled by vscalefps, softplus' table for |x| < 8
// and the tails beyond it.

#if defined(SIGMA_KERNELS_LOGISTIC_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef SIGMA_KERNELS_LOGISTIC_INL_H_
#undef SIGMA_KERNELS_LOGISTIC_INL_H_
#else
#define SIGMA_KERNELS_LOGISTIC_INL_H_
#endif

#include <type_traits>

#include "activations/kernels/common-inl.h"
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace sigma::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// e^-|z|, and with kWithLow for z = z + z_low (z_low below half an ulp of z): the split of
// e^-|z| with e^-(sign(z) z_low) = 1 - sign(z) z_low folded into m_low.
template <class Exp, bool kWithLow>
HWY_INLINE auto ExpNegAbsF(VF z, VF z_low) {
  const DF df;
  auto s = Exp::SplitNegated(df, hn::Abs(z));
  if constexpr (kWithLow) {
    s.m_low = hn::NegMulAdd(s.m, hn::Xor(z_low, hn::And(z, ConstantF(-0.0f))), s.m_low);
  }
  return s;
}

// 1 + e^-(z + z_low) as *d + *d_low, for |z| <= 87 (the fast path), where e^-z is normal, so
// that sigma(z) = 1/(1 + e^-z) needs neither sign cases nor a scale after the quotient. Returns
// e^-(z + z_low), rounded once. With kWithLow, *d_low carries e's own error m_low, as the
// rounding of z + z_low amplified by |z| (GELU's tanh form) needs; without, e = m 2^k is taken
// as rounded: half an ulp that sigmoid, silu and silu' can afford (exhaustively 1.52, 1.49 and
// 3.18 ulp against bounds of 2, 2 and 4) for six operations fewer on their critical path.
template <bool kWithLow>
HWY_INLINE VF OnePlusExpNegF(VF z, VF z_low, VF* d, VF* d_low) {
  auto s = NormalRangeExp::SplitNegated(DF(), z);
  // 1 + e as one fma (e = m 2^k is exact), so that the quotient's reciprocal can start before
  // the error term (Fast2Sum, larger term first) is known.
  const VF one = ConstantF(1.0f), e = s.Scale(s.m);
  *d = s.ScaleAdd(s.m, one);
  *d_low = hn::Sub(hn::Min(one, e), hn::Sub(*d, hn::Max(one, e)));
  if constexpr (!kWithLow) return e;
  s.m_low = hn::NegMulAdd(s.m, z_low, s.m_low);  // e^-z_low = 1 - z_low
  *d_low = s.ScaleAdd(s.m_low, *d_low);
  return s.Scale(hn::Add(s.m, s.m_low));
}

// factor sigma(z) in float lanes (factor 1 for sigmoid, x for silu), z = z + z_low. In the fast
// path factor/(1 + e^-z); elsewhere 1/(1+e) or e/(1+e) with e = e^-|z| = 2^k (m + m_low),
// factor times the numerator and 1 + e formed as double-floats and the quotient scaled by 2^k
// last, so it stays within about an ulp even where e^z is subnormal.
template <class Exp, bool kWithFactor = true, bool kWithLow = false>
HWY_INLINE VF ScaledLogisticF(VF z, VF factor, VF z_low = hn::Zero(DF())) {
  const DF df;
  if constexpr (std::is_same_v<Exp, NormalRangeExp>) {
    VF d, d_low;
    OnePlusExpNegF<kWithLow>(z, z_low, &d, &d_low);
    return DivideF(kWithFactor ? factor : ConstantF(1.0f), d, d_low);
  }
  const auto s = ExpNegAbsF<Exp, kWithLow>(z, z_low);
  VF d, d_low;
  OnePlusF(df, s, &d, &d_low);
  const auto positive = hn::Ge(z, hn::Zero(df));
  const VF gate = hn::IfThenElse(positive, ConstantF(1.0f), s.m);
  const VF gate_low = hn::IfThenZeroElse(positive, s.m_low);
  VF q;
  if constexpr (kWithFactor) {
    const VF n = hn::Mul(factor, gate);
    q = DivideF(n, hn::MulAdd(factor, gate_low, hn::MulSub(factor, gate, n)), d, d_low);
  } else {
    q = DivideF(gate, gate_low, d, d_low);
  }
  return hn::IfThenElse(positive, q, s.Scale(q));
}

// sigma(z) (1 + factor sigma(-z)), the derivative of the self-gated functions (silu: z = x,
// factor x; tanh-form gelu: z = 2u, factor 2x u', both double-floats with kWithLow). sigma(-z)
// is e sigma(z) for z >= 0 and 1 - sigma(z) otherwise (neither cancels), factor sigma(-z) an
// exact product. In the fast path sigma(z) = 1/(1 + e^-z); elsewhere q 2^k as in
// ScaledLogisticF (q unscaled, so that a subnormal sigma(z) costs nothing). The caller handles
// the root, where 1 + factor sigma(-z) cancels.
template <class Exp, bool kWithLow>
HWY_INLINE VF GatedSlopeF(VF z, VF z_low, VF factor, VF factor_low = hn::Zero(DF())) {
  const DF df;
  const VF one = ConstantF(1.0f);
  const auto positive = hn::Ge(z, hn::Zero(df));
  const auto slope = [&](VF q, VF gate_of_minus_z) {
    const VF p = hn::Mul(factor, gate_of_minus_z);
    VF p_low = hn::MulSub(factor, gate_of_minus_z, p);
    if constexpr (kWithLow) p_low = hn::MulAdd(factor_low, gate_of_minus_z, p_low);
    return hn::Mul(q, hn::Add(hn::Add(one, p), p_low));
  };
  if constexpr (std::is_same_v<Exp, NormalRangeExp>) {
    VF d, d_low;
    const VF e = OnePlusExpNegF<kWithLow>(z, z_low, &d, &d_low);
    const VF q = DivideF(one, d, d_low);
    return slope(q, hn::IfThenElse(positive, hn::Mul(e, q), hn::Sub(one, q)));
  }
  const auto s = ExpNegAbsF<Exp, kWithLow>(z, z_low);
  VF d, d_low;
  const VF e = OnePlusF(df, s, &d, &d_low);
  const VF q =
      DivideF(hn::IfThenElse(positive, one, s.m), hn::IfThenZeroElse(positive, s.m_low), d, d_low);
  const VF qg = slope(q, hn::IfThenElse(positive, hn::Mul(e, q), hn::Sub(one, s.Scale(q))));
  return hn::IfThenElse(positive, qg, s.Scale(qg));
}

#if HWY_TARGET <= HWY_AVX3
// ---- sigma(x) for every input in one path (AVX-512): e = e^-|x| <= 1 scaled by vscalefps, so that
// no lane needs the general split or a fallback; then e/(1 + e) or 1/(1 + e) by x's sign.

// e^-a = m 2^floor(n) for a in [0, 170] (n then has 12 bits in sixteenths): ExpSplitTableF's
// reduction with n = -a log2(e) rounded to sixteenths, so that n's low mantissa bits index the
// table (vpermps reads the low four) and vscalefps can scale by 2^floor(n) (ExpNegF), rounding a
// subnormal e^-a once and giving +0 from a = 104 on, where e^-a rounds to 0. m is rounded once.
struct ExpNegSplitF {
  VF m, n;
  // m = power (1 + em1), power = 2^(frac n) as a float with its relative error power_error, and
  // r = -a - n ln2 = r_head - n ln2_low (r_head exact), for what needs the parts (unused members
  // cost nothing once inlined).
  VF power, em1, power_error, r_head, r;
  explicit ExpNegSplitF(VF a) {
    const DF df;
    const VF shifter = ConstantF(0x1.8p19f);  // its ulp is 1/16
    const VF t = hn::MulAdd(a, ConstantF(-0x1.715476p+0f), shifter);
    n = hn::Sub(t, shifter);
    // The first product is exact (ln2's head has 12 bits).
    r_head = hn::NegMulSub(n, ConstantF(0x1.62ep-1f), a);
    r = hn::NegMulAdd(n, ConstantF(0x1.0bfbe8p-15f), r_head);
    const __m512i j = _mm512_castps_si512(t.raw);
    power = VF{_mm512_permutexvar_ps(j, hn::LoadU(df, kExpPowers).raw)};
    power_error = VF{_mm512_permutexvar_ps(j, hn::LoadU(df, kExpPowerErrors).raw)};
    // e^r - 1 = r (1 + r (c2 + c3 r)) by Horner, the table's error added in the last fma: one
    // instruction fewer than r + r^2 (c2 + c3 r), and the same worst cases (1 + r (...) is
    // rounded near 1, its error below 2^-24 |r| <= 2^-29.5 of e^r).
    const VF p =
        hn::MulAdd(hn::MulAdd(ConstantF(kExpPolynomial[1]), r, ConstantF(kExpPolynomial[0])), r,
                   ConstantF(1.0f));
    em1 = hn::MulAdd(r, p, power_error);
    m = hn::MulAdd(power, em1, power);
  }
  // m's rounding error, exactly (power - m is exact: Sterbenz).
  VF MLow() const { return hn::MulAdd(power, em1, hn::Sub(power, m)); }
  // r's error, so that r + RLow() = -a - n ln2 to about 2^-40 of ln2/32 (ln2 in three parts; the
  // second step's rounding recovered exactly, r_head - r being exact).
  VF RLow() const {
    return hn::NegMulAdd(n, ConstantF(0x1.cf79acp-40f),
                         hn::NegMulAdd(n, ConstantF(0x1.0bfbe8p-15f), hn::Sub(r_head, r)));
  }
  // e^-(a + a_low) - 1 = s (1 + em1 - a_low) - 1, s = 2^floor(n) power, rounded once, for a_low
  // below half an ulp of a and a >= 1/4, where the result's magnitude is at least 0.22: s - 1 is
  // exact or rounded far below its ulp, and em1's error, relative to e^r, is small beside it.
  // (Near a = 0 the result is em1 itself, whose error is not relative to it.)
  VF Expm1(VF a_low) const {
    const VF scale{_mm512_scalef_ps(power.raw, n.raw)};
    return hn::MulAdd(scale, hn::Sub(em1, a_low), hn::Sub(scale, ConstantF(1.0f)));
  }
  // 2^kScaleLog2 e^-a, rounded once.
  template <int kScaleLog2 = 0>
  VF Scaled() const {
    const VF exponent = kScaleLog2 == 0 ? n : hn::Add(n, ConstantF(kScaleLog2));
    return VF{_mm512_scalef_ps(m.raw, exponent.raw)};
  }
};
HWY_INLINE VF ExpNegF(VF a) { return ExpNegSplitF(a).Scaled(); }

// num/(1 + e) for num = 1 or e, e in [0, 1]: a first quotient from the 2^-14 reciprocal and one
// correction by its residual num - q0 (1 + e) = (num - q0) - q0 e, the subtraction exact
// (Sterbenz: q0 lies within a factor 2 of num) and the product fused, so that 1 + e, rounded,
// serves only the reciprocal and no error term of it is needed.
HWY_INLINE VF QuotientByOnePlusF(VF num, VF e) {
  const VF inverse = hn::ApproximateReciprocal(hn::Add(ConstantF(1.0f), e));
  const VF q0 = hn::Mul(num, inverse);
  return hn::MulAdd(hn::NegMulAdd(q0, e, hn::Sub(num, q0)), inverse, q0);
}

// sigma(x) from a = |x| clamped to [0, 104] (NaN allowed: it passes on): e/(1 + e) below 0,
// 1/(1 + e) from 0 on. vfixupimmps picks the numerator by x's class in one instruction: e for
// negative x and -inf, 1 for +-0, positive x and +inf, and x quieted for NaN.
HWY_INLINE VF LogisticOfAbsF(VF x, VF a) {
  const VF e = ExpNegF(a);
  // One token per class, from QNaN (lowest nibble) to positive: QNaN(x), QNaN(x), +1 (zero), +1
  // (one), e (-inf), +1 (+inf), e (negative), +1 (positive).
  const VF num{_mm512_fixupimm_ps(e.raw, x.raw, _mm512_set1_epi32(0xA0A0AA22), 0)};
  return QuotientByOnePlusF(num, e);
}

// sigma(x) for every x, |x| clamped by vrangeps in one instruction (it gives 104 for NaN). Where
// the caller's fast range keeps |x| <= 104 (LogisticF), a plain |x| was faster in the backward
// loops.
HWY_INLINE VF LogisticAnyF(VF x) {
  return LogisticOfAbsF(x, VF{_mm512_range_ps(x.raw, _mm512_set1_ps(104.0f), 0x0A)});
}

// sigma(-|x|) for |x| <= 104, as LogisticAnyF with e as the numerator.
HWY_INLINE VF LogisticNegAbsF(VF x) {
  const VF e = ExpNegF(hn::Abs(x));
  return QuotientByOnePlusF(e, e);
}

// 2^kScaleLog2 e/(1 + e)^2 for e = e^-a, a >= 0 or NaN (which passes on), from e's split (whose m
// a caller may correct for a low part of a, as lecun_tanh' does): with q = s e/(1 + e),
// s = 2^kScaleLog2 (s e rounded once, also where it is subnormal), q (1 - q/s). sech^2 x is this
// at a = 2|x| with s = 4: the f' of tanh and symmetrical_sigmoid for every input. (Lanes whose
// result is subnormal, |x| > 43.7 for tanh', cost Zen 4 microcode assists: at N(0, 16) tanh' runs
// 25% slower than with x clamped to +-40. Computing 2^100 times larger and scaling back last was
// slower still, with or without them.)
template <int kScaleLog2>
HWY_INLINE VF ScaledLogisticSlopeF(const ExpNegSplitF& split) {
  constexpr float kScale = static_cast<float>(1 << kScaleLog2);
  const VF scaled = split.Scaled<kScaleLog2>();
  // e itself only in 1 + e and the residual's q0 e, exact where e is normal and negligible where
  // it is not
  const VF q = QuotientByOnePlusF(scaled, hn::Mul(scaled, ConstantF(1 / kScale)));
  return hn::NegMulAdd(hn::Mul(q, ConstantF(1 / kScale)), q, q);
}
template <int kScaleLog2>
HWY_INLINE VF ScaledLogisticSlopeF(VF a) {
  // Beyond 170 s e/(1 + e)^2 rounds to 0, as at 170; hn::Min passes NaN in its second operand.
  return ScaledLogisticSlopeF<kScaleLog2>(ExpNegSplitF(hn::Min(ConstantF(170.0f), a)));
}

// softplus(x) for |x| < 8 (softplus and logsigmoid, AVX-512): degree 6, fit within 2^-28.4.
HWY_INLINE VF SoftplusTableF(VF x) {
  static constexpr float kTable[8][32] = {
#include "tables/softplus_table.inc"
  };
  VF low;
  const VF c0 = SignedTablePolynomialF(kTable, x, &low);
  return hn::Add(c0, low);
}

// ---- Tails: 8 <= |x| <= 87, the lanes beyond the tables in a vector whose lanes all keep e^-|x|
// normal. There e = e^-|x| <= 3.4e-4, so a few terms of a series in e replace the quotients: e^3
// is below 2^-34 of the leading term, and the products with e are rounded far below an ulp of the
// result. mish's tails take e = 2^k (m + m_low) from the fast split and round once.

// The fast split of e^-|x|, with e = e^-|x| rounded; |x| is clamped at 87 (where e^-|x| is still
// normal), which changes no result in a tail that reaches beyond.
HWY_INLINE ExpSplit<DF, true> TailSplitF(VF x, VF* e) {
  const auto s = NormalRangeExp::SplitNegated(DF(), hn::Min(hn::Abs(x), ConstantF(87.0f)));
  *e = s.Scale(s.m);
  return s;
}

// m_low - m e (c1 - c2 e): with m, the unscaled e^-|x| (1 - c1 e + c2 e^2), the product rounded
// once inside the fma.
HWY_INLINE VF TailSeriesLowF(const ExpSplit<DF, true>& s, VF e, float c1, float c2) {
  return hn::NegMulAdd(hn::Mul(s.m, e), hn::NegMulAdd(ConstantF(c2), e, ConstantF(c1)), s.m_low);
}

// softplus(x) = log(1 + e^x): log1p(e) = e (1 - e/2 + e^2/3) for x < 0; x + log1p(e) for x > 0,
// where e/x < 2^-14, so e (1 - e/2) is plenty. e = e^-|x| is taken rounded (ExpNegF): about an
// ulp below 0 where the split's m_low gave 0.56, for fewer instructions in the vectors that
// straddle the table (most of them at N(0, 16)).
HWY_INLINE VF SoftplusTailF(VF x) {
  const VF e = ExpNegF(hn::Abs(x));
  const VF positive = hn::MulAdd(e, hn::NegMulAdd(ConstantF(0.5f), e, ConstantF(1.0f)), x);
  const VF series = hn::Mul(e, hn::MulAdd(e, ConstantF(1.0f / 3), ConstantF(-0.5f)));
  return hn::IfThenElse(hn::Lt(x, hn::Zero(DF())), hn::MulAdd(series, e, e), positive);
}

#endif

// sigma(x): on AVX-512's fast path (|x| <= 87) LogisticOfAbsF, else ScaledLogisticF without the
// factor's products.
template <class Exp>
HWY_INLINE VF LogisticF(VF x) {
#if HWY_TARGET <= HWY_AVX3
  if constexpr (std::is_same_v<Exp, NormalRangeExp>) return LogisticOfAbsF(x, hn::Abs(x));
#endif
  return ScaledLogisticF<Exp, false>(x, x);
}

// log(1 + e^x) in float lanes: max(x, 0) + log1p(e) with e = e^-|x| as a double-float, the
// three terms summed with one rounding error kept (TwoSum).
template <class Exp>
HWY_INLINE VF SoftplusF(VF x) {
  const DF df;
  const auto s = Exp::SplitNegated(df, hn::Abs(x));
  VF tail;
  const VF head = Log1pUnitF(df, s.Scale(s.m), s.Scale(s.m_low), &tail);
  const VF linear = hn::Max(x, hn::Zero(df));
  const VF sum = hn::Add(linear, head);
  const VF head_part = hn::Sub(sum, linear);
  const VF error = hn::Add(hn::Sub(linear, hn::Sub(sum, head_part)), hn::Sub(head, head_part));
  return hn::Add(sum, hn::Add(error, tail));
}

}  // namespace sigma::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // include guard
