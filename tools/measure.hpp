// What sigma report measures on the user's machine: the error of the float32 array paths in ulp
// and the throughput of forward and backward beside a memory copy.
#pragma once

#include <cstddef>
#include <sigma/activation.hpp>
#include <string_view>
#include <vector>

#include "support/input_distribution.hpp"

namespace sigma::cli {

struct WorstError {
  double ulp = 0;    // the largest error, in ulp (UlpError in float_sweep.hpp)
  double input = 0;  // an input where it occurs
};

struct AccuracyResult {
  WorstError forward, derivative;
};

// `count` finite floats spread evenly over the bit patterns (so every binade is sampled), then
// `count` / 16 on an even grid over [-10, 10], where activations change most.
std::vector<float> AccuracyInputs(std::size_t count);

// Error of Activation::forward and ::derivative in float against the double reference
// (Activation::reference, the library's accuracy oracle), in ulp of the float result. A NaN or an
// infinity that the reference also gives (after rounding to float) is no error; any other
// difference from one is an infinite error.
AccuracyResult MeasureAccuracy(const Activation& act, const std::vector<float>& x);

struct SpeedResult {
  double forward = 0;  // elements per second / 1e9
  double backward = 0;
};

// The arrays speed is measured on: x drawn from each distribution (all from kInputSeed) and dy
// from kGradientDistribution, `elements` floats each.
struct SpeedInputs {
  std::vector<InputDistribution> distributions;
  std::vector<std::vector<float>> x;  // x[i] from distributions[i]
  std::vector<float> dy;
};
SpeedInputs DrawSpeedInputs(const std::vector<InputDistribution>& distributions,
                            std::size_t elements);

struct Speeds {
  std::vector<SpeedResult> each;  // one per distribution
  SpeedResult slowest;            // the lowest forward and the lowest backward rate of them
};

// The median of `runs` timed calls (after one untimed) of forward and of backward over each of
// the inputs' x arrays, on sigma's threads.
// `dtype` "f32", or "bf16" / "f16": the same draws rounded to that format, timed on its arrays.
Speeds MeasureSpeed(const Activation& act, const SpeedInputs& inputs, int runs,
                    std::string_view dtype = "f32");

// memcpy of `elements` floats, as elements per second / 1e9: the rate at which any elementwise
// function that reads and writes memory once is bound to run.
double MeasureCopy(std::size_t elements, int runs, std::size_t element_bytes = sizeof(float));

}  // namespace sigma::cli
