// sigma's operators in PyTorch's registry (TORCH_LIBRARY), so that they are torch.ops.sigma.*
// from Python, work under torch.jit.script and can be called from C++ libtorch through the
// dispatcher. A few generic operators take the catalog's spec or name, so the catalog drives all
// of them: each is one kernel that is also its autograd node (a torch::autograd::Function whose
// forward calls the library directly), with first derivatives only.
//
// Tensors: CPU float32 or float64 of any layout, and bfloat16 or float16 for the activations and
// the softmax family (sigma's 16-bit kernels: every result correctly rounded); contiguous
// ones are read in place, others are copied once. CUDA tensors, and dtypes an operator does not
// take, get a TypeError naming what is supported; a bad spec, parameter or shape gets a
// ValueError with the library's one-line message.
//
// Threads: the operators split their work over PyTorch's intra-op threads (at::parallel_for,
// torch.set_num_threads), as torch's own operators do, and this library's copy of sigma's core
// runs on the calling thread: two thread pools in one process would compete for the same cores
// between a model's operators.
//
// This is the only translation unit that includes libtorch's headers (they take a while to
// compile); python/sigma/torch.py is the Python side.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/custom_function.h>
#include <torch/library.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <sigma/activation.hpp>
#include <sigma/dropout.hpp>
#include <sigma/error.hpp>
#include <sigma/losses.hpp>
#include <sigma/prelu.hpp>
#include <sigma/softmax.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "parsed_spec.hpp"

namespace sigma_torch {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

constexpr const char* kSupported = "sigma's operators take CPU tensors of float32 or float64";
constexpr const char* kSupportedWithHalves =
    "sigma's operators take CPU tensors of float32 or float64 (activations and the softmax "
    "family also bfloat16 and float16)";

bool is_half(const at::Tensor& t) {
  return t.scalar_type() == at::kBFloat16 || t.scalar_type() == at::kHalf;
}

// halves: whether the operator also takes bfloat16 and float16 tensors.
void check_input(const at::Tensor& t, const char* op, const char* name, bool halves = false) {
  const char* supported = halves ? kSupportedWithHalves : kSupported;
  TORCH_CHECK_TYPE(t.defined(), "sigma::", op, ": ", name, " is undefined");
  TORCH_CHECK_TYPE(t.device().is_cpu(), "sigma::", op, ": ", name, " is on ", t.device().str(),
                   "; ", supported, " (move it with .cpu())");
  TORCH_CHECK_TYPE(
      t.scalar_type() == at::kFloat || t.scalar_type() == at::kDouble || (halves && is_half(t)),
      "sigma::", op, ": ", name, " has dtype ", t.scalar_type(), "; ", supported,
      " (convert it with .float() or .double())");
}

// Calls the library, turning its sigma::Error into PyTorch's ValueError.
template <class F>
void guarded(F&& f) {
  try {
    f();
  } catch (const sigma::Error& e) {
    TORCH_CHECK_VALUE(false, e.what());
  }
}

// The elements of a contiguous tensor (T: float, double, sigma::bfloat16 or sigma::float16).
template <class T>
std::span<const T> in(const at::Tensor& contiguous) {
  return {static_cast<const T*>(contiguous.data_ptr()),
          static_cast<std::size_t>(contiguous.numel())};
}

template <class T>
std::span<T> out(at::Tensor& contiguous) {
  return {static_cast<T*>(contiguous.data_ptr()), static_cast<std::size_t>(contiguous.numel())};
}

std::vector<std::size_t> extents(const at::Tensor& t) {
  return std::vector<std::size_t>(t.sizes().begin(), t.sizes().end());
}

// f.template operator()<T>() for the tensor's precision, float or double.
template <class F>
void by_precision(const at::Tensor& t, F&& f) {
  if (t.scalar_type() == at::kFloat) {
    f.template operator()<float>();
  } else {
    f.template operator()<double>();
  }
}

// The same, 16-bit types included (sigma's bfloat16 and float16 have the layout of at::BFloat16
// and at::Half: the bits alone).
template <class F>
void by_element_type(const at::Tensor& t, F&& f) {
  if (t.scalar_type() == at::kBFloat16) {
    f.template operator()<sigma::bfloat16>();
  } else if (t.scalar_type() == at::kHalf) {
    f.template operator()<sigma::float16>();
  } else {
    by_precision(t, f);
  }
}

// PyTorch's grain for elementwise work (at::internal::GRAIN_SIZE): smaller tensors stay on one
// thread.
constexpr int64_t kGrain = 32768;

// f(begin, end) over [0, n) on PyTorch's intra-op threads, in pieces of at least `grain`.
template <class F>
void in_parallel(int64_t n, int64_t grain, F&& f) {
  at::parallel_for(0, n, std::max<int64_t>(grain, 1), [&](int64_t begin, int64_t end) {
    if (begin < end) f(begin, end);
  });
}

int64_t resolve_dim(const char* op, const at::Tensor& x, int64_t dim) {
  const int64_t rank = std::max<int64_t>(x.dim(), 1);
  const int64_t resolved = dim < 0 ? dim + rank : dim;
  TORCH_CHECK_INDEX(resolved >= 0 && resolved < rank, "sigma::", op, ": dim ", dim,
                    " is out of range for a tensor of rank ", rank);
  return resolved;
}

// A contiguous tensor as (outer, extent, inner) around a dim: an operator along the dim works on
// each outer slice alone, so the slices can go to different threads without changing a result.
struct AroundDim {
  int64_t outer = 1, extent = 1, inner = 1;

