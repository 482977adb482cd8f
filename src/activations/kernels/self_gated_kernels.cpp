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
  explicit Swish(const Params& p) : beta(Constant(p[0])), unit(p[0] == 1) {}
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
  // s (1 + t (1 - s)), t = beta x, with 1 - s = sigma(-t) evaluated directly. Its terms cancel
  // near the root r of 1 + r + e^r = 0, so within 1 of it f' is sigma(t) sigma(-t) h with
  // h = 1 + t + e^t = d + e^r expm1(d), d = t - r: both terms have the sign of d, and d keeps its
  // relative accuracy with t's rounding error (fma) and r in three parts.
  V Grad(V x) const {
    const V t = hn::Mul(beta, x);
    const V general = hn::Mul(Logistic(D(), t), hn::MulAdd(t, Logistic(D(), hn::Neg(t)), One()));
    const V d_high = hn::Sub(t, Constant(roots::kSiluGrad.hi));
    const M near_root = hn::Lt(hn::Abs(d_high), One());
    if (hn::AllFalse(D(), near_root)) return general;
    // t_low - r.lo (up to two half-ulps of t) may cancel d_high, so its rounding error is kept.
    const V t_low = hn::MulSub(beta, x, t);
    const V r_low = Constant(-roots::kSiluGrad.lo);
    const V low = hn::Add(t_low, r_low);
    const V back = hn::Sub(low, t_low);
    const V low_error = hn::Add(hn::Sub(t_low, hn::Sub(low, back)), hn::Sub(r_low, back));
    const V d = hn::Add(hn::Add(d_high, low), hn::Sub(low_error, Constant(roots::kSiluGrad.lo2)));
    constexpr double kExpRoot = -(1 + roots::kSiluGrad.hi) - roots::kSiluGrad.lo;  // e^r
    const V h = hn::MulAdd(Constant(kExpRoot), hn::Expm1(D(), d), d);
    return Select(near_root, hn::Mul(LogisticGrad(D(), t), h), general);
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
  explicit Silu(const Params&) : Swish(Params{1}) {}
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
