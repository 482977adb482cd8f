// The rest of the classic gallery: bent_identity, gaussian, the periodic sinusoid, cos and sinc,
// and snake (x + sin^2(alpha x)/alpha). sinc runs in double lanes rounded once, and so do snake's
// f' and its f for alpha != 1; the others in float lanes (bent_identity, sinusoid, cos and snake
// on AVX-512). The loop, the dispatch and the contract every kernel here meets are in loop-inl.h.

#include <cmath>
#include <type_traits>

#include "activations/kernels/derivative_roots.hpp"
#include "activations/kernels/kernels.hpp"

// clang-format off
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "activations/kernels/gallery_kernels.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "activations/kernels/loop-inl.h"
// clang-format on

HWY_BEFORE_NAMESPACE();
namespace sigma::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Float lanes on AVX-512, where they were swept (elsewhere double lanes).
struct BentIdentity : EveryInputF {
  static constexpr Hooks kHooks =
      kScalar | ((kFloat | kFloatGrad | kFastRange | kHandlesSpecials | kZerosExact) & kOnAvx3);
  explicit BentIdentity(const Params&) {}
#if HWY_TARGET <= HWY_AVX3
  // x + x^2/(2 (s + 1)), s = sqrt(x^2 + 1): x^2, x^2 + 1, s and s + 1 as double-floats and the
  // quotient corrected once, so that the sum, rounded once, stays within an ulp where x and the
  // bend (up to |x|/2) cancel to |x|/2 below 0. x held to +-2^32, where x^2 + 1 = x^2; beyond,
  // x + |x|/2 (the bend's -1/2 is below half an ulp there). +-inf give themselves; f has x's sign,
  // so f(+-0) = +-0.
  template <class Exp>
  VF ValueF(VF x) const {
    const VF one = ConstantF(1.0f);
    const VF xc = hn::Min(hn::Max(x, ConstantF(-0x1p32f)), ConstantF(0x1p32f));
    const VF x2 = hn::Mul(xc, xc);
    const VF x2_low = hn::MulSub(xc, xc, x2);
    VF t_low;
    const VF t = SumOfNonNegativeF(x2, one, &t_low);
    t_low = hn::Add(t_low, x2_low);
    const VF s = hn::Sqrt(t);
    // s's remainder (t - s^2)/(2s): the reciprocal's 2^-14 is plenty for a correction of 2^-24.
    const VF s_low = hn::Mul(hn::Add(hn::NegMulAdd(s, s, t), t_low),
                             hn::Mul(ConstantF(0.5f), hn::ApproximateReciprocal(s)));
    const VF d = hn::Add(s, one);  // Fast2Sum: s >= 1
    const VF d_low = hn::Add(hn::Add(hn::Sub(s, d), one), s_low);
    const VF bend = DivideF(x2, x2_low, d, d_low);  // 2 (the bend)
    const VF near = hn::MulAdd(bend, ConstantF(0.5f), xc);
    const VF far = hn::MulAdd(hn::Abs(x), ConstantF(0.5f), x);
    const VF value = hn::IfThenElse(hn::Gt(hn::Abs(x), ConstantF(0x1p32f)), far, near);
    return hn::IfThenElse(hn::IsFinite(x), hn::CopySign(value, x), x);
  }
  bool ZerosExactF() const { return true; }
  // 1 + x/(2s), s = sqrt(x^2 + 1), the quotient corrected once; x held to +-2^32, where x/s
  // rounds to +-1.
  template <class Exp>
  VF GradF(VF x) const {
    const VF xc = hn::Min(hn::Max(x, ConstantF(-0x1p32f)), ConstantF(0x1p32f));
    const VF s = hn::Sqrt(hn::MulAdd(xc, xc, ConstantF(1.0f)));
    const VF inverse = hn::ApproximateReciprocal(s);
    const VF q0 = hn::Mul(xc, inverse);
    const VF q = hn::MulAdd(hn::NegMulAdd(q0, s, xc), inverse, q0);
    return hn::IfThenElse(hn::IsNaN(x), x, hn::MulAdd(q, ConstantF(0.5f), ConstantF(1.0f)));
  }
#endif
  static V Root(V x) { return hn::Sqrt(hn::MulAdd(x, x, One())); }
  V Value(V x) const {
    const V bend = hn::Mul(x, hn::Div(x, hn::Add(Root(x), One())));
    return hn::MulAdd(bend, Constant(0.5), x);
  }
  V Grad(V x) const { return hn::MulAdd(hn::Div(x, Root(x)), Constant(0.5), One()); }
  M Scalar(V x) const { return hn::Gt(hn::Abs(x), Constant(1e150)); }  // x^2 overflows
};