  AroundDim(const at::Tensor& t, int64_t resolved_dim) {
    for (int64_t d = 0; d < t.dim(); ++d) {
      (d < resolved_dim ? outer : d == resolved_dim ? extent : inner) *= t.size(d);
    }
  }

  // f(slices, offset, count) for runs of outer slices: `slices` is their shape with the dim at
  // axis 1, and they are the `count` elements from `offset` on.
  template <class F>
  void split(F&& f) const {
    const int64_t slice = extent * inner;
    in_parallel(outer, kGrain / std::max<int64_t>(slice, 1), [&](int64_t begin, int64_t end) {
      const std::size_t slices[] = {static_cast<std::size_t>(end - begin),
                                    static_cast<std::size_t>(extent),
                                    static_cast<std::size_t>(inner)};
      f(std::span<const std::size_t>(slices), static_cast<std::size_t>(begin * slice),
        static_cast<std::size_t>((end - begin) * slice));
    });
  }
};

// dy as a contiguous tensor of the forward input's dtype (autograd may hand in any layout).
at::Tensor gradient_like(const at::Tensor& dy, const at::Tensor& like) {
  // The usual case (a contiguous gradient of the input's dtype) needs no operator call.
  if (dy.scalar_type() == like.scalar_type() && dy.is_contiguous()) return dy;
  return dy.to(like.scalar_type()).contiguous();
}

// ---- Activations ----

// The spec parsed once (parsed_spec.hpp), its errors as ValueError.
sigma::Activation parsed(c10::string_view spec) {
  std::optional<sigma::Activation> act;
  guarded([&] { act = sigma_bindings::parsed(std::string_view(spec.data(), spec.size())); });
  return *act;
}

struct ActivationFunction : torch::autograd::Function<ActivationFunction> {
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& x, c10::string_view spec) {
    check_input(x, "activation", "x", /*halves=*/true);
    const sigma::Activation act = parsed(spec);
    const at::Tensor xc = x.contiguous();
    at::Tensor y = at::empty(xc.sizes(), xc.options());
    by_element_type(xc, [&]<class T>() {
      const auto xs = in<T>(xc);
      const auto ys = out<T>(y);
      in_parallel(xc.numel(), kGrain, [&](int64_t begin, int64_t end) {
        act.forward(xs.subspan(begin, end - begin), ys.subspan(begin, end - begin));
      });
    });
    ctx->saved_data["spec"] = std::string(spec.data(), spec.size());
    // The output is kept instead of the input where the catalog allows, as torch.sigmoid does.
    ctx->saved_data["from_output"] = act.has_backward_from_output();
    ctx->save_for_backward({act.has_backward_from_output() ? y : xc});
    return y;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const sigma::Activation act = parsed(ctx->saved_data["spec"].toStringRef());
    const bool from_output = ctx->saved_data["from_output"].toBool();
    const at::Tensor saved = ctx->get_saved_variables()[0];
    const at::Tensor dy = gradient_like(grads[0], saved);
    at::Tensor dx = at::empty_like(saved);
    by_element_type(saved, [&]<class T>() {
      const auto ss = in<T>(saved);
      const auto dys = in<T>(dy);
      const auto dxs = out<T>(dx);
      in_parallel(saved.numel(), kGrain, [&](int64_t begin, int64_t end) {
        const auto n = static_cast<std::size_t>(end - begin);
        if (from_output) {
          act.backward_from_output(ss.subspan(begin, n), dys.subspan(begin, n),
                                   dxs.subspan(begin, n));
        } else {
          act.backward(ss.subspan(begin, n), dys.subspan(begin, n), dxs.subspan(begin, n));
        }
      });
    });
    return {dx, at::Tensor()};
  }
};

