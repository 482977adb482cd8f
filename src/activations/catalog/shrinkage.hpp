// The catalog's entries for the shrinkage functions, in the order of `sigma list`.
#pragma once

#include "activations/catalog/common.hpp"

namespace sigma::catalog_entries {

constexpr FunctionInfo kShrinkageEntries[] = {
    // ---- Shrinkage ----
    {.name = "tanhshrink",
     .aliases = kTanhshrinkAliases,
     .params = {},
     .summary = "x - tanh(x): near zero for small inputs",
     .formula = "x - tanh(x)",
     .derivative = "tanh(x)^2",
     .from_output = "",
     .range = "(-inf, inf)",
     .range_min = -kInf,
     .range_max = kInf,
     .properties = kLinearLike,
     .notes = "evaluated by its Taylor series for |x| < 1, where x - tanh(x) cancels",
     SIGMA_REFERENCES(tanhshrink),
     .series = reference::tanhshrink_maclaurin},
    {.name = "softshrink",
     .aliases = kSoftshrinkAliases,
     .params = params::kShrinkLambda,
     .summary = "soft thresholding, the proximal operator of the L1 norm",
     .formula = "x - lambd if x > lambd; x + lambd if x < -lambd; else 0",
     .derivative = "1 if |x| > lambd else 0",
     .from_output = "1 if y != 0 else 0",
     .range = "(-inf, inf)",
     .range_min = -kInf,
     .range_max = kInf,
     .properties = {.monotonic = true, .continuous = true, .zero_centred = true},
     .notes = "",
     SIGMA_REFERENCES(softshrink)},
    {.name = "hardshrink",
     .aliases = kHardshrinkAliases,
     .params = params::kShrinkLambda,
     .summary = "hard thresholding: inputs within lambd of zero become zero",
     .formula = "x if |x| > lambd else 0",
     .derivative = "1 if |x| > lambd else 0",
     .from_output = "1 if y != 0 else 0",
     .range = "(-inf, inf)",
     .range_min = -kInf,
     .range_max = kInf,
     .properties = {.monotonic = true, .zero_centred = true},
     .notes = "",
     SIGMA_REFERENCES(hardshrink)},
};

}  // namespace sigma::catalog_entries
