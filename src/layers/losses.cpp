// The loss functions: argument checks, one definition per loss (evaluated in double, in a form
// without overflow or cancellation), a fixed summation order for the reductions, and the typed
// entry points. The vector kernels they run on are in loss_kernels.cpp.
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <numbers>
#include <sigma/error.hpp>
#include <string>
#include <type_traits>
#include <vector>

#include "common/shape.hpp"
#include "common/threads.hpp"
#include "layers/losses_internal.hpp"
#include "layers/softmax_scalar.hpp"

namespace sigma {

namespace {

using detail::LossId;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---- One definition per loss: the loss of one element and its derivative, in double ----

struct Value {
  double loss;
  double grad;
};

// w x, where a weight of exactly 0 removes the term even when x is infinite: the limit of the
// loss as the input goes to +-inf (0 log 0 = 0).
double weighted(double w, double x) { return w == 0 ? 0 : w * x; }

Value binary_cross_entropy(double z, double p) {
  return {-(weighted(z, std::log(p)) + weighted(1 - z, std::log1p(-p))),
          -weighted(z, 1 / p) + weighted(1 - z, 1 / (1 - p))};
}

Value squared_error(double z, double x) {
  const double r = x - z;
  return {r * r, 2 * r};
}

Value absolute_error(double z, double x) {
  const double r = x - z;
  return {std::fabs(r), r > 0 ? 1.0 : r < 0 ? -1.0 : 0.0};
}

Value huber(double z, double x, double delta) {
  const double r = x - z, a = std::fabs(r);
  if (a <= delta) return {0.5 * r * r, r};
  return {delta * (a - 0.5 * delta), std::copysign(delta, r)};
}

// y in {-1, 1}; the kink at y x = 1 gets gradient 0 (as relu'(0)).
Value hinge(double y, double x) {
  const double margin = 1 - y * x;
  return {std::max(margin, 0.0), margin > 0 ? -y : 0.0};
}

Value poisson(double z, double x) { return {x - weighted(z, std::log(x)), 1 - weighted(z, 1 / x)}; }

// log cosh r = log1p(2 sinh^2(r/2)) near 0, where the textbook |r| + log1p(e^-2|r|) - log 2
// cancels down to nothing; that form beyond |r| = 1, where sinh^2 would overflow.
Value log_cosh(double z, double x) {
  const double r = x - z, a = std::fabs(r);
  double loss;
  if (a <= 1) {
    const double s = std::sinh(a / 2);
    loss = std::log1p(2 * s * s);
  } else {
    loss = (a - std::numbers::ln2) + std::log1p(std::exp(-2 * a));
  }
  return {loss, std::tanh(r)};
}

// ---- Checks ----

template <class T, class U>
void check_disjoint(const char* op, const char* a_name, std::span<T> a, const char* b_name,
                    std::span<U> b) {
  const auto a_begin = reinterpret_cast<std::uintptr_t>(a.data());
  const auto b_begin = reinterpret_cast<std::uintptr_t>(b.data());
  if (!a.empty() && !b.empty() && a_begin < b_begin + b.size_bytes() &&
      b_begin < a_begin + a.size_bytes()) {
    throw Error(std::string(op) + ": " + a_name + " overlaps " + b_name);
  }
}

std::string number(double v) {
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  return std::string(buffer, end);
}

// Outputs: `loss` sized by the reduction, `grad` empty or one per input, neither overlapping an
// input (a row's gradient is written before its loss is complete).
template <class T, class L>
void check_outputs(const char* op, std::span<const L> labels, std::span<const T> inputs,
                   const char* inputs_name, std::size_t examples, const char* example,
                   std::span<T> loss, std::span<T> grad, Reduction reduction) {
  if (reduction == Reduction::kNone) {
    const std::string why = std::string("reduction none (one loss per ") + example + ")";
    detail::check_output_size(op, "loss", loss.size(), examples, why.c_str());
  } else {
    detail::check_output_size(op, "loss", loss.size(), 1, "a reduced loss");
  }
  if (!grad.empty()) {
    detail::check_output_size(op, "grad", grad.size(), inputs.size(), "one gradient per input");
  }
  check_disjoint(op, "loss", loss, "labels", labels);
  check_disjoint(op, "loss", loss, inputs_name, inputs);
  check_disjoint(op, "grad", grad, "labels", labels);
  check_disjoint(op, "grad", grad, inputs_name, inputs);
  check_disjoint(op, "grad", grad, "loss", loss);
}

// Every value in [low, high] (NaN passes: it gives NaN, not an error).
template <class T>
void check_range(const char* op, const char* what, std::span<const T> values, double low,
                 double high) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double v = values[i];
    if (v < low || v > high) {
      const std::string range = high == std::numeric_limits<double>::infinity()
                                    ? ">= " + number(low)
                                    : "in [" + number(low) + ", " + number(high) + "]";
      throw Error(std::string(op) + ": " + what + " " + number(v) + " at index " +
                  std::to_string(i) + " is not " + range);
    }
  }
}