at::Tensor activation(const at::Tensor& x, c10::string_view spec) {
  return ActivationFunction::apply(x, spec);
}

// ---- softmax, log_softmax, softmin ----

enum class Softmax { kSoftmax, kLogSoftmax, kSoftmin };

Softmax parse_softmax(c10::string_view kind) {
  if (kind == "softmax") return Softmax::kSoftmax;
  if (kind == "log_softmax") return Softmax::kLogSoftmax;
  if (kind == "softmin") return Softmax::kSoftmin;
  TORCH_CHECK_VALUE(false,
                    "sigma::softmax: kind must be one of softmax, log_softmax, softmin, got '",
                    std::string(kind.data(), kind.size()), "'");
  return Softmax::kSoftmax;
}

struct SoftmaxFunction : torch::autograd::Function<SoftmaxFunction> {
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& x, int64_t dim,
                            c10::string_view kind_name) {
    check_input(x, "softmax", "x", /*halves=*/true);
    const Softmax kind = parse_softmax(kind_name);
    const at::Tensor xc = x.contiguous();
    const AroundDim around(xc, resolve_dim("softmax", xc, dim));
    at::Tensor y = at::empty(xc.sizes(), xc.options());
    by_element_type(xc, [&]<class T>() {
      const auto xs = in<T>(xc);
      const auto ys = out<T>(y);
      around.split([&](std::span<const std::size_t> slices, std::size_t offset, std::size_t n) {
        const auto xp = xs.subspan(offset, n);
        const auto yp = ys.subspan(offset, n);
        if (kind == Softmax::kSoftmax) sigma::softmax(xp, yp, slices, 1);
        if (kind == Softmax::kLogSoftmax) sigma::log_softmax(xp, yp, slices, 1);
        if (kind == Softmax::kSoftmin) sigma::softmin(xp, yp, slices, 1);
      });
    });
    ctx->saved_data["dim"] = dim;
    ctx->saved_data["kind"] = static_cast<int64_t>(kind);
    ctx->save_for_backward({y});
    return y;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const at::Tensor y = ctx->get_saved_variables()[0];
    const auto kind = static_cast<Softmax>(ctx->saved_data["kind"].toInt());
    const AroundDim around(y, resolve_dim("softmax", y, ctx->saved_data["dim"].toInt()));
    const at::Tensor dy = gradient_like(grads[0], y);
    at::Tensor dx = at::empty_like(y);
    by_element_type(y, [&]<class T>() {
      const auto ys = in<T>(y);
      const auto dys = in<T>(dy);
      const auto dxs = out<T>(dx);
      around.split([&](std::span<const std::size_t> slices, std::size_t offset, std::size_t n) {
        const auto yp = ys.subspan(offset, n);
        const auto dyp = dys.subspan(offset, n);
        const auto dxp = dxs.subspan(offset, n);
        if (kind == Softmax::kSoftmax) sigma::softmax_backward(yp, dyp, dxp, slices, 1);
        if (kind == Softmax::kLogSoftmax) sigma::log_softmax_backward(yp, dyp, dxp, slices, 1);
        if (kind == Softmax::kSoftmin) sigma::softmin_backward(yp, dyp, dxp, slices, 1);
      });
    });
    return {dx, at::Tensor(), at::Tensor()};
  }
};

