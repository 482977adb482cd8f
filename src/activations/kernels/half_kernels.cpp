// The 16-bit array paths' passes over a block (kernels.hpp, widen and narrow), for the kernels
// that run_half does not take in one pass, and the clamps computed on the 16-bit patterns
// themselves. The conversions are half-inl.h's; binary16 without F16C goes through the scalar
// conversions of <sigma/half.hpp>.

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <sigma/half.hpp>

#include "activations/kernels/kernels.hpp"

// clang-format off
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "activations/kernels/half_kernels.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
// clang-format on
#include "activations/kernels/half-inl.h"

HWY_BEFORE_NAMESPACE();
namespace sigma::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Applies body(i, count, in, dy, out) a vector of d's lanes at a time: to full vectors in place,
// then to the tail (fewer than a vector's lanes) through zero-padded buffers, never reading or
// writing past n.
template <class D, class In, class Out, class Body>
HWY_INLINE void ForEachVector(D d, size_t n, const In* in, const In* dy, Out* out, Body&& body) {
  const size_t lanes = hn::Lanes(d);
  size_t i = 0;
  for (; i + lanes <= n; i += lanes) {
    body(i, lanes, in + i, dy == nullptr ? nullptr : dy + i, out + i);
  }
  if (i == n) return;
  constexpr size_t kMaxLanes = HWY_MAX_BYTES / sizeof(hn::TFromD<D>);
  HWY_ALIGN In part_in[kMaxLanes] = {};
  HWY_ALIGN In part_dy[kMaxLanes] = {};
  HWY_ALIGN Out part_out[kMaxLanes];
  std::memcpy(part_in, in + i, (n - i) * sizeof(In));
  if (dy != nullptr) std::memcpy(part_dy, dy + i, (n - i) * sizeof(In));
  body(i, n - i, part_in, dy == nullptr ? nullptr : part_dy, part_out);
  std::memcpy(out + i, part_out, (n - i) * sizeof(Out));
}

// Narrow's loop for one format, two vectors at a time while two remain.
template <HalfFormat kFormat>
size_t NarrowLoop(const float* result, const float* x, const float* dy, uint16_t* out, size_t n,
                  const HalfNarrowing& narrowing) {
  const DF df;
  const size_t lanes = hn::Lanes(df);
  HalfNarrower<kFormat> narrower(narrowing);
  // dy where the op reads it, else x (read, never used).
  const float* g = dy != nullptr ? dy : x;
  size_t i = 0;
  for (; i + 2 * lanes <= n; i += 2 * lanes) {
    narrower.Pair(i, hn::LoadU(df, x + i), hn::LoadU(df, g + i), hn::LoadU(df, result + i),
                  hn::LoadU(df, x + i + lanes), hn::LoadU(df, g + i + lanes),
                  hn::LoadU(df, result + i + lanes), out + i);
  }
  for (; i < n; i += lanes) {  // the last vectors through padded buffers, never past n
    const size_t count = std::min(lanes, n - i);
    HWY_ALIGN float part[3][HWY_MAX_BYTES / sizeof(float)] = {};
    HWY_ALIGN uint16_t part_out[HWY_MAX_BYTES / sizeof(float)];
    std::memcpy(part[0], x + i, count * sizeof(float));
    std::memcpy(part[1], g + i, count * sizeof(float));
    std::memcpy(part[2], result + i, count * sizeof(float));
    narrower.One(i, count, hn::Load(df, part[0]), hn::Load(df, part[1]), hn::Load(df, part[2]),
                 part_out);
    std::memcpy(out + i, part_out, count * sizeof(uint16_t));
  }
  return narrower.count();
}

void Widen(HalfFormat format, const uint16_t* in, float* out, size_t n) {
  if (format == HalfFormat::kFloat16 && !kF16c) {
    for (size_t i = 0; i < n; ++i) out[i] = detail::float_from_float16_bits(in[i]);
    return;
  }
  const DF df;
  const size_t lanes = hn::Lanes(df);
  size_t i = 0;
  for (; i + 2 * lanes <= n; i += 2 * lanes) {
    VF lo, hi;
    WidenHalfPair(format, in + i, &lo, &hi);
    hn::StoreU(lo, df, out + i);
    hn::StoreU(hi, df, out + i + lanes);
  }
  ForEachVector(df, n - i, in + i, static_cast<const uint16_t*>(nullptr), out + i,
                [&](size_t, size_t, const uint16_t* from, const uint16_t*, float* to) {
                  hn::StoreU(WidenHalf(format, from), df, to);
                });
}