void check_parameter(const char* op, const char* name, double value, double low, double high) {
  if (!(value >= low && value <= high)) {
    throw Error(std::string(op) + ": " + name + " must be in [" + number(low) + ", " +
                number(high) + "], got " + number(value));
  }
}

// ---- Reductions in a fixed order ----

// Examples per block: the unit of work of a thread and of the fixed summation order.
constexpr std::size_t kBlockExamples = 1024;

// Calls block(begin, end, losses) for blocks of examples, losses[0, end - begin) to be filled
// with their losses, and writes `loss` as the reduction says. The blocks do not depend on the
// thread count, nor does the order of the sum.
template <class T, class Block>
void run_blocks(std::size_t examples, std::size_t elements_per_example, std::span<T> loss,
                Reduction reduction, Block&& block) {
  const std::size_t blocks = (examples + kBlockExamples - 1) / kBlockExamples;
  std::vector<double> partial(reduction == Reduction::kNone ? 0 : blocks);
  const std::size_t min_blocks =
      detail::min_units_per_chunk(kBlockExamples * std::max<std::size_t>(elements_per_example, 1));
  detail::parallel_for(blocks, min_blocks, [&](std::size_t b0, std::size_t b1) {
    std::array<double, kBlockExamples> losses;
    for (std::size_t b = b0; b < b1; ++b) {
      const std::size_t begin = b * kBlockExamples;
      const std::size_t end = std::min(examples, begin + kBlockExamples);
      block(begin, end, losses.data());
      if (reduction == Reduction::kNone) {
        for (std::size_t i = begin; i < end; ++i) loss[i] = static_cast<T>(losses[i - begin]);
      } else {
        double sum = 0;
        for (std::size_t i = begin; i < end; ++i) sum += losses[i - begin];
        partial[b] = sum;
      }
    }
  });
  if (reduction == Reduction::kNone) return;
  double total = 0;
  for (const double p : partial) total += p;
  loss[0] =
      static_cast<T>(reduction == Reduction::kMean ? total / static_cast<double>(examples) : total);
}

double gradient_scale(Reduction reduction, std::size_t examples) {
  return reduction == Reduction::kMean ? 1 / static_cast<double>(examples) : 1;
}

// A loss with one value per element: fn(label, input) -> Value. NaN in either gives NaN.
template <class T, class Fn>
void elementwise(const char* op, const char* inputs_name, std::span<const T> labels,
                 std::span<const T> inputs, std::span<T> loss, std::span<T> grad,
                 Reduction reduction, Fn&& fn) {
  detail::check_same_size(op, "labels", labels.size(), inputs_name, inputs.size());
  check_outputs(op, labels, inputs, inputs_name, inputs.size(), "element", loss, grad, reduction);
  const double scale = gradient_scale(reduction, inputs.size());
  run_blocks(inputs.size(), 1, loss, reduction,
             [&](std::size_t begin, std::size_t end, double* losses) {
               for (std::size_t i = begin; i < end; ++i) {
                 const double z = labels[i], x = inputs[i];
                 const Value v = std::isnan(z) || std::isnan(x) ? Value{kNaN, kNaN} : fn(z, x);
                 losses[i - begin] = v.loss;
                 if (!grad.empty()) grad[i] = static_cast<T>(v.grad * scale);
               }
             });
}

