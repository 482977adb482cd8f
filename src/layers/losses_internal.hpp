// What losses.cpp and loss_catalog.cpp share: the catalog's order as an enum, and the scalar
// softmax cross-entropy row that the vector kernels fall back to.
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
template <class T>
double softmax_cross_entropy_row(const T* z, std::size_t label, const T* x, std::size_t n,
                                 std::size_t stride, T* grad, double grad_scale);

}  // namespace sigma::detail
