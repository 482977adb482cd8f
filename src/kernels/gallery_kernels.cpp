// The rest of the classic gallery: bent_identity, gaussian, the periodic sinusoid, cos and sinc,
// and snake (x + sin^2(alpha x)/alpha), in double lanes rounded once. The loop, the dispatch and
// the contract every kernel here meets are in loop-inl.h.

#include <cmath>
#include <type_traits>

#include "kernels/kernels.hpp"

// clang-format off
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/gallery_kernels.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "kernels/loop-inl.h"
// clang-format on

HWY_BEFORE_NAMESPACE();
namespace sigma::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

struct BentIdentity {
  static constexpr Hooks kHooks = kScalar;
  explicit BentIdentity(const Params&) {}
  static V Root(V x) { return hn::Sqrt(hn::MulAdd(x, x, One())); }
  V Value(V x) const {
    const V bend = hn::Mul(x, hn::Div(x, hn::Add(Root(x), One())));
    return hn::MulAdd(bend, Constant(0.5), x);
  }
  V Grad(V x) const { return hn::MulAdd(hn::Div(x, Root(x)), Constant(0.5), One()); }
  M Scalar(V x) const { return hn::Gt(hn::Abs(x), Constant(1e150)); }  // x^2 overflows
};

struct Gaussian {
  static constexpr Hooks kHooks = kScalar;
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

// Highway's Sin and Cos are valid for |x| <= 39000; larger inputs take the scalar path.
HWY_INLINE M OutsideTrigRange(V x) { return hn::Gt(hn::Abs(x), Constant(39000.0)); }

struct Sinusoid {
  static constexpr Hooks kHooks = kScalar;
  explicit Sinusoid(const Params&) {}
  V Value(V x) const { return hn::Sin(D(), x); }
  V Grad(V x) const { return hn::Cos(D(), x); }
  M Scalar(V x) const { return OutsideTrigRange(x); }
};

struct Cos {
  static constexpr Hooks kHooks = kScalar;
  explicit Cos(const Params&) {}
  V Value(V x) const { return hn::Cos(D(), x); }
  // 0 - sin x: f'(+-0) = +0 (the reference's -sin(-0), and PyTorch's) whichever zero Sin gives.
  V Grad(V x) const { return hn::Sub(Zero(), hn::Sin(D(), x)); }
  M Scalar(V x) const { return OutsideTrigRange(x); }
};

struct Sinc {
  static constexpr Hooks kHooks = kScalar | kScalarDouble;
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

// x + sin^2(alpha x)/alpha and f' = 1 + sin(2 alpha x). alpha x is split exactly (fma) and its
// rounding error lo enters to first order (alpha = 1, the default, has none). f' cancels at its
// roots (sin = -1), so there it is cos^2/(1 - sin), with Highway's cos accurate near its zeros (its
// reduction subtracts pi/2 in four parts).
struct Snake {
  static constexpr Hooks kHooks = kScalar | kScalarDouble;
  V alpha;
  bool exact_product;  // alpha x has no rounding error for any x
  explicit Snake(const Params& p) : alpha(Constant(p[0])), exact_product(p[0] == 1) {}
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
    } else {
      V c;
      SinCos(x, 1, &s, &c);
    }
    return hn::Add(x, hn::Div(hn::Mul(s, s), alpha));
  }
  V Grad(V x) const {
    V s, c;
    SinCos(x, 2, &s, &c);
    return Select(hn::Ge(s, Zero()), hn::Add(One(), s), hn::Div(hn::Mul(c, c), hn::Sub(One(), s)));
  }
  // 2 alpha x beyond the range of Highway's sin and cos (or alpha x inexact beyond 2^53, where lo
  // is no longer small).
  M Scalar(V x) const { return hn::Gt(hn::Abs(hn::Mul(alpha, x)), Constant(19500.0)); }
  // For -2.1 < alpha x < -0.4 the two terms of f cancel (by up to 3.6 times, where sin^2(u)/u
  // peaks), which amplifies the few ulp of Highway's sin beyond double's bound of 8 ulp.
  M ScalarDouble(V x) const {
    const V u = hn::Mul(alpha, x);
    return hn::And(hn::Lt(u, Constant(-0.4)), hn::Gt(u, Constant(-2.1)));
  }
};

SIGMA_DEFINE_FAMILY_RUN(Gallery, SIGMA_GALLERY_ACTIVATIONS)

}  // namespace sigma::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace sigma::kernels {
SIGMA_EXPORT_FAMILY_RUN(Gallery)
}  // namespace sigma::kernels
#endif  // HWY_ONCE
