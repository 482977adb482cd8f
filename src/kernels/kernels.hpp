// The vector kernels behind sigma::Activation's array methods: one per catalog function,
// compiled for every SIMD target Highway supports and chosen at run time.
#pragma once

#include <cstddef>
#include <sigma/catalog.hpp>

namespace sigma::kernels {

// One line per catalog function: X(catalog name, kernel type). A catalog entry without a line
// here has no kernel, which the tests report.
#define SIGMA_KERNELS(X)                     \
  X(identity, Identity)                      \
  X(step, Step)                              \
  X(sign, Sign)                              \
  X(sigmoid, Sigmoid)                        \
  X(tanh, Tanh)                              \
  X(symmetrical_sigmoid, SymmetricalSigmoid) \
  X(lecun_tanh, LecunTanh)                   \
  X(hardsigmoid, Hardsigmoid)                \
  X(logsigmoid, Logsigmoid)                  \
  X(softsign, Softsign)                      \
  X(arctan, Arctan)                          \
  X(isru, Isru)                              \
  X(loglog, Loglog)                          \
  X(relu, Relu)                              \
  X(leaky_relu, LeakyRelu)                   \
  X(prelu, LeakyRelu)                        \
  X(rrelu, Rrelu)                            \
  X(relu6, Relu6)                            \
  X(hardtanh, Hardtanh)                      \
  X(threshold, Threshold)                    \
  X(srelu, Srelu)                            \
  X(elu, Elu)                                \
  X(selu, Selu)                              \
  X(celu, Celu)                              \
  X(exponential, Exponential)                \
  X(softplus, Softplus)                      \
  X(squareplus, Squareplus)                  \
  X(silu, Silu)                              \
  X(swish, Swish)                            \
  X(gelu, Gelu)                              \
  X(mish, Mish)                              \
  X(hardswish, Hardswish)                    \
  X(bent_identity, BentIdentity)             \
  X(tanhshrink, Tanhshrink)                  \
  X(softshrink, Softshrink)                  \
  X(hardshrink, Hardshrink)                  \
  X(gaussian, Gaussian)                      \
  X(absolute, Absolute)                      \
  X(sinusoid, Sinusoid)                      \
  X(cos, Cos)                                \
  X(sinc, Sinc)

enum class KernelId : int {
#define SIGMA_KERNEL_ENUM(name, type) k_##name,
  SIGMA_KERNELS(SIGMA_KERNEL_ENUM)
#undef SIGMA_KERNEL_ENUM
      kNone
};

enum class Op : int {
  kForward,             // out = f(a)
  kDerivative,          // out = f'(a)
  kBackward,            // out = dy * f'(a)
  kBackwardFromOutput,  // out = dy * f'(x) from a = y = f(x)
};

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

// The SIMD target the kernels dispatch to on this machine, e.g. "AVX3_ZEN4".
const char* target_name();

}  // namespace sigma::kernels