at::Tensor softmax(const at::Tensor& x, int64_t dim, c10::string_view kind) {
  return SoftmaxFunction::apply(x, dim, kind);
}

// ---- GLU and maxout: the output's extent along dim is the input's divided by `divisor` ----

std::vector<int64_t> divided_shape(const char* op, const at::Tensor& x, int64_t dim,
                                   int64_t divisor) {
  std::vector<int64_t> shape(x.sizes().begin(), x.sizes().end());
  if (shape.empty()) shape = {1};
  const int64_t d = resolve_dim(op, x, dim);
  TORCH_CHECK_VALUE(shape[d] % divisor == 0, "sigma::", op, ": dim ", dim, " has extent ", shape[d],
                    ", not a multiple of ", divisor);
  shape[d] /= divisor;
  return shape;
}

struct GroupFunction : torch::autograd::Function<GroupFunction> {
  // group_size 0: GLU (halves), else maxout over groups of group_size.
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& x, int64_t group_size,
                            int64_t dim) {
    const char* op = group_size == 0 ? "glu" : "maxout";
    check_input(x, op, "x");
    TORCH_CHECK_VALUE(group_size >= 0, "sigma::maxout: group_size must be positive");
    const int64_t divisor = group_size == 0 ? 2 : group_size;
    const at::Tensor xc = x.contiguous();
    at::Tensor y = at::empty(divided_shape(op, xc, dim, divisor), xc.options());
    if (xc.dim() == 0) y = y.reshape({});
    const AroundDim around(xc, resolve_dim(op, xc, dim));
    by_precision(xc, [&]<class T>() {
      const auto xs = in<T>(xc);
      const auto ys = out<T>(y);
      around.split([&](std::span<const std::size_t> slices, std::size_t offset, std::size_t n) {
        const auto xp = xs.subspan(offset, n);
        const auto yp = ys.subspan(offset / divisor, n / divisor);
        if (group_size == 0) {
          sigma::glu(xp, yp, slices, 1);
        } else {
          sigma::maxout(xp, yp, static_cast<std::size_t>(group_size), slices, 1);
        }
      });
    });
    ctx->saved_data["group_size"] = group_size;
    ctx->saved_data["dim"] = dim;
    ctx->save_for_backward({xc});
    return y;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const at::Tensor x = ctx->get_saved_variables()[0];
    const int64_t group_size = ctx->saved_data["group_size"].toInt();
    const int64_t divisor = group_size == 0 ? 2 : group_size;
    const AroundDim around(x, resolve_dim("glu", x, ctx->saved_data["dim"].toInt()));
    const at::Tensor dy = gradient_like(grads[0], x);
    at::Tensor dx = at::empty_like(x);
    by_precision(x, [&]<class T>() {
      const auto xs = in<T>(x);
      const auto dys = in<T>(dy);
      const auto dxs = out<T>(dx);
      around.split([&](std::span<const std::size_t> slices, std::size_t offset, std::size_t n) {
        const auto xp = xs.subspan(offset, n);
        const auto dxp = dxs.subspan(offset, n);
        const auto dyp = dys.subspan(offset / divisor, n / divisor);
        if (group_size == 0) {
          sigma::glu_backward(xp, dyp, dxp, slices, 1);
        } else {
          sigma::maxout_backward(xp, dyp, dxp, static_cast<std::size_t>(group_size), slices, 1);
        }
      });
    });
    return {dx, at::Tensor(), at::Tensor()};
  }
};

