// softmax, log_softmax and softmin along an axis: argument checks, the split across threads, the
// scalar path for rows with NaN or infinities, and the per-target vector kernels (softmax-inl.h)
// behind Highway's runtime dispatch.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "layers/softmax.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "layers/softmax-inl.h"
#include "layers/softmax_scalar.hpp"

HWY_BEFORE_NAMESPACE();
namespace sigma::HWY_NAMESPACE {
namespace {

using detail::SoftmaxKind;

// Rows at a time for log_softmax, so that their logarithms are taken as one vector.
constexpr std::size_t kRowGroup = 16;
// Outputs at least this large are written with non-temporal stores where that saves traffic.
constexpr std::size_t kStreamBytes = std::size_t{64} << 20;

// Rows of n contiguous elements (the axis is the last one), each on its own. y may be x.
template <SoftmaxKind kKind, class T>
void ContiguousRows(const T* x, T* y, std::size_t rows, std::size_t n) {
  constexpr bool kMin = kKind == SoftmaxKind::kSoftmin;
  const hn::ScalableTag<T> d;
  if constexpr (kKind == SoftmaxKind::kLogSoftmax) {
    const bool stream = rows * n * sizeof(T) >= kStreamBytes;
    for (std::size_t r0 = 0; r0 < rows; r0 += kRowGroup) {
      const std::size_t count = std::min(kRowGroup, rows - r0);
      double log_sums[kRowGroup];
      T maxima[kRowGroup];
      bool fast[kRowGroup];
      for (std::size_t r = 0; r < count; ++r) {
        const T* xr = x + (r0 + r) * n;
        T* yr = y + (r0 + r) * n;
        const T* next = r0 + r + 1 < rows ? xr + n : nullptr;
        fast[r] = RowExtremum<false>(d, xr, n, &maxima[r]);
        log_sums[r] = 0;
        if (!fast[r]) {
          detail::softmax_row_scalar(kKind, xr, yr, n, 1);
        } else if (stream) {
          log_sums[r] = LogSumArgument(
              ExpSum<false, ExpSumStore::kNothing, true>(d, xr, n, maxima[r], yr, next));
        } else {
          log_sums[r] = LogSumArgument(
              ExpSum<false, ExpSumStore::kDifference, true>(d, xr, n, maxima[r], yr, next));
        }
      }
      Log1pInPlace(log_sums, count);
      for (std::size_t r = 0; r < count; ++r) {
        if (!fast[r]) continue;
        T* yr = y + (r0 + r) * n;
        if (stream) {
          StreamLogRow(d, x + (r0 + r) * n, n, maxima[r], static_cast<T>(log_sums[r]), yr);
        } else {
          SubtractFromRow(d, yr, n, static_cast<T>(log_sums[r]));
        }
      }
    }
    if (stream) hwy::FlushStream();
  } else {
    for (std::size_t r = 0; r < rows; ++r) {
      const T* xr = x + r * n;
      T* yr = y + r * n;
      T m;
      if (RowExtremum<kMin>(d, xr, n, &m)) {
        const T* next = r + 1 < rows ? xr + n : nullptr;
        const detail::SplitExpSum s =
            ExpSum<kMin, ExpSumStore::kTerm, false>(d, xr, n, m, yr, next);
        ScaleRow(d, yr, n, static_cast<T>(1 / s.rest), yr);
      } else {
        detail::softmax_row_scalar(kKind, xr, yr, n, 1);
      }
    }
  }
}

// Rows at most this many vectors long go through ShortRows.
constexpr std::size_t kShortRowVectors = 2;

// Short rows, Lanes(d) at a time with one row per lane: gathers replace the per-row reductions
// across lanes that would dominate a row of 10 classes. Returns how many rows it did (a multiple
// of Lanes(d)); a group with a NaN or an infinity goes through ContiguousRows.
template <SoftmaxKind kKind, class T>
std::size_t ShortRows(const T* x, T* y, std::size_t rows, std::size_t n) {
  constexpr bool kMin = kKind == SoftmaxKind::kSoftmin;
  constexpr T kInf = std::numeric_limits<T>::infinity();
  const hn::ScalableTag<T> d;
  const hn::RebindToSigned<decltype(d)> di;
  using V = hn::Vec<decltype(d)>;
  using TI = hn::TFromD<decltype(di)>;
  const std::size_t N = hn::Lanes(d);
  const auto index = hn::Mul(hn::Iota(di, 0), hn::Set(di, static_cast<TI>(n)));
  HWY_ALIGN T values[kShortRowVectors * hn::MaxLanes(d) * hn::MaxLanes(d)];
  const V zero = hn::Zero(d), inf = hn::Set(d, kInf);
  std::size_t g = 0;
  for (; g + N <= rows; g += N) {
    const T* xg = x + g * n;
    T* yg = y + g * n;
    V m = kMin ? inf : hn::Neg(inf), check = zero;
    for (std::size_t j = 0; j < n; ++j) {
      const V v = hn::GatherIndex(d, xg + j, index);
      hn::Store(v, d, values + j * N);
      m = kMin ? hn::Min(m, v) : hn::Max(m, v);
      check = hn::Add(check, v);
    }
    const auto bad = hn::Or(hn::Or(hn::IsNaN(check), hn::Eq(check, kMin ? hn::Neg(inf) : inf)),
                            hn::Or(hn::IsNaN(m), hn::Eq(hn::Abs(m), inf)));
    if (!hn::AllFalse(d, bad)) {
      ContiguousRows<kKind>(xg, yg, N, n);
      continue;
    }
    const V neg_m = hn::Neg(m);
    V sum0 = zero, sum1 = zero, at_max = zero;
    for (std::size_t j = 0; j < n; ++j) {
      const V v = hn::Load(d, values + j * N);
      V e;
      if constexpr (kKind == SoftmaxKind::kLogSoftmax) {
        const auto is_max = hn::Eq(v, m);
        at_max = hn::Add(at_max, hn::IfThenElseZero(is_max, hn::Set(d, T{1})));
        e = hn::IfThenZeroElse(is_max, ScaledExpOfDifference(d, v, m, neg_m));
      } else {
        e = kMin ? ScaledExpOfDifference(d, m, v, hn::Neg(v))
                 : ScaledExpOfDifference(d, v, m, neg_m);
        hn::Store(e, d, values + j * N);
      }
      if (j % 2) {
        sum1 = hn::Add(sum1, e);
      } else {
        sum0 = hn::Add(sum0, e);
      }
    }
    const V sum = hn::Add(sum0, sum1);
    if constexpr (kKind == SoftmaxKind::kLogSoftmax) {
      // log(at_max + rest) = log1p((at_max - 1) + rest), as LogSumArgument.
      const V c = hn::Log1p(d, hn::MulAdd(sum, hn::Set(d, T{detail::kExpUnscale}),
                                          hn::Sub(at_max, hn::Set(d, T{1}))));
      for (std::size_t j = 0; j < n; ++j) {
        const V v = hn::GatherIndex(d, xg + j, index);
        hn::ScatterIndex(hn::Sub(hn::Sub(v, m), c), d, yg + j, index);
      }
    } else {
      const V inverse = hn::Div(hn::Set(d, T{1}), sum);
      for (std::size_t j = 0; j < n; ++j) {
        hn::ScatterIndex(hn::Mul(hn::Load(d, values + j * N), inverse), d, yg + j, index);
      }
    }
  }
  return g;
}

template <SoftmaxKind kKind, class T>
void AnyRows(const T* x, T* y, std::size_t rows, std::size_t n) {
  const hn::ScalableTag<T> d;
  std::size_t done = 0;
  if (n <= kShortRowVectors * hn::Lanes(d)) done = ShortRows<kKind>(x, y, rows, n);
  ContiguousRows<kKind>(x + done * n, y + done * n, rows - done, n);
}

// Lanes [i0, i0 + lanes) of `length` rows along the axis, each row `inner` apart: the vectors run
// across the contiguous inner dimension, one row of the axis at a time.
template <class D, class T = hn::TFromD<D>>
struct StridedColumns {
  D d;
  const T* x;
  T* y;
  std::size_t inner, i0, lanes;

