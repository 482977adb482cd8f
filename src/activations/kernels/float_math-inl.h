// Float-lane building blocks for the kernels that run natively in float: an exp split into
// 2^k (m + m_low) (from Highway's reduction and a polynomial, or in the fast path from a table of
// 2^(j/16) and a shorter polynomial), and a quotient of double-float values rounded once. With them
// sigmoid, silu, tanh and elu stay within about one ulp (the exhaustive sweep, `sigma accuracy
// --exhaustive`, is their test) at float speed.

#if defined(SIGMA_KERNELS_FLOAT_MATH_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef SIGMA_KERNELS_FLOAT_MATH_INL_H_
#undef SIGMA_KERNELS_FLOAT_MATH_INL_H_
#else
#define SIGMA_KERNELS_FLOAT_MATH_INL_H_
#endif

#include <type_traits>

#include "hwy/contrib/math/math-inl.h"
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace sigma::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// e^x = 2^k (1 + p) with r = x - k ln2, |r| <= ln2/2 (Highway's two-part reduction) and
// p = expm1(r), for x in [-120, 88].
template <class DF, class VF>
HWY_INLINE void ExpParts(DF df, VF x, hn::Vec<hn::Rebind<int32_t, DF>>* k, VF* p) {
  hn::impl::ExpImpl<float> impl;
  const VF half_with_sign = hn::Or(hn::Set(df, 0.5f), hn::And(x, hn::Set(df, -0.0f)));
  *k = impl.ToInt32(df, hn::MulAdd(x, hn::Set(df, 1.44269504088896341f), half_with_sign));
  // expm1(r) by its Taylor series to r^8 (truncation below 2^-27 for |r| <= ln2/2): one degree
  // more than Highway's Exp, so that e^x itself is within a quarter ulp.
  const VF r = impl.ExpReduce(df, x, *k);
  VF poly = hn::Set(df, 1.0f / 40320);
  for (const float c : {1.0f / 5040, 1.0f / 720, 1.0f / 120, 1.0f / 24, 1.0f / 6, 0.5f}) {
    poly = hn::MulAdd(poly, r, hn::Set(df, c));
  }
  *p = hn::MulAdd(hn::Mul(r, r), poly, r);
}

// e^x = 2^k (m + m_low): m in [1/2, 2] rounded (1 + p for the polynomial splits, 2^(j/16) e^r for
// the table's), m_low its error. Keeping the scale apart lets a kernel form its result from m in
// the normal range and scale once at the end, so that e^x being subnormal costs no precision in
// x e^x or 4 e^x. kNormal: built by ExpSplitNormalF or ExpSplitTableF, for inputs where 2^k is a
// normal float, so the scale is one factor.
template <class DF, bool kNormal = false>
struct ExpSplit {
  using VF = hn::Vec<DF>;
  VF p;  // e^r - 1 (not set by ExpSplitTableF)
  VF m, m_low;
  VF scale_high, scale_low;  // 2^k = scale_high scale_low, each normal even where 2^k is not

  // v 2^k, rounded once (and only where the result is subnormal); `factor` a power of two.
  VF Scale(VF v) const {
    if constexpr (kNormal) return hn::Mul(v, scale_high);
    return hn::Mul(hn::Mul(v, scale_high), scale_low);
  }
  // addend + v 2^k, with the product unrounded.
  VF ScaleAdd(VF v, VF addend) const {
    if constexpr (kNormal) return hn::MulAdd(v, scale_high, addend);
    return hn::MulAdd(hn::Mul(v, scale_high), scale_low, addend);
  }
  VF Scale(VF v, VF factor) const {
    if constexpr (kNormal) return hn::Mul(hn::Mul(v, factor), scale_high);
    return hn::Mul(hn::Mul(hn::Mul(v, scale_high), factor), scale_low);
  }
};

