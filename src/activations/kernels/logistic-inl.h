// The logistic function in float lanes, shared by sigmoid, softplus, logsigmoid, silu and the
// tanh form of GELU: factor sigma(z) and the gated slope sigma(z) (1 + factor sigma(-z)) from an
// exponential split, softplus as max(x, 0) + log1p(e^-|x|), and on AVX-512 softplus' table for
// |x| < 8 and the tails beyond it.

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

// ---- Tails: 8 <= |x| <= 87, the lanes beyond the tables in a vector whose lanes all keep e^-|x|
// normal. There e = e^-|x| <= 3.4e-4, so a few terms of a series in e replace the quotients: e^3
// is below 2^-34 of the leading term, and the products with e are rounded far below an ulp of the
// result. e = 2^k (m + m_low) from the fast split; the results are rounded once.

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

// 2^k (m + m_low - m e (c1 - c2 e)): e^-|x| (1 - c1 e + c2 e^2), rounded once.
HWY_INLINE VF TailSeriesF(const ExpSplit<DF, true>& s, VF e, float c1, float c2) {
  return s.Scale(hn::Add(s.m, TailSeriesLowF(s, e, c1, c2)));
}

// softplus(x) = log(1 + e^x): log1p(e) = e (1 - e/2 + e^2/3) for x < 0; x + log1p(e) for x > 0,
// where e/x < 2^-14, so e (1 - e/2) is plenty.
HWY_INLINE VF SoftplusTailF(VF x) {
  VF e;
  const auto s = TailSplitF(x, &e);
  const VF positive = hn::MulAdd(e, hn::NegMulAdd(ConstantF(0.5f), e, ConstantF(1.0f)), x);
  return hn::IfThenElse(hn::Lt(x, hn::Zero(DF())), TailSeriesF(s, e, 0.5f, 1.0f / 3), positive);
}

#endif

// sigma(x): ScaledLogisticF without the factor's products.
template <class Exp>
HWY_INLINE VF LogisticF(VF x) {
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