at::Tensor glu(const at::Tensor& x, int64_t dim) { return GroupFunction::apply(x, 0, dim); }

at::Tensor maxout(const at::Tensor& x, int64_t group_size, int64_t dim) {
  TORCH_CHECK_VALUE(group_size > 0, "sigma::maxout: group_size must be positive, got ", group_size);
  return GroupFunction::apply(x, group_size, dim);
}

// ---- Dropout ----

struct DropoutFunction : torch::autograd::Function<DropoutFunction> {
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& x, double p, bool training,
                            int64_t seed) {
    check_input(x, "dropout", "x");
    const at::Tensor xc = x.contiguous();
    at::Tensor y = at::empty(xc.sizes(), xc.options());
    at::Tensor mask = at::empty(xc.sizes(), xc.options().dtype(at::kByte));
    const std::span<std::uint8_t> mask_view(mask.data_ptr<std::uint8_t>(),
                                            static_cast<std::size_t>(mask.numel()));
    const std::vector<std::size_t> shape = extents(xc);
    by_precision(xc, [&]<class T>() {
      guarded([&] {
        sigma::dropout(in<T>(xc), out<T>(y), mask_view, p, static_cast<std::uint64_t>(seed), shape,
                       {}, training);
      });
    });
    ctx->saved_data["p"] = p;
    ctx->saved_data["training"] = training;
    ctx->save_for_backward({mask});
    return y;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const at::Tensor mask = ctx->get_saved_variables()[0];
    const at::Tensor dy = grads[0].contiguous();
    at::Tensor dx = at::empty_like(dy);
    const std::span<const std::uint8_t> mask_view(mask.data_ptr<std::uint8_t>(),
                                                  static_cast<std::size_t>(mask.numel()));
    by_precision(dy, [&]<class T>() {
      sigma::dropout_backward(mask_view, in<T>(dy), out<T>(dx), ctx->saved_data["p"].toDouble(),
                              ctx->saved_data["training"].toBool());
    });
    return {dx, at::Tensor(), at::Tensor(), at::Tensor()};
  }
};

at::Tensor dropout(const at::Tensor& x, double p, bool training, int64_t seed) {
  return DropoutFunction::apply(x, p, training, seed);
}

// ---- PReLU with a learned slope: one, or one per channel along dim ----

struct PreluFunction : torch::autograd::Function<PreluFunction> {
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& x, const at::Tensor& weight,
                            int64_t dim) {
    check_input(x, "prelu", "x");
    check_input(weight, "prelu", "weight");
    TORCH_CHECK_TYPE(weight.scalar_type() == x.scalar_type(), "sigma::prelu: weight has dtype ",
                     weight.scalar_type(), " but x has ", x.scalar_type());
    const at::Tensor xc = x.contiguous();
    const at::Tensor wc = weight.contiguous();
    at::Tensor y = at::empty(xc.sizes(), xc.options());
    const std::vector<std::size_t> shape = extents(xc);
    const int axis = static_cast<int>(dim);
    by_precision(xc, [&]<class T>() {
      guarded([&] { sigma::prelu(in<T>(xc), in<T>(wc), out<T>(y), shape, axis); });
    });
    ctx->saved_data["dim"] = dim;
    ctx->save_for_backward({xc, wc});
    return y;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const variable_list saved = ctx->get_saved_variables();
    const at::Tensor& x = saved[0];
    const at::Tensor& weight = saved[1];
    const at::Tensor dy = gradient_like(grads[0], x);
    at::Tensor dx = at::empty_like(x);
    at::Tensor dweight = at::empty_like(weight);
    const std::vector<std::size_t> shape = extents(x);
    const int axis = static_cast<int>(ctx->saved_data["dim"].toInt());
    by_precision(x, [&]<class T>() {
      sigma::prelu_backward(in<T>(x), in<T>(weight), in<T>(dy), out<T>(dx), out<T>(dweight), shape,
                            axis);
    });
    return {dx, dweight, at::Tensor()};
  }
};