// Sigmoid (q = 1) and weighted cross-entropy: the vector kernel LogisticLosses.
template <class T>
void logistic(const char* op, std::span<const T> labels, std::span<const T> logits,
              std::span<T> loss, std::span<T> grad, Reduction reduction, double q) {
  detail::check_same_size(op, "labels", labels.size(), "logits", logits.size());
  check_outputs(op, labels, logits, "logits", logits.size(), "element", loss, grad, reduction);
  const double scale = gradient_scale(reduction, logits.size());
  run_blocks(logits.size(), 1, loss, reduction,
             [&](std::size_t begin, std::size_t end, double* losses) {
               T* g = grad.empty() ? nullptr : grad.data() + begin;
               detail::logistic_losses(labels.data() + begin, logits.data() + begin, end - begin, q,
                                       scale, losses, g);
             });
}

// ---- Losses over classes ----

struct Rows {
  detail::AxisLayout layout;
  std::size_t examples() const { return layout.rows(); }
  // The first element of row r and the distance between its elements.
  std::size_t start(std::size_t r) const {
    return (r / layout.inner) * layout.length * layout.inner + r % layout.inner;
  }
};

// A loss with one value per row along the class axis. row_fn(row, first, stride, grad_scale)
// writes that row's gradient (if any) and returns its loss.
template <class T, class L, class RowFn>
void over_rows(const char* op, const char* inputs_name, std::span<const L> labels,
               std::span<const T> inputs, std::span<T> loss, std::span<T> grad, const Rows& rows,
               Reduction reduction, RowFn&& row_fn) {
  check_outputs(op, labels, inputs, inputs_name, rows.examples(), "row", loss, grad, reduction);
  const double scale = gradient_scale(reduction, rows.examples());
  run_blocks(rows.examples(), rows.layout.length, loss, reduction,
             [&](std::size_t begin, std::size_t end, double* losses) {
               for (std::size_t r = begin; r < end; ++r) {
                 losses[r - begin] = row_fn(r, rows.start(r), rows.layout.inner, scale);
               }
             });
}

template <class T>
Rows class_rows(const char* op, const char* inputs_name, std::span<const T> inputs,
                std::span<const std::size_t> shape, int axis) {
  return {detail::axis_layout(op, shape, inputs_name, inputs.size(), axis)};
}

// Softmax cross-entropy with soft labels (z non-null) or class ids: the vector kernel when the
// class axis is the last, the scalar row otherwise.
template <class T, class L>
void softmax_cross_entropy(const char* op, std::span<const L> labels, const T* z,
                           const std::size_t* ids, std::span<const T> logits, std::span<T> loss,
                           std::span<T> grad, const Rows& rows, Reduction reduction) {
  T* g = grad.empty() ? nullptr : grad.data();
  if (rows.layout.inner == 1 && rows.layout.length > 0) {
    check_outputs(op, labels, logits, "logits", rows.examples(), "row", loss, grad, reduction);
    const std::size_t n = rows.layout.length;
    const double scale = gradient_scale(reduction, rows.examples());
    run_blocks(rows.examples(), n, loss, reduction,
               [&](std::size_t begin, std::size_t end, double* losses) {
                 const std::size_t offset = begin * n;
                 // The kernel indexes its outputs by row from `begin`.
                 detail::softmax_cross_entropy_rows(
                     z != nullptr ? z + offset : nullptr, ids != nullptr ? ids + begin : nullptr,
                     logits.data() + offset, g != nullptr ? g + offset : nullptr, end - begin, n,
                     scale, losses);
               });
    return;
  }
  over_rows(op, "logits", labels, logits, loss, grad, rows, reduction,
            [&](std::size_t r, std::size_t first, std::size_t stride, double scale) {
              return detail::softmax_cross_entropy_row(
                  z != nullptr ? z + first : nullptr, ids != nullptr ? ids[r] : 0,
                  logits.data() + first, rows.layout.length, stride,
                  g != nullptr ? g + first : nullptr, scale);
            });
}

// Class ids as indices, each checked against [0, classes).
template <class L>
std::vector<std::size_t> class_ids(const char* op, std::span<const L> labels, const Rows& rows) {
  detail::check_output_size(op, "labels", labels.size(), rows.examples(), "one class id per row");
  std::vector<std::size_t> ids(labels.size());
  const std::size_t classes = rows.layout.length;
  for (std::size_t r = 0; r < labels.size(); ++r) {
    const L label = labels[r];
    if constexpr (std::is_floating_point_v<L>) {
      if (!(label >= 0 && label < static_cast<L>(classes) && label == std::floor(label))) {
        throw Error(std::string(op) + ": label " + number(label) + " at row " + std::to_string(r) +
                    " is not a class id in [0, " + std::to_string(classes) + ")");
      }
    } else if (label < 0 || static_cast<std::size_t>(label) >= classes) {
      throw Error(std::string(op) + ": label " + std::to_string(label) + " at row " +
                  std::to_string(r) + " is outside [0, " + std::to_string(classes) + ")");
    }
    ids[r] = static_cast<std::size_t>(label);
  }
  return ids;
}

