// The scalar path of the softmax family: rows that hold NaN or infinities, and the reference
// the vector kernels fall back to. Target-independent; defined in softmax.cpp.
#pragma once

#include <cstddef>
#include <type_traits>

namespace sigma::detail {

// The type scalar paths compute in: wider than T, so that they are at least as accurate as the
// vector kernels (a difference of two floats is exact in double; of two doubles, within 2^-64
// relative in long double).
template <class T>
using Wide = std::conditional_t<sizeof(T) == sizeof(float), double, long double>;

enum class SoftmaxKind { kSoftmax, kLogSoftmax, kSoftmin };

// One row of n elements, `stride` apart, computed in double (or in long double for double rows).
// Implements the documented semantics for NaN and infinities.
template <class T>
void softmax_row_scalar(SoftmaxKind kind, const T* x, T* y, std::size_t n, std::size_t stride);

// log_softmax_backward for one row: dx = dy - exp(y) * sum(dy).
template <class T>
void log_softmax_backward_row_scalar(const T* y, const T* dy, T* dx, std::size_t n,
                                     std::size_t stride);

}  // namespace sigma::detail
