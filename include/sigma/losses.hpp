// Loss functions with their gradients, and the catalog that describes them.
//
// Every loss takes labels and inputs (logits, probabilities or predictions, as its name says),
// writes the loss to `loss` and, unless `grad` is empty, the gradient of the reduced loss with
// respect to the inputs to `grad` (the inputs' size):
// - Elementwise losses (sigmoid and weighted cross-entropy, binary cross-entropy, the
//   regression losses) have one loss per element.
// - Losses over classes (the softmax cross-entropies, categorical cross-entropy, KL divergence)
//   see the inputs as a row-major array of `shape` (empty: one row) and have one loss per row
//   along the class `axis` (negative counts from the end).
// `reduction` says what `loss` holds: kNone, one loss per example (element or row); kSum, their
// sum (one value); kMean, their mean (one value; NaN when there are no examples, as PyTorch).
// With kNone `grad` holds each example's own gradient; with kSum and kMean, that of the sum or
// mean. Sums are formed in double in a fixed order, so results do not depend on the thread count.
//
//   std::vector<float> logits(128 * 10), loss(1), grad(logits.size());
//   std::vector<std::int64_t> labels(128);
//   const std::array<std::size_t, 2> shape = {128, 10};
//   sigma::sparse_softmax_cross_entropy_with_logits(labels, logits, loss, grad, shape, -1,
//                                                   sigma::Reduction::kMean);
//
// Parameters a loss cannot do without (pos_weight) follow the inputs, as in TensorFlow; optional
// ones (label_smoothing, delta) come last, after the reduction.
//
// Numerics: every loss is evaluated in double (float inputs are rounded once at the end) in a
// form without cancellation or overflow, so it is finite for finite inputs wherever its exact
// value is finite: logits of +-1e30 give exact losses and gradients. Infinite inputs give the
// limit where there is one (a label weight of exactly 0 removes its term: 0 * log 0 = 0, and a
// logit of -inf gets probability 0 in a softmax); NaN in an input gives NaN in that example's
// loss and gradient. Where the exact value is infinite (binary cross-entropy of a probability of
// exactly 0 for a positive label) the result is inf: sigma does not clip probabilities as Keras
// does (its epsilon changes the value of every loss).
//
// Errors (sigma::Error, one line): mismatched sizes, a bad shape or axis, a class id outside
// [0, classes) (naming its row), a probability outside [0, 1] or a negative Poisson rate (naming
// its index), a parameter out of its domain.
#pragma once

#include <cstddef>
#include <cstdint>
#include <sigma/catalog.hpp>
#include <sigma/half.hpp>
#include <span>
#include <string_view>

