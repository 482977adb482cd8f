// The loss catalog: one entry per loss, in the order of detail::LossId. The docs, the CLI, the
// Python module and the tests iterate over this table; losses.cpp holds the definitions.
#include <iterator>
#include <sigma/error.hpp>
#include <sigma/losses.hpp>
#include <string>

#include "common/names.hpp"
#include "layers/losses_internal.hpp"

namespace sigma {
namespace {

using SV = std::string_view;

constexpr ParamInfo kPosWeight[] = {
    {"pos_weight",
     "",
     1.0,
     Domain::kNonNegative,
     {},
     "weight of the positive-label term (>1 raises recall, <1 precision)"}};
constexpr ParamInfo kLabelSmoothing[] = {{"label_smoothing",
                                          "",
                                          0.0,
                                          Domain::kNonNegative,
                                          {},
                                          "in [0, 1]: labels become (1 - s) z + s / classes"}};
constexpr ParamInfo kHuberDelta[] = {
    {"delta", "", 1.0, Domain::kPositive, {}, "where the loss turns from quadratic to linear"}};

constexpr SV kSigmoidAliases[] = {"sigmoid_cross_entropy"};
constexpr SV kWeightedAliases[] = {"weighted_cross_entropy"};
constexpr SV kSoftmaxAliases[] = {"softmax_cross_entropy", "cross_entropy"};
constexpr SV kSparseAliases[] = {"sparse_softmax_cross_entropy",
                                 "sparse_categorical_cross_entropy"};
constexpr SV kBinaryAliases[] = {"binary_crossentropy", "bce"};
constexpr SV kCategoricalAliases[] = {"categorical_crossentropy"};
constexpr SV kKlAliases[] = {"kld", "kullback_leibler_divergence"};
constexpr SV kMseAliases[] = {"mse"};
constexpr SV kMaeAliases[] = {"mae", "l1"};
constexpr SV kHuberAliases[] = {"smooth_l1"};
constexpr SV kLogCoshAliases[] = {"logcosh"};

constexpr LossInfo kLosses[] = {
    {.name = "sigmoid_cross_entropy_with_logits",
     .aliases = kSigmoidAliases,
     .params = {},
     .summary = "binary (multi-label) cross-entropy on logits: each element its own yes/no",
     .formula = "max(x, 0) - x z + log(1 + exp(-|x|))",
     .gradient = "sigmoid(x) - z",
     .stable_form = "(1 - z) softplus(x) + z softplus(-x): two non-negative terms",
     .labels = "probabilities in [0, 1] (0 or 1 for hard labels)",
     .input = LossInput::kLogits,
     .over_classes = false,
     .class_ids = false,
     .frameworks = "tf.nn.sigmoid_cross_entropy_with_logits; Keras BinaryCrossentropy("
                   "from_logits=True) and PyTorch BCEWithLogitsLoss average it"},
    {.name = "weighted_cross_entropy_with_logits",
     .aliases = kWeightedAliases,
     .params = kPosWeight,
     .summary = "sigmoid cross-entropy with the positive term weighted, for imbalanced labels",
     .formula = "(1 - z) x + (1 + (pos_weight - 1) z) log(1 + exp(-x))",
     .gradient = "(1 - z) sigmoid(x) - pos_weight z sigmoid(-x)",
     .stable_form = "(1 - z) softplus(x) + pos_weight z softplus(-x): TensorFlow's form "
                    "cancels for large negative x",
     .labels = "probabilities in [0, 1]",
     .input = LossInput::kLogits,
     .over_classes = false,
     .class_ids = false,
     .frameworks = "tf.nn.weighted_cross_entropy_with_logits; PyTorch BCEWithLogitsLoss("
                   "pos_weight=...)"},
    {.name = "softmax_cross_entropy_with_logits",
     .aliases = kSoftmaxAliases,
     .params = {},
     .summary = "multi-class cross-entropy on logits with soft (or one-hot) labels",
     .formula = "-sum_i z_i log_softmax(x)_i",
     .gradient = "sum(z) softmax(x) - z (softmax(x) - z for labels that sum to 1)",
     .stable_form = "sum_i z_i ((max - x_i) + log1p(sum of exp(x_j - max) over the others)); "
                    "x - max formed exactly",
     .labels = "non-negative weights per class, usually a distribution",
     .input = LossInput::kLogits,
     .over_classes = true,
     .class_ids = false,
     .frameworks = "tf.nn.softmax_cross_entropy_with_logits; Keras CategoricalCrossentropy("
                   "from_logits=True); PyTorch CrossEntropyLoss with probability targets. "
                   "TensorFlow's gradient drops the factor sum(z)"},
    {.name = "sparse_softmax_cross_entropy_with_logits",
     .aliases = kSparseAliases,
     .params = {},
     .summary = "multi-class cross-entropy on logits with one class id per row",
     .formula = "-log_softmax(x)_label",
     .gradient = "softmax(x) - onehot(label)",
     .stable_form = "(max - x_label) + log1p(sum of exp(x_j - max) over the others); at a "
                    "confident label the gradient is -rest / sum, not 1 - 1",
     .labels = "class ids in [0, classes), one per row; others are an error",
     .input = LossInput::kLogits,
     .over_classes = true,
     .class_ids = true,
     .frameworks = "tf.nn.sparse_softmax_cross_entropy_with_logits; Keras "
                   "SparseCategoricalCrossentropy(from_logits=True); PyTorch CrossEntropyLoss "
                   "with class indices (nll_loss of log_softmax). TensorFlow's CPU kernel "
                   "returns NaN for an id out of range; sigma throws"},
    {.name = "binary_cross_entropy",
     .aliases = kBinaryAliases,
     .params = {},
     .summary = "binary cross-entropy on probabilities",
     .formula = "-(z log p + (1 - z) log(1 - p))",
     .gradient = "(p - z) / (p (1 - p)), as -z/p + (1 - z)/(1 - p)",
     .stable_form = "log1p(-p) for log(1 - p); a term whose weight is 0 is left out, so "
                    "p = 0 or 1 with the matching label gives 0",
     .labels = "probabilities in [0, 1]",
     .input = LossInput::kProbabilities,
     .over_classes = false,
     .class_ids = false,
     .frameworks = "Keras BinaryCrossentropy clips p to [1e-7, 1 - 1e-7]; PyTorch BCELoss "
                   "clamps log at -100; sigma gives the exact value (inf at p = 0 for z > 0)"},
    {.name = "categorical_cross_entropy",
     .aliases = kCategoricalAliases,
     .params = kLabelSmoothing,
     .summary = "multi-class cross-entropy on probabilities, with label smoothing",
     .formula = "-sum_i z'_i log p_i, z' = (1 - label_smoothing) z + label_smoothing / classes",
     .gradient = "-z'_i / p_i",
     .stable_form = "a term whose weight is 0 is left out (0 log 0 = 0)",
     .labels = "non-negative weights per class, usually one-hot",
     .input = LossInput::kProbabilities,
     .over_classes = true,
     .class_ids = false,
     .frameworks = "Keras CategoricalCrossentropy (which also rescales p to sum to 1 and clips "
                   "it to [1e-7, 1 - 1e-7]; sigma does neither); PyTorch CrossEntropyLoss("
                   "label_smoothing=...) takes logits: use softmax_cross_entropy_with_logits "
                   "with smoothed labels"},
    {.name = "kl_divergence",
     .aliases = kKlAliases,
     .params = {},
     .summary = "Kullback-Leibler divergence of the predicted distribution from the labels",
     .formula = "sum_i z_i log(z_i / p_i)",
     .gradient = "-z_i / p_i",
     .stable_form = "z (log z - log p), 0 where z = 0",
     .labels = "a distribution (non-negative)",
     .input = LossInput::kProbabilities,
     .over_classes = true,
     .class_ids = false,
     .frameworks = "Keras KLDivergence (clips both to [1e-7, 1]); PyTorch KLDivLoss takes "
                   "log-probabilities and is elementwise"},
    {.name = "mean_squared_error",
     .aliases = kMseAliases,
     .params = {},
     .summary = "squared error",
     .formula = "(x - z)^2",
     .gradient = "2 (x - z)",
     .stable_form = "",
     .labels = "targets",
     .input = LossInput::kPredictions,
     .over_classes = false,
     .class_ids = false,
     .frameworks = "Keras MeanSquaredError (mean over the last axis); PyTorch MSELoss"},
    {.name = "mean_absolute_error",
     .aliases = kMaeAliases,
     .params = {},
     .summary = "absolute error",
     .formula = "|x - z|",
     .gradient = "sign(x - z), 0 at x = z (as PyTorch)",
     .stable_form = "",
     .labels = "targets",
     .input = LossInput::kPredictions,
     .over_classes = false,
     .class_ids = false,
     .frameworks = "Keras MeanAbsoluteError; PyTorch L1Loss"},
    {.name = "huber",
     .aliases = kHuberAliases,
     .params = kHuberDelta,
     .summary = "squared error near 0, absolute error beyond delta: robust to outliers",
     .formula = "r^2 / 2 if |r| <= delta else delta (|r| - delta / 2), r = x - z",
     .gradient = "r clamped to [-delta, delta]",
     .stable_form = "",
     .labels = "targets",
     .input = LossInput::kPredictions,
     .over_classes = false,
     .class_ids = false,
     .frameworks = "Keras Huber(delta=1); PyTorch HuberLoss(delta=1) (SmoothL1Loss divides by "
                   "beta)"},
    {.name = "hinge",
     .aliases = {},
     .params = {},
     .summary = "the margin loss of support vector machines",
     .formula = "max(1 - z x, 0)",
     .gradient = "-z where z x < 1, else 0 (0 at the kink)",
     .stable_form = "",
     .labels = "-1 or 1; when every label is 0 or 1 they are read as -1 and 1 (as Keras)",
     .input = LossInput::kPredictions,
     .over_classes = false,
     .class_ids = false,
     .frameworks = "Keras Hinge; PyTorch has no direct equivalent (HingeEmbeddingLoss differs)"},
    {.name = "poisson",
     .aliases = {},
     .params = {},
     .summary = "negative log-likelihood of counts z under a Poisson rate x (without log z!)",
     .formula = "x - z log x",
     .gradient = "1 - z / x",
     .stable_form = "z log x left out where z = 0, so x = 0 is allowed there",
     .labels = "counts (non-negative)",
     .input = LossInput::kPredictions,
     .over_classes = false,
     .class_ids = false,
     .frameworks = "Keras Poisson (adds 1e-7 inside the log); PyTorch PoissonNLLLoss("
                   "log_input=False) (adds 1e-8)"},
    {.name = "log_cosh",
     .aliases = kLogCoshAliases,
     .params = {},
     .summary = "log of the hyperbolic cosine of the error: about r^2/2 near 0, |r| - log 2 "
                "far out",
     .formula = "log(cosh(x - z))",
     .gradient = "tanh(x - z)",
     .stable_form = "log1p(2 sinh(r/2)^2) for |r| <= 1, |r| - log 2 + log1p(exp(-2|r|)) beyond",
     .labels = "targets",
     .input = LossInput::kPredictions,
     .over_classes = false,
     .class_ids = false,
     .frameworks = "Keras LogCosh (whose form loses all digits near 0)"},
};
static_assert(std::size(kLosses) == static_cast<std::size_t>(detail::LossId::kCount),
              "one catalog entry per LossId, in the same order");

}  // namespace

std::span<const LossInfo> loss_catalog() noexcept { return kLosses; }

const LossInfo* find_loss(std::string_view name) {
  const std::string key = detail::normalise_name(name);
  for (const LossInfo& loss : kLosses) {
    if (loss.name == key) return &loss;
    for (const SV alias : loss.aliases) {
      if (alias == key) return &loss;
    }
  }
  return nullptr;
}

namespace detail {

LossId loss_id(const LossInfo& info) {
  for (std::size_t i = 0; i < std::size(kLosses); ++i) {
    if (&kLosses[i] == &info) return static_cast<LossId>(i);
  }
  throw Error("loss '" + std::string(info.name) + "' is not an entry of sigma::loss_catalog()");
}

}  // namespace detail
}  // namespace sigma
