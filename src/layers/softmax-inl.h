// Vector kernels along a row, shared by softmax.cpp and losses.cpp: a scaled exponential for
// arguments <= 0 and the passes of softmax, log_softmax and the softmax cross-entropies.
// foreach_target.h re-includes this file once per Highway target.

// Target-independent types, defined once.
#ifndef SIGMA_SRC_SOFTMAX_INL_TYPES_
#define SIGMA_SRC_SOFTMAX_INL_TYPES_

#include <cstddef>

namespace sigma::detail {

// Sum of exp(x - max) * 2^64 over a row, split so that log_softmax of a dominant entry stays
// accurate: `at_max` counts the entries equal to the maximum (each contributes exactly 2^64) and
// `rest` sums the others. log(sum exp(x - max)) = log(at_max) + log1p(rest 2^-64 / at_max).
struct SplitExpSum {
  double rest = 0;
  std::size_t at_max = 0;
};

// The scaled exponential returns e^x * 2^kExpScaleLog2 so that terms that would be subnormal
// keep their precision until the final division; a row sum never overflows with it (2^64 times
// the row length stays far below the largest float).
inline constexpr int kExpScaleLog2 = 64;
inline constexpr double kExpScale = 0x1p64;
inline constexpr double kExpUnscale = 0x1p-64;

}  // namespace sigma::detail

#endif  // SIGMA_SRC_SOFTMAX_INL_TYPES_

#if defined(SIGMA_SRC_SOFTMAX_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef SIGMA_SRC_SOFTMAX_INL_H_
#undef SIGMA_SRC_SOFTMAX_INL_H_
#else
#define SIGMA_SRC_SOFTMAX_INL_H_
#endif

#include <hwy/cache_control.h>
#include <hwy/contrib/math/math-inl.h>
#include <hwy/highway.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>

HWY_BEFORE_NAMESPACE();
namespace sigma::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Partial vectors are summed in T over blocks of this many vectors and the block sums in double,
// so the rounding error of a sum grows with the block, not with the row (50,000 classes in float
// would otherwise lose about 10 bits).
inline constexpr std::size_t kBlockVectors = 16;

// ---- Tails: the last Lanes(d) - 1 elements of a row, never touching memory past its end ----

// Loads `count` < Lanes(d) elements; the other lanes are 0.
template <class D>
HWY_INLINE hn::Vec<D> LoadTail(D d, const hn::TFromD<D>* HWY_RESTRICT p, std::size_t count) {
#if HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX2
  // AVX2 and AVX-512 masked loads do not fault on the masked-off lanes.
  return hn::MaskedLoad(hn::FirstN(d, count), d, p);
#else
  // Highway 1.0.3's MaskedLoad reads a whole vector on these targets.
  HWY_ALIGN hn::TFromD<D> buffer[hn::MaxLanes(d)] = {};
  std::memcpy(buffer, p, count * sizeof(*p));
  return hn::Load(d, buffer);
#endif
}

template <class D>
HWY_INLINE void StoreTail(D d, hn::Vec<D> v, hn::TFromD<D>* HWY_RESTRICT p, std::size_t count) {
#if HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX2
  hn::BlendedStore(v, hn::FirstN(d, count), d, p);
#else
  HWY_ALIGN hn::TFromD<D> buffer[hn::MaxLanes(d)];
  hn::Store(v, d, buffer);
  std::memcpy(p, buffer, count * sizeof(*p));
#endif
}

// ---- The scaled exponential ----

template <class T>
struct ExpConstants;

// Cephes' expf polynomial (the one Highway's Exp uses), max error about 1 ulp on
// [-ln2/2, ln2/2]. Below -191 ln 2 the exponent field of the scale reaches 0, so the result is
// exactly +0: the true value is under 2^-127 of a row maximum's 2^64, far below float's
// resolution of a sum and below half the smallest subnormal once divided.
template <>
struct ExpConstants<float> {
  static constexpr float kMinArg = -132.3f;  // rounds to n = -191
  static constexpr float kLog2e = 1.44269504088896341f;
  static constexpr float kShifter = 0x1.8p23f;  // adding it rounds to an integer in the low bits
  static constexpr float kLn2Hi = 0.693145751953125f;
  static constexpr float kLn2Lo = 1.428606765330187045e-6f;
  static constexpr int kMantissaBits = 23;
  static constexpr int kScaledBias = 127 + detail::kExpScaleLog2;
  static constexpr float kPoly[] = {1.9875691500e-4f,
                                    1.3981999507e-3f,
                                    8.3334519073e-3f,
                                    4.1665795894e-2f,
                                    1.6666665459e-1f,
                                    5.0000001201e-1f,
                                    1.0f,
                                    1.0f};
};

