// sigma::Activation: a catalog function with its parameters bound, applied to arrays.
#pragma once

#include <sigma/catalog.hpp>
#include <sigma/half.hpp>
#include <span>
#include <string>
#include <string_view>

namespace sigma {

// Elementwise activation. Every array method requires equal sizes (sigma::Error otherwise); the
// output may be the same array as an input (in place), but may not partially overlap it.
// Semantics: NaN in gives NaN out; +-Inf gives the limit of f (and of f'); periodic functions
// give NaN at +-Inf. At a kink the derivative follows PyTorch's convention, documented per
// function in FunctionInfo::derivative.
class Activation {
 public:
  // Parses `NAME[:KEY=VALUE[,KEY=VALUE...]]`, e.g. "leaky_relu:alpha=0.2" or
  // "gelu:approximate=tanh". Throws sigma::Error naming the problem (and, for a misspelt name,
  // the closest names).
  static Activation parse(std::string_view spec);

  const FunctionInfo& info() const noexcept { return *info_; }
  std::string_view name() const noexcept { return info_->name; }
  const Params& params() const noexcept { return params_; }
  // The value of a parameter by name or alias; throws sigma::Error if there is none.
  double param(std::string_view key) const;
  // Canonical spec: the name, then the parameters that differ from their defaults.
  std::string spec() const;
  bool has_backward_from_output() const noexcept;

  // The double-precision scalar reference (the accuracy oracle of the array methods).
  double reference(double x) const;
  double reference_derivative(double x) const;

  void forward(std::span<const float> x, std::span<float> y) const;  // y = f(x)
  void forward(std::span<const double> x, std::span<double> y) const;
  void derivative(std::span<const float> x, std::span<float> d) const;  // d = f'(x)
  void derivative(std::span<const double> x, std::span<double> d) const;
  // dx = dy * f'(x)
  void backward(std::span<const float> x, std::span<const float> dy, std::span<float> dx) const;
  void backward(std::span<const double> x, std::span<const double> dy, std::span<double> dx) const;
  // dx = dy * f'(x) computed from y = f(x), for functions whose derivative is a function of the
  // output (sigmoid, tanh, relu, elu, ...); throws sigma::Error for the others.
  void backward_from_output(std::span<const float> y, std::span<const float> dy,
                            std::span<float> dx) const;
  void backward_from_output(std::span<const double> y, std::span<const double> dy,
                            std::span<double> dx) const;

  // The same on 16-bit arrays, computed in float and rounded once: every result is the exact
  // value (f(x), f'(x), dy f'(x), dy times the from_output formula at y) rounded to nearest even,
  // for the catalog's functions at the parameters docs/accuracy.md lists (checked there on all
  // 65,536 inputs of each format). A float result too close to a rounding boundary of the format
  // to decide is recomputed in double. NaN, infinities and signed zeros as for float.
  void forward(std::span<const bfloat16> x, std::span<bfloat16> y) const;
  void forward(std::span<const float16> x, std::span<float16> y) const;
  void derivative(std::span<const bfloat16> x, std::span<bfloat16> d) const;
  void derivative(std::span<const float16> x, std::span<float16> d) const;
  void backward(std::span<const bfloat16> x, std::span<const bfloat16> dy,
                std::span<bfloat16> dx) const;
  void backward(std::span<const float16> x, std::span<const float16> dy,
                std::span<float16> dx) const;
  void backward_from_output(std::span<const bfloat16> y, std::span<const bfloat16> dy,
                            std::span<bfloat16> dx) const;
  void backward_from_output(std::span<const float16> y, std::span<const float16> dy,
                            std::span<float16> dx) const;

 private:
  Activation(const FunctionInfo* info, const Params& params);

  const FunctionInfo* info_;
  Params params_;
  int kernel_;  // the vector kernel for info_ (an internal id)
  int zeros_;   // what the forward gives at +-0 (an internal id)
};

// Threads used for large arrays. 0 restores the default: SIGMA_NUM_THREADS if set, otherwise
// the hardware concurrency. At most 256 are used: larger requests (and larger SIGMA_NUM_THREADS)
// are clamped to it. Negative values, and a SIGMA_NUM_THREADS that is not a positive integer,
// throw sigma::Error. Pool threads left idle for two seconds exit.
void set_num_threads(int n);
int num_threads();

}  // namespace sigma
