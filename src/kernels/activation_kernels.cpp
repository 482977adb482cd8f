// SIMD kernels for every catalog function, compiled once per Highway target and dispatched at
// run time. Each kernel type computes f, f' and (where the catalog has it) f' from the output in
// double lanes; float arrays are promoted, evaluated and rounded once, so that float results are
// within 0.5 ulp (plus ~2^-27) of the double reference. The headline functions also have float-
// lane formulations (ValueF/GradF) with double-float corrections, swept over all 2^32 inputs,
// which float arrays use on targets with fma. Lanes the vector code does not cover (infinite
// inputs, and the few ranges a kernel names in Scalar()) are recomputed with the scalar
// reference.

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "hwy/cache_control.h"
#include "kernels/kernels.hpp"

// Highway re-includes this file once per target: foreach_target.h must follow the definition of
// HWY_TARGET_INCLUDE and precede every -inl.h header.
// clang-format off
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/activation_kernels.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "hwy/contrib/math/math-inl.h"
#include "kernels/float_math-inl.h"
#include "kernels/vector_math-inl.h"
// clang-format on

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

// ---- Linear, step and sign ----

struct Identity {
  explicit Identity(const Params&) {}
  V Value(V x) const { return x; }
  V Grad(V) const { return One(); }
  V GradFromOutput(V) const { return One(); }
};

struct Step {
  explicit Step(const Params&) {}
  V Value(V x) const { return hn::IfThenElseZero(Positive(x), One()); }
  V Grad(V) const { return Zero(); }
  V GradFromOutput(V) const { return Zero(); }
};

struct Sign {
  explicit Sign(const Params&) {}
  V Value(V x) const {  // zeros keep their sign
    return Select(Positive(x), One(), Select(hn::Lt(x, Zero()), Constant(-1.0), x));
  }
  V Grad(V) const { return Zero(); }
  V GradFromOutput(V) const { return Zero(); }
};

// ---- Sigmoids ----

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
// as rounded: half an ulp that sigmoid, silu and silu' can afford (exhaustively 1.50, 1.66 and
// 3.30 ulp against bounds of 2, 2 and 4) for six operations fewer on their critical path.
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

// A table from print_signed_table in scripts/fit_float_polynomials.py at x, |x| < 8: 31 intervals
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

// softplus(x) for |x| < 8 (softplus and logsigmoid, AVX-512): degree 6, fit within 2^-28.4.
HWY_INLINE VF SoftplusTableF(VF x) {
  static constexpr float kTable[8][32] = {
      {0x1.62e43p-1f,  0x1.fd6adap-1f, 0x1.5cc84cp+0f,  0x1.c8adb8p+0f,  0x1.1f65p+1f,
       0x1.5dee8cp+1f, 0x1.9eb6cap+1f, 0x1.e0e43ap+1f,  0x1.11f55p+2f,   0x1.33b97cp+2f,
       0x1.55a43ep+2f, 0x1.77a5cep+2f, 0x1.99b4ccp+2f,  0x1.bbcbb2p+2f,  0x1.dde73cp+2f,
       0x1.0002cp+3f,  0x0p+0f,        0x1.5fb2f6p-12f, 0x1.2bb7f4p-11f, 0x1.fecc84p-11f,
       0x1.b334bp-10f, 0x1.72b5d6p-9f, 0x1.3ba4a8p-8f,  0x1.0c9198p-7f,  0x1.c87d84p-7f,
       0x1.832deep-6f, 0x1.474c36p-5f, 0x1.1326e8p-4f,  0x1.ca7decp-4f,  0x1.78a0f4p-3f,
       0x1.2edceep-2f, 0x1.d8b392p-2f},
      {-0x1.05c61p-29f,  -0x1.9439a8p-27f, 0x1.50c974p-25f,  0x1.ad9e64p-29f,  0x1.b1d3c8p-25f,
       0x1.2bdafcp-24f,  0x1.ccff66p-25f,  -0x1.1feaf2p-25f, -0x1.647a3p-25f,  -0x1.035ea8p-31f,
       0x1.fd47dp-24f,   0x1.929b94p-25f,  0x1.c9326ap-23f,  0x1.fd461p-26f,   -0x1.8a0d46p-24f,
       -0x1.34263ep-22f, 0x0p+0f,          0x1.c1dc4cp-38f,  -0x1.2f89ap-38f,  -0x1.d6b29p-36f,
       -0x1.92fdeap-40f, 0x1.bfb0b8p-34f,  -0x1.b0c41ep-37f, 0x1.2c75e4p-32f,  0x1.7ea3a6p-32f,
       -0x1.d89a68p-31f, 0x1.a64016p-31f,  0x1.305062p-32f,  -0x1.2707c4p-29f, -0x1.8594cep-29f,
       0x1.753a96p-28f,  -0x1.d87decp-27f},
      {0x1.111112p-2f,  0x1.5834c4p-2f,  0x1.964d7ep-2f, 0x1.c6649ap-2f,  0x1.e84c62p-2f,
       0x1.fea6cap-2f,  0x1.065f3p-1f,   0x1.0ab078p-1f, 0x1.0d49f8p-1f,  0x1.0ed676p-1f,
       0x1.0fc13p-1f,   0x1.104ba2p-1f,  0x1.109d1cp-1f, 0x1.10ccfep-1f,  0x1.10e91ep-1f,
       0x1.10f9ap-1f,   0x0p+0f,         0x1.77153p-13f, 0x1.3f9bc2p-12f, 0x1.104b1cp-11f,
       0x1.cfd59cp-11f, 0x1.8add9cp-10f, 0x1.4fe068p-9f, 0x1.1d4d74p-8f,  0x1.e38c0ap-8f,
       0x1.982656p-7f,  0x1.563c3ep-6f,  0x1.1bdac8p-5f, 0x1.ceadfcp-5f,  0x1.6ef62p-4f,
       0x1.17a946p-3f,  0x1.93dabcp-3f},
      {0x1.23456ap-5f,  0x1.0f8096p-5f,  0x1.bbdb1cp-6f,  0x1.45ac5ap-6f,  0x1.b942d6p-7f,
       0x1.1b1b6cp-7f,  0x1.5ec0f6p-8f,  0x1.a9313ap-9f,  0x1.fca5a2p-10f, 0x1.2dd6a8p-10f,
       0x1.648bc2p-11f, 0x1.a3fffp-12f,  0x1.edf01p-13f,  0x1.22297ep-13f, 0x1.54b974p-14f,
       0x1.8ff55ap-15f, 0x0p+0f,         0x1.8ff44p-15f,  0x1.54b886p-14f, 0x1.2229d8p-13f,
       0x1.edef9ep-13f, 0x1.a4001ep-12f, 0x1.648c08p-11f, 0x1.2dd6b4p-10f, 0x1.fca5ep-10f,
       0x1.a9312ep-9f,  0x1.5ec0e8p-8f,  0x1.1b1b64p-7f,  0x1.b942dcp-7f,  0x1.45ac58p-6f,
       0x1.bbdb1cp-6f,  0x1.0f8094p-5f},
      {-0x1.df31cap-23f, -0x1.926022p-10f, -0x1.33fb78p-9f,  -0x1.339202p-9f,  -0x1.ee9d9cp-10f,
       -0x1.5e631p-10f,  -0x1.cbfc64p-11f, -0x1.204eb4p-11f, -0x1.5f343ep-12f, -0x1.a61b5ap-13f,
       -0x1.f4e2f2p-14f, -0x1.287514p-14f, -0x1.5f6a8ap-15f, -0x1.998faap-16f, -0x1.ea79dap-17f,
       -0x1.205748p-17f, 0x0p+0f,          0x1.1c38ep-17f,   0x1.e407c6p-17f,  0x1.9bdfeep-16f,
       0x1.5e12fcp-15f,  0x1.28fb26p-14f,  0x1.f634e4p-14f,  0x1.a64462p-13f,  0x1.5fb2bap-12f,
       0x1.203cfcp-11f,  0x1.cbc4acp-11f,  0x1.5e5536p-10f,  0x1.eea7b2p-10f,  0x1.339314p-9f,
       0x1.34048cp-9f,   0x1.92621p-10f},
      {-0x1.b9f17ap-12f, -0x1.4807f2p-12f, -0x1.80b46p-14f, 0x1.3ef64p-14f,  0x1.2130aep-13f,
       0x1.10d8e8p-13f,  0x1.9bb50ap-14f,  0x1.164bd6p-14f, 0x1.62b8a6p-15f, 0x1.b3cf68p-16f,
       0x1.07368ep-16f,  0x1.399156p-17f,  0x1.720a86p-18f, 0x1.b708aap-19f, 0x1.ff6f06p-20f,
       0x1.2c914ap-20f,  0x0p+0f,          0x1.2ec59cp-20f, 0x1.0192fp-19f,  0x1.b5a114p-19f,
       0x1.72ed86p-18f,  0x1.39349cp-17f,  0x1.06aabap-16f, 0x1.b3a116p-16f, 0x1.623d42p-15f,
       0x1.16634p-14f,   0x1.9bee92p-14f,  0x1.10f8dp-13f,  0x1.2119f8p-13f, 0x1.3f1408p-14f,
       -0x1.80b52p-14f,  -0x1.47faf8p-12f},
      {0x1.7fe048p-21f,  0x1.45c178p-15f,  0x1.61c2a2p-15f,  0x1.7c535ap-16f,  0x1.b70086p-19f,
       -0x1.21d25cp-18f, -0x1.73018ap-18f, -0x1.5fa5b2p-18f, -0x1.70d89p-18f,  -0x1.7d8acep-19f,
       -0x1.5fe136p-19f, -0x1.709c6p-20f,  -0x1.36fe7p-24f,  -0x1.a6491ep-21f, 0x1.b91244p-22f,
       0x1.24b6e2p-22f,  0x0p+0f,          0x1.01e842p-23f,  0x1.b59d4ep-23f,  0x1.72da2p-22f,
       0x1.39a86ep-21f,  0x1.056022p-20f,  0x1.b178d6p-20f,  0x1.5cbb22p-19f,  0x1.0bacecp-18f,
       0x1.7bfc8ap-18f,  0x1.cc2622p-18f,  0x1.4e1db6p-18f,  -0x1.f75e92p-19f, -0x1.7e0a76p-16f,
       -0x1.690848p-15f, -0x1.467d7cp-15f},
      {0x1.124d7ap-17f,  0x1.08d882p-18f, -0x1.34519ap-19f, -0x1.f781c6p-19f, -0x1.4606ep-19f,
       -0x1.41c29cp-21f, 0x1.042752p-22f, 0x1.69577ap-22f,  0x1.610fap-24f,   0x1.6b5f5ep-23f,
       0x1.0c27p-25f,    0x1.93194ep-25f, 0x1.8f9edp-24f,   -0x1.e308fp-29f,  0x1.09a8f2p-24f,
       0x1.3c0734p-25f,  0x0p+0f,         0x1.68ff1p-27f,   0x1.2e572ap-26f,  0x1.015a58p-25f,
       0x1.b4b788p-25f,  0x1.5e67bcp-24f, 0x1.22a1c4p-23f,  0x1.b455cp-23f,   0x1.1d497ap-22f,
       0x1.1f34e8p-22f,  0x1.27f67ep-24f, -0x1.a7bccep-21f, -0x1.344db8p-19f, -0x1.018506p-18f,
       -0x1.33e3ecp-19f, 0x1.fef462p-19f}};
  VF low;
  const VF c0 = SignedTablePolynomialF(kTable, x, &low);
  return hn::Add(c0, low);
}

// sigma(-a) for a in [0, 8], where one permute reads a table of 32 (AVX-512): the table path of
// sigmoid and silu, for vectors whose lanes all have |x| < 8 (most activations' inputs). From 32
// intervals of a 8/31 wide, a polynomial of degree 5 in w = 31a/8 - k for interval k (fit within
// 2^-29.6 by scripts/fit_float_polynomials.py; c0 is q at the midpoint, exactly 1/2 at 0): no
// exponential and no quotient. With `low` unrounded, as TablePolynomialF.
HWY_INLINE VF SigmoidOfNegativeF(VF a, VF* low = nullptr) {
  static constexpr float kTable[7][32] = {
      {0x1p-1f,         0x1.be4cbap-2f,  0x1.7eba6p-2f,  0x1.43257ap-2f,  0x1.0cf338p-2f,
       0x1.b9f46ap-3f,  0x1.670dd4p-3f,  0x1.20e804p-3f, 0x1.cd2f2ap-4f,  0x1.6da668p-4f,
       0x1.2055fcp-4f,  0x1.c4c12p-5f,   0x1.6239eep-5f, 0x1.145fc4p-5f,  0x1.ae5342p-6f,
       0x1.4e719ap-6f,  0x1.039406p-6f,  0x1.9285bep-7f, 0x1.37d69p-7f,   0x1.e2dd0ap-8f,
       0x1.75a8fep-8f,  0x1.210b54p-8f,  0x1.bf0c5p-9f,  0x1.59a212p-9f,  0x1.0b2d7p-9f,
       0x1.9d0146p-10f, 0x1.3f2df2p-10f, 0x1.ed4c4p-11f, 0x1.7d2d32p-11f, 0x1.26866p-11f,
       0x1.c72038p-12f, 0x1.5fa3dep-12f},
      {0x0p+0f,          -0x1.81ab06p-27f, 0x1.b9b3acp-31f,  0x1.f0d09ap-28f,  0x1.4a6da8p-27f,
       0x1.bf96bp-30f,   -0x1.d677ecp-33f, -0x1.ed4238p-28f, -0x1.848904p-29f, 0x1.63993ep-29f,
       -0x1.782d7ep-31f, 0x1.9d36ep-31f,   -0x1.26c1b4p-30f, 0x1.c4a3f4p-32f,  -0x1.657714p-32f,
       0x1.57ebeap-32f,  -0x1.831afcp-31f, 0x1.87b2f8p-32f,  0x1.eb63dp-32f,   0x1.a3d6d4p-33f,
       0x1.e9c042p-34f,  0x1.6e56a4p-33f,  -0x1.97488cp-36f, -0x1.2f4532p-34f, 0x1.488f3cp-37f,
       -0x1.2e260cp-35f, -0x1.c9ccaep-35f, 0x1.113ccap-37f,  0x1.faf97cp-36f,  -0x1.181d9p-37f,
       0x1.bcba08p-39f,  -0x1.05a10cp-37f},
      {-0x1.08421p-4f,   -0x1.03e82p-4f,   -0x1.eed2f8p-5f,  -0x1.c89c08p-5f,  -0x1.996ab4p-5f,
       -0x1.65c302p-5f,  -0x1.31a81cp-5f,  -0x1.0027e8p-5f,  -0x1.a675a8p-6f,  -0x1.57c02ap-6f,
       -0x1.14af5ep-6f,  -0x1.b98788p-7f,  -0x1.5dd788p-7f,  -0x1.13aa2p-7f,   -0x1.b08a24p-8f,
       -0x1.522f62p-8f,  -0x1.07b4d8p-8f,  -0x1.9a6728p-9f,  -0x1.3ed588p-9f,  -0x1.eec468p-10f,
       -0x1.7f83b6p-10f, -0x1.290d66p-10f, -0x1.cbe522p-11f, -0x1.63d77ap-11f, -0x1.133be4p-11f,
       -0x1.a9a7f2p-12f, -0x1.49130cp-12f, -0x1.fcbb48p-13f, -0x1.892fbep-13f, -0x1.2fdadcp-13f,
       -0x1.d59a7ap-14f, -0x1.6adc92p-14f},
      {-0x1.ae8b12p-33f, 0x1.136b22p-10f, 0x1.01ee44p-9f,  0x1.5bb5fcp-9f,  0x1.913e96p-9f,
       0x1.a3d35cp-9f,   0x1.99c4bep-9f,  0x1.7ba26p-9f,   0x1.51e2cep-9f,  0x1.237c82p-9f,
       0x1.eacc96p-10f,  0x1.9564aep-10f, 0x1.49e582p-10f, 0x1.095b54p-10f, 0x1.a709cep-11f,
       0x1.4ed7ap-11f,   0x1.079668p-11f, 0x1.9d3bd4p-12f, 0x1.42dadcp-12f, 0x1.f7339p-13f,
       0x1.875f1cp-13f,  0x1.2fee0cp-13f, 0x1.d77df4p-14f, 0x1.6d6218p-14f, 0x1.1af446p-14f,
       0x1.b60098p-15f,  0x1.52dcccp-15f, 0x1.0613b6p-15f, 0x1.95479cp-16f, 0x1.394de4p-16f,
       0x1.e454bcp-17f,  0x1.7650c4p-17f},
      {0x1.77691ep-12f,  0x1.5f10fep-12f,  0x1.1c44f4p-12f,  0x1.7fe5bp-13f,   0x1.78df4cp-14f,
       0x1.f39bd2p-18f,  -0x1.cc4074p-15f, -0x1.8d4c9cp-14f, -0x1.e0c71ep-14f, -0x1.f45538p-14f,
       -0x1.dd7c3ep-14f, -0x1.aec9p-14f,   -0x1.75a644p-14f, -0x1.3b0c2ep-14f, -0x1.041b8ep-14f,
       -0x1.a6daf6p-15f, -0x1.53a0bap-15f, -0x1.0e4e5p-15f,  -0x1.ab568ap-16f, -0x1.500f64p-16f,
       -0x1.072c9ap-16f, -0x1.9ae5e6p-17f, -0x1.400bbcp-17f, -0x1.f19584p-18f, -0x1.823eep-18f,
       -0x1.2b845cp-18f, -0x1.d0228cp-19f, -0x1.675bdep-19f, -0x1.161aeep-19f, -0x1.ae3ba8p-20f,
       -0x1.4cb8e8p-20f, -0x1.013f2p-20f},
      {0x1.a58466p-30f,  -0x1.7cefc4p-17f, -0x1.4aa49ap-16f, -0x1.887a68p-16f, -0x1.78bf38p-16f,
       -0x1.3335e6p-16f, -0x1.abf738p-17f, -0x1.ea64d6p-18f, -0x1.7fdfbcp-19f, 0x1.393ee6p-22f,
       0x1.2a5f2ep-19f,  0x1.ad470ep-19f,  0x1.d79354p-19f,  0x1.cac4f2p-19f,  0x1.a075f8p-19f,
       0x1.699702p-19f,  0x1.3074c4p-19f,  0x1.f5b2f8p-20f,  0x1.96e0ap-20f,   0x1.4636bep-20f,
       0x1.033978p-20f,  0x1.992d2cp-21f,  0x1.416cb4p-21f,  0x1.f7074ap-22f,  0x1.8854ecp-22f,
       0x1.31714ap-22f,  0x1.daa874p-23f,  0x1.705be4p-23f,  0x1.1d8b9ap-23f,  0x1.ba5aeep-24f,
       0x1.567fe2p-24f,  0x1.090576p-24f},
      {-0x1.32ae94p-19f, -0x1.24db4cp-19f, -0x1.40cd42p-20f, -0x1.9aae26p-23f, 0x1.341ec2p-21f,
       0x1.1b2baap-20f,  0x1.2a3ecp-20f,   0x1.f307f4p-21f,  0x1.9c2e14p-21f,  0x1.1aa7fep-21f,
       0x1.1d6354p-22f,  0x1.0836fp-23f,   0x1.1ca48cp-27f,  -0x1.7d9dbcp-25f, -0x1.58e5fcp-24f,
       -0x1.444a22p-24f, -0x1.45f7c8p-24f, -0x1.51ea3p-24f,  -0x1.2ad858p-24f, -0x1.c07ae4p-25f,
       -0x1.7e7556p-25f, -0x1.45b23ep-25f, -0x1.e288dp-26f,  -0x1.8bbcfcp-26f, -0x1.45d43ap-26f,
       -0x1.eedea4p-27f, -0x1.743ff6p-27f, -0x1.251eaap-27f, -0x1.bc5e8p-28f,  -0x1.721cfp-28f,
       -0x1.1a097cp-28f, -0x1.b4e9b4p-29f}};
  VF w;
  const auto lane = TableLaneF(a, 31.0f / 8, &w);
  return TablePolynomialF(kTable, lane, w, low);
}

// sigma(x) for |x| < 8 from the same table: sigma(-|x|) or 1 - sigma(-|x|), c0's low part kept.
HWY_INLINE VF SigmoidTableF(VF x) {
  VF low;
  const VF c0 = SigmoidOfNegativeF(hn::Abs(x), &low);
  const VF q = hn::Add(c0, low);
  return hn::IfThenElse(hn::Lt(x, hn::Zero(DF())), q, hn::Sub(ConstantF(1.0f), q));
}
#endif

// sigma(x): ScaledLogisticF without the factor's products.
template <class Exp>
HWY_INLINE VF LogisticF(VF x) {
  return ScaledLogisticF<Exp, false>(x, x);
}