struct Gaussian {
  static constexpr Hooks kHooks = kFloat | kFloatGrad;
  explicit Gaussian(const Params&) {}
  // Float lanes: e^-(a^2) = 2^k (m + m_low - m low) with a^2 = s + low split exactly by fma
  // (e^-low = 1 - low to 2^-40), a = |x|. The scale 2^k comes last, so a subnormal result
  // (|x| > 9.3) is rounded once, for f' = -2x f too. From |x| = 10.5 on, f and f' round to 0 in
  // float: those lanes compute at 0 instead (an underflow on the way to 0 costs a microcode
  // assist per vector) and are zeroed.
  bool FloatNative() const { return true; }
  template <class Body>
  static VF ScaledF(VF x, Body body) {
    const VF abs = hn::Abs(x);
    const auto vanishes = hn::Not(hn::Lt(abs, ConstantF(10.5f)));  // NaN too: its own lanes
    const VF a = hn::IfThenZeroElse(vanishes, abs);
    const VF s = hn::Mul(a, a);
    const VF low = hn::MulSub(a, a, s);
    const auto e = ExpSplitF(DF(), hn::Neg(s));
    return hn::IfThenZeroElse(vanishes,
                              e.Scale(body(a, hn::Add(e.m, hn::NegMulAdd(e.m, low, e.m_low)))));
  }
  template <class Exp>
  VF ValueF(VF x) const {
    return ScaledF(x, [](VF, VF m) HWY_ATTR { return m; });
  }
  template <class Exp>
  VF GradF(VF x) const {
    const VF magnitude = ScaledF(x, [](VF a, VF m) HWY_ATTR { return hn::Mul(hn::Add(a, a), m); });
    return hn::Neg(hn::CopySign(magnitude, x));
  }
  // factor e^-(x^2) with x^2 split exactly (fma) so its rounding is not amplified x^2 times. From
  // |x| = 26 on, where e^-(x^2) (or f', 54 times larger) nears the subnormals, as
  // (factor h (1 - low)) h with h = e^-(x^2/2), normal: the last product rounds once, also where
  // the result is subnormal; x is held to +-28 there, beyond which both round to 0. (Vectors
  // without such a lane skip it.)
  template <class Factor>
  static V ExpNegSquare(V x, Factor factor) {
    const V x2 = hn::Mul(x, x);
    const M far = hn::Ge(x2, Constant(26.0 * 26.0));  // +-inf too: their lanes are replaced
    if (HWY_LIKELY(hn::AllFalse(D(), far))) {
      return hn::Mul(hn::Mul(factor(x), hn::Exp(D(), hn::Neg(x2))),
                     hn::Sub(One(), hn::MulSub(x, x, x2)));
    }
    const V xc = hn::Min(hn::Max(x, Constant(-28.0)), Constant(28.0));
    const V xc2 = hn::Mul(xc, xc);
    const V e = hn::Exp(D(), hn::Neg(Select(far, hn::Mul(xc2, Constant(0.5)), xc2)));
    const V near = hn::Mul(hn::Mul(factor(xc), e), hn::Sub(One(), hn::MulSub(xc, xc, xc2)));
    return Select(far, hn::Mul(near, e), near);
  }
  V Value(V x) const {
    return ExpNegSquare(x, [](V) HWY_ATTR { return One(); });
  }
  V Grad(V x) const {
    return ExpNegSquare(x, [](V a) HWY_ATTR { return hn::Mul(Constant(-2.0), a); });
  }
};

// Highway's Sin and Cos are valid for |x| <= 39000; larger inputs take the scalar path.
inline constexpr double kTrigRange = 39000.0;
inline constexpr double kPi = 3.14159265358979323846;
// pi/2 as fdlibm splits it: two 33-bit pieces (whose products with integers below 2^20 are exact)
// and the rest rounded.
inline constexpr double kPiOver2Part1 = 0x1.921fb544p+0;
inline constexpr double kPiOver2Part2 = 0x1.0b4611a6p-34;
inline constexpr double kPiOver2Part3 = 0x1.3198a2e037073p-69;
HWY_INLINE M OutsideTrigRange(V x) { return hn::Gt(hn::Abs(x), Constant(kTrigRange)); }

