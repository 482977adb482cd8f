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

// Properties hold at the default parameters.
struct Properties {
  bool monotonic = false;   // non-decreasing over the whole real line
  bool continuous = false;  // f is continuous
  bool smooth = false;      // f is infinitely differentiable
  bool bounded_below = false;
  bool bounded_above = false;
  bool zero_centred = false;  // f(0) = 0 and f takes both signs
  bool self_gated = false;    // f(x) = x * g(x) for a gate g
  bool periodic = false;      // no limit at +-inf: f(+-inf) is NaN
};

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
};

// Every activation, in a stable order.
std::span<const FunctionInfo> catalog() noexcept;

// Looks up a canonical name or an alias (case-insensitive, '-' and '_' alike); nullptr if unknown.
const FunctionInfo* find_function(std::string_view name);

}  // namespace sigma