namespace sigma {

enum class Reduction { kNone, kSum, kMean };

// ---- The catalog ----

enum class LossInput {
  kLogits,         // unnormalised log-odds or log-probabilities
  kProbabilities,  // values in [0, 1]
  kPredictions,    // any real value (regression), or a non-negative rate (poisson)
};

struct LossInfo {
  std::string_view name;  // canonical, snake_case, TensorFlow's name where it has one
  std::span<const std::string_view> aliases;
  std::span<const ParamInfo> params;
  std::string_view summary;      // one line on what it is and where it comes from
  std::string_view formula;      // the loss of one example, plain text
  std::string_view gradient;     // its derivative with respect to the input
  std::string_view stable_form;  // how sigma evaluates it without overflow or cancellation
  std::string_view labels;       // what the labels are
  LossInput input;
  bool over_classes;            // one loss per row along a class axis (else one per element)
  bool class_ids;               // labels are integer class ids, one per row
  std::string_view frameworks;  // TensorFlow, Keras and PyTorch names and their differences
};

// Every loss, in a stable order.
std::span<const LossInfo> loss_catalog() noexcept;

// Looks up a canonical name or an alias (case-insensitive, '-' and '_' alike); nullptr if unknown.
const LossInfo* find_loss(std::string_view name);

// Evaluates any catalog loss: `params` in the order of info.params (empty: the defaults); class
// ids given as whole numbers in `labels`. The typed functions below are the same computation.
void evaluate_loss(const LossInfo& info, std::span<const double> params,
                   std::span<const float> labels, std::span<const float> inputs,
                   std::span<float> loss, std::span<float> grad = {},
                   std::span<const std::size_t> shape = {}, int axis = -1,
                   Reduction reduction = Reduction::kNone);
void evaluate_loss(const LossInfo& info, std::span<const double> params,
                   std::span<const double> labels, std::span<const double> inputs,
                   std::span<double> loss, std::span<double> grad = {},
                   std::span<const std::size_t> shape = {}, int axis = -1,
                   Reduction reduction = Reduction::kNone);

// ---- Cross-entropies on logits (TensorFlow's four) ----

// max(x, 0) - x z + log(1 + exp(-|x|)) per element; gradient sigmoid(x) - z.
void sigmoid_cross_entropy_with_logits(std::span<const float> labels, std::span<const float> logits,
                                       std::span<float> loss, std::span<float> grad = {},
                                       Reduction reduction = Reduction::kNone);
void sigmoid_cross_entropy_with_logits(std::span<const double> labels,
                                       std::span<const double> logits, std::span<double> loss,
                                       std::span<double> grad = {},
                                       Reduction reduction = Reduction::kNone);

// (1 - z) x + (1 + (pos_weight - 1) z) log(1 + exp(-x)) per element (TensorFlow's definition);
// pos_weight >= 0 scales the loss of positive labels.
void weighted_cross_entropy_with_logits(std::span<const float> labels,
                                        std::span<const float> logits, double pos_weight,
                                        std::span<float> loss, std::span<float> grad = {},
                                        Reduction reduction = Reduction::kNone);
void weighted_cross_entropy_with_logits(std::span<const double> labels,
                                        std::span<const double> logits, double pos_weight,
                                        std::span<double> loss, std::span<double> grad = {},
                                        Reduction reduction = Reduction::kNone);

// -sum_i z_i log_softmax(x)_i per row, with soft labels z (any non-negative weights; a negative
// one is an error);
// gradient sum(z) softmax(x) - z (TensorFlow assumes sum(z) = 1 and uses softmax(x) - z).
void softmax_cross_entropy_with_logits(std::span<const float> labels, std::span<const float> logits,
                                       std::span<float> loss, std::span<float> grad = {},
                                       std::span<const std::size_t> shape = {}, int axis = -1,
                                       Reduction reduction = Reduction::kNone);
void softmax_cross_entropy_with_logits(std::span<const double> labels,
                                       std::span<const double> logits, std::span<double> loss,
                                       std::span<double> grad = {},
                                       std::span<const std::size_t> shape = {}, int axis = -1,
                                       Reduction reduction = Reduction::kNone);

// -log_softmax(x)_label per row, the label a class id in [0, classes); one label per row (the
// shape of the logits without the class axis); gradient softmax(x) - onehot(label).
void sparse_softmax_cross_entropy_with_logits(std::span<const std::int64_t> labels,
                                              std::span<const float> logits, std::span<float> loss,
                                              std::span<float> grad = {},
                                              std::span<const std::size_t> shape = {},
                                              int axis = -1,
                                              Reduction reduction = Reduction::kNone);
void sparse_softmax_cross_entropy_with_logits(std::span<const std::int64_t> labels,
                                              std::span<const double> logits,
                                              std::span<double> loss, std::span<double> grad = {},
                                              std::span<const std::size_t> shape = {},
                                              int axis = -1,
                                              Reduction reduction = Reduction::kNone);
void sparse_softmax_cross_entropy_with_logits(std::span<const std::int32_t> labels,
                                              std::span<const float> logits, std::span<float> loss,
                                              std::span<float> grad = {},
                                              std::span<const std::size_t> shape = {},
                                              int axis = -1,
                                              Reduction reduction = Reduction::kNone);
void sparse_softmax_cross_entropy_with_logits(std::span<const std::int32_t> labels,
                                              std::span<const double> logits,
                                              std::span<double> loss, std::span<double> grad = {},
                                              std::span<const std::size_t> shape = {},
                                              int axis = -1,
                                              Reduction reduction = Reduction::kNone);

// The same on bfloat16 or float16 logits (mixed-precision training): computed and accumulated in
// float, the loss returned in float, the gradient rounded once to the logits' format.
void sparse_softmax_cross_entropy_with_logits(std::span<const std::int64_t> labels,
                                              std::span<const bfloat16> logits,
                                              std::span<float> loss, std::span<bfloat16> grad = {},
                                              std::span<const std::size_t> shape = {},
                                              int axis = -1,
                                              Reduction reduction = Reduction::kNone);
void sparse_softmax_cross_entropy_with_logits(std::span<const std::int64_t> labels,
                                              std::span<const float16> logits,
                                              std::span<float> loss, std::span<float16> grad = {},
                                              std::span<const std::size_t> shape = {},
                                              int axis = -1,
                                              Reduction reduction = Reduction::kNone);
void sparse_softmax_cross_entropy_with_logits(std::span<const std::int32_t> labels,
                                              std::span<const bfloat16> logits,
                                              std::span<float> loss, std::span<bfloat16> grad = {},
                                              std::span<const std::size_t> shape = {},
                                              int axis = -1,
                                              Reduction reduction = Reduction::kNone);
void sparse_softmax_cross_entropy_with_logits(std::span<const std::int32_t> labels,
                                              std::span<const float16> logits,
                                              std::span<float> loss, std::span<float16> grad = {},
                                              std::span<const std::size_t> shape = {},
                                              int axis = -1,
                                              Reduction reduction = Reduction::kNone);

// ---- Cross-entropies on probabilities (Keras) ----

// -(z log p + (1 - z) log(1 - p)) per element; z and p in [0, 1].
void binary_cross_entropy(std::span<const float> labels, std::span<const float> probabilities,
                          std::span<float> loss, std::span<float> grad = {},
                          Reduction reduction = Reduction::kNone);
void binary_cross_entropy(std::span<const double> labels, std::span<const double> probabilities,
                          std::span<double> loss, std::span<double> grad = {},
                          Reduction reduction = Reduction::kNone);

// -sum_i z'_i log p_i per row, z' = (1 - label_smoothing) z + label_smoothing / classes;
// z >= 0, p in [0, 1], label_smoothing in [0, 1].
void categorical_cross_entropy(std::span<const float> labels, std::span<const float> probabilities,
                               std::span<float> loss, std::span<float> grad = {},
                               std::span<const std::size_t> shape = {}, int axis = -1,
                               Reduction reduction = Reduction::kNone, double label_smoothing = 0);
void categorical_cross_entropy(std::span<const double> labels,
                               std::span<const double> probabilities, std::span<double> loss,
                               std::span<double> grad = {}, std::span<const std::size_t> shape = {},
                               int axis = -1, Reduction reduction = Reduction::kNone,
                               double label_smoothing = 0);

// sum_i z_i log(z_i / p_i) per row (Keras' KLDivergence); z >= 0, p in [0, 1].
void kl_divergence(std::span<const float> labels, std::span<const float> probabilities,
                   std::span<float> loss, std::span<float> grad = {},
                   std::span<const std::size_t> shape = {}, int axis = -1,
                   Reduction reduction = Reduction::kNone);
void kl_divergence(std::span<const double> labels, std::span<const double> probabilities,
                   std::span<double> loss, std::span<double> grad = {},
                   std::span<const std::size_t> shape = {}, int axis = -1,
                   Reduction reduction = Reduction::kNone);

// ---- Regression and margin losses (per element) ----

// (x - z)^2
void mean_squared_error(std::span<const float> labels, std::span<const float> predictions,
                        std::span<float> loss, std::span<float> grad = {},
                        Reduction reduction = Reduction::kNone);
void mean_squared_error(std::span<const double> labels, std::span<const double> predictions,
                        std::span<double> loss, std::span<double> grad = {},
                        Reduction reduction = Reduction::kNone);

// |x - z|; gradient sign(x - z), 0 at x = z.
void mean_absolute_error(std::span<const float> labels, std::span<const float> predictions,
                         std::span<float> loss, std::span<float> grad = {},
                         Reduction reduction = Reduction::kNone);
void mean_absolute_error(std::span<const double> labels, std::span<const double> predictions,
                         std::span<double> loss, std::span<double> grad = {},
                         Reduction reduction = Reduction::kNone);

// r^2 / 2 for |r| <= delta, else delta (|r| - delta / 2), r = x - z; delta > 0.
void huber(std::span<const float> labels, std::span<const float> predictions, std::span<float> loss,
           std::span<float> grad = {}, Reduction reduction = Reduction::kNone, double delta = 1);
void huber(std::span<const double> labels, std::span<const double> predictions,
           std::span<double> loss, std::span<double> grad = {},
           Reduction reduction = Reduction::kNone, double delta = 1);

// max(1 - z x, 0) with labels -1 or 1 (Keras: when every label is 0 or 1 they are read as -1
// and 1).
void hinge(std::span<const float> labels, std::span<const float> predictions, std::span<float> loss,
           std::span<float> grad = {}, Reduction reduction = Reduction::kNone);
void hinge(std::span<const double> labels, std::span<const double> predictions,
           std::span<double> loss, std::span<double> grad = {},
           Reduction reduction = Reduction::kNone);

// x - z log x for a predicted rate x >= 0 (Keras' Poisson, PyTorch's PoissonNLLLoss with
// log_input=False).
void poisson(std::span<const float> labels, std::span<const float> predictions,
             std::span<float> loss, std::span<float> grad = {},
             Reduction reduction = Reduction::kNone);
void poisson(std::span<const double> labels, std::span<const double> predictions,
             std::span<double> loss, std::span<double> grad = {},
             Reduction reduction = Reduction::kNone);

// log(cosh(x - z)); gradient tanh(x - z).
void log_cosh(std::span<const float> labels, std::span<const float> predictions,
              std::span<float> loss, std::span<float> grad = {},
              Reduction reduction = Reduction::kNone);
void log_cosh(std::span<const double> labels, std::span<const double> predictions,
              std::span<double> loss, std::span<double> grad = {},
              Reduction reduction = Reduction::kNone);

}  // namespace sigma