// For x in [-120, 88].
template <class DF, class VF>
HWY_INLINE ExpSplit<DF> ExpSplitF(DF df, VF x) {
  hn::Vec<hn::Rebind<int32_t, DF>> k;
  VF p;
  ExpParts(df, hn::Max(x, hn::Set(df, -120.0f)), &k, &p);
  ExpSplit<DF> s;
  s.p = p;
  s.m = hn::Add(p, hn::Set(df, 1.0f));
  s.m_low = hn::Sub(p, hn::Sub(s.m, hn::Set(df, 1.0f)));
  const auto half = hn::ShiftRight<1>(k);
  hn::impl::ExpImpl<float> impl;
  s.scale_high = impl.Pow2I(df, half);
  s.scale_low = impl.Pow2I(df, hn::Sub(k, half));
  return s;
}

// The same split for x in [-87, 88], where 2^k is normal, in fewer operations: k = round(x/ln2)
// by adding 1.5 2^23 (so k sits in the low mantissa bits, with the exponent bias folded in, and
// 2^k is one shift away), and e^r = 1 + r P, P = 1 + r Q, with Q a minimax polynomial of degree 4
// (relative error 2^-28.2 of e^r on |r| <= ln2/2, fitted by reweighted least squares on
// Chebyshev nodes). P and m are each rounded by one fma whose residual the next fma recovers
// exactly, so that only Q's rounding (below 2^-28 after the factor r^2) reaches m + m_low.
template <class DF, class VF>
HWY_INLINE ExpSplit<DF, true> ExpSplitNormalF(DF df, VF x) {
  const hn::Rebind<int32_t, DF> di;
  const VF shifter = hn::Set(df, 0x1.8p23f + 127);
  const VF t = hn::MulAdd(x, hn::Set(df, 1.44269504088896341f), shifter);
  const VF k = hn::Sub(t, shifter);
  VF r = hn::MulAdd(k, hn::Set(df, -0.693145751953125f), x);  // exact: 16 bits times 8
  r = hn::MulAdd(k, hn::Set(df, -1.428606765330187045e-6f), r);
  // Q by Estrin's scheme: these loops are bound by latency more than by the number of operations.
  const VF r2 = hn::Mul(r, r);
  const VF q_high =
      hn::MulAdd(hn::Set(df, 0x1.6a243ep-10f), r2,
                 hn::MulAdd(hn::Set(df, 0x1.1239d6p-7f), r, hn::Set(df, 0x1.5558f2p-5f)));
  const VF q = hn::MulAdd(q_high, r2,
                          hn::MulAdd(hn::Set(df, 0x1.555492p-3f), r, hn::Set(df, 0x1.fffffcp-2f)));
  const VF one = hn::Set(df, 1.0f);
  // 1 - P and 1 - m are exact (Sterbenz: both lie in [1/2, 2]).
  const VF p = hn::MulAdd(r, q, one);
  const VF p_low = hn::MulAdd(r, q, hn::Sub(one, p));
  ExpSplit<DF, true> s;
  s.m = hn::MulAdd(r, p, one);
  s.m_low = hn::MulAdd(r, p_low, hn::MulAdd(r, p, hn::Sub(one, s.m)));
  s.p = hn::MulAdd(r2, q, r);
  s.scale_high = hn::BitCast(df, hn::ShiftLeft<23>(hn::BitCast(di, t)));
  return s;
}

// table[index] in each lane, for a table of 16 floats and index in [0, 16): one permute where a
// vector holds the table (AVX-512), two and a blend where it holds half (AVX2), else a gather.
template <class DF, class VI>
HWY_INLINE hn::Vec<DF> Lookup16F(DF df, const float* table, VI index) {
#if HWY_TARGET <= HWY_AVX3
  return hn::TableLookupLanes(hn::LoadU(df, table), hn::IndicesFromVec(df, index));
#elif HWY_TARGET == HWY_AVX2
  const hn::RebindToSigned<DF> di;
  const auto lane = hn::IndicesFromVec(df, hn::And(index, hn::Set(di, 7)));
  const hn::Vec<DF> first = hn::TableLookupLanes(hn::LoadU(df, table), lane);
  const hn::Vec<DF> second = hn::TableLookupLanes(hn::LoadU(df, table + 8), lane);
  return hn::IfThenElse(hn::RebindMask(df, hn::Gt(index, hn::Set(di, 7))), second, first);
#else
  return hn::GatherIndex(df, table, index);
#endif
}