// Highway's double Exp polynomial (a Taylor-like fit of degree 12, within 1 ulp on
// [-ln2/2, ln2/2]) and fdlibm's split of ln 2. Below -1087 ln 2 the result is exactly +0.
template <>
struct ExpConstants<double> {
  static constexpr double kMinArg = -753.4;  // rounds to n = -1087
  static constexpr double kLog2e = 1.4426950408889634074;
  static constexpr double kShifter = 0x1.8p52;
  static constexpr double kLn2Hi = 0x1.62e42fee00000p-1;
  static constexpr double kLn2Lo = 0x1.a39ef35793c76p-33;
  static constexpr int kMantissaBits = 52;
  static constexpr int kScaledBias = 1023 + detail::kExpScaleLog2;
  static constexpr double kPoly[] = {2.08860621107283687536341e-9,
                                     2.51112930892876518610661e-8,
                                     2.75573911234900471893338e-7,
                                     2.75572362911928827629423e-6,
                                     2.4801587159235472998791e-5,
                                     0.000198412698960509205564975,
                                     0.00138888888889774492207962,
                                     0.00833333333331652721664984,
                                     0.0416666666666665047591422,
                                     0.166666666666666851703837,
                                     0.5,
                                     1.0,
                                     1.0};
};

// e^x * 2^64 for x <= 0 (also correct up to x = 40), within about 2 ulp; exactly +0 for x below
// ExpConstants<T>::kMinArg and for x = -inf. NaN gives an unspecified value: callers screen NaN.
// Steps: reduce x = n ln2 + r with |r| <= ln2/2, approximate e^r, scale by 2^(n + 64) built
// directly in the exponent field.
template <class D>
HWY_INLINE hn::Vec<D> ScaledExp(D d, hn::Vec<D> x) {
  using T = hn::TFromD<D>;
  using C = ExpConstants<T>;
  const hn::RebindToSigned<D> di;
  x = hn::Max(x, hn::Set(d, C::kMinArg));
  const auto shifted = hn::MulAdd(x, hn::Set(d, C::kLog2e), hn::Set(d, C::kShifter));
  const auto n = hn::Sub(shifted, hn::Set(d, C::kShifter));
  auto r = hn::NegMulAdd(n, hn::Set(d, C::kLn2Hi), x);
  r = hn::NegMulAdd(n, hn::Set(d, C::kLn2Lo), r);
  auto p = hn::Set(d, C::kPoly[0]);
  for (std::size_t k = 1; k < std::size(C::kPoly); ++k)
    p = hn::MulAdd(p, r, hn::Set(d, C::kPoly[k]));
  // The low bits of `shifted` hold n in two's complement; shifting them into the exponent field
  // drops the shifter's own bits.
  using TI = hn::TFromD<decltype(di)>;
  const auto exponent =
      hn::Add(hn::ShiftLeft<C::kMantissaBits>(hn::BitCast(di, shifted)),
              hn::Set(di, static_cast<TI>(TI{C::kScaledBias} << C::kMantissaBits)));
  return hn::Mul(p, hn::BitCast(d, exponent));
}

// ScaledExp(x - m) with x - m formed exactly: TwoSum gives the rounding error of t = x - m,
// and e^(t + err) = e^t (1 + err). Without it the rounding of x - m alone costs |x - m| 2^-24
// relative (32 ulp at x - m = -64). neg_m is -m. Lanes where x - m is -inf (x = -inf, or an
// overflow) carry a NaN error, which is dropped: their result is 0 either way.
template <class D>
HWY_INLINE hn::Vec<D> ScaledExpOfDifference(D d, hn::Vec<D> x, hn::Vec<D> m, hn::Vec<D> neg_m) {
  const auto t = hn::Sub(x, m);
  const auto m_part = hn::Sub(t, x);
  auto err = hn::Add(hn::Sub(x, hn::Sub(t, m_part)), hn::Sub(neg_m, m_part));
  err = hn::IfThenZeroElse(hn::IsNaN(err), err);
  const auto e = ScaledExp(d, t);
  return hn::MulAdd(e, err, e);
}