at::Tensor prelu(const at::Tensor& x, const at::Tensor& weight, int64_t dim) {
  return PreluFunction::apply(x, weight, dim);
}

// ---- Losses: any catalog loss by name, with its gradient with respect to the input ----

sigma::Reduction parse_reduction(c10::string_view text) {
  if (text == "none") return sigma::Reduction::kNone;
  if (text == "sum") return sigma::Reduction::kSum;
  TORCH_CHECK_VALUE(text == "mean", "sigma::loss: reduction must be one of none, sum, mean, got '",
                    std::string(text.data(), text.size()), "'");
  return sigma::Reduction::kMean;
}

std::string shape_text(at::IntArrayRef shape) {
  std::string text = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    text += (i ? ", " : "") + std::to_string(shape[i]);
  }
  return text + (shape.size() == 1 ? ",)" : ")");
}

// Whether the tensor of class ids holds `value`; int64, PyTorch's type for class ids, is scanned
// without an operator call.
bool holds(const at::Tensor& ids, int64_t value) {
  if (ids.scalar_type() == at::kLong && ids.is_contiguous()) {
    const int64_t* begin = ids.data_ptr<int64_t>();
    return std::find(begin, begin + ids.numel(), value) != begin + ids.numel();
  }
  return ids.eq(value).any().item<bool>();
}