// sin and cos of a reduced argument r + r_low (|r| <= pi/4, r_low to first order), in float or
// double lanes, from the caller's polynomials S(w) and C(w), w = r^2 rounded: sin = r +
// SineTail() with sin r = r (1 + w S), cos = top + CosineTail(top) with cos r = 1 - w/2 + w^2 C and
// top = 1 - w/2 (Fast2Sum), so that each is formed with its rounding error beside it.
template <class Vec>
struct ReducedSineCosine {
  Vec r, r_low, w;
  Vec half_w, h_low;  // r^2/2 = half_w + h_low exactly
  Vec sine, cosine;   // S(w) and C(w), set by the caller
  void SetArgument(Vec r_high, Vec r_error) {
    const hn::DFromV<Vec> d;
    r = r_high, r_low = r_error;
    w = hn::Mul(r, r);
    half_w = hn::Mul(w, hn::Set(d, 0.5));
    h_low = hn::Mul(hn::MulSub(r, r, w), hn::Set(d, 0.5));
  }
  // r_low (1 - w/2) + r w S.
  Vec SineTail() const {
    return hn::MulAdd(hn::Mul(r, w), sine, hn::NegMulAdd(r_low, half_w, r_low));
  }
  Vec CosineTop() const { return hn::Sub(hn::Set(hn::DFromV<Vec>(), 1.0), half_w); }
  // cos(r + r_low) - top = ((1 - top) - h - h_low) + w^2 C - r r_low, h + h_low = r^2/2.
  Vec CosineTail(Vec top) const {
    const Vec one = hn::Set(hn::DFromV<Vec>(), 1.0);
    const Vec rest = hn::Sub(hn::Sub(hn::Sub(one, top), half_w), h_low);
    return hn::NegMulAdd(r, r_low, hn::MulAdd(hn::Mul(w, w), cosine, rest));
  }
};

#if HWY_TARGET <= HWY_AVX3
// x in float lanes for |x| <= kSineFastRange, reduced by pi/2: with k = round(2x/pi),
// r = x - k pi/2 as a double-float r + r_low, pi/2 as three floats c1 + c2 + c3 (x - k c1 is
// exact in one fma, a multiple of 2^-24 below 1; k c2 is split exactly by fma and subtracted by
// 2Sum), so that r keeps its relative accuracy where x lies near a multiple of pi/2. Then
// sin r = r (1 + w S(w)) and cos r = 1 - w/2 + w^2 C(w), w = r^2, degree 3 each
// (scripts/fit_float_polynomials.py); SineOrCosineF and OnePlusSineF take them from here.
inline constexpr float kSineFastRange = 0x1p17f;
struct QuadrantF : ReducedSineCosine<VF> {
  VF k_shifted;  // k in the low mantissa bits
  explicit QuadrantF(VF x) {
    const VF shifter = ConstantF(0x1.8p23f);
    k_shifted = hn::MulAdd(x, ConstantF(0x1.45f306p-1f), shifter);
    const VF k = hn::Sub(k_shifted, shifter);
    const VF r1 = hn::NegMulAdd(k, ConstantF(0x1.921fb6p+0f), x);
    const VF c2 = ConstantF(-0x1.777a5cp-25f), c3 = ConstantF(-0x1.ee59dap-50f);
    const VF p = hn::Mul(k, c2);
    const VF p_low = hn::MulSub(k, c2, p);
    const VF r_high = hn::Sub(r1, p);
    const VF back = hn::Sub(r_high, r1);  // 2Sum, p_low folded in: r1 - p - p_low = r + r_low
    SetArgument(r_high, hn::NegMulAdd(k, c3,
                                      hn::Sub(hn::Sub(r1, hn::Sub(r_high, back)),
                                              hn::Add(hn::Add(p, back), p_low))));
    static constexpr float kSineTerms[4] = {
#include "tables/sine_polynomial.inc"
    };
    static constexpr float kCosineTerms[4] = {
#include "tables/cosine_polynomial.inc"
    };
    sine = ConstantF(kSineTerms[3]), cosine = ConstantF(kCosineTerms[3]);
    for (int j = 2; j >= 0; --j) {
      sine = hn::MulAdd(sine, w, ConstantF(kSineTerms[j]));
      cosine = hn::MulAdd(cosine, w, ConstantF(kCosineTerms[j]));
    }
  }
  // The quadrant, k + offset, as an integer.
  auto Quadrant(int offset) const {
    const hn::RebindToSigned<DF> di;
    return hn::Add(hn::BitCast(di, k_shifted), hn::Set(di, offset));
  }
};

