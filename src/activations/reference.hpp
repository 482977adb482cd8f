// The double-precision scalar reference of every catalog function: f, f' and, where f is
// invertible, f' as a function of y = f(x). Written for accuracy first; the oracle that every
// fast kernel is tested against. NaN inputs are handled by the callers (NaN in, NaN out).
#pragma once

#include <array>
#include <sigma/catalog.hpp>
#include <span>

#include "activations/activation_list.hpp"

// f and f' of a function; the catalog points at these.
#define SIGMA_REFERENCE(name)                      \
  double name(double x, const ::sigma::Params& p); \
  double name##_grad(double x, const ::sigma::Params& p);

// The same, plus f' written as a function of the output y = f(x).
#define SIGMA_REFERENCE_WITH_OUTPUT(name) \
  SIGMA_REFERENCE(name)                   \
  double name##_grad_from_output(double y, const ::sigma::Params& p);

namespace sigma::reference {

// One declaration per function of the list (several entries may share a reference).
#define SIGMA_REFERENCE_Y SIGMA_REFERENCE_WITH_OUTPUT
#define SIGMA_REFERENCE_N SIGMA_REFERENCE
#define SIGMA_DECLARE_REFERENCE(family, name, kernel, reference, from_output) \
  SIGMA_REFERENCE_##from_output(reference)
SIGMA_ACTIVATIONS(SIGMA_DECLARE_REFERENCE)
#undef SIGMA_DECLARE_REFERENCE
#undef SIGMA_REFERENCE_N
#undef SIGMA_REFERENCE_Y

// Maclaurin series at 0 (sigma::SeriesFn) of the functions whose 16-bit results at tiny inputs
// double cannot decide: the first term is a midpoint of the format or lies within double's
// rounding of one, and the next decides.
#define SIGMA_SERIES(name) \
  std::array<double, 5> name##_maclaurin(double side, const ::sigma::Params& p);
SIGMA_SERIES(sigmoid)
SIGMA_SERIES(symmetrical_sigmoid)
SIGMA_SERIES(logsigmoid)
SIGMA_SERIES(elu)
SIGMA_SERIES(softplus)
SIGMA_SERIES(squareplus)
SIGMA_SERIES(sparse_plus)
SIGMA_SERIES(silu)
SIGMA_SERIES(swish)
SIGMA_SERIES(gelu)
SIGMA_SERIES(tanhshrink)
SIGMA_SERIES(gaussian)
SIGMA_SERIES(cos)
#undef SIGMA_SERIES
// ... and at infinity: bent_identity's terms after 3x/2 (or x/2) drop below double's precision.
std::array<double, 5> bent_identity_asymptotic(double side, const ::sigma::Params& p);

// f and f' in double-double (sigma::ExactFn) of the lines whose double coefficients make the
// exact value need more than 53 bits.
#define SIGMA_EXACT(name)                                                                 \
  void name##_exact(std::span<const double> x, const ::sigma::Params& p, bool derivative, \
                    std::span<double> hi, std::span<double> lo);
SIGMA_EXACT(srelu)
SIGMA_EXACT(hardsigmoid)
SIGMA_EXACT(hardswish)
#undef SIGMA_EXACT

}  // namespace sigma::reference