template <class T>
void softmax_xent(std::span<const T> labels, std::span<const T> logits, std::span<T> loss,
                  std::span<T> grad, std::span<const std::size_t> shape, int axis,
                  Reduction reduction) {
  const char* op = "softmax_cross_entropy_with_logits";
  const Rows rows = class_rows(op, "logits", logits, shape, axis);
  detail::check_same_size(op, "labels", labels.size(), "logits", logits.size());
  // Weights per class: a negative one would reward a wrong class without bound.
  check_range(op, "label", labels, 0, std::numeric_limits<double>::infinity());
  softmax_cross_entropy<T, T>(op, labels, labels.data(), nullptr, logits, loss, grad, rows,
                              reduction);
}

template <class T, class L>
void sparse_softmax_xent(std::span<const L> labels, std::span<const T> logits, std::span<T> loss,
                         std::span<T> grad, std::span<const std::size_t> shape, int axis,
                         Reduction reduction) {
  const char* op = "sparse_softmax_cross_entropy_with_logits";
  const Rows rows = class_rows(op, "logits", logits, shape, axis);
  const std::vector<std::size_t> ids = class_ids(op, labels, rows);
  softmax_cross_entropy<T, L>(op, labels, nullptr, ids.data(), logits, loss, grad, rows, reduction);
}

template <class T>
void categorical_xent(std::span<const T> labels, std::span<const T> probabilities,
                      std::span<T> loss, std::span<T> grad, std::span<const std::size_t> shape,
                      int axis, Reduction reduction, double label_smoothing) {
  const char* op = "categorical_cross_entropy";
  const Rows rows = class_rows(op, "probabilities", probabilities, shape, axis);
  detail::check_same_size(op, "labels", labels.size(), "probabilities", probabilities.size());
  check_parameter(op, "label_smoothing", label_smoothing, 0, 1);
  check_range(op, "label", labels, 0, std::numeric_limits<double>::infinity());
  check_range(op, "probability", probabilities, 0, 1);
  const std::size_t n = rows.layout.length;
  const double keep = 1 - label_smoothing, spread = label_smoothing / static_cast<double>(n);
  over_rows(op, "probabilities", labels, probabilities, loss, grad, rows, reduction,
            [&](std::size_t, std::size_t first, std::size_t stride, double scale) {
              double sum = 0;
              for (std::size_t j = 0; j < n; ++j) {
                const std::size_t i = first + j * stride;
                const double z = keep * labels[i] + spread, p = probabilities[i];
                sum -= weighted(z, std::log(p));
                if (!grad.empty()) grad[i] = static_cast<T>(-weighted(z, 1 / p) * scale);
              }
              return sum;
            });
}

template <class T>
void kl_div(std::span<const T> labels, std::span<const T> probabilities, std::span<T> loss,
            std::span<T> grad, std::span<const std::size_t> shape, int axis, Reduction reduction) {
  const char* op = "kl_divergence";
  const Rows rows = class_rows(op, "probabilities", probabilities, shape, axis);
  detail::check_same_size(op, "labels", labels.size(), "probabilities", probabilities.size());
  check_range(op, "label", labels, 0, std::numeric_limits<double>::infinity());
  check_range(op, "probability", probabilities, 0, 1);
  over_rows(op, "probabilities", labels, probabilities, loss, grad, rows, reduction,
            [&](std::size_t, std::size_t first, std::size_t stride, double scale) {
              double sum = 0;
              for (std::size_t j = 0; j < rows.layout.length; ++j) {
                const std::size_t i = first + j * stride;
                const double z = labels[i], p = probabilities[i];
                sum += weighted(z, std::log(z) - std::log(p));
                if (!grad.empty()) grad[i] = static_cast<T>(-weighted(z, 1 / p) * scale);
              }
              return sum;
            });
}

// Keras' hinge reads labels that are all 0 or 1 as -1 and 1.
template <class T>
bool labels_are_zero_one(std::span<const T> labels) {
  return std::all_of(labels.begin(), labels.end(), [](T z) { return z == 0 || z == 1; });
}

