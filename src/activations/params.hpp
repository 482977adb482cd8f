// Each function's parameter list (the catalog's ParamInfo), and named access to the values: the
// catalog entries, the references and the kernels read a parameter by its name, which is looked
// up in its list at compile time, so a misspelt or missing name does not compile.
#pragma once

#include <cstddef>
#include <sigma/catalog.hpp>
#include <span>
#include <string_view>

namespace sigma::params {

using SV = std::string_view;

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

// Named<kList>(params)["alpha"]: the value of parameter "alpha" of the list kList.
template <const auto& kList>
class Named {
 public:
  struct Name {
    std::size_t index;
    consteval Name(const char* name) : index(IndexOf(name)) {}  // NOLINT: implicit by design
  };

  // Implicit, so that a kernel constructed from the Params takes its list by name.
  constexpr Named(const Params& params) : params_(params) {}  // NOLINT
  constexpr double operator[](Name name) const { return params_[name.index]; }

 private:
  static consteval std::size_t IndexOf(std::string_view name) {
    for (std::size_t i = 0; i < std::size(kList); ++i) {
      if (kList[i].name == name) return i;
    }
    throw "no parameter of that name in this list";  // not a constant expression: a compile error
  }

  const Params& params_;
};

// The list's default values, in the list's order.
template <const auto& kList>
constexpr Params Defaults() {
  Params values{};
  for (std::size_t i = 0; i < std::size(kList); ++i) values[i] = kList[i].default_value;
  return values;
}

}  // namespace sigma::params