#if HWY_TARGET <= HWY_AVX3
// table[index] in each lane, for a table of 32 floats and index in [0, 32): one two-table permute
// (vpermt2ps; Highway 1.0 has no op for it).
template <class DF, class VI>
HWY_INLINE hn::Vec<DF> Lookup32F(DF df, const float* table, VI index) {
  return hn::Vec<DF>{
      _mm512_permutex2var_ps(hn::LoadU(df, table).raw, index.raw, hn::LoadU(df, table + 16).raw)};
}
#endif

// The tables of the exponential's table-driven splits: 2^(j/16) as floats, their relative rounding
// errors, and c2, c3 of e^r - 1 = r + r^2 (c2 + c3 r) on |r| <= ln2/32.
inline constexpr float kExpPowers[16] = {
#include "tables/exp_powers.inc"
};
inline constexpr float kExpPowerErrors[16] = {
#include "tables/exp_power_errors.inc"
};
inline constexpr float kExpPolynomial[2] = {
#include "tables/exp_polynomial.inc"
};

// The same split from a table of 2^(j/16), for x in [-87, 88] (of e^-x with kNegate, for -x
// there) on targets where a vector holds the table (one permute per lookup): x = (16k + j)
// ln2/16 + r, |r| <= ln2/32, and m = 2^(j/16) e^r with e^r - 1 = r + r^2 (c2 + c3 r) (relative
// error 2^-29.2 of e^r; tables and fit from scripts/fit_float_polynomials.py). 2^(j/16) is a
// float whose relative rounding error, from a second table, is added to r (their product is
// below 2^-30). Three multiply-adds fewer than ExpSplitNormalF, whose polynomial for |r| <=
// ln2/2 has degree 6 (docs/performance.md has what that gained). Sets no p. With kScaleBias, the
// scale is 2^(k + kScaleBias), normal for x down to -87 - kScaleBias ln2.
template <bool kNegate = false, int kScaleBias = 0, class DF, class VF>
HWY_INLINE ExpSplit<DF, true> ExpSplitTableF(DF df, VF x) {
  const hn::RebindToSigned<DF> di;
  // 16k + j rounded by adding 1.5 2^23 + 127 16, so that t's low mantissa bits hold j and, above
  // them, k with the exponent's bias.
  const VF shifter = hn::Set(df, 0x1.8p23f + (127 + kScaleBias) * 16);
  const VF t = hn::MulAdd(x, hn::Set(df, kNegate ? -0x1.715476p+4f : 0x1.715476p+4f), shifter);
  const VF n = hn::Sub(t, shifter);
  // r = (-x or x) - n ln2/16, the first product exact: 12 bits times 11.
  VF r = kNegate ? hn::NegMulSub(n, hn::Set(df, 0x1.62ep-5f), x)
                 : hn::NegMulAdd(n, hn::Set(df, 0x1.62ep-5f), x);
  r = hn::NegMulAdd(n, hn::Set(df, 0x1.0bfbe8p-19f), r);
  const auto bits = hn::BitCast(di, t);
  const auto j = hn::And(bits, hn::Set(di, 15));
  const VF power = Lookup16F(df, kExpPowers, j);
  const VF q = hn::MulAdd(hn::Set(df, kExpPolynomial[1]), r, hn::Set(df, kExpPolynomial[0]));
  const VF em1 = hn::MulAdd(hn::Mul(r, r), q, hn::Add(r, Lookup16F(df, kExpPowerErrors, j)));
  ExpSplit<DF, true> s;
  s.m = hn::MulAdd(power, em1, power);
  s.m_low = hn::MulAdd(power, em1, hn::Sub(power, s.m));  // power - m is exact (Sterbenz)
  s.scale_high = hn::BitCast(df, hn::ShiftLeft<23>(hn::ShiftRight<4>(bits)));
  return s;
}

// The fast path's split of e^x, or with kNegate of e^-x: from the table where one permute reads
// it, else from the polynomial.
template <bool kNegate = false, class DF, class VF>
HWY_INLINE ExpSplit<DF, true> ExpSplitFastF(DF df, VF x) {
#if HWY_TARGET <= HWY_AVX3
  return ExpSplitTableF<kNegate>(df, x);
#else
  return ExpSplitNormalF(df, kNegate ? hn::Neg(x) : x);
#endif
}

