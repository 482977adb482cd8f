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
  static constexpr Hooks kHooks = kFloat | kFloatGrad | kFastRange;
  explicit Sigmoid(const Params&) {}
  V Value(V x) const { return Logistic(D(), x); }
  V Grad(V x) const { return LogisticGrad(D(), x); }
  V GradFromOutput(V y) const { return hn::Mul(y, hn::Sub(One(), y)); }

  // One formula for every |x| <= 87, no tables: with inputs beyond the tables' |x| < 8 in most
  // vectors of a layer's pre-activations (N(0, 4) puts one in 95% of groups of 64), a table only
  // added its cost to the formula's (docs/performance.md).
  bool FloatNative() const { return true; }
  MF FastRangeF(VF x) const { return hn::Le(hn::Abs(x), ConstantF(87.0f)); }
  template <class Exp>
  VF ValueF(VF x) const {
    return LogisticF<Exp>(x);
  }
  // In the fast path q - q^2 = q (1 - q) by one fma, q = sigma(-|x|): q's error counts at most
  // (1 - 2q)/(1 - q) <= 1 times, and nothing cancels (q^2 <= q/2). Elsewhere e/(1+e)^2, scaled
  // last, so that a subnormal f' keeps its bits.
  template <class Exp>
  VF GradF(VF x) const {
    if constexpr (std::is_same_v<Exp, NormalRangeExp>) {
      const VF q = LogisticF<Exp>(hn::Neg(hn::Abs(x)));
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
  static constexpr Hooks kHooks = kFloat | kFloatGrad | kFastRange | kHandlesSpecials | kZerosExact;
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
  static constexpr Hooks kHooks = kScalar;
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

// isru for x < 0, the identity for x >= 0.
struct Isrlu : Isru {
  explicit Isrlu(const Params& p) : Isru(p) {}
  V Value(V x) const { return Select(hn::Ge(x, Zero()), x, Isru::Value(x)); }
  V Grad(V x) const { return Select(hn::Ge(x, Zero()), One(), Isru::Grad(x)); }
  V GradFromOutput(V y) const { return Select(hn::Ge(y, Zero()), One(), Isru::GradFromOutput(y)); }
  M Scalar(V x) const { return hn::Lt(x, Constant(-1e100)); }  // (x^2)^1.5 overflows
};

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

SIGMA_DEFINE_FAMILY_RUN(SigmoidTanh, SIGMA_SIGMOID_TANH_ACTIVATIONS)

}  // namespace sigma::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace sigma::kernels {
SIGMA_EXPORT_FAMILY_RUN(SigmoidTanh)
}  // namespace sigma::kernels
#endif  // HWY_ONCE