struct Sigmoid {
  explicit Sigmoid(const Params&) {}
  V Value(V x) const { return Logistic(D(), x); }
  V Grad(V x) const { return LogisticGrad(D(), x); }
  V GradFromOutput(V y) const { return hn::Mul(y, hn::Sub(One(), y)); }

  bool FloatNative() const { return true; }
  MF FastRangeF(VF x) const { return hn::Le(hn::Abs(x), ConstantF(87.0f)); }
  template <class Exp>
  VF ValueF(VF x) const {
    return LogisticF<Exp>(x);
  }
#if HWY_TARGET <= HWY_AVX3
  MF TableRangeF(VF x) const { return WithinTablesF(x); }
  VF TableValueF(VF x) const {  // sigma(x) = 1 - sigma(-x) for x >= 0, c0's low part dropped
    const VF q = SigmoidOfNegativeF(hn::Abs(x));
    return hn::IfThenElse(hn::Lt(x, hn::Zero(DF())), q, hn::Sub(ConstantF(1.0f), q));
  }
  // q - q^2 = q (1 - q) by one fma, q = sigma(-|x|) with c0's low part: q's rounding counts at
  // most (1 - 2q)/(1 - q) <= 1 times, and nothing cancels (q^2 <= q/2). As q (1 - q), with
  // 1 - q and the product rounded too, 2.08 ulp.
  VF TableGradF(VF x) const {
    VF low;
    const VF c0 = SigmoidOfNegativeF(hn::Abs(x), &low);
    const VF q = hn::Add(c0, low);
    return hn::NegMulAdd(q, q, q);
  }
#endif
  template <class Exp>
  VF GradF(VF x) const {  // e/(1+e)^2
    const DF df;
    const auto s = Exp::SplitNegated(df, hn::Abs(x));
    VF d, d_low, d2, d2_low;
    OnePlusF(df, s, &d, &d_low);
    SquareF(d, d_low, &d2, &d2_low);
    return s.Scale(DivideF(s.m, s.m_low, d2, d2_low));
  }
};

struct Tanh {
  explicit Tanh(const Params&) {}
  V Value(V x) const { return hn::Tanh(D(), x); }
  V Grad(V x) const { return SechSquared(D(), x); }
  V GradFromOutput(V y) const { return hn::Mul(hn::Sub(One(), y), hn::Add(One(), y)); }

  bool FloatNative() const { return true; }
  // f' where e^-2|x| is normal. f takes the fast path at every input: it clamps |x| at 9.5,
  // beyond which tanh rounds to 1, so infinities give +-1, and NaN is passed through.
  MF FastRangeF(VF x) const { return hn::Le(hn::Abs(x), ConstantF(43.0f)); }
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
    return hn::IfThenElse(hn::IsNaN(x), x, hn::CopySignToAbs(value, x));
  }
#if HWY_TARGET <= HWY_AVX3
  // Where one permute reads a table of 32 (AVX-512): tanh a for a in [0, 9.5] on 32 intervals,
  // [0, 2^-12) and then half binades (a's exponent and top mantissa bit pick the interval), as a
  // polynomial of degree 7 in h = a - the interval's midpoint (exact: both in one binade), from
  // scripts/fit_float_polynomials.py (fit within 2^-27.5, c0 rounded to float). No exponential
  // and no division: eight table lookups and seven multiply-adds on a short dependency chain.
  static VF PiecewiseF(VF a) {
    static constexpr float kTable[9][32] = {
        {0x0p+0f,   0x1.4p-12f, 0x1.cp-12f, 0x1.4p-11f, 0x1.cp-11f, 0x1.4p-10f, 0x1.cp-10f,
         0x1.4p-9f, 0x1.cp-9f,  0x1.4p-8f,  0x1.cp-8f,  0x1.4p-7f,  0x1.cp-7f,  0x1.4p-6f,
         0x1.cp-6f, 0x1.4p-5f,  0x1.cp-5f,  0x1.4p-4f,  0x1.cp-4f,  0x1.4p-3f,  0x1.cp-3f,
         0x1.4p-2f, 0x1.cp-2f,  0x1.4p-1f,  0x1.cp-1f,  0x1.4p+0f,  0x1.cp+0f,  0x1.4p+1f,
         0x1.cp+1f, 0x1.4p+2f,  0x1.cp+2f,  0x1.18p+3f},
        {0x0p+0f,         0x1.4p-12f,      0x1.bffffep-12f, 0x1.3ffffep-11f, 0x1.bffff8p-11f,
         0x1.3ffff6p-10f, 0x1.bfffe4p-10f, 0x1.3fffd6p-9f,  0x1.bfff8ep-9f,  0x1.3fff5ap-8f,
         0x1.bffe36p-8f,  0x1.3ffd66p-7f,  0x1.bff8dap-7f,  0x1.3ff596p-6f,  0x1.bfe36cp-6f,
         0x1.3fd65cp-5f,  0x1.bf8dcep-5f,  0x1.3f59bep-4f,  0x1.be38d8p-4f,  0x1.3d6bc8p-3f,
         0x1.b8fd04p-3f,  0x1.35f98ap-2f,  0x1.a5729ep-2f,  0x1.1bf47ep-1f,  0x1.68665p-1f,
         0x1.b2523cp-1f,  0x1.e1fbfap-1f,  0x1.f92582p-1f,  0x1.ff112cp-1f,  0x1.fff41ap-1f,
         0x1.ffffc8p-1f,  0x1.fffffep-1f},
        {0x1p+0f,         0x1.fffffep-1f, 0x1.fffffap-1f, 0x1.fffff4p-1f, 0x1.ffffe6p-1f,
         0x1.ffffcep-1f,  0x1.ffff9ep-1f, 0x1.ffff38p-1f, 0x1.fffe78p-1f, 0x1.fffce2p-1f,
         0x1.fff9ep-1f,   0x1.fff382p-1f, 0x1.ffe78p-1f,  0x1.ffce04p-1f, 0x1.ff9e0cp-1f,
         0x1.ff3834p-1f,  0x1.fe78c8p-1f, 0x1.fce34p-1f,  0x1.f9ec6cp-1f, 0x1.f3b36p-1f,
         0x1.e842cap-1f,  0x1.d11574p-1f, 0x1.a945b8p-1f, 0x1.6284c2p-1f, 0x1.02500ap-1f,
         0x1.1f2514p-2f,  0x1.d22ca2p-4f, 0x1.b3afe2p-6f, 0x1.dd37dp-9f,  0x1.7ccec2p-13f,
         0x1.be6c2ep-19f, 0x1.af455ap-24f},
        {0x0p+0f,          0x0p+0f,         0x0p+0f,         -0x1.4e4c06p-9f, 0x1.ede8fp-10f,
         -0x1.e9a8bcp-10f, -0x1.5ecdcep-9f, -0x1.266d5ap-9f, -0x1.d23c3ep-9f, -0x1.55162ap-8f,
         -0x1.aa96acp-8f,  -0x1.4509d6p-7f, -0x1.b98b8ap-7f, -0x1.40594ep-6f, -0x1.bddc94p-6f,
         -0x1.3f6aa8p-5f,  -0x1.be60d4p-5f, -0x1.3d739cp-4f, -0x1.b8d7b4p-4f, -0x1.35d336p-3f,
         -0x1.a48858p-3f,  -0x1.199188p-2f, -0x1.5e08aep-2f, -0x1.8935d6p-2f, -0x1.6ba566p-2f,
         -0x1.e7298cp-3f,  -0x1.b6dc5p-4f,  -0x1.add70ep-6f, -0x1.dc4bd4p-9f, -0x1.7da3ep-13f,
         -0x1.b21bfp-19f,  -0x1.790916p-24f},
        {-0x1.555556p-2f, 0x0p+0f,         0x0p+0f,         0x0p+0f,         0x0p+0f,
         0x0p+0f,         0x0p+0f,         0x0p+0f,         0x0p+0f,         -0x1.b65c5ap-2f,
         -0x1.3b8632p-2f, -0x1.6b9feap-2f, -0x1.47acccp-2f, -0x1.571e1ep-2f, -0x1.516886p-2f,
         -0x1.535aa6p-2f, -0x1.519662p-2f, -0x1.4d613ap-2f, -0x1.45421p-2f,  -0x1.351e16p-2f,
         -0x1.1828ccp-2f, -0x1.c199aep-3f, -0x1.16d60ap-3f, -0x1.23d4d6p-6f, 0x1.4f191ap-4f,
         0x1.bbac7ep-4f,  0x1.01bbb2p-4f,  0x1.16defap-6f,  0x1.3c41f8p-9f,  0x1.fbadbep-14f,
         0x1.282fb2p-19f, 0x1.41f072p-24f},
        {0x0p+0f,          0x0p+0f,         0x0p+0f,         0x0p+0f,          0x0p+0f,
         0x0p+0f,          0x0p+0f,         0x0p+0f,         0x0p+0f,          0x0p+0f,
         0x0p+0f,          0x0p+0f,         0x0p+0f,         0x0p+0f,          0x0p+0f,
         0x0p+0f,          0x0p+0f,         0x0p+0f,         0x0p+0f,          0x1.be26a6p-4f,
         0x1.f93426p-4f,   0x1.420f44p-3f,  0x1.5049a2p-3f,  0x1.1393bp-3f,    0x1.eeecd4p-5f,
         -0x1.9bac3ap-7f,  -0x1.7f03f2p-6f, -0x1.0816acp-7f, -0x1.3ac31ap-10f, -0x1.eec534p-15f,
         -0x1.62f662p-20f, 0x0p+0f},
        {0x0p+0f,         0x0p+0f,        0x0p+0f,        0x0p+0f,         0x0p+0f,
         0x0p+0f,         0x0p+0f,        0x0p+0f,        0x0p+0f,         0x0p+0f,
         0x0p+0f,         0x0p+0f,        0x0p+0f,        0x0p+0f,         0x0p+0f,
         0x0p+0f,         0x0p+0f,        0x0p+0f,        0x0p+0f,         0x0p+0f,
         0x0p+0f,         0x1.52481ep-5f, 0x0p+0f,        -0x1.ccd1dcp-5f, -0x1.e31dbap-5f,
         -0x1.41300cp-6f, 0x1.d30542p-9f, 0x1.76c872p-9f, 0x1.fe7436p-12f, 0x1.936e9ap-16f,
         0x1.08c4cap-21f, 0x0p+0f},
        {0x0p+0f,          0x0p+0f,         0x0p+0f,          0x0p+0f,        0x0p+0f,
         0x0p+0f,          0x0p+0f,         0x0p+0f,          0x0p+0f,        0x0p+0f,
         0x0p+0f,          0x0p+0f,         0x0p+0f,          0x0p+0f,        0x0p+0f,
         0x0p+0f,          0x0p+0f,         0x0p+0f,          0x0p+0f,        0x0p+0f,
         0x0p+0f,          0x0p+0f,         0x0p+0f,          0x1.beb644p-4f, 0x0p+0f,
         0x1.e94ac6p-7f,   0x1.5dbafap-11f, -0x1.626202p-11f, -0x1.3b95p-13f, -0x1.47e818p-17f,
         -0x1.09e516p-25f, 0x0p+0f},
        {0x0p+0f, 0x0p+0f, 0x0p+0f, 0x0p+0f,         0x0p+0f, 0x0p+0f,         0x0p+0f, 0x0p+0f,
         0x0p+0f, 0x0p+0f, 0x0p+0f, 0x0p+0f,         0x0p+0f, 0x0p+0f,         0x0p+0f, 0x0p+0f,
         0x0p+0f, 0x0p+0f, 0x0p+0f, 0x0p+0f,         0x0p+0f, 0x0p+0f,         0x0p+0f, 0x0p+0f,
         0x0p+0f, 0x0p+0f, 0x0p+0f, 0x1.0d3dd6p-14f, 0x0p+0f, 0x1.54692ep-19f, 0x0p+0f, 0x0p+0f}};
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
    static constexpr float kP[] = {-0x1.555556p-2f, 0x1.1111dep-3f,  -0x1.ba6b88p-5f,
                                   0x1.6bad2ep-6f,  -0x1.45a4fep-7f, 0x1.1ea8c2p-8f};
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
  VF GradF(VF x) const {  // 4e/(1+e)^2 with e = e^-2|x|, scaled by 2^(k+2) last
    const DF df;
    const auto s = Exp::Split(df, hn::Mul(ConstantF(-2.0f), hn::Abs(x)));
    VF d, d_low, d2, d2_low;
    OnePlusF(df, s, &d, &d_low);
    SquareF(d, d_low, &d2, &d2_low);
    return s.Scale(DivideF(s.m, s.m_low, d2, d2_low), ConstantF(4.0f));
  }
};

struct SymmetricalSigmoid {
  explicit SymmetricalSigmoid(const Params&) {}
  V Value(V x) const { return hn::Tanh(D(), hn::Mul(x, Constant(0.5))); }
  V Grad(V x) const { return hn::Mul(SechSquared(D(), hn::Mul(x, Constant(0.5))), Constant(0.5)); }
  V GradFromOutput(V y) const {
    return hn::Mul(hn::Mul(hn::Sub(One(), y), hn::Add(One(), y)), Constant(0.5));
  }
};

struct LecunTanh {
  static constexpr double kScale = 1.7159;
  explicit LecunTanh(const Params&) {}
  static V Inner(V x) { return hn::Div(hn::Add(x, x), Constant(3.0)); }
  V Value(V x) const { return hn::Mul(Constant(kScale), hn::Tanh(D(), Inner(x))); }
  V Grad(V x) const { return hn::Mul(Constant(kScale * 2 / 3), SechSquared(D(), Inner(x))); }
  // e^(-4|x|/3) amplifies the rounding of 2x/3 by 4|x|/3.
  M ScalarDouble(V x) const { return hn::Gt(hn::Abs(x), Constant(3.0)); }
  V GradFromOutput(V y) const {
    return hn::Mul(Constant(2 / (3 * kScale)),
                   hn::Mul(hn::Sub(Constant(kScale), y), hn::Add(Constant(kScale), y)));
  }
};

struct Hardsigmoid {
  V slope, c, lo, hi;
  explicit Hardsigmoid(const Params& p)
      : slope(Constant(p[0])),
        c(Constant(p[1] / p[0])),
        lo(Constant(-(p[1] / p[0]))),
        hi(Constant(1 / p[0] - p[1] / p[0])) {}
  V Value(V x) const {
    const V inner = hn::Min(hn::Max(hn::Mul(hn::Add(x, c), slope), Zero()), One());
    return Select(hn::Le(x, lo), Zero(), Select(hn::Ge(x, hi), One(), inner));
  }
  V Grad(V x) const { return hn::IfThenElseZero(hn::And(hn::Gt(x, lo), hn::Lt(x, hi)), slope); }
  V GradFromOutput(V y) const {
    return hn::IfThenElseZero(hn::And(Positive(y), hn::Lt(y, One())), slope);
  }
};

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

struct Logsigmoid {
  explicit Logsigmoid(const Params&) {}
  bool FloatNative() const { return true; }
  MF FastRangeF(VF x) const { return hn::Le(hn::Abs(x), ConstantF(87.0f)); }
  template <class Exp>
  VF ValueF(VF x) const {
    return hn::Neg(SoftplusF<Exp>(hn::Neg(x)));
  }
#if HWY_TARGET <= HWY_AVX3
  MF TableRangeF(VF x) const { return WithinTablesF(x); }
  VF TableValueF(VF x) const { return hn::Neg(SoftplusTableF(hn::Neg(x))); }
  VF TableGradF(VF x) const { return SigmoidTableF(hn::Neg(x)); }
#endif
  template <class Exp>
  VF GradF(VF x) const {
    return LogisticF<Exp>(hn::Neg(x));
  }
  V Value(V x) const { return hn::Neg(Log1pExp(D(), hn::Neg(x))); }
  V Grad(V x) const { return Logistic(D(), hn::Neg(x)); }
  V GradFromOutput(V y) const { return hn::Neg(Expm1All(D(), y)); }
};

