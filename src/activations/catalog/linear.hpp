// The catalog's entries for the identity, the step and the sign, in the order of `sigma list`.
#pragma once

#include "activations/catalog/common.hpp"

namespace sigma::catalog_entries {

constexpr FunctionInfo kLinearEntries[] = {
    // ---- Linear, step and sign ----
    {.name = "identity",
     .aliases = kIdentityAliases,
     .params = {},
     .summary = "the linear activation; a network of only these collapses to one linear map",
     .formula = "x",
     .derivative = "1",
     .from_output = "1",
     .range = "(-inf, inf)",
     .range_min = -kInf,
     .range_max = kInf,
     .properties = kLinearLike,
     .notes = "",
     SIGMA_REFERENCES(identity)},
    {.name = "step",
     .aliases = kStepAliases,
     .params = {},
     .summary = "the binary step of the perceptron",
     .formula = "1 if x > 0 else 0",
     .derivative = "0 (the Dirac delta at 0 is not represented)",
     .from_output = "0",
     .range = "{0, 1}",
     .range_min = 0,
     .range_max = 1,
     .properties = {.monotonic = true, .bounded_below = true, .bounded_above = true},
     .notes = "step(0) = 0, as Heaviside with H(0) = 0",
     SIGMA_REFERENCES(step)},
    {.name = "sign",
     .aliases = kSignAliases,
     .params = {},
     .summary = "the sign of x",
     .formula = "1 if x > 0, -1 if x < 0, x if x = 0 (+-0)",
     .derivative = "0",
     .from_output = "0",
     .range = "{-1, 0, 1}",
     .range_min = -1,
     .range_max = 1,
     .properties =
         {.monotonic = true, .bounded_below = true, .bounded_above = true, .zero_centred = true},
     .notes = "",
     SIGMA_REFERENCES(sign)},
};

}  // namespace sigma::catalog_entries