size_t Narrow(HalfFormat format, const float* result, const float* x, const float* dy,
              uint16_t* out, size_t n, const HalfNarrowing& narrowing) {
  if (format == HalfFormat::kFloat16 && !kF16c) {
    size_t count = 0;
    for (size_t i = 0; i < n; ++i) {
      const uint32_t u = std::bit_cast<uint32_t>(result[i]), a = u & 0x7FFFFFFFu;
      out[i] = detail::float16_bits_from_float(result[i]);
      bool flag;
      if (a >= 0x7F800000u) {
        flag = narrowing.check_slope;
      } else {
        const uint32_t lo = a > narrowing.steps ? a - narrowing.steps : 0,
                       hi = std::min(a + narrowing.steps, 0x7F800000u);
        flag = detail::float16_bits_from_float(std::bit_cast<float>(lo)) !=
               detail::float16_bits_from_float(std::bit_cast<float>(hi));
      }
      if (flag) {
        narrowing.index[count] = static_cast<uint32_t>(i);
        narrowing.x[count] = x[i];
        if (narrowing.dy != nullptr) narrowing.dy[count] = dy[i];
        ++count;
      }
    }
    return count;
  }
  if (format == HalfFormat::kBFloat16) {
    return NarrowLoop<HalfFormat::kBFloat16>(result, x, dy, out, n, narrowing);
  }
  return NarrowLoop<HalfFormat::kFloat16>(result, x, dy, out, n, narrowing);
}

// The clamps computed on the bit patterns themselves (kernels.hpp, exact_half): f = min(max(x,
// lo), hi) for patterns lo and hi of the format, f' = 1 strictly between them (beyond an open
// end too), else +0; dy f' as float gives it (dy, or dy times +0: a zero with dy's sign, and for
// an infinite dy the hardware's inf * 0, default_nan_bits). NaN in x passes through quieted, as
// float's narrowing quiets it.
void ClampHalf(Op op, HalfFormat format, uint16_t lo, uint16_t hi, bool open_below, bool open_above,
               uint16_t default_nan_bits, const uint16_t* a, const uint16_t* dy, uint16_t* out,
               size_t n) {
  using D = hn::ScalableTag<int16_t>;
  using V = hn::Vec<D>;
  const D d;
  const bool bf16 = format == HalfFormat::kBFloat16;
  // bfloat16's quiet bit is 0x0040, binary16's 0x0200.
  const V quiet = hn::Set(d, static_cast<int16_t>(bf16 ? 0x0040 : 0x0200));
  const V infinity = hn::Set(d, static_cast<int16_t>(bf16 ? 0x7F80 : 0x7C00));
  const V default_nan = hn::Set(d, static_cast<int16_t>(default_nan_bits));
  const V one = hn::Set(d, static_cast<int16_t>(bf16 ? 0x3F80 : 0x3C00));
  const V magnitude_bits = hn::Set(d, 0x7FFF);
  const V sign_bit = hn::Set(d, static_cast<int16_t>(0x8000));
  // Sign and magnitude to an int16 ordered as the values (-0 just below +0): negative patterns
  // have their magnitude bits flipped.
  const auto key = [&](V x) { return hn::Xor(x, hn::And(hn::ShiftRight<15>(x), magnitude_bits)); };
  const auto is_nan = [&](V x) { return hn::Gt(hn::And(x, magnitude_bits), infinity); };
  const V lo_bits = hn::Set(d, static_cast<int16_t>(lo)),
          hi_bits = hn::Set(d, static_cast<int16_t>(hi));
  const V lo_key = key(lo_bits), hi_key = key(hi_bits);
  const auto result = [&](V x, V g) {
    const V k = key(x);
    V r;
    if (op == Op::kForward) {
      r = hn::IfThenElse(hn::Lt(k, lo_key), lo_bits, hn::IfThenElse(hn::Gt(k, hi_key), hi_bits, x));
    } else {
      auto inside = open_below ? hn::Not(is_nan(x)) : hn::Gt(k, lo_key);
      if (!open_above) inside = hn::And(inside, hn::Lt(k, hi_key));
      if (op == Op::kDerivative) {
        r = hn::IfThenElseZero(inside, one);
      } else {
        const auto g_nan = is_nan(g);
        const V g_quiet = hn::IfThenElse(g_nan, hn::Or(g, quiet), g);
        const auto g_infinite = hn::Eq(hn::And(g, magnitude_bits), infinity);
        const V g_times_zero = hn::IfThenElse(
            g_nan, g_quiet, hn::IfThenElse(g_infinite, default_nan, hn::And(g, sign_bit)));
        r = hn::IfThenElse(inside, g_quiet, g_times_zero);
      }
    }
    return hn::IfThenElse(is_nan(x), hn::Or(x, quiet), r);
  };
  const bool with_dy = op == Op::kBackward || op == Op::kBackwardFromOutput;
  ForEachVector(d, n, a, with_dy ? dy : nullptr, out,
                [&](size_t, size_t, const uint16_t* from, const uint16_t* from_dy, uint16_t* to) {
                  const V x = hn::LoadU(d, reinterpret_cast<const int16_t*>(from));
                  const V g = with_dy ? hn::LoadU(d, reinterpret_cast<const int16_t*>(from_dy)) : x;
                  hn::StoreU(result(x, g), d, reinterpret_cast<int16_t*>(to));
                });
}

}  // namespace sigma::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace sigma::kernels {