struct Softsign {
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

struct Arctan {
  explicit Arctan(const Params&) {}
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
  V alpha;
  explicit Isru(const Params& p) : alpha(Constant(p[0])) {}
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

struct Loglog {
  explicit Loglog(const Params&) {}
  V Value(V x) const { return hn::Neg(Expm1All(D(), hn::Neg(ExpAll(D(), x)))); }
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

// ---- Rectifiers ----

// The rectifiers also run in float lanes, where they are exact (leaky_relu's alpha x rounded
// about once from a split alpha).
struct Relu {
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
};

// leaky_relu and prelu (the same function with another default slope).
struct LeakyRelu {
  V alpha;
  SplitConstant alpha_f;
  explicit LeakyRelu(const Params& p) : alpha(Constant(p[0])), alpha_f(p[0]) {}
  // Slopes beyond 2^24 (never a leaky slope) stay in double lanes, where alpha_f.lo times the
  // largest float could overflow.
  bool FloatNative() const { return std::abs(hn::GetLane(alpha)) <= 0x1p24; }
  // alpha x by TimesAny, so that -inf gives the exact -inf alpha.
  static constexpr bool kValueHandlesSpecialsF = true;
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
};

struct Rrelu : LeakyRelu {
  explicit Rrelu(const Params& p) : LeakyRelu(Params{(p[0] + p[1]) / 2}) {}
};

struct Relu6 {
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
};

struct Hardtanh {
  V lo, hi;
  float lo_f, hi_f;
  explicit Hardtanh(const Params& p)
      : lo(Constant(p[0])),
        hi(Constant(p[1])),
        lo_f(static_cast<float>(p[0])),
        hi_f(static_cast<float>(p[1])) {}
  // Float lanes when the limits are floats, so that comparisons with them are exact.
  bool FloatNative() const {
    return double{lo_f} == hn::GetLane(lo) && double{hi_f} == hn::GetLane(hi);
  }
  // As relu6: comparisons, which NaN fails.
  static constexpr bool kValueHandlesSpecialsF = true;
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
};

struct Threshold {
  V threshold, value;
  explicit Threshold(const Params& p) : threshold(Constant(p[0])), value(Constant(p[1])) {}
  V Value(V x) const { return Select(hn::Gt(x, threshold), x, value); }
  V Grad(V x) const { return hn::IfThenElseZero(hn::Gt(x, threshold), One()); }
};

struct Srelu {
  V tl, al, tr, ar;
  explicit Srelu(const Params& p)
      : tl(Constant(p[0])), al(Constant(p[1])), tr(Constant(p[2])), ar(Constant(p[3])) {}
  V Value(V x) const {
    const V left = hn::MulAdd(al, hn::Sub(x, tl), tl);
    const V right = hn::MulAdd(ar, hn::Sub(x, tr), tr);
    return Select(hn::Le(x, tl), left, Select(hn::Ge(x, tr), right, x));
  }
  V Grad(V x) const { return Select(hn::Le(x, tl), al, Select(hn::Ge(x, tr), ar, One())); }
  V GradFromOutput(V y) const { return Grad(y); }
};

// ---- Exponential linear units ----

// The ELU family in float lanes: positive x (pos) or negative (e^x - 1, rounded once) times
// constants split into float pairs, so that elu, selu and celu (alpha = 1) stay within ~1.5 ulp.
struct EluFamilyF {
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
  explicit Elu(const Params& p) : EluFamilyF(1, p[0]), alpha(Constant(p[0])) {}
  bool FloatNative() const { return true; }
  V Value(V x) const { return Select(Positive(x), x, hn::Mul(alpha, hn::Expm1(D(), x))); }
  V Grad(V x) const { return Select(Positive(x), One(), hn::Mul(alpha, hn::Exp(D(), x))); }
  V GradFromOutput(V y) const { return Select(Positive(y), One(), hn::Add(y, alpha)); }
};

struct Selu : EluFamilyF {
  static constexpr double kLambda = 1.0507009873554805;
  static constexpr double kLambdaAlpha = 1.7580993408473768;
  explicit Selu(const Params&) : EluFamilyF(kLambda, kLambdaAlpha) {}
  bool FloatNative() const { return true; }
  V Value(V x) const {
    return Select(Positive(x), hn::Mul(Constant(kLambda), x),
                  hn::Mul(Constant(kLambdaAlpha), hn::Expm1(D(), x)));
  }
  V Grad(V x) const {
    return Select(Positive(x), Constant(kLambda), hn::Mul(Constant(kLambdaAlpha), hn::Exp(D(), x)));
  }
  V GradFromOutput(V y) const {
    return Select(Positive(y), Constant(kLambda), hn::Add(y, Constant(kLambdaAlpha)));
  }
};

// In float lanes only for alpha = 1: x/alpha would be rounded, and e^(x/alpha) amplifies that.
struct Celu : EluFamilyF {
  V alpha;
  bool unit;
  explicit Celu(const Params& p) : EluFamilyF(1, 1), alpha(Constant(p[0])), unit(p[0] == 1) {}
  bool FloatNative() const { return unit; }
  V Value(V x) const {
    return Select(Positive(x), x, hn::Mul(alpha, Expm1All(D(), hn::Div(x, alpha))));
  }
  V Grad(V x) const { return Select(Positive(x), One(), ExpAll(D(), hn::Div(x, alpha))); }
  V GradFromOutput(V y) const {
    return Select(Positive(y), One(), hn::Add(hn::Div(y, alpha), One()));
  }
};

struct Exponential {
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

// ---- Smooth rectifiers and self-gated functions ----

struct Softplus {
  V beta, inv_beta;
  bool unit;
  explicit Softplus(const Params& p)
      : beta(Constant(p[0])), inv_beta(Constant(1 / p[0])), unit(p[0] == 1) {}
  // Float lanes for beta = 1 only: beta x would be rounded, and e^(beta x) amplifies that.
  bool FloatNative() const { return unit; }
  MF FastRangeF(VF x) const { return hn::Le(hn::Abs(x), ConstantF(87.0f)); }
  template <class Exp>
  VF ValueF(VF x) const {
    return SoftplusF<Exp>(x);
  }
#if HWY_TARGET <= HWY_AVX3
  MF TableRangeF(VF x) const { return WithinTablesF(x); }
  VF TableValueF(VF x) const { return SoftplusTableF(x); }
  VF TableGradF(VF x) const { return SigmoidTableF(x); }
#endif
  template <class Exp>
  VF GradF(VF x) const {
    return LogisticF<Exp>(x);
  }
  // x + log1p(e^-bx)/beta for bx > 0, so large x neither overflows nor rounds through bx.
  V Value(V x) const {
    const V bx = hn::Mul(beta, x);
    const V tail = hn::Div(hn::Log1p(D(), hn::Exp(D(), hn::Neg(hn::Abs(bx)))), beta);
    return hn::Add(hn::IfThenElseZero(Positive(bx), x), tail);
  }
  V Grad(V x) const { return Logistic(D(), hn::Mul(beta, x)); }
  V GradFromOutput(V y) const { return hn::Neg(Expm1All(D(), hn::Neg(hn::Mul(beta, y)))); }
};

struct Squareplus {
  V b, quarter_b, root_b;
  explicit Squareplus(const Params& p)
      : b(Constant(p[0])), quarter_b(Constant(p[0] / 4)), root_b(Constant(std::sqrt(p[0]))) {}
  V Root(V x) const { return hn::Sqrt(hn::MulAdd(x, x, b)); }
  // For x < 0 as (b/4)/(h/2 - x/2): x + h cancels there.
  V Value(V x) const {
    const V h = Root(x);
    const V half_h = hn::Mul(h, Constant(0.5)), half_x = hn::Mul(x, Constant(0.5));
    return Select(hn::Ge(x, Zero()), hn::Add(half_x, half_h),
                  hn::Div(quarter_b, hn::Sub(half_h, half_x)));
  }
  V Grad(V x) const {
    const V h = Root(x);
    const V half_h = hn::Mul(h, Constant(0.5)), half_x = hn::Mul(x, Constant(0.5));
    return Select(hn::Ge(x, Zero()), hn::Add(Constant(0.5), hn::Div(half_x, h)),
                  hn::Div(hn::Div(quarter_b, h), hn::Sub(half_h, half_x)));
  }
  V GradFromOutput(V y) const {
    const V y2 = hn::Mul(y, y);
    return Select(hn::Lt(y2, quarter_b), hn::Div(y2, hn::Add(y2, quarter_b)),
                  hn::Div(One(), hn::Add(One(), hn::Div(quarter_b, y2))));
  }
  M Scalar(V x) const { return hn::Gt(hn::Abs(x), Constant(1e150)); }  // x^2 overflows
};

struct Swish {
  V beta;
  bool unit;
  explicit Swish(const Params& p) : beta(Constant(p[0])), unit(p[0] == 1) {}
  // silu in float lanes: x/(1+e) or x e/(1+e) with x e and 1 + e exact double-floats. (Other
  // betas would round beta x, whose error e^(beta x) amplifies in the tail.)
  bool FloatNative() const { return unit; }
  // Below -120 silu is -0 in float; the clamp keeps x m from overflowing near -FLT_MAX.
  MF FastRangeF(VF x) const { return hn::Le(hn::Abs(x), ConstantF(87.0f)); }
  template <class Exp>
  VF ValueF(VF x) const {
    return ScaledLogisticF<Exp>(x, hn::Max(x, ConstantF(-120.0f)));
  }
#if HWY_TARGET <= HWY_AVX3
  MF TableRangeF(VF x) const { return WithinTablesF(x); }
  // x sigma(x) from q = sigma(-|x|) = c0 + low: x c0 + x low for x <= 0, rounded once (and
  // +-0 for +-0), and x - x q for x > 0.
  VF TableValueF(VF x) const {
    VF low;
    const VF c0 = SigmoidOfNegativeF(hn::Abs(x), &low);
    return hn::IfThenElse(hn::Le(x, hn::Zero(DF())), hn::MulAdd(x, c0, hn::Mul(x, low)),
                          hn::NegMulAdd(x, hn::Add(c0, low), x));
  }
  // Zeros always take the table (even in a vector with lanes beyond it), which keeps their sign.
  bool ZerosExactF() const { return true; }
  // silu' there as mish's: (x - x0) P(x) on 31 intervals 8/15 wide (degree 7, fit within
  // 2^-28.9), x0 the root -1.2785.
  VF TableGradF(VF x) const {
    static constexpr float kTable[9][32] = {
        {0x1.907afcp-2f,  0x1.aa74e4p-2f, 0x1.9d91d4p-2f,  0x1.7789fep-2f,  0x1.48f9eep-2f,
         0x1.1cbe9ap-2f,  0x1.ee7538p-3f, 0x1.b1e3a6p-3f,  0x1.81b8f2p-3f,  0x1.5b452ap-3f,
         0x1.3c290ep-3f,  0x1.228e16p-3f, 0x1.0d1abcp-3f,  0x1.f5ac5ap-4f,  0x1.d61adp-4f,
         0x1.ba7cfep-4f,  0x0p+0f,        0x1.6e1158p-12f, 0x1.38e8d8p-11f, 0x1.0b8a76p-10f,
         0x1.c99622p-10f, 0x1.87511ep-9f, 0x1.4e84ccp-8f,  0x1.1da53ep-7f,  0x1.e69d7cp-7f,
         0x1.9c745p-6f,   0x1.5a6a3cp-5f, 0x1.1e4864p-4f,  0x1.cc6caap-4f,  0x1.6265fcp-3f,
         0x1.ff1994p-3f,  0x1.5151a4p-2f},
        {-0x1.1814ap-30f,  -0x1.35b422p-28f, -0x1.4ae0fp-28f,  0x1.991dep-27f,   0x1.20ef62p-27f,
         0x1.f706eap-28f,  0x1.8237a8p-28f,  -0x1.e3953cp-28f, -0x1.33c9acp-29f, -0x1.b48becp-31f,
         -0x1.87d7a8p-29f, -0x1.3e2d16p-39f, 0x1.f1fab2p-28f,  -0x1.e75942p-29f, 0x1.b5176ap-29f,
         -0x1.014c7ap-29f, 0x0p+0f,          -0x1.cf5726p-38f, 0x1.aa57cap-37f,  0x1.c2e3ep-36f,
         -0x1.9b3226p-35f, 0x1.48447ap-34f,  -0x1.4bd744p-33f, 0x1.f33da4p-34f,  -0x1.16a4d4p-32f,
         -0x1.fcf722p-31f, -0x1.61e69cp-30f, 0x1.d818a8p-31f,  0x1.66754cp-29f,  0x1.be79a6p-29f,
         0x1.ce0672p-29f,  -0x1.4dedcap-27f},
        {0x1.742daep-5f,  0x1.4c4a12p-8f,  -0x1.c6c3ap-6f,  -0x1.65c2dp-5f,  -0x1.74c97p-5f,
         -0x1.497dbcp-5f, -0x1.0e63b6p-5f, -0x1.af607cp-6f, -0x1.56fc0ep-6f, -0x1.136f74p-6f,
         -0x1.c18682p-7f, -0x1.7569b8p-7f, -0x1.3b91b2p-7f, -0x1.0ed82p-7f,  -0x1.d72dfap-8f,
         -0x1.9e8602p-8f, 0x0p+0f,         0x1.887ffcp-13f, 0x1.4fad5cp-12f, 0x1.1f2282p-11f,
         0x1.eb3598p-11f, 0x1.a3f594p-10f, 0x1.668e5ep-9f,  0x1.31382cp-8f,  0x1.0249fp-7f,
         0x1.b05b26p-7f,  0x1.62c24ap-6f,  0x1.192fcep-5f,  0x1.a45e92p-5f,  0x1.1d6e4ap-4f,
         0x1.4ccf18p-4f,  0x1.31b3aep-4f},
        {-0x1.36856ap-6f, -0x1.4256f8p-6f, -0x1.94f03ep-7f, -0x1.fcc18p-9f,  0x1.73806ap-10f,
         0x1.c1e78cp-9f,  0x1.d62a22p-9f,  0x1.8dffaep-9f,  0x1.35ca68p-9f,  0x1.d2e8fcp-10f,
         0x1.5da61cp-10f, 0x1.07e65ep-10f, 0x1.9484a8p-11f, 0x1.3be3aep-11f, 0x1.f70f18p-12f,
         0x1.981968p-12f, 0x0p+0f,         0x1.a540fcp-15f, 0x1.686f78p-14f, 0x1.345fdp-13f,
         0x1.07abcap-12f, 0x1.c2274ap-12f, 0x1.7ee4dep-11f, 0x1.43654cp-10f, 0x1.0d8aaap-9f,
         0x1.b684f2p-9f,  0x1.55601ap-8f,  0x1.ead3cp-8f,   0x1.301394p-7f,  0x1.134284p-7f,
         0x1.16338cp-9f,  -0x1.2dd6bap-7f},
        {-0x1.03c7a6p-9f,  0x1.752092p-10f,  0x1.8aa466p-9f,   0x1.39ef12p-9f,   0x1.2dd376p-10f,
         0x1.267f8ap-12f,  -0x1.d99e5ep-14f, -0x1.d441aep-13f, -0x1.c24948p-13f, -0x1.68158ap-13f,
         -0x1.0b9768p-13f, -0x1.825b1ep-14f, -0x1.15303cp-14f, -0x1.904c64p-15f, -0x1.24c6d8p-15f,
         -0x1.b4202cp-16f, 0x0p+0f,          0x1.2db624p-17f,  0x1.023204p-16f,  0x1.b991b6p-16f,
         0x1.78d428p-15f,  0x1.4039bp-14f,   0x1.0dd59ep-13f,  0x1.bf8c1p-13f,   0x1.68458p-12f,
         0x1.1235aap-11f,  0x1.75f5bp-11f,   0x1.8ec03cp-11f,  0x1.4517f4p-12f,  -0x1.18689p-10f,
         -0x1.99998p-9f,   -0x1.07f894p-8f},
        {0x1.b172d4p-11f,  0x1.77fab8p-11f,  0x1.2136cap-14f,  -0x1.3889fp-12f,  -0x1.281c9p-12f,
         -0x1.3e2ebcp-13f, -0x1.c89964p-15f, -0x1.021e2p-17f,  0x1.21485ep-17f,  0x1.85a774p-17f,
         0x1.526ecep-17f,  0x1.003f28p-17f,  0x1.6e924ap-18f,  0x1.0030d4p-18f,  0x1.64000ep-19f,
         0x1.f15a8cp-20f,  0x0p+0f,          0x1.445c3ap-20f,  0x1.1563cp-19f,   0x1.d9498p-19f,
         0x1.91aff8p-18f,  0x1.519184p-17f,  0x1.16415p-16f,   0x1.ba4b9ap-16f,  0x1.472ff6p-15f,
         0x1.9e888ap-15f,  0x1.4da704p-15f,  -0x1.04be82p-15f, -0x1.c37f16p-13f, -0x1.eca2e2p-12f,
         -0x1.f2e49cp-12f, 0x1.f8d7c2p-14f},
        {0x1.43006cp-14f,  -0x1.c29288p-14f, -0x1.f2532cp-14f, -0x1.caf6fcp-16f, 0x1.7f60acp-16f,
         0x1.9eb8ecp-16f,  0x1.dd11acp-17f,  0x1.78be98p-18f,  0x1.cf29bap-20f,  0x1.687864p-23f,
         -0x1.af5c14p-22f, -0x1.2c5558p-21f, -0x1.a6b6b8p-22f, -0x1.66eb6ap-23f, -0x1.fe1986p-23f,
         -0x1.507878p-23f, 0x0p+0f,          0x1.14f1fap-23f,  0x1.d74ecap-23f,  0x1.8fb314p-22f,
         0x1.5320c8p-21f,  0x1.132ce4p-20f,  0x1.b37806p-20f,  0x1.3aef0ep-19f,  0x1.5efa7ap-19f,
         0x1.f4860ap-21f,  -0x1.ad19d8p-18f, -0x1.9c4484p-16f, -0x1.9ab026p-15f, -0x1.5d8c2cp-15f,
         0x1.d235e4p-15f,  0x1.5d395ap-13f},
        {-0x1.08fcecp-15f, -0x1.45dffap-16f, 0x1.940302p-17f,  0x1.c85de4p-17f,  0x1.bdae8ep-19f,
         -0x1.878e72p-20f, -0x1.db5b3p-20f,  -0x1.0b4ad6p-20f, -0x1.c439bep-22f, -0x1.2d9adep-23f,
         -0x1.f3befap-26f, 0x1.f10bc8p-27f,  0x1.4fae9cp-26f,  0x1.f176dp-27f,   0x1.c46e64p-27f,
         0x1.307f18p-27f,  0x0p+0f,          0x1.8ab70cp-27f,  0x1.4a18b8p-26f,  0x1.13d10cp-25f,
         0x1.ce222ap-25f,  0x1.59805ep-24f,  0x1.e7b59cp-24f,  0x1.e09cep-24f,   -0x1.76de84p-25f,
         -0x1.4b6ccep-21f, -0x1.0d1b9cp-19f, -0x1.0d57acp-18f, -0x1.a93ac8p-19f, 0x1.063cbcp-17f,
         0x1.7ce646p-16f,  0x1.828fa4p-18f},
        {-0x1.778b56p-19f, 0x1.500aep-18f,  0x1.3fc25cp-19f,  -0x1.d88c7p-21f,  -0x1.7860d4p-20f,
         -0x1.dfd1eep-25f, -0x1.56e1ep-21f, 0x1.7e1f5ap-25f,  -0x1.c70276p-22f, -0x1.d66526p-22f,
         -0x1.15f332p-23f, 0x1.83d65cp-23f, 0x1.94879ap-26f,  -0x1.0cef66p-22f, 0x1.b386cap-24f,
         0x1.ee07d4p-25f,  0x0p+0f,         0x1.7be678p-29f,  0x1.81fe7ap-28f,  0x1.341176p-27f,
         -0x1.4e6822p-29f, 0x1.ca1a6p-27f,  -0x1.5e6444p-26f, -0x1.db485ap-24f, -0x1.6dcefp-25f,
         0x1.b618bep-27f,  0x1.57513ap-24f, 0x1.56bea2p-21f,  0x1.8d96ecp-21f,  0x1.fd14c8p-20f,
         0x1.795ecap-21f,  -0x1.d95ba4p-18f}};
    return TableTimesFromRootF(kTable, -0x1.474974p+0f, 0x1.bdf6fap-27f, x);
  }
#endif
  // silu' = sigma(x) (1 + x sigma(-x)); near its root, RootPolynomialF.
  template <class Exp>
  VF GradF(VF x) const {
    static constexpr RootPolynomialF<10> kRoot = {
        -0x1.474974p+0f,
        0x1.bdf6fap-27f,
        -2.02f,
        -0.68f,
        {0x1.be141p-3f, 0x1.2c5634p-3f, 0x1.353f6cp-6f, -0x1.f2cf96p-7f, -0x1.b11dbp-8f,
         0x1.057fe6p-13f, 0x1.a7ad4p-11f, 0x1.962c68p-13f, -0x1.cab19ep-15f, -0x1.49d6e8p-15f}};
    const VF general = GatedSlopeF<Exp, false>(x, hn::Zero(DF()), hn::Max(x, ConstantF(-120.0f)));
    return hn::IfThenElse(kRoot.Within(x), kRoot(x), general);
  }
  V Value(V x) const { return hn::Mul(x, Logistic(D(), hn::Mul(beta, x))); }
  // s (1 + bx (1 - s)) with 1 - s = sigma(-bx) evaluated directly.
  V Grad(V x) const {
    const V bx = hn::Mul(beta, x);
    return hn::Mul(Logistic(D(), bx), hn::MulAdd(bx, Logistic(D(), hn::Neg(bx)), One()));
  }
  M Scalar(V x) const { return hn::Gt(hn::Abs(hn::Mul(beta, x)), Constant(700.0)); }
  // f' = s (1 + bx (1 - s)) cancels near its root at bx = -1.2785; e^(bx) amplifies the
  // rounding of beta x (beta != 1) in the negative tail, and is subnormal below -708 while
  // x e^(bx) is not.
  M ScalarDouble(V x) const {
    const V bx = hn::Mul(beta, x);
    const M root = hn::Lt(hn::Abs(hn::Add(bx, Constant(1.2785))), Constant(0.5));
    const M tail = hn::Lt(bx, Select(hn::Eq(beta, One()), Constant(-700.0), Constant(-4.0)));
    return hn::Or(root, tail);
  }
};

struct Silu : Swish {
  explicit Silu(const Params&) : Swish(Params{1}) {}
};

struct Gelu {
  bool tanh_form;
  explicit Gelu(const Params& p) : tanh_form(p[0] != 0) {}

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
    static constexpr RootPolynomialF<10> kRoot = {
        -0x1.8142ap-1f,
        0x1.85a06cp-27f,
        -1.35f,
        -0.31f,
        {0x1.b8bacep-2f, 0x1.8cd1a4p-2f, -0x1.029cc6p-6f, -0x1.d2b976p-4f, -0x1.0fc0fap-6f,
         0x1.431b7ap-6f, 0x1.4a65e8p-8f, -0x1.5f7db4p-9f, -0x1.ccd55ap-12f, 0x1.a641ep-11f}};
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
        // c0 high, c0 low, c1..c6
        {0x1.d898dep-3f, 0x1.7b5abep-3f, 0x1.3aaddep-3f, 0x1.0bb968p-3f, 0x1.b396fap-4f,
         0x1.5b5acep-4f, 0x1.201faap-4f, 0x1.eba5fep-5f, 0x1.926972p-5f, 0x1.43a38ap-5f,
         0x1.0e7dcep-5f, 0x1.d087aep-6f, 0x1.d0af2cp-2f, 0x1.84b706p-2f, 0x1.4b1de2p-2f,
         0x1.1e7c2ep-2f},
        {0x1.423fb2p-32f, -0x1.a038fcp-28f, -0x1.cb7e0ep-32f, 0x1.9bde8cp-28f, -0x1.818828p-31f,
         -0x1.899f42p-29f, -0x1.b4bf24p-29f, 0x1.6c5bc6p-31f, 0x1.7d255p-32f, 0x1.c8f04p-30f,
         -0x1.c4d6e6p-30f, -0x1.23e554p-31f, -0x1.82ef06p-28f, -0x1.389af4p-30f, -0x1.b33e66p-27f,
         -0x1.b25ef2p-27f},
        {-0x1.c49324p-4f, -0x1.3253b8p-4f, -0x1.b405ccp-5f, -0x1.432b1ap-5f, -0x1.b6039p-6f,
         -0x1.1be2c6p-6f, -0x1.8b1956p-7f, -0x1.21ae92p-7f, -0x1.86b84ap-8f, -0x1.fbf2d2p-9f,
         -0x1.63cfcap-9f, -0x1.06cdbep-9f, -0x1.5e6e6ep-2f, -0x1.06bfb2p-2f, -0x1.93234ep-3f,
         -0x1.3baf58p-3f},
        {0x1.7b79d2p-5f, 0x1.bd45f6p-6f, 0x1.15aa6cp-6f, 0x1.6c5e3ep-7f, 0x1.a29f06p-8f,
         0x1.bfbaecp-9f, 0x1.07e3eap-9f, 0x1.4ea506p-10f, 0x1.7625dap-11f, 0x1.8af24p-12f,
         0x1.d0fb66p-13f, 0x1.27e804p-13f, 0x1.a4e15ep-3f, 0x1.222f24p-3f, 0x1.9a45b4p-4f,
         0x1.28beeep-4f},
        {-0x1.1f3068p-6f, -0x1.295f7ep-7f, -0x1.49bae4p-8f, -0x1.8387e6p-9f, -0x1.7e7766p-10f,
         -0x1.55b89ap-11f, -0x1.57fc76p-12f, -0x1.7b6032p-13f, -0x1.617b8ep-14f, -0x1.305078p-15f,
         -0x1.2ddaep-16f, -0x1.4b9428p-17f, -0x1.b029e6p-4f, -0x1.15c4fep-4f, -0x1.6e8df8p-5f,
         -0x1.ef9af4p-6f},
        {0x1.8fef68p-8f, 0x1.721aecp-9f, 0x1.70c4a4p-10f, 0x1.87b126p-11f, 0x1.4fae72p-12f,
         0x1.fa3996p-14f, 0x1.b63ee8p-15f, 0x1.a67658p-16f, 0x1.49c144p-17f, 0x1.d0e65ep-19f,
         0x1.85771ep-20f, 0x1.71caa2p-21f, 0x1.89ddb6p-5f, 0x1.dc2c6ap-6f, 0x1.27b17cp-6f,
         0x1.78a512p-7f},
        {-0x1.068eb4p-9f, -0x1.b66edp-11f, -0x1.88f82ap-12f, -0x1.7f4594p-13f, -0x1.214608p-14f,
         -0x1.70fa62p-16f, -0x1.141f54p-17f, -0x1.d05af8p-19f, -0x1.36b68ap-20f, -0x1.6562cep-22f,
         -0x1.fab6b8p-24f, -0x1.9bec5cp-25f, -0x1.47c8dep-6f, -0x1.7c7662p-7f, -0x1.be0002p-8f,
         -0x1.0cc4dep-8f},
        {0x1.402e2ap-11f, 0x1.e6bb9ap-13f, 0x1.8e16cep-14f, 0x1.64a044p-15f, 0x1.d83af8p-17f,
         0x1.026402p-18f, 0x1.51c2e4p-20f, 0x1.f2f246p-22f, 0x1.1a7c58p-23f, 0x1.0c4a64p-25f,
         0x1.43239cp-27f, 0x1.c616c2p-29f, 0x1.f4bb08p-8f, 0x1.1555c4p-8f, 0x1.39491ap-9f,
         0x1.61e16p-10f},
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
        // c0 high, c0 low, c1..c5
        {-0x1.135586p-1f, -0x1.0715c2p-1f, -0x1.fc7d56p-2f, -0x1.ef3928p-2f, -0x1.e0a508p-2f,
         -0x1.d3495ap-2f, -0x1.ca0726p-2f, -0x1.c3411ap-2f, -0x1.bbf2e6p-2f, -0x1.b559e2p-2f,
         -0x1.b0d098p-2f, -0x1.ad81e4p-2f, -0x1.49f33p-1f, -0x1.3888f8p-1f, -0x1.2ae41p-1f,
         -0x1.1fff1ap-1f},
        {-0x1.5cb84p-26f, -0x1.99897p-28f, -0x1.0b638p-27f, -0x1.7bb12p-29f, 0x1.33d9c6p-29f,
         -0x1.e91e5ep-28f, 0x1.bb9318p-27f, 0x1.e3e2fcp-28f, -0x1.5b3cdp-27f, 0x1.4d8c3cp-27f,
         0x1.7c1ee8p-33f, -0x1.0f0d64p-29f, 0x1.e97122p-26f, 0x1.f09252p-27f, 0x1.789abp-28f,
         -0x1.3b670ap-26f},
        {0x1.d1ca5ap-5f, 0x1.492912p-5f, 0x1.e5978cp-6f, 0x1.72d098p-6f, 0x1.048b5ep-6f,
         0x1.5e4334p-7f, 0x1.f4ed62p-8f, 0x1.770b34p-8f, 0x1.02f33ep-8f, 0x1.582804p-9f,
         0x1.e9bc4p-10f, 0x1.6deee4p-10f, 0x1.3c0c84p-3f, 0x1.ea691cp-4f, 0x1.842b1p-4f,
         0x1.38c24ep-4f},
        {-0x1.5a7e12p-6f, -0x1.aadaa4p-7f, -0x1.159066p-7f, -0x1.7998fap-8f, -0x1.c5c3bap-9f,
         -0x1.fcaa2ap-10f, -0x1.36d56cp-10f, -0x1.958636p-11f, -0x1.d456c4p-12f, -0x1.fdfb7ap-13f,
         -0x1.32f798p-13f, -0x1.8d4408p-14f, -0x1.4e802ap-4f, -0x1.dd7df4p-5f, -0x1.5caab2p-5f,
         -0x1.03efb4p-5f},
        {0x1.dc10fap-8f, 0x1.036856p-8f, 0x1.2ce3a2p-9f, 0x1.6ff81ep-10f, 0x1.7e1536p-11f,
         0x1.687d04p-12f, 0x1.7ace36p-13f, 0x1.b0648p-14f, 0x1.a35556p-15f, 0x1.77535p-16f,
         0x1.7ef742p-17f, 0x1.adb658p-18f, 0x1.37a4d4p-5f, 0x1.9e6d6ap-6f, 0x1.1a652ap-6f,
         0x1.89ab0ap-7f},
        {-0x1.341f0ap-9f, -0x1.2bef74p-10f, -0x1.38c688p-11f, -0x1.5a1a36p-12f, -0x1.3c6132p-13f,
         -0x1.f89fap-15f, -0x1.c94b6cp-16f, -0x1.c994ep-17f, -0x1.7aa70cp-18f, -0x1.15d2e8p-19f,
         -0x1.dfc4dep-21f, -0x1.d23e5cp-22f, -0x1.0735ap-6f, -0x1.48bdfcp-7f, -0x1.a545dp-8f,
         -0x1.1460cp-8f},
        {0x1.75255ap-11f, 0x1.47a67cp-12f, 0x1.36932ap-13f, 0x1.39ea7p-14f, 0x1.f708f8p-16f,
         0x1.568e2cp-17f, 0x1.0dfa6cp-18f, 0x1.da68cap-20f, 0x1.4e7beap-21f, 0x1.94f38ap-23f,
         0x1.290404p-24f, 0x1.f723f8p-26f, 0x1.960c38p-8f, 0x1.e3a104p-9f, 0x1.24a91ap-9f,
         0x1.633df6p-10f},
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
      s = Exp::SplitNegated(DF(), a);
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
  // (scripts/fit_float_polynomials.py, print_gelu_tail_tables). gelu(x)/x and gelu'(x) for
  // x > 0 are 1 minus those at -x.
  MF TableRangeF(VF x) const { return WithinTablesF(x); }
  int TableFormF() const { return tanh_form ? 1 : 0; }
  // Zeros always take the table (even in a vector with lanes beyond it), which keeps their sign.
  bool ZerosExactF() const { return true; }
  alignas(64) static constexpr float kErfMids[32] = {
      0x1.8p-2f,      0x1.0f6604p+0f, 0x1.b257f4p+0f, 0x1.16c2d8p+1f, 0x1.4a9f8cp+1f,
      0x1.7855cep+1f, 0x1.a1b08ep+1f, 0x1.c7be4ap+1f, 0x1.eb2ebcp+1f, 0x1.063decp+2f,
      0x1.15ff32p+2f, 0x1.24fcb6p+2f, 0x1.335086p+2f, 0x1.410f6p+2f,  0x1.4e4a14p+2f,
      0x1.5b0e84p+2f, 0x1.67684ap+2f, 0x1.736134p+2f, 0x1.7f01aap+2f, 0x1.8a50eap+2f,
      0x1.955546p+2f, 0x1.a01444p+2f, 0x1.aa92c6p+2f, 0x1.b4d522p+2f, 0x1.bedf36p+2f,
      0x1.c8b47cp+2f, 0x1.d25812p+2f, 0x1.dbccd2p+2f, 0x1.e51548p+2f, 0x1.ee33d2p+2f,
      0x1.f72a92p+2f, 0x1.fffb8p+2f};
  alignas(64) static constexpr float kTanhMids[32] = {
      0x1.8p-3f,      0x1.deeef6p-1f, 0x1.bb584cp+0f, 0x1.2f4822p+1f, 0x1.71a832p+1f,
      0x1.a96812p+1f, 0x1.d990e4p+1f, 0x1.020b64p+2f, 0x1.1522fcp+2f, 0x1.26821p+2f,
      0x1.367af4p+2f, 0x1.454a94p+2f, 0x1.531f42p+2f, 0x1.601d0cp+2f, 0x1.6c608ep+2f,
      0x1.7800ep+2f,  0x1.8310ecp+2f, 0x1.8da06cp+2f, 0x1.97bc8ap+2f, 0x1.a1707ap+2f,
      0x1.aac5ccp+2f, 0x1.b3c4c6p+2f, 0x1.bc7494p+2f, 0x1.c4db82p+2f, 0x1.ccff18p+2f,
      0x1.d4e43ep+2f, 0x1.dc8f4ep+2f, 0x1.e4042ep+2f, 0x1.eb4662p+2f, 0x1.f25912p+2f,
      0x1.f93f16p+2f, 0x1.fffb0cp+2f};
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
          {0x1.6a527ap-2f,  0x1.280396p-3f,  0x1.6faa44p-5f,  0x1.e201b6p-7f,  0x1.40f3ecp-8f,
           0x1.ae07ap-10f,  0x1.20c82ap-11f, 0x1.842338p-13f, 0x1.04ce74p-14f, 0x1.5e4b4cp-16f,
           0x1.d61aeap-18f, 0x1.3b26d8p-19f, 0x1.a61ff4p-21f, 0x1.1a6a46p-22f, 0x1.79814ap-24f,
           0x1.f81aaap-26f, 0x1.503fa4p-27f, 0x1.c024dap-29f, 0x1.2a5ca4p-30f, 0x1.8cedc8p-32f,
           0x1.07cd34p-33f, 0x1.5e5bbap-35f, 0x1.d0f1b6p-37f, 0x1.3443fep-38f, 0x1.9877c2p-40f,
           0x1.0e6d44p-41f, 0x1.65d3fp-43f,  0x1.d928dcp-45f, 0x1.38a222p-46f, 0x1.9ce0d4p-48f,
           0x1.10786ep-49f, 0x1.676a2ep-51f},
          {-0x1.fc2fb8p-27f, 0x1.470602p-28f,  0x1.5826e4p-31f,  0x1.8ce958p-32f,  0x1.6cb83cp-33f,
           0x1.58589cp-37f,  -0x1.684b7p-36f,  0x1.5c0182p-40f,  -0x1.658636p-41f, -0x1.e9b70ap-41f,
           -0x1.6b01e8p-43f, -0x1.63ecdep-46f, 0x1.8f0652p-49f,  0x1.b6b84ep-48f,  -0x1.7d8704p-49f,
           -0x1.19cf86p-52f, -0x1.58e1c4p-54f, -0x1.e576aep-55f, 0x1.94287cp-57f,  0x1.8f194p-57f,
           0x1.7699d8p-59f,  0x1.9ff48ep-63f,  -0x1.0e07fp-65f,  0x1.fa8a7cp-63f,  -0x1.57b9fep-66f,
           0x1.267ff8p-67f,  0x1.299404p-68f,  0x1.0dd8e2p-70f,  -0x1.f8aa8ep-71f, -0x1.26482ap-77f,
           0x1.e6366p-75f,   0x1.96f0bap-80f},
          {-0x1.7cc796p-2f,  -0x1.d1c896p-3f,  -0x1.836b84p-4f,  -0x1.31107p-5f,   -0x1.d1240ep-7f,
           -0x1.5afafp-8f,   -0x1.fd857cp-10f, -0x1.718ddp-11f,  -0x1.096c4cp-12f, -0x1.7a3374p-14f,
           -0x1.0b9f66p-15f, -0x1.788c5p-17f,  -0x1.07905ap-18f, -0x1.6f517p-20f,  -0x1.fde3d6p-22f,
           -0x1.60a492p-23f, -0x1.e636cap-25f, -0x1.4e3658p-26f, -0x1.ca3beap-28f, -0x1.395ebap-29f,
           -0x1.aba276p-31f, -0x1.232b92p-32f, -0x1.8bbbep-34f,  -0x1.0c6f32p-35f, -0x1.6b8c78p-37f,
           -0x1.eb9394p-39f, -0x1.4bd89cp-40f, -0x1.bf6588p-42f, -0x1.2d301ap-43f, -0x1.95009cp-45f,
           -0x1.0ff8b4p-46f, -0x1.6cdaf4p-48f},
          {0x1.1d95aep-4f,  0x1.edcceep-4f,  0x1.48a8b2p-4f,  0x1.4c3008p-5f,  0x1.2c5d3p-6f,
           0x1.fe14dcp-8f,  0x1.9faaeap-9f,  0x1.48f2dep-10f, 0x1.fd432ap-12f, 0x1.836c24p-13f,
           0x1.229e42p-14f, 0x1.aef3c2p-16f, 0x1.3c6504p-17f, 0x1.ccab2ep-19f, 0x1.4ce968p-20f,
           0x1.de131p-22f,  0x1.554e74p-23f, 0x1.e4d7a8p-25f, 0x1.56c94ep-26f, 0x1.e2aed8p-28f,
           0x1.528b3cp-29f, 0x1.d93ddcp-31f, 0x1.49b4c4p-32f, 0x1.ca0cdep-34f, 0x1.3d4ddcp-35f,
           0x1.b67cbap-37f, 0x1.2e413cp-38f, 0x1.9fc3bp-40f,  0x1.1d5a98p-41f, 0x1.86ec96p-43f,
           0x1.0b4772p-44f, 0x1.6cd7c2p-46f},
          {0x1.b45126p-5f,   -0x1.33d86p-8f,   -0x1.e534ecp-6f,  -0x1.7c9ca4p-6f,  -0x1.b7b33ap-7f,
           -0x1.ba125ap-8f,  -0x1.99acd6p-9f,  -0x1.679cc2p-10f, -0x1.2f9602p-11f, -0x1.f1a4ep-13f,
           -0x1.8e7b4ep-14f, -0x1.391ebap-15f, -0x1.e47428p-17f, -0x1.71db74p-18f, -0x1.17311ap-19f,
           -0x1.a16392p-21f, -0x1.355132p-22f, -0x1.c6fbacp-24f, -0x1.4c5a9p-25f,  -0x1.e2971ep-27f,
           -0x1.5c7118p-28f, -0x1.f4a4e6p-30f, -0x1.660362p-31f, -0x1.fde384p-33f, -0x1.69ae18p-34f,
           -0x1.ff44b2p-36f, -0x1.6827bep-37f, -0x1.f9d636p-39f, -0x1.6231e4p-40f, -0x1.eeaca2p-42f,
           -0x1.588e66p-43f, -0x1.ded6e8p-45f},
          {-0x1.10293cp-6f, -0x1.34c832p-6f, -0x1.a9faa6p-11f, 0x1.82006ep-8f,  0x1.6f9f4p-8f,
           0x1.dfda12p-9f,  0x1.08efe6p-9f,  0x1.09478ep-10f,  0x1.f19bc6p-12f, 0x1.bd34fep-13f,
           0x1.804798p-14f, 0x1.42715cp-15f, 0x1.0868e2p-16f,  0x1.a97536p-18f, 0x1.50d2ecp-19f,
           0x1.07011cp-20f, 0x1.95d09ap-22f, 0x1.35d126p-23f,  0x1.d4ac14p-25f, 0x1.5f8bfap-26f,
           0x1.05bd02p-27f, 0x1.831f74p-29f, 0x1.1c88fep-30f,  0x1.9ff084p-32f, 0x1.2e71c4p-33f,
           0x1.b5c5b2p-35f, 0x1.3b6feap-36f, 0x1.c4baf2p-38f,  0x1.43ac2ep-39f, 0x1.cd2d8p-41f,
           0x1.4777bap-42f, 0x1.cf9adep-44f},
          {-0x1.baddfap-8f,  0x1.341a5p-8f,    0x1.34577ep-8f,   0x1.e555bap-11f,  -0x1.d1793ep-11f,
           -0x1.2aa6fep-10f, -0x1.bdee4cp-11f, -0x1.0da1acp-11f, -0x1.22c018p-12f, -0x1.21ede6p-13f,
           -0x1.12646ap-14f, -0x1.f0f1b2p-16f, -0x1.b39aa4p-17f, -0x1.736ae4p-18f, -0x1.360874p-19f,
           -0x1.fb9b02p-21f, -0x1.99b7a2p-22f, -0x1.45655cp-23f, -0x1.fefac2p-25f, -0x1.8d5c36p-26f,
           -0x1.3182b4p-27f, -0x1.d1d046p-29f, -0x1.60ce2ep-30f, -0x1.08a3b6p-31f, -0x1.8b92ep-33f,
           -0x1.252fc4p-34f, -0x1.b0d5f4p-36f, -0x1.3dab9p-37f,  -0x1.d01da4p-39f, -0x1.51bdcep-40f,
           -0x1.e94c9ap-42f, -0x1.60ea62p-43f},
          {0x1.52a576p-9f,  0x1.b44e0ep-10f, -0x1.3ab78cp-10f, -0x1.260b2cp-10f, -0x1.7ee71ap-12f,
           0x1.1a4eecp-14f, 0x1.929194p-13f, 0x1.635fc8p-13f,  0x1.de79ap-14f,   0x1.15a38ep-14f,
           0x1.27d0d8p-15f, 0x1.264512p-16f, 0x1.1756f6p-17f,  0x1.fde186p-19f,  0x1.c45adcp-20f,
           0x1.86146cp-21f, 0x1.4ab87p-22f,  0x1.12b8d2p-23f,  0x1.c12cap-25f,   0x1.6b302ap-26f,
           0x1.214204p-27f, 0x1.c802a6p-29f, 0x1.6403aap-30f,  0x1.12dfcp-31f,   0x1.a6a3c6p-33f,
           0x1.419404p-34f, 0x1.e6dfdap-36f, 0x1.6e6752p-37f,  0x1.11a99ep-38f,  0x1.96b04ep-40f,
           0x1.2caf14p-41f, 0x1.bb05aap-43f},
          {0x1.81cfeep-11f,  -0x1.a35e6p-11f,  -0x1.59c5cep-13f, 0x1.6b48dp-13f,   0x1.200e7p-12f,
           0x1.4442c8p-14f,  0x1.0657cap-16f,  -0x1.4034a2p-15f, -0x1.072cb8p-15f, -0x1.b9128p-16f,
           -0x1.7bf282p-17f, -0x1.cf52eap-18f, -0x1.e5c012p-19f, -0x1.111a4p-19f,  -0x1.01e072p-20f,
           -0x1.fa3712p-22f, -0x1.877ae8p-23f, -0x1.7bac98p-24f, -0x1.4747dcp-25f, -0x1.e9a3p-27f,
           -0x1.b1db8cp-28f, -0x1.6d55dp-29f,  -0x1.093e76p-30f, -0x1.ea80fep-32f, -0x1.55554ep-33f,
           -0x1.25aee2p-34f, -0x1.b7d6e8p-36f, -0x1.587d8p-37f,  -0x1.0a07bap-38f, -0x1.84fc4p-40f,
           -0x1.271554p-41f, -0x1.cda30ap-43f},
      };
      return TailTableF<kForm>(kTable, t, low);
    } else {
      alignas(64) static constexpr float kTable[10][32] = {
          {0x1.b3da0ap-2f,  0x1.663f64p-3f,  0x1.55c1eap-5f,  0x1.1ea7acp-7f,  0x1.d3a504p-10f,
           0x1.7bcc0ap-12f, 0x1.347d2ep-14f, 0x1.f58138p-17f, 0x1.97e972p-19f, 0x1.4bf3e4p-21f,
           0x1.0e3d6ep-23f, 0x1.b82064p-26f, 0x1.667c86p-28f, 0x1.240a58p-30f, 0x1.dbe2b2p-33f,
           0x1.83c676p-35f, 0x1.3c0234p-37f, 0x1.018aa2p-39f, 0x1.a3d01cp-42f, 0x1.562e4cp-44f,
           0x1.16eb12p-46f, 0x1.c6b828p-49f, 0x1.72ad7ap-51f, 0x1.2e2d2cp-53f, 0x1.ecae52p-56f,
           0x1.91a69ep-58f, 0x1.477296p-60f, 0x1.0af59p-62f,  0x1.b34b4p-65f,  0x1.62e40ap-67f,
           0x1.21585ep-69f, 0x1.d7cfbep-72f},
          {-0x1.9280eap-27f, -0x1.537e62p-29f, 0x1.b782acp-33f,  -0x1.20b344p-33f, -0x1.999b16p-36f,
           -0x1.d60412p-37f, 0x1.704f7ap-40f,  -0x1.2ac424p-43f, 0x1.87765ap-44f,  -0x1.564926p-47f,
           0x1.8c9f9p-48f,   -0x1.fbf8bap-51f, -0x1.f7a62p-56f,  -0x1.8d0506p-55f, -0x1.9ce4c2p-62f,
           -0x1.0b3b18p-62f, 0x1.8819ccp-64f,  -0x1.87428ap-66f, -0x1.65c96cp-67f, 0x1.2f3c22p-70f,
           -0x1.d54ffcp-71f, -0x1.33507ap-75f, -0x1.c5b426p-80f, -0x1.cdaf44p-81f, -0x1.c9d39cp-81f,
           -0x1.86161cp-84f, -0x1.24e3c6p-85f, 0x1.3c3552p-87f,  -0x1.6b8d06p-91f, -0x1.44a20cp-92f,
           0x1.fff0bp-95f,   0x1.f93604p-97f},
          {-0x1.915d54p-2f,  -0x1.07859p-2f,   -0x1.6e700ep-4f,  -0x1.8d7478p-6f,  -0x1.8a95bep-8f,
           -0x1.77e294p-10f, -0x1.5d056cp-12f, -0x1.3e2eccp-14f, -0x1.1e0888p-16f, -0x1.fc9bf4p-19f,
           -0x1.c02c4cp-21f, -0x1.880878p-23f, -0x1.54d59ep-25f, -0x1.26caecp-27f, -0x1.fbafeap-30f,
           -0x1.b37e94p-32f, -0x1.7452b8p-34f, -0x1.3d6104p-36f, -0x1.0dd75cp-38f, -0x1.c9c824p-41f,
           -0x1.8380ecp-43f, -0x1.4765d2p-45f, -0x1.142546p-47f, -0x1.d11c56p-50f, -0x1.87232ap-52f,
           -0x1.48802ap-54f, -0x1.1390dap-56f, -0x1.cdd06ep-59f, -0x1.8292fap-61f, -0x1.4348bp-63f,
           -0x1.0e1e8p-65f,  -0x1.c304a4p-68f},
          {0x1.2e71dp-5f,   0x1.ec9bf2p-4f,  0x1.3b170ep-4f,  0x1.da28a2p-6f,  0x1.28456cp-7f,
           0x1.521d9p-9f,   0x1.6c4ff8p-11f, 0x1.78b002p-13f, 0x1.7981e8p-15f, 0x1.713398p-17f,
           0x1.621748p-19f, 0x1.4e3af6p-21f, 0x1.37583ap-23f, 0x1.1ed294p-25f, 0x1.05bea4p-27f,
           0x1.d9d88cp-30f, 0x1.a9e364p-32f, 0x1.7c6a52p-34f, 0x1.51f186p-36f, 0x1.2ac0dep-38f,
           0x1.06f5ccp-40f, 0x1.cd18bep-43f, 0x1.92d542p-45f, 0x1.5ecc4ep-47f, 0x1.30965ep-49f,
           0x1.07c068p-51f, 0x1.c7a742p-54f, 0x1.88b1cap-56f, 0x1.51b81ap-58f, 0x1.21dedcp-60f,
           0x1.f0b376p-63f, 0x1.a8d43ap-65f},
          {0x1.033892p-4f,   0x1.42db6p-8f,    -0x1.de984ep-6f,  -0x1.2f8706p-6f,  -0x1.fd0adcp-8f,
           -0x1.67f8d2p-9f,  -0x1.cc115cp-11f, -0x1.11fd74p-12f, -0x1.35aa8cp-14f, -0x1.501bd6p-16f,
           -0x1.614e48p-18f, -0x1.69e3b8p-20f, -0x1.6ade82p-22f, -0x1.656d32p-24f, -0x1.5acc66p-26f,
           -0x1.4c2adcp-28f, -0x1.3a9d44p-30f, -0x1.271732p-32f, -0x1.1268ap-34f,  -0x1.fa7816p-37f,
           -0x1.d03798p-39f, -0x1.a6e596p-41f, -0x1.7f2248p-43f, -0x1.595f7ap-45f, -0x1.35eb52p-47f,
           -0x1.14f1d2p-49f, -0x1.ed1132p-52f, -0x1.b561dap-54f, -0x1.82b86cp-56f, -0x1.54e592p-58f,
           -0x1.2ba9ccp-60f, -0x1.06b9cep-62f},
          {-0x1.301b72p-7f, -0x1.5c6888p-6f, 0x1.53b7b8p-14f, 0x1.86b9acp-8f,  0x1.05fcdcp-8f,
           0x1.ea4696p-10f, 0x1.815082p-11f, 0x1.0e9cbep-12f, 0x1.5e9d36p-14f, 0x1.ab748ap-16f,
           0x1.f0ff4cp-18f, 0x1.1632dcp-19f, 0x1.2e003ap-21f, 0x1.3f8d46p-23f, 0x1.4af234p-25f,
           0x1.508706p-27f, 0x1.50d79cp-29f, 0x1.4c8fdp-31f,  0x1.4468ecp-33f, 0x1.3918acp-35f,
           0x1.2b54fp-37f,  0x1.1bc1f8p-39f, 0x1.0af206p-41f, 0x1.f2c676p-44f, 0x1.cf10e2p-46f,
           0x1.ab6f5p-48f,  0x1.8879fcp-50f, 0x1.66a484p-52f, 0x1.464196p-54f, 0x1.2792fap-56f,
           0x1.0ac098p-58f, 0x1.dfbffep-61f},
          {-0x1.30de94p-7f,  0x1.c3e272p-9f,   0x1.1404eep-8f,   -0x1.70761ap-14f, -0x1.19099p-10f,
           -0x1.a33b76p-11f, -0x1.b493e2p-12f, -0x1.7831fep-13f, -0x1.1ec138p-14f, -0x1.8f7c7ap-16f,
           -0x1.042958p-17f, -0x1.415adcp-19f, -0x1.7c4ee4p-21f, -0x1.b3143ep-23f, -0x1.e33a44p-25f,
           -0x1.05cafp-26f,  -0x1.15e68ep-28f, -0x1.2196f2p-30f, -0x1.290a24p-32f, -0x1.2c8946p-34f,
           -0x1.2c4fbep-36f, -0x1.28a1c6p-38f, -0x1.2226c2p-40f, -0x1.196646p-42f, -0x1.0e8832p-44f,
           -0x1.0243bap-46f, -0x1.e9bedcp-49f, -0x1.cd5d88p-51f, -0x1.b04372p-53f, -0x1.92a7bap-55f,
           -0x1.7544d4p-57f, -0x1.589486p-59f},
          {0x1.9bef2ap-10f, 0x1.32b296p-9f,  -0x1.53393ep-10f, -0x1.6d6946p-11f, -0x1.16d016p-16f,
           0x1.6652eep-13f, 0x1.3cf3a6p-13f, 0x1.6b37fap-14f,  0x1.56a406p-15f,  0x1.17de7p-16f,
           0x1.a056b6p-18f, 0x1.1f80c4p-19f, 0x1.75bc64p-21f,  0x1.d35fbp-23f,   0x1.17c4ccp-24f,
           0x1.4444a4p-26f, 0x1.6ec30cp-28f, 0x1.94b45ep-30f,  0x1.b56196p-32f,  0x1.d1d85p-34f,
           0x1.e7c3acp-36f, 0x1.f6567cp-38f, 0x1.ff377p-40f,   0x1.023c3ep-41f,  0x1.00fce2p-43f,
           0x1.fc9112p-46f, 0x1.f2b58ap-48f, 0x1.e46f3cp-50f,  0x1.d441dcp-52f,  0x1.c06746p-54f,
           0x1.ab0e62p-56f, 0x1.9558eap-58f},
          {0x1.25c06ap-10f,  -0x1.7d861p-11f,  -0x1.49db78p-13f, 0x1.cdb38ep-13f,  0x1.e11616p-14f,
           0x1.186408p-17f,  -0x1.50153ep-16f, -0x1.bec94ep-16f, -0x1.0e56fcp-16f, -0x1.1e3e08p-17f,
           -0x1.f5baeep-19f, -0x1.8f2b4ap-20f, -0x1.2be432p-21f, -0x1.8dedcap-23f, -0x1.053bf4p-24f,
           -0x1.4d4f3p-26f,  -0x1.8ec7bep-28f, -0x1.d857acp-30f, -0x1.0f857ap-31f, -0x1.2cb34cp-33f,
           -0x1.4796f8p-35f, -0x1.67e0dap-37f, -0x1.8177b2p-39f, -0x1.8e2f32p-41f, -0x1.a26dfep-43f,
           -0x1.a9ea3ap-45f, -0x1.ae2b3ap-47f, -0x1.b28a14p-49f, -0x1.ad32a4p-51f, -0x1.adf15ep-53f,
           -0x1.a96c5cp-55f, -0x1.9a802p-57f},
          {-0x1.32544cp-12f, -0x1.8defb2p-13f, 0x1.a6875ep-13f, 0x1.152148p-15f,  -0x1.174082p-15f,
           0x1.6949a8p-18f,  -0x1.90ff22p-16f, 0x1.83a938p-18f, -0x1.221c4ap-22f, 0x1.5613bep-19f,
           0x1.6bd89ap-20f,  0x1.767b24p-21f,  0x1.bf7dccp-22f, 0x1.bda73p-24f,   0x1.6d889ap-25f,
           0x1.24b5p-26f,    0x1.5d14f4p-28f,  0x1.ccef62p-30f, 0x1.2c9498p-31f,  0x1.32be4p-33f,
           0x1.4ed3eap-35f,  0x1.b8b4cp-37f,   0x1.0a29a4p-38f, 0x1.eb55ap-41f,   0x1.33c94cp-42f,
           0x1.2f3e52p-44f,  0x1.301e38p-46f,  0x1.51f05ep-48f, 0x1.4137d2p-50f,  0x1.6c9266p-52f,
           0x1.85741cp-54f,  0x1.6a3242p-56f},
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
          {-0x1.23508ep-1f,  -0x1.40b55ep-2f,  -0x1.f51d82p-4f,  -0x1.7d63ep-5f,   -0x1.1c3bep-6f,
           -0x1.a10e6ap-8f,  -0x1.2e46c6p-9f,  -0x1.b1ec42p-11f, -0x1.34f628p-12f, -0x1.b50232p-14f,
           -0x1.3346ccp-15f, -0x1.adf186p-17f, -0x1.2b75c6p-18f, -0x1.9f837ep-20f, -0x1.1f418p-21f,
           -0x1.8be90ap-23f, -0x1.100a9p-24f,  -0x1.74ddaap-26f, -0x1.fdd09ap-28f, -0x1.5bbfe6p-29f,
           -0x1.d96b02p-31f, -0x1.41a048p-32f, -0x1.b43774p-34f, -0x1.2750fcp-35f, -0x1.8f386p-37f,
           -0x1.0d6fd8p-38f, -0x1.6b2da6p-40f, -0x1.e8e0dp-42f,  -0x1.48a0c8p-43f, -0x1.b947fap-45f,
           -0x1.27f028p-46f, -0x1.8c8056p-48f},
          {-0x1.636894p-26f, 0x1.133108p-27f, -0x1.56c7a8p-29f, -0x1.13f05cp-32f, 0x1.7e8c9ap-31f,
           0x1.decc1ep-34f,  0x1.dc9a12p-37f, 0x1.77563p-36f,   0x1.d6f34cp-37f,  -0x1.c8fbc2p-39f,
           -0x1.6cd4ap-40f,  0x1.16dbbap-42f, 0x1.52cdaap-44f,  0x1.f5437p-45f,   0x1.2e18d4p-46f,
           0x1.1c24c2p-50f,  0x1.90057ep-50f, -0x1.9f6a8p-51f,  0x1.d20cc8p-53f,  0x1.46c926p-55f,
           0x1.e25206p-56f,  0x1.72247ep-58f, -0x1.e4d2fp-61f,  0x1.df549ap-61f,  -0x1.0f448p-64f,
           0x1.fc9564p-63f,  0x1.7a4726p-66f, 0x1.a8bc94p-67f,  -0x1.1c3beap-68f, -0x1.6fc13ep-72f,
           -0x1.1a8a0ap-72f, 0x1.15764p-75f},
          {0x1.4cc3a4p-2f,  0x1.7a60e4p-2f,  0x1.bd4fbcp-3f,  0x1.ab1cfep-4f,  0x1.764806p-5f,
           0x1.37065ap-6f,  0x1.f2d656p-8f,  0x1.85d522p-9f,  0x1.2ab19ep-10f, 0x1.c29c6ep-12f,
           0x1.4f94p-13f,   0x1.ee83b6p-15f, 0x1.691294p-16f, 0x1.059586p-17f, 0x1.786fd4p-19f,
           0x1.0d3b24p-20f, 0x1.7f0d4ep-22f, 0x1.0f3052p-23f, 0x1.7e522cp-25f, 0x1.0c6f98p-26f,
           0x1.77977p-28f,  0x1.05e492p-29f, 0x1.6c1cfep-31f, 0x1.f8cde2p-33f, 0x1.5d0334p-34f,
           0x1.e16c76p-36f, 0x1.4b476cp-37f, 0x1.c6f1f2p-39f, 0x1.37c32ep-40f, 0x1.aa79fp-42f,
           0x1.232dfep-43f, 0x1.8cf07ep-45f},
          {0x1.2fb862p-3f,   -0x1.2e943p-4f,   -0x1.14456cp-3f,  -0x1.820a5ep-4f,  -0x1.a7847cp-5f,
           -0x1.9cc422p-6f,  -0x1.766a1ap-7f,  -0x1.437552p-8f,  -0x1.0daca4p-9f,  -0x1.b59742p-11f,
           -0x1.5b7266p-12f, -0x1.0f0f08p-13f, -0x1.a0c622p-15f, -0x1.3c7406p-16f, -0x1.db73fp-18f,
           -0x1.61dcc8p-19f, -0x1.05386ep-20f, -0x1.7ee01ap-22f, -0x1.16c702p-23f, -0x1.939914p-25f,
           -0x1.229beap-26f, -0x1.a07d58p-28f, -0x1.29223p-29f,  -0x1.a63f28p-31f, -0x1.2ae616p-32f,
           -0x1.a5b36cp-34f, -0x1.288568p-35f, -0x1.9fbf32p-37f, -0x1.22a3a4p-38f, -0x1.9549cp-40f,
           -0x1.19e21ep-41f, -0x1.8731e8p-43f},
          {-0x1.b0dffap-4f, -0x1.49fd6ap-4f, 0x1.7b0da2p-7f,  0x1.2e5a1ep-5f,  0x1.f4e1bap-6f,
           0x1.34f488p-6f,  0x1.4a3486p-7f,  0x1.436858p-8f,  0x1.2a6ee4p-9f,  0x1.07a57ep-10f,
           0x1.c28346p-12f, 0x1.76d06ap-13f, 0x1.31249p-14f,  0x1.e7f19ap-16f, 0x1.8030a8p-17f,
           0x1.2a895cp-18f, 0x1.caa88ap-20f, 0x1.5ccc18p-21f, 0x1.06e2c6p-22f, 0x1.891dcap-24f,
           0x1.23d12p-25f,  0x1.ae6ef6p-27f, 0x1.3b91bcp-28f, 0x1.cc35fap-30f, 0x1.4de93cp-31f,
           0x1.e2517cp-33f, 0x1.5ade7ep-34f, 0x1.f0f124p-36f, 0x1.62ac3p-37f,  0x1.f88578p-39f,
           0x1.65b1eap-40f, 0x1.f9aa38p-42f},
          {-0x1.b1929cp-6f,  0x1.2a912p-5f,    0x1.a70718p-6f,   0x1.d4deaap-10f,  -0x1.f366c4p-8f,
           -0x1.036a96p-7f,  -0x1.694a64p-8f,  -0x1.a5e3fap-9f,  -0x1.bbf2e8p-10f, -0x1.b38798p-11f,
           -0x1.95fe26p-12f, -0x1.6beb22p-13f, -0x1.3c387ep-14f, -0x1.0be578p-15f, -0x1.bc65cep-17f,
           -0x1.6a0b36p-18f, -0x1.226c64p-19f, -0x1.cbbb76p-21f, -0x1.6796bep-22f, -0x1.165552p-23f,
           -0x1.aad61p-25f,  -0x1.448c1ap-26f, -0x1.e9caaep-28f, -0x1.6f058cp-29f, -0x1.1149d4p-30f,
           -0x1.9499dp-32f,  -0x1.29e9dep-33f, -0x1.b484dp-35f,  -0x1.3e57b2p-36f, -0x1.ce4ffcp-38f,
           -0x1.4e5ad8p-39f, -0x1.e1d0f8p-41f},
          {0x1.5e1ee6p-6f,  0x1.032874p-7f,  -0x1.5a581p-7f,  -0x1.f4ba18p-8f, -0x1.e17ca8p-10f,
           0x1.14f24ap-10f, 0x1.b44ab6p-10f, 0x1.5fa778p-10f, 0x1.c38ecap-11f, 0x1.fe889cp-12f,
           0x1.094eeep-12f, 0x1.046f3ap-13f, 0x1.e911ecp-15f, 0x1.baa5c8p-16f, 0x1.857af2p-17f,
           0x1.4e3d06p-18f, 0x1.197c0ep-19f, 0x1.d153aap-21f, 0x1.7b1292p-22f, 0x1.305c6ep-23f,
           0x1.e41e98p-25f, 0x1.7c2178p-26f, 0x1.27c67cp-27f, 0x1.c87b4cp-29f, 0x1.5ce2a4p-30f,
           0x1.092b02p-31f, 0x1.900384p-33f, 0x1.2c50ccp-34f, 0x1.bf9d38p-36f, 0x1.4c83b6p-37f,
           0x1.ea94a2p-39f, 0x1.68980ep-40f},
          {0x1.9b324ap-9f,   -0x1.c2ae58p-8f,  -0x1.43c9f8p-10f, 0x1.3933ap-9f,    0x1.024f96p-9f,
           0x1.86efdep-11f,  -0x1.1d5a6cp-16f, -0x1.1fdc32p-12f, -0x1.2379f4p-12f, -0x1.9f985p-13f,
           -0x1.f8d8a2p-14f, -0x1.17ed8p-14f,  -0x1.219c24p-15f, -0x1.1b8008p-16f, -0x1.0b9fd2p-17f,
           -0x1.e79e6ap-19f, -0x1.b20396p-20f, -0x1.78725ap-21f, -0x1.40e09ap-22f, -0x1.0c0f14p-23f,
           -0x1.bb8dp-25f,   -0x1.68d3bep-26f, -0x1.21ee9p-27f,  -0x1.cd79aap-29f, -0x1.6b17ecp-30f,
           -0x1.1c533ep-31f, -0x1.b78ccap-33f, -0x1.528976p-34f, -0x1.023446p-35f, -0x1.885ae8p-37f,
           -0x1.28054ap-38f, -0x1.bbf7fcp-40f},
          {-0x1.7e8934p-9f,  -0x1.3cf72ap-15f, 0x1.b817a4p-10f, 0x1.5350dcp-12f, -0x1.26a27p-11f,
           -0x1.7a5186p-12f, -0x1.26edep-13f,  0x1.258d04p-17f, 0x1.ba8efp-16f,  0x1.3cb578p-15f,
           0x1.8a888cp-15f,  0x1.e55bep-16f,   0x1.f77baap-17f, 0x1.258f76p-17f, 0x1.2704c4p-18f,
           0x1.3af58ap-19f,  0x1.0fffacp-20f,  0x1.0299e4p-21f, 0x1.bcfb82p-23f, 0x1.9f4134p-24f,
           0x1.2a7f7ep-25f,  0x1.0ab8d6p-26f,  0x1.b9e802p-28f, 0x1.580518p-29f, 0x1.3db3dcp-30f,
           0x1.f02e06p-32f,  0x1.9e567ep-33f,  0x1.30639ep-34f, 0x1.000e04p-35f, 0x1.66fe62p-37f,
           0x1.2cb002p-38f,  0x1.ca437ap-40f},
      };
      c0 = TailTableF<kForm>(kTable, t, &low);
      root_high = kRootHigh, root_low = kRootLow;
    } else {
      alignas(64) static constexpr float kTable[10][32] = {
          {-0x1.3f2216p-1f,  -0x1.7047b4p-2f,  -0x1.d97fe4p-4f,  -0x1.edc654p-6f,  -0x1.dedfd8p-8f,
           -0x1.c0f6fap-10f, -0x1.9bf62ep-12f, -0x1.7412b4p-14f, -0x1.4bf04cp-16f, -0x1.253cb6p-18f,
           -0x1.00fbaep-20f, -0x1.bf7398p-23f, -0x1.8363b2p-25f, -0x1.4dcfep-27f,  -0x1.1e7b6ap-29f,
           -0x1.ea009p-32f,  -0x1.a1c4fp-34f,  -0x1.633804p-36f, -0x1.2d4f76p-38f, -0x1.fe114ep-41f,
           -0x1.aee5f2p-43f, -0x1.6b61b8p-45f, -0x1.31f604p-47f, -0x1.013de2p-49f, -0x1.affd66p-52f,
           -0x1.6a4852p-54f, -0x1.2f7c3ep-56f, -0x1.fbf088p-59f, -0x1.a8a83ep-61f, -0x1.62b67ep-63f,
           -0x1.280bcap-65f, -0x1.edc6fcp-68f},
          {-0x1.84ebc6p-26f, -0x1.95d08ap-27f, 0x1.1add5p-31f,   -0x1.7cf156p-33f, -0x1.a9b418p-35f,
           0x1.d4e77p-35f,   0x1.2ca308p-37f,  0x1.81bbc6p-39f,  0x1.fb99fcp-41f,  -0x1.925e52p-43f,
           -0x1.bb73ap-45f,  -0x1.bc86c6p-48f, -0x1.c2be8p-50f,  0x1.a8af6cp-53f,  -0x1.fe257p-58f,
           0x1.796942p-57f,  0x1.129446p-59f,  0x1.5d321cp-67f,  0x1.53cef6p-63f,  0x1.746ae2p-67f,
           -0x1.c0682cp-68f, -0x1.c269ccp-72f, -0x1.bebbe6p-72f, -0x1.b95556p-74f, 0x1.48188ep-78f,
           0x1.dedf22p-83f,  -0x1.72b6ccp-81f, -0x1.17e7dap-87f, -0x1.f45d96p-86f, 0x1.44fd04p-89f,
           0x1.489426p-90f,  0x1.98d422p-93f},
          {0x1.0a02b6p-2f,  0x1.8789dap-2f,  0x1.a8c26ap-3f,  0x1.2cd918p-4f,  0x1.6c56e8p-6f,
           0x1.97a0acp-8f,  0x1.b10ebap-10f, 0x1.baf82p-12f,  0x1.b81f9ep-14f, 0x1.ab62eep-16f,
           0x1.976f1cp-18f, 0x1.7e97acp-20f, 0x1.62c8bep-22f, 0x1.4588ap-24f,  0x1.28028ap-26f,
           0x1.0b138ep-28f, 0x1.deb072p-31f, 0x1.aa7028p-33f, 0x1.79e66ap-35f, 0x1.4d5234p-37f,
           0x1.24c588p-39f, 0x1.002f5p-41f,  0x1.becfe8p-44f, 0x1.846eb2p-46f, 0x1.50b938p-48f,
           0x1.23238cp-50f, 0x1.f63feap-53f, 0x1.b0449ap-55f, 0x1.7346bcp-57f, 0x1.3e4908p-59f,
           0x1.10610cp-61f, 0x1.d16ac6p-64f},
          {0x1.9b257ap-3f,   -0x1.5a9f02p-5f,  -0x1.0c7abp-3f,   -0x1.2bb576p-4f,  -0x1.ded01p-6f,
           -0x1.49a21ep-7f,  -0x1.9de818p-9f,  -0x1.e6ac66p-11f, -0x1.104846p-12f, -0x1.252644p-14f,
           -0x1.32148cp-16f, -0x1.37b9ccp-18f, -0x1.3705eep-20f, -0x1.310804p-22f, -0x1.26d272p-24f,
           -0x1.1968d8p-26f, -0x1.09b5acp-28f, -0x1.f107acp-31f, -0x1.ccff6p-33f,  -0x1.a869dcp-35f,
           -0x1.8426d2p-37f, -0x1.60e0cap-39f, -0x1.3f16eep-41f, -0x1.1f214ap-43f, -0x1.013964p-45f,
           -0x1.cafddep-48f, -0x1.97fc68p-50f, -0x1.696726p-52f, -0x1.3f1e7ep-54f, -0x1.18f366p-56f,
           -0x1.ed5814p-59f, -0x1.b00a84p-61f},
          {-0x1.495fbcp-4f, -0x1.88e5a8p-4f, 0x1.ef77fap-7f,  0x1.198c24p-5f,  0x1.54256p-6f,
           0x1.311332p-7f,  0x1.d4093ap-9f,  0x1.435a4ap-10f, 0x1.9de972p-12f, 0x1.f3db6ap-14f,
           0x1.205c26p-15f, 0x1.40c05p-17f,  0x1.5a4766p-19f, 0x1.6cab2ap-21f, 0x1.78167ep-23f,
           0x1.7d00bap-25f, 0x1.7c16eap-27f, 0x1.761ff8p-29f, 0x1.6bf228p-31f, 0x1.5e601ap-33f,
           0x1.4e31acp-35f, 0x1.3c1ebp-37f,  0x1.28cb38p-39f, 0x1.14c32ep-41f, 0x1.007edp-43f,
           0x1.d8bf78p-46f, 0x1.b16b7p-48f,  0x1.8b7a08p-50f, 0x1.6745dcp-52f, 0x1.450edap-54f,
           0x1.24fecap-56f, 0x1.072afap-58f},
          {-0x1.6eaaa4p-5f,  0x1.0263d8p-5f,   0x1.6b5402p-6f,   -0x1.c82bdap-9f,  -0x1.f2e39p-8f,
           -0x1.51dcaep-8f,  -0x1.51b964p-9f,  -0x1.1c88bep-10f, -0x1.aacffcp-12f, -0x1.25f45ap-13f,
           -0x1.7b62c2p-15f, -0x1.d13164p-17f, -0x1.11ae72p-18f, -0x1.3746d4p-20f, -0x1.582a04p-22f,
           -0x1.7381fap-24f, -0x1.88e03ap-26f, -0x1.982134p-28f, -0x1.a16d04p-30f, -0x1.a51f74p-32f,
           -0x1.a3b16cp-34f, -0x1.9dbd66p-36f, -0x1.93e9d4p-38f, -0x1.86d754p-40f, -0x1.772b9cp-42f,
           -0x1.657e66p-44f, -0x1.5263d8p-46f, -0x1.3e54dcp-48f, -0x1.29c526p-50f, -0x1.1514d2p-52f,
           -0x1.009358p-54f, -0x1.d90a4ap-57f},
          {0x1.0e3b4p-6f,   0x1.9b655cp-7f,  -0x1.591314p-7f, -0x1.17b4d4p-8f, 0x1.b803fep-12f,
           0x1.83de82p-10f, 0x1.2f7a94p-10f, 0x1.510b54p-11f, 0x1.34ef6cp-12f, 0x1.f27774p-14f,
           0x1.6e5982p-15f, 0x1.f5ba92p-17f, 0x1.44bc2p-18f,  0x1.923146p-20f, 0x1.df86ep-22f,
           0x1.1520fcp-23f, 0x1.37c308p-25f, 0x1.56f9c4p-27f, 0x1.71ea2ap-29f, 0x1.87f03ap-31f,
           0x1.992f46p-33f, 0x1.a5498p-35f,  0x1.ac3c42p-37f, 0x1.aeb0eap-39f, 0x1.acbc5cp-41f,
           0x1.a70616p-43f, 0x1.9db73p-45f,  0x1.91b89ep-47f, 0x1.834b3cp-49f, 0x1.72f22p-51f,
           0x1.6136b4p-53f, 0x1.4e4caep-55f},
          {0x1.cb545ep-8f,   -0x1.e3ee3ep-8f,  -0x1.ca7582p-14f, 0x1.13910cp-9f,   0x1.bed59ep-11f,
           0x1.bcb5a8p-16f,  -0x1.0551dep-12f, -0x1.f6e012p-13f, -0x1.34c4fap-13f, -0x1.32e97p-14f,
           -0x1.0886f4p-15f, -0x1.9cf0d2p-17f, -0x1.296796p-18f, -0x1.968084p-20f, -0x1.07446ep-21f,
           -0x1.480196p-23f, -0x1.89be0ap-25f, -0x1.cca712p-27f, -0x1.07065ap-28f, -0x1.25186ap-30f,
           -0x1.41fb28p-32f, -0x1.5b6e5cp-34f, -0x1.6fed12p-36f, -0x1.814d7ap-38f, -0x1.8e43dep-40f,
           -0x1.97f67cp-42f, -0x1.9bfcdap-44f, -0x1.9de1bap-46f, -0x1.9bc41p-48f,  -0x1.961b58p-50f,
           -0x1.8e6a42p-52f, -0x1.83083p-54f},
          {-0x1.8aef22p-9f, -0x1.c092p-11f,  0x1.87183ep-10f, -0x1.203ed6p-13f, -0x1.851a5ap-12f,
           -0x1.be611p-13f, -0x1.1880cp-15f, 0x1.e5e996p-16f, 0x1.7c79f6p-15f,  0x1.083ffap-15f,
           0x1.1e8512p-16f, 0x1.03778ap-17f, 0x1.b7991ap-19f, 0x1.3d553ap-20f,  0x1.ca00e6p-22f,
           0x1.35746ap-23f, 0x1.9df0e6p-25f, 0x1.022c4p-26f,  0x1.375d72p-28f,  0x1.74ec56p-30f,
           0x1.a5098ep-32f, 0x1.d6d2d6p-34f, 0x1.097e5p-35f,  0x1.1fae8cp-37f,  0x1.36f714p-39f,
           0x1.472f42p-41f, 0x1.5c8bfep-43f, 0x1.6706dp-45f,  0x1.6fecb2p-47f,  0x1.7668dcp-49f,
           0x1.77011p-51f,  0x1.7cc59ep-53f},
          {0x1.d146b4p-11f,  0x1.1e6c3cp-10f,  -0x1.c389dcp-12f, -0x1.39cb14p-12f, 0x1.d94d76p-14f,
           0x1.376deap-13f,  0x1.fcd8dep-17f,  0x1.80fa2cp-15f,  -0x1.01a94p-18f,  -0x1.b3dcd6p-18f,
           -0x1.b45794p-18f, -0x1.a76abep-19f, -0x1.34d918p-19f, -0x1.2ec936p-21f, -0x1.15f04ap-22f,
           -0x1.8d7ccep-24f, -0x1.7bb026p-25f, -0x1.f64cc4p-27f, -0x1.31edfcp-28f, -0x1.bc26b8p-30f,
           -0x1.b808d2p-32f, -0x1.c8a47p-34f,  -0x1.38a872p-35f, -0x1.575402p-37f, -0x1.8e1ed4p-39f,
           -0x1.87e3d4p-41f, -0x1.fa0fap-43f,  -0x1.ed7ca8p-45f, -0x1.ff9acep-47f, -0x1.147524p-48f,
           -0x1.052746p-50f, -0x1.300a22p-52f},
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
  static constexpr double kCubic = 0.044715;

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
  V Value(V x) const {
    if (tanh_form) return hn::Mul(x, Logistic(D(), TanhArgument(x)));
    V unused;
    const V two_phi = TwoPhi(x, &unused);
    return hn::Mul(x, hn::Mul(two_phi, Constant(0.5)));
  }
  V Grad(V x) const {
    if (tanh_form) {
      const V two_u = TanhArgument(x);
      const V s = Logistic(D(), two_u);
      const V gate_slope = hn::Mul(s, Logistic(D(), hn::Neg(two_u)));
      const V du =
          hn::Mul(Constant(kSqrt2OverPi), hn::MulAdd(hn::Mul(Constant(3 * kCubic), x), x, One()));
      return hn::MulAdd(hn::Mul(hn::Add(x, x), gate_slope), du, s);
    }
    V unused;
    const V two_phi = TwoPhi(x, &unused);
    // e^(-x^2/2) from x^2 split exactly: from t = -x/sqrt(2) its rounding would be amplified x^2
    // times.
    const V x2 = hn::Mul(x, x);
    const V x2_low = hn::MulSub(x, x, x2);
    const V exp_half_x2 = hn::Mul(hn::Exp(D(), hn::Mul(x2, Constant(-0.5))),
                                  hn::NegMulAdd(x2_low, Constant(0.5), One()));
    return hn::MulAdd(hn::Mul(x, Constant(kInvSqrt2Pi)), exp_half_x2,
                      hn::Mul(two_phi, Constant(0.5)));
  }
  // The tanh form's x u' overflows; its gate is saturated long before.
  M Scalar(V x) const { return hn::Gt(hn::Abs(x), Constant(1e100)); }
  // f' cancels near its root at -0.752; the tails lose bits to e^(-x^2/2) near underflow and
  // (tanh form) to the rounding of u.
  M ScalarDouble(V x) const {
    const M root = hn::Lt(hn::Abs(hn::Add(x, Constant(0.752))), Constant(0.4));
    return hn::Or(root, hn::Lt(x, Constant(tanh_form ? -2.0 : -3.0)));
  }
};

// tanh(softplus x) = n/(n+2) with n = e^x (e^x + 2), and 1 - tanh(softplus x) = 2/(n+2).
struct Mish {
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
        {0x1.333334p-1f,  0x1.84d8fp-1f,  0x1.c1005ap-1f,  0x1.e3e5dep-1f,  0x1.f4a4c4p-1f,
         0x1.fbb224p-1f,  0x1.fe6e8p-1f,  0x1.ff7118p-1f,  0x1.ffcdd6p-1f,  0x1.ffee88p-1f,
         0x1.fff9f2p-1f,  0x1.fffde8p-1f, 0x1.ffff48p-1f,  0x1.ffffcp-1f,   0x1.ffffeap-1f,
         0x1.fffff8p-1f,  0x0p+0f,        0x1.5fb2f6p-12f, 0x1.2bb7f2p-11f, 0x1.fecc78p-11f,
         0x1.b33496p-10f, 0x1.72b596p-9f, 0x1.3ba408p-8f,  0x1.0c900ep-7f,  0x1.c875f6p-7f,
         0x1.831b7ap-6f,  0x1.471fa8p-5f, 0x1.12bd24p-4f,  0x1.c89624p-4f,  0x1.747088p-3f,
         0x1.26548ep-2f,  0x1.b9c268p-2f},
        {-0x1.99999ap-26f, -0x1.67a73ap-26f, -0x1.fc2f4p-26f,  0x1.4bde84p-26f,  0x1.2583c8p-29f,
         0x1.31d2aap-26f,  -0x1.de397ep-28f, 0x1.1213d2p-26f,  0x1.dd4bf2p-27f,  0x1.feb8d2p-26f,
         0x1.91682cp-26f,  0x1.66003p-26f,   -0x1.50b7e2p-26f, 0x1.72b42p-27f,   0x1.4c25d8p-29f,
         0x1.cfd414p-27f,  0x0p+0f,          -0x1.b332eep-38f, -0x1.26db26p-37f, 0x1.f4a25cp-37f,
         -0x1.d38686p-37f, 0x1.8258dap-37f,  -0x1.691f76p-41f, 0x1.ebf5dep-33f,  -0x1.b3c5acp-33f,
         0x1.7243eep-31f,  0x1.f46e76p-31f,  0x1.8514d2p-29f,  0x1.00b6c4p-31f,  0x1.c089bcp-29f,
         0x1.aa7ad4p-28f,  0x1.d75ea8p-31f},
        {0x1.5d8678p-3f,  0x1.23579ep-3f,  0x1.775718p-4f,  0x1.841796p-5f,  0x1.56bcdcp-6f,
         0x1.11957ap-7f,  0x1.9add2ep-9f,  0x1.29947ep-10f, 0x1.a60c74p-12f, 0x1.279d4p-13f,
         0x1.9b2146p-15f, 0x1.1caf6ep-16f, 0x1.89482ep-18f, 0x1.0f41eep-19f, 0x1.75de76p-21f,
         0x1.0184fap-22f, 0x0p+0f,         0x1.77152ep-13f, 0x1.3f9bbcp-12f, 0x1.104b0cp-11f,
         0x1.cfd548p-11f, 0x1.8adccep-10f, 0x1.4fde68p-9f,  0x1.1d488cp-8f,  0x1.e37406p-8f,
         0x1.97ec02p-7f,  0x1.55b088p-6f,  0x1.1a93dap-5f,  0x1.c8ee3p-5f,   0x1.62d356p-4f,
         0x1.008e74p-3f,  0x1.48b158p-3f},
        {-0x1.2a431cp-8f,  -0x1.6d338cp-6f,  -0x1.a3e738p-6f, -0x1.22c0b4p-6f,  -0x1.2c438ep-7f,
         -0x1.0516fep-8f,  -0x1.9b37d8p-10f, -0x1.31f6p-11f,  -0x1.b8ac56p-13f, -0x1.376b5cp-14f,
         -0x1.b35b9cp-16f, -0x1.2e5f7cp-17f, -0x1.a2746p-19f, -0x1.20eb08p-20f, -0x1.8e738ep-22f,
         -0x1.128c8cp-23f, 0x0p+0f,          0x1.8ff438p-15f, 0x1.54b874p-14f,  0x1.2229a4p-13f,
         0x1.edee92p-13f,  0x1.a3fd8cp-12f,  0x1.6485a8p-11f, 0x1.2dc716p-10f,  0x1.fc59bcp-10f,
         0x1.a8797cp-9f,   0x1.5d0ddcp-8f,   0x1.1734cep-7f,  0x1.a84562p-7f,   0x1.23c766p-6f,
         0x1.46a0acp-6f,   0x1.b47ef4p-7f},
        {-0x1.c7f252p-8f, -0x1.fee1cep-9f, 0x1.6bf8d4p-10f, 0x1.a2727ep-9f,  0x1.314354p-9f,
         0x1.3665p-10f,   0x1.08b94p-11f,  0x1.9b3c6cp-13f, 0x1.2f5636p-14f, 0x1.b29daap-16f,
         0x1.323022p-17f, 0x1.ab431p-19f,  0x1.286e2ap-20f, 0x1.99f844p-22f, 0x1.1af47p-23f,
         0x1.8623f2p-25f, 0x0p+0f,         0x1.1c381p-17f,  0x1.e405cp-17f,  0x1.9bdd1ep-16f,
         0x1.5e10fcp-15f, 0x1.28f4a6p-14f, 0x1.f61cb6p-14f, 0x1.a60258p-13f, 0x1.5f1104p-12f,
         0x1.1ebd56p-11f, 0x1.c4cb46p-11f, 0x1.4eb498p-10f, 0x1.ada81p-10f,  0x1.77e35ap-10f,
         -0x1.8faccp-12f, -0x1.1720aap-8f},
        {-0x1.f7643p-16f,  0x1.67b84ep-10f,  0x1.014416p-10f,  -0x1.95736p-18f,  -0x1.4aecep-12f,
         -0x1.e638c2p-13f, -0x1.e0ef16p-14f, -0x1.9199f4p-15f, -0x1.33d262p-16f, -0x1.c283d4p-18f,
         -0x1.413afep-19f, -0x1.c35e06p-21f, -0x1.3a6acep-22f, -0x1.b3df66p-24f, -0x1.2d3d8ep-25f,
         -0x1.9fb5fp-27f,  0x0p+0f,          0x1.2ec326p-20f,  0x1.018b7ap-19f,  0x1.b5953cp-19f,
         0x1.72e6f2p-18f,  0x1.391d36p-17f,  0x1.06865ap-16f,  0x1.b2d216p-16f,  0x1.603f58p-15f,
         0x1.11baeap-14f,  0x1.86b67ap-14f,  0x1.c62c14p-14f,  0x1.b98788p-15f,  -0x1.a6f3ccp-13f,
         -0x1.850c38p-11f, -0x1.161166p-10f},
        {0x1.5a42d2p-12f, 0x1.fa5138p-14f, -0x1.b58b02p-13f, -0x1.1bf5c4p-13f, -0x1.a1c798p-18f,
         0x1.b32224p-16f, 0x1.373bacp-16f, 0x1.2b0b5cp-17f,  0x1.ea165p-19f,   0x1.73965ap-20f,
         0x1.0e263cp-21f, 0x1.7fce04p-23f, 0x1.0d133cp-24f,  0x1.7671ap-26f,   0x1.03586ap-27f,
         0x1.666fd8p-29f, 0x0p+0f,         0x1.027e2cp-23f,  0x1.b6e99p-23f,   0x1.745e44p-22f,
         0x1.3966ap-21f,  0x1.0601cap-20f, 0x1.ae4d9cp-20f,  0x1.5a8de6p-19f,  0x1.07b14cp-18f,
         0x1.64ce98p-18f, 0x1.5eaabap-18f, -0x1.5ae3d2p-20f, -0x1.b480e8p-16f, -0x1.5398fep-14f,
         -0x1.eff39p-14f, 0x1.7e392ap-15f},
        {0x1.371b5cp-16f,  -0x1.35c664p-14f, -0x1.21d44p-16f,  0x1.cb8d56p-16f,  0x1.a68ff2p-17f,
         0x1.52bb2p-22f,   -0x1.f5057p-20f,  -0x1.4be83cp-20f, -0x1.32bbe6p-21f, -0x1.ec68b8p-23f,
         -0x1.7158e4p-24f, -0x1.0ad284p-25f, -0x1.7978bap-27f, -0x1.07ce48p-28f, -0x1.6ed68p-30f,
         -0x1.f93f58p-32f, 0x0p+0f,          0x1.6cf908p-27f,  0x1.38a4dp-26f,   0x1.0884aep-25f,
         0x1.b36fdep-25f,  0x1.66b2e6p-24f,  0x1.163f9ap-23f,  0x1.a844d6p-23f,  0x1.10fb92p-22f,
         0x1.81c1eap-23f,  -0x1.7a1a6p-22f,  -0x1.258f54p-19f, -0x1.bc1c36p-18f, -0x1.6e92eep-17f,
         0x1.2d211ep-18f,  0x1.ab02c6p-15f}};
    VF low;
    const VF c0 = SignedTablePolynomialF(kTable, x, &low);
    return hn::MulAdd(x, c0, hn::Mul(x, low));
  }
  // mish' there: (x - x0) P(x), P = mish'/(x - x0) from the same intervals (degree 7, fit within
  // 2^-29.1), x0 the root -1.1924, so that the relative error holds at and near the root.
  VF TableGradF(VF x) const {
    static constexpr float kTable[9][32] = {
        {0x1.019ffap-1f,  0x1.0b8612p-1f, 0x1.e093f8p-2f, 0x1.8eb21cp-2f,  0x1.46d568p-2f,
         0x1.123184p-2f,  0x1.d998fep-3f, 0x1.a29fap-3f,  0x1.7837ccp-3f,  0x1.56270ap-3f,
         0x1.39f8e8p-3f,  0x1.222becp-3f, 0x1.0dc282p-3f, 0x1.f81682p-4f,  0x1.d90866p-4f,
         0x1.bd95e2p-4f,  0x0p+0f,        0x1.69924p-12f, 0x1.34cf14p-11f, 0x1.07cf4ep-10f,
         0x1.c2d7aep-10f, 0x1.814fap-9f,  0x1.49533cp-8f, 0x1.19696cp-7f,  0x1.e08f26p-7f,
         0x1.998c16p-6f,  0x1.5ba82ap-5f, 0x1.24d54cp-4f, 0x1.e5fee6p-4f,  0x1.8813f2p-3f,
         0x1.2c5a96p-2f,  0x1.a4e5e8p-2f},
        {0x1.ed4ec6p-26f,  0x1.ec0994p-26f,  0x1.7a67f6p-27f,  -0x1.172a8ep-27f, 0x1.f1c9f8p-28f,
         -0x1.d08476p-29f, 0x1.8e40d6p-28f,  0x1.9653f4p-28f,  0x1.c576d8p-28f,  -0x1.6d7566p-30f,
         -0x1.3a1326p-28f, 0x1.84b6fp-28f,   0x1.f64a6cp-29f,  0x1.6df174p-29f,  -0x1.b8c856p-29f,
         -0x1.ab8432p-30f, 0x0p+0f,          -0x1.8cced6p-40f, 0x1.5ff33p-36f,   -0x1.b9cd2ap-35f,
         -0x1.def348p-40f, -0x1.a2d48p-36f,  0x1.433794p-36f,  0x1.131b1cp-32f,  -0x1.e27a34p-33f,
         -0x1.693134p-31f, -0x1.4304f2p-30f, -0x1.f26aecp-29f, 0x1.194c34p-30f,  -0x1.adca4ap-29f,
         0x1.2023eep-29f,  0x1.705126p-29f},
        {0x1.f554dcp-5f,  -0x1.6fc24cp-6f, -0x1.336778p-4f, -0x1.41cb48p-4f, -0x1.f0cfe8p-5f,
         -0x1.60464ep-5f, -0x1.fade18p-6f, -0x1.7e3b88p-6f, -0x1.2db70cp-6f, -0x1.ecff7ep-7f,
         -0x1.9cacfap-7f, -0x1.5f88c8p-7f, -0x1.2f7666p-7f, -0x1.08c84ep-7f, -0x1.d23b06p-8f,
         -0x1.9da93p-8f,  0x0p+0f,         0x1.8317eep-13f, 0x1.4ac0ccp-12f, 0x1.1aaf68p-11f,
         0x1.e34d16p-11f, 0x1.9d29b2p-10f, 0x1.6119a2p-9f,  0x1.2d7a9p-8f,   0x1.00d3a8p-7f,
         0x1.b38a8cp-7f,  0x1.6dec82p-6f,  0x1.2dff76p-5f,  0x1.e188cap-5f,  0x1.66cb8ep-4f,
         0x1.d3e272p-4f,  0x1.d2e5b4p-4f},
        {-0x1.3e06ccp-5f, -0x1.3c1b26p-5f, -0x1.9dc0d8p-7f, 0x1.983baep-8f,  0x1.432cf6p-7f,
         0x1.e81e44p-8f,  0x1.3790eap-8f,  0x1.8a14fcp-9f,  0x1.065a2p-9f,   0x1.73dfe4p-10f,
         0x1.15af7cp-10f, 0x1.aebe8ep-11f, 0x1.572b46p-11f, 0x1.16d0d8p-11f, 0x1.cbfe92p-12f,
         0x1.8030d8p-12f, 0x0p+0f,         0x1.9ebf52p-15f, 0x1.628ec6p-14f, 0x1.2f2a26p-13f,
         0x1.0339c6p-12f, 0x1.bb246p-12f,  0x1.7a548ap-11f, 0x1.42227cp-10f, 0x1.10c71cp-9f,
         0x1.c8f708p-9f,  0x1.76b3b2p-8f,  0x1.26863ep-7f,  0x1.a7fa6cp-7f,  0x1.f23876p-7f,
         0x1.30bf72p-7f,  -0x1.90730cp-7f},
        {-0x1.87bc6ep-8f,  0x1.8def36p-8f,   0x1.2429f4p-7f,   0x1.b80348p-9f,   -0x1.395d76p-12f,
         -0x1.071544p-10f, -0x1.860b0ap-11f, -0x1.cbbe3ap-12f, -0x1.063b14p-12f, -0x1.39160ep-13f,
         -0x1.9127cep-14f, -0x1.12c7b2p-14f, -0x1.8c6126p-15f, -0x1.289beep-15f, -0x1.c834c4p-16f,
         -0x1.65a9eap-16f, 0x0p+0f,          0x1.2886dcp-17f,  0x1.fb3cfep-17f,  0x1.b1ce6ap-16f,
         0x1.72d97ap-15f,  0x1.3c92f2p-14f,  0x1.0d6242p-13f,  0x1.c7776cp-13f,  0x1.7c22d8p-12f,
         0x1.354da2p-11f,  0x1.de03b6p-11f,  0x1.495272p-10f,  0x1.4a9f4ep-10f,  -0x1.dde8cap-14f,
         -0x1.1d7084p-8f,  -0x1.37ee84p-7f},
        {0x1.4dc72ap-9f,   0x1.416984p-9f,  -0x1.cda69cp-11f, -0x1.69bfd8p-10f, -0x1.df289ep-12f,
         0x1.29f65ap-17f,  0x1.6abd7p-14f,  0x1.034a3p-14f,   0x1.1e90bep-15f,  0x1.2d9d96p-16f,
         0x1.48c316p-17f,  0x1.80986cp-18f, 0x1.e543cp-19f,   0x1.46523ep-19f,  0x1.cc504cp-20f,
         0x1.4fd966p-20f,  0x0p+0f,         0x1.3e5226p-20f,  0x1.1053cep-19f,  0x1.d19bf4p-19f,
         0x1.8d6b82p-18f,  0x1.51ebf8p-17f, 0x1.1d20bp-16f,   0x1.d9dcap-16f,   0x1.7e0da4p-15f,
         0x1.21164ep-14f,  0x1.787f54p-14f, 0x1.227ae8p-14f,  -0x1.c9996ep-14f, -0x1.5728cep-11f,
         -0x1.7558b2p-10f, -0x1.61f032p-11f},
        {0x1.249512p-11f,  -0x1.39becp-11f,  -0x1.dab542p-12f, 0x1.409cbep-13f,  0x1.43624ap-13f,
         0x1.59bd44p-15f,  -0x1.302022p-21f, -0x1.a9f2d4p-18f, -0x1.308cb8p-18f, -0x1.357facp-19f,
         -0x1.3d5946p-20f, -0x1.237bd4p-21f, -0x1.2905dp-22f,  -0x1.01bd5ep-22f, -0x1.0a568cp-24f,
         -0x1.0e1f6p-24f,  0x0p+0f,          0x1.114c66p-23f,  0x1.cd943ap-23f,  0x1.9230cep-22f,
         0x1.5174a8p-21f,  0x1.1c653p-20f,   0x1.d6805cp-20f,  0x1.7c457ap-19f,  0x1.1582a6p-18f,
         0x1.557724p-18f,  0x1.11119cp-19f,  -0x1.d2796ap-17f, -0x1.122ffp-14f,  -0x1.41965ap-13f,
         -0x1.87eebp-14f,  0x1.ec7432p-12f},
        {-0x1.13a612p-13f, -0x1.146248p-13f, 0x1.0a7d96p-13f,  0x1.64c4f4p-15f,  -0x1.5b2554p-16f,
         -0x1.ac9dc8p-17f, -0x1.7d527ep-19f, 0x1.78d1ep-24f,   0x1.bdab7ap-22f,  0x1.1e812cp-22f,
         0x1.1e9076p-23f,  0x1.0da33p-24f,   0x1.0227fep-25f,  0x1.f5206cp-27f,  0x1.ddea54p-28f,
         0x1.5bdc7cp-28f,  0x0p+0f,          0x1.85b796p-27f,  0x1.470452p-26f,  0x1.207856p-25f,
         0x1.da73a6p-25f,  0x1.85186p-24f,   0x1.3074d4p-23f,  0x1.bcd386p-23f,  0x1.d07ba6p-23f,
         -0x1.d618c6p-30f, -0x1.4455f2p-20f, -0x1.477234p-18f, -0x1.a8fa76p-17f, -0x1.979e2p-17f,
         0x1.923cbcp-15f,  0x1.d1871ep-14f},
        {-0x1.661e88p-15f, 0x1.75fc56p-15f,  0x1.0ab476p-17f,  -0x1.2e87f4p-16f, -0x1.37a0c6p-20f,
         0x1.8cd8cep-19f,  0x1.6d3f5ap-21f,  -0x1.0fd762p-25f, 0x1.b7d3e8p-22f,  0x1.4849c8p-25f,
         0x1.e61fcp-24f,   -0x1.2858fap-24f, -0x1.424b4cp-24f, 0x1.22dc14p-23f,  -0x1.f470a6p-24f,
         -0x1.f1148p-26f,  0x0p+0f,          0x1.344e28p-30f,  0x1.0665a6p-27f,  -0x1.d3a4e8p-29f,
         0x1.6f4b34p-27f,  0x1.f735bap-27f,  0x1.5ab52cp-26f,  -0x1.db735ap-25f, -0x1.dc6b36p-28f,
         -0x1.266878p-22f, 0x1.613ab8p-24f,  -0x1.4246fep-20f, -0x1.9d6f1ep-21f, 0x1.90cabcp-20f,
         0x1.ba1cf6p-17f,  -0x1.2ad4e2p-17f}};
    return TableTimesFromRootF(kTable, -0x1.31432cp+0f, -0x1.a25b08p-29f, x);
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
    static constexpr RootPolynomialF<11> kRoot = {
        -0x1.31432cp+0f,
        -0x1.a25b08p-29f,
        -1.94f,
        -0.6f,
        {0x1.115accp-2f, 0x1.a34a26p-3f, 0x1.574d1cp-5f, -0x1.4c254p-6f, -0x1.030258p-6f,
         -0x1.b70e9ap-9f, 0x1.107edep-10f, 0x1.ec9978p-11f, 0x1.52199ep-12f, 0x1.8dc91ep-16f,
         -0x1.9d0112p-15f}};
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
  V Grad(V x) const {
    V t, one_minus_t;
    Gate(x, &t, &one_minus_t);
    const V slope = hn::Mul(hn::Mul(one_minus_t, hn::Add(One(), t)), Logistic(D(), x));
    return hn::MulAdd(x, slope, t);
  }
  // f' cancels near its root at -1.1924; below -700 e^x is subnormal while x e^x is not.
  M ScalarDouble(V x) const {
    return hn::Or(hn::Lt(hn::Abs(hn::Add(x, Constant(1.1924))), Constant(0.5)),
                  hn::Lt(x, Constant(-700.0)));
  }
};

struct Hardswish {
  explicit Hardswish(const Params&) {}
  // In float lanes x (x + 3) / 6 with x + 3 and the product exact double-floats and a
  // compensated quotient: one rounding. Infinities take the outer cases and NaN the inner one,
  // which keeps it.
  bool FloatNative() const { return true; }
  static constexpr bool kValueHandlesSpecialsF = true;
  // (n + n_low)/6: n times the float nearest 1/6, corrected once by the exact residual.
  static VF SixthF(VF n, VF n_low) {
    const VF inverse = ConstantF(1.0f / 6);
    const VF q = hn::Mul(n, inverse);
    return hn::MulAdd(hn::Add(hn::NegMulAdd(q, ConstantF(6.0f), n), n_low), inverse, q);
  }
  template <class Exp>
  VF ValueF(VF x) const {
    const VF three = ConstantF(3.0f), zero = hn::Zero(DF());
    const VF s = hn::Add(x, three);  // exact error by Fast2Sum where |x| <= 3
    const VF s_low = hn::Sub(x, hn::Sub(s, three));
    const VF p = hn::Mul(x, s);
    const VF inner = SixthF(p, hn::MulAdd(x, s_low, hn::MulSub(x, s, p)));
    return hn::IfThenElse(hn::Le(x, ConstantF(-3.0f)), zero,
                          hn::IfThenElse(hn::Ge(x, three), x, inner));
  }
  template <class Exp>
  VF GradF(VF x) const {
    const VF zero = hn::Zero(DF());
    const VF inner = SixthF(hn::MulAdd(ConstantF(2.0f), x, ConstantF(3.0f)), zero);
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

struct BentIdentity {
  explicit BentIdentity(const Params&) {}
  static V Root(V x) { return hn::Sqrt(hn::MulAdd(x, x, One())); }
  V Value(V x) const {
    const V bend = hn::Mul(x, hn::Div(x, hn::Add(Root(x), One())));
    return hn::MulAdd(bend, Constant(0.5), x);
  }
  V Grad(V x) const { return hn::MulAdd(hn::Div(x, Root(x)), Constant(0.5), One()); }
  M Scalar(V x) const { return hn::Gt(hn::Abs(x), Constant(1e150)); }  // x^2 overflows
};

// ---- Shrinkage ----

struct Tanhshrink {
  explicit Tanhshrink(const Params&) {}
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
  V Value(V x) const {
    return Select(hn::Lt(hn::Abs(x), One()), Series(x), hn::Sub(x, hn::Tanh(D(), x)));
  }
  V Grad(V x) const {
    const V t = hn::Tanh(D(), x);
    return hn::Mul(t, t);
  }
};

struct Softshrink {
  V lambda;
  explicit Softshrink(const Params& p) : lambda(Constant(p[0])) {}
  V Value(V x) const {  // zeros keep the sign of x
    return Select(hn::Gt(x, lambda), hn::Sub(x, lambda),
                  Select(hn::Lt(x, hn::Neg(lambda)), hn::Add(x, lambda), hn::CopySign(Zero(), x)));
  }
  V Grad(V x) const { return hn::IfThenElseZero(hn::Gt(hn::Abs(x), lambda), One()); }
  V GradFromOutput(V y) const { return hn::IfThenElseZero(hn::Ne(y, Zero()), One()); }
};

struct Hardshrink {
  V lambda;
  explicit Hardshrink(const Params& p) : lambda(Constant(p[0])) {}
  V Value(V x) const { return Select(hn::Gt(hn::Abs(x), lambda), x, hn::CopySign(Zero(), x)); }
  V Grad(V x) const { return hn::IfThenElseZero(hn::Gt(hn::Abs(x), lambda), One()); }
  V GradFromOutput(V y) const { return hn::IfThenElseZero(hn::Ne(y, Zero()), One()); }
};

// ---- Radial, periodic and other gallery functions ----

struct Gaussian {
  explicit Gaussian(const Params&) {}
  // e^-(x^2) with x^2 split exactly (fma) so its rounding is not amplified x^2 times.
  static V ExpNegSquare(V x) {
    const V x2 = hn::Mul(x, x);
    const V low = hn::MulSub(x, x, x2);
    return hn::Mul(hn::Exp(D(), hn::Neg(x2)), hn::Sub(One(), low));
  }
  V Value(V x) const { return ExpNegSquare(x); }
  V Grad(V x) const { return hn::Mul(hn::Mul(Constant(-2.0), x), ExpNegSquare(x)); }
  // f' is normal where e^-x^2 is already subnormal in double.
  M Scalar(V x) const { return hn::Gt(hn::Abs(x), Constant(26.0)); }
};

struct Absolute {
  explicit Absolute(const Params&) {}
  V Value(V x) const { return hn::Abs(x); }
  V Grad(V x) const {
    return Select(Positive(x), One(), Select(hn::Lt(x, Zero()), Constant(-1.0), Zero()));
  }
};

// Highway's Sin and Cos are valid for |x| <= 39000; larger inputs take the scalar path.
HWY_INLINE M OutsideTrigRange(V x) { return hn::Gt(hn::Abs(x), Constant(39000.0)); }

struct Sinusoid {
  explicit Sinusoid(const Params&) {}
  V Value(V x) const { return hn::Sin(D(), x); }
  V Grad(V x) const { return hn::Cos(D(), x); }
  M Scalar(V x) const { return OutsideTrigRange(x); }
};

struct Cos {
  explicit Cos(const Params&) {}
  V Value(V x) const { return hn::Cos(D(), x); }
  V Grad(V x) const { return hn::Neg(hn::Sin(D(), x)); }
  M Scalar(V x) const { return OutsideTrigRange(x); }
};

struct Sinc {
  explicit Sinc(const Params&) {}
  // sinc'(x) = sum_{k>=1} (-1)^k 2k x^(2k-1)/(2k+1)! for |x| < 1, where x cos x - sin x cancels.
  static V GradSeries(V x) {
    static const struct Coefficients {
      double c[15];
      Coefficients() : c{} {
        double factorial = 1;
        for (int k = 1; k <= 14; ++k) {
          factorial *= (2 * k) * (2 * k + 1);
          c[k] = (k % 2 ? -2.0 : 2.0) * k / factorial;
        }
      }
    } coefficients;
    const V z = hn::Mul(x, x);
    V sum = Zero();
    for (int k = 14; k >= 1; --k) sum = hn::MulAdd(sum, z, Constant(coefficients.c[k]));
    return hn::Mul(sum, x);
  }
  V Value(V x) const { return Select(hn::Eq(x, Zero()), One(), hn::Div(hn::Sin(D(), x), x)); }
  V Grad(V x) const {
    const V direct = hn::Div(hn::Sub(hn::Cos(D(), x), hn::Div(hn::Sin(D(), x), x)), x);
    return Select(hn::Lt(hn::Abs(x), One()), GradSeries(x), direct);
  }
  M Scalar(V x) const { return OutsideTrigRange(x); }
  // x cos x - sin x cancels at every root of tan x = x.
  M ScalarDouble(V x) const { return hn::Ge(hn::Abs(x), One()); }
};

// ---- The loop ----

template <class K>
concept HasGradFromOutput = requires(const K& k, V v) {
  k.GradFromOutput(v);
};
template <class K>
concept HasScalarRange = requires(const K& k, V v) {
  k.Scalar(v);
};
template <class K>
concept HasScalarDoubleRange = requires(const K& k, V v) {
  k.ScalarDouble(v);
};

template <class K>
HWY_INLINE V Evaluate(const K& kernel, Op op, V a) {
  switch (op) {
    case Op::kForward:
      return kernel.Value(a);
    case Op::kBackwardFromOutput:
      if constexpr (HasGradFromOutput<K>) return kernel.GradFromOutput(a);
      return hn::Set(D(), std::nan(""));  // unreachable: the caller checks the catalog
    case Op::kDerivative:
    case Op::kBackward:
      break;
  }
  return kernel.Grad(a);
}

// f's lanes at a = +-0 replaced by the reference's zeros (kernels.hpp, Zeros), whatever the
// vector formula gave there; for float and double vectors. The loops pass `zeros` by value, read
// once: a load from Function each vector would be repeated after every store, which may alias it.
template <class Vec>
HWY_INLINE Vec ReferenceZeros(Zeros zeros, Vec a, Vec r) {
  const hn::DFromV<Vec> d;
  switch (zeros) {
    case Zeros::kPassThrough:
      return hn::IfThenElse(hn::Eq(a, hn::Zero(d)), a, r);
    case Zeros::kNegated:
      return hn::IfThenElse(hn::Eq(a, hn::Zero(d)), hn::Neg(a), r);
    case Zeros::kAsComputed:
      break;
  }
  return r;
}

// One full vector of doubles: the value, NaN passed through, rare lanes from the reference.
template <class K, bool kForDouble>
HWY_INLINE V Body(const K& kernel, Op op, const Function& function, Zeros zeros, V a, V dy) {
  V r = Evaluate(kernel, op, a);
  M scalar = hn::IsInf(a);
  if constexpr (HasScalarRange<K>) scalar = hn::Or(scalar, kernel.Scalar(a));
  if constexpr (kForDouble && HasScalarDoubleRange<K>) {
    if (op != Op::kBackwardFromOutput) scalar = hn::Or(scalar, kernel.ScalarDouble(a));
  }
  if (HWY_UNLIKELY(!hn::AllFalse(D(), scalar))) {
    const D d;
    HWY_ALIGN double lanes_a[HWY_MAX_BYTES / sizeof(double)];
    HWY_ALIGN double lanes_r[HWY_MAX_BYTES / sizeof(double)];
    hn::Store(a, d, lanes_a);
    hn::Store(r, d, lanes_r);
    const FunctionInfo& info = function.info;
    const ScalarFn fn = op == Op::kForward              ? info.reference
                        : op == Op::kBackwardFromOutput ? info.reference_from_output
                                                        : info.reference_derivative;
    HWY_ALIGN double flagged[HWY_MAX_BYTES / sizeof(double)];
    hn::Store(hn::VecFromMask(d, scalar), d, flagged);
    for (size_t i = 0; i < hn::Lanes(d); ++i) {
      if (flagged[i] != 0) lanes_r[i] = fn(lanes_a[i], function.params);
    }
    r = hn::Load(d, lanes_r);
  }
  if (op == Op::kBackward || op == Op::kBackwardFromOutput) r = hn::Mul(dy, r);
  if (op == Op::kForward) r = ReferenceZeros(zeros, a, r);
  return hn::IfThenElse(hn::IsNaN(a), a, r);
}

template <class K>
concept HasFloatValue = requires(const K& k, VF v) {
  k.template ValueF<AnyRangeExp>(v);
};
template <class K>
concept HasFloatGrad = requires(const K& k, VF v) {
  k.template GradF<AnyRangeExp>(v);
};
template <class K>
concept HasFastRangeF = requires(const K& k, VF v) {
  k.FastRangeF(v);
};
// Kernels whose float f may already give the reference's signed zeros (for the parameters where
// ZerosExactF() says so), so that their forward needs no zero handling.
template <class K>
concept HasZerosExactF = requires(const K& k) {
  { k.ZerosExactF() } -> std::same_as<bool>;
};

// One full vector of floats: f or f' with exponentials from Exp, times dy for the backward, the
// reference's zeros. With AnyRangeExp, infinite lanes come from the reference.
template <Op kOp, class Exp, class K>
HWY_INLINE VF BodyF(const K& kernel, const Function& function, Zeros zeros, VF a, VF dy) {
  const DF df;
  VF r;
  if constexpr (kOp == Op::kForward) {
    r = kernel.template ValueF<Exp>(a);
  } else {
    r = kernel.template GradF<Exp>(a);
  }
  if constexpr (std::is_same_v<Exp, AnyRangeExp>) {
    const auto infinite = hn::IsInf(a);
    if (HWY_UNLIKELY(!hn::AllFalse(df, infinite))) {
      HWY_ALIGN float lanes_a[HWY_MAX_BYTES / sizeof(float)];
      HWY_ALIGN float lanes_r[HWY_MAX_BYTES / sizeof(float)];
      hn::Store(a, df, lanes_a);
      hn::Store(r, df, lanes_r);
      const ScalarFn fn =
          kOp == Op::kForward ? function.info.reference : function.info.reference_derivative;
      for (size_t i = 0; i < hn::Lanes(df); ++i) {
        if (std::isinf(lanes_a[i])) {
          lanes_r[i] = static_cast<float>(fn(lanes_a[i], function.params));
        }
      }
      r = hn::Load(df, lanes_r);
    }
  }
  if constexpr (kOp == Op::kBackward) r = hn::Mul(dy, r);
  if constexpr (kOp == Op::kForward) r = ReferenceZeros(zeros, a, r);
  if constexpr (std::is_same_v<Exp, AnyRangeExp>) r = hn::IfThenElse(hn::IsNaN(a), a, r);
  return r;
}

// Kernels with a second fast path for f, from a table: TableValueF(x) where every lane is in
// TableRangeF (no specials there).
template <class K>
concept HasTableF = requires(const K& k, VF v) {
  { k.TableRangeF(v) } -> std::same_as<MF>;
  { k.TableValueF(v) } -> std::same_as<VF>;
};

// Kernels whose float f gives the documented result at infinities and NaN in every lane.
template <class K>
concept ValueHandlesSpecialsF = K::kValueHandlesSpecialsF;

// A vector through the kernel's formula: for a forward that handles the specials itself, its
// fast path at every input; else the fast path when the kernel has one and every lane is in
// its range, and the general path otherwise.
template <Op kOp, class K>
HWY_INLINE VF FormulaF(const K& kernel, const Function& function, Zeros zeros, VF a, VF dy) {
  if constexpr (kOp == Op::kForward && ValueHandlesSpecialsF<K>) {
    return BodyF<kOp, NormalRangeExp>(kernel, function, zeros, a, dy);
  } else {
    if constexpr (HasFastRangeF<K>) {
      if (HWY_LIKELY(hn::AllTrue(DF(), kernel.FastRangeF(a)))) {
        return BodyF<kOp, NormalRangeExp>(kernel, function, zeros, a, dy);
      }
    }
    return BodyF<kOp, AnyRangeExp>(kernel, function, zeros, a, dy);
  }
}

// Kernels with a table for f' too: TableGradF(x) where every lane is in TableRangeF.
template <class K>
concept HasTableGradF = requires(const K& k, VF v) {
  { k.TableRangeF(v) } -> std::same_as<MF>;
  { k.TableGradF(v) } -> std::same_as<VF>;
};
template <Op kOp, class K>
constexpr bool kUsesTable = kOp == Op::kForward ? HasTableF<K> : HasTableGradF<K>;

// The table's result for an op, every lane in the table's range.
template <Op kOp, class K>
HWY_INLINE VF TableF(const K& kernel, Zeros zeros, VF a, VF dy) {
  if constexpr (kOp == Op::kForward) {
    return ReferenceZeros(zeros, a, kernel.TableValueF(a));
  } else {
    const VF slope = kernel.TableGradF(a);
    return kOp == Op::kBackward ? hn::Mul(dy, slope) : slope;
  }
}

// A vector with lanes outside the table's range: those from the formula, the others still from
// the table, so that a lane's result never depends on its neighbours. Out of line, which keeps
// the loops over the table's range compact (inlined, it cost sigmoid a fifth).
template <Op kOp, class K>
HWY_NOINLINE VF TableOrFormulaF(const K& kernel, const Function& function, Zeros zeros, VF a, VF dy,
                                MF in_table) {
  const VF r = FormulaF<kOp>(kernel, function, zeros, a, dy);
  if (hn::AllFalse(DF(), in_table)) return r;
  return hn::IfThenElse(in_table, TableF<kOp>(kernel, zeros, a, dy), r);
}

// A vector through the table where the kernel has one for the op and every lane is in its range
// (checked first: inside the fast path instead, sigmoid gained 1.14x where this gives 1.4x);
// else through the formula.
template <Op kOp, class K>
HWY_INLINE VF VectorF(const K& kernel, const Function& function, Zeros zeros, VF a, VF dy) {
  if constexpr (kUsesTable<kOp, K>) {
    const MF in_table = kernel.TableRangeF(a);
    if (HWY_LIKELY(hn::AllTrue(DF(), in_table))) return TableF<kOp>(kernel, zeros, a, dy);
    return TableOrFormulaF<kOp>(kernel, function, zeros, a, dy, in_table);
  } else {
    return FormulaF<kOp>(kernel, function, zeros, a, dy);
  }
}

// Arrays from this size on are written with non-temporal stores (LoopF): far more than the
// 2 MiB of L2 a core has here, and than a thread's share of a large L3.
constexpr size_t kStreamingBytes = size_t{32} << 20;
// How far ahead of the loads those loops prefetch (LoopF says which when).
constexpr size_t kNearPrefetchFloats = 1024;  // 4 KiB, into L1
constexpr size_t kFarPrefetchFloats = 4096;   // 16 KiB, into L2

// kSkipZeroHandling: a forward whose zeros need no handling (Function::zeros is kAsComputed, as for
// sigmoid or exponential, or the kernel's own are exact), compiled without the per-vector switch
// on the mode.
template <Op kOp, class K, bool kSkipZeroHandling = false>
void LoopF(const K& kernel, const Function& function, const float* a, const float* dy, float* out,
           size_t n) {
  const DF df;
  const size_t lanes = hn::Lanes(df);
  const Zeros zeros = kSkipZeroHandling ? Zeros::kAsComputed : function.zeros;
  constexpr bool kWithDy = kOp == Op::kBackward;
  // Fewer than `lanes` elements from i, through a padded buffer: never past the end.
  const auto partial = [&](size_t i, size_t count) {
    HWY_ALIGN float part_a[HWY_MAX_BYTES / sizeof(float)] = {};
    HWY_ALIGN float part_dy[HWY_MAX_BYTES / sizeof(float)] = {};
    HWY_ALIGN float part_out[HWY_MAX_BYTES / sizeof(float)];
    std::memcpy(part_a, a + i, count * sizeof(float));
    if (kWithDy) std::memcpy(part_dy, dy + i, count * sizeof(float));
    hn::Store(VectorF<kOp>(kernel, function, zeros, hn::Load(df, part_a), hn::Load(df, part_dy)),
              df, part_out);
    std::memcpy(out + i, part_out, count * sizeof(float));
  };
  // Outputs far beyond the caches are written with non-temporal stores, as memcpy does: a plain
  // store first reads the line it writes, a third of the memory traffic. They need aligned
  // addresses, so the elements before the first aligned one go through `partial`.
  const size_t vector_bytes = lanes * sizeof(float);
  const size_t misaligned = reinterpret_cast<uintptr_t>(out) % vector_bytes;
  const bool stream = n * sizeof(float) >= kStreamingBytes && misaligned % sizeof(float) == 0;
  size_t i = 0;
  if (stream && misaligned != 0) {
    i = std::min(n, (vector_bytes - misaligned) / sizeof(float));
    partial(0, i);
  }
  const auto store = [&](VF v, float* p) {
    if (stream) {
      hn::Stream(v, df, p);
    } else {
      hn::StoreU(v, df, p);
    }
  };
  // From DRAM, the hardware prefetcher alone leaves these loops' loads waiting. Prefetching into
  // L2 16 KiB ahead served every kernel's forward best here (relu 2.0 -> 2.3 Gelem/s, tanh 1.3 ->
  // 1.6, against 2.5 for a copy); the backward of the compute-heavy kernels, with two inputs,
  // into L1 4 KiB ahead.
  const auto fetch = [](const float* p) {
    if constexpr (kWithDy && HasFastRangeF<K>) {
      hwy::Prefetch(p + kNearPrefetchFloats);
    } else {
      __builtin_prefetch(p + kFarPrefetchFloats, 0, 2);
    }
  };
  // Four vectors per iteration, all loaded before any is stored (out may alias a or dy). Against
  // two, side by side on Zen 5: the rectifiers' backward 1.26x-1.58x at 2^14 (from L2), up to
  // 1.28x at 2^20; the transcendental kernels unchanged (their dependency chains bound them).
  for (; i + 4 * lanes <= n; i += 4 * lanes) {
    if (stream) {
      for (size_t k = 0; k < 4; ++k) {
        fetch(a + i + k * lanes);
        if constexpr (kWithDy) fetch(dy + i + k * lanes);
      }
    }
    const VF va0 = hn::LoadU(df, a + i), va1 = hn::LoadU(df, a + i + lanes);
    const VF va2 = hn::LoadU(df, a + i + 2 * lanes), va3 = hn::LoadU(df, a + i + 3 * lanes);
    const VF vdy0 = kWithDy ? hn::LoadU(df, dy + i) : va0;
    const VF vdy1 = kWithDy ? hn::LoadU(df, dy + i + lanes) : va1;
    const VF vdy2 = kWithDy ? hn::LoadU(df, dy + i + 2 * lanes) : va2;
    const VF vdy3 = kWithDy ? hn::LoadU(df, dy + i + 3 * lanes) : va3;
    const VF r0 = VectorF<kOp>(kernel, function, zeros, va0, vdy0);
    const VF r1 = VectorF<kOp>(kernel, function, zeros, va1, vdy1);
    const VF r2 = VectorF<kOp>(kernel, function, zeros, va2, vdy2);
    const VF r3 = VectorF<kOp>(kernel, function, zeros, va3, vdy3);
    store(r0, out + i);
    store(r1, out + i + lanes);
    store(r2, out + i + 2 * lanes);
    store(r3, out + i + 3 * lanes);
  }
  for (; i + lanes <= n; i += lanes) {
    const VF va = hn::LoadU(df, a + i);
    const VF vdy = kWithDy ? hn::LoadU(df, dy + i) : va;
    store(VectorF<kOp>(kernel, function, zeros, va, vdy), out + i);
  }
  if (i < n) partial(i, n - i);
  if (stream) hwy::FlushStream();  // order the streamed stores before our return
}

// Float arrays through the float-lane kernel; false if it has none for this op and parameters.
template <class K>
bool RunF(const K& kernel, Op op, const Function& function, const float* a, const float* dy,
          float* out, size_t n) {
  if constexpr (!HasFloatValue<K>) {
    return false;
  } else {
#if !HWY_NATIVE_FMA
    // The float kernels' double-float corrections need exact products (fma); without them the
    // double lanes, rounded once, keep the bounds.
    return false;
#endif
    if (!kernel.FloatNative()) return false;
    switch (op) {
      case Op::kForward: {
        bool skip_zero_handling = function.zeros == Zeros::kAsComputed;
        if constexpr (HasZerosExactF<K>) skip_zero_handling |= kernel.ZerosExactF();
        if (skip_zero_handling) {
          LoopF<Op::kForward, K, true>(kernel, function, a, dy, out, n);
        } else {
          LoopF<Op::kForward>(kernel, function, a, dy, out, n);
        }
        return true;
      }
      case Op::kDerivative:
      case Op::kBackward:
        if constexpr (HasFloatGrad<K>) {
          if (op == Op::kDerivative) {
            LoopF<Op::kDerivative>(kernel, function, a, dy, out, n);
          } else {
            LoopF<Op::kBackward>(kernel, function, a, dy, out, n);
          }
          return true;
        }
        return false;
      case Op::kBackwardFromOutput:
        return false;
    }
    return false;
  }
}

// Kernels with a table per form of a parameter (gelu's erf and tanh forms): TableFormF() names the
// form, and the loops run TableFormOfF<K, form>, which adds that form's table hooks.
template <class K>
concept HasTableFormsF = requires(const K& k) {
  { k.TableFormF() } -> std::same_as<int>;
};
template <class K, int kForm>
struct TableFormOfF : K {
  explicit TableFormOfF(const K& kernel) : K(kernel) {}
  VF TableValueF(VF x) const { return K::template TableValueOfFormF<kForm>(x); }
  VF TableGradF(VF x) const { return K::template TableGradOfFormF<kForm>(x); }
};

template <class K, typename T>
void Loop(Op op, const Function& function, const T* a, const T* dy, T* out, size_t n) {
  const K kernel(function.params);
  if constexpr (sizeof(T) == sizeof(float)) {
    if constexpr (HasTableFormsF<K>) {
      const bool done = kernel.TableFormF() == 0
                            ? RunF(TableFormOfF<K, 0>(kernel), op, function, a, dy, out, n)
                            : RunF(TableFormOfF<K, 1>(kernel), op, function, a, dy, out, n);
      if (done) return;
    } else if (RunF(kernel, op, function, a, dy, out, n)) {
      return;
    }
  }
  const Zeros zeros = function.zeros;
  const D d;
  const size_t lanes = hn::Lanes(d);
  const bool with_dy = op == Op::kBackward || op == Op::kBackwardFromOutput;
  const auto load = [&](const T* p) {
    if constexpr (sizeof(T) == sizeof(double)) {
      return hn::LoadU(d, p);
    } else {
      return hn::PromoteTo(d, hn::LoadU(hn::Rebind<T, D>(), p));
    }
  };
  const auto store = [&](V v, T* p) {
    if constexpr (sizeof(T) == sizeof(double)) {
      hn::StoreU(v, d, p);
    } else {
#if HWY_TARGET == HWY_SCALAR || HWY_TARGET == HWY_EMU128
      // Their DemoteTo saturates at the largest float, but a result beyond it is infinite.
      HWY_ALIGN double lanes[HWY_MAX_BYTES / sizeof(double)];
      hn::Store(v, d, lanes);
      for (size_t i = 0; i < hn::Lanes(d); ++i) p[i] = static_cast<float>(lanes[i]);
#else
      hn::StoreU(hn::DemoteTo(hn::Rebind<T, D>(), v), hn::Rebind<T, D>(), p);
#endif
    }
  };
  size_t i = 0;
  for (; i + lanes <= n; i += lanes) {
    const V va = load(a + i);
    const V vdy = with_dy ? load(dy + i) : va;
    store(Body<K, sizeof(T) == sizeof(double)>(kernel, op, function, zeros, va, vdy), out + i);
  }
  if (i < n) {  // the tail through a padded buffer, never reading or writing past the end
    HWY_ALIGN T tail_a[HWY_MAX_BYTES / sizeof(double)] = {};
    HWY_ALIGN T tail_dy[HWY_MAX_BYTES / sizeof(double)] = {};
    HWY_ALIGN T tail_out[HWY_MAX_BYTES / sizeof(double)];
    const size_t rest = n - i;
    std::memcpy(tail_a, a + i, rest * sizeof(T));
    if (with_dy) std::memcpy(tail_dy, dy + i, rest * sizeof(T));
    store(Body<K, sizeof(T) == sizeof(double)>(kernel, op, function, zeros, load(tail_a),
                                               load(tail_dy)),
          tail_out);
    std::memcpy(out + i, tail_out, rest * sizeof(T));
  }
}

template <typename T>
void Run(KernelId id, Op op, const Function& function, const T* a, const T* dy, T* out, size_t n) {
  switch (id) {
#define SIGMA_KERNEL_CASE(fn, type) \
  case KernelId::k_##fn:            \
    return Loop<type, T>(op, function, a, dy, out, n);
    SIGMA_KERNELS(SIGMA_KERNEL_CASE)
#undef SIGMA_KERNEL_CASE
    case KernelId::kNone:
      break;
  }
}

void RunFloat(KernelId id, Op op, const Function& function, const float* a, const float* dy,
              float* out, size_t n) {
  Run(id, op, function, a, dy, out, n);
}

void RunDouble(KernelId id, Op op, const Function& function, const double* a, const double* dy,
               double* out, size_t n) {
  Run(id, op, function, a, dy, out, n);
}

const char* TargetName() { return hwy::TargetName(HWY_TARGET); }

}  // namespace sigma::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace sigma::kernels {

HWY_EXPORT(RunFloat);
HWY_EXPORT(RunDouble);
HWY_EXPORT(TargetName);

Zeros zeros_of(const FunctionInfo& info, const Params& params) {
  const double minus = info.reference(-0.0, params), plus = info.reference(0.0, params);
  if (minus != 0 || plus != 0) return Zeros::kAsComputed;
  if (std::signbit(minus) && !std::signbit(plus)) return Zeros::kPassThrough;
  if (!std::signbit(minus) && std::signbit(plus)) return Zeros::kNegated;
  return Zeros::kAsComputed;
}

KernelId find_kernel(const FunctionInfo& info) {
#define SIGMA_KERNEL_NAME(fn, type) \
  if (info.name == #fn) return KernelId::k_##fn;
  SIGMA_KERNELS(SIGMA_KERNEL_NAME)
#undef SIGMA_KERNEL_NAME
  return KernelId::kNone;
}

void run(KernelId id, Op op, const Function& function, const float* a, const float* dy, float* out,
         std::size_t n) {
  HWY_DYNAMIC_DISPATCH(RunFloat)(id, op, function, a, dy, out, n);
}

void run(KernelId id, Op op, const Function& function, const double* a, const double* dy,
         double* out, std::size_t n) {
  HWY_DYNAMIC_DISPATCH(RunDouble)(id, op, function, a, dy, out, n);
}

const char* target_name() { return HWY_DYNAMIC_DISPATCH(TargetName)(); }

}  // namespace sigma::kernels
#endif  // HWY_ONCE
