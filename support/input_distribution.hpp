// The inputs that speed is measured on, by `sigma bench`, `sigma report` and
// bench/activation_bench (tools/distribution_text.hpp reads and names them): floats drawn from a
// normal N(0, S) or a uniform U[A, B) from a fixed seed. A network's pre-activations look like the
// normals; sigma's table paths cover |x| < 8, so N(0, 1) stays on them and N(0, 16) mostly leaves
// them, and a speed measured on one spread alone would hide the other paths.
//
// The draws are the same on every machine and standard library: a splitmix64 stream of 53-bit
// uniforms and, for the normal, the Box-Muller transform, in double, rounded once to float.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <vector>

namespace sigma::cli {

struct InputDistribution {
  enum class Kind { kNormal, kUniform };
  Kind kind = Kind::kNormal;
  double a = 1;  // normal: the standard deviation S; uniform: the lower end A
  double b = 0;  // uniform: the upper end B (not drawn)
};

// The seeds of the arrays speed is measured on, and where dy is drawn from; shared by `sigma
// bench` and bench/activation_bench, so that both time the same arrays.
constexpr std::uint64_t kInputSeed = 1;     // x
constexpr std::uint64_t kGradientSeed = 2;  // dy
constexpr InputDistribution kGradientDistribution{InputDistribution::Kind::kNormal, 1, 0};

namespace detail {

// splitmix64 (Steele, Lea and Flood), one 64-bit step.
inline std::uint64_t SplitMix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15u);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  return z ^ (z >> 31);
}

// A double uniform on [0, 1), in steps of 2^-53.
inline double Uniform01(std::uint64_t& state) {
  return static_cast<double>(SplitMix64(state) >> 11) * 0x1p-53;
}

}  // namespace detail

// `count` floats drawn from `d`, the same for the same seed everywhere. The normal draws for
// different S from one seed are the same standard normals scaled by S (exactly, for S a power
// of 2), so spreads compare on the same draws.
inline std::vector<float> DrawInputs(const InputDistribution& d, std::size_t count,
                                     std::uint64_t seed) {
  std::vector<float> values(count);
  std::uint64_t state = seed;
  if (d.kind == InputDistribution::Kind::kUniform) {
    for (float& v : values) {
      v = static_cast<float>(d.a + (d.b - d.a) * detail::Uniform01(state));
      if (v >= static_cast<float>(d.b)) v = std::nextafter(static_cast<float>(d.b), -INFINITY);
    }
    return values;
  }
  for (std::size_t i = 0; i < count; i += 2) {
    const double radius = std::sqrt(-2 * std::log(1 - detail::Uniform01(state)));  // 1 - u > 0
    const double angle = 2 * std::numbers::pi * detail::Uniform01(state);
    values[i] = static_cast<float>(d.a * radius * std::cos(angle));
    if (i + 1 < count) values[i + 1] = static_cast<float>(d.a * radius * std::sin(angle));
  }
  return values;
}

}  // namespace sigma::cli
