// The 16-bit paths' conversions per vector (kernels.hpp: widen, narrow, run_half): a vector of
// bfloat16 or binary16 patterns widened to floats exactly, and float results rounded back to
// nearest even with the lanes whose rounding may not be that of the exact result flagged.
// bfloat16 with integer operations on every target, binary16 with F16C where the target has it
// (AVX2 and AVX-512; kF16c).
//
// Highway 1.0.3's DemoteTo to bfloat16 truncates, and its binary16 emulation (without F16C)
// truncates too and mishandles infinities, so neither is used; AVX512-BF16's VCVTNEPS2BF16
// flushes subnormals to zero, so the integer rounding stays on CPUs that have it as well.

#if defined(SIGMA_KERNELS_HALF_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef SIGMA_KERNELS_HALF_INL_H_
#undef SIGMA_KERNELS_HALF_INL_H_
#else
#define SIGMA_KERNELS_HALF_INL_H_
#endif

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <sigma/half.hpp>

#include "activations/kernels/common-inl.h"
#include "activations/kernels/kernels.hpp"
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace sigma::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using DU = hn::RebindToUnsigned<DF>;
using DI = hn::RebindToSigned<DF>;
using D16 = hn::Rebind<uint16_t, DF>;
using VU = hn::Vec<DU>;

#if HWY_TARGET <= HWY_AVX2
constexpr bool kF16c = true;  // x86 targets from AVX2 on have F16C
#else
constexpr bool kF16c = false;
#endif

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
  return hn::Zero(df);  // unreachable: these targets widen binary16 in scalar code
#endif
}

