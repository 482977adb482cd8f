// The catalog: one entry per activation function, the single definition every other part of sigma
// (kernels, tests, CLI, Python, docs) iterates over.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string_view>

namespace sigma {

inline constexpr std::size_t kMaxParams = 4;

// Parameter values of one activation, in the order of FunctionInfo::params. A choice parameter
// (such as gelu's `approximate`) holds the index of the chosen option.
using Params = std::array<double, kMaxParams>;

// Double-precision scalar reference: f(x), f'(x), or f' written as a function of y = f(x).
using ScalarFn = double (*)(double, const Params&);

// Coefficients c0..c4 of a series of f on the side (of 0, or towards +-inf) where `side` lies:
// at 0, f(t) = c0 + c1 t + c2 t^2 + c3 t^3 + c4 t^4 + O(t^5) for t near 0 with t's sign (the
// Maclaurin series); at infinity, f(t) = c0 t + c1 + c2 / t + c3 / t^2 + c4 / t^3 + O(t^-4).
using SeriesFn = std::array<double, 5> (*)(double side, const Params&);

// f(x[i]), or f'(x[i]) where `derivative`, as unevaluated sums hi[i] + lo[i] within about 2^-100
// (relative) of the exact values (x, hi and lo of one size).
using ExactFn = void (*)(std::span<const double> x, const Params&, bool derivative,
                         std::span<double> hi, std::span<double> lo);

// Returns a one-line reason why a combination of parameter values is invalid, or nullptr.
using ParamsCheck = const char* (*)(const Params&);

enum class Domain {
  kFinite,       // any finite real
  kNonNegative,  // finite and >= 0
  kPositive,     // finite and > 0
  kNonZero,      // finite and != 0
  kChoice,       // one of `choices`, stored as its index
};

struct ParamInfo {
  std::string_view name;
  std::string_view alias;  // another accepted spelling (PyTorch's or Keras'), empty if none
  double default_value;
  Domain domain;
  std::span<const std::string_view> choices;  // for Domain::kChoice
  std::string_view description;
};

// Properties hold at the default parameters; kPropertyFields says what each means.
struct Properties {
  bool monotonic = false;
  bool continuous = false;
  bool smooth = false;
  bool bounded_below = false;
  bool bounded_above = false;
  bool zero_centred = false;
  bool self_gated = false;
  bool periodic = false;
};

// One flag of Properties, for the code that shows them (sigma list, its JSON and Markdown, the
// report, the Python module), which loops over kPropertyFields instead of naming each.
struct PropertyField {
  std::string_view name;         // the field's name, also the key in JSON and Python
  char letter;                   // in sigma list's compact FLAGS column
  std::string_view label;        // as prose writes it
  std::string_view description;  // what it means
  bool Properties::*accessor;
};

// Every flag of Properties, in its order.
inline constexpr PropertyField kPropertyFields[] = {
    {"monotonic", 'M', "monotonic", "non-decreasing over the whole real line",
     &Properties::monotonic},
    {"continuous", 'C', "continuous", "f is continuous", &Properties::continuous},
    {"smooth", 'S', "smooth", "f is infinitely differentiable", &Properties::smooth},
    {"bounded_below", 'L', "bounded below", "f has a finite infimum", &Properties::bounded_below},
    {"bounded_above", 'U', "bounded above", "f has a finite supremum", &Properties::bounded_above},
    {"zero_centred", 'Z', "zero-centred", "f(0) = 0 and f takes both signs",
     &Properties::zero_centred},
    {"self_gated", 'G', "self-gated", "f(x) = x * g(x) for a gate g", &Properties::self_gated},
    {"periodic", 'P', "periodic", "no limit at +-inf: f(+-inf) is NaN", &Properties::periodic},
};
static_assert(sizeof(kPropertyFields) / sizeof(PropertyField) * sizeof(bool) == sizeof(Properties),
              "every flag of Properties has its entry in kPropertyFields");

struct FunctionInfo {
  std::string_view name;  // canonical, snake_case
  std::span<const std::string_view> aliases;
  std::span<const ParamInfo> params;
  std::string_view summary;      // one line on what it is and where it comes from
  std::string_view formula;      // f(x), plain text
  std::string_view derivative;   // f'(x), including the convention at kinks
  std::string_view from_output;  // f' as a function of y = f(x); empty if f is not invertible
  std::string_view range;        // output range as text, e.g. "(0, 1)"
  double range_min;              // closure of the output range at the default parameters
  double range_max;
  Properties properties;
  std::string_view notes;        // framework differences, how to get other frameworks' defaults
  ScalarFn reference = nullptr;  // f(x) in double precision, accurate to a few ulp
  ScalarFn reference_derivative = nullptr;
  ScalarFn reference_from_output = nullptr;  // nullptr when from_output is empty
  ParamsCheck check_params = nullptr;        // cross-parameter constraints
  ParamsCheck check_from_output = nullptr;   // what backward_from_output needs beyond them
  // f's series at 0 and at infinity, where given: the 16-bit results of the tiniest and the
  // largest inputs, whose terms beyond the first lie below double's precision, are decided
  // from them.
  SeriesFn series = nullptr;
  SeriesFn series_at_infinity = nullptr;
  // f and f' beyond double, where given (the lines with double coefficients: double's rounding of
  // tl + al (x - tl) or (x + c)/w can land on a 16-bit midpoint the exact value misses).
  ExactFn reference_exact = nullptr;
};

// Every activation, in a stable order.
std::span<const FunctionInfo> catalog() noexcept;

// Looks up a canonical name or an alias (case-insensitive, '-' and '_' alike); nullptr if unknown.
const FunctionInfo* find_function(std::string_view name);

}  // namespace sigma
