// PReLU (He et al. 2015) as a layer: a leaky ReLU whose slope alpha is learned, either one slope
// shared by every element or one per channel (PyTorch's nn.PReLU(num_parameters)).
//
//   // x: batch 32, 16 channels, 8 x 8 images; one slope per channel (axis 1, as PyTorch)
//   const std::array<std::size_t, 4> shape = {32, 16, 8, 8};
//   sigma::prelu(x, alpha, y, shape);
//   sigma::prelu_backward(x, alpha, dy, dx, dalpha, shape);
//
// y = x where x > 0, alpha_c x elsewhere, c the element's index along `axis`. The derivative
// follows PyTorch at 0: dy/dx = alpha there, and dy/dalpha = x (which is 0). NaN in x gives NaN
// in y and dx, and in the dalpha of its channel. The catalog's `prelu` is the same function
// with a fixed alpha.
#pragma once

#include <cstddef>
#include <span>

namespace sigma {

// `alpha` has one element (shared; `axis` is then ignored) or shape[axis] elements. `shape` is
// x's shape (empty: one-dimensional), `axis` the channel axis (negative counts from the end).
// y may be x.
void prelu(std::span<const float> x, std::span<const float> alpha, std::span<float> y,
           std::span<const std::size_t> shape = {}, int axis = 1);
void prelu(std::span<const double> x, std::span<const double> alpha, std::span<double> y,
           std::span<const std::size_t> shape = {}, int axis = 1);

// dx = dy * (x > 0 ? 1 : alpha_c) and dalpha_c = sum of dy * x over the elements of channel c
// with x <= 0 (overwritten, not accumulated; summed in double in a fixed order). dx may be dy.
void prelu_backward(std::span<const float> x, std::span<const float> alpha,
                    std::span<const float> dy, std::span<float> dx, std::span<float> dalpha,
                    std::span<const std::size_t> shape = {}, int axis = 1);
void prelu_backward(std::span<const double> x, std::span<const double> alpha,
                    std::span<const double> dy, std::span<double> dx, std::span<double> dalpha,
                    std::span<const std::size_t> shape = {}, int axis = 1);

}  // namespace sigma