// a = log1p(a) for `count` doubles, vectorised (Highway's Log1p, within 2 ulp).
inline void Log1pInPlace(double* a, std::size_t count) {
  const hn::ScalableTag<double> dd;
  const std::size_t N = hn::Lanes(dd);
  std::size_t i = 0;
  for (; i + N <= count; i += N) hn::StoreU(hn::Log1p(dd, hn::LoadU(dd, a + i)), dd, a + i);
  if (i < count) StoreTail(dd, hn::Log1p(dd, LoadTail(dd, a + i, count - i)), a + i, count - i);
}

// ---- Blocked sums ----

// Sums f(i) over the full vectors i = 0, N, 2N, ... below `full` (a multiple of N): in T within
// blocks of kBlockVectors vectors, in double across blocks with Neumaier's compensation (a few
// scalar operations per block), so that long rows of doubles lose no more than short ones.
// f is called once per i, in order.
template <class D, class F>
HWY_INLINE double BlockedSum(D d, std::size_t full, F&& f) {
  const std::size_t N = hn::Lanes(d);
  double total = 0, compensation = 0;
  std::size_t i = 0;
  while (i < full) {
    const std::size_t end = std::min(full, i + kBlockVectors * N);
    auto a0 = hn::Zero(d), a1 = hn::Zero(d), a2 = hn::Zero(d), a3 = hn::Zero(d);
    for (; i + 4 * N <= end; i += 4 * N) {
      a0 = hn::Add(a0, f(i));
      a1 = hn::Add(a1, f(i + N));
      a2 = hn::Add(a2, f(i + 2 * N));
      a3 = hn::Add(a3, f(i + 3 * N));
    }
    for (; i < end; i += N) a0 = hn::Add(a0, f(i));
    const double block = static_cast<double>(
        hn::GetLane(hn::SumOfLanes(d, hn::Add(hn::Add(a0, a1), hn::Add(a2, a3)))));
    const double sum = total + block;
    compensation +=
        std::fabs(total) >= std::fabs(block) ? (total - sum) + block : (block - sum) + total;
    total = sum;
  }
  return total + compensation;
}

template <class D>
HWY_INLINE double SumLanes(D d, hn::Vec<D> v) {
  return static_cast<double>(hn::GetLane(hn::SumOfLanes(d, v)));
}

// ---- Row passes ----

// The maximum of a row (kMin: the minimum), and whether the fast path applies: every entry is
// finite (or, with kAllowInfinite, -inf; kMin: +inf) and the extremum is finite. The check is a
// plain sum of the row, which is NaN or +inf (kMin: -inf) exactly when an entry is NaN or +inf,
// or when huge finite entries overflow; the slow path then decides.
template <bool kMin, class D, bool kAllowInfinite = true>
HWY_INLINE bool RowExtremum(D d, const hn::TFromD<D>* HWY_RESTRICT x, std::size_t n,
                            hn::TFromD<D>* extremum) {
  using T = hn::TFromD<D>;
  const std::size_t N = hn::Lanes(d);
  const auto start =
      hn::Set(d, kMin ? std::numeric_limits<T>::infinity() : -std::numeric_limits<T>::infinity());
  const auto pick = [](auto a, auto b) HWY_ATTR { return kMin ? hn::Min(a, b) : hn::Max(a, b); };
  auto m0 = start, m1 = start, m2 = start, m3 = start;
  auto s0 = hn::Zero(d), s1 = hn::Zero(d);
  std::size_t i = 0;
  for (; i + 4 * N <= n; i += 4 * N) {
    const auto v0 = hn::LoadU(d, x + i), v1 = hn::LoadU(d, x + i + N);
    const auto v2 = hn::LoadU(d, x + i + 2 * N), v3 = hn::LoadU(d, x + i + 3 * N);
    m0 = pick(m0, v0);
    m1 = pick(m1, v1);
    m2 = pick(m2, v2);
    m3 = pick(m3, v3);
    s0 = hn::Add(s0, hn::Add(v0, v1));
    s1 = hn::Add(s1, hn::Add(v2, v3));
  }
  for (; i + N <= n; i += N) {
    const auto v = hn::LoadU(d, x + i);
    m0 = pick(m0, v);
    s0 = hn::Add(s0, v);
  }
  if (i < n) {
    const auto v = LoadTail(d, x + i, n - i);
    m1 = pick(m1, hn::IfThenElse(hn::FirstN(d, n - i), v, start));
    s1 = hn::Add(s1, v);
  }
  const auto m = pick(pick(m0, m1), pick(m2, m3));
  const T value = hn::GetLane(kMin ? hn::MinOfLanes(d, m) : hn::MaxOfLanes(d, m));
  const T check = hn::GetLane(hn::SumOfLanes(d, hn::Add(s0, s1)));
  *extremum = value;
  constexpr T kBad =
      kMin ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::infinity();
  if constexpr (!kAllowInfinite) return std::isfinite(value) && std::isfinite(check);
  return std::isfinite(value) && !std::isnan(check) && check != kBad;
}

