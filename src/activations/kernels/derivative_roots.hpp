// The roots of f' away from 0 that the double kernels expand around, and that the accuracy tests
// scan: one place for each. Near such a root r the terms of f' cancel, so the kernels evaluate
// f' from d = x - r, which needs r beyond double precision: each root is an unevaluated sum
// hi + lo + lo2 of doubles (to about 2^-160 relative), written to tables/*.inc by
// scripts/derivative_roots.py (mpmath at 300 bits). Three parts, because swish's beta x is a
// double-double that may lie far closer to its root than an ulp.
#pragma once

#include <iterator>

namespace sigma::roots {

struct Root {
  double hi, lo, lo2;
};

// kSiluGrad: 1 + t + e^t = 0, silu'(t) = 0 (swish'(x) = 0 at beta x = t); kMishGrad: mish' = 0;
// kGeluGrad: Phi(x) + x phi(x) = 0 (the erf form); kGeluTanhGrad: the tanh form's f' = 0; and
// kGeluTanhGradExpV, e^v at that root, v = 2 sqrt(2/pi) (r + 0.044715 r^3), rounded once.
#include "activations/kernels/tables/derivative_roots.inc"

// K(r + d) = Phi/phi + x = sum_{n>=1} k_n d^n around the root r of the erf form's f' (K(r) = 0),
// from K' = 2 - x^2 + x K: (n+1) k_(n+1) = r k_n + k_(n-1) plus 2 - r^2, -2r and -1 for n = 0, 1,
// 2. c[n] = k_(n+1), enough terms for 2^-60 of k_1 at |d| < radius; rounding r to a double
// changes the coefficients by about 2^-53 relative, which only scales d P(d).
struct GeluRootSeries {
  static constexpr int kTerms = 22;
  double radius = 0.45;
  double c[kTerms] = {};
  constexpr GeluRootSeries() {
    const double r = kGeluGrad.hi;
    double previous = 0, current = 0;  // k_(n-1), k_n
    for (int n = 0; n < kTerms; ++n) {
      double next = r * current + previous;
      if (n == 0) next += 2 - r * r;
      if (n == 1) next -= 2 * r;
      if (n == 2) next -= 1;
      next /= n + 1;
      c[n] = next;
      previous = current;
      current = next;
    }
  }
};
inline constexpr GeluRootSeries kGeluGradSeries;

// The positive roots x_k of tan x = x (sinc', odd) for k = 1..325, x_k in ((k + 1/2) pi - 0.22,
// (k + 1/2) pi), all below 1024; beyond them Sinc::Grad needs no root.
inline constexpr Root kSincGradRoots[] = {
#include "activations/kernels/tables/sinc_grad_roots.inc"
};
inline constexpr int kSincGradRootCount = static_cast<int>(std::size(kSincGradRoots));

}  // namespace sigma::roots
