// Dropout: parameter checks, noise_shape broadcasting and a counter-based random mask.
#include <algorithm>
#include <charconv>
#include <sigma/dropout.hpp>
#include <sigma/error.hpp>
#include <string>
#include <vector>

#include "common/shape.hpp"
#include "common/threads.hpp"

namespace sigma {
namespace {

std::string number(double v) {
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  return std::string(buffer, end);
}

void check_rate(const char* op, double rate) {
  if (!(rate >= 0 && rate < 1)) {
    throw Error(std::string(op) + ": rate must be in [0, 1), got " + number(rate));
  }
}

// SplitMix64's output function (Steele, Lea and Flood 2014): a bijection of 64-bit words whose
// outputs for consecutive inputs pass BigCrush.
std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  return z ^ (z >> 31);
}

// The k-th draw of the stream for `seed`: SplitMix64 started from a state derived from the seed,
// evaluated directly at position k, so that any element can be drawn without the ones before it.
class Draws {
 public:
  explicit Draws(std::uint64_t seed) : state_(mix(seed ^ 0x5851F42D4C957F2Du)) {}
  // A uniform double in [0, 1) with 53 random bits.
  double operator()(std::uint64_t k) const {
    return static_cast<double>(mix(state_ + (k + 1) * 0x9E3779B97F4A7C15u) >> 11) * 0x1p-53;
  }

 private:
  std::uint64_t state_;
};

// For each axis of x, how far the noise index moves when x's index along it moves by one: 0 where
// the noise is broadcast (extent 1), the noise's own stride elsewhere.
std::vector<std::size_t> noise_strides(const char* op, std::span<const std::size_t> shape,
                                       std::span<const std::size_t> noise_shape) {
  const auto fail = [&] {
    throw Error(std::string(op) + ": noise_shape " + detail::shape_string(noise_shape) +
                " does not broadcast to shape " + detail::shape_string(shape));
  };
  if (noise_shape.size() > shape.size()) fail();
  std::vector<std::size_t> strides(shape.size(), 0);
  std::size_t stride = 1;
  for (std::size_t k = 0; k < noise_shape.size(); ++k) {
    const std::size_t axis = shape.size() - 1 - k;
    const std::size_t extent = noise_shape[noise_shape.size() - 1 - k];
    if (extent != shape[axis] && extent != 1) fail();
    strides[axis] = extent == 1 ? 0 : stride;
    stride *= extent;
  }
  return strides;
}

// Calls body(i, keep) for every element i of x, keep saying whether it survives, in chunks
// across threads.
template <class Body>
void for_each_keep(const char* op, std::size_t n, std::span<const std::size_t> shape,
                   std::span<const std::size_t> noise_shape, double rate, std::uint64_t seed,
                   Body&& body) {
  const Draws draws(seed);
  if (noise_shape.empty()) {
    detail::parallel_for(n, detail::kMinChunkElements, [&](std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) body(i, draws(i) >= rate);
    });
    return;
  }
  const std::size_t one_dimensional[] = {n};
  if (shape.empty()) shape = one_dimensional;
  const std::vector<std::size_t> strides = noise_strides(op, shape, noise_shape);
  detail::parallel_for(n, detail::kMinChunkElements, [&](std::size_t begin, std::size_t end) {
    // An odometer over x's index, carrying the noise index along.
    std::vector<std::size_t> index(shape.size());
    std::size_t noise = 0, rest = begin;
    for (std::size_t a = shape.size(); a-- > 0;) {
      index[a] = rest % shape[a];
      rest /= shape[a];
      noise += index[a] * strides[a];
    }
    for (std::size_t i = begin; i < end; ++i) {
      body(i, draws(noise) >= rate);
      for (std::size_t a = shape.size(); a-- > 0;) {
        noise += strides[a];
        if (++index[a] < shape[a]) break;
        noise -= strides[a] * shape[a];
        index[a] = 0;
      }
    }
  });
}

template <class T>
void forward(std::span<const T> x, std::span<T> y, std::span<std::uint8_t> mask, double rate,
             std::uint64_t seed, std::span<const std::size_t> shape,
             std::span<const std::size_t> noise_shape, bool training) {
  const char* op = "dropout";
  check_rate(op, rate);
  detail::checked_size(op, shape, "x", x.size());
  detail::check_same_size(op, "x", x.size(), "y", y.size());
  if (!mask.empty()) detail::check_same_size(op, "x", x.size(), "mask", mask.size());
  detail::check_no_partial_overlap(op, "y", y, "x", x);
  if (!training) {
    if (y.data() != x.data()) std::copy(x.begin(), x.end(), y.begin());
    std::fill(mask.begin(), mask.end(), std::uint8_t{1});
    return;
  }
  const T scale = static_cast<T>(1 / (1 - rate));
  for_each_keep(op, x.size(), shape, noise_shape, rate, seed, [&](std::size_t i, bool keep) {
    y[i] = keep ? x[i] * scale : T{0};
    if (!mask.empty()) mask[i] = keep;
  });
}

template <class T>
void backward(std::span<const std::uint8_t> mask, std::span<const T> dy, std::span<T> dx,
              double rate, bool training) {
  const char* op = "dropout_backward";
  check_rate(op, rate);
  detail::check_same_size(op, "dy", dy.size(), "dx", dx.size());
  detail::check_no_partial_overlap(op, "dx", dx, "dy", dy);
  if (!training) {
    if (dx.data() != dy.data()) std::copy(dy.begin(), dy.end(), dx.begin());
    return;
  }
  detail::check_same_size(op, "mask", mask.size(), "dy", dy.size());
  const T scale = static_cast<T>(1 / (1 - rate));
  detail::parallel_for(dy.size(), detail::kMinChunkElements,
                       [&](std::size_t begin, std::size_t end) {
                         for (std::size_t i = begin; i < end; ++i)
                           dx[i] = mask[i] ? dy[i] * scale : T{0};
                       });
}

}  // namespace

void dropout(std::span<const float> x, std::span<float> y, std::span<std::uint8_t> mask,
             double rate, std::uint64_t seed, std::span<const std::size_t> shape,
             std::span<const std::size_t> noise_shape, bool training) {
  forward(x, y, mask, rate, seed, shape, noise_shape, training);
}
void dropout(std::span<const double> x, std::span<double> y, std::span<std::uint8_t> mask,
             double rate, std::uint64_t seed, std::span<const std::size_t> shape,
             std::span<const std::size_t> noise_shape, bool training) {
  forward(x, y, mask, rate, seed, shape, noise_shape, training);
}
void dropout_backward(std::span<const std::uint8_t> mask, std::span<const float> dy,
                      std::span<float> dx, double rate, bool training) {
  backward(mask, dy, dx, rate, training);
}
void dropout_backward(std::span<const std::uint8_t> mask, std::span<const double> dy,
                      std::span<double> dx, double rate, bool training) {
  backward(mask, dy, dx, rate, training);
}

double rate_from_keep_prob(double keep_prob) {
  if (!(keep_prob > 0 && keep_prob <= 1)) {
    throw Error("dropout: keep_prob must be in (0, 1], got " + number(keep_prob));
  }
  return 1 - keep_prob;
}

}  // namespace sigma
