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
  static constexpr double kTwoSqrt2OverPiLow =
      -9.96930880911092e-17;  // 2 sqrt(2/pi) - 2 kSqrt2OverPi
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
  // v = 2u = (a x)(1 + b x^2) and its rounding error *low, from the products' errors (fma), a's
  // own (kTwoSqrt2OverPiLow) and 1 + b x^2's (TwoSum): sigma(v) amplifies v's rounding
  // |v| (1 - sigma) times.
  static V TanhArgument(V x, V* low) {
    const V x2 = hn::Mul(x, x);
    const V bx2 = hn::Mul(Constant(kCubic), x2);
    const V bx2_low =
        hn::MulAdd(Constant(kCubic), hn::MulSub(x, x, x2), hn::MulSub(Constant(kCubic), x2, bx2));
    const V w = hn::Add(One(), bx2);
    const V back = hn::Sub(w, One());
    const V w_low = hn::Add(hn::Add(hn::Sub(One(), hn::Sub(w, back)), hn::Sub(bx2, back)), bx2_low);
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
      return hn::Mul(x, Select(hn::Lt(x, Zero()), corrected, s));
    }
    V unused;
    const V two_phi = TwoPhi(x, &unused);
    return hn::Mul(x, hn::Mul(two_phi, Constant(0.5)));
  }
  // The tanh form's f' = s + x v' s (1 - s), s = sigma(v), v = 2u = a (x + b x^3), is
  // s (1 - s) H with H = 1 + e^v + x v'. H cancels near the root r, and the general formula loses
  // up to 10 ulp as far as x = -1.72. So from -2 (where the tail's scalar range begins) to r + 0.5,
  // with d = x - r (r in three parts) and S = x^2 + x r + r^2, H = H(x) - H(r) =
  // E expm1(a d (1 + b S)) + a d (1 + 3b S), E = e^v(r) (kGeluTanhGradExpV): both terms have the
  // sign of d. s (1 - s) there takes v's rounding error into account, which it would amplify
  // |v| (1 - 2s) times.
  V TanhGrad(V x) const {
    const V two_u = TanhArgument(x);
    const V s = Logistic(D(), two_u);
    const V gate_slope = hn::Mul(s, Logistic(D(), hn::Neg(two_u)));
    const V du =
        hn::Mul(Constant(kSqrt2OverPi), hn::MulAdd(hn::Mul(Constant(3 * kCubic), x), x, One()));
    const V general = hn::MulAdd(hn::Mul(hn::Add(x, x), gate_slope), du, s);
    constexpr roots::Root kRoot = roots::kGeluTanhGrad;
    const V d_high = hn::Sub(x, Constant(kRoot.hi));
    const M near_root = hn::And(hn::Ge(x, Constant(-2.0)), hn::Lt(d_high, Constant(0.5)));
    if (hn::AllFalse(D(), near_root)) return general;
    const V d = hn::Sub(hn::Sub(d_high, Constant(kRoot.lo)), Constant(kRoot.lo2));
    const V sum = hn::MulAdd(hn::Add(x, Constant(kRoot.hi)), x, Constant(kRoot.hi * kRoot.hi));
    const V ad = hn::Mul(Constant(2 * kSqrt2OverPi), d);
    const V dv = hn::MulAdd(ad, hn::Mul(Constant(kCubic), sum), ad);
    const V d_slope = hn::MulAdd(ad, hn::Mul(Constant(3 * kCubic), sum), ad);
    const V h = hn::MulAdd(Constant(roots::kGeluTanhGradExpV), hn::Expm1(D(), dv), d_slope);
    V v_low;
    const V v = TanhArgument(x, &v_low);
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
    const V general = hn::MulAdd(x, phi, hn::Mul(two_phi, Constant(0.5)));
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
  // The tails lose bits to e^(-x^2/2) near underflow and (tanh form) to the rounding of u.
  M ScalarDouble(V x) const { return hn::Lt(x, Constant(tanh_form ? -2.0 : -3.0)); }
};

SIGMA_DEFINE_FAMILY_RUN(Gelu, SIGMA_GELU_ACTIVATIONS)

}  // namespace sigma::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace sigma::kernels {
SIGMA_EXPORT_FAMILY_RUN(Gelu)
}  // namespace sigma::kernels
#endif  // HWY_ONCE
