// PReLU with a learnable slope: forward, and backward with the gradient of the slopes.
#include <cmath>
#include <sigma/error.hpp>
#include <sigma/prelu.hpp>
#include <string>
#include <vector>

#include "common/shape.hpp"
#include "common/threads.hpp"

namespace sigma {
namespace {

// Elements per block: the unit of work of a thread and of dalpha's fixed summation order.
constexpr std::size_t kBlock = std::size_t{1} << 16;

// Channel c of element i is (i / inner) % channels; one shared slope is one channel.
struct Channels {
  std::size_t channels = 1;
  std::size_t inner = 1;
};

template <class T>
Channels channels_of(const char* op, std::span<const T> x, std::span<const T> alpha,
                     std::span<const std::size_t> shape, int axis) {
  if (alpha.size() == 1) {
    detail::checked_size(op, shape, "x", x.size());
    return {1, std::max<std::size_t>(x.size(), 1)};
  }
  const detail::AxisLayout layout = detail::axis_layout(op, shape, "x", x.size(), axis);
  if (alpha.size() != layout.length) {
    throw Error(std::string(op) + ": alpha has " + std::to_string(alpha.size()) +
                " elements; it needs 1 (shared) or " + std::to_string(layout.length) +
                " (one per channel along axis " + std::to_string(axis) + ")");
  }
  return {layout.length, layout.inner};
}

// Calls body(i, c) for the elements of block b, c the channel of element i.
template <class Body>
void for_block(std::size_t b, std::size_t n, const Channels& ch, Body&& body) {
  const std::size_t begin = b * kBlock, end = std::min(n, begin + kBlock);
  std::size_t c = (begin / ch.inner) % ch.channels, within = begin % ch.inner;
  for (std::size_t i = begin; i < end; ++i) {
    body(i, c);
    if (++within == ch.inner) {
      within = 0;
      if (++c == ch.channels) c = 0;
    }
  }
}

template <class T>
void forward(std::span<const T> x, std::span<const T> alpha, std::span<T> y,
             std::span<const std::size_t> shape, int axis) {
  const char* op = "prelu";
  const Channels ch = channels_of(op, x, alpha, shape, axis);
  detail::check_same_size(op, "x", x.size(), "y", y.size());
  detail::check_no_partial_overlap(op, "y", y, "x", x);
  const std::size_t blocks = (x.size() + kBlock - 1) / kBlock;
  detail::parallel_for(blocks, 1, [&](std::size_t b0, std::size_t b1) {
    for (std::size_t b = b0; b < b1; ++b) {
      for_block(b, x.size(), ch,
                [&](std::size_t i, std::size_t c) { y[i] = x[i] > 0 ? x[i] : alpha[c] * x[i]; });
    }
  });
}

template <class T>
void backward(std::span<const T> x, std::span<const T> alpha, std::span<const T> dy,
              std::span<T> dx, std::span<T> dalpha, std::span<const std::size_t> shape, int axis) {
  const char* op = "prelu_backward";
  const Channels ch = channels_of(op, x, alpha, shape, axis);
  detail::check_same_size(op, "x", x.size(), "dy", dy.size());
  detail::check_same_size(op, "x", x.size(), "dx", dx.size());
  detail::check_same_size(op, "alpha", alpha.size(), "dalpha", dalpha.size());
  detail::check_no_partial_overlap(op, "dx", dx, "dy", dy);
  detail::check_no_partial_overlap(op, "dx", dx, "x", x);
  const std::size_t blocks = (x.size() + kBlock - 1) / kBlock;
  std::vector<double> partial(blocks * ch.channels);
  detail::parallel_for(blocks, 1, [&](std::size_t b0, std::size_t b1) {
    for (std::size_t b = b0; b < b1; ++b) {
      double* sums = partial.data() + b * ch.channels;
      for_block(b, x.size(), ch, [&](std::size_t i, std::size_t c) {
        const T v = x[i], g = dy[i];
        if (v > 0) {
          dx[i] = g;
        } else {
          sums[c] += static_cast<double>(g) * v;  // x <= 0 or NaN
          dx[i] = std::isnan(v) ? v : alpha[c] * g;
        }
      });
    }
  });
  for (std::size_t c = 0; c < ch.channels; ++c) {
    double sum = 0;
    for (std::size_t b = 0; b < blocks; ++b) sum += partial[b * ch.channels + c];
    dalpha[c] = static_cast<T>(sum);
  }
}

}  // namespace

void prelu(std::span<const float> x, std::span<const float> alpha, std::span<float> y,
           std::span<const std::size_t> shape, int axis) {
  forward(x, alpha, y, shape, axis);
}
void prelu(std::span<const double> x, std::span<const double> alpha, std::span<double> y,
           std::span<const std::size_t> shape, int axis) {
  forward(x, alpha, y, shape, axis);
}
void prelu_backward(std::span<const float> x, std::span<const float> alpha,
                    std::span<const float> dy, std::span<float> dx, std::span<float> dalpha,
                    std::span<const std::size_t> shape, int axis) {
  backward(x, alpha, dy, dx, dalpha, shape, axis);
}
void prelu_backward(std::span<const double> x, std::span<const double> alpha,
                    std::span<const double> dy, std::span<double> dx, std::span<double> dalpha,
                    std::span<const std::size_t> shape, int axis) {
  backward(x, alpha, dy, dx, dalpha, shape, axis);
}

}  // namespace sigma