// sin x, or cos x = sin(x + pi/2) with kCosine, from QuadrantF by the quadrant k (k + 1 for cos),
// r_low carried to first order and 1 - w/2 by Fast2Sum, each rounded once at the end. Beyond the
// fast range (AnyRangeExp) the lanes outside it come from double sin or cos, rounded once. With
// `low`, the result's rounding error too (about 2^-27 of it).
template <bool kCosine, class Exp>
HWY_INLINE VF SineOrCosineF(VF x, VF* low = nullptr) {
  const DF df;
  const hn::RebindToSigned<DF> di;
  const QuadrantF q(x);
  const VF sine_tail = q.SineTail();
  const VF sine = hn::Add(q.r, sine_tail);
  const VF top = q.CosineTop();  // w/2 <= 0.32
  const VF cosine_tail = q.CosineTail(top);
  const VF cosine = hn::Add(top, cosine_tail);
  const auto quadrant = q.Quadrant(kCosine ? 1 : 0);
  const auto odd = hn::RebindMask(df, hn::Ne(hn::And(quadrant, hn::Set(di, 1)), hn::Zero(di)));
  const auto sign = hn::BitCast(df, hn::ShiftLeft<30>(hn::And(quadrant, hn::Set(di, 2))));
  VF result = hn::Xor(hn::IfThenElse(odd, cosine, sine), sign);
  if (low != nullptr) {  // Fast2Sum: r and 1 - w/2 outweigh their tails
    *low = hn::Xor(hn::IfThenElse(odd, hn::Add(hn::Sub(top, cosine), cosine_tail),
                                  hn::Add(hn::Sub(q.r, sine), sine_tail)),
                   sign);
  }
  if constexpr (std::is_same_v<Exp, AnyRangeExp>) {
    // The lanes beyond the fast range (the caller replaces the others, and infinities).
    HWY_ALIGN float lanes_x[HWY_MAX_BYTES / sizeof(float)];
    HWY_ALIGN float lanes_r[HWY_MAX_BYTES / sizeof(float)];
    HWY_ALIGN float lanes_low[HWY_MAX_BYTES / sizeof(float)];
    hn::Store(x, df, lanes_x);
    hn::Store(result, df, lanes_r);
    if (low != nullptr) hn::Store(*low, df, lanes_low);
    for (size_t i = 0; i < hn::Lanes(df); ++i) {
      const double a = lanes_x[i];
      if (!(std::abs(a) <= kSineFastRange) && std::isfinite(a)) {
        const double value = kCosine ? std::cos(a) : std::sin(a);
        lanes_r[i] = static_cast<float>(value);
        lanes_low[i] = static_cast<float>(value - lanes_r[i]);
      }
    }
    result = hn::Load(df, lanes_r);
    if (low != nullptr) *low = hn::Load(df, lanes_low);
  }
  return result;
}

// 1 + sin x for |x| <= kSineFastRange (snake's f' at 2x), by the quadrant k: 1 + sin r,
// 2 - (1 - cos r), 1 - sin r and 1 - cos r, with 1 - cos(r + r_low) = w/2 + (h_low +
// r_low (r + r_low/2) - w^2 C) formed from its small terms, so that it keeps its relative accuracy
// at the roots (x = -pi/2 + 2 pi j, r = 0), where 1 + sin x cancels; the sum with 1 or 2 by
// Fast2Sum, rounded once.
HWY_INLINE VF OnePlusSineF(VF x) {
  const DF df;
  const hn::RebindToSigned<DF> di;
  const QuadrantF q(x);
  // (r + r_low)^2/2 - r^2/2 = r_low (r + r_low/2): r_low is not small beside r where r1 - p was
  // exact (reaching 1% of it near the roots), and its square cost f' 59 ulp there.
  const VF versine_tail = hn::MulAdd(hn::MulAdd(q.r_low, ConstantF(0.5f), q.r), q.r_low,
                                     hn::NegMulAdd(hn::Mul(q.w, q.w), q.cosine, q.h_low));
  const auto quadrant = q.Quadrant(0);
  const auto odd = hn::RebindMask(df, hn::Ne(hn::And(quadrant, hn::Set(di, 1)), hn::Zero(di)));
  const auto falling = hn::RebindMask(df, hn::Ne(hn::And(quadrant, hn::Set(di, 2)), hn::Zero(di)));
  // Subtracted in quadrants 1 and 2.
  const auto sign =
      hn::BitCast(df, hn::ShiftLeft<31>(hn::Xor(quadrant, hn::ShiftRight<1>(quadrant))));
  const VF lead = hn::Xor(hn::IfThenElse(odd, q.half_w, q.r), sign);
  const VF tail = hn::Xor(hn::IfThenElse(odd, versine_tail, q.SineTail()), sign);
  const VF base =
      hn::IfThenElse(odd, hn::IfThenElse(falling, hn::Zero(df), ConstantF(2.0f)), ConstantF(1.0f));
  const VF sum = hn::Add(base, lead);  // Fast2Sum: |lead| < base, or base = 0
  return hn::Add(sum, hn::Add(hn::Add(hn::Sub(base, sum), lead), tail));
}
#endif

