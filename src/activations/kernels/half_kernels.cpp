// The 16-bit array paths' passes over a block (kernels.hpp, widen and narrow) and the clamps
// computed on the 16-bit patterns themselves. bfloat16 with integer operations on every target,
// binary16 with F16C where the target has it (AVX2 and AVX-512; kF16c) and with the scalar
// conversions of <sigma/half.hpp> elsewhere.
//
// Highway 1.0.3's DemoteTo to bfloat16 truncates, and its binary16 emulation (without F16C)
// truncates too and mishandles infinities, so neither is used; AVX512-BF16's VCVTNEPS2BF16
// flushes subnormals to zero, so the integer rounding stays on CPUs that have it as well.

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

HWY_BEFORE_NAMESPACE();
namespace sigma::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using DF = hn::ScalableTag<float>;
using DU = hn::RebindToUnsigned<DF>;
using DI = hn::RebindToSigned<DF>;
using D16 = hn::Rebind<uint16_t, DF>;
using VF = hn::Vec<DF>;
using VU = hn::Vec<DU>;
using MF = hn::Mask<DF>;

#if HWY_TARGET <= HWY_AVX2
constexpr bool kF16c = true;  // x86 targets from AVX2 on have F16C
#else
constexpr bool kF16c = false;
#endif

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

// A float vector's worth of 16-bit patterns at p, as floats (exactly). binary16 needs kF16c.
HWY_INLINE VF WidenHalf(HalfFormat format, const uint16_t* p) {
  const DF df;
  const auto bits = hn::LoadU(D16(), p);
  if (format == HalfFormat::kBFloat16) {
    return hn::BitCast(df, hn::ShiftLeft<16>(hn::PromoteTo(DU(), bits)));
  }
#if HWY_TARGET <= HWY_AVX2
  return hn::PromoteTo(df, hn::BitCast(hn::Rebind<hwy::float16_t, DF>(), bits));
#else
  return hn::Zero(df);          // unreachable: these targets widen binary16 in scalar code
#endif
}

// Patterns in 32-bit lanes stored as 16-bit values at p.
HWY_INLINE void StoreHalf(VU bits, uint16_t* p) {
  const D16 d16;
  hn::StoreU(hn::DemoteTo(d16, hn::BitCast(DI(), bits)), d16, p);
}

// bfloat16 of finite float bit patterns (or of magnitudes, NaN excluded), to nearest even:
// rounding a finite pattern never carries into the sign.
HWY_INLINE VU RoundBFloat16(VU pattern) {
  const DU du;
  const VU lsb = hn::And(hn::ShiftRight<16>(pattern), hn::Set(du, 1));
  return hn::ShiftRight<16>(hn::Add(pattern, hn::Add(hn::Set(du, 0x7FFF), lsb)));
}

// binary16 patterns of floats (F16C), widened to 32-bit lanes.
HWY_INLINE VU RoundFloat16(VF v) {
#if HWY_TARGET <= HWY_AVX2
  return hn::PromoteTo(DU(), hn::BitCast(D16(), hn::DemoteTo(hn::Rebind<hwy::float16_t, DF>(), v)));
#else
  return hn::BitCast(DU(), v);  // unreachable: these targets narrow binary16 in scalar code
#endif
}

// A rounding boundary of bfloat16 (a float pattern whose low 16 bits are 0x8000; float patterns
// are ordered as their values) within `steps` patterns of the finite float pattern u: then
// (u + steps - 0x8000) mod 2^16 < 2 steps + 1.
HWY_INLINE MF AmbiguousBFloat16(VU u, uint32_t steps) {
  const DU du;
  const DI di;
  const VU low = hn::And(hn::Add(u, hn::Set(du, steps - 0x8000u)), hn::Set(du, 0xFFFFu));
  return hn::RebindMask(
      DF(), hn::Lt(hn::BitCast(di, low), hn::Set(di, static_cast<int32_t>(2 * steps + 1))));
}

// Where a rounding boundary of binary16 lies within `steps` patterns of the float magnitude
// (F16C): the ends of that error interval round apart.
HWY_INLINE MF AmbiguousFloat16(VU magnitude, uint32_t steps) {
  const DU du;
  const VU step = hn::Set(du, steps);
  const VU lo = hn::Sub(hn::Max(magnitude, step), step);
  const VU hi = hn::Min(hn::Add(magnitude, step), hn::Set(du, 0x7F800000u));
  return hn::RebindMask(
      DF(), hn::Ne(RoundFloat16(hn::BitCast(DF(), lo)), RoundFloat16(hn::BitCast(DF(), hi))));
}

