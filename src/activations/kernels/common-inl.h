// What every kernel family shares: the lane types (double V, float VF), constants, double-float
// sums, polynomials near a root of f', and on AVX-512 the tables of 32 polynomials read with one
// permute per coefficient.

#if defined(SIGMA_KERNELS_COMMON_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef SIGMA_KERNELS_COMMON_INL_H_
#undef SIGMA_KERNELS_COMMON_INL_H_
#else
#define SIGMA_KERNELS_COMMON_INL_H_
#endif

#include <cmath>
#include <cstddef>

#include "activations/kernels/float_math-inl.h"
#include "activations/kernels/vector_math-inl.h"
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace sigma::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using D = hn::ScalableTag<double>;
using V = hn::Vec<D>;
using M = hn::Mask<D>;
// Kernels that also run natively in float lanes (where the float formulation is exhaustively
// within sigma's bounds) define ValueF<Exp>/GradF<Exp> and say when by FloatNative(); Exp is
// where their exponentials come from (float_math-inl.h).
using DF = hn::ScalableTag<float>;
using VF = hn::Vec<DF>;
using MF = hn::Mask<DF>;

HWY_INLINE VF ConstantF(float c) { return hn::Set(DF(), c); }
// Float kernels name with FastRangeF(x) the inputs where their exponentials stay normal; a
// vector whose lanes all lie there takes the shorter NormalRangeExp path, and NaN never does.
HWY_INLINE MF InRangeF(VF x, float lo, float hi) {
  return hn::And(hn::Ge(x, ConstantF(lo)), hn::Le(x, ConstantF(hi)));
}

// A base for kernels whose float f and f' take every input in one path on AVX-512, specials
// included: f needs no general path, and f''s fast range is every input but NaN (which the
// general path passes through). Elsewhere they run in double lanes and it is empty.
struct EveryInputF {
#if HWY_TARGET <= HWY_AVX3
  bool FloatNative() const { return true; }
  MF FastRangeF(VF x) const { return hn::Eq(x, x); }
  static constexpr bool kValueHandlesSpecialsF = true;
#endif
};

// An odd function's value from v, its value at |x|: x's sign given to v, NaN passed through.
HWY_INLINE VF OddFromAbsF(VF x, VF v) {
  return hn::IfThenElse(hn::IsNaN(x), x, hn::CopySignToAbs(v, x));
}

HWY_INLINE V Constant(double c) { return hn::Set(D(), c); }
HWY_INLINE V Zero() { return hn::Zero(D()); }
HWY_INLINE V One() { return Constant(1.0); }
HWY_INLINE V Select(M m, V yes, V no) { return hn::IfThenElse(m, yes, no); }
HWY_INLINE M Positive(V x) { return hn::Gt(x, Zero()); }

// Kernels may name inputs their double-lane formula does not cover with Scalar(x), and, for
// double arrays only, inputs where it is less accurate than the double reference (roots of f'
// where its terms cancel, tails where an argument's rounding is amplified) with ScalarDouble(x):
// those lanes are recomputed with the scalar reference. Float results are unaffected by either
// weakness, being rounded from double.

// A double constant as an unevaluated sum of two floats.
struct SplitConstant {
  VF hi, lo;
  explicit SplitConstant(double c)
      : hi(ConstantF(static_cast<float>(c))),
        lo(ConstantF(static_cast<float>(c - static_cast<float>(c)))) {}
  VF Times(VF v) const { return hn::MulAdd(hi, v, hn::Mul(lo, v)); }  // c v, ~one rounding
  // c v for any v: the low part is dropped at infinities, so that they give the exact +-inf
  // (not inf - inf, nor 0 inf where lo is 0); NaN stays NaN.
  VF TimesAny(VF v) const {
    return hn::MulAdd(hi, v, hn::IfThenZeroElse(hn::IsInf(v), hn::Mul(lo, v)));
  }
};

// a + b for non-negative a and b, with its exact rounding error in *low (Fast2Sum, larger term
// first).
HWY_INLINE VF SumOfNonNegativeF(VF a, VF b, VF* low) {
  const VF big = hn::Max(a, b), small = hn::Min(a, b);
  const VF total = hn::Add(big, small);
  *low = hn::Sub(small, hn::Sub(total, big));
  return total;
}

// c + b for a power of two c and 0 <= b < 2^24 c, with its exact rounding error in *low:
// Fast2Sum with c first, exact even where b > c, since c is then a multiple of ulp(b).
HWY_INLINE VF PowerOfTwoPlusF(float c, VF b, VF* low) {
  const VF power = ConstantF(c);
  const VF total = hn::Add(power, b);
  *low = hn::Sub(b, hn::Sub(total, power));
  return total;
}