// sinusoid and cos: float lanes on AVX-512, where they were swept (elsewhere, and for double,
// double lanes).
struct SineFastRangeF {
#if HWY_TARGET <= HWY_AVX3
  MF FastRangeF(VF x) const { return hn::Le(hn::Abs(x), ConstantF(kSineFastRange)); }
#endif
};

struct Sinusoid : SineFastRangeF {
  static constexpr Hooks kHooks = kScalar | ((kFloat | kFloatGrad | kFastRange) & kOnAvx3);
  explicit Sinusoid(const Params&) {}
#if HWY_TARGET <= HWY_AVX3
  bool FloatNative() const { return true; }
  template <class Exp>
  VF ValueF(VF x) const {
    return SineOrCosineF<false, Exp>(x);
  }
  template <class Exp>
  VF GradF(VF x) const {
    return SineOrCosineF<true, Exp>(x);
  }
#endif
  V Value(V x) const { return hn::Sin(D(), x); }
  V Grad(V x) const { return hn::Cos(D(), x); }
  M Scalar(V x) const { return OutsideTrigRange(x); }
};

struct Cos : SineFastRangeF {
  static constexpr Hooks kHooks = kScalar | ((kFloat | kFloatGrad | kFastRange) & kOnAvx3);
  explicit Cos(const Params&) {}
#if HWY_TARGET <= HWY_AVX3
  bool FloatNative() const { return true; }
  template <class Exp>
  VF ValueF(VF x) const {
    return SineOrCosineF<true, Exp>(x);
  }
  // 0 - sin x, as the double lanes: f'(+-0) = +0.
  template <class Exp>
  VF GradF(VF x) const {
    return hn::Sub(hn::Zero(DF()), SineOrCosineF<false, Exp>(x));
  }
#endif
  V Value(V x) const { return hn::Cos(D(), x); }
  // 0 - sin x: f'(+-0) = +0 (the reference's -sin(-0), and PyTorch's) whichever zero Sin gives.
  V Grad(V x) const { return hn::Sub(Zero(), hn::Sin(D(), x)); }
  M Scalar(V x) const { return OutsideTrigRange(x); }
};

// The roots of sinc' below 1024 as three arrays, for gathers.
struct SincRootTable {
  double hi[roots::kSincGradRootCount] = {}, lo[roots::kSincGradRootCount] = {},
         lo2[roots::kSincGradRootCount] = {};
  constexpr SincRootTable() {
    for (int k = 0; k < roots::kSincGradRootCount; ++k) {
      hi[k] = roots::kSincGradRoots[k].hi;
      lo[k] = roots::kSincGradRoots[k].lo;
      lo2[k] = roots::kSincGradRoots[k].lo2;
    }
  }
};
inline constexpr SincRootTable kSincRoots;

