// What the catalog's entries share: parameter lists, checks between parameters, property sets,
// aliases, and each listed function's reference functions. Included by the entries' files
// (catalog/*.hpp), which catalog.cpp joins into the one table.
#pragma once

#include <limits>
#include <numbers>
#include <sigma/catalog.hpp>
#include <string_view>

#include "activations/activation_list.hpp"
#include "activations/reference.hpp"

namespace sigma::catalog_entries {

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

inline const char* check_hardtanh(const Params& p) {
  return p[0] < p[1] ? nullptr : "hardtanh needs min_val < max_val";
}
inline const char* check_rrelu(const Params& p) {
  return p[0] <= p[1] ? nullptr : "rrelu needs lower <= upper";
}
inline const char* check_srelu(const Params& p) {
  return p[0] <= p[2] ? nullptr : "srelu needs tl <= tr";
}
inline const char* check_alpha_nonnegative(const Params& p) {
  return p[0] >= 0 ? nullptr : "backward_from_output needs alpha >= 0 (else f is not invertible)";
}
inline const char* check_rrelu_from_output(const Params& p) {
  return p[0] + p[1] >= 0 ? nullptr
                          : "backward_from_output needs lower + upper >= 0 (else f is not "
                            "invertible)";
}
inline const char* check_srelu_from_output(const Params& p) {
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

}  // namespace sigma::catalog_entries
