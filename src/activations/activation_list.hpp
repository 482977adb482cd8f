// The one list of activations: every catalog function once, with its kernel family, kernel type,
// reference functions and whether f' can be written from the output. The kernels' ids and
// dispatch (kernels/kernels.hpp), the reference's declarations (reference.hpp) and the catalog's
// check (catalog.cpp) are generated from it.
#pragma once

#include <string_view>

// X(family, name, Kernel, reference, from_output), one line per catalog function:
// - family: the file its kernel lives in (Piecewise: piecewise_kernels.cpp, ...);
// - name: the catalog name, which the catalog's entry must carry (catalog.cpp checks both ways);
// - Kernel: its kernel type (loop-inl.h states the contract, and checks it);
// - reference: the scalar reference functions reference::NAME and NAME_grad (reference.hpp
//   declares them from this list);
// - from_output: Y where f' can be written from y = f(x) (reference::NAME_grad_from_output and
//   the kernel's GradFromOutput exist), N where not.
// Adding an activation is a line here, its catalog entry, its reference and its kernel.
// piecewise_kernels.cpp
#define SIGMA_PIECEWISE_ACTIVATIONS(X)                           \
  X(Piecewise, identity, Identity, identity, Y)                  \
  X(Piecewise, step, Step, step, Y)                              \
  X(Piecewise, sign, Sign, sign, Y)                              \
  X(Piecewise, relu, Relu, relu, Y)                              \
  X(Piecewise, leaky_relu, LeakyRelu, leaky_relu, Y)             \
  X(Piecewise, prelu, LeakyRelu, leaky_relu, Y)                  \
  X(Piecewise, rrelu, Rrelu, rrelu, Y)                           \
  X(Piecewise, relu6, Relu6, relu6, Y)                           \
  X(Piecewise, hardtanh, Hardtanh, hardtanh, Y)                  \
  X(Piecewise, threshold, Threshold, threshold, N)               \
  X(Piecewise, srelu, Srelu, srelu, Y)                           \
  X(Piecewise, hardsigmoid, Hardsigmoid, hardsigmoid, Y)         \
  X(Piecewise, hardswish, Hardswish, hardswish, N)               \
  X(Piecewise, softshrink, Softshrink, softshrink, Y)            \
  X(Piecewise, hardshrink, Hardshrink, hardshrink, Y)            \
  X(Piecewise, absolute, Absolute, absolute, N)                  \
  X(Piecewise, squared_relu, SquaredRelu, squared_relu, Y)       \
  X(Piecewise, sparse_plus, SparsePlus, sparse_plus, Y)          \
  X(Piecewise, sparse_sigmoid, SparseSigmoid, sparse_sigmoid, Y) \
  X(Piecewise, sqnl, Sqnl, sqnl, N)

// sigmoid_tanh_kernels.cpp
#define SIGMA_SIGMOID_TANH_ACTIVATIONS(X)                                         \
  X(SigmoidTanh, sigmoid, Sigmoid, sigmoid, Y)                                    \
  X(SigmoidTanh, tanh, Tanh, tanh, Y)                                             \
  X(SigmoidTanh, symmetrical_sigmoid, SymmetricalSigmoid, symmetrical_sigmoid, Y) \
  X(SigmoidTanh, lecun_tanh, LecunTanh, lecun_tanh, Y)                            \
  X(SigmoidTanh, softsign, Softsign, softsign, Y)                                 \
  X(SigmoidTanh, arctan, Arctan, arctan, Y)                                       \
  X(SigmoidTanh, isru, Isru, isru, Y)                                             \
  X(SigmoidTanh, isrlu, Isrlu, isrlu, Y)                                          \
  X(SigmoidTanh, tanhshrink, Tanhshrink, tanhshrink, N)

// exponential_kernels.cpp
#define SIGMA_EXPONENTIAL_ACTIVATIONS(X)                   \
  X(Exponential, elu, Elu, elu, Y)                         \
  X(Exponential, selu, Selu, selu, Y)                      \
  X(Exponential, celu, Celu, celu, Y)                      \
  X(Exponential, exponential, Exponential, exponential, Y) \
  X(Exponential, loglog, Loglog, loglog, Y)

// softplus_kernels.cpp
#define SIGMA_SOFTPLUS_ACTIVATIONS(X)                \
  X(Softplus, softplus, Softplus, softplus, Y)       \
  X(Softplus, logsigmoid, Logsigmoid, logsigmoid, Y) \
  X(Softplus, squareplus, Squareplus, squareplus, Y)

// self_gated_kernels.cpp
#define SIGMA_SELF_GATED_ACTIVATIONS(X) \
  X(SelfGated, silu, Silu, silu, N)     \
  X(SelfGated, swish, Swish, swish, N)  \
  X(SelfGated, mish, Mish, mish, N)

// gelu_kernels.cpp
#define SIGMA_GELU_ACTIVATIONS(X) X(Gelu, gelu, Gelu, gelu, N)

// gallery_kernels.cpp
#define SIGMA_GALLERY_ACTIVATIONS(X)                        \
  X(Gallery, bent_identity, BentIdentity, bent_identity, N) \
  X(Gallery, gaussian, Gaussian, gaussian, N)               \
  X(Gallery, sinusoid, Sinusoid, sinusoid, N)               \
  X(Gallery, cos, Cos, cos, N)                              \
  X(Gallery, sinc, Sinc, sinc, N)                           \
  X(Gallery, snake, Snake, snake, N)

// Every activation, family by family.
#define SIGMA_ACTIVATIONS(X)        \
  SIGMA_PIECEWISE_ACTIVATIONS(X)    \
  SIGMA_SIGMOID_TANH_ACTIVATIONS(X) \
  SIGMA_EXPONENTIAL_ACTIVATIONS(X)  \
  SIGMA_SOFTPLUS_ACTIVATIONS(X)     \
  SIGMA_SELF_GATED_ACTIVATIONS(X)   \
  SIGMA_GELU_ACTIVATIONS(X)         \
  SIGMA_GALLERY_ACTIVATIONS(X)

#define SIGMA_KERNEL_FAMILIES(F) \
  F(Piecewise)                   \
  F(SigmoidTanh)                 \
  F(Exponential)                 \
  F(Softplus)                    \
  F(SelfGated)                   \
  F(Gelu)                        \
  F(Gallery)

namespace sigma::detail {

// The list's names, in its order (the kernels' ids index it).
inline constexpr std::string_view kListedActivations[] = {
#define SIGMA_LISTED_NAME(family, name, kernel, reference, from_output) #name,
    SIGMA_ACTIVATIONS(SIGMA_LISTED_NAME)
#undef SIGMA_LISTED_NAME
};

}  // namespace sigma::detail
