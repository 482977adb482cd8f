// The random numbers of sigma's trainer: a SplitMix64 stream whose whole state is one integer, so
// that a checkpoint can hold it and every run with the same seed draws the same numbers.
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>

namespace sigma::nn::detail {

// Steele, Lea and Flood's SplitMix64 finaliser: a bijection of 64-bit words that mixes well
// enough to turn a counter into independent-looking draws.
constexpr std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// A seed for one purpose (initialisation, the shuffle of one epoch, one batch's dropout), so
// that the streams do not depend on how many numbers another purpose drew.
constexpr std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t purpose,
                                    std::uint64_t index = 0) {
  return mix64(mix64(seed ^ mix64(purpose + 0x9e3779b97f4a7c15ULL)) + index);
}

class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return mix64(state_);
  }
  // Uniform in [0, 1), 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1p-53; }
  // Uniform in [0, n) without modulo bias worth measuring (n is far below 2^32 here).
  std::uint64_t below(std::uint64_t n) {
    return static_cast<std::uint64_t>(uniform() * static_cast<double>(n));
  }
  // Standard normal by Box and Muller; 1 - u keeps the logarithm's argument in (0, 1].
  double normal() {
    const double u = 1.0 - uniform();
    const double v = uniform();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * std::numbers::pi * v);
  }

 private:
  std::uint64_t state_;
};

}  // namespace sigma::nn::detail
