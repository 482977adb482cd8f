// float GLU behind Highway's dispatch: each float promoted to double, sigmoid and its derivative
// from Highway's Exp (1 ulp) there, the products rounded once to float, so every result lies
// within 0.5 ulp and a few billionths of the exact value. NaN in a or b gives NaN.
#include <algorithm>
#include <cstddef>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "layers/glu_kernels.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "activations/kernels/vector_math-inl.h"
#include "layers/glu_kernels.hpp"

HWY_BEFORE_NAMESPACE();
namespace sigma::HWY_NAMESPACE {
namespace {

namespace hn = hwy::HWY_NAMESPACE;
using DD = hn::ScalableTag<double>;
using DH = hn::Rebind<float, DD>;  // as many floats as a vector has doubles

// Applies body(a, b, g, da, db) (vectors of doubles; pointers to write) to full vectors, then to
// the tail through zero-padded buffers, never reading or writing past n.
template <class Body>
HWY_INLINE void ForEachVector(const float* a, const float* b, const float* g, float* da, float* db,
                              std::size_t n, Body&& body) {
  const DD dd;
  const DH dh;
  const std::size_t lanes = hn::Lanes(dd);
  const auto load = [&](const float* p) { return hn::PromoteTo(dd, hn::LoadU(dh, p)); };
  std::size_t i = 0;
  for (; i + lanes <= n; i += lanes) {
    body(load(a + i), load(b + i), g == nullptr ? hn::Zero(dd) : load(g + i), da + i,
         db == nullptr ? nullptr : db + i);
  }
  if (i == n) return;
  HWY_ALIGN float part_a[HWY_MAX_BYTES / sizeof(double)] = {};
  HWY_ALIGN float part_b[HWY_MAX_BYTES / sizeof(double)] = {};
  HWY_ALIGN float part_g[HWY_MAX_BYTES / sizeof(double)] = {};
  HWY_ALIGN float part_da[HWY_MAX_BYTES / sizeof(double)];
  HWY_ALIGN float part_db[HWY_MAX_BYTES / sizeof(double)];
  const std::size_t count = n - i;
  std::copy(a + i, a + n, part_a);
  std::copy(b + i, b + n, part_b);
  if (g != nullptr) std::copy(g + i, g + n, part_g);
  body(load(part_a), load(part_b), load(part_g), part_da, db == nullptr ? nullptr : part_db);
  std::copy(part_da, part_da + count, da + i);
  if (db != nullptr) std::copy(part_db, part_db + count, db + i);
}

// sigmoid(b), with NaN for NaN (Highway's Exp gives 0 there).
HWY_INLINE hn::Vec<DD> Gate(hn::Vec<DD> b) {
  return hn::IfThenElse(hn::IsNaN(b), b, kernels::HWY_NAMESPACE::Logistic(DD(), b));
}

void GluForwardF32(const float* a, const float* b, float* out, std::size_t n) {
  const DH dh;
  ForEachVector(a, b, nullptr, out, nullptr, n,
                [&](hn::Vec<DD> va, hn::Vec<DD> vb, hn::Vec<DD>, float* to, float*) {
                  hn::StoreU(hn::DemoteTo(dh, hn::Mul(va, Gate(vb))), dh, to);
                });
}

void GluBackwardF32(const float* a, const float* b, const float* g, float* da, float* db,
                    std::size_t n) {
  const DH dh;
  ForEachVector(a, b, g, da, db, n,
                [&](hn::Vec<DD> va, hn::Vec<DD> vb, hn::Vec<DD> vg, float* to_a, float* to_b) {
                  // sigmoid' as e/(1+e)^2 from its own exponential: 1 - sigmoid(b) would cancel.
                  const auto slope = hn::IfThenElse(hn::IsNaN(vb), vb,
                                                    kernels::HWY_NAMESPACE::LogisticGrad(DD(), vb));
                  hn::StoreU(hn::DemoteTo(dh, hn::Mul(vg, Gate(vb))), dh, to_a);
                  hn::StoreU(hn::DemoteTo(dh, hn::Mul(hn::Mul(vg, va), slope)), dh, to_b);
                });
}

}  // namespace
}  // namespace sigma::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace sigma {

HWY_EXPORT(GluForwardF32);
HWY_EXPORT(GluBackwardF32);

namespace detail {

void glu_forward_f32(const float* a, const float* b, float* out, std::size_t n) {
  HWY_DYNAMIC_DISPATCH(GluForwardF32)(a, b, out, n);
}

void glu_backward_f32(const float* a, const float* b, const float* g, float* da, float* db,
                      std::size_t n) {
  HWY_DYNAMIC_DISPATCH(GluBackwardF32)(a, b, g, da, db, n);
}

}  // namespace detail
}  // namespace sigma
#endif  // HWY_ONCE
