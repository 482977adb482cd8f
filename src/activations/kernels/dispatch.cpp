// From a kernel id to its family's entry point, and the facts about a function the kernels share.

#include <cmath>
#include <iterator>

#include "activations/kernels/kernels.hpp"

// clang-format off
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "activations/kernels/dispatch.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
// clang-format on

HWY_BEFORE_NAMESPACE();
namespace sigma::kernels::HWY_NAMESPACE {
const char* TargetName() { return hwy::TargetName(HWY_TARGET); }
}  // namespace sigma::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace sigma::kernels {

HWY_EXPORT(TargetName);

Zeros zeros_of(const FunctionInfo& info, const Params& params) {
  const double minus = info.reference(-0.0, params), plus = info.reference(0.0, params);
  if (minus != 0 || plus != 0) return Zeros::kAsComputed;
  if (std::signbit(minus) && !std::signbit(plus)) return Zeros::kPassThrough;
  if (!std::signbit(minus) && std::signbit(plus)) return Zeros::kNegated;
  return Zeros::kAsComputed;
}

KernelId find_kernel(const FunctionInfo& info) {
  for (std::size_t i = 0; i < std::size(detail::kListedActivations); ++i) {
    if (info.name == detail::kListedActivations[i]) return static_cast<KernelId>(i);
  }
  return KernelId::kNone;
}

template <typename T>
void run_any(KernelId id, Op op, const Function& function, const T* a, const T* dy, T* out,
             std::size_t n) {
  switch (id) {
#define SIGMA_FAMILY_CASE(family, name, kernel, reference, from_output) \
  case KernelId::k_##name:                                              \
    return run_##family(id, op, function, a, dy, out, n);
    SIGMA_ACTIVATIONS(SIGMA_FAMILY_CASE)
#undef SIGMA_FAMILY_CASE
    case KernelId::kNone:
      break;
  }
}

void run(KernelId id, Op op, const Function& function, const float* a, const float* dy, float* out,
         std::size_t n) {
  run_any(id, op, function, a, dy, out, n);
}

void run(KernelId id, Op op, const Function& function, const double* a, const double* dy,
         double* out, std::size_t n) {
  run_any(id, op, function, a, dy, out, n);
}

std::size_t run_half(KernelId id, Op op, const Function& function, HalfFormat format,
                     const std::uint16_t* a, const std::uint16_t* dy, std::uint16_t* out,
                     std::size_t n, const HalfNarrowing& narrowing) {
  switch (id) {
#define SIGMA_FAMILY_HALF_CASE(family, name, kernel, reference, from_output) \
  case KernelId::k_##name:                                                   \
    return run_half_##family(id, op, function, format, a, dy, out, n, narrowing);
    SIGMA_ACTIVATIONS(SIGMA_FAMILY_HALF_CASE)
#undef SIGMA_FAMILY_HALF_CASE
    case KernelId::kNone:
      break;
  }
  return kNotInOnePass;
}

const char* target_name() { return HWY_DYNAMIC_DISPATCH(TargetName)(); }

}  // namespace sigma::kernels
#endif  // HWY_ONCE
