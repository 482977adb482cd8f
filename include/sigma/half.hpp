// sigma::bfloat16 and sigma::float16: 16-bit storage types for the array methods of
// sigma::Activation (and the softmax family), with exact conversions to float and correctly
// rounded conversions from float and double.
//
//   std::vector<sigma::bfloat16> x = ..., y(x.size());
//   sigma::Activation::parse("gelu").forward(x, y);  // each y[i] is gelu(x[i]) correctly rounded
//
// Both are plain 16-bit patterns (trivially copyable, the layout of PyTorch's, numpy's and
// oneDNN's types), so an array of them may be reinterpreted from any such tensor's memory.
// Conversions from float and double round to nearest, ties to even, once (a double is never
// rounded to float first); values beyond the largest finite one give infinity; NaN stays a quiet
// NaN with its sign and leading payload bits; signed zeros and subnormals are kept.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>

namespace sigma {

namespace detail {

// hi + lo (an unevaluated sum, |lo| far below float's ulp of hi; lo = 0 for a double) rounded to
// float towards an odd last bit when inexact ("round to odd"): rounding that float again to
// nearest with at most 22 bits of precision gives the sum's own rounding, which is how the 16-bit
// formats convert from double (or beyond) without rounding twice.
inline float round_to_odd_float(double hi, double lo = 0) noexcept {
  float f = static_cast<float>(hi);
  const double above = (hi - static_cast<double>(f)) + lo;  // hi - f is exact; NaN for NaN, inf
  if (above != 0 && !std::isnan(above) && (std::bit_cast<std::uint32_t>(f) & 1) == 0) {
    f = std::nextafter(f, above > 0 ? INFINITY : -INFINITY);
  }
  return f;
}

// float -> bfloat16 bits, to nearest even with integer operations (a float's upper half).
constexpr std::uint16_t bfloat16_bits_from_float(float v) noexcept {
  const std::uint32_t u = std::bit_cast<std::uint32_t>(v);
  if ((u & 0x7FFFFFFFu) > 0x7F800000u) return static_cast<std::uint16_t>((u >> 16) | 0x0040u);
  return static_cast<std::uint16_t>((u + 0x7FFFu + ((u >> 16) & 1u)) >> 16);
}

// float -> IEEE binary16 bits, to nearest even; subnormal below 2^-14, infinite from 65520 on.
constexpr std::uint16_t float16_bits_from_float(float v) noexcept {
  const std::uint32_t u = std::bit_cast<std::uint32_t>(v);
  const std::uint32_t sign = (u >> 16) & 0x8000u, a = u & 0x7FFFFFFFu;
  std::uint32_t h;
  if (a > 0x7F800000u) {
    h = 0x7E00u | ((a >> 13) & 0x3FFu);  // quiet NaN, payload kept
  } else if (a >= 0x477FF000u) {         // 65520, halfway from 65504 to 2^16: infinity
    h = 0x7C00u;
  } else if (a >= 0x38800000u) {  // normal: round at bit 13, then rebias 127 -> 15
    h = (a + 0xFFFu + ((a >> 13) & 1u) - 0x38000000u) >> 13;
  } else {  // subnormal: adding 1/2 rounds to a multiple of 2^-24 (the ulp of [1/2, 1))
    h = std::bit_cast<std::uint32_t>(std::bit_cast<float>(a) + 0.5f) - 0x3F000000u;
  }
  return static_cast<std::uint16_t>(sign | h);
}

constexpr float float_from_float16_bits(std::uint16_t h) noexcept {
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
  const std::uint32_t exponent = (h >> 10) & 0x1Fu, mantissa = h & 0x3FFu;
  if (exponent == 0x1F) return std::bit_cast<float>(sign | 0x7F800000u | (mantissa << 13));
  if (exponent == 0) {
    const float magnitude = static_cast<float>(mantissa) * 0x1p-24f;  // exact
    return std::bit_cast<float>(sign | std::bit_cast<std::uint32_t>(magnitude));
  }
  return std::bit_cast<float>(sign | ((exponent + 112) << 23) | (mantissa << 13));
}

}  // namespace detail

// Google Brain's bfloat16: float32's sign and 8-bit exponent with 8 bits of precision.
struct bfloat16 {
  std::uint16_t bits = 0;

  bfloat16() = default;
  explicit bfloat16(float v) noexcept : bits(detail::bfloat16_bits_from_float(v)) {}
  explicit bfloat16(double v) noexcept
      : bits(detail::bfloat16_bits_from_float(detail::round_to_odd_float(v))) {}
  static constexpr bfloat16 from_bits(std::uint16_t b) noexcept {
    bfloat16 h;
    h.bits = b;
    return h;
  }
  explicit operator float() const noexcept {
    return std::bit_cast<float>(static_cast<std::uint32_t>(bits) << 16);
  }
  explicit operator double() const noexcept { return static_cast<float>(*this); }
};

// IEEE 754 binary16: 5-bit exponent, 11 bits of precision, largest finite value 65504.
struct float16 {
  std::uint16_t bits = 0;

  float16() = default;
  explicit float16(float v) noexcept : bits(detail::float16_bits_from_float(v)) {}
  explicit float16(double v) noexcept
      : bits(detail::float16_bits_from_float(detail::round_to_odd_float(v))) {}
  static constexpr float16 from_bits(std::uint16_t b) noexcept {
    float16 h;
    h.bits = b;
    return h;
  }
  explicit operator float() const noexcept { return detail::float_from_float16_bits(bits); }
  explicit operator double() const noexcept { return static_cast<float>(*this); }
};

static_assert(sizeof(bfloat16) == 2 && sizeof(float16) == 2);

}  // namespace sigma