// |f'| <= |dy| 2^-125 for the backward's result v = dy f': f' in float's subnormal range.
HWY_INLINE MF SubnormalSlope(VF v, VF dy) {
  return hn::Le(hn::Mul(hn::Abs(v), hn::Set(DF(), 0x1p125f)), hn::Abs(dy));
}

// Narrow's result for one vector in every case (its rare path: a lane not finite, or, checking
// the slope, dy f' with f' in float's subnormal range): the patterns in 32-bit lanes and, in
// *flag, the lanes to recompute.
HWY_INLINE VU NarrowAny(HalfFormat format, VF v, VF dy, bool check_slope, uint32_t steps,
                        MF* flag) {
  const DF df;
  const DU du;
  const DI di;
  const VU step = hn::Set(du, steps), infinity = hn::Set(du, 0x7F800000u);
  const VU u = hn::BitCast(du, v);
  const VU magnitude = hn::And(u, hn::Set(du, 0x7FFFFFFFu));
  const VU sign = hn::ShiftRight<16>(hn::AndNot(hn::Set(du, 0x7FFFFFFFu), u));
  const auto finite =
      hn::RebindMask(df, hn::Lt(hn::BitCast(di, magnitude), hn::BitCast(di, infinity)));
  VU bits;
  MF ambiguous;
  if (format == HalfFormat::kBFloat16) {
    const VU nan = hn::Or(hn::ShiftRight<16>(u), hn::Set(du, 0x0040));
    const auto is_nan =
        hn::Gt(hn::BitCast(di, magnitude), hn::BitCast(di, infinity));  // magnitude < 2^31
    bits = hn::IfThenElse(hn::RebindMask(du, is_nan), nan, hn::Or(sign, RoundBFloat16(magnitude)));
    ambiguous = hn::And(finite, AmbiguousBFloat16(u, steps));
    if (check_slope) {
      // dy f'(x) where f'(x) lies in float's subnormal range (or underflowed to 0): there f' has
      // an absolute error of up to 4 * 2^-149 (the 4-ulp bound), which dy scales beyond what
      // `steps` covers, and bfloat16 shares float's exponent range. Flag the lane where a
      // boundary lies within that error taken four times over, |dy| 2^-145: 16 |dy| steps of
      // 2^-149, the least step of a float's bit pattern. In integers, since float arithmetic on
      // subnormals is slow.
      const VU wide = hn::Add(
          step, hn::BitCast(du, hn::ConvertTo(di, hn::Min(hn::Mul(hn::Abs(dy), hn::Set(df, 16.0f)),
                                                          hn::Set(df, 0x1p24f)))));
      const VU below = hn::Sub(hn::Max(magnitude, wide), wide);
      const VU above = hn::Min(hn::Add(magnitude, wide), infinity);
      const auto scaled_error_ambiguous =
          hn::RebindMask(df, hn::Ne(RoundBFloat16(below), RoundBFloat16(above)));
      ambiguous = hn::Or(ambiguous, hn::And(SubnormalSlope(v, dy), scaled_error_ambiguous));
    }
  } else {
    bits = RoundFloat16(v);
    ambiguous = hn::And(finite, AmbiguousFloat16(magnitude, steps));
  }
  // dy f'(x) where f'(x) overflowed float (or times dy = 0 made NaN) may still be finite.
  if (check_slope) ambiguous = hn::Or(ambiguous, hn::Not(finite));
  *flag = ambiguous;
  return bits;
}

// v (float results; dy their backward's, read where check_slope) rounded to nearest even in
// the format, in 32-bit lanes, and in *flag the lanes whose rounding may not be that of the exact
// result (kernels.hpp, narrow). A vector whose lanes are all finite (and, checking the slope,
// whose f' lies above float's subnormal range) takes the short path: bfloat16 rounded on the
// signed pattern itself, its check on the low 16 bits; binary16 by F16C, its check the rounding of
// the error interval's ends. Any other vector goes through NarrowAny.
template <HalfFormat kFormat>
HWY_INLINE VU NarrowHalf(VF v, VF dy, bool check_slope, uint32_t steps, MF* flag) {
  const DU du;
  const DI di;
  const VU u = hn::BitCast(du, v);
  const VU magnitude = hn::And(u, hn::Set(du, 0x7FFFFFFFu));
  auto rare = hn::Gt(hn::BitCast(di, magnitude), hn::Set(di, 0x7F7FFFFF));
  if (check_slope && kFormat == HalfFormat::kBFloat16) {
    rare = hn::Or(rare, hn::RebindMask(di, SubnormalSlope(v, dy)));
  }
  if (HWY_UNLIKELY(!hn::AllFalse(di, rare))) {
    return NarrowAny(kFormat, v, dy, check_slope, steps, flag);
  }
  if constexpr (kFormat == HalfFormat::kBFloat16) {
    *flag = AmbiguousBFloat16(u, steps);
    return RoundBFloat16(u);  // the signed pattern, finite
  }
  *flag = AmbiguousFloat16(magnitude, steps);
  return RoundFloat16(v);
}

