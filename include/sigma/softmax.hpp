// Functions along an axis of a row-major array: softmax, log_softmax and softmin with their
// backward passes, GLU and maxout.
//
// Every function sees its input as a row-major array of the given `shape` (the product of the
// extents must equal the input's size; an empty shape means a one-dimensional array) and works
// along `axis` (negative counts from the end: -1, the default, is the last axis). A "row" is the
// set of elements that differ only in their index along the axis. Errors (sizes that do not match
// the shape, an axis out of range, an output that partially overlaps an input) throw sigma::Error
// with one line that names the problem. Outputs may be the input itself (in place) where the sizes
// agree.
//
//   std::vector<float> logits(128 * 10), probs(128 * 10);
//   const std::array<std::size_t, 2> shape = {128, 10};
//   sigma::softmax(logits, probs, shape);              // along the last axis
//   sigma::log_softmax(logits, probs, shape, 0);       // along the first
//
// Semantics of softmax, log_softmax and softmin (those of PyTorch and TensorFlow):
// - Numerically stable for every finite input: the row maximum is subtracted first, so logits of
//   1e30 and -1e30 in one row give exactly 1 and 0 (log_softmax: 0 and -2e30).
// - A -inf logit gets probability 0 (log_softmax: -inf) as long as the row has a finite entry.
// - A row that holds a NaN or a +inf, or whose entries are all -inf, is NaN throughout: its limit
//   is not defined. (softmin sees -x: there +inf plays the role of -inf.)
// - Accuracy: float results are within 5 ulp of the exact value and double results within 8
//   (tested against the long-double definitions on every compiled instruction set), including
//   outputs in the subnormal range and log_softmax of a dominant entry (-log1p of the rest, not
//   the log of a rounded 1 + rest). x - max is formed exactly, so a probability 60 below the
//   maximum is as accurate as one near it.
// Backward passes take the forward output y (not x): dx = J^T dy. softmax: y * (dy - <dy, y>);
// log_softmax: dy - exp(y) * sum(dy); softmin: -y * (dy - <dy, y>). NaN in y or dy gives NaN.
#pragma once

#include <cstddef>
#include <sigma/half.hpp>
#include <span>

