// What losses.cpp, loss_kernels.cpp and loss_catalog.cpp share: the catalog's order as an enum,
// the vector kernels, and the scalar softmax cross-entropy row that they fall back to.
#pragma once

#include <cstddef>
#include <sigma/losses.hpp>

namespace sigma::detail {

// The catalog's entries, in its order: loss_catalog()[static_cast<std::size_t>(id)].
enum class LossId : std::size_t {
  kSigmoidCrossEntropyWithLogits,
  kWeightedCrossEntropyWithLogits,
  kSoftmaxCrossEntropyWithLogits,
  kSparseSoftmaxCrossEntropyWithLogits,
  kBinaryCrossEntropy,
  kCategoricalCrossEntropy,
  kKlDivergence,
  kMeanSquaredError,
  kMeanAbsoluteError,
  kHuber,
  kHinge,
  kPoisson,
  kLogCosh,
  kCount,
};

// The id of a catalog entry; throws sigma::Error for a LossInfo that is not one.
LossId loss_id(const LossInfo& info);

// One softmax cross-entropy row of n logits `stride` apart, computed in Wide<T>: soft labels z
// (laid out as x) or, when z is null, the class id `label`. Writes grad_scale times the gradient
// to grad (unless null) and returns the loss. Handles NaN and infinities as documented.
// The vector kernels (loss_kernels.cpp) on the best target of this machine. Softmax
// cross-entropy over `rows` contiguous rows of n logits: soft labels (laid out as x) unless null,
// else class ids; each row's loss to row_loss, grad_scale times the gradient to grad unless null.
void softmax_cross_entropy_rows(const float* labels, const std::size_t* ids, const float* x,
                                float* grad, std::size_t rows, std::size_t n, double grad_scale,
                                double* row_loss);
void softmax_cross_entropy_rows(const double* labels, const std::size_t* ids, const double* x,
                                double* grad, std::size_t rows, std::size_t n, double grad_scale,
                                double* row_loss);
// Sigmoid (q = 1) and weighted cross-entropy of n elements: each loss to `loss`, grad_scale
// times the gradient to grad unless null.
void logistic_losses(const float* z, const float* x, std::size_t n, double q, double grad_scale,
                     double* loss, float* grad);
void logistic_losses(const double* z, const double* x, std::size_t n, double q, double grad_scale,
                     double* loss, double* grad);

template <class T>
double softmax_cross_entropy_row(const T* z, std::size_t label, const T* x, std::size_t n,
                                 std::size_t stride, T* grad, double grad_scale);

}  // namespace sigma::detail