// Appends to `flagged` the indices from i of the lanes in flag among the first count, and returns
// how many. `flagged` has room for a whole vector beyond them: the lanes are packed in a register
// and stored whole (a compressing store to memory is slow on AMD's Zen 4 and 5), and functions
// with exact results, such as hardsigmoid's (x + 3)/6, put many on a boundary.
HWY_INLINE size_t AppendFlagged(MF flag, size_t i, size_t count, uint32_t* flagged) {
  if (HWY_LIKELY(hn::AllFalse(DF(), flag))) return 0;
  const DU du;
  const auto real = hn::And(hn::RebindMask(du, flag), hn::FirstN(du, count));
  const VU indices = hn::Add(hn::Iota(du, 0), hn::Set(du, static_cast<uint32_t>(i)));
  hn::StoreU(hn::Compress(indices, real), du, flagged);
  return hn::CountTrue(du, real);
}

// Narrow's loop for one format.
template <HalfFormat kFormat>
size_t NarrowLoop(const float* in, const float* dy, uint16_t* out, size_t n, uint32_t steps,
                  uint32_t* flagged) {
  const DF df;
  const bool check_slope = dy != nullptr;
  size_t count_flagged = 0;
  ForEachVector(df, n, in, dy, out,
                [&](size_t i, size_t count, const float* from, const float* from_dy, uint16_t* to) {
                  const VF v = hn::LoadU(df, from);
                  MF flag;
                  StoreHalf(NarrowHalf<kFormat>(v, check_slope ? hn::LoadU(df, from_dy) : v,
                                                check_slope, steps, &flag),
                            to);
                  count_flagged += AppendFlagged(flag, i, count, flagged + count_flagged);
                });
  return count_flagged;
}

void Widen(HalfFormat format, const uint16_t* in, float* out, size_t n) {
  if (format == HalfFormat::kFloat16 && !kF16c) {
    for (size_t i = 0; i < n; ++i) out[i] = detail::float_from_float16_bits(in[i]);
    return;
  }
  const DF df;
  ForEachVector(df, n, in, static_cast<const uint16_t*>(nullptr), out,
                [&](size_t, size_t, const uint16_t* from, const uint16_t*, float* to) {
                  hn::StoreU(WidenHalf(format, from), df, to);
                });
}

size_t Narrow(HalfFormat format, const float* in, const float* dy, uint16_t* out, size_t n,
              uint32_t steps, uint32_t* flagged) {
  if (format == HalfFormat::kFloat16 && !kF16c) {
    size_t count_flagged = 0;
    for (size_t i = 0; i < n; ++i) {
      const uint32_t u = std::bit_cast<uint32_t>(in[i]), a = u & 0x7FFFFFFFu;
      out[i] = detail::float16_bits_from_float(in[i]);
      if (a >= 0x7F800000u) {
        if (dy != nullptr) flagged[count_flagged++] = static_cast<uint32_t>(i);
        continue;
      }
      const uint32_t lo = a > steps ? a - steps : 0, hi = std::min(a + steps, 0x7F800000u);
      if (detail::float16_bits_from_float(std::bit_cast<float>(lo)) !=
          detail::float16_bits_from_float(std::bit_cast<float>(hi))) {
        flagged[count_flagged++] = static_cast<uint32_t>(i);
      }
    }
    return count_flagged;
  }
  if (format == HalfFormat::kBFloat16) {
    return NarrowLoop<HalfFormat::kBFloat16>(in, dy, out, n, steps, flagged);
  }
  return NarrowLoop<HalfFormat::kFloat16>(in, dy, out, n, steps, flagged);
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

std::size_t narrow(HalfFormat format, const float* in, const float* dy, std::uint16_t* out,
                   std::size_t n, std::uint32_t steps, std::uint32_t* flagged) {
  return HWY_DYNAMIC_DISPATCH(Narrow)(format, in, dy, out, n, steps, flagged);
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
