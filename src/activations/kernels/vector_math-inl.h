// Vector building blocks for the activation kernels, in double lanes: Highway's contrib math
// (Exp 1 ulp, Expm1 4 ulp, Log1p 2 ulp, Tanh 4 ulp, Atan 3 ulp, Sin/Cos 3 ulp) wrapped for the
// ranges sigma needs, plus sigma's own erfc. Float kernels evaluate these in double lanes and
// round once, which keeps every float result within 0.5 ulp plus about 2^-27 ulp of exact.

// Per-target include guard, as Highway's own -inl.h headers do.
#if defined(SIGMA_KERNELS_VECTOR_MATH_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef SIGMA_KERNELS_VECTOR_MATH_INL_H_
#undef SIGMA_KERNELS_VECTOR_MATH_INL_H_
#else
#define SIGMA_KERNELS_VECTOR_MATH_INL_H_
#endif

#include <iterator>

#include "hwy/contrib/math/math-inl.h"
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace sigma::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// e^x for all x: Highway's Exp is valid up to 706, so larger arguments are shifted by 20 (and
// capped) and scaled back (one more rounding, 2 ulp in all), overflowing to inf past 709.78.
template <class D, class V>
HWY_INLINE V ExpAll(D d, V x) {
  const auto large = hn::Gt(x, hn::Set(d, 700.0));
  const V shifted = hn::Min(hn::Sub(x, hn::Set(d, 20.0)), hn::Set(d, 700.0));
  const V y = hn::Exp(d, hn::IfThenElse(large, shifted, x));
  return hn::IfThenElse(large, hn::Mul(y, hn::Set(d, 485165195.40979027)), y);  // e^20
}

template <class D, class V>
HWY_INLINE V Expm1All(D d, V x) {
  return hn::IfThenElse(hn::Gt(x, hn::Set(d, 700.0)), ExpAll(d, x), hn::Expm1(d, x));
}

// The rounding error of a product a b = product (fma, exact), or 0 where the product overflowed:
// with it, product + low is a b exactly, for exponentials whose argument is a scaled input.
template <class V>
HWY_INLINE V ProductLow(V a, V b, V product) {
  return hn::IfThenZeroElse(hn::IsInf(product), hn::MulSub(a, b, product));
}

// e^-|t| for t = t_high + t_low, |t_low| <= ulp(t_high)/2: e^-|t_high| (1 - sign(t_high) t_low),
// the rounding of a product not amplified |t| times (the dropped t_low^2/2 is below 2^-106).
template <class D, class V>
HWY_INLINE V ExpNegAbsOfSum(D d, V t_high, V t_low) {
  const V e = hn::Exp(d, hn::Neg(hn::Abs(t_high)));
  const V signed_low = hn::IfThenElse(hn::Gt(t_high, hn::Zero(d)), t_low, hn::Neg(t_low));
  return hn::NegMulAdd(e, signed_low, e);
}

// 1/(1+e^-t) for t = t_high + t_low as above: e = e^-|t|, then 1/(1+e) or e/(1+e).
template <class D, class V>
HWY_INLINE V LogisticOfSum(D d, V t_high, V t_low) {
  const V e = ExpNegAbsOfSum(d, t_high, t_low);
  const V r = hn::Div(hn::Set(d, 1.0), hn::Add(hn::Set(d, 1.0), e));
  return hn::IfThenElse(hn::Ge(t_high, hn::Zero(d)), r, hn::Mul(e, r));
}

// 1/(1+e^-x) without overflow or cancellation: e = e^-|x|, then 1/(1+e) or e/(1+e).
template <class D, class V>
HWY_INLINE V Logistic(D d, V x) {
  const V e = hn::Exp(d, hn::Neg(hn::Abs(x)));
  const V r = hn::Div(hn::Set(d, 1.0), hn::Add(hn::Set(d, 1.0), e));
  return hn::IfThenElse(hn::Ge(x, hn::Zero(d)), r, hn::Mul(e, r));
}

// sigma(x) sigma(-x) = e/(1+e)^2 with e = e^-|x|.
template <class D, class V>
HWY_INLINE V LogisticGrad(D d, V x) {
  const V e = hn::Exp(d, hn::Neg(hn::Abs(x)));
  const V one_plus = hn::Add(hn::Set(d, 1.0), e);
  return hn::Div(e, hn::Mul(one_plus, one_plus));
}

