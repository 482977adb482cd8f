// The smooth rectifiers: softplus and logsigmoid (float lanes, on AVX-512 from tables for
// |x| < 8) and squareplus.
// The loop, the dispatch and the contract every kernel here meets are in loop-inl.h.

#include <cmath>
#include <limits>
#include <type_traits>

#include "activations/kernels/kernels.hpp"

// clang-format off
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "activations/kernels/softplus_kernels.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "activations/kernels/logistic-inl.h"
#include "activations/kernels/loop-inl.h"
// clang-format on

HWY_BEFORE_NAMESPACE();
namespace sigma::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

struct Softplus {
  static constexpr Hooks kHooks = kFloat | kFloatGrad | kFastRange | ((kTable | kTail) & kOnAvx3);
  V beta, inv_beta;
  bool unit;
  explicit Softplus(Named<params::kSoftplusBeta> p)
      : beta(Constant(p["beta"])), inv_beta(Constant(1 / p["beta"])), unit(p["beta"] == 1) {}
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
  MF TailRangeF(VF x) const { return FastRangeF(x); }
  VF TailValueF(VF x) const { return SoftplusTailF(x); }
#endif
  template <class Exp>
  VF GradF(VF x) const {
    return LogisticF<Exp>(x);
  }
  // x + log1p(e^-bx)/beta for bx > 0, so large x neither overflows nor rounds through bx. The
  // exponentials take beta x as bx + its rounding error, which e^-|bx| would amplify |bx| times.
  V Value(V x) const {
    const V bx = hn::Mul(beta, x);
    const V e = ExpNegAbsOfSum(D(), bx, ProductLow(beta, x, bx));
    const V tail = hn::Div(hn::Log1p(D(), e), beta);
    return hn::Add(hn::IfThenElseZero(Positive(bx), x), tail);
  }
  V Grad(V x) const {
    const V bx = hn::Mul(beta, x);
    return LogisticOfSum(D(), bx, ProductLow(beta, x, bx));
  }
  V GradFromOutput(V y) const { return hn::Neg(Expm1All(D(), hn::Neg(hn::Mul(beta, y)))); }
};

struct Logsigmoid {
  static constexpr Hooks kHooks = kFloat | kFloatGrad | kFastRange | ((kTable | kTail) & kOnAvx3);
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
  MF TailRangeF(VF x) const { return FastRangeF(x); }
  VF TailValueF(VF x) const { return hn::Neg(SoftplusTailF(hn::Neg(x))); }
#endif
  template <class Exp>
  VF GradF(VF x) const {
    return LogisticF<Exp>(hn::Neg(x));
  }
  V Value(V x) const { return hn::Neg(Log1pExp(D(), hn::Neg(x))); }
  V Grad(V x) const { return Logistic(D(), hn::Neg(x)); }
  V GradFromOutput(V y) const { return hn::Neg(Expm1All(D(), y)); }
};

struct Squareplus {
  static constexpr Hooks kHooks = kScalar | kFloat | kFloatGrad | kHandlesSpecials;
  V b, quarter_b, root_b;
  float b_f;
  explicit Squareplus(Named<params::kSquareplusB> p)
      : b(Constant(p["b"])),
        quarter_b(Constant(p["b"] / 4)),
        root_b(Constant(std::sqrt(p["b"]))),
        b_f(static_cast<float>(p["b"])) {}
  // Float lanes where b is a float (the default 4) in [2^-124, 2^64]. h = sqrt(x^2 + b) as a
  // double-float (the root's residual and the sum's error, by fma); f = x/2 + h/2 for x >= 0 and
  // (b/4)/(|x|/2 + h/2) below (x + h cancels there) with the denominator's error kept; f' =
  // f/h (from (1 + x/h)/2 = (h + x)/(2h)), or 1/2 + (x/h)/2 for x >= 0. Halves and quotients
  // in sequence, so that nothing overflows; beyond |x| = 2^62, where b/x^2 <= 2^-60, h = |x|. The
  // double lanes took a square root and a division of doubles at a quarter of the speed; the
  // sweep's figures are in docs/accuracy.md.
  bool FloatNative() const {
    return double{b_f} == hn::GetLane(b) && b_f >= 0x1p-124f && b_f <= 0x1p64f;
  }
  static constexpr bool kValueHandlesSpecialsF = true;  // +inf gives +inf, -inf 0, NaN NaN
  static constexpr float kRootLimit = 0x1p62f;
  // sqrt(x^2 + b) as *h + *h_low, and |x| in *magnitude.
  void RootF(VF x, VF* magnitude, VF* h, VF* h_low) const {
    const VF limit = ConstantF(kRootLimit), bv = ConstantF(b_f);
    *magnitude = hn::Abs(x);
    const auto beyond = hn::Gt(*magnitude, limit);
    const VF c = hn::Min(*magnitude, limit);
    const VF square = hn::MulAdd(c, c, bv);
    // c^2 + b - square: exact where c^2 <= b (b - square is, by Sterbenz), where it matters.
    const VF square_low = hn::MulAdd(c, c, hn::Sub(bv, square));
    const VF root = hn::Sqrt(square);
    const VF residual = hn::Add(hn::NegMulAdd(root, root, square), square_low);
    const VF root_low =
        hn::Mul(residual, hn::Mul(hn::ApproximateReciprocal(root), ConstantF(0.5f)));
    *h = hn::IfThenElse(beyond, *magnitude, root);
    *h_low = hn::IfThenZeroElse(beyond, root_low);
  }
  // f for x < 0.
  VF NegativeF(VF magnitude, VF h, VF h_low) const {
    const VF half = ConstantF(0.5f);
    // Fast2Sum, h >= |x| first; NaN in |x| reaches the sum (Max and Min would drop it).
    const VF big = hn::Mul(h, half), small = hn::Mul(magnitude, half);
    const VF d = hn::Add(big, small);
    const VF d_low = hn::Sub(small, hn::Sub(d, big));
    return DivideF</*kWideDivisor=*/true>(ConstantF(b_f / 4), hn::Zero(DF()), d,
                                          hn::MulAdd(h_low, half, d_low));
  }
  template <class Exp>
  VF ValueF(VF x) const {
    VF magnitude, h, h_low;
    RootF(x, &magnitude, &h, &h_low);
    const VF half = ConstantF(0.5f);
    // -inf: (b/4)/inf would meet inf - inf in the quotient's correction; f(-inf) = +0.
    const VF negative =
        hn::IfThenZeroElse(hn::Eq(x, ConstantF(-std::numeric_limits<float>::infinity())),
                           NegativeF(magnitude, h, h_low));
    return hn::IfThenElse(hn::Ge(x, hn::Zero(DF())), hn::MulAdd(x, half, hn::Mul(h, half)),
                          negative);
  }
  template <class Exp>
  VF GradF(VF x) const {
    VF magnitude, h, h_low;
    RootF(x, &magnitude, &h, &h_low);
    const auto positive = hn::Ge(x, hn::Zero(DF()));
    const VF n = hn::IfThenElse(positive, x, NegativeF(magnitude, h, h_low));
    const VF q = DivideF</*kWideDivisor=*/true>(n, hn::Zero(DF()), h, h_low);
    const VF half = ConstantF(0.5f);
    return hn::IfThenElse(positive, hn::MulAdd(q, half, half), q);
  }
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

SIGMA_DEFINE_FAMILY_RUN(Softplus, SIGMA_SOFTPLUS_ACTIVATIONS)

}  // namespace sigma::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace sigma::kernels {
SIGMA_EXPORT_FAMILY_RUN(Softplus)
}  // namespace sigma::kernels
#endif  // HWY_ONCE