HWY_EXPORT(Widen);
HWY_EXPORT(Narrow);
HWY_EXPORT(ClampHalf);

void widen(HalfFormat format, const std::uint16_t* in, float* out, std::size_t n) {
  HWY_DYNAMIC_DISPATCH(Widen)(format, in, out, n);
}

std::size_t narrow(HalfFormat format, const float* result, const float* x, const float* dy,
                   std::uint16_t* out, std::size_t n, const HalfNarrowing& narrowing) {
  return HWY_DYNAMIC_DISPATCH(Narrow)(format, result, x, dy, out, n, narrowing);
}

bool exact_half(KernelId id, Op op, const Params& params, HalfFormat format, const std::uint16_t* a,
                const std::uint16_t* dy, std::uint16_t* out, std::size_t n) {
  const bool bf16 = format == HalfFormat::kBFloat16;
  // float to the format's pattern, rounded to nearest even.
  const auto bits_of = [&](float f) { return bf16 ? bfloat16(f).bits : float16(f).bits; };
  // The format's pattern of v, if v is one of its values.
  const auto pattern = [&](double v, std::uint16_t* bits) {
    *bits = bits_of(static_cast<float>(v));
    const float back = bf16 ? static_cast<float>(bfloat16::from_bits(*bits))
                            : static_cast<float>(float16::from_bits(*bits));
    return static_cast<double>(back) == v;
  };
  const std::uint16_t infinity = bf16 ? 0x7F80 : 0x7C00;
  std::uint16_t lo = infinity | 0x8000, hi = infinity;  // identity
  bool open_below = false, open_above = false;
  switch (id) {
    case KernelId::k_identity:
      open_below = open_above = true;
      break;
    case KernelId::k_relu:
      lo = 0;
      open_above = true;  // relu'(+inf) = 1
      break;
    case KernelId::k_relu6:
      lo = 0;
      pattern(6.0, &hi);  // 6 is a value of both formats
      break;
    case KernelId::k_hardtanh:
      // Both bounds values of the format, and ordered.
      if (!pattern(params[0], &lo) || !pattern(params[1], &hi) || !(params[0] <= params[1])) {
        return false;
      }
      break;
    default:
      return false;
  }
  // inf * 0 as this CPU's float arithmetic gives it (x86: a negative quiet NaN, Arm: positive),
  // computed at run time: a compiler would fold the constant its own way.
  static volatile float zero = 0;
  const float default_nan = std::numeric_limits<float>::infinity() * zero;
  HWY_DYNAMIC_DISPATCH(ClampHalf)
  (op, format, lo, hi, open_below, open_above, bits_of(default_nan), a, dy, out, n);
  return true;
}

}  // namespace sigma::kernels
#endif  // HWY_ONCE