// sigma(x) and sigma(-x) from one exponential and one quotient, and sigma(x) sigma(-x) from the
// same exponential: each the same bits as Logistic(x), Logistic(-x) and LogisticGrad(x). The
// self-gated derivatives need two or three of them, and computing each on its own cost float64
// silu' half its time.
template <class D, class V>
struct LogisticParts {
  V e, one_plus, at_x, at_minus_x;
  HWY_INLINE LogisticParts(D d, V x)
      : e(hn::Exp(d, hn::Neg(hn::Abs(x)))), one_plus(hn::Add(hn::Set(d, 1.0), e)) {
    const V r = hn::Div(hn::Set(d, 1.0), one_plus);
    const V er = hn::Mul(e, r);
    at_x = hn::IfThenElse(hn::Ge(x, hn::Zero(d)), r, er);
    at_minus_x = hn::IfThenElse(hn::Le(x, hn::Zero(d)), r, er);  // -x >= 0
  }
  HWY_INLINE V Product() const { return hn::Div(e, hn::Mul(one_plus, one_plus)); }
};

// log(1 + e^x) = max(x, 0) + log1p(e^-|x|).
template <class D, class V>
HWY_INLINE V Log1pExp(D d, V x) {
  return hn::Add(hn::Max(x, hn::Zero(d)), hn::Log1p(d, hn::Exp(d, hn::Neg(hn::Abs(x)))));
}

// sech^2(x) = 4e/(1+e)^2 with e = e^-2|x|, instead of the cancelling 1 - tanh^2.
template <class D, class V>
HWY_INLINE V SechSquared(D d, V x) {
  const V e = hn::Exp(d, hn::Mul(hn::Set(d, -2.0), hn::Abs(x)));
  const V one_plus = hn::Add(hn::Set(d, 1.0), e);
  return hn::Div(hn::Mul(hn::Set(d, 4.0), e), hn::Mul(one_plus, one_plus));
}

// erfc for t >= 0 as e^-t^2 h(u) / (1 + 2t), where h(u) = (1 + 2t) erfcx(t) with
// u = (t - 4)/(t + 4) is smooth on [-1, 1): 24 Chebyshev coefficients fitted with MPFR at the
// Chebyshev nodes reach 4e-17. e^-t^2 uses t^2 split exactly (fma), so the rounding of t^2 is not
// amplified t^2 times. Returns erfc(|t|) and, through exp_neg_t2, e^-t^2.
template <class D, class V>
HWY_INLINE V ErfcNonNegative(D d, V t, V* exp_neg_t2) {
  static constexpr double kChebyshev[] = {
      1.1774832005374487,      -0.0072607966203018948,  -0.081265123236184969,
      0.060092128041222242,    -0.028753935580276665,   0.010595663363472872,
      -0.0031369272945542693,  0.00074564943725360651,  -0.00013696965030100347,
      1.7183861600297173e-05,  -7.1583646235443534e-07, -2.4261399442374322e-07,
      5.5765709382615345e-08,  -2.1057869456419525e-09, -1.1717889304672054e-09,
      1.9098355140957738e-10,  1.4088727710004063e-11,  -6.9011052890999422e-12,
      9.166046760033901e-14,   2.1455432221861468e-13,  -1.4717144095467791e-14,
      -6.6657401779778198e-15, 7.5496639511838867e-16,  2.233143073129655e-16};
  const V four = hn::Set(d, 4.0);
  const V u = hn::Div(hn::Sub(t, four), hn::Add(t, four));
  const V two_u = hn::Add(u, u);
  // Clenshaw's recurrence for sum a_k T_k(u).
  V b1 = hn::Zero(d), b2 = hn::Zero(d);
  for (int k = static_cast<int>(std::size(kChebyshev)) - 1; k >= 1; --k) {
    const V b0 = hn::Add(hn::Sub(hn::Mul(two_u, b1), b2), hn::Set(d, kChebyshev[k]));
    b2 = b1;
    b1 = b0;
  }
  const V h = hn::Add(hn::Sub(hn::Mul(u, b1), b2), hn::Set(d, kChebyshev[0]));
  const V t2 = hn::Mul(t, t);
  const V t2_low = hn::MulSub(t, t, t2);
  *exp_neg_t2 = hn::Mul(hn::Exp(d, hn::Neg(t2)), hn::Sub(hn::Set(d, 1.0), t2_low));
  return hn::Div(hn::Mul(*exp_neg_t2, h), hn::MulAdd(hn::Set(d, 2.0), t, hn::Set(d, 1.0)));
}

// erfc(t) for any t: erfc(-t) = 2 - erfc(t), which cannot cancel (erfc(|t|) <= 1).
template <class D, class V>
HWY_INLINE V Erfc(D d, V t, V* exp_neg_t2) {
  const V tail = ErfcNonNegative(d, hn::Abs(t), exp_neg_t2);
  return hn::IfThenElse(hn::Lt(t, hn::Zero(d)), hn::Sub(hn::Set(d, 2.0), tail), tail);
}

}  // namespace sigma::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // SIGMA_KERNELS_VECTOR_MATH_INL_H_
