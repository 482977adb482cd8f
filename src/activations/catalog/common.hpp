// What the catalog's entries share: parameter lists, checks between parameters, property sets,
// aliases, and each listed function's reference functions. Included by the entries' files
// (catalog/*.hpp), which catalog.cpp joins into the one table.
#pragma once

#include <limits>
#include <numbers>
#include <sigma/catalog.hpp>
#include <string_view>

#include "activations/activation_list.hpp"
#include "activations/constants.hpp"
#include "activations/params.hpp"
#include "activations/reference.hpp"

namespace sigma::catalog_entries {

constexpr double kInf = std::numeric_limits<double>::infinity();
using SV = std::string_view;
using params::Named;

// ---- Cross-parameter checks ----

inline const char* check_hardtanh(const Params& values) {
  const Named<params::kHardtanhBounds> p(values);
  return p["min_val"] < p["max_val"] ? nullptr : "hardtanh needs min_val < max_val";
}
inline const char* check_rrelu(const Params& values) {
  const Named<params::kRreluBounds> p(values);
  return p["lower"] <= p["upper"] ? nullptr : "rrelu needs lower <= upper";
}
inline const char* check_srelu(const Params& values) {
  const Named<params::kSreluParams> p(values);
  return p["tl"] <= p["tr"] ? nullptr : "srelu needs tl <= tr";
}
// For the one-parameter lists named alpha (elu, celu, leaky_relu, prelu).
template <const auto& kList>
const char* check_alpha_nonnegative(const Params& values) {
  return Named<kList>(values)["alpha"] >= 0
             ? nullptr
             : "backward_from_output needs alpha >= 0 (else f is not invertible)";
}
inline const char* check_rrelu_from_output(const Params& values) {
  const Named<params::kRreluBounds> p(values);
  return p["lower"] + p["upper"] >= 0 ? nullptr
                                      : "backward_from_output needs lower + upper >= 0 (else f is "
                                        "not invertible)";
}
inline const char* check_srelu_from_output(const Params& values) {
  const Named<params::kSreluParams> p(values);
  return p["al"] > 0 && p["ar"] > 0 ? nullptr
                                    : "backward_from_output needs al > 0 and ar > 0 (else f is "
                                      "not invertible)";
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
