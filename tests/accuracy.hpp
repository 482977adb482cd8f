// Measures the error of sigma's array paths in ulp against the MPFR oracle, shared by the
// accuracy test (sampled, in CI) and the accuracy sweep tool (dense, by hand).
#pragma once

#include <cstdint>
#include <sigma/sigma.hpp>
#include <string>
#include <vector>

namespace sigma::test {

// Every catalog function at its defaults, then the non-default parameter sets the accuracy tests
// measure too (specs for Activation::parse).
std::vector<std::string> accuracy_specs();

struct WorstCase {
  double ulp = 0;    // the largest error seen
  double input = 0;  // where
  double sum = 0;    // for the mean
  std::size_t count = 0;
  void add(double error, double x);
  void merge(const WorstCase& other);
  double mean() const { return count ? sum / static_cast<double>(count) : 0; }
};

struct Accuracy {
  WorstCase value, derivative;
};

// Float inputs: every `stride`-th bit pattern (finite ones only), plus the special points.
std::vector<float> float_inputs(std::uint64_t stride);
// Double inputs: `count` bit patterns spread over the whole double range, a dense grid on
// [-40, 40] and 24 inputs of each sign in every binade from 2^-30 to 2^12 (measure adds the
// special points).
std::vector<double> double_inputs(std::size_t count);
// Values where functions change regime: 0, kinks, parameter values, overflow thresholds and the
// ends of the float range, each with its neighbours.
std::vector<double> special_points(const Activation& act);

// The roots of f and of f' away from 0, where their terms cancel: the double kernels' own
// (src/activations/kernels/derivative_roots.hpp) and, for the periodic functions, a sample of k pi
// and (k + 1/2) pi out to the trig range, each with its negative where f or f' is odd or even.
std::vector<double> roots_of(const Activation& act);
// Inputs of type T within +-10^4 ulp of each root (every ulp out to 64, then steps growing by an
// eighth), and, for double, at relative distances 10^-12 .. 10^-2 from it, where cancellation
// still costs bits, and at 1,001 points across +-2 of it, where the kernels' windows end.
std::vector<float> float_root_windows(const Activation& act);
std::vector<double> double_root_windows(const Activation& act);

// Runs act.forward and act.derivative over x and compares each element with the oracle, using
// `threads` threads for the oracle calls.
Accuracy measure(const Activation& act, const std::vector<float>& x, int threads);
Accuracy measure(const Activation& act, const std::vector<double>& x, int threads);

}  // namespace sigma::test
