// The losses' vector kernels behind Highway's dispatch: the softmax cross-entropies over the last
// axis, a group of rows at a time, with the scalar row they fall back to, and the sigmoid and
// weighted cross-entropies of elements.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "layers/loss_kernels.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "layers/losses_internal.hpp"
#include "layers/softmax-inl.h"

HWY_BEFORE_NAMESPACE();
namespace sigma::HWY_NAMESPACE {
namespace {

// Rows at a time, so that their logarithms are taken as one vector.
constexpr std::size_t kXentRowGroup = 16;

template <class D>
HWY_INLINE double RowSum(D d, const hn::TFromD<D>* z, std::size_t n) {
  const std::size_t full = n - n % hn::Lanes(d);
  double sum = BlockedSum(d, full, [&](std::size_t i) HWY_ATTR { return hn::LoadU(d, z + i); });
  if (full < n) sum += SumLanes(d, LoadTail(d, z + full, n - full));
  return sum;
}

// Softmax cross-entropy over rows of n contiguous logits: soft labels (laid out as x) when
// `labels` is not null, else class ids. Writes each row's loss to row_loss and, unless grad is
// null, grad_scale times the gradient.
//   loss = sum_i z_i ((m - x_i) + c),  c = log sum_i exp(x_i - m)
//   grad = sum(z) softmax(x) - z
// At the row's unique maximum i*, softmax = 1 - rest/s: the gradient there is formed as
// (sum(z) - z_i*) - sum(z) rest/s, which keeps its accuracy when the prediction is confident.
// m - x_i overflows T where the logits span more than its range ([-3e38, 3e38] in float) though
// the loss may be finite: such a row (rare) is redone by the scalar row, which works in a wider
// type.
template <class T>
void RedoIfOverflowed(const T* labels, const std::size_t* ids, const T* xr, T* gr, std::size_t row,
                      std::size_t n, double grad_scale, double* row_loss) {
  if (HWY_LIKELY(std::isfinite(row_loss[row]))) return;
  row_loss[row] =
      detail::softmax_cross_entropy_row(labels != nullptr ? labels + row * n : nullptr,
                                        ids != nullptr ? ids[row] : 0, xr, n, 1, gr, grad_scale);
}

// A row's exponential sum, from which its loss and gradient are finished.
template <class T>
struct XentRowSum {
  T max;            // m
  double log_sum;   // c = log sum exp(x - m)
  double rest;      // the sum less the terms at the maximum
  double sum;       // s = sum exp(x - m)
  bool unique_max;  // one term at the maximum
};

// Class id k: loss (m - x_k) + c; gradient softmax(x) - e_k from the exponentials in gr.
template <class D, class T = hn::TFromD<D>>
double SparseRow(D d, const T* xr, T* gr, std::size_t n, std::size_t k, const XentRowSum<T>& row,
                 double grad_scale) {
  if (gr != nullptr) {
    const double term_k = gr[k];
    ScaleRow(d, gr, n, static_cast<T>(grad_scale * detail::kExpUnscale / row.sum), gr);
    const double g = row.unique_max && xr[k] == row.max
                         ? -row.rest / row.sum
                         : term_k * detail::kExpUnscale / row.sum - 1;
    gr[k] = static_cast<T>(g * grad_scale);
  }
  return (static_cast<double>(row.max) - static_cast<double>(xr[k])) + row.log_sum;
}

// Soft labels z: loss sum z (m - x) + sum(z) c; gradient sum(z) softmax(x) - z from the
// exponentials in gr.
template <class D, class T = hn::TFromD<D>>
double DenseRow(D d, const T* xr, const T* zr, T* gr, std::size_t n, const XentRowSum<T>& row,
                double grad_scale) {
  using V = hn::Vec<D>;
  const std::size_t full = n - n % hn::Lanes(d);
  const double label_sum = RowSum(d, zr, n);
  const V mv = hn::Set(d, row.max);
  double dot;  // sum z (m - x)
  if (gr != nullptr) {
    // The scale (1/rows for a mean) comes after the subtraction, which can cancel.
    const V a = hn::Set(d, static_cast<T>(label_sum * detail::kExpUnscale / row.sum));
    const V scale = hn::Set(d, static_cast<T>(grad_scale));
    const auto one = [&](V xv, V zv, V ev, V* g) HWY_ATTR {
      *g = hn::Mul(hn::MulSub(ev, a, zv), scale);
      return hn::Mul(zv, hn::Sub(mv, xv));
    };
    dot = BlockedSum(d, full, [&](std::size_t i) HWY_ATTR {
      V g;
      const V term = one(hn::LoadU(d, xr + i), hn::LoadU(d, zr + i), hn::LoadU(d, gr + i), &g);
      hn::StoreU(g, d, gr + i);
      return term;
    });
    if (full < n) {
      const std::size_t tail = n - full;
      V g;
      dot += SumLanes(d, one(LoadTail(d, xr + full, tail), LoadTail(d, zr + full, tail),
                             LoadTail(d, gr + full, tail), &g));
      StoreTail(d, g, gr + full, tail);
    }
    if (row.unique_max) {
      const std::size_t top = FindFirstEqual(d, xr, n, row.max);
      const double z_top = zr[top];
      gr[top] = static_cast<T>(((label_sum - z_top) - label_sum * row.rest / row.sum) * grad_scale);
    }
  } else {
    dot = BlockedSum(d, full, [&](std::size_t i) HWY_ATTR {
      return hn::Mul(hn::LoadU(d, zr + i), hn::Sub(mv, hn::LoadU(d, xr + i)));
    });
    if (full < n) {
      dot += SumLanes(d, hn::Mul(LoadTail(d, zr + full, n - full),
                                 hn::Sub(mv, LoadTail(d, xr + full, n - full))));
    }
  }
  return dot + label_sum * row.log_sum;
}

template <class T>
void XentRows(const T* labels, const std::size_t* ids, const T* x, T* grad, std::size_t rows,
              std::size_t n, double grad_scale, double* row_loss) {
  const hn::ScalableTag<T> d;
  for (std::size_t r0 = 0; r0 < rows; r0 += kXentRowGroup) {
    const std::size_t count = std::min(kXentRowGroup, rows - r0);
    T maxima[kXentRowGroup];
    detail::SplitExpSum sums[kXentRowGroup];
    double log_sums[kXentRowGroup];
    bool fast[kXentRowGroup];
    for (std::size_t r = 0; r < count; ++r) {
      const std::size_t row = r0 + r;
      const T* xr = x + row * n;
      T* gr = grad != nullptr ? grad + row * n : nullptr;
      log_sums[r] = 0;
      // Rows with -inf go the scalar way too: there a zero label weight must cancel an
      // infinite log-probability.
      fast[r] = RowExtremum<false, decltype(d), false>(d, xr, n, &maxima[r]);
      if (!fast[r]) {
        row_loss[row] = detail::softmax_cross_entropy_row(
            labels != nullptr ? labels + row * n : nullptr, ids != nullptr ? ids[row] : 0, xr, n, 1,
            gr, grad_scale);
        continue;
      }
      const T* next = row + 1 < rows ? xr + n : nullptr;
      sums[r] = gr != nullptr
                    ? ExpSum<false, ExpSumStore::kTerm, true>(d, xr, n, maxima[r], gr, next)
                    : ExpSum<false, ExpSumStore::kNothing, true>(d, xr, n, maxima[r], gr, next);
      log_sums[r] = LogSumArgument(sums[r]);
    }
    Log1pInPlace(log_sums, count);
    for (std::size_t r = 0; r < count; ++r) {
      if (!fast[r]) continue;
      const std::size_t row = r0 + r;
      const T* xr = x + row * n;
      T* gr = grad != nullptr ? grad + row * n : nullptr;
      const double rest = sums[r].rest * detail::kExpUnscale;
      const XentRowSum<T> sum{maxima[r], log_sums[r], rest,
                              static_cast<double>(sums[r].at_max) + rest, sums[r].at_max == 1};
      row_loss[row] = labels == nullptr ? SparseRow(d, xr, gr, n, ids[row], sum, grad_scale)
                                        : DenseRow(d, xr, labels + row * n, gr, n, sum, grad_scale);
      RedoIfOverflowed(labels, ids, xr, gr, row, n, grad_scale, row_loss);
    }
  }
}

// Sigmoid and weighted cross-entropy of n elements, (1 - z) softplus(x) + q z softplus(-x), in
// double lanes (float inputs are promoted, results rounded once): e = exp(-|x|) gives both
// softplus(+-x) = max(+-x, 0) + log1p(e) and both sigmoid(+-x) (1 / (1 + e) on the side of x's
// sign, e / (1 + e) on the other). Writes each loss to `loss` and grad_scale times the gradient
// to grad (unless null). NaN in z or x gives NaN.
template <class T>
void LogisticLosses(const T* z, const T* x, std::size_t n, double q, double grad_scale,
                    double* loss, T* grad) {
  const hn::ScalableTag<double> dd;
  const hn::Rebind<T, decltype(dd)> dt;  // T lanes, as many as dd has
  using VD = hn::Vec<decltype(dd)>;
  const std::size_t N = hn::Lanes(dd);
  const VD zero = hn::Zero(dd), one = hn::Set(dd, 1.0), qv = hn::Set(dd, q);
  const VD scale = hn::Set(dd, grad_scale),
           nan = hn::Set(dd, std::numeric_limits<double>::quiet_NaN());
  // w v, with a weight of exactly 0 removing the term even where v is infinite.
  const auto weighted = [&](VD w, VD v)
                            HWY_ATTR { return hn::IfThenZeroElse(hn::Eq(w, zero), hn::Mul(w, v)); };
  const auto block = [&](std::size_t i, std::size_t count) HWY_ATTR {
    const auto load = [&](const T* p) HWY_ATTR {
      if constexpr (std::is_same_v<T, double>) {
        return count == N ? hn::LoadU(dd, p) : LoadTail(dd, p, count);
      } else {
        return hn::PromoteTo(dd, count == N ? hn::LoadU(dt, p) : LoadTail(dt, p, count));
      }
    };
    const VD zv = load(z + i), xv = load(x + i);
    const VD e = hn::Exp(dd, hn::Neg(hn::Abs(xv)));
    const VD log_term = hn::Log1p(dd, e);
    const VD inverse = hn::Div(one, hn::Add(one, e));
    const auto positive = hn::Ge(xv, zero);
    const VD sigmoid = hn::IfThenElse(positive, inverse, hn::Mul(e, inverse));
    const VD sigmoid_neg = hn::IfThenElse(positive, hn::Mul(e, inverse), inverse);
    const VD negative_weight = hn::Sub(one, zv), positive_weight = hn::Mul(qv, zv);
    const auto invalid = hn::Or(hn::IsNaN(zv), hn::IsNaN(xv));
    const VD l = hn::Add(weighted(negative_weight, hn::Add(hn::Max(xv, zero), log_term)),
                         weighted(positive_weight, hn::Add(hn::Max(hn::Neg(xv), zero), log_term)));
    const VD g =
        hn::Sub(weighted(negative_weight, sigmoid), weighted(positive_weight, sigmoid_neg));
    const VD l_out = hn::IfThenElse(invalid, nan, l);
    const VD g_out = hn::IfThenElse(invalid, nan, hn::Mul(g, scale));
    if (count == N) {
      hn::StoreU(l_out, dd, loss + i);
    } else {
      StoreTail(dd, l_out, loss + i, count);
    }
    if (grad == nullptr) return;
    if constexpr (std::is_same_v<T, double>) {
      if (count == N) {
        hn::StoreU(g_out, dd, grad + i);
      } else {
        StoreTail(dd, g_out, grad + i, count);
      }
    } else {
      const auto narrow = hn::DemoteTo(dt, g_out);
      if (count == N) {
        hn::StoreU(narrow, dt, grad + i);
      } else {
        StoreTail(dt, narrow, grad + i, count);
      }
    }
  };
  std::size_t i = 0;
  for (; i + N <= n; i += N) block(i, N);
  if (i < n) block(i, n - i);
}

}  // namespace

void LogisticLossesF32(const float* z, const float* x, std::size_t n, double q, double grad_scale,
                       double* loss, float* grad) {
  LogisticLosses(z, x, n, q, grad_scale, loss, grad);
}
void LogisticLossesF64(const double* z, const double* x, std::size_t n, double q, double grad_scale,
                       double* loss, double* grad) {
  LogisticLosses(z, x, n, q, grad_scale, loss, grad);
}

void SoftmaxCrossEntropyRowsF32(const float* labels, const std::size_t* ids, const float* x,
                                float* grad, std::size_t rows, std::size_t n, double grad_scale,
                                double* row_loss) {
  XentRows(labels, ids, x, grad, rows, n, grad_scale, row_loss);
}
void SoftmaxCrossEntropyRowsF64(const double* labels, const std::size_t* ids, const double* x,
                                double* grad, std::size_t rows, std::size_t n, double grad_scale,
                                double* row_loss) {
  XentRows(labels, ids, x, grad, rows, n, grad_scale, row_loss);
}

}  // namespace sigma::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE

#include <algorithm>
#include <cmath>
#include <limits>

#include "layers/softmax_scalar.hpp"

namespace sigma {

HWY_EXPORT(SoftmaxCrossEntropyRowsF32);
HWY_EXPORT(SoftmaxCrossEntropyRowsF64);
HWY_EXPORT(LogisticLossesF32);
HWY_EXPORT(LogisticLossesF64);

namespace detail {

void softmax_cross_entropy_rows(const float* labels, const std::size_t* ids, const float* x,
                                float* grad, std::size_t rows, std::size_t n, double grad_scale,
                                double* row_loss) {
  HWY_DYNAMIC_DISPATCH(SoftmaxCrossEntropyRowsF32)
  (labels, ids, x, grad, rows, n, grad_scale, row_loss);
}
void softmax_cross_entropy_rows(const double* labels, const std::size_t* ids, const double* x,
                                double* grad, std::size_t rows, std::size_t n, double grad_scale,
                                double* row_loss) {
  HWY_DYNAMIC_DISPATCH(SoftmaxCrossEntropyRowsF64)
  (labels, ids, x, grad, rows, n, grad_scale, row_loss);
}

void logistic_losses(const float* z, const float* x, std::size_t n, double q, double grad_scale,
                     double* loss, float* grad) {
  HWY_DYNAMIC_DISPATCH(LogisticLossesF32)(z, x, n, q, grad_scale, loss, grad);
}
void logistic_losses(const double* z, const double* x, std::size_t n, double q, double grad_scale,
                     double* loss, double* grad) {
  HWY_DYNAMIC_DISPATCH(LogisticLossesF64)(z, x, n, q, grad_scale, loss, grad);
}

template <class T>
double softmax_cross_entropy_row(const T* z, std::size_t label, const T* x, std::size_t n,
                                 std::size_t stride, T* grad, double grad_scale) {
  using W = Wide<T>;
  W m = -std::numeric_limits<W>::infinity();
  bool has_nan = false;
  for (std::size_t j = 0; j < n; ++j) {
    const W v = x[j * stride];
    has_nan =
        has_nan || std::isnan(v) || (z != nullptr && std::isnan(static_cast<W>(z[j * stride])));
    m = std::max(m, v);
  }
  if (has_nan || !std::isfinite(m)) {
    // NaN, a +inf logit (whose limit is not defined) or a row of -inf logits.
    if (grad != nullptr) {
      for (std::size_t j = 0; j < n; ++j) grad[j * stride] = std::numeric_limits<T>::quiet_NaN();
    }
    return std::numeric_limits<double>::quiet_NaN();
  }
  // The sum leaves out the terms at the maximum (each exactly 1), as the vector kernel does.
  W rest = 0, label_sum = 0;
  std::size_t at_max = 0, top = n;
  for (std::size_t j = 0; j < n; ++j) {
    const W t = static_cast<W>(x[j * stride]) - m;
    if (t == 0) {
      ++at_max;
      top = j;
    } else {
      rest += std::exp(t);
    }
    label_sum += z != nullptr ? static_cast<W>(z[j * stride]) : 0;
  }
  if (z == nullptr) label_sum = 1;
  const W c = std::log1p((static_cast<W>(at_max) - 1) + rest);
  const W s = static_cast<W>(at_max) + rest;
  W loss = 0;
  for (std::size_t j = 0; j < n; ++j) {
    const W xj = x[j * stride];
    const W zj = z != nullptr ? static_cast<W>(z[j * stride]) : (j == label ? 1 : 0);
    loss += zj == 0 ? 0 : zj * ((m - xj) + c);  // -inf logits with weight 0 add nothing
    if (grad != nullptr) {
      const W g = at_max == 1 && j == top ? (label_sum - zj) - label_sum * rest / s
                                          : label_sum * std::exp(xj - m) / s - zj;
      grad[j * stride] = static_cast<T>(g * grad_scale);
    }
  }
  return static_cast<double>(loss);
}

template double softmax_cross_entropy_row(const float*, std::size_t, const float*, std::size_t,
                                          std::size_t, float*, double);
template double softmax_cross_entropy_row(const double*, std::size_t, const double*, std::size_t,
                                          std::size_t, double*, double);

}  // namespace detail

}  // namespace sigma

#endif  // HWY_ONCE