// Where a kernel's exponentials come from: any input (ExpSplitF) or, in the fast path of a
// vector whose lanes all keep 2^k normal, ExpSplitFastF. SplitNegated(x) splits e^-x, the fast
// path folding the sign into its reduction: one instruction fewer on the chain, bit-identical.
struct AnyRangeExp {
  template <class DF, class VF>
  static ExpSplit<DF> Split(DF df, VF x) {
    return ExpSplitF(df, x);
  }
  template <class DF, class VF>
  static ExpSplit<DF> SplitNegated(DF df, VF x) {
    return ExpSplitF(df, hn::Neg(x));
  }
};
struct NormalRangeExp {
  template <class DF, class VF>
  static ExpSplit<DF, true> Split(DF df, VF x) {
    return ExpSplitFastF(df, x);
  }
  template <class DF, class VF>
  static ExpSplit<DF, true> SplitNegated(DF df, VF x) {
    return ExpSplitFastF</*kNegate=*/true>(df, x);
  }
};

// Exp's split of e^-x for x >= 0, where lanes with x <= fast_limit (at most 87, so that 2^k is
// normal) take the fast path's split bit for bit also on the general path: the general split
// rounds m differently, and a lane's result must not depend on whether a neighbour in its vector
// lies beyond the fast range. On the fast path the caller keeps x within fast_limit.
template <class Exp, class DF, class VF>
HWY_INLINE auto SplitNegatedAsFastF(DF df, VF x, float fast_limit) {
  if constexpr (std::is_same_v<Exp, NormalRangeExp>) {
    return Exp::SplitNegated(df, x);
  } else {
    auto s = Exp::SplitNegated(df, x);
    const VF limit = hn::Set(df, fast_limit);
    const auto fast = NormalRangeExp::SplitNegated(df, hn::Min(x, limit));
    const auto near = hn::Le(x, limit);  // false for NaN
    s.m = hn::IfThenElse(near, fast.m, s.m);
    s.m_low = hn::IfThenElse(near, fast.m_low, s.m_low);
    s.scale_high = hn::IfThenElse(near, fast.scale_high, s.scale_high);
    s.scale_low = hn::IfThenElse(near, hn::Set(df, 1.0f), s.scale_low);
    return s;
  }
}

// e^x for x <= 88; 0 below -104 (where e^x is below half the smallest subnormal).
template <class Exp = AnyRangeExp, class DF, class VF>
HWY_INLINE VF ExpF(DF df, VF x) {
  const auto s = Exp::Split(df, x);
  const VF e = s.Scale(hn::Add(s.m, s.m_low));  // m + m_low rounded once
  if constexpr (std::is_same_v<Exp, NormalRangeExp>) return e;
  return hn::IfThenElseZero(hn::Ge(x, hn::Set(df, -104.0f)), e);
}

// e^x - 1 for x <= 0 as fma(2^k, p, 2^k - 1): one rounding, so nothing cancels near 0-.
template <class Exp = AnyRangeExp, class DF, class VF>
HWY_INLINE VF Expm1NonPositiveF(DF df, VF x) {
  const VF one = hn::Set(df, 1.0f);
  // e^-40 is below half an ulp of 1. p needs the polynomial's split (the table's has none).
  const VF xc = hn::Max(x, hn::Set(df, -40.0f));
  const auto s = [&] {
    if constexpr (std::is_same_v<Exp, NormalRangeExp>) return ExpSplitNormalF(df, xc);
    return Exp::Split(df, xc);
  }();
  const VF scale = s.Scale(one);
  return hn::MulAdd(scale, s.p, hn::Sub(scale, one));
}