// f'(x) = h P(h) near a root x0 = x0_high + x0_low of f', h = x - x0 (x - x0_high is exact there
// by Sterbenz's lemma), with P fitted by scripts/fit_float_polynomials.py: where a general formula
// for f' cancels, this keeps its relative accuracy down to the float nearest the root.
template <size_t kTerms>
struct RootPolynomialF {
  float x0_high, x0_low, lo, hi;  // the window: x in [lo, hi]
  float c[kTerms];
  MF Within(VF x) const { return InRangeF(x, lo, hi); }
  VF operator()(VF x) const {
    const VF h = hn::Sub(hn::Sub(x, ConstantF(x0_high)), ConstantF(x0_low));
    VF p = ConstantF(c[kTerms - 1]);
    for (size_t k = kTerms - 1; k-- > 0;) p = hn::MulAdd(p, h, ConstantF(c[k]));
    return hn::Mul(h, p);
  }
};

#if HWY_TARGET <= HWY_AVX3
// c_0 + c_1 w + ... + c_n w^n with the coefficients picked per lane from tables of 32 (AVX-512,
// one permute each): rows[0] and rows[1] the high and low parts of c_0, rows[k + 1] c_k. With
// `low`, unrounded: returns c_0's high part and sets *low to the rest; else rounded, without
// c_0's low part (half an ulp more, one permute fewer).
template <size_t kRows, class VI>
HWY_INLINE VF TablePolynomialF(const float (&rows)[kRows][32], VI lane, VF w, VF* low) {
  const DF df;
  VF p = Lookup32F(df, rows[kRows - 1], lane);
  for (size_t k = kRows - 2; k >= 2; --k) p = hn::MulAdd(p, w, Lookup32F(df, rows[k], lane));
  const VF c0 = Lookup32F(df, rows[0], lane);
  if (low == nullptr) return hn::MulAdd(p, w, c0);
  *low = hn::MulAdd(p, w, Lookup32F(df, rows[1], lane));
  return c0;
}

// A table from half_binade_table in scripts/fit_float_polynomials.py at a >= 0 within its
// range: lane max(0, (bits(a) >> 22) - kOffset), its exponent and top mantissa bit, and the
// polynomial in h = a - the lane's midpoint (exact: both lie in one binade), returned unrounded
// as c0's high part and *low (the rest; in lane 0, whose midpoint is 0, all of it for an odd
// function, which keeps its relative accuracy down to 0).
template <int kOffset, size_t kRows>
HWY_INLINE VF HalfBinadeTableF(const float (&rows)[kRows][32], VF a, VF* low) {
  const DF df;
  const hn::RebindToSigned<DF> di;
  const auto bits = hn::ShiftRight<22>(hn::BitCast(di, a));
  const auto lane = hn::Max(hn::Sub(bits, hn::Set(di, kOffset)), hn::Zero(di));
  const VF h = hn::Sub(a, Lookup32F(df, rows[0], lane));
  VF p = Lookup32F(df, rows[kRows - 1], lane);
  for (size_t k = kRows - 2; k >= 3; --k) p = hn::MulAdd(p, h, Lookup32F(df, rows[k], lane));
  *low = hn::MulAdd(p, h, Lookup32F(df, rows[2], lane));
  return Lookup32F(df, rows[1], lane);
}

// The tables below cover |x| < 8, where most activations' inputs lie; a kernel's table path
// takes the vectors whose lanes all do (TableRangeF).
HWY_INLINE MF WithinTablesF(VF x) { return hn::Lt(hn::Abs(x), ConstantF(8.0f)); }

// The lane and variable of a table of intervals 1/scale wide: lane k mod 32 for k = round(scale x)
// (adding 1.5 2^23 leaves it in v's low bits), w = scale x - k (exact where scale x has no bits
// below 2^-24, else within 2^-25, by which the tables' functions change by less than their value).
HWY_INLINE hn::Vec<hn::RebindToSigned<DF>> TableLaneF(VF x, float scale, VF* w) {
  const VF shifter = ConstantF(0x1.8p23f);
  const VF v = hn::MulAdd(x, ConstantF(scale), shifter);
  *w = hn::MulAdd(x, ConstantF(scale), hn::Sub(shifter, v));
  return hn::BitCast(hn::RebindToSigned<DF>(), v);
}

// A table from signed_table in scripts/fit_float_polynomials.py at x, |x| < 8: 31 intervals
// 8/15 wide, k = round(15x/8) in [-15, 15]. As TablePolynomialF.
template <size_t kRows>
HWY_INLINE VF SignedTablePolynomialF(const float (&rows)[kRows][32], VF x, VF* low) {
  VF w;
  const auto lane = TableLaneF(x, 15.0f / 8, &w);
  return TablePolynomialF(rows, lane, w, low);
}

// (x - x0) P(x) for a SignedTablePolynomialF P and a root x0 = x0_high + x0_low of the function
// (x - x0_high exact near it), so that the function keeps its relative accuracy there.
template <size_t kRows>
HWY_INLINE VF TableTimesFromRootF(const float (&rows)[kRows][32], float x0_high, float x0_low,
                                  VF x) {
  VF low;
  const VF c0 = SignedTablePolynomialF(rows, x, &low);
  const VF from_root = hn::Sub(hn::Sub(x, ConstantF(x0_high)), ConstantF(x0_low));
  return hn::Mul(from_root, hn::Add(c0, low));
}

#endif  // HWY_TARGET <= HWY_AVX3

}  // namespace sigma::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // include guard