struct Sinc {
  static constexpr Hooks kHooks = kScalar;
  static constexpr double kFarFromTable = 1024;  // above the last tabled root, x_325 = 1022.5
  explicit Sinc(const Params&) {}
  // sinc'(x) = sum_{k>=1} (-1)^k 2k x^(2k-1)/(2k+1)! for |x| < 1.5, where x cos x - sin x cancels
  // (the last term is below 2^-80 of the sum there).
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
  // For 1.5 <= a < 1024, g(a) = a cos a - sin a from the tabled root x_k nearest below or around
  // a (k = floor(a/pi), at least 1), d = a - x_k (x_k in three parts): with c = cos x_k =
  // (-1)^k / sqrt(1 + x_k^2) and sin x_k = x_k c, g = -c (x_k a sin d + (sin d - d cos d)), two
  // terms with the sign of d for |d| < pi, so nothing cancels at the root. Returns g / a^2.
  static V GradNearTabledRoot(V a) {
    const V k = hn::Min(hn::Max(hn::Floor(hn::Mul(a, Constant(1 / kPi))), One()),
                        Constant(roots::kSincGradRootCount));
    const auto index = hn::ConvertTo(hn::RebindToSigned<D>(), hn::Sub(k, One()));
    const V root = hn::GatherIndex(D(), kSincRoots.hi, index);
    const V d = hn::Sub(hn::Sub(hn::Sub(a, root), hn::GatherIndex(D(), kSincRoots.lo, index)),
                        hn::GatherIndex(D(), kSincRoots.lo2, index));
    const V sin_d = hn::Sin(D(), d);
    const V bracket = hn::MulAdd(hn::Mul(root, a), sin_d, hn::NegMulAdd(d, hn::Cos(D(), d), sin_d));
    const V cos_root = hn::Div(One(), hn::Sqrt(hn::MulAdd(root, root, One())));  // |c|
    const M odd = hn::Ne(hn::Floor(hn::Mul(k, Constant(0.5))), hn::Mul(k, Constant(0.5)));
    return hn::Div(hn::Mul(Select(odd, cos_root, hn::Neg(cos_root)), bracket), hn::Mul(a, a));
  }
  // For a >= 1024, a sin y + cos y = sqrt(1 + a^2) sin(y + atan(1/a)) with y = a - (k + 1/2) pi
  // gives g = -(-1)^k sqrt(1 + a^2) sin w, w = y + atan(1/a), k chosen so that |w| <= pi/2. w
  // vanishes at the roots, so it is summed from y reduced in three parts of pi/2 (fdlibm's 33-bit
  // pieces: exact products for k < 2^19) and atan(1/a) = u - u^3/3 + u^5 (1/5 - u^2/7 + ...),
  // u = 1/a, with u and u^3/3 as double-doubles: w to about 2^-100 absolute. Returns g / a^2.
  static V GradFar(V a) {
    const V one = One();
    const V u = hn::Div(one, a);
    const V u_low = hn::Mul(hn::NegMulAdd(a, u, one), u);
    const V k = hn::Round(hn::MulSub(hn::Add(a, u), Constant(1 / kPi), Constant(0.5)));
    const V n = hn::MulAdd(k, Constant(2.0), one);              // y = a - n pi/2
    const V y1 = hn::NegMulAdd(n, Constant(kPiOver2Part1), a);  // exact
    const V p2 = hn::Mul(n, Constant(kPiOver2Part2));           // exact
    const V y2 = hn::Sub(y1, p2);
    const V back = hn::Sub(y2, y1);
    const V y2_low = hn::Sub(hn::Sub(y1, hn::Sub(y2, back)), hn::Add(p2, back));
    const V y_low = hn::Sub(y2_low, hn::Mul(n, Constant(kPiOver2Part3)));
    const V square = hn::Mul(u, u);
    const V square_low = hn::MulSub(u, u, square);
    const V cube = hn::Mul(square, u);
    const V cube_low = hn::MulAdd(hn::Mul(Constant(3.0), square), u_low,
                                  hn::MulAdd(square_low, u, hn::MulSub(square, u, cube)));
    const V third = hn::Mul(cube, Constant(1.0 / 3));
    const V third_low =
        hn::Mul(hn::Add(hn::NegMulAdd(Constant(3.0), third, cube), cube_low), Constant(1.0 / 3));
    V series = Constant(-1.0 / 11);
    for (double c : {1.0 / 9, -1.0 / 7, 1.0 / 5}) series = hn::MulAdd(series, square, Constant(c));
    const V fifth = hn::Mul(hn::Mul(cube, square), series);
    const V w = hn::Add(hn::Sub(hn::Add(y2, u), third),
                        hn::Add(hn::Sub(hn::Add(y_low, u_low), third_low), fifth));
    const V magnitude = hn::Mul(hn::Sqrt(hn::MulAdd(u, u, one)), hn::Mul(u, hn::Sin(D(), w)));
    const M odd = hn::Ne(hn::Floor(hn::Mul(k, Constant(0.5))), hn::Mul(k, Constant(0.5)));
    return Select(odd, magnitude, hn::Neg(magnitude));
  }
  V Value(V x) const { return Select(hn::Eq(x, Zero()), One(), hn::Div(hn::Sin(D(), x), x)); }
  // sinc' is odd: the series near 0, else the branches above at a = |x|, given x's sign. Lanes
  // beyond the trig range (and NaN) are zeroed before the table's gather and replaced by the loop.
  V Grad(V x) const {
    const V a = hn::Abs(x);
    const M near_zero = hn::Lt(a, Constant(1.5));
    V r = Zero();
    if (!hn::AllTrue(D(), near_zero)) {
      const M tabled = hn::Lt(a, Constant(kFarFromTable));
      const V in_range = hn::IfThenElseZero(hn::Le(a, Constant(kTrigRange)), a);
      if (!hn::AllFalse(D(), tabled)) r = GradNearTabledRoot(hn::IfThenElseZero(tabled, a));
      if (!hn::AllTrue(D(), tabled))
        r = Select(tabled, r, GradFar(hn::Max(in_range, Constant(kFarFromTable))));
      r = Select(hn::Lt(x, Zero()), hn::Neg(r), r);
    }
    return Select(near_zero, GradSeries(x), r);
  }
  M Scalar(V x) const { return OutsideTrigRange(x); }
};