// (n + n_low) / (d + d_low) rounded about once: a first quotient, its residual (exact by fma)
// with the low parts, and one correction scaled by an approximate reciprocal. On AVX-512 the
// first quotient is n times the 2^-14 reciprocal itself, which the correction squares to 2^-28,
// for d in [2^-126, 2^126] (kWideDivisor: any d, by a division); elsewhere it is a division, as
// the 2^-12 reciprocal there would leave 2^-24.
template <bool kWideDivisor, class VF>
HWY_INLINE VF FirstQuotientF(VF n, VF d, VF inverse) {
#if HWY_TARGET <= HWY_AVX3
  return kWideDivisor ? hn::Div(n, d) : hn::Mul(n, inverse);
#else
  (void)inverse;
  return hn::Div(n, d);
#endif
}
template <bool kWideDivisor = false, class VF>
HWY_INLINE VF DivideF(VF n, VF n_low, VF d, VF d_low) {
  const VF inverse = hn::ApproximateReciprocal(d);
  const VF q = FirstQuotientF<kWideDivisor>(n, d, inverse);
  const VF residual = hn::Add(hn::NegMulAdd(q, d, n), hn::NegMulAdd(q, d_low, n_low));
  return hn::MulAdd(residual, inverse, q);
}

// n / (d + d_low) for an exact numerator and d in [2^-126, 2^126], as DivideF with one
// operation fewer.
template <class VF>
HWY_INLINE VF DivideF(VF n, VF d, VF d_low) {
  const VF inverse = hn::ApproximateReciprocal(d);
  const VF q = FirstQuotientF<false>(n, d, inverse);
  return hn::MulAdd(hn::NegMulAdd(q, d_low, hn::NegMulAdd(q, d, n)), inverse, q);
}

// a + b with its exact rounding error in *low (2Sum: either may be the larger), in float or
// double lanes.
template <class Vec>
HWY_INLINE Vec TwoSum(Vec a, Vec b, Vec* low) {
  const Vec sum = hn::Add(a, b);
  const Vec back = hn::Sub(sum, a);
  *low = hn::Add(hn::Sub(a, hn::Sub(sum, back)), hn::Sub(b, back));
  return sum;
}

// (d + d_low)^2 as a double-float (or double-double).
template <class VF>
HWY_INLINE void SquareF(VF d, VF d_low, VF* square, VF* low) {
  *square = hn::Mul(d, d);
  *low = hn::MulAdd(hn::Add(d, d), d_low, hn::MulSub(d, d, *square));
}

// 1 + e as a double-float, for e = 2^k (m + m_low) <= 1 (from ExpSplitF): the sum, and its
// exact rounding error plus e's low part. Also returns e.
template <class DF, bool kNormal, class VF>
HWY_INLINE VF OnePlusF(DF df, const ExpSplit<DF, kNormal>& s, VF* sum, VF* low) {
  const VF one = hn::Set(df, 1.0f);
  const VF e = s.Scale(s.m);
  *sum = hn::Add(one, e);
  *low = s.ScaleAdd(s.m_low, hn::Sub(e, hn::Sub(*sum, one)));
  return e;
}

// log(1 + e) for e = e_high + e_low in [0, 1] as 2 atanh(s), s = e/(2 + e) <= 1/3, from a
// compensated quotient and atanh(s) = s (1 + z P(z)), z = s^2, P of degree 4 fitted by
// scripts/fit_float_polynomials.py (z P within 2^-29 of its value): no 1 + e is ever rounded,
// so the result keeps e's relative accuracy down to subnormal e. Returned unrounded as
// 2s + *tail.
template <class DF, class VF>
HWY_INLINE VF Log1pUnitF(DF df, VF e_high, VF e_low, VF* tail) {
  const VF two = hn::Set(df, 2.0f);
  const VF d = hn::Add(two, e_high);  // exact error by Fast2Sum, since 2 >= e
  const VF d_low = hn::Add(hn::Sub(e_high, hn::Sub(d, two)), e_low);
  const VF s = DivideF(e_high, e_low, d, d_low);
  const VF z = hn::Mul(s, s);
  static constexpr float kP[5] = {
#include "tables/log1p_atanh.inc"
  };
  VF series = hn::Set(df, kP[4]);
  for (const float c : {kP[3], kP[2], kP[1], kP[0]}) series = hn::MulAdd(series, z, hn::Set(df, c));
  const VF two_s = hn::Add(s, s);
  *tail = hn::Mul(hn::Mul(two_s, z), series);
  return two_s;
}

}  // namespace sigma::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // SIGMA_KERNELS_FLOAT_MATH_INL_H_