namespace sigma {

// y = exp(x - max) / sum(exp(x - max)) along the axis.
void softmax(std::span<const float> x, std::span<float> y, std::span<const std::size_t> shape = {},
             int axis = -1);
void softmax(std::span<const double> x, std::span<double> y,
             std::span<const std::size_t> shape = {}, int axis = -1);
void softmax_backward(std::span<const float> y, std::span<const float> dy, std::span<float> dx,
                      std::span<const std::size_t> shape = {}, int axis = -1);
void softmax_backward(std::span<const double> y, std::span<const double> dy, std::span<double> dx,
                      std::span<const std::size_t> shape = {}, int axis = -1);

// y = x - max - log(sum(exp(x - max))) along the axis.
void log_softmax(std::span<const float> x, std::span<float> y,
                 std::span<const std::size_t> shape = {}, int axis = -1);
void log_softmax(std::span<const double> x, std::span<double> y,
                 std::span<const std::size_t> shape = {}, int axis = -1);
void log_softmax_backward(std::span<const float> y, std::span<const float> dy, std::span<float> dx,
                          std::span<const std::size_t> shape = {}, int axis = -1);
void log_softmax_backward(std::span<const double> y, std::span<const double> dy,
                          std::span<double> dx, std::span<const std::size_t> shape = {},
                          int axis = -1);

// y = softmax(-x) along the axis (PyTorch's Softmin).
void softmin(std::span<const float> x, std::span<float> y, std::span<const std::size_t> shape = {},
             int axis = -1);
void softmin(std::span<const double> x, std::span<double> y,
             std::span<const std::size_t> shape = {}, int axis = -1);
void softmin_backward(std::span<const float> y, std::span<const float> dy, std::span<float> dx,
                      std::span<const std::size_t> shape = {}, int axis = -1);
void softmin_backward(std::span<const double> y, std::span<const double> dy, std::span<double> dx,
                      std::span<const std::size_t> shape = {}, int axis = -1);

// Gated linear unit (Dauphin et al. 2017; PyTorch's F.glu): x is split along the axis into a
// first half a and a second half b, and y = a * sigmoid(b). The axis must have an even extent;
// y has half as many elements as x (its shape is x's with the axis halved). NaN propagates.
// glu_backward writes both halves of dx: dy * sigmoid(b) and dy * a * sigmoid(b) * sigmoid(-b).
void glu(std::span<const float> x, std::span<float> y, std::span<const std::size_t> shape = {},
         int axis = -1);
void glu(std::span<const double> x, std::span<double> y, std::span<const std::size_t> shape = {},
         int axis = -1);
void glu_backward(std::span<const float> x, std::span<const float> dy, std::span<float> dx,
                  std::span<const std::size_t> shape = {}, int axis = -1);
void glu_backward(std::span<const double> x, std::span<const double> dy, std::span<double> dx,
                  std::span<const std::size_t> shape = {}, int axis = -1);

// Maxout (Goodfellow et al. 2013): the axis is cut into consecutive groups of `group_size` units
// and y holds the maximum of each group (TensorFlow Addons' Maxout with num_units = extent /
// group_size). The extent must be a multiple of group_size. A group holding a NaN gives NaN.
// maxout_backward sends each dy to the unit that gave the maximum (the first NaN, else the first
// maximal unit) and 0 to the others.
void maxout(std::span<const float> x, std::span<float> y, std::size_t group_size,
            std::span<const std::size_t> shape = {}, int axis = -1);
void maxout(std::span<const double> x, std::span<double> y, std::size_t group_size,
            std::span<const std::size_t> shape = {}, int axis = -1);
void maxout_backward(std::span<const float> x, std::span<const float> dy, std::span<float> dx,
                     std::size_t group_size, std::span<const std::size_t> shape = {},
                     int axis = -1);
void maxout_backward(std::span<const double> x, std::span<const double> dy, std::span<double> dx,
                     std::size_t group_size, std::span<const std::size_t> shape = {},
                     int axis = -1);

// softmax, log_softmax, softmin and their backward passes on 16-bit arrays: widened to float,
// computed and accumulated in float (within the float bounds above), rounded once to the format, so
// within 0.501 ulp of it (5 float ulps are 5 * 2^-16 of a bfloat16 ulp, 5 * 2^-13 of a float16
// ulp).
void softmax(std::span<const bfloat16> x, std::span<bfloat16> y,
             std::span<const std::size_t> shape = {}, int axis = -1);
void softmax(std::span<const float16> x, std::span<float16> y,
             std::span<const std::size_t> shape = {}, int axis = -1);
void log_softmax(std::span<const bfloat16> x, std::span<bfloat16> y,
                 std::span<const std::size_t> shape = {}, int axis = -1);
void log_softmax(std::span<const float16> x, std::span<float16> y,
                 std::span<const std::size_t> shape = {}, int axis = -1);
void softmin(std::span<const bfloat16> x, std::span<bfloat16> y,
             std::span<const std::size_t> shape = {}, int axis = -1);
void softmin(std::span<const float16> x, std::span<float16> y,
             std::span<const std::size_t> shape = {}, int axis = -1);
void softmax_backward(std::span<const bfloat16> y, std::span<const bfloat16> dy,
                      std::span<bfloat16> dx, std::span<const std::size_t> shape = {},
                      int axis = -1);
void softmax_backward(std::span<const float16> y, std::span<const float16> dy,
                      std::span<float16> dx, std::span<const std::size_t> shape = {},
                      int axis = -1);
void log_softmax_backward(std::span<const bfloat16> y, std::span<const bfloat16> dy,
                          std::span<bfloat16> dx, std::span<const std::size_t> shape = {},
                          int axis = -1);
void log_softmax_backward(std::span<const float16> y, std::span<const float16> dy,
                          std::span<float16> dx, std::span<const std::size_t> shape = {},
                          int axis = -1);

void softmin_backward(std::span<const bfloat16> y, std::span<const bfloat16> dy,
                      std::span<bfloat16> dx, std::span<const std::size_t> shape = {},
                      int axis = -1);
void softmin_backward(std::span<const float16> y, std::span<const float16> dy,
                      std::span<float16> dx, std::span<const std::size_t> shape = {},
                      int axis = -1);
}  // namespace sigma