// x + sin^2(alpha x)/alpha and f' = 1 + sin(2 alpha x). alpha x is split exactly (fma) and its
// rounding error lo enters to first order (alpha = 1, the default, has none). f' cancels at its
// roots (sin = -1), so where sin < 0 it comes from the distance to the nearest root (Grad).
struct Snake {
  static constexpr Hooks kHooks =
      kScalar | kValueForDouble | ((kFloat | kFloatGrad | kFastRange) & kOnAvx3);
  V alpha;
  bool exact_product;  // alpha x has no rounding error for any x
  explicit Snake(Named<params::kSnakeAlpha> p)
      : alpha(Constant(p["alpha"])), exact_product(p["alpha"] == 1) {}
#if HWY_TARGET <= HWY_AVX3
  // Float lanes for alpha = 1 (AVX-512; other alphas in double lanes). f = x + sin^2 x with
  // sin x = s + s_low (SineOrCosineF), s^2 split exactly and the sum x + s^2 by 2Sum, so that the
  // result is rounded once from about 2^-26 of s^2: where x and sin^2 x cancel (by up to 3.6
  // times, -2.1 < x < -0.4) nothing is amplified beyond that. f' = 1 + sin 2x (OnePlusSineF), 2x
  // exact, in its fast range up to 2^16; beyond, (sin x + cos x)^2 in long double, whose 64 bits
  // hold f''s relative accuracy as near the roots as floats that large come.
  bool FloatNative() const { return exact_product; }
  MF FastRangeF(VF x) const { return hn::Le(hn::Abs(x), ConstantF(kSineFastRange / 2)); }
  template <class Exp>
  VF ValueF(VF x) const {
    VF s_low;
    const VF s = SineOrCosineF<false, Exp>(x, &s_low);
    VF q, q_low, error;
    SquareF(s, s_low, &q, &q_low);
    const VF sum = TwoSum(x, q, &error);
    return hn::Add(sum, hn::Add(error, q_low));
  }
  template <class Exp>
  VF GradF(VF x) const {
    VF result = OnePlusSineF(hn::Add(x, x));
    if constexpr (std::is_same_v<Exp, AnyRangeExp>) {
      // The lanes beyond the fast range (the caller replaces the others, and infinities).
      const DF df;
      HWY_ALIGN float lanes_x[HWY_MAX_BYTES / sizeof(float)];
      HWY_ALIGN float lanes_r[HWY_MAX_BYTES / sizeof(float)];
      hn::Store(x, df, lanes_x);
      hn::Store(result, df, lanes_r);
      for (size_t i = 0; i < hn::Lanes(df); ++i) {
        const long double a = lanes_x[i];
        if (!(std::abs(lanes_x[i]) <= kSineFastRange / 2) && std::isfinite(lanes_x[i])) {
          const long double sum = std::sin(a) + std::cos(a);
          lanes_r[i] = static_cast<float>(sum * sum);
        }
      }
      result = hn::Load(df, lanes_r);
    }
    return result;
  }
#endif
  // sin and cos of k alpha x.
  void SinCos(V x, double k, V* s, V* c) const {
    const V hi = hn::Mul(alpha, x);
    const V v = hn::Mul(Constant(k), hi);
    *s = hn::Sin(D(), v);
    *c = hn::Cos(D(), v);
    if (!exact_product) {
      const V low = hn::Mul(Constant(k), hn::MulSub(alpha, x, hi));
      const V s0 = *s;
      *s = hn::MulAdd(*c, low, s0);
      *c = hn::NegMulAdd(s0, low, *c);
    }
  }
  V Value(V x) const {
    V s;
    if (exact_product) {
      s = hn::Sin(D(), x);
      return hn::MulAdd(s, s, x);
    }
    V c;
    SinCos(x, 1, &s, &c);
    return hn::Add(x, hn::Div(hn::Mul(s, s), alpha));
  }
  // For -2.1 < alpha x < -0.4 the two terms of f cancel (by up to 3.6 times, where sin^2(u)/u
  // peaks), which amplifies the few ulp of Highway's sin beyond double's bound of 8 ulp (not
  // beyond float's): double arrays take BandValue there.
  V ValueForDouble(V x, V value) const {
    const V u = hn::Mul(alpha, x);
    const M band = hn::And(hn::Lt(u, Constant(-0.4)), hn::Gt(u, Constant(-2.1)));
    if (HWY_LIKELY(hn::AllFalse(D(), band))) return value;
    return Select(band, BandValue(x, u), value);
  }
  // f in that band, u = alpha x rounded: sin(alpha x) as a double-double, alpha x - k pi/2 =
  // r + r_low with alpha x = u + u_low (fma) and k = -1 below -pi/4 (u + pi/2 in fdlibm's three
  // parts, the first sum exact) and 0 above, and sin r or cos r from their Taylor series to r^17
  // and r^18 (within 2^-62 for |r| <= pi/4) compensated as in QuadrantF; its square split
  // exactly, divided by alpha with the quotient's remainder, and added to x by 2Sum, rounded
  // once.
  V BandValue(V x, V u) const {
    const V u_low = hn::MulSub(alpha, x, u);
    const M shifted = hn::Lt(u, Constant(-kPi / 4));
    const V r1 = hn::Add(u, Constant(kPiOver2Part1));  // exact: |u| < 2.1, |r1| < 1
    V r2_low;
    const V r2 = TwoSum(r1, Constant(kPiOver2Part2), &r2_low);
    ReducedSineCosine<V> t;
    t.SetArgument(
        Select(shifted, r2, u),
        hn::Add(hn::IfThenElseZero(shifted, hn::Add(r2_low, Constant(kPiOver2Part3))), u_low));
    t.sine = Constant(1.0 / 355687428096000.0), t.cosine = Constant(-1.0 / 6402373705728000.0);
    constexpr double kSine[7] = {
        -1.0 / 6,        1.0 / 120,        -1.0 / 5040,         1.0 / 362880,
        -1.0 / 39916800, 1.0 / 6227020800, -1.0 / 1307674368000};
    constexpr double kCosine[7] = {
        1.0 / 24,        -1.0 / 720,         1.0 / 40320,         -1.0 / 3628800,
        1.0 / 479001600, -1.0 / 87178291200, 1.0 / 20922789888000};
    for (int j = 6; j >= 0; --j) {
      t.sine = hn::MulAdd(t.sine, t.w, Constant(kSine[j]));
      t.cosine = hn::MulAdd(t.cosine, t.w, Constant(kCosine[j]));
    }
    // |sin(alpha x)| as lead + tail: cos r where shifted (sin = -cos r), else sin r.
    const V top = t.CosineTop();  // w/2 <= 0.31
    const V lead = Select(shifted, top, t.r);
    const V tail = Select(shifted, t.CosineTail(top), t.SineTail());
    const V s = hn::Add(lead, tail);
    const V s_low = hn::Add(hn::Sub(lead, s), tail);  // Fast2Sum: the lead outweighs its tail
    V square, square_low, error;
    SquareF(s, s_low, &square, &square_low);
    const V q = hn::Div(square, alpha);  // exact for alpha = 1, as is its remainder
    const V q_low = hn::Div(hn::Add(hn::NegMulAdd(q, alpha, square), square_low), alpha);
    const V sum = TwoSum(x, q, &error);
    return hn::Add(sum, hn::Add(error, q_low));
  }
  // Where sin(2 alpha x) < 0, f' = 1 + sin(v + low) (v = 2 alpha x rounded, low its error) is
  // 2 sin^2(w/2), w = v + low - m pi/2 with m = 4k - 1 the nearest root: w is reduced in parts of
  // pi/2 (fdlibm's 33-bit pieces, exact products for |m| < 2^20), so it keeps its relative accuracy
  // at the roots, where cos^2/(1 - sin) would lose it to cos(v) + low cancelling.
  V Grad(V x) const {
    V s, c;
    SinCos(x, 2, &s, &c);
    const V general = hn::Add(One(), s);
    const M falling = hn::Lt(s, Zero());
    if (hn::AllFalse(D(), falling)) return general;
    const V hi = hn::Mul(alpha, x);
    const V v = hn::Add(hi, hi);
    const V low = hn::Mul(Constant(2.0), hn::MulSub(alpha, x, hi));
    const V k = hn::Round(hn::MulAdd(v, Constant(1 / (2 * kPi)), Constant(0.25)));
    const V m = hn::MulSub(k, Constant(4.0), One());
    const V reduced = hn::NegMulAdd(m, Constant(kPiOver2Part1), v);  // exact
    const V w = hn::Add(hn::Sub(reduced, hn::Mul(m, Constant(kPiOver2Part2))),
                        hn::NegMulAdd(m, Constant(kPiOver2Part3), low));
    const V half_sin = hn::Sin(D(), hn::Mul(w, Constant(0.5)));
    return Select(falling, hn::Mul(Constant(2.0), hn::Mul(half_sin, half_sin)), general);
  }
  // 2 alpha x beyond the range of Highway's sin and cos (or alpha x inexact beyond 2^53, where lo
  // is no longer small).
  M Scalar(V x) const { return hn::Gt(hn::Abs(hn::Mul(alpha, x)), Constant(19500.0)); }
  // No ScalarDouble: f's cancelling band (ValueForDouble) and f''s roots (Grad) have their own
  // forms.
};

SIGMA_DEFINE_FAMILY_RUN(Gallery, SIGMA_GALLERY_ACTIVATIONS)

}  // namespace sigma::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace sigma::kernels {
SIGMA_EXPORT_FAMILY_RUN(Gallery)
}  // namespace sigma::kernels
#endif  // HWY_ONCE