// What ExpSum writes to its output row, element by element.
enum class ExpSumStore {
  kNothing,
  kTerm,        // the scaled exponential (softmax: the unnormalised probability)
  kDifference,  // x - m (log_softmax subtracts the log of the sum from it afterwards)
};

// Sums ScaledExp(x - m) (kMin: m - x) over a row and writes what kStore says to `out` (which
// may be x itself). kSplit leaves the terms at the maximum (each exactly 2^64, and stored as
// such) out of the sum and counts them instead (without it, `rest` is the whole sum). Writing
// during this pass, the one bound by arithmetic, hides the cost of bringing `out` into the cache.
// `prefetch` (the next row, or nullptr) is fetched into L2 meanwhile, so that the next row's first
// pass finds it there.
template <bool kMin, ExpSumStore kStore, bool kSplit, class D>
HWY_INLINE detail::SplitExpSum ExpSum(D d, const hn::TFromD<D>* x, std::size_t n, hn::TFromD<D> m,
                                      hn::TFromD<D>* out, const hn::TFromD<D>* prefetch) {
  using T = hn::TFromD<D>;
  const std::size_t N = hn::Lanes(d);
  const auto mv = hn::Set(d, m);
  const auto neg_m = hn::Neg(mv);
  std::size_t at_max = 0;
  // `out` is null where nothing is stored, so it is offset only in the branch that stores.
  const auto term = [&](hn::Vec<D> v, std::size_t at, std::size_t lanes) HWY_ATTR {
    const auto y =
        kMin ? ScaledExpOfDifference(d, mv, v, hn::Neg(v)) : ScaledExpOfDifference(d, v, mv, neg_m);
    if constexpr (kStore != ExpSumStore::kNothing) {
      const auto stored = kStore == ExpSumStore::kTerm ? y : kMin ? hn::Sub(mv, v) : hn::Sub(v, mv);
      if (lanes == N) {
        hn::StoreU(stored, d, out + at);
      } else {
        StoreTail(d, stored, out + at, lanes);
      }
    }
    if constexpr (kSplit) {
      const auto is_max = hn::Eq(v, mv);
      at_max += hn::CountTrue(d, is_max);
      return hn::IfThenZeroElse(is_max, y);
    }
    return y;
  };
  // Prefetch once per cache line.
  constexpr std::size_t kLine = 64 / sizeof(T);
  const std::size_t full = n - n % N;
  double sum = BlockedSum(d, full, [&](std::size_t i) HWY_ATTR {
    if (prefetch != nullptr && i % kLine == 0) __builtin_prefetch(prefetch + i, 0, 2);
    return term(hn::LoadU(d, x + i), i, N);
  });
  if (full < n) {
    // Lanes past the end read as -inf (kMin: +inf), whose term is exactly 0 and not a maximum.
    const auto past_end =
        hn::Set(d, kMin ? std::numeric_limits<T>::infinity() : -std::numeric_limits<T>::infinity());
    const auto v =
        hn::IfThenElse(hn::FirstN(d, n - full), LoadTail(d, x + full, n - full), past_end);
    sum += SumLanes(d, term(v, full, n - full));
  }
  return {sum, at_max};
}

