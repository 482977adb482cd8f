// Measures the error of sigma's array paths in ulp against the MPFR oracle, shared by the
// accuracy test (sampled, in CI) and the accuracy sweep tool (dense, by hand).
#pragma once

#include <cstdint>
#include <sigma/sigma.hpp>
#include <string>
#include <vector>

namespace sigma::test {

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

// Runs act.forward and act.derivative over x and compares each element with the oracle, using
// `threads` threads for the oracle calls.
Accuracy measure(const Activation& act, const std::vector<float>& x, int threads);
Accuracy measure(const Activation& act, const std::vector<double>& x, int threads);

}  // namespace sigma::test