// ---- The generic entry point ----

double param(const LossInfo& info, std::span<const double> params, std::size_t i) {
  return i < params.size() ? params[i] : info.params[i].default_value;
}

template <class T>
void evaluate(const LossInfo& info, std::span<const double> params, std::span<const T> labels,
              std::span<const T> inputs, std::span<T> loss, std::span<T> grad,
              std::span<const std::size_t> shape, int axis, Reduction reduction) {
  const LossId id = detail::loss_id(info);
  if (params.size() > info.params.size()) {
    throw Error(std::string(info.name) + " takes " + std::to_string(info.params.size()) +
                " parameters, got " + std::to_string(params.size()));
  }
  const char* op = info.name.data();  // catalog names are string literals
  const char* inputs_name = info.input == LossInput::kLogits          ? "logits"
                            : info.input == LossInput::kProbabilities ? "probabilities"
                                                                      : "predictions";
  if (!info.over_classes) detail::checked_size(op, shape, inputs_name, inputs.size());
  switch (id) {
    case LossId::kSigmoidCrossEntropyWithLogits:
      check_range(op, "label", labels, 0, 1);
      return logistic(op, labels, inputs, loss, grad, reduction, 1);
    case LossId::kWeightedCrossEntropyWithLogits: {
      const double q = param(info, params, 0);
      check_parameter(op, "pos_weight", q, 0, std::numeric_limits<double>::max());
      check_range(op, "label", labels, 0, 1);
      return logistic(op, labels, inputs, loss, grad, reduction, q);
    }
    case LossId::kSoftmaxCrossEntropyWithLogits:
      return softmax_xent(labels, inputs, loss, grad, shape, axis, reduction);
    case LossId::kSparseSoftmaxCrossEntropyWithLogits:
      return sparse_softmax_xent(labels, inputs, loss, grad, shape, axis, reduction);
    case LossId::kBinaryCrossEntropy:
      detail::check_same_size(op, "labels", labels.size(), inputs_name, inputs.size());
      check_range(op, "label", labels, 0, 1);
      check_range(op, "probability", inputs, 0, 1);
      return elementwise(op, inputs_name, labels, inputs, loss, grad, reduction,
                         binary_cross_entropy);
    case LossId::kCategoricalCrossEntropy:
      return categorical_xent(labels, inputs, loss, grad, shape, axis, reduction,
                              param(info, params, 0));
    case LossId::kKlDivergence:
      return kl_div(labels, inputs, loss, grad, shape, axis, reduction);
    case LossId::kMeanSquaredError:
      return elementwise(op, inputs_name, labels, inputs, loss, grad, reduction, squared_error);
    case LossId::kMeanAbsoluteError:
      return elementwise(op, inputs_name, labels, inputs, loss, grad, reduction, absolute_error);
    case LossId::kHuber: {
      const double delta = param(info, params, 0);
      if (!(delta > 0 && std::isfinite(delta))) {
        throw Error(std::string(op) + ": delta must be positive and finite, got " + number(delta));
      }
      return elementwise(op, inputs_name, labels, inputs, loss, grad, reduction,
                         [delta](double z, double x) { return huber(z, x, delta); });
    }
    case LossId::kHinge: {
      const bool zero_one = labels_are_zero_one(labels);
      return elementwise(
          op, inputs_name, labels, inputs, loss, grad, reduction,
          [zero_one](double z, double x) { return hinge(zero_one ? 2 * z - 1 : z, x); });
    }
    case LossId::kPoisson:
      detail::check_same_size(op, "labels", labels.size(), inputs_name, inputs.size());
      check_range(op, "prediction", inputs, 0, std::numeric_limits<double>::infinity());
      return elementwise(op, inputs_name, labels, inputs, loss, grad, reduction, poisson);
    case LossId::kLogCosh:
      return elementwise(op, inputs_name, labels, inputs, loss, grad, reduction, log_cosh);
    case LossId::kCount:
      break;
  }
  throw Error(std::string(op) + ": not a loss sigma can evaluate");
}

const LossInfo& entry(LossId id) { return loss_catalog()[static_cast<std::size_t>(id)]; }

template <class T>
void evaluate_id(LossId id, std::initializer_list<double> params, std::span<const T> labels,
                 std::span<const T> inputs, std::span<T> loss, std::span<T> grad,
                 std::span<const std::size_t> shape, int axis, Reduction reduction) {
  evaluate(entry(id), std::span<const double>(params.begin(), params.size()), labels, inputs, loss,
           grad, shape, axis, reduction);
}

}  // namespace