// y = e * factor.
template <class D>
HWY_INLINE void ScaleRow(D d, const hn::TFromD<D>* e, std::size_t n, hn::TFromD<D> factor,
                         hn::TFromD<D>* y) {
  const std::size_t N = hn::Lanes(d);
  const auto f = hn::Set(d, factor);
  std::size_t i = 0;
  for (; i + 2 * N <= n; i += 2 * N) {
    hn::StoreU(hn::Mul(hn::LoadU(d, e + i), f), d, y + i);
    hn::StoreU(hn::Mul(hn::LoadU(d, e + i + N), f), d, y + i + N);
  }
  for (; i + N <= n; i += N) hn::StoreU(hn::Mul(hn::LoadU(d, e + i), f), d, y + i);
  if (i < n) StoreTail(d, hn::Mul(LoadTail(d, e + i, n - i), f), y + i, n - i);
}

// y = (x - m) - c with non-temporal stores: for outputs much larger than the caches, writing
// around them saves reading each line of y from memory before overwriting it. Call
// hwy::FlushStream() before the results are read by another thread.
template <class D>
HWY_INLINE void StreamLogRow(D d, const hn::TFromD<D>* x, std::size_t n, hn::TFromD<D> m,
                             hn::TFromD<D> c, hn::TFromD<D>* y) {
  using T = hn::TFromD<D>;
  const std::size_t N = hn::Lanes(d);
  const auto mv = hn::Set(d, m), cv = hn::Set(d, c);
  const auto one = [&](hn::Vec<D> v) HWY_ATTR { return hn::Sub(hn::Sub(v, mv), cv); };
  // Stream needs aligned addresses: plain stores up to the first aligned one (all of them if y
  // is not even aligned to its element type).
  const std::size_t vector_bytes = N * sizeof(T);
  const std::size_t offset = reinterpret_cast<std::uintptr_t>(y) % vector_bytes;
  const bool can_stream = offset % sizeof(T) == 0;
  std::size_t i = 0;
  const std::size_t head =
      can_stream ? std::min(n, (vector_bytes - offset) % vector_bytes / sizeof(T)) : 0;
  if (head > 0) {
    StoreTail(d, one(LoadTail(d, x, head)), y, head);
    i = head;
  }
  for (; i + N <= n; i += N) {
    if (can_stream) {
      hn::Stream(one(hn::LoadU(d, x + i)), d, y + i);
    } else {
      hn::StoreU(one(hn::LoadU(d, x + i)), d, y + i);
    }
  }
  if (i < n) StoreTail(d, one(LoadTail(d, x + i, n - i)), y + i, n - i);
}

// y = y - c.
template <class D>
HWY_INLINE void SubtractFromRow(D d, hn::TFromD<D>* y, std::size_t n, hn::TFromD<D> c) {
  const std::size_t N = hn::Lanes(d);
  const auto cv = hn::Set(d, c);
  std::size_t i = 0;
  for (; i + 2 * N <= n; i += 2 * N) {
    hn::StoreU(hn::Sub(hn::LoadU(d, y + i), cv), d, y + i);
    hn::StoreU(hn::Sub(hn::LoadU(d, y + i + N), cv), d, y + i + N);
  }
  for (; i + N <= n; i += N) hn::StoreU(hn::Sub(hn::LoadU(d, y + i), cv), d, y + i);
  if (i < n) StoreTail(d, hn::Sub(LoadTail(d, y + i, n - i), cv), y + i, n - i);
}

// The first index i < n with x[i] == value, or n.
template <class D>
HWY_INLINE std::size_t FindFirstEqual(D d, const hn::TFromD<D>* x, std::size_t n,
                                      hn::TFromD<D> value) {
  const std::size_t N = hn::Lanes(d);
  const auto v = hn::Set(d, value);
  std::size_t i = 0;
  for (; i + N <= n; i += N) {
    const intptr_t lane = hn::FindFirstTrue(d, hn::Eq(hn::LoadU(d, x + i), v));
    if (lane >= 0) return i + static_cast<std::size_t>(lane);
  }
  for (; i < n; ++i) {
    if (x[i] == value) return i;
  }
  return n;
}

// log(sum exp(x - m)) = log1p(LogSumArgument(s)): the entries at the maximum contribute
// at_max = 1 + (at_max - 1), so one log1p serves rows with and without ties.
inline double LogSumArgument(const detail::SplitExpSum& s) {
  return static_cast<double>(s.at_max - 1) + s.rest * detail::kExpUnscale;
}

}  // namespace sigma::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // SIGMA_SRC_SOFTMAX_INL_H_
