// The double-precision scalar reference of every catalog function: f, f' and, where f is
// invertible, f' as a function of y = f(x). Written for accuracy first; the oracle that every
// fast kernel is tested against. NaN inputs are handled by the callers (NaN in, NaN out).
#pragma once

#include <sigma/catalog.hpp>

// f and f' of a function; the catalog points at these.
#define SIGMA_REFERENCE(name)                      \
  double name(double x, const ::sigma::Params& p); \
  double name##_grad(double x, const ::sigma::Params& p);

// The same, plus f' written as a function of the output y = f(x).
#define SIGMA_REFERENCE_WITH_OUTPUT(name) \
  SIGMA_REFERENCE(name)                   \
  double name##_grad_from_output(double y, const ::sigma::Params& p);

namespace sigma::reference {

SIGMA_REFERENCE_WITH_OUTPUT(identity)
SIGMA_REFERENCE_WITH_OUTPUT(step)
SIGMA_REFERENCE_WITH_OUTPUT(sign)
SIGMA_REFERENCE_WITH_OUTPUT(sigmoid)
SIGMA_REFERENCE_WITH_OUTPUT(tanh)
SIGMA_REFERENCE_WITH_OUTPUT(relu)
SIGMA_REFERENCE_WITH_OUTPUT(leaky_relu)
SIGMA_REFERENCE_WITH_OUTPUT(elu)
SIGMA_REFERENCE_WITH_OUTPUT(softplus)
SIGMA_REFERENCE(silu)
SIGMA_REFERENCE(swish)
SIGMA_REFERENCE(gelu)
SIGMA_REFERENCE(mish)
SIGMA_REFERENCE_WITH_OUTPUT(relu6)
SIGMA_REFERENCE_WITH_OUTPUT(selu)
SIGMA_REFERENCE_WITH_OUTPUT(celu)
SIGMA_REFERENCE_WITH_OUTPUT(hardtanh)
SIGMA_REFERENCE_WITH_OUTPUT(hardsigmoid)
SIGMA_REFERENCE(hardswish)
SIGMA_REFERENCE_WITH_OUTPUT(logsigmoid)
SIGMA_REFERENCE(tanhshrink)
SIGMA_REFERENCE_WITH_OUTPUT(softshrink)
SIGMA_REFERENCE_WITH_OUTPUT(hardshrink)
SIGMA_REFERENCE(threshold)
SIGMA_REFERENCE_WITH_OUTPUT(softsign)
SIGMA_REFERENCE_WITH_OUTPUT(rrelu)
SIGMA_REFERENCE_WITH_OUTPUT(exponential)
SIGMA_REFERENCE_WITH_OUTPUT(squareplus)
SIGMA_REFERENCE_WITH_OUTPUT(arctan)
SIGMA_REFERENCE(bent_identity)
SIGMA_REFERENCE_WITH_OUTPUT(symmetrical_sigmoid)
SIGMA_REFERENCE_WITH_OUTPUT(lecun_tanh)
SIGMA_REFERENCE_WITH_OUTPUT(loglog)
SIGMA_REFERENCE(gaussian)
SIGMA_REFERENCE(absolute)
SIGMA_REFERENCE(sinusoid)
SIGMA_REFERENCE(cos)
SIGMA_REFERENCE(sinc)
SIGMA_REFERENCE_WITH_OUTPUT(srelu)
SIGMA_REFERENCE_WITH_OUTPUT(isru)

}  // namespace sigma::reference