// Two float vectors' worth of 16-bit patterns at p, as floats (exactly), in *lo and *hi. On
// AVX-512, bfloat16 takes one permute per vector with the low halves zeroed (instead of a widening
// and a shift).
HWY_INLINE void WidenHalfPair(HalfFormat format, const uint16_t* p, VF* lo, VF* hi) {
#if HWY_TARGET <= HWY_AVX3
  if (format == HalfFormat::kBFloat16) {
    // Lane 2k + 1 of a result takes pattern k of its half (the even lanes are zeroed).
    alignas(64) static constexpr uint16_t kLow[32] = {0,  0,  1,  1,  2,  2,  3,  3,  4,  4,  5,
                                                      5,  6,  6,  7,  7,  8,  8,  9,  9,  10, 10,
                                                      11, 11, 12, 12, 13, 13, 14, 14, 15, 15};
    alignas(64) static constexpr uint16_t kHigh[32] = {16, 16, 17, 17, 18, 18, 19, 19, 20, 20, 21,
                                                       21, 22, 22, 23, 23, 24, 24, 25, 25, 26, 26,
                                                       27, 27, 28, 28, 29, 29, 30, 30, 31, 31};
    const __m512i bits = _mm512_loadu_si512(p);
    constexpr __mmask32 kOdd = 0xAAAAAAAAu;
    *lo = VF{
        _mm512_castsi512_ps(_mm512_maskz_permutexvar_epi16(kOdd, _mm512_load_si512(kLow), bits))};
    *hi = VF{
        _mm512_castsi512_ps(_mm512_maskz_permutexvar_epi16(kOdd, _mm512_load_si512(kHigh), bits))};
    return;
  }
#endif
  *lo = WidenHalf(format, p);
  *hi = WidenHalf(format, p + hn::Lanes(DF()));
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

// binary16 patterns of floats (F16C).
HWY_INLINE hn::Vec<D16> RoundFloat16Half(VF v) {
#if HWY_TARGET <= HWY_AVX2
  return hn::BitCast(D16(), hn::DemoteTo(hn::Rebind<hwy::float16_t, DF>(), v));
#else
  (void)v;
  return hn::Zero(D16());  // unreachable: these targets narrow binary16 in scalar code
#endif
}

// The same, widened to 32-bit lanes.
HWY_INLINE VU RoundFloat16(VF v) { return hn::PromoteTo(DU(), RoundFloat16Half(v)); }

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

#if HWY_TARGET != HWY_SCALAR
// Two full vectors of float results r0 and r1 rounded to the format and packed into *packed (16-bit
// lanes, dh), where no lane needs more (the common case): no NaN (NarrowHalf quiets it), no
// infinity where check_slope (an overflowed f' is recomputed), none within `steps` patterns of a
// rounding boundary, none with a slope in float's subnormal range (check_slope, bfloat16). False,
// and *packed unset, otherwise.
template <HalfFormat kFormat, class DH>
HWY_INLINE bool PackPair(DH dh, VF r0, VF r1, VF dy0, VF dy1, uint32_t steps, bool check_slope,
                         hn::Vec<DH>* packed) {
  const DF df;
  const MF special = check_slope ? hn::Not(hn::And(hn::IsFinite(r0), hn::IsFinite(r1)))
                                 : hn::Or(hn::IsNaN(r0), hn::IsNaN(r1));
  if constexpr (kFormat == HalfFormat::kBFloat16) {
    // bfloat16 is the pattern's high half, rounded up where the low half lies above the midpoint
    // 0x8000 (never on it: that is within `steps`): both halves of both vectors gathered.
    const auto high = hn::ConcatOdd(dh, hn::BitCast(dh, r1), hn::BitCast(dh, r0));
    const auto low = hn::ConcatEven(dh, hn::BitCast(dh, r1), hn::BitCast(dh, r0));
    const auto ambiguous = hn::Lt(hn::Add(low, hn::Set(dh, static_cast<uint16_t>(steps - 0x8000u))),
                                  hn::Set(dh, static_cast<uint16_t>(2 * steps + 1)));
    MF unusual = special;
    if (check_slope) {
      unusual = hn::Or(unusual, hn::Or(SubnormalSlope(r0, dy0), SubnormalSlope(r1, dy1)));
    }
    if (!hn::AllFalse(dh, ambiguous) || !hn::AllFalse(df, unusual)) return false;
    *packed = hn::IfThenElse(hn::Gt(low, hn::Set(dh, 0x8000)), hn::Add(high, hn::Set(dh, 1)), high);
    return true;
  } else {
    // In binary16's normal range a float's 13 low bits are rounded off, so its boundaries are
    // the patterns whose low 13 bits are 0x1000 (the overflow threshold 65520 among them); below
    // it (0 < |r| < 2^-14) more are, and a pair with such a lane rounds the ends of its error
    // intervals instead (AmbiguousFloat16), which costs four conversions.
    if (!hn::AllFalse(df, special)) return false;
    const DU du;
    const VU m0 = hn::And(hn::BitCast(du, r0), hn::Set(du, 0x7FFFFFFFu));
    const VU m1 = hn::And(hn::BitCast(du, r1), hn::Set(du, 0x7FFFFFFFu));
    const auto subnormal = [&](VU m) {
      return hn::Lt(hn::Sub(m, hn::Set(du, 1)), hn::Set(du, 0x387FFFFFu));
    };
    const auto off_grid = [&](VU m) {
      const VU low = hn::And(hn::Add(m, hn::Set(du, steps - 0x1000u)), hn::Set(du, 0x1FFFu));
      return hn::RebindMask(df, hn::Lt(low, hn::Set(du, 2 * steps + 1)));
    };
    const MF ambiguous = HWY_LIKELY(hn::AllFalse(du, hn::Or(subnormal(m0), subnormal(m1))))
                             ? hn::Or(off_grid(m0), off_grid(m1))
                             : hn::Or(AmbiguousFloat16(m0, steps), AmbiguousFloat16(m1, steps));
    if (!hn::AllFalse(df, ambiguous)) return false;
    const hn::Half<DH> half;
    *packed = hn::Combine(dh, hn::BitCast(half, RoundFloat16Half(r1)),
                          hn::BitCast(half, RoundFloat16Half(r0)));
    return true;
  }
}
#endif  // HWY_TARGET != HWY_SCALAR

// Float results rounded to the format and stored (kernels.hpp, HalfNarrowing), the lanes whose
// rounding may not be that of the exact result handed back with their inputs. binary16 needs
// kF16c.
template <HalfFormat kFormat>
class HalfNarrower {
 public:
  explicit HalfNarrower(const HalfNarrowing& narrowing) : narrowing_(narrowing) {}

  // The results r of one vector of inputs x (and dy), its first `count` lanes those of elements
  // i on, stored to `to` (the whole vector's worth).
  HWY_INLINE void One(size_t i, size_t count, VF x, VF dy, VF r, uint16_t* to) {
    MF flag;
    StoreHalf(NarrowHalf<kFormat>(r, dy, narrowing_.check_slope, narrowing_.steps, &flag), to);
    if (HWY_LIKELY(hn::AllFalse(DF(), flag))) return;
    // The lanes are packed in a register and stored whole, which the arrays have room for (a
    // compressing store to memory is slow on AMD's Zen 4 and 5); functions with exact results,
    // such as hardsigmoid's (x + 3)/6, put many on a boundary.
    const DU du;
    const auto real = hn::And(hn::RebindMask(du, flag), hn::FirstN(du, count));
    const VU indices = hn::Add(hn::Iota(du, 0), hn::Set(du, static_cast<uint32_t>(i)));
    hn::StoreU(hn::Compress(indices, real), du, narrowing_.index + count_);
    const MF real_f = hn::RebindMask(DF(), real);
    hn::StoreU(hn::Compress(x, real_f), DF(), narrowing_.x + count_);
    if (narrowing_.dy != nullptr) {
      hn::StoreU(hn::Compress(dy, real_f), DF(), narrowing_.dy + count_);
    }
    count_ += hn::CountTrue(du, real);
  }

  // Two full vectors' results, elements i on, stored to `to`: where no lane is unusual (the
  // common case), rounded and packed together after one test.
  HWY_INLINE void Pair(size_t i, VF x0, VF dy0, VF r0, VF x1, VF dy1, VF r1, uint16_t* to) {
    const DF df;
    const size_t lanes = hn::Lanes(df);
#if HWY_TARGET != HWY_SCALAR
    const hn::Repartition<uint16_t, DF> dh;
    hn::Vec<decltype(dh)> packed;
    if (HWY_LIKELY(PackPair<kFormat>(dh, r0, r1, dy0, dy1, narrowing_.steps, narrowing_.check_slope,
                                     &packed))) {
      hn::StoreU(packed, dh, to);
      return;
    }
#endif
    One(i, lanes, x0, dy0, r0, to);
    One(i + lanes, lanes, x1, dy1, r1, to + lanes);
  }

  // How many lanes have been handed back.
  size_t count() const { return count_; }

 private:
  const HalfNarrowing narrowing_;  // a copy, which stores through its pointers cannot change
  size_t count_ = 0;
};

}  // namespace sigma::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // include guard