void evaluate_loss(const LossInfo& info, std::span<const double> params,
                   std::span<const float> labels, std::span<const float> inputs,
                   std::span<float> loss, std::span<float> grad, std::span<const std::size_t> shape,
                   int axis, Reduction reduction) {
  evaluate(info, params, labels, inputs, loss, grad, shape, axis, reduction);
}
void evaluate_loss(const LossInfo& info, std::span<const double> params,
                   std::span<const double> labels, std::span<const double> inputs,
                   std::span<double> loss, std::span<double> grad,
                   std::span<const std::size_t> shape, int axis, Reduction reduction) {
  evaluate(info, params, labels, inputs, loss, grad, shape, axis, reduction);
}

// The typed entry points: each is its catalog entry with its parameters.
#define SIGMA_ELEMENTWISE_LOSS(name, id)                                                         \
  void name(std::span<const float> labels, std::span<const float> inputs, std::span<float> loss, \
            std::span<float> grad, Reduction reduction) {                                        \
    evaluate_id<float>(LossId::id, {}, labels, inputs, loss, grad, {}, -1, reduction);           \
  }                                                                                              \
  void name(std::span<const double> labels, std::span<const double> inputs,                      \
            std::span<double> loss, std::span<double> grad, Reduction reduction) {               \
    evaluate_id<double>(LossId::id, {}, labels, inputs, loss, grad, {}, -1, reduction);          \
  }
SIGMA_ELEMENTWISE_LOSS(sigmoid_cross_entropy_with_logits, kSigmoidCrossEntropyWithLogits)
SIGMA_ELEMENTWISE_LOSS(binary_cross_entropy, kBinaryCrossEntropy)
SIGMA_ELEMENTWISE_LOSS(mean_squared_error, kMeanSquaredError)
SIGMA_ELEMENTWISE_LOSS(mean_absolute_error, kMeanAbsoluteError)
SIGMA_ELEMENTWISE_LOSS(hinge, kHinge)
SIGMA_ELEMENTWISE_LOSS(poisson, kPoisson)
SIGMA_ELEMENTWISE_LOSS(log_cosh, kLogCosh)
#undef SIGMA_ELEMENTWISE_LOSS

#define SIGMA_CLASS_LOSS(name, id)                                                               \
  void name(std::span<const float> labels, std::span<const float> inputs, std::span<float> loss, \
            std::span<float> grad, std::span<const std::size_t> shape, int axis,                 \
            Reduction reduction) {                                                               \
    evaluate_id<float>(LossId::id, {}, labels, inputs, loss, grad, shape, axis, reduction);      \
  }                                                                                              \
  void name(std::span<const double> labels, std::span<const double> inputs,                      \
            std::span<double> loss, std::span<double> grad, std::span<const std::size_t> shape,  \
            int axis, Reduction reduction) {                                                     \
    evaluate_id<double>(LossId::id, {}, labels, inputs, loss, grad, shape, axis, reduction);     \
  }
SIGMA_CLASS_LOSS(softmax_cross_entropy_with_logits, kSoftmaxCrossEntropyWithLogits)
SIGMA_CLASS_LOSS(kl_divergence, kKlDivergence)
#undef SIGMA_CLASS_LOSS

void weighted_cross_entropy_with_logits(std::span<const float> labels,
                                        std::span<const float> logits, double pos_weight,
                                        std::span<float> loss, std::span<float> grad,
                                        Reduction reduction) {
  evaluate_id<float>(LossId::kWeightedCrossEntropyWithLogits, {pos_weight}, labels, logits, loss,
                     grad, {}, -1, reduction);
}
void weighted_cross_entropy_with_logits(std::span<const double> labels,
                                        std::span<const double> logits, double pos_weight,
                                        std::span<double> loss, std::span<double> grad,
                                        Reduction reduction) {
  evaluate_id<double>(LossId::kWeightedCrossEntropyWithLogits, {pos_weight}, labels, logits, loss,
                      grad, {}, -1, reduction);
}

