// Dropout (Srivastava et al. 2014) with TensorFlow's semantics: during training each element is
// dropped (set to 0) with probability `rate` and the survivors are scaled by 1 / (1 - rate), so
// that the expected value is unchanged; outside training it is the identity.
//
//   std::vector<float> x(64 * 128), y(x.size()), dy(x.size()), dx(x.size());
//   std::vector<std::uint8_t> mask(x.size());
//   sigma::dropout(x, y, mask, /*rate=*/0.1, /*seed=*/42);
//   sigma::dropout_backward(mask, dy, dx, /*rate=*/0.1);  // the same elements are dropped
//
// The random draws are a counter-based hash of (seed, index into the noise array): the same seed
// gives the same mask for any thread count and any split of the work. An element is kept when
// its uniform draw u in [0, 1) satisfies u >= rate (TensorFlow's rule), so the keep probability
// is 1 - rate to within 2^-53.
//
// `noise_shape` (TensorFlow's argument) gives the shape of the random mask, which is broadcast to
// x's shape, numpy-style (aligned at the last axis; each extent equal to x's or 1): shape
// {64, 128} with noise_shape {64, 1} drops whole rows, {1, 128} whole columns.
//
// Semantics: y = x * (1 / (1 - rate)) where kept (the scale rounded to T, then one product, as
// TensorFlow) and +0 where dropped, NaN included (TensorFlow's where(); PyTorch's x * mask gives
// NaN there). Errors (sigma::Error): rate outside [0, 1), sizes that do not match, a
// noise_shape that does not broadcast.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace sigma {

// y = x scaled where kept, 0 where dropped; `rate` is the probability to drop, in [0, 1).
// `mask` receives 1 for kept elements and 0 for dropped ones (x's size), or may be empty when no
// backward pass will follow. `shape` is x's shape (empty: one-dimensional); it matters only with
// a noise_shape. With training false, y = x and the mask is all ones. y may be x.
void dropout(std::span<const float> x, std::span<float> y, std::span<std::uint8_t> mask,
             double rate, std::uint64_t seed, std::span<const std::size_t> shape = {},
             std::span<const std::size_t> noise_shape = {}, bool training = true);
void dropout(std::span<const double> x, std::span<double> y, std::span<std::uint8_t> mask,
             double rate, std::uint64_t seed, std::span<const std::size_t> shape = {},
             std::span<const std::size_t> noise_shape = {}, bool training = true);

// dx = dy scaled where mask is 1, 0 where it is 0 (the mask from dropout with the same rate);
// with training false dx = dy and the mask may be empty. dx may be dy.
void dropout_backward(std::span<const std::uint8_t> mask, std::span<const float> dy,
                      std::span<float> dx, double rate, bool training = true);
void dropout_backward(std::span<const std::uint8_t> mask, std::span<const double> dy,
                      std::span<double> dx, double rate, bool training = true);

// TensorFlow 1's keep_prob, the old spelling: rate = 1 - keep_prob, as tf.compat.v1.nn.dropout
// computes it. Throws sigma::Error unless keep_prob is in (0, 1].
double rate_from_keep_prob(double keep_prob);

}  // namespace sigma