struct LossFunction : torch::autograd::Function<LossFunction> {
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& input, const at::Tensor& target,
                            c10::string_view name, c10::ArrayRef<double> params, int64_t dim,
                            c10::string_view reduction_name, c10::optional<int64_t> ignore_index) {
    const sigma::LossInfo* info = sigma::find_loss(std::string_view(name.data(), name.size()));
    TORCH_CHECK_VALUE(info != nullptr, "sigma::loss: unknown loss '",
                      std::string(name.data(), name.size()), "'");
    check_input(input, "loss", "input");
    const sigma::Reduction reduction = parse_reduction(reduction_name);
    std::vector<int64_t> rows(input.sizes().begin(), input.sizes().end());
    if (info->over_classes && !rows.empty())
      rows.erase(rows.begin() + resolve_dim("loss", input, dim));
    at::Tensor labels;
    if (info->class_ids) {
      TORCH_CHECK_TYPE(!at::isFloatingType(target.scalar_type()) && target.device().is_cpu(),
                       "sigma::loss: ", info->name,
                       " takes integer class ids on the CPU as target, got ", target.scalar_type());
      TORCH_CHECK_VALUE(target.sizes().vec() == rows, "sigma::loss: target has shape ",
                        shape_text(target.sizes()), " but the input without dim has shape ",
                        shape_text(rows));
      // Class ids reach the library as whole numbers in the input's precision.
      labels = target.to(input.scalar_type()).contiguous();
    } else {
      check_input(target, "loss", "target");
      TORCH_CHECK_VALUE(target.sizes() == input.sizes(), "sigma::loss: target has shape ",
                        shape_text(target.sizes()), " but input has shape ",
                        shape_text(input.sizes()), " (sigma does not broadcast)");
      labels = target.to(input.scalar_type()).contiguous();
    }
    const at::Tensor inputs = input.contiguous();
    const int64_t class_dim =
        info->over_classes && inputs.dim() > 0 ? resolve_dim("loss", inputs, dim) : int64_t{-1};
    // Rows whose class id is ignore_index add nothing, and a mean is over the other rows, as in
    // torch.nn.functional.cross_entropy. Checked here rather than in Python, where the test alone
    // cost a training step's cross-entropy a third of its time.
    at::Tensor kept;
    if (info->class_ids && ignore_index.has_value() && holds(target, *ignore_index)) {
      kept = target.ne(*ignore_index);
      labels = labels.masked_fill(kept.logical_not(), 0);
    }
    const sigma::Reduction computed = kept.defined() ? sigma::Reduction::kNone : reduction;
    at::Tensor loss = computed == sigma::Reduction::kNone ? at::empty(rows, inputs.options())
                                                          : at::empty({}, inputs.options());
    at::Tensor grad = at::empty_like(inputs);
    const std::vector<std::size_t> shape = extents(inputs);
    by_precision(inputs, [&]<class T>() {
      guarded([&] {
        sigma::evaluate_loss(*info, std::span<const double>(params.data(), params.size()),
                             in<T>(labels), in<T>(inputs), out<T>(loss), out<T>(grad), shape,
                             static_cast<int>(dim), computed);
      });
    });
    if (kept.defined()) {
      const at::Tensor weights = kept.to(inputs.scalar_type());
      loss.mul_(weights);
      grad.mul_(class_dim >= 0 ? weights.unsqueeze(class_dim) : weights);
      if (reduction != sigma::Reduction::kNone) loss = loss.sum();
      if (reduction == sigma::Reduction::kMean) {
        // With every row ignored the mean is 0/0 = NaN and the gradient stays 0, as PyTorch's.
        const at::Tensor count = weights.sum();
        loss.div_(count);
        if (count.item<double>() > 0) grad.div_(count);
      }
    }
    ctx->saved_data["expand_dim"] = reduction == sigma::Reduction::kNone ? class_dim : int64_t{-1};
    ctx->save_for_backward({grad});
    return loss;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const at::Tensor grad = ctx->get_saved_variables()[0];
    const int64_t expand_dim = ctx->saved_data["expand_dim"].toInt();
    at::Tensor dy = grads[0].to(grad.scalar_type());
    // One loss per row: its gradient spreads over the row's classes.
    if (expand_dim >= 0) dy = dy.unsqueeze(expand_dim);
    return {grad * dy,    at::Tensor(), at::Tensor(), at::Tensor(),
            at::Tensor(), at::Tensor(), at::Tensor()};
  }
};

at::Tensor loss(const at::Tensor& input, const at::Tensor& target, c10::string_view name,
                c10::ArrayRef<double> params, int64_t dim, c10::string_view reduction,
                c10::optional<int64_t> ignore_index) {
  return LossFunction::apply(input, target, name, params, dim, reduction, ignore_index);
}

}  // namespace
}  // namespace sigma_torch

TORCH_LIBRARY(sigma, m) {
  // This library's copy of sigma's core computes on the calling thread; the operators split
  // their work over PyTorch's threads instead.
  sigma::set_num_threads(1);
  m.def("activation(Tensor x, str spec) -> Tensor", &sigma_torch::activation);
  m.def("softmax(Tensor x, int dim=-1, str kind='softmax') -> Tensor", &sigma_torch::softmax);
  m.def("glu(Tensor x, int dim=-1) -> Tensor", &sigma_torch::glu);
  m.def("maxout(Tensor x, int group_size, int dim=-1) -> Tensor", &sigma_torch::maxout);
  m.def("dropout(Tensor x, float p, bool training, int seed) -> Tensor", &sigma_torch::dropout);
  m.def("prelu(Tensor x, Tensor weight, int dim=1) -> Tensor", &sigma_torch::prelu);
  m.def(
      "loss(Tensor input, Tensor target, str name, float[] params=[], int dim=-1, "
      "str reduction='mean', int? ignore_index=None) -> Tensor",
      &sigma_torch::loss);
}
