// The catalog's entries for the exponential linear units, in the order of `sigma list`.
#pragma once

#include "activations/catalog/common.hpp"

namespace sigma::catalog_entries {

constexpr FunctionInfo kExponentialEntries[] = {
    // ---- Exponential linear units ----
    {.name = "elu",
     .aliases = {},
     .params = params::kEluAlpha,
     .summary = "exponential linear unit (Clevert et al. 2015): smooth negative saturation",
     .formula = "x if x > 0 else alpha (e^x - 1)",
     .derivative = "1 if x > 0 else alpha e^x (alpha at 0)",
     .from_output = "1 if y > 0 else y + alpha",
     .range = "(-alpha, inf)",
     .range_min = -1,
     .range_max = kInf,
     .properties = kRectifier,  // C1, not C2: f'' jumps at 0
     .notes = "C1 only for alpha = 1; evaluated with expm1, exact near 0-",
     SIGMA_REFERENCES(elu),
     .check_from_output = check_alpha_nonnegative<params::kEluAlpha>,
     .series = reference::elu_maclaurin},
    {.name = "selu",
     .aliases = {},
     .params = {},
     .summary = "scaled ELU (Klambauer et al. 2017), self-normalising with LeCun normal init",
     .formula = "lambda (x if x > 0 else alpha (e^x - 1)), alpha = 1.6732632423543772, "
                "lambda = 1.0507009873554805",
     .derivative = "lambda if x > 0 else lambda alpha e^x",
     .from_output = "lambda if y > 0 else y + lambda alpha",
     .range = "(-lambda alpha, inf)",
     .range_min = -constants::kSeluLambdaAlpha,
     .range_max = kInf,
     .properties = {.monotonic = true, .continuous = true, .bounded_below = true},
     .notes = "f' from y is y + lambda alpha at the y given, within 2 ulp (lambda alpha held to "
              "106 bits) down to saturation; near it, the rounding of y itself (half an ulp of "
              "lambda alpha) exceeds f', so prefer backward from x there",
     SIGMA_REFERENCES(selu)},
    {.name = "celu",
     .aliases = {},
     .params = params::kCeluAlpha,
     .summary = "continuously differentiable ELU (Barron 2017)",
     .formula = "x if x > 0 else alpha (e^(x/alpha) - 1)",
     .derivative = "1 if x > 0 else e^(x/alpha)",
     .from_output = "1 if y > 0 else (y + alpha)/alpha",
     .range = "(-alpha, inf)",
     .range_min = -1,
     .range_max = kInf,
     .properties = kRectifier,  // C1 for every alpha, not C2
     .notes = "celu with alpha = 1 equals elu. f' from y is (y + alpha)/alpha at the y given, "
              "within 2 ulp down to saturation (y + alpha is exact there); near it, the rounding "
              "of y itself exceeds f', so prefer backward from x there",
     SIGMA_REFERENCES(celu)},
    {.name = "isrlu",
     .aliases = {},
     .params = params::kIsrluAlpha,
     .summary =
         "inverse square root linear unit (Carlile et al. 2017): an ELU without exponentials",
     .formula = "x if x >= 0 else x / sqrt(1 + alpha x^2)",
     .derivative = "1 if x >= 0 else (1 + alpha x^2)^(-3/2) (continuous: 1 at 0)",
     .from_output = "1 if y >= 0 else (1 - alpha y^2)^(3/2)",
     .range = "(-1/sqrt(alpha), inf)",
     .range_min = -1,
     .range_max = kInf,
     .properties = kRectifier,
     .notes = "isru for x < 0; C2 but not C3 at 0 (ELU is C1 only for alpha = 1); isrlu(-0) = -0",
     SIGMA_REFERENCES(isrlu)},
    {.name = "exponential",
     .aliases = kExponentialAliases,
     .params = {},
     .summary = "the exponential (Keras' exponential activation)",
     .formula = "e^x",
     .derivative = "e^x",
     .from_output = "y",
     .range = "(0, inf)",
     .range_min = 0,
     .range_max = kInf,
     .properties = kSmoothRectifier,
     .notes = "",
     SIGMA_REFERENCES(exponential)},
};

}  // namespace sigma::catalog_entries
