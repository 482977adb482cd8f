// The vector kernels behind sigma::Activation's array methods: one per catalog function, grouped
// in families (one file each, as activation_list.hpp names them), compiled for every SIMD target
// Highway supports and chosen at run time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <sigma/catalog.hpp>

#include "activations/activation_list.hpp"
#include "activations/constants.hpp"
#include "activations/params.hpp"

namespace sigma::kernels {

// Kernels read their parameters by name: explicit Elu(Named<params::kEluAlpha> p).
using params::Named;

enum class KernelId : int {
#define SIGMA_KERNEL_ENUM(family, name, kernel, reference, from_output) k_##name,
  SIGMA_ACTIVATIONS(SIGMA_KERNEL_ENUM)
#undef SIGMA_KERNEL_ENUM
      kNone
};

enum class Op : int {
  kForward,             // out = f(a)
  kDerivative,          // out = f'(a)
  kBackward,            // out = dy * f'(a)
  kBackwardFromOutput,  // out = dy * f'(x) from a = y = f(x)
};

// Whether a kernel is of the piecewise family, whose f' is exact in float (a constant or a short
// product), never an underflowed transcendental.
constexpr bool is_piecewise(KernelId id) {
#define SIGMA_PIECEWISE_CASE(family, name, kernel, reference, from_output) \
  if (id == KernelId::k_##name) return true;
  SIGMA_PIECEWISE_ACTIVATIONS(SIGMA_PIECEWISE_CASE)
#undef SIGMA_PIECEWISE_CASE
  return false;
}

// Whether the double kernel's f' is exact, a parameter, 0, 1 or 2x, but for (x + 1)/2 and
// 1 - |x|/2 where |x| < 2^-52 (where sparse_plus's series decides, and sqnl's dy f' is dy less a
// trifle, not near a midpoint): the piecewise family but for hardsigmoid (1/w) and hardswish
// ((2x + 3)/6). dy f' is then the exact product of two doubles.
constexpr bool has_exact_slope(KernelId id) {
  return is_piecewise(id) && id != KernelId::k_hardsigmoid && id != KernelId::k_hardswish;
}

// Whether f(x) = f'(x) x on every piece, with an exact f' (the rectifiers through 0): f is then
// the exact product of two doubles, f' and x.
constexpr bool is_slope_times_input(KernelId id) {
  return id == KernelId::k_relu || id == KernelId::k_leaky_relu || id == KernelId::k_prelu ||
         id == KernelId::k_rrelu;
}

// The kernel for a catalog function, or KernelId::kNone.
KernelId find_kernel(const FunctionInfo& info);

// What the forward gives at x = +-0 where the reference's f(-0) and f(+0) are both zeros: the
// input (f(-0) = -0, as for odd functions and x sigma(x)), its negation (a leaky slope below 0),
// or the vector formula's result (the reference gives +0 at both, or f(0) is not 0). It depends
// on the parameters, so the caller decides it once per sigma::Activation (zeros_of).
enum class Zeros : int { kAsComputed, kPassThrough, kNegated };
Zeros zeros_of(const FunctionInfo& info, const Params& params);

// The function a kernel evaluates.
struct Function {
  const FunctionInfo& info;
  const Params& params;
  Zeros zeros;
};

// Applies a kernel to n elements. `dy` is read only by the backward ops. `out` may be `a` or
// `dy` exactly. Runs on the calling thread; the caller splits work across threads.
void run(KernelId id, Op op, const Function& function, const float* a, const float* dy, float* out,
         std::size_t n);
void run(KernelId id, Op op, const Function& function, const double* a, const double* dy,
         double* out, std::size_t n);

// The 16-bit storage formats (<sigma/half.hpp>).
enum class HalfFormat : int { kBFloat16, kFloat16 };

// out[i] = in[i] as float, exactly.
void widen(HalfFormat format, const std::uint16_t* in, float* out, std::size_t n);

// How a 16-bit pass rounds float results to the format (to nearest even, NaN quiet, overflow
// infinite) and hands back the lanes whose rounding may not be that of the exact result: those
// where a rounding boundary lies within `steps` floats (bit patterns) of the result and, with
// check_slope (a backward whose f' may underflow float), those whose result is not finite (f'
// overflowed float) and, for bfloat16, those where f' lies in float's subnormal range (|result| <=
// |dy| 2^-125) and dy times its error reaches a boundary. For each such lane its index in the
// block and its inputs as floats (dy where the op reads it), which an in-place call has written
// over by then; each array has room for a whole vector beyond the block.
struct HalfNarrowing {
  std::uint32_t steps;
  bool check_slope;
  std::uint32_t* index;
  float* x;
  float* dy;  // null where the op reads no dy
};

// out[i] = result[i] rounded as `narrowing` says, x and dy the results' inputs (dy null where the
// op reads none); returns how many lanes it handed back.
std::size_t narrow(HalfFormat format, const float* result, const float* x, const float* dy,
                   std::uint16_t* out, std::size_t n, const HalfNarrowing& narrowing);

// A kernel applied to 16-bit arrays in one pass, each vector widened, evaluated in float lanes and
// narrowed as `narrowing` says, where the kernel has float lanes for the op and no tables for it
// (their blocks read the inputs many times); returns how many lanes it handed back, or
// kNotInOnePass (and nothing written) where the caller takes the three passes of widen, run and
// narrow.
inline constexpr std::size_t kNotInOnePass = ~std::size_t{0};
std::size_t run_half(KernelId id, Op op, const Function& function, HalfFormat format,
                     const std::uint16_t* a, const std::uint16_t* dy, std::uint16_t* out,
                     std::size_t n, const HalfNarrowing& narrowing);

// Each family's entry points, defined in its file (SIGMA_EXPORT_FAMILY_RUN).
#define SIGMA_DECLARE_FAMILY_RUN(Family)                                                           \
  void run_##Family(KernelId id, Op op, const Function& function, const float* a, const float* dy, \
                    float* out, std::size_t n);                                                    \
  void run_##Family(KernelId id, Op op, const Function& function, const double* a,                 \
                    const double* dy, double* out, std::size_t n);                                 \
  std::size_t run_half_##Family(                                                                   \
      KernelId id, Op op, const Function& function, HalfFormat format, const std::uint16_t* a,     \
      const std::uint16_t* dy, std::uint16_t* out, std::size_t n, const HalfNarrowing& narrowing);
SIGMA_KERNEL_FAMILIES(SIGMA_DECLARE_FAMILY_RUN)
#undef SIGMA_DECLARE_FAMILY_RUN

// relu, relu6, hardtanh (where its bounds are values of the format) and identity on 16-bit bit
// patterns, every op (dy is read by the backward ops; a is y for kBackwardFromOutput): their
// results are inputs, bounds, 1, dy or dy times 0, so the float path's results bit for bit (NaN
// quieted as its narrowing does), without widening. False, and nothing written, for the other
// kernels and parameters. (absolute is left out: the sign of its NaN results differs between the
// float path's SIMD targets.)
bool exact_half(KernelId id, Op op, const Params& params, HalfFormat format, const std::uint16_t* a,
                const std::uint16_t* dy, std::uint16_t* out, std::size_t n);

// The SIMD target the kernels dispatch to on this machine, e.g. "AVX3_ZEN4".
const char* target_name();

}  // namespace sigma::kernels
