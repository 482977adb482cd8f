// The catalog: one entry per activation. Everything else in sigma iterates over this table.
#include <algorithm>
#include <iterator>
#include <limits>
#include <numbers>
#include <sigma/catalog.hpp>
#include <string>

#include "activation_list.hpp"
#include "names.hpp"
#include "reference.hpp"

namespace sigma {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
using SV = std::string_view;

// ---- Parameters ----

constexpr ParamInfo kLeakyAlpha[] = {{"alpha",
                                      "negative_slope",
                                      0.01,
                                      Domain::kFinite,
                                      {},
                                      "slope for x <= 0 (PyTorch 0.01; tf.nn and Keras 0.2)"}};
constexpr ParamInfo kPreluAlpha[] = {
    {"alpha",
     "negative_slope",
     0.25,
     Domain::kFinite,
     {},
     "slope for x <= 0 (PyTorch's initial value; learnable in a network)"}};
constexpr ParamInfo kEluAlpha[] = {
    {"alpha", "", 1.0, Domain::kFinite, {}, "saturation value -alpha for x -> -inf"}};
constexpr ParamInfo kCeluAlpha[] = {
    {"alpha", "", 1.0, Domain::kNonZero, {}, "saturation -alpha and input scale 1/alpha"}};
constexpr ParamInfo kSoftplusBeta[] = {
    {"beta", "", 1.0, Domain::kPositive, {}, "sharpness: log(1 + e^(beta x)) / beta"}};
constexpr ParamInfo kSwishBeta[] = {
    {"beta", "", 1.0, Domain::kFinite, {}, "gate sharpness: x sigmoid(beta x)"}};
constexpr SV kGeluChoices[] = {"none", "tanh"};
constexpr ParamInfo kGeluApproximate[] = {
    {"approximate", "", 0, Domain::kChoice, kGeluChoices,
     "none: exact x Phi(x) with erf; tanh: the tanh approximation of Hendrycks and Gimpel"}};
constexpr ParamInfo kHardtanhBounds[] = {
    {"min_val", "min", -1.0, Domain::kFinite, {}, "lower clamp"},
    {"max_val", "max", 1.0, Domain::kFinite, {}, "upper clamp"}};
constexpr ParamInfo kHardsigmoidLine[] = {
    {"slope", "", 1.0 / 6, Domain::kPositive, {}, "slope of the linear part (Keras 2: 0.2)"},
    {"offset", "", 0.5, Domain::kFinite, {}, "value at x = 0"}};
constexpr ParamInfo kShrinkLambda[] = {
    {"lambd", "lambda", 0.5, Domain::kNonNegative, {}, "half-width of the zeroed band"}};
constexpr ParamInfo kThresholdParams[] = {
    {"threshold", "", 0.0, Domain::kFinite, {}, "inputs at or below it are replaced"},
    {"value", "", 0.0, Domain::kFinite, {}, "replacement value"}};
constexpr ParamInfo kRreluBounds[] = {
    {"lower", "", 1.0 / 8, Domain::kFinite, {}, "lower bound of the random training slope"},
    {"upper", "", 1.0 / 3, Domain::kFinite, {}, "upper bound of the random training slope"}};
constexpr ParamInfo kSquareplusB[] = {
    {"b", "", 4.0, Domain::kPositive, {}, "curvature near 0: (x + sqrt(x^2 + b)) / 2"}};
constexpr ParamInfo kSreluParams[] = {
    {"tl", "t_left", -1.0, Domain::kFinite, {}, "left threshold"},
    {"al", "a_left", 0.7, Domain::kFinite, {}, "slope left of tl"},
    {"tr", "t_right", 1.0, Domain::kFinite, {}, "right threshold"},
    {"ar", "a_right", 0.4, Domain::kFinite, {}, "slope right of tr"}};
constexpr ParamInfo kIsruAlpha[] = {
    {"alpha", "", 1.0, Domain::kNonNegative, {}, "saturation: the range is +-1/sqrt(alpha)"}};
constexpr ParamInfo kIsrluAlpha[] = {
    {"alpha",
     "",
     1.0,
     Domain::kNonNegative,
     {},
     "saturation for x < 0: the range is (-1/sqrt(alpha), inf); 0 gives the identity"}};
constexpr ParamInfo kSnakeAlpha[] = {
    {"alpha",
     "",
     1.0,
     Domain::kPositive,
     {},
     "frequency of the wiggle (learned per channel in the original; here a parameter)"}};

// ---- Cross-parameter checks ----

const char* check_hardtanh(const Params& p) {
  return p[0] < p[1] ? nullptr : "hardtanh needs min_val < max_val";
}
const char* check_rrelu(const Params& p) {
  return p[0] <= p[1] ? nullptr : "rrelu needs lower <= upper";
}
const char* check_srelu(const Params& p) { return p[0] <= p[2] ? nullptr : "srelu needs tl <= tr"; }
const char* check_alpha_nonnegative(const Params& p) {
  return p[0] >= 0 ? nullptr : "backward_from_output needs alpha >= 0 (else f is not invertible)";
}
const char* check_rrelu_from_output(const Params& p) {
  return p[0] + p[1] >= 0 ? nullptr
                          : "backward_from_output needs lower + upper >= 0 (else f is not "
                            "invertible)";
}
const char* check_srelu_from_output(const Params& p) {
  return p[1] > 0 && p[3] > 0 ? nullptr
                              : "backward_from_output needs al > 0 and ar > 0 (else f is not "
                                "invertible)";
}

// ---- Properties ----

constexpr Properties kLinearLike{
    .monotonic = true, .continuous = true, .smooth = true, .zero_centred = true};
constexpr Properties kSquashing{.monotonic = true,
                                .continuous = true,
                                .smooth = true,
                                .bounded_below = true,
                                .bounded_above = true,
                                .zero_centred = true};
constexpr Properties kGate{.monotonic = true,
                           .continuous = true,
                           .smooth = true,
                           .bounded_below = true,
                           .bounded_above = true};
constexpr Properties kRectifier{.monotonic = true, .continuous = true, .bounded_below = true};
constexpr Properties kLeaky{.monotonic = true, .continuous = true};
constexpr Properties kSmoothRectifier{
    .monotonic = true, .continuous = true, .smooth = true, .bounded_below = true};
constexpr Properties kSelfGated{
    .continuous = true, .smooth = true, .bounded_below = true, .self_gated = true};

#define SIGMA_ALIASES(name, ...) constexpr SV name[] = {__VA_ARGS__};
SIGMA_ALIASES(kIdentityAliases, "linear")
SIGMA_ALIASES(kStepAliases, "heaviside", "binary_step")
SIGMA_ALIASES(kSignAliases, "signum")
SIGMA_ALIASES(kSigmoidAliases, "logistic")
SIGMA_ALIASES(kHardtanhAliases, "hard_tanh")
SIGMA_ALIASES(kHardsigmoidAliases, "hard_sigmoid")
SIGMA_ALIASES(kHardswishAliases, "hard_swish", "hard_silu")
SIGMA_ALIASES(kLogsigmoidAliases, "log_sigmoid")
SIGMA_ALIASES(kTanhshrinkAliases, "tanh_shrink")
SIGMA_ALIASES(kSoftshrinkAliases, "soft_shrink")
SIGMA_ALIASES(kHardshrinkAliases, "hard_shrink")
SIGMA_ALIASES(kExponentialAliases, "exp")
SIGMA_ALIASES(kArctanAliases, "atan")
SIGMA_ALIASES(kBentAliases, "bent")
SIGMA_ALIASES(kAbsoluteAliases, "abs")
SIGMA_ALIASES(kSinusoidAliases, "sin", "sine")
SIGMA_ALIASES(kCosAliases, "cosine")
#undef SIGMA_ALIASES

// An entry's reference functions, from the list (activation_list.hpp): an entry whose name the
// list lacks does not compile, and a listed name without an entry fails the check below.
struct References {
  ScalarFn value, derivative, from_output;
};
namespace listed {
#define SIGMA_LISTED_FROM_OUTPUT_Y(ref) reference::ref##_grad_from_output
#define SIGMA_LISTED_FROM_OUTPUT_N(ref) nullptr
#define SIGMA_LISTED_REFERENCES(family, name, kernel, ref, from_output) \
  constexpr References name{reference::ref, reference::ref##_grad,      \
                            SIGMA_LISTED_FROM_OUTPUT_##from_output(ref)};
SIGMA_ACTIVATIONS(SIGMA_LISTED_REFERENCES)
#undef SIGMA_LISTED_REFERENCES
#undef SIGMA_LISTED_FROM_OUTPUT_N
#undef SIGMA_LISTED_FROM_OUTPUT_Y
}  // namespace listed
#define SIGMA_REFERENCES(name)                                                      \
  .reference = listed::name.value, .reference_derivative = listed::name.derivative, \
  .reference_from_output = listed::name.from_output

// constexpr (constant-initialised): GCC 12 initialised the table at run time without it, after any
// other file's global that looks a name up (a user's global Activation, a benchmark's
// registration) had seen it empty.
constexpr FunctionInfo kCatalog[] = {
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

    // ---- Sigmoids ----
    {.name = "sigmoid",
     .aliases = kSigmoidAliases,
     .params = {},
     .summary = "the logistic function; the output layer for binary classification",
     .formula = "1 / (1 + e^-x)",
     .derivative = "sigmoid(x) (1 - sigmoid(x)), at most 1/4",
     .from_output = "y (1 - y)",
     .range = "(0, 1)",
     .range_min = 0,
     .range_max = 1,
     .properties = kGate,
     .notes = "",
     SIGMA_REFERENCES(sigmoid)},
    {.name = "tanh",
     .aliases = {},
     .params = {},
     .summary = "the hyperbolic tangent, a zero-centred sigmoid: tanh(x) = 2 sigmoid(2x) - 1",
     .formula = "(e^x - e^-x) / (e^x + e^-x)",
     .derivative = "1 - tanh(x)^2, at most 1",
     .from_output = "1 - y^2",
     .range = "(-1, 1)",
     .range_min = -1,
     .range_max = 1,
     .properties = kSquashing,
     .notes = "",
     SIGMA_REFERENCES(tanh)},
    {.name = "symmetrical_sigmoid",
     .aliases = {},
     .params = {},
     .summary = "2 sigmoid(x) - 1, the sigmoid stretched to (-1, 1)",
     .formula = "tanh(x / 2)",
     .derivative = "(1 - tanh(x/2)^2) / 2",
     .from_output = "(1 - y^2) / 2",
     .range = "(-1, 1)",
     .range_min = -1,
     .range_max = 1,
     .properties = kSquashing,
     .notes = "",
     SIGMA_REFERENCES(symmetrical_sigmoid)},
    {.name = "lecun_tanh",
     .aliases = {},
     .params = {},
     .summary = "LeCun's scaled tanh (Efficient BackProp, 1998): f(+-1) = +-1",
     .formula = "1.7159 tanh(2x / 3)",
     .derivative = "1.7159 (2/3) (1 - tanh(2x/3)^2)",
     .from_output = "(2/3) (1.7159 - y^2 / 1.7159)",
     .range = "(-1.7159, 1.7159)",
     .range_min = -1.7159,
     .range_max = 1.7159,
     .properties = kSquashing,
     .notes = "",
     SIGMA_REFERENCES(lecun_tanh)},
    {.name = "hardsigmoid",
     .aliases = kHardsigmoidAliases,
     .params = kHardsigmoidLine,
     .summary = "a piecewise-linear sigmoid",
     .formula = "min(max((x + c) / w, 0), 1), c = offset / slope and w = 1 / slope rounded to "
                "double (slope x + offset with its kinks at -c and w - c)",
     .derivative = "1/w if -c < x < w - c, else 0 (0 at the kinks, as PyTorch)",
     .from_output = "1/w if 0 < y < 1 else 0",
     .range = "[0, 1]",
     .range_min = 0,
     .range_max = 1,
     .properties =
         {.monotonic = true, .continuous = true, .bounded_below = true, .bounded_above = true},
     .notes = "PyTorch and Keras 3 use (x + 3)/6 (the default, exactly: c = 3 and w = 6); "
              "Keras 2's hard_sigmoid is hardsigmoid:slope=0.2, (x + 2.5)/5. The line through "
              "(-c, 0) and (w - c, 1), evaluated to half an ulp, so that the rounding of "
              "slope = 1/6 neither moves the kink from -3 nor cancels near it",
     SIGMA_REFERENCES(hardsigmoid)},
    {.name = "sparse_sigmoid",
     .aliases = {},
     .params = {},
     .summary = "Keras 3's sparse_sigmoid: a hard sigmoid reaching 0 and 1 at x = -1 and 1",
     .formula = "0 if x <= -1; (x + 1) / 2 if -1 < x < 1; 1 if x >= 1",
     .derivative = "1/2 if -1 < x < 1 else 0 (0 at the kinks, as Keras' autodiff)",
     .from_output = "1/2 if 0 < y < 1 else 0",
     .range = "[0, 1]",
     .range_min = 0,
     .range_max = 1,
     .properties =
         {.monotonic = true, .continuous = true, .bounded_below = true, .bounded_above = true},
     .notes = "hardsigmoid:slope=0.5 and (hardtanh(x) + 1) / 2 are the same function; the "
              "derivative of sparse_plus",
     SIGMA_REFERENCES(sparse_sigmoid)},
    {.name = "sqnl",
     .aliases = {},
     .params = {},
     .summary = "the square non-linearity (Wuraola and Patel 2018): a tanh made of two parabolas",
     .formula = "1 if x > 2; x - x^2/4 if 0 <= x <= 2; x + x^2/4 if -2 <= x < 0; -1 if x < -2",
     .derivative = "1 - |x|/2 if |x| <= 2 else 0 (continuous: 0 at +-2 from both sides)",
     .from_output = "",
     .range = "[-1, 1]",
     .range_min = -1,
     .range_max = 1,
     .properties = {.monotonic = true,
                    .continuous = true,
                    .bounded_below = true,
                    .bounded_above = true,
                    .zero_centred = true},
     .notes = "C1 but not C2. f' = sqrt(1 - |y|) in exact arithmetic, but that loses half "
              "of f''s digits near |y| = 1 (a float y rounds to 1 while f' is still up to "
              "2^-12.5), so backward_from_output is not offered",
     SIGMA_REFERENCES(sqnl)},
    {.name = "logsigmoid",
     .aliases = kLogsigmoidAliases,
     .params = {},
     .summary = "log(sigmoid(x)) = -softplus(-x), the log-likelihood of a logistic output",
     .formula = "-log(1 + e^-x)",
     .derivative = "sigmoid(-x) = 1 - sigmoid(x)",
     .from_output = "1 - e^y",
     .range = "(-inf, 0)",
     .range_min = -kInf,
     .range_max = 0,
     .properties = {.monotonic = true, .continuous = true, .smooth = true, .bounded_above = true},
     .notes = "",
     SIGMA_REFERENCES(logsigmoid)},
    {.name = "softsign",
     .aliases = {},
     .params = {},
     .summary = "a sigmoid with polynomial tails (Bergstra et al. 2009)",
     .formula = "x / (1 + |x|)",
     .derivative = "1 / (1 + |x|)^2",
     .from_output = "(1 - |y|)^2",
     .range = "(-1, 1)",
     .range_min = -1,
     .range_max = 1,
     .properties = kSquashing,
     .notes = "",
     SIGMA_REFERENCES(softsign)},
    {.name = "arctan",
     .aliases = kArctanAliases,
     .params = {},
     .summary = "the inverse tangent",
     .formula = "atan(x)",
     .derivative = "1 / (1 + x^2)",
     .from_output = "cos(y)^2",
     .range = "(-pi/2, pi/2)",
     .range_min = -std::numbers::pi / 2,
     .range_max = std::numbers::pi / 2,
     .properties = kSquashing,
     .notes = "",
     SIGMA_REFERENCES(arctan)},
    {.name = "isru",
     .aliases = {},
     .params = kIsruAlpha,
     .summary = "the inverse square root unit (Carlile et al. 2017)",
     .formula = "x / sqrt(1 + alpha x^2)",
     .derivative = "(1 + alpha x^2)^(-3/2)",
     .from_output = "(1 - alpha y^2)^(3/2)",
     .range = "(-1/sqrt(alpha), 1/sqrt(alpha))",
     .range_min = -1,
     .range_max = 1,
     .properties = kSquashing,
     .notes = "",
     SIGMA_REFERENCES(isru)},
    {.name = "loglog",
     .aliases = {},
     .params = {},
     .summary = "the complementary log-log link, an asymmetric sigmoid",
     .formula = "1 - e^(-e^x)",
     .derivative = "e^(x - e^x)",
     .from_output = "-(1 - y) log(1 - y)",
     .range = "(0, 1)",
     .range_min = 0,
     .range_max = 1,
     .properties = kGate,
     .notes = "",
     SIGMA_REFERENCES(loglog)},

    // ---- Rectifiers ----
    {.name = "relu",
     .aliases = {},
     .params = {},
     .summary = "the rectified linear unit (Nair and Hinton 2010); trains fast, units can die",
     .formula = "max(x, 0)",
     .derivative = "1 if x > 0 else 0 (relu'(0) = 0, as PyTorch)",
     .from_output = "1 if y > 0 else 0",
     .range = "[0, inf)",
     .range_min = 0,
     .range_max = kInf,
     .properties = kRectifier,
     .notes = "NaN propagates (as PyTorch), unlike a plain max(x, 0)",
     SIGMA_REFERENCES(relu)},
    {.name = "squared_relu",
     .aliases = {},
     .params = {},
     .summary = "ReLU squared (So et al. 2021, Primer), used in transformer feed-forward layers",
     .formula = "max(x, 0)^2",
     .derivative = "2 max(x, 0) (continuous: 0 at 0)",
     .from_output = "2 sqrt(y)",
     .range = "[0, inf)",
     .range_min = 0,
     .range_max = kInf,
     .properties = kRectifier,
     .notes = "C1 but not C2; overflows to inf beyond sqrt of the largest finite value",
     SIGMA_REFERENCES(squared_relu)},
    {.name = "leaky_relu",
     .aliases = {},
     .params = kLeakyAlpha,
     .summary = "ReLU with a small slope for x <= 0, so units cannot die (Maas et al. 2013)",
     .formula = "x if x > 0 else alpha x",
     .derivative = "1 if x > 0 else alpha (alpha at 0)",
     .from_output = "1 if y > 0 else alpha",
     .range = "(-inf, inf)",
     .range_min = -kInf,
     .range_max = kInf,
     .properties = kLeaky,
     .notes = "PyTorch's default slope is 0.01 (the default); tf.nn.leaky_relu and Keras use "
              "0.2: leaky_relu:alpha=0.2",
     SIGMA_REFERENCES(leaky_relu),
     .check_from_output = check_alpha_nonnegative},
    {.name = "prelu",
     .aliases = {},
     .params = kPreluAlpha,
     .summary = "parametric ReLU (He et al. 2015): leaky ReLU whose slope is learned",
     .formula = "x if x > 0 else alpha x",
     .derivative = "1 if x > 0 else alpha (alpha at 0)",
     .from_output = "1 if y > 0 else alpha",
     .range = "(-inf, inf)",
     .range_min = -kInf,
     .range_max = kInf,
     .properties = kLeaky,
     .notes = "as a pure function the slope is fixed; the gradient with respect to alpha is "
              "part of the network layer",
     SIGMA_REFERENCES(prelu),
     .check_from_output = check_alpha_nonnegative},
    {.name = "rrelu",
     .aliases = {},
     .params = kRreluBounds,
     .summary = "randomized leaky ReLU (Xu et al. 2015) in its inference form",
     .formula = "x if x > 0 else a x, a = (lower + upper) / 2",
     .derivative = "1 if x > 0 else a",
     .from_output = "1 if y > 0 else a",
     .range = "(-inf, inf)",
     .range_min = -kInf,
     .range_max = kInf,
     .properties = kLeaky,
     .notes = "the random slope of training is not part of the pure function; this is "
              "PyTorch's eval-mode rrelu",
     SIGMA_REFERENCES(rrelu),
     .check_params = check_rrelu,
     .check_from_output = check_rrelu_from_output},
    {.name = "relu6",
     .aliases = {},
     .params = {},
     .summary = "ReLU capped at 6 (MobileNet), friendly to low-precision arithmetic",
     .formula = "min(max(x, 0), 6)",
     .derivative = "1 if 0 < x < 6 else 0",
     .from_output = "1 if 0 < y < 6 else 0",
     .range = "[0, 6]",
     .range_min = 0,
     .range_max = 6,
     .properties =
         {.monotonic = true, .continuous = true, .bounded_below = true, .bounded_above = true},
     .notes = "",
     SIGMA_REFERENCES(relu6)},
    {.name = "hardtanh",
     .aliases = kHardtanhAliases,
     .params = kHardtanhBounds,
     .summary = "a piecewise-linear tanh: the identity clamped to [min_val, max_val]",
     .formula = "min(max(x, min_val), max_val)",
     .derivative = "1 if min_val < x < max_val else 0 (0 at the bounds, as PyTorch)",
     .from_output = "1 if min_val < y < max_val else 0",
     .range = "[min_val, max_val]",
     .range_min = -1,
     .range_max = 1,
     .properties = {.monotonic = true,
                    .continuous = true,
                    .bounded_below = true,
                    .bounded_above = true,
                    .zero_centred = true},
     .notes = "",
     SIGMA_REFERENCES(hardtanh),
     .check_params = check_hardtanh},
    {.name = "threshold",
     .aliases = {},
     .params = kThresholdParams,
     .summary = "PyTorch's Threshold: x above the threshold, a constant below",
     .formula = "x if x > threshold else value",
     .derivative = "1 if x > threshold else 0",
     .from_output = "",
     .range = "{value} and (threshold, inf)",
     .range_min = 0,
     .range_max = kInf,
     .properties = kRectifier,
     .notes = "with the defaults it equals relu; it is discontinuous when value != threshold",
     SIGMA_REFERENCES(threshold)},
    {.name = "srelu",
     .aliases = {},
     .params = kSreluParams,
     .summary = "S-shaped ReLU (Jin et al. 2016): three linear pieces",
     .formula = "tl + al (x - tl) if x <= tl; tr + ar (x - tr) if x >= tr; else x",
     .derivative = "al if x <= tl; ar if x >= tr; else 1",
     .from_output = "the same on y",
     .range = "(-inf, inf)",
     .range_min = -kInf,
     .range_max = kInf,
     .properties = kLeaky,
     .notes = "thresholds and slopes are learned per unit in the original; here they are "
              "parameters",
     SIGMA_REFERENCES(srelu),
     .check_params = check_srelu,
     .check_from_output = check_srelu_from_output},

    // ---- Exponential linear units ----
    {.name = "elu",
     .aliases = {},
     .params = kEluAlpha,
     .summary = "exponential linear unit (Clevert et al. 2015): smooth negative saturation",
     .formula = "x if x > 0 else alpha (e^x - 1)",
     .derivative = "1 if x > 0 else alpha e^x (alpha at 0)",
     .from_output = "1 if y > 0 else y + alpha",
     .range = "(-alpha, inf)",
     .range_min = -1,
     .range_max = kInf,
     .properties = kSmoothRectifier,
     .notes = "C1 only for alpha = 1; evaluated with expm1, exact near 0-",
     SIGMA_REFERENCES(elu),
     .check_from_output = check_alpha_nonnegative},
    {.name = "selu",
     .aliases = {},
     .params = {},
     .summary = "scaled ELU (Klambauer et al. 2017), self-normalising with LeCun normal init",
     .formula = "lambda (x if x > 0 else alpha (e^x - 1)), alpha = 1.6732632423543772, "
                "lambda = 1.0507009873554805",
     .derivative = "lambda if x > 0 else lambda alpha e^x",
     .from_output = "lambda if y > 0 else y + lambda alpha",
     .range = "(-lambda alpha, inf)",
     .range_min = -1.7580993408473768,
     .range_max = kInf,
     .properties = {.monotonic = true, .continuous = true, .bounded_below = true},
     .notes = "f' from y is y + lambda alpha at the y given, within 2 ulp (lambda alpha held to "
              "106 bits) down to saturation; near it, the rounding of y itself (half an ulp of "
              "lambda alpha) exceeds f', so prefer backward from x there",
     SIGMA_REFERENCES(selu)},
    {.name = "celu",
     .aliases = {},
     .params = kCeluAlpha,
     .summary = "continuously differentiable ELU (Barron 2017)",
     .formula = "x if x > 0 else alpha (e^(x/alpha) - 1)",
     .derivative = "1 if x > 0 else e^(x/alpha)",
     .from_output = "1 if y > 0 else (y + alpha)/alpha",
     .range = "(-alpha, inf)",
     .range_min = -1,
     .range_max = kInf,
     .properties = kSmoothRectifier,
     .notes = "celu with alpha = 1 equals elu. f' from y is (y + alpha)/alpha at the y given, "
              "within 2 ulp down to saturation (y + alpha is exact there); near it, the rounding "
              "of y itself exceeds f', so prefer backward from x there",
     SIGMA_REFERENCES(celu)},
    {.name = "isrlu",
     .aliases = {},
     .params = kIsrluAlpha,
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

    // ---- Smooth rectifiers and self-gated functions ----
    {.name = "softplus",
     .aliases = {},
     .params = kSoftplusBeta,
     .summary = "a smooth ReLU; its derivative is the sigmoid",
     .formula = "log(1 + e^(beta x)) / beta",
     .derivative = "sigmoid(beta x)",
     .from_output = "1 - e^(-beta y)",
     .range = "(0, inf)",
     .range_min = 0,
     .range_max = kInf,
     .properties = kSmoothRectifier,
     .notes = "exact everywhere: PyTorch switches to x above beta x > 20 and TensorFlow to "
              "e^x below a threshold; sigma does neither",
     SIGMA_REFERENCES(softplus)},
    {.name = "squareplus",
     .aliases = {},
     .params = kSquareplusB,
     .summary = "an algebraic softplus (Barron 2021) without exponentials",
     .formula = "(x + sqrt(x^2 + b)) / 2",
     .derivative = "(1 + x / sqrt(x^2 + b)) / 2",
     .from_output = "y^2 / (y^2 + b/4)",
     .range = "(0, inf)",
     .range_min = 0,
     .range_max = kInf,
     .properties = kSmoothRectifier,
     .notes = "",
     SIGMA_REFERENCES(squareplus)},
    {.name = "sparse_plus",
     .aliases = {},
     .params = {},
     .summary = "Keras 3's sparse_plus: a softplus with a quadratic join, exactly 0 for x <= -1",
     .formula = "0 if x <= -1; (x + 1)^2 / 4 if -1 < x < 1; x if x >= 1",
     .derivative = "sparse_sigmoid(x): 0, (x + 1)/2, 1 (continuous: 0 at -1, 1 at 1)",
     .from_output = "min(sqrt(y), 1)",
     .range = "[0, inf)",
     .range_min = 0,
     .range_max = kInf,
     .properties = kRectifier,
     .notes = "C1 but not C2",
     SIGMA_REFERENCES(sparse_plus)},
    {.name = "silu",
     .aliases = {},
     .params = {},
     .summary = "sigmoid-weighted linear unit (Elfwing et al. 2017), swish with beta = 1",
     .formula = "x sigmoid(x)",
     .derivative = "s (1 + x (1 - s)), s = sigmoid(x)",
     .from_output = "",
     .range = "[-0.2784645, inf)",
     .range_min = -0.2784645427610738,
     .range_max = kInf,
     .properties = kSelfGated,
     .notes = "Keras' swish is silu",
     SIGMA_REFERENCES(silu)},
    {.name = "swish",
     .aliases = {},
     .params = kSwishBeta,
     .summary = "x gated by a sigmoid of sharpness beta (Ramachandran et al. 2017)",
     .formula = "x sigmoid(beta x)",
     .derivative = "s + beta x s (1 - s), s = sigmoid(beta x)",
     .from_output = "",
     .range = "[-0.2784645427610738 / beta, inf) for beta > 0",
     .range_min = -0.2784645427610738,
     .range_max = kInf,
     .properties = kSelfGated,
     .notes = "beta = 0 gives x/2; large beta approaches relu",
     SIGMA_REFERENCES(swish)},
    {.name = "gelu",
     .aliases = {},
     .params = kGeluApproximate,
     .summary = "Gaussian error linear unit (Hendrycks and Gimpel 2016), used by BERT and GPT",
     .formula = "x Phi(x) = x/2 erfc(-x/sqrt(2)); tanh form: x/2 (1 + tanh(sqrt(2/pi) (x + "
                "0.044715 x^3)))",
     .derivative = "Phi(x) + x phi(x), phi(x) = e^(-x^2/2)/sqrt(2 pi)",
     .from_output = "",
     .range = "[-0.1699712, inf)",
     .range_min = -0.1699712074799037,
     .range_max = kInf,
     .properties = kSelfGated,
     .notes = "approximate=tanh matches PyTorch's gelu(approximate='tanh') and the original "
              "BERT/GPT-2 code; its minimum is -0.1700408",
     SIGMA_REFERENCES(gelu)},
    {.name = "mish",
     .aliases = {},
     .params = {},
     .summary = "self-regularised non-monotonic activation (Misra 2019)",
     .formula = "x tanh(softplus(x))",
     .derivative = "t + x (1 - t^2) sigmoid(x), t = tanh(softplus(x))",
     .from_output = "",
     .range = "[-0.3088434, inf)",
     .range_min = -0.3088434130172504,
     .range_max = kInf,
     .properties = kSelfGated,
     .notes = "",
     SIGMA_REFERENCES(mish)},
    {.name = "hardswish",
     .aliases = kHardswishAliases,
     .params = {},
     .summary = "a piecewise-polynomial swish (MobileNetV3)",
     .formula = "x min(max(x + 3, 0), 6) / 6",
     .derivative = "0 if x < -3; (2x + 3)/6 if -3 <= x <= 3; 1 if x > 3 (PyTorch's convention "
                   "at the kinks)",
     .from_output = "",
     .range = "[-0.375, inf)",
     .range_min = -0.375,
     .range_max = kInf,
     .properties = {.continuous = true, .bounded_below = true, .self_gated = true},
     .notes = "",
     SIGMA_REFERENCES(hardswish)},
    {.name = "bent_identity",
     .aliases = kBentAliases,
     .params = {},
     .summary = "a smooth, unbounded, monotonic bend of the identity",
     .formula = "(sqrt(x^2 + 1) - 1) / 2 + x",
     .derivative = "x / (2 sqrt(x^2 + 1)) + 1",
     .from_output = "",
     .range = "(-inf, inf)",
     .range_min = -kInf,
     .range_max = kInf,
     .properties = {.monotonic = true, .continuous = true, .smooth = true},
     .notes = "",
     SIGMA_REFERENCES(bent_identity)},

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
     SIGMA_REFERENCES(tanhshrink)},
    {.name = "softshrink",
     .aliases = kSoftshrinkAliases,
     .params = kShrinkLambda,
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
     .params = kShrinkLambda,
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

    // ---- Radial, periodic and other gallery functions ----
    {.name = "gaussian",
     .aliases = {},
     .params = {},
     .summary = "the Gaussian bump, a radial basis activation",
     .formula = "e^(-x^2)",
     .derivative = "-2x e^(-x^2)",
     .from_output = "",
     .range = "(0, 1]",
     .range_min = 0,
     .range_max = 1,
     .properties =
         {.continuous = true, .smooth = true, .bounded_below = true, .bounded_above = true},
     .notes = "",
     SIGMA_REFERENCES(gaussian)},
    {.name = "absolute",
     .aliases = kAbsoluteAliases,
     .params = {},
     .summary = "the absolute value",
     .formula = "|x|",
     .derivative = "1 if x > 0, -1 if x < 0, 0 at 0 (as PyTorch)",
     .from_output = "",
     .range = "[0, inf)",
     .range_min = 0,
     .range_max = kInf,
     .properties = {.continuous = true, .bounded_below = true},
     .notes = "",
     SIGMA_REFERENCES(absolute)},
    {.name = "sinusoid",
     .aliases = kSinusoidAliases,
     .params = {},
     .summary = "the sine (as in SIREN networks)",
     .formula = "sin(x)",
     .derivative = "cos(x)",
     .from_output = "",
     .range = "[-1, 1]",
     .range_min = -1,
     .range_max = 1,
     .properties = {.continuous = true,
                    .smooth = true,
                    .bounded_below = true,
                    .bounded_above = true,
                    .zero_centred = true,
                    .periodic = true},
     .notes = "",
     SIGMA_REFERENCES(sinusoid)},
    {.name = "cos",
     .aliases = kCosAliases,
     .params = {},
     .summary = "the cosine",
     .formula = "cos(x)",
     .derivative = "-sin(x)",
     .from_output = "",
     .range = "[-1, 1]",
     .range_min = -1,
     .range_max = 1,
     .properties = {.continuous = true,
                    .smooth = true,
                    .bounded_below = true,
                    .bounded_above = true,
                    .periodic = true},
     .notes = "",
     SIGMA_REFERENCES(cos)},
    {.name = "sinc",
     .aliases = {},
     .params = {},
     .summary = "the unnormalised sinc",
     .formula = "sin(x) / x, 1 at x = 0",
     .derivative = "(x cos(x) - sin(x)) / x^2, 0 at x = 0",
     .from_output = "",
     .range = "[-0.2172336, 1]",
     .range_min = -0.2172336282112217,
     .range_max = 1,
     .properties =
         {.continuous = true, .smooth = true, .bounded_below = true, .bounded_above = true},
     .notes = "the derivative uses its Taylor series for |x| < 1",
     SIGMA_REFERENCES(sinc)},
    {.name = "snake",
     .aliases = {},
     .params = kSnakeAlpha,
     .summary = "x plus a periodic wiggle (Liu Ziyin et al. 2020), for periodic signals (BigVGAN)",
     .formula = "x + sin(alpha x)^2 / alpha",
     .derivative = "1 + sin(2 alpha x), in [0, 2]",
     .from_output = "",
     .range = "(-inf, inf)",
     .range_min = -kInf,
     .range_max = kInf,
     .properties = {.monotonic = true, .continuous = true, .smooth = true},
     .notes = "snake(+-inf) = +-inf, the limit (the wiggle is bounded by 1/alpha); f'(+-inf) is "
              "NaN, since 1 + sin(2 alpha x) oscillates in [0, 2] without a limit (a framework's "
              "x + sin(alpha x)^2 / alpha gives NaN for both). Non-decreasing, with f' = 0 at "
              "x = (k pi - pi/4) / alpha, where f' is computed as cos^2 / (1 - sin) so that it "
              "keeps its relative accuracy",
     SIGMA_REFERENCES(snake)},
};

#undef SIGMA_REFERENCES

// Every listed activation has exactly one catalog entry (and, by SIGMA_REFERENCES, every entry is
// listed).
constexpr bool CatalogMatchesList() {
  if (std::size(kCatalog) != std::size(detail::kListedActivations)) return false;
  for (SV listed_name : detail::kListedActivations) {
    int entries = 0;
    for (const FunctionInfo& f : kCatalog) entries += f.name == listed_name;
    if (entries != 1) return false;
  }
  return true;
}
static_assert(CatalogMatchesList(), "activation_list.hpp and the catalog name the same functions");

}  // namespace

std::span<const FunctionInfo> catalog() noexcept { return kCatalog; }

const FunctionInfo* find_function(std::string_view name) {
  const std::string key = detail::normalise_name(name);
  for (const FunctionInfo& f : kCatalog) {
    if (f.name == key) return &f;
    for (SV alias : f.aliases) {
      if (alias == key) return &f;
    }
  }
  return nullptr;
}

}  // namespace sigma
