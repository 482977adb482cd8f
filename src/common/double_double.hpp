// Unevaluated sums hi + lo of two doubles, for the few results that must be known beyond double's
// precision to be rounded correctly to a narrower format (the 16-bit recomputation).
#pragma once

#include <cmath>

namespace sigma::detail {

struct DoubleDouble {
  double hi, lo;
};

inline DoubleDouble two_product(double a, double b) {
  const double p = a * b;
  return {p, std::fma(a, b, -p)};
}

// a + b with the sum's rounding error kept (Knuth's two-sum); |lo| within half an ulp of hi.
inline DoubleDouble plus(DoubleDouble a, double b) {
  const double s = a.hi + b;
  const double back = s - a.hi;
  const double low = ((a.hi - (s - back)) + (b - back)) + a.lo;
  const double hi = s + low;
  return {hi, (s - hi) + low};
}

// a / b: the quotient and the quotient of its remainder (exact by fma).
inline DoubleDouble divided(DoubleDouble a, double b) {
  const double q = a.hi / b;
  const double remainder = std::fma(-q, b, a.hi) + a.lo;
  return plus({q, 0}, remainder / b);
}

}  // namespace sigma::detail