void sparse_softmax_cross_entropy_with_logits(std::span<const std::int64_t> labels,
                                              std::span<const float> logits, std::span<float> loss,
                                              std::span<float> grad,
                                              std::span<const std::size_t> shape, int axis,
                                              Reduction reduction) {
  sparse_softmax_xent(labels, logits, loss, grad, shape, axis, reduction);
}
void sparse_softmax_cross_entropy_with_logits(std::span<const std::int64_t> labels,
                                              std::span<const double> logits,
                                              std::span<double> loss, std::span<double> grad,
                                              std::span<const std::size_t> shape, int axis,
                                              Reduction reduction) {
  sparse_softmax_xent(labels, logits, loss, grad, shape, axis, reduction);
}
void sparse_softmax_cross_entropy_with_logits(std::span<const std::int32_t> labels,
                                              std::span<const float> logits, std::span<float> loss,
                                              std::span<float> grad,
                                              std::span<const std::size_t> shape, int axis,
                                              Reduction reduction) {
  sparse_softmax_xent(labels, logits, loss, grad, shape, axis, reduction);
}
void sparse_softmax_cross_entropy_with_logits(std::span<const std::int32_t> labels,
                                              std::span<const double> logits,
                                              std::span<double> loss, std::span<double> grad,
                                              std::span<const std::size_t> shape, int axis,
                                              Reduction reduction) {
  sparse_softmax_xent(labels, logits, loss, grad, shape, axis, reduction);
}

// 16-bit logits, as mixed-precision training feeds them: widened to float exactly, the loss
// computed and accumulated in float (and returned in float), the gradient rounded once to the
// logits' format.
namespace {

template <class Label, class H>
void sparse_softmax_xent_16(std::span<const Label> labels, std::span<const H> logits,
                            std::span<float> loss, std::span<H> grad,
                            std::span<const std::size_t> shape, int axis, Reduction reduction) {
  std::vector<float> wide(logits.size()), wide_grad(grad.size());
  for (std::size_t i = 0; i < logits.size(); ++i) wide[i] = static_cast<float>(logits[i]);
  sparse_softmax_xent(labels, std::span<const float>(wide), loss, std::span<float>(wide_grad),
                      shape, axis, reduction);
  for (std::size_t i = 0; i < grad.size(); ++i) grad[i] = H(wide_grad[i]);
}

}  // namespace

#define SIGMA_SPARSE_XENT_16(Label, H)                                                        \
  void sparse_softmax_cross_entropy_with_logits(                                              \
      std::span<const Label> labels, std::span<const H> logits, std::span<float> loss,        \
      std::span<H> grad, std::span<const std::size_t> shape, int axis, Reduction reduction) { \
    sparse_softmax_xent_16(labels, logits, loss, grad, shape, axis, reduction);               \
  }
SIGMA_SPARSE_XENT_16(std::int64_t, bfloat16)
SIGMA_SPARSE_XENT_16(std::int64_t, float16)
SIGMA_SPARSE_XENT_16(std::int32_t, bfloat16)
SIGMA_SPARSE_XENT_16(std::int32_t, float16)
#undef SIGMA_SPARSE_XENT_16

void categorical_cross_entropy(std::span<const float> labels, std::span<const float> probabilities,
                               std::span<float> loss, std::span<float> grad,
                               std::span<const std::size_t> shape, int axis, Reduction reduction,
                               double label_smoothing) {
  evaluate_id<float>(LossId::kCategoricalCrossEntropy, {label_smoothing}, labels, probabilities,
                     loss, grad, shape, axis, reduction);
}
void categorical_cross_entropy(std::span<const double> labels,
                               std::span<const double> probabilities, std::span<double> loss,
                               std::span<double> grad, std::span<const std::size_t> shape, int axis,
                               Reduction reduction, double label_smoothing) {
  evaluate_id<double>(LossId::kCategoricalCrossEntropy, {label_smoothing}, labels, probabilities,
                      loss, grad, shape, axis, reduction);
}

void huber(std::span<const float> labels, std::span<const float> predictions, std::span<float> loss,
           std::span<float> grad, Reduction reduction, double delta) {
  evaluate_id<float>(LossId::kHuber, {delta}, labels, predictions, loss, grad, {}, -1, reduction);
}
void huber(std::span<const double> labels, std::span<const double> predictions,
           std::span<double> loss, std::span<double> grad, Reduction reduction, double delta) {
  evaluate_id<double>(LossId::kHuber, {delta}, labels, predictions, loss, grad, {}, -1, reduction);
}

}  // namespace sigma