  hn::Vec<D> Load(const T* base, std::size_t j) const {
    const T* p = base + j * inner + i0;
    return lanes == hn::Lanes(d) ? hn::LoadU(d, p) : LoadTail(d, p, lanes);
  }
  hn::Vec<D> Input(std::size_t j) const { return Load(x, j); }
  hn::Vec<D> Output(std::size_t j) const { return Load(y, j); }
  void Store(hn::Vec<D> v, std::size_t j) const {
    T* p = y + j * inner + i0;
    if (lanes == hn::Lanes(d)) {
      hn::StoreU(v, d, p);
    } else {
      StoreTail(d, v, p, lanes);
    }
  }
};

// The columns' maxima (minima for softmin) in *m; false where a lane holds NaN or an infinity
// that the vector formulas do not take (the scalar rows do).
template <bool kMin, class D, class T = hn::TFromD<D>>
bool StridedExtremum(const StridedColumns<D>& c, std::size_t length, hn::Vec<D>* m) {
  constexpr T kInf = std::numeric_limits<T>::infinity();
  HWY_ALIGN T extremum[hn::MaxLanes(D())];
  HWY_ALIGN T check[hn::MaxLanes(D())];
  hn::Vec<D> e = hn::Set(c.d, kMin ? kInf : -kInf), sum = hn::Zero(c.d);
  for (std::size_t j = 0; j < length; ++j) {
    const hn::Vec<D> v = c.Input(j);
    e = kMin ? hn::Min(e, v) : hn::Max(e, v);
    sum = hn::Add(sum, v);
  }
  hn::Store(e, c.d, extremum);
  hn::Store(sum, c.d, check);
  *m = e;
  for (std::size_t l = 0; l < c.lanes; ++l) {
    if (!std::isfinite(extremum[l]) || std::isnan(check[l]) || check[l] == (kMin ? -kInf : kInf)) {
      return false;
    }
  }
  return true;
}

// Stores the exponentials (softmax, softmin) and returns in factor[] what finishes each lane:
// 1/sum, or for log_softmax log(sum). Sums in T over blocks of rows, in double across blocks
// (see kBlockVectors).
template <SoftmaxKind kKind, class D, class T = hn::TFromD<D>>
void StridedFactors(const StridedColumns<D>& c, std::size_t length, hn::Vec<D> m, T* factor) {
  constexpr bool kMin = kKind == SoftmaxKind::kSoftmin;
  constexpr bool kLog = kKind == SoftmaxKind::kLogSoftmax;
  using V = hn::Vec<D>;
  const std::size_t N = hn::Lanes(c.d);
  HWY_ALIGN T block_sum[hn::MaxLanes(D())];
  HWY_ALIGN T block_count[hn::MaxLanes(D())];
  double sums[hn::MaxLanes(D())] = {}, at_max[hn::MaxLanes(D())] = {};
  const V neg_m = hn::Neg(m);
  const V zero = hn::Zero(c.d), one = hn::Set(c.d, T{1});
  for (std::size_t j = 0; j < length;) {
    const std::size_t end = std::min(length, j + kBlockVectors);
    V sum = zero, count = zero;
    for (; j < end; ++j) {
      const V v = c.Input(j);
      V e = kMin ? ScaledExpOfDifference(c.d, m, v, hn::Neg(v))
                 : ScaledExpOfDifference(c.d, v, m, neg_m);
      if constexpr (kLog) {
        const auto is_max = hn::Eq(v, m);
        count = hn::Add(count, hn::IfThenElseZero(is_max, one));
        e = hn::IfThenZeroElse(is_max, e);
      } else {
        c.Store(e, j);
      }
      sum = hn::Add(sum, e);
    }
    hn::Store(sum, c.d, block_sum);
    hn::Store(count, c.d, block_count);
    for (std::size_t l = 0; l < N; ++l) {
      sums[l] += block_sum[l];
      at_max[l] += block_count[l];
    }
  }
  for (std::size_t l = 0; l < N; ++l) {
    if (l >= c.lanes) {
      factor[l] = 0;
    } else if constexpr (kLog) {
      factor[l] = static_cast<T>(std::log1p((at_max[l] - 1) + sums[l] * detail::kExpUnscale));
    } else {
      factor[l] = static_cast<T>(1 / sums[l]);
    }
  }
}

// Lanes [lane_begin, lane_end) of one block of `length` rows along the axis, each row `inner`
// apart.
template <SoftmaxKind kKind, class T>
void StridedLanes(const T* x, T* y, std::size_t length, std::size_t inner, std::size_t lane_begin,
                  std::size_t lane_end) {
  constexpr bool kMin = kKind == SoftmaxKind::kSoftmin;
  const hn::ScalableTag<T> d;
  using V = hn::Vec<decltype(d)>;
  const std::size_t N = hn::Lanes(d);
  HWY_ALIGN T factor[hn::MaxLanes(d)];
  for (std::size_t i0 = lane_begin; i0 < lane_end; i0 += N) {
    const StridedColumns<decltype(d)> c{d, x, y, inner, i0, std::min(N, lane_end - i0)};
    V m;
    if (!StridedExtremum<kMin>(c, length, &m)) {
      for (std::size_t l = 0; l < c.lanes; ++l) {
        detail::softmax_row_scalar(kKind, x + i0 + l, y + i0 + l, length, inner);
      }
      continue;
    }
    StridedFactors<kKind>(c, length, m, factor);
    const V f = hn::Load(d, factor);
    for (std::size_t j = 0; j < length; ++j) {
      if constexpr (kKind == SoftmaxKind::kLogSoftmax) {
        const V v = c.Input(j);
        c.Store(hn::Sub(kMin ? hn::Sub(m, v) : hn::Sub(v, m), f), j);
      } else {
        c.Store(hn::Mul(c.Output(j), f), j);
      }
    }
  }
}

// Backward over contiguous rows. softmax: dx = y (dy - <dy, y>); softmin: dx = y (<dy, y> - dy);
// log_softmax: dx = dy - exp(y) sum(dy).
template <SoftmaxKind kKind, class T>
void BackwardRows(const T* y, const T* dy, T* dx, std::size_t rows, std::size_t n) {
  const hn::ScalableTag<T> d;
  using V = hn::Vec<decltype(d)>;
  const std::size_t N = hn::Lanes(d);
  const std::size_t full = n - n % N;
  for (std::size_t r = 0; r < rows; ++r) {
    const T* yr = y + r * n;
    const T* dyr = dy + r * n;
    T* dxr = dx + r * n;
    std::size_t i = 0;
    if constexpr (kKind == SoftmaxKind::kLogSoftmax) {
      T unused_max;
      // exp(y) needs y <= 0 and no NaN: anything else (a NaN row) goes the scalar way.
      if (!RowExtremum<false>(d, yr, n, &unused_max) || unused_max > 0) {
        detail::log_softmax_backward_row_scalar(yr, dyr, dxr, n, 1);
        continue;
      }
      double sum =
          BlockedSum(d, full, [&](std::size_t k) HWY_ATTR { return hn::LoadU(d, dyr + k); });
      if (full < n) sum += SumLanes(d, LoadTail(d, dyr + full, n - full));
      const V s = hn::Set(d, static_cast<T>(sum)), unscale = hn::Set(d, T{detail::kExpUnscale});
      const auto one = [&](V yv, V dyv) HWY_ATTR {
        return hn::NegMulAdd(hn::Mul(ScaledExp(d, yv), unscale), s, dyv);
      };
      for (; i < full; i += N) {
        hn::StoreU(one(hn::LoadU(d, yr + i), hn::LoadU(d, dyr + i)), d, dxr + i);
      }
      if (i < n) {
        StoreTail(d, one(LoadTail(d, yr + i, n - i), LoadTail(d, dyr + i, n - i)), dxr + i, n - i);
      }
    } else {
      double dot = BlockedSum(d, full, [&](std::size_t k) HWY_ATTR {
        return hn::Mul(hn::LoadU(d, yr + k), hn::LoadU(d, dyr + k));
      });
      if (full < n) {
        dot += SumLanes(
            d, hn::Mul(LoadTail(d, yr + full, n - full), LoadTail(d, dyr + full, n - full)));
      }
      const V dotv = hn::Set(d, static_cast<T>(dot));
      const auto one = [&](V yv, V dyv) HWY_ATTR {
        return hn::Mul(yv,
                       kKind == SoftmaxKind::kSoftmin ? hn::Sub(dotv, dyv) : hn::Sub(dyv, dotv));
      };
      for (; i < full; i += N) {
        hn::StoreU(one(hn::LoadU(d, yr + i), hn::LoadU(d, dyr + i)), d, dxr + i);
      }
      if (i < n) {
        StoreTail(d, one(LoadTail(d, yr + i, n - i), LoadTail(d, dyr + i, n - i)), dxr + i, n - i);
      }
    }
  }
}

template <class T>
void ContiguousRowsAny(int kind, const T* x, T* y, std::size_t rows, std::size_t n) {
  switch (static_cast<SoftmaxKind>(kind)) {
    case SoftmaxKind::kSoftmax:
      return AnyRows<SoftmaxKind::kSoftmax>(x, y, rows, n);
    case SoftmaxKind::kLogSoftmax:
      return AnyRows<SoftmaxKind::kLogSoftmax>(x, y, rows, n);
    case SoftmaxKind::kSoftmin:
      return AnyRows<SoftmaxKind::kSoftmin>(x, y, rows, n);
  }
}

template <class T>
void StridedLanesAny(int kind, const T* x, T* y, std::size_t length, std::size_t inner,
                     std::size_t lane_begin, std::size_t lane_end) {
  switch (static_cast<SoftmaxKind>(kind)) {
    case SoftmaxKind::kSoftmax:
      return StridedLanes<SoftmaxKind::kSoftmax>(x, y, length, inner, lane_begin, lane_end);
    case SoftmaxKind::kLogSoftmax:
      return StridedLanes<SoftmaxKind::kLogSoftmax>(x, y, length, inner, lane_begin, lane_end);
    case SoftmaxKind::kSoftmin:
      return StridedLanes<SoftmaxKind::kSoftmin>(x, y, length, inner, lane_begin, lane_end);
  }
}

template <class T>
void BackwardRowsAny(int kind, const T* y, const T* dy, T* dx, std::size_t rows, std::size_t n) {
  switch (static_cast<SoftmaxKind>(kind)) {
    case SoftmaxKind::kSoftmax:
      return BackwardRows<SoftmaxKind::kSoftmax>(y, dy, dx, rows, n);
    case SoftmaxKind::kLogSoftmax:
      return BackwardRows<SoftmaxKind::kLogSoftmax>(y, dy, dx, rows, n);
    case SoftmaxKind::kSoftmin:
      return BackwardRows<SoftmaxKind::kSoftmin>(y, dy, dx, rows, n);
  }
}

}  // namespace

// The exported entry points: one per element type, the kind as an int (HWY_EXPORT needs plain
// functions with the same signature on every target).
void SoftmaxContiguousF32(int kind, const float* x, float* y, std::size_t rows, std::size_t n) {
  ContiguousRowsAny(kind, x, y, rows, n);
}
void SoftmaxContiguousF64(int kind, const double* x, double* y, std::size_t rows, std::size_t n) {
  ContiguousRowsAny(kind, x, y, rows, n);
}
void SoftmaxStridedF32(int kind, const float* x, float* y, std::size_t length, std::size_t inner,
                       std::size_t lane_begin, std::size_t lane_end) {
  StridedLanesAny(kind, x, y, length, inner, lane_begin, lane_end);
}
void SoftmaxStridedF64(int kind, const double* x, double* y, std::size_t length, std::size_t inner,
                       std::size_t lane_begin, std::size_t lane_end) {
  StridedLanesAny(kind, x, y, length, inner, lane_begin, lane_end);
}
void SoftmaxBackwardF32(int kind, const float* y, const float* dy, float* dx, std::size_t rows,
                        std::size_t n) {
  BackwardRowsAny(kind, y, dy, dx, rows, n);
}
void SoftmaxBackwardF64(int kind, const double* y, const double* dy, double* dx, std::size_t rows,
                        std::size_t n) {
  BackwardRowsAny(kind, y, dy, dx, rows, n);
}

}  // namespace sigma::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE

#include <algorithm>
#include <cmath>
#include <limits>
#include <sigma/error.hpp>
#include <sigma/softmax.hpp>
#include <type_traits>
#include <vector>

#include "common/shape.hpp"
#include "common/threads.hpp"

namespace sigma {

HWY_EXPORT(SoftmaxContiguousF32);
HWY_EXPORT(SoftmaxContiguousF64);
HWY_EXPORT(SoftmaxStridedF32);
HWY_EXPORT(SoftmaxStridedF64);
HWY_EXPORT(SoftmaxBackwardF32);
HWY_EXPORT(SoftmaxBackwardF64);

namespace detail {

template <class T>
void softmax_row_scalar(SoftmaxKind kind, const T* x, T* y, std::size_t n, std::size_t stride) {
  using W = Wide<T>;
  const W sign = kind == SoftmaxKind::kSoftmin ? -1 : 1;
  W m = -std::numeric_limits<W>::infinity();
  bool has_nan = false;
  for (std::size_t j = 0; j < n; ++j) {
    const W z = sign * static_cast<W>(x[j * stride]);
    has_nan = has_nan || std::isnan(z);
    m = std::max(m, z);
  }
  if (has_nan || !std::isfinite(m)) {
    for (std::size_t j = 0; j < n; ++j) y[j * stride] = std::numeric_limits<T>::quiet_NaN();
    return;
  }
  // The sum leaves out the entries at the maximum (each exactly 1) so that log_softmax of a
  // dominant entry is -log1p(rest), not the log of a rounded 1 + rest.
  W rest = 0;
  std::size_t at_max = 0;
  for (std::size_t j = 0; j < n; ++j) {
    const W t = sign * static_cast<W>(x[j * stride]) - m;
    if (t == 0) {
      ++at_max;
    } else {
      rest += std::exp(t);
    }
  }
  const W count = static_cast<W>(at_max);
  if (kind == SoftmaxKind::kLogSoftmax) {
    const W c = std::log(count) + std::log1p(rest / count);
    for (std::size_t j = 0; j < n; ++j) {
      y[j * stride] = static_cast<T>((static_cast<W>(x[j * stride]) - m) - c);
    }
  } else {
    const W sum = count + rest;
    for (std::size_t j = 0; j < n; ++j) {
      y[j * stride] = static_cast<T>(std::exp(sign * static_cast<W>(x[j * stride]) - m) / sum);
    }
  }
}

template <class T>
void log_softmax_backward_row_scalar(const T* y, const T* dy, T* dx, std::size_t n,
                                     std::size_t stride) {
  using W = Wide<T>;
  W sum = 0;
  for (std::size_t j = 0; j < n; ++j) sum += dy[j * stride];
  for (std::size_t j = 0; j < n; ++j) {
    dx[j * stride] = static_cast<T>(dy[j * stride] - std::exp(static_cast<W>(y[j * stride])) * sum);
  }
}

template void softmax_row_scalar(SoftmaxKind, const float*, float*, std::size_t, std::size_t);
template void softmax_row_scalar(SoftmaxKind, const double*, double*, std::size_t, std::size_t);
template void log_softmax_backward_row_scalar(const float*, const float*, float*, std::size_t,
                                              std::size_t);
template void log_softmax_backward_row_scalar(const double*, const double*, double*, std::size_t,
                                              std::size_t);

}  // namespace detail

namespace {

using detail::AxisLayout;
using detail::SoftmaxKind;

// Lanes of the inner dimension handed to one task when the axis is not the last.
constexpr std::size_t kLaneBlock = 256;

const char* kind_name(SoftmaxKind kind) {
  switch (kind) {
    case SoftmaxKind::kSoftmax:
      return "softmax";
    case SoftmaxKind::kLogSoftmax:
      return "log_softmax";
    case SoftmaxKind::kSoftmin:
      return "softmin";
  }
  return "";
}

template <class T>
void forward(SoftmaxKind kind, std::span<const T> x, std::span<T> y,
             std::span<const std::size_t> shape, int axis) {
  const char* op = kind_name(kind);
  const AxisLayout layout = detail::axis_layout(op, shape, "x", x.size(), axis);
  detail::check_same_size(op, "x", x.size(), "y", y.size());
  detail::check_no_partial_overlap(op, "y", y, "x", x);
  if (x.empty() || layout.length == 0) return;
  const int k = static_cast<int>(kind);
  if (layout.inner == 1) {
    detail::parallel_for(layout.outer, detail::min_units_per_chunk(layout.length),
                         [&](std::size_t begin, std::size_t end) {
                           const std::size_t offset = begin * layout.length;
                           if constexpr (std::is_same_v<T, float>) {
                             HWY_DYNAMIC_DISPATCH(SoftmaxContiguousF32)
                             (k, x.data() + offset, y.data() + offset, end - begin, layout.length);
                           } else {
                             HWY_DYNAMIC_DISPATCH(SoftmaxContiguousF64)
                             (k, x.data() + offset, y.data() + offset, end - begin, layout.length);
                           }
                         });
    return;
  }
  const std::size_t blocks = (layout.inner + kLaneBlock - 1) / kLaneBlock;
  const std::size_t block_elements = std::min(layout.inner, kLaneBlock) * layout.length;
  detail::parallel_for(layout.outer * blocks, detail::min_units_per_chunk(block_elements),
                       [&](std::size_t begin, std::size_t end) {
                         for (std::size_t task = begin; task < end; ++task) {
                           const std::size_t o = task / blocks, b = task % blocks;
                           const std::size_t offset = o * layout.length * layout.inner;
                           const std::size_t lane_end =
                               std::min(layout.inner, (b + 1) * kLaneBlock);
                           if constexpr (std::is_same_v<T, float>) {
                             HWY_DYNAMIC_DISPATCH(SoftmaxStridedF32)
                             (k, x.data() + offset, y.data() + offset, layout.length, layout.inner,
                              b * kLaneBlock, lane_end);
                           } else {
                             HWY_DYNAMIC_DISPATCH(SoftmaxStridedF64)
                             (k, x.data() + offset, y.data() + offset, layout.length, layout.inner,
                              b * kLaneBlock, lane_end);
                           }
                         }
                       });
}

// The axis is not the last: accumulate <dy, y> (or sum dy) for a block of inner lanes at once,
// walking each row of the axis contiguously, then form dx.
template <class T>
void backward_strided(SoftmaxKind kind, const T* y, const T* dy, T* dx, const AxisLayout& layout,
                      std::size_t lane_begin, std::size_t lane_end) {
  using W = detail::Wide<T>;
  std::vector<W> acc(lane_end - lane_begin);
  for (std::size_t j = 0; j < layout.length; ++j) {
    const std::size_t row = j * layout.inner;
    for (std::size_t i = lane_begin; i < lane_end; ++i) {
      acc[i - lane_begin] += kind == SoftmaxKind::kLogSoftmax
                                 ? static_cast<W>(dy[row + i])
                                 : static_cast<W>(dy[row + i]) * y[row + i];
    }
  }
  for (std::size_t j = 0; j < layout.length; ++j) {
    const std::size_t row = j * layout.inner;
    for (std::size_t i = lane_begin; i < lane_end; ++i) {
      const W a = acc[i - lane_begin], yv = y[row + i], g = dy[row + i];
      dx[row + i] = static_cast<T>(kind == SoftmaxKind::kSoftmax   ? yv * (g - a)
                                   : kind == SoftmaxKind::kSoftmin ? yv * (a - g)
                                                                   : g - std::exp(yv) * a);
    }
  }
}

template <class T>
void backward(SoftmaxKind kind, std::span<const T> y, std::span<const T> dy, std::span<T> dx,
              std::span<const std::size_t> shape, int axis) {
  const std::string op = std::string(kind_name(kind)) + "_backward";
  const AxisLayout layout = detail::axis_layout(op.c_str(), shape, "y", y.size(), axis);
  detail::check_same_size(op.c_str(), "y", y.size(), "dy", dy.size());
  detail::check_same_size(op.c_str(), "y", y.size(), "dx", dx.size());
  detail::check_no_partial_overlap(op.c_str(), "dx", dx, "y", y);
  detail::check_no_partial_overlap(op.c_str(), "dx", dx, "dy", dy);
  if (y.empty() || layout.length == 0) return;
  const int k = static_cast<int>(kind);
  if (layout.inner == 1) {
    detail::parallel_for(layout.outer, detail::min_units_per_chunk(layout.length),
                         [&](std::size_t begin, std::size_t end) {
                           const std::size_t offset = begin * layout.length;
                           if constexpr (std::is_same_v<T, float>) {
                             HWY_DYNAMIC_DISPATCH(SoftmaxBackwardF32)
                             (k, y.data() + offset, dy.data() + offset, dx.data() + offset,
                              end - begin, layout.length);
                           } else {
                             HWY_DYNAMIC_DISPATCH(SoftmaxBackwardF64)
                             (k, y.data() + offset, dy.data() + offset, dx.data() + offset,
                              end - begin, layout.length);
                           }
                         });
    return;
  }
  const std::size_t blocks = (layout.inner + kLaneBlock - 1) / kLaneBlock;
  const std::size_t block_elements = std::min(layout.inner, kLaneBlock) * layout.length;
  detail::parallel_for(layout.outer * blocks, detail::min_units_per_chunk(block_elements),
                       [&](std::size_t begin, std::size_t end) {
                         for (std::size_t task = begin; task < end; ++task) {
                           const std::size_t o = task / blocks, b = task % blocks;
                           const std::size_t offset = o * layout.length * layout.inner;
                           backward_strided(kind, y.data() + offset, dy.data() + offset,
                                            dx.data() + offset, layout, b * kLaneBlock,
                                            std::min(layout.inner, (b + 1) * kLaneBlock));
                         }
                       });
}

}  // namespace

void softmax(std::span<const float> x, std::span<float> y, std::span<const std::size_t> shape,
             int axis) {
  forward(SoftmaxKind::kSoftmax, x, y, shape, axis);
}
void softmax(std::span<const double> x, std::span<double> y, std::span<const std::size_t> shape,
             int axis) {
  forward(SoftmaxKind::kSoftmax, x, y, shape, axis);
}
void log_softmax(std::span<const float> x, std::span<float> y, std::span<const std::size_t> shape,
                 int axis) {
  forward(SoftmaxKind::kLogSoftmax, x, y, shape, axis);
}
void log_softmax(std::span<const double> x, std::span<double> y, std::span<const std::size_t> shape,
                 int axis) {
  forward(SoftmaxKind::kLogSoftmax, x, y, shape, axis);
}
void softmin(std::span<const float> x, std::span<float> y, std::span<const std::size_t> shape,
             int axis) {
  forward(SoftmaxKind::kSoftmin, x, y, shape, axis);
}
void softmin(std::span<const double> x, std::span<double> y, std::span<const std::size_t> shape,
             int axis) {
  forward(SoftmaxKind::kSoftmin, x, y, shape, axis);
}

void softmax_backward(std::span<const float> y, std::span<const float> dy, std::span<float> dx,
                      std::span<const std::size_t> shape, int axis) {
  backward(SoftmaxKind::kSoftmax, y, dy, dx, shape, axis);
}
void softmax_backward(std::span<const double> y, std::span<const double> dy, std::span<double> dx,
                      std::span<const std::size_t> shape, int axis) {
  backward(SoftmaxKind::kSoftmax, y, dy, dx, shape, axis);
}
void log_softmax_backward(std::span<const float> y, std::span<const float> dy, std::span<float> dx,
                          std::span<const std::size_t> shape, int axis) {
  backward(SoftmaxKind::kLogSoftmax, y, dy, dx, shape, axis);
}
void log_softmax_backward(std::span<const double> y, std::span<const double> dy,
                          std::span<double> dx, std::span<const std::size_t> shape, int axis) {
  backward(SoftmaxKind::kLogSoftmax, y, dy, dx, shape, axis);
}
void softmin_backward(std::span<const float> y, std::span<const float> dy, std::span<float> dx,
                      std::span<const std::size_t> shape, int axis) {
  backward(SoftmaxKind::kSoftmin, y, dy, dx, shape, axis);
}
void softmin_backward(std::span<const double> y, std::span<const double> dy, std::span<double> dx,
                      std::span<const std::size_t> shape, int axis) {
  backward(SoftmaxKind::kSoftmin, y, dy, dx, shape, axis);
}

// 16-bit arrays: widened to float exactly, computed (and accumulated) in float, rounded once.
namespace {

template <class H>
std::vector<float> widened(std::span<const H> v) {
  std::vector<float> f(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) f[i] = static_cast<float>(v[i]);
  return f;
}

template <class H>
void narrow_into(const std::vector<float>& f, std::span<H> out) {
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = H(f[i]);
}

template <class H>
void forward_half(SoftmaxKind kind, std::span<const H> x, std::span<H> y,
                  std::span<const std::size_t> shape, int axis) {
  std::vector<float> out(y.size());
  forward(kind, std::span<const float>(widened(x)), std::span<float>(out), shape, axis);
  narrow_into(out, y);
}

template <class H>
void backward_half(SoftmaxKind kind, std::span<const H> y, std::span<const H> dy, std::span<H> dx,
                   std::span<const std::size_t> shape, int axis) {
  std::vector<float> out(dx.size());
  backward(kind, std::span<const float>(widened(y)), std::span<const float>(widened(dy)),
           std::span<float>(out), shape, axis);
  narrow_into(out, dx);
}

}  // namespace

void softmax(std::span<const bfloat16> x, std::span<bfloat16> y, std::span<const std::size_t> shape,
             int axis) {
  forward_half(SoftmaxKind::kSoftmax, x, y, shape, axis);
}
void softmax(std::span<const float16> x, std::span<float16> y, std::span<const std::size_t> shape,
             int axis) {
  forward_half(SoftmaxKind::kSoftmax, x, y, shape, axis);
}
void log_softmax(std::span<const bfloat16> x, std::span<bfloat16> y,
                 std::span<const std::size_t> shape, int axis) {
  forward_half(SoftmaxKind::kLogSoftmax, x, y, shape, axis);
}
void log_softmax(std::span<const float16> x, std::span<float16> y,
                 std::span<const std::size_t> shape, int axis) {
  forward_half(SoftmaxKind::kLogSoftmax, x, y, shape, axis);
}
void softmin(std::span<const bfloat16> x, std::span<bfloat16> y, std::span<const std::size_t> shape,
             int axis) {
  forward_half(SoftmaxKind::kSoftmin, x, y, shape, axis);
}
void softmin(std::span<const float16> x, std::span<float16> y, std::span<const std::size_t> shape,
             int axis) {
  forward_half(SoftmaxKind::kSoftmin, x, y, shape, axis);
}
void softmax_backward(std::span<const bfloat16> y, std::span<const bfloat16> dy,
                      std::span<bfloat16> dx, std::span<const std::size_t> shape, int axis) {
  backward_half(SoftmaxKind::kSoftmax, y, dy, dx, shape, axis);
}
void softmax_backward(std::span<const float16> y, std::span<const float16> dy,
                      std::span<float16> dx, std::span<const std::size_t> shape, int axis) {
  backward_half(SoftmaxKind::kSoftmax, y, dy, dx, shape, axis);
}
void log_softmax_backward(std::span<const bfloat16> y, std::span<const bfloat16> dy,
                          std::span<bfloat16> dx, std::span<const std::size_t> shape, int axis) {
  backward_half(SoftmaxKind::kLogSoftmax, y, dy, dx, shape, axis);
}
void log_softmax_backward(std::span<const float16> y, std::span<const float16> dy,
                          std::span<float16> dx, std::span<const std::size_t> shape, int axis) {
  backward_half(SoftmaxKind::kLogSoftmax, y, dy, dx, shape, axis);
}

void softmin_backward(std::span<const bfloat16> y, std::span<const bfloat16> dy,
                      std::span<bfloat16> dx, std::span<const std::size_t> shape, int axis) {
  backward_half(SoftmaxKind::kSoftmin, y, dy, dx, shape, axis);
}
void softmin_backward(std::span<const float16> y, std::span<const float16> dy,
                      std::span<float16> dx, std::span<const std::size_t> shape, int axis) {
  backward_half(SoftmaxKind::kSoftmin, y, dy, dx, shape, axis);
}

}  // namespace sigma

#endif  // HWY_ONCE
