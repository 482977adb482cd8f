#include "measure.hpp"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>

#include "support/float_sweep.hpp"

namespace sigma::cli {
namespace {

void Update(WorstError& worst, double error, float x) {
  if (error > worst.ulp) {
    worst.ulp = error;
    worst.input = x;
  }
}

using Clock = std::chrono::steady_clock;

// The median time in seconds of `runs` calls of `fn`, after one untimed call that brings the
// data into cache and the code into the instruction cache.
template <class Fn>
double MedianSeconds(int runs, Fn fn) {
  fn();
  std::vector<double> seconds;
  for (int i = 0; i < runs; ++i) {
    const auto start = Clock::now();
    fn();
    seconds.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  }
  std::nth_element(seconds.begin(), seconds.begin() + runs / 2, seconds.end());
  return seconds[static_cast<std::size_t>(runs / 2)];
}

double GigaPerSecond(std::size_t elements, double seconds) {
  return static_cast<double>(elements) / seconds / 1e9;
}

std::vector<float> UniformFloats(std::size_t count, float lo, float hi, std::uint32_t seed) {
  std::mt19937 random(seed);
  std::uniform_real_distribution<float> uniform(lo, hi);
  std::vector<float> values(count);
  for (float& v : values) v = uniform(random);
  return values;
}

}  // namespace

std::vector<float> AccuracyInputs(std::size_t count) {
  std::vector<float> x;
  const std::uint64_t stride = (std::uint64_t{1} << 32) / count;
  // An odd offset, so that the samples are not all round numbers such as 0 and 2.
  const std::uint64_t offset = 0x9E3779B9u % stride;
  for (std::uint64_t i = 0; i < count; ++i) {
    const float v = std::bit_cast<float>(static_cast<std::uint32_t>(i * stride + offset));
    if (std::isfinite(v)) x.push_back(v);
  }
  const std::size_t grid = std::max<std::size_t>(count / 16, 2);
  for (std::size_t i = 0; i < grid; ++i) {
    x.push_back(static_cast<float>(-10 + 20 * static_cast<double>(i) / (grid - 1)));
  }
  return x;
}

AccuracyResult MeasureAccuracy(const Activation& act, const std::vector<float>& x) {
  std::vector<float> y(x.size()), d(x.size());
  act.forward(x, y);
  act.derivative(x, d);
  AccuracyResult result;
  for (std::size_t i = 0; i < x.size(); ++i) {
    Update(result.forward, UlpError(y[i], act.reference(x[i])), x[i]);
    Update(result.derivative, UlpError(d[i], act.reference_derivative(x[i])), x[i]);
  }
  return result;
}

SpeedInputs DrawSpeedInputs(const std::vector<InputDistribution>& distributions,
                            std::size_t elements) {
  SpeedInputs inputs{distributions, {}, DrawInputs(kGradientDistribution, elements, kGradientSeed)};
  for (const InputDistribution& d : distributions) {
    inputs.x.push_back(DrawInputs(d, elements, kInputSeed));
  }
  return inputs;
}

namespace {

template <class T>
Speeds MeasureSpeedOf(const Activation& act, const SpeedInputs& inputs, int runs) {
  const std::size_t elements = inputs.dy.size();
  const auto convert = [](const std::vector<float>& v) {
    if constexpr (std::is_same_v<T, float>) {
      return v;
    } else {
      std::vector<T> h(v.size());
      for (std::size_t i = 0; i < v.size(); ++i) h[i] = T(v[i]);
      return h;
    }
  };
  const std::vector<T> dy = convert(inputs.dy);
  std::vector<T> out(elements);
  Speeds speeds;
  speeds.slowest = {INFINITY, INFINITY};
  for (const std::vector<float>& x_float : inputs.x) {
    const std::vector<T> x = convert(x_float);
    SpeedResult r;
    r.forward = GigaPerSecond(elements, MedianSeconds(runs, [&] { act.forward(x, out); }));
    r.backward = GigaPerSecond(elements, MedianSeconds(runs, [&] { act.backward(x, dy, out); }));
    speeds.each.push_back(r);
    speeds.slowest.forward = std::min(speeds.slowest.forward, r.forward);
    speeds.slowest.backward = std::min(speeds.slowest.backward, r.backward);
  }
  if (speeds.each.empty()) speeds.slowest = {};
  return speeds;
}

}  // namespace

Speeds MeasureSpeed(const Activation& act, const SpeedInputs& inputs, int runs,
                    std::string_view dtype) {
  if (dtype == "bf16") return MeasureSpeedOf<bfloat16>(act, inputs, runs);
  if (dtype == "f16") return MeasureSpeedOf<float16>(act, inputs, runs);
  return MeasureSpeedOf<float>(act, inputs, runs);
}

double MeasureCopy(std::size_t elements, int runs, std::size_t element_bytes) {
  const std::vector<float> from =
      UniformFloats(elements * element_bytes / sizeof(float) + 1, -10, 10, 3);
  std::vector<float> to(from.size());
  volatile float sink = 0;
  const double seconds = MedianSeconds(runs, [&] {
    std::memcpy(to.data(), from.data(), elements * element_bytes);
    sink = to[to.size() / 2];  // keeps the copy from being optimised away
  });
  return GigaPerSecond(elements, seconds);
}

}  // namespace sigma::cli
