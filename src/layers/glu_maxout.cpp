// glu and maxout along an axis: the gated linear unit, which halves the axis, and maxout, which
// keeps the largest of each group of units; loops split across threads. float GLU runs in double
// vector lanes (glu_kernels.cpp) and rounds the products once; double GLU stays in long double,
// scalar.
#include <algorithm>
#include <cmath>
#include <sigma/error.hpp>
#include <sigma/softmax.hpp>
#include <string>
#include <type_traits>

#include "common/shape.hpp"
#include "common/threads.hpp"
#include "layers/glu_kernels.hpp"
#include "layers/softmax_scalar.hpp"

namespace sigma {
namespace {

using detail::AxisLayout;

// Two branches so that exp never overflows and sigmoid(-40) keeps its relative accuracy.
template <class W>
W sigmoid(W x) {
  return x >= 0 ? 1 / (1 + std::exp(-x)) : std::exp(x) / (1 + std::exp(x));
}

template <class T>
void glu_impl(std::span<const T> x, std::span<T> y, std::span<const std::size_t> shape, int axis) {
  const AxisLayout layout = detail::axis_layout("glu", shape, "x", x.size(), axis);
  if (layout.length % 2 != 0) {
    throw Error("glu: the axis has odd extent " + std::to_string(layout.length) +
                "; it must split into two halves");
  }
  detail::check_output_size("glu", "y", y.size(), x.size() / 2, "half of x");
  detail::check_no_partial_overlap("glu", "y", y, "x", std::span<const T>(x));
  const std::size_t half = layout.length / 2;
  const std::size_t block = half * layout.inner;
  using W = detail::Wide<T>;
  detail::parallel_for(
      layout.outer, detail::min_units_per_chunk(2 * block),
      [&](std::size_t begin, std::size_t end) {
        for (std::size_t o = begin; o < end; ++o) {
          const T* a = x.data() + 2 * o * block;
          const T* b = a + block;
          T* out = y.data() + o * block;
          if constexpr (std::is_same_v<T, float>) {
            detail::glu_forward_f32(a, b, out, block);
          } else {
            for (std::size_t i = 0; i < block; ++i) {
              out[i] = static_cast<T>(static_cast<W>(a[i]) * sigmoid(static_cast<W>(b[i])));
            }
          }
        }
      });
}

template <class T>
void glu_backward_impl(std::span<const T> x, std::span<const T> dy, std::span<T> dx,
                       std::span<const std::size_t> shape, int axis) {
  const AxisLayout layout = detail::axis_layout("glu_backward", shape, "x", x.size(), axis);
  if (layout.length % 2 != 0) {
    throw Error("glu_backward: the axis has odd extent " + std::to_string(layout.length) +
                "; it must split into two halves");
  }
  detail::check_output_size("glu_backward", "dy", dy.size(), x.size() / 2, "half of x");
  detail::check_same_size("glu_backward", "x", x.size(), "dx", dx.size());
  detail::check_no_partial_overlap("glu_backward", "dx", dx, "x", x);
  detail::check_no_partial_overlap("glu_backward", "dx", dx, "dy", dy);
  const std::size_t block = layout.length / 2 * layout.inner;
  using W = detail::Wide<T>;
  detail::parallel_for(
      layout.outer, detail::min_units_per_chunk(2 * block),
      [&](std::size_t begin, std::size_t end) {
        for (std::size_t o = begin; o < end; ++o) {
          const T* a = x.data() + 2 * o * block;
          const T* b = a + block;
          const T* g = dy.data() + o * block;
          T* da = dx.data() + 2 * o * block;
          T* db = da + block;
          if constexpr (std::is_same_v<T, float>) {
            detail::glu_backward_f32(a, b, g, da, db, block);
          } else {
            for (std::size_t i = 0; i < block; ++i) {
              const W s = sigmoid(static_cast<W>(b[i])), s_neg = sigmoid(-static_cast<W>(b[i]));
              const W av = a[i], gv = g[i];
              da[i] = static_cast<T>(gv * s);  // written after a[i] and b[i] are read: dx may be x
              db[i] = static_cast<T>(gv * av * s * s_neg);
            }
          }
        }
      });
}

void check_group(const char* op, std::size_t group_size, std::size_t length) {
  if (group_size == 0) throw Error(std::string(op) + ": group_size must be positive");
  if (length % group_size != 0) {
    throw Error(std::string(op) + ": the axis extent " + std::to_string(length) +
                " is not a multiple of group_size " + std::to_string(group_size));
  }
}

// The index within its group of the unit that gives the maximum: the first NaN, else the first
// maximal unit.
template <class T>
std::size_t group_argmax(const T* x, std::size_t group_size, std::size_t stride) {
  std::size_t best = 0;
  for (std::size_t k = 0; k < group_size; ++k) {
    const T v = x[k * stride];
    if (std::isnan(v)) return k;
    if (v > x[best * stride]) best = k;
  }
  return best;
}

template <class T>
void maxout_impl(std::span<const T> x, std::span<T> y, std::size_t group_size,
                 std::span<const std::size_t> shape, int axis) {
  const AxisLayout layout = detail::axis_layout("maxout", shape, "x", x.size(), axis);
  check_group("maxout", group_size, layout.length);
  detail::check_output_size("maxout", "y", y.size(), x.size() / group_size, "x / group_size");
  detail::check_no_partial_overlap("maxout", "y", y, "x", x);
  const std::size_t groups = layout.length / group_size;
  detail::parallel_for(layout.outer, detail::min_units_per_chunk(layout.length * layout.inner),
                       [&](std::size_t begin, std::size_t end) {
                         for (std::size_t o = begin; o < end; ++o) {
                           for (std::size_t g = 0; g < groups; ++g) {
                             for (std::size_t i = 0; i < layout.inner; ++i) {
                               const T* p = x.data() +
                                            (o * layout.length + g * group_size) * layout.inner + i;
                               y[(o * groups + g) * layout.inner + i] =
                                   p[group_argmax(p, group_size, layout.inner) * layout.inner];
                             }
                           }
                         }
                       });
}

template <class T>
void maxout_backward_impl(std::span<const T> x, std::span<const T> dy, std::span<T> dx,
                          std::size_t group_size, std::span<const std::size_t> shape, int axis) {
  const AxisLayout layout = detail::axis_layout("maxout_backward", shape, "x", x.size(), axis);
  check_group("maxout_backward", group_size, layout.length);
  detail::check_output_size("maxout_backward", "dy", dy.size(), x.size() / group_size,
                            "x / group_size");
  detail::check_same_size("maxout_backward", "x", x.size(), "dx", dx.size());
  detail::check_no_partial_overlap("maxout_backward", "dx", dx, "x", x);
  detail::check_no_partial_overlap("maxout_backward", "dx", dx, "dy", dy);
  const std::size_t groups = layout.length / group_size;
  detail::parallel_for(
      layout.outer, detail::min_units_per_chunk(layout.length * layout.inner),
      [&](std::size_t begin, std::size_t end) {
        for (std::size_t o = begin; o < end; ++o) {
          for (std::size_t g = 0; g < groups; ++g) {
            for (std::size_t i = 0; i < layout.inner; ++i) {
              const std::size_t first = (o * layout.length + g * group_size) * layout.inner + i;
              // The argmax is found before dx is written: dx may be x.
              const std::size_t winner = group_argmax(x.data() + first, group_size, layout.inner);
              const T grad = dy[(o * groups + g) * layout.inner + i];
              for (std::size_t k = 0; k < group_size; ++k) {
                dx[first + k * layout.inner] = k == winner ? grad : T{0};
              }
            }
          }
        }
      });
}

}  // namespace

void glu(std::span<const float> x, std::span<float> y, std::span<const std::size_t> shape,
         int axis) {
  glu_impl(x, y, shape, axis);
}
void glu(std::span<const double> x, std::span<double> y, std::span<const std::size_t> shape,
         int axis) {
  glu_impl(x, y, shape, axis);
}
void glu_backward(std::span<const float> x, std::span<const float> dy, std::span<float> dx,
                  std::span<const std::size_t> shape, int axis) {
  glu_backward_impl(x, dy, dx, shape, axis);
}
void glu_backward(std::span<const double> x, std::span<const double> dy, std::span<double> dx,
                  std::span<const std::size_t> shape, int axis) {
  glu_backward_impl(x, dy, dx, shape, axis);
}

void maxout(std::span<const float> x, std::span<float> y, std::size_t group_size,
            std::span<const std::size_t> shape, int axis) {
  maxout_impl(x, y, group_size, shape, axis);
}
void maxout(std::span<const double> x, std::span<double> y, std::size_t group_size,
            std::span<const std::size_t> shape, int axis) {
  maxout_impl(x, y, group_size, shape, axis);
}
void maxout_backward(std::span<const float> x, std::span<const float> dy, std::span<float> dx,
                     std::size_t group_size, std::span<const std::size_t> shape, int axis) {
  maxout_backward_impl(x, dy, dx, group_size, shape, axis);
}
void maxout_backward(std::span<const double> x, std::span<const double> dy, std::span<double> dx,
                     std::size_t group_size, std::span<const std::size_t> shape, int axis) {
  maxout_backward_impl(x, dy, dx, group_size, shape, axis);
}

}  // namespace sigma
