// The losses: every catalog entry's gradient against finite differences and its value against
// the defining formula written naively in long double, the reductions, stability at extreme
// inputs, non-finite inputs, and the errors for bad shapes, sizes and labels.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <limits>
#include <random>
#include <set>
#include <sigma/sigma.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "error_of.hpp"
#include "targets.hpp"

namespace sigma {
namespace {

using Shape = std::vector<std::size_t>;
constexpr double kInf = std::numeric_limits<double>::infinity();

// Test inputs that suit a catalog entry: labels and inputs of `shape`, classes along the last
// axis for the losses over classes.
struct Case {
  std::vector<double> labels, inputs;
};

Case make_case(const LossInfo& info, const Shape& shape, int axis, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> unit(0.05, 0.95);
  std::normal_distribution<double> normal(0, 2);
  std::size_t n = 1;
  for (const std::size_t e : shape) n *= e;
  const std::size_t a = static_cast<std::size_t>(axis < 0 ? axis + int(shape.size()) : axis);
  const std::size_t classes = shape[a];
  Case c;
  c.inputs.resize(n);
  for (double& x : c.inputs) {
    x = info.input == LossInput::kLogits          ? normal(rng)
        : info.input == LossInput::kProbabilities ? unit(rng)
        : info.name == "poisson"                  ? 3 * unit(rng)
                                                  : normal(rng);
  }
  if (info.class_ids) {
    c.labels.resize(n / classes);
    for (double& z : c.labels) z = static_cast<double>(rng() % classes);
    return c;
  }
  c.labels.resize(n);
  for (double& z : c.labels) {
    z = info.name == "hinge"                    ? (rng() % 2 ? 1.0 : -1.0)
        : info.name == "poisson"                ? static_cast<double>(rng() % 5)
        : info.input == LossInput::kPredictions ? normal(rng)
                                                : unit(rng);
  }
  return c;
}

std::size_t examples(const LossInfo& info, const Shape& shape, int axis) {
  std::size_t n = 1;
  for (const std::size_t e : shape) n *= e;
  if (!info.over_classes) return n;
  return n / shape[static_cast<std::size_t>(axis < 0 ? axis + int(shape.size()) : axis)];
}

double reduced(const LossInfo& info, const Case& c, const Shape& shape, int axis) {
  double loss = 0;
  evaluate_loss(info, {}, c.labels, c.inputs, std::span<double>(&loss, 1), {}, shape, axis,
                Reduction::kSum);
  return loss;
}

TEST(LossCatalog, NamesAreUniqueAndFindable) {
  std::set<std::string_view> names;
  for (const LossInfo& info : loss_catalog()) {
    EXPECT_TRUE(names.insert(info.name).second) << info.name;
    for (const std::string_view alias : info.aliases) {
      EXPECT_TRUE(names.insert(alias).second) << alias;
      EXPECT_EQ(find_loss(alias), &info);
    }
    EXPECT_EQ(find_loss(info.name), &info);
    EXPECT_FALSE(info.summary.empty() || info.formula.empty() || info.gradient.empty() ||
                 info.labels.empty() || info.frameworks.empty())
        << info.name;
    EXPECT_TRUE(!info.class_ids || info.over_classes) << info.name;
  }
  EXPECT_EQ(loss_catalog().size(), 13u);
  EXPECT_EQ(find_loss("Sparse-Categorical-Cross-Entropy")->name,
            "sparse_softmax_cross_entropy_with_logits");
  EXPECT_EQ(find_loss("MSE")->name, "mean_squared_error");
  EXPECT_EQ(find_loss("no_such_loss"), nullptr);
}

// The tables of docs/losses.md, generated from the catalog.
std::string cell(std::string_view text) {
  std::string out;
  for (const char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

std::string catalog_tables() {
  std::ostringstream out;
  out << "| loss | also | input | one loss per | parameters | formula | gradient |\n"
      << "|---|---|---|---|---|---|---|\n";
  for (const LossInfo& info : loss_catalog()) {
    std::string aliases, params;
    for (const std::string_view a : info.aliases)
      aliases += (aliases.empty() ? "" : ", ") + std::string(a);
    for (const ParamInfo& p : info.params) {
      std::ostringstream value;
      value << p.default_value;
      params += (params.empty() ? "" : ", ") + std::string(p.name) + " = " + value.str();
    }
    const char* input = info.input == LossInput::kLogits          ? "logits"
                        : info.input == LossInput::kProbabilities ? "probabilities"
                                                                  : "predictions";
    out << "| `" << info.name << "` | " << aliases << " | " << input << " | "
        << (info.over_classes ? "row" : "element") << " | " << params << " | " << cell(info.formula)
        << " | " << cell(info.gradient) << " |\n";
  }
  out << "\n| loss | labels | evaluated as | frameworks |\n|---|---|---|---|\n";
  for (const LossInfo& info : loss_catalog()) {
    out << "| `" << info.name << "` | " << cell(info.labels) << " | "
        << (info.stable_form.empty() ? "the formula" : cell(info.stable_form)) << " | "
        << cell(info.frameworks) << " |\n";
  }
  return out.str();
}

TEST(LossCatalog, DocsHoldTheGeneratedTables) {
  std::ifstream file(SIGMA_SOURCE_DIR "/docs/losses.md");
  ASSERT_TRUE(file) << "docs/losses.md is missing";
  std::ostringstream doc;
  doc << file.rdbuf();
  const std::string tables = catalog_tables();
  EXPECT_NE(doc.str().find(tables), std::string::npos)
      << "docs/losses.md has drifted from the catalog; its tables should read:\n"
      << tables;
}

TEST(Losses, EveryGradientMatchesFiniteDifferences) {
  for (const LossInfo& info : loss_catalog()) {
    for (const auto& [shape, axis] : {std::pair{Shape{4, 5}, -1}, std::pair{Shape{3, 4, 2}, 1}}) {
      SCOPED_TRACE(std::string(info.name) + " axis " + std::to_string(axis));
      Case c = make_case(info, shape, axis, 7);
      std::vector<double> loss(1), grad(c.inputs.size());
      evaluate_loss(info, {}, c.labels, c.inputs, loss, grad, shape, axis, Reduction::kSum);
      for (std::size_t k = 0; k < c.inputs.size(); ++k) {
        const double saved = c.inputs[k], h = 1e-6 * std::max(1.0, std::fabs(saved));
        c.inputs[k] = saved + h;
        const double up = reduced(info, c, shape, axis);
        c.inputs[k] = saved - h;
        const double down = reduced(info, c, shape, axis);
        c.inputs[k] = saved;
        EXPECT_NEAR(grad[k], (up - down) / (2 * h), 2e-6 * std::max(1.0, std::fabs(grad[k]))) << k;
      }
    }
  }
}

TEST(Losses, ReductionsAgree) {
  for (const LossInfo& info : loss_catalog()) {
    SCOPED_TRACE(info.name);
    const Shape shape = {6, 7};
    const Case c = make_case(info, shape, -1, 8);
    const std::size_t m = examples(info, shape, -1);
    std::vector<double> none(m), sum(1), mean(1), g_none(c.inputs.size()), g_sum(c.inputs.size()),
        g_mean(c.inputs.size());
    evaluate_loss(info, {}, c.labels, c.inputs, none, g_none, shape, -1, Reduction::kNone);
    evaluate_loss(info, {}, c.labels, c.inputs, sum, g_sum, shape, -1, Reduction::kSum);
    evaluate_loss(info, {}, c.labels, c.inputs, mean, g_mean, shape, -1, Reduction::kMean);
    double total = 0;
    for (const double v : none) total += v;
    EXPECT_DOUBLE_EQ(sum[0], total);
    EXPECT_DOUBLE_EQ(mean[0], total / static_cast<double>(m));
    for (std::size_t i = 0; i < c.inputs.size(); ++i) {
      EXPECT_EQ(g_none[i], g_sum[i]);
      EXPECT_DOUBLE_EQ(g_mean[i], g_sum[i] / static_cast<double>(m));
    }
  }
}

// ---- Agreement with the defining formulas, written naively in long double ----

using L = long double;

// One example's loss from its definition: index i of an elementwise loss, or row r (the classes
// along the last axis) of a loss over classes.
L defining_loss(const LossInfo& info, const Case& c, std::size_t classes, std::size_t i) {
  const std::string_view name = info.name;
  if (info.over_classes) {
    L loss = 0, sum = 0;
    for (std::size_t j = 0; j < classes; ++j)
      sum += std::exp(static_cast<L>(c.inputs[i * classes + j]));
    for (std::size_t j = 0; j < classes; ++j) {
      const L x = c.inputs[i * classes + j];
      const L z = info.class_ids ? (j == c.labels[i] ? 1 : 0) : c.labels[i * classes + j];
      if (name == "kl_divergence") {
        loss += z * std::log(z / x);
      } else if (name == "categorical_cross_entropy") {
        loss -= z * std::log(x);
      } else {
        loss -= z * std::log(std::exp(x) / sum);
      }
    }
    return loss;
  }
  const L z = c.labels[i], x = c.inputs[i], r = x - z;
  if (name == "sigmoid_cross_entropy_with_logits") {
    return std::max(x, L{0}) - x * z + std::log(1 + std::exp(-std::fabs(x)));
  }
  if (name == "weighted_cross_entropy_with_logits") {
    return (1 - z) * x + std::log(1 + std::exp(-x));  // TensorFlow's, at the default pos_weight 1
  }
  if (name == "binary_cross_entropy") return -(z * std::log(x) + (1 - z) * std::log(1 - x));
  if (name == "mean_squared_error") return r * r;
  if (name == "mean_absolute_error") return std::fabs(r);
  if (name == "huber") return std::fabs(r) <= 1 ? r * r / 2 : std::fabs(r) - L{0.5};
  if (name == "hinge") return std::max(1 - z * x, L{0});
  if (name == "poisson") return x - z * std::log(x);
  if (name == "log_cosh") return std::log(std::cosh(r));
  ADD_FAILURE() << "no definition for " << name;
  return 0;
}

template <class T>
void expect_defining_values(double tolerance) {
  for (const LossInfo& info : loss_catalog()) {
    SCOPED_TRACE(info.name);
    const Shape shape = {9, 6};
    const Case c = make_case(info, shape, -1, 9);
    const std::vector<T> labels(c.labels.begin(), c.labels.end()),
        inputs(c.inputs.begin(), c.inputs.end());
    const Case rounded{std::vector<double>(labels.begin(), labels.end()),
                       std::vector<double>(inputs.begin(), inputs.end())};
    std::vector<T> loss(examples(info, shape, -1));
    evaluate_loss(info, {}, labels, inputs, loss, {}, shape, -1, Reduction::kNone);
    for (std::size_t i = 0; i < loss.size(); ++i) {
      const L exact = defining_loss(info, rounded, 6, i);
      EXPECT_NEAR(loss[i], exact, tolerance * std::max(L{1}, std::fabs(exact))) << i;
    }
  }
}

TEST(Losses, FloatMatchesTheDefinition) {
  for_each_target([] { expect_defining_values<float>(3e-7); });
}

TEST(Losses, DoubleMatchesTheDefinition) {
  for_each_target([] { expect_defining_values<double>(1e-14); });
}

TEST(Losses, WeightedCrossEntropyIsTensorFlowsDefinition) {
  // (1 - z) x + (1 + (q - 1) z) log(1 + exp(-x)), for moderate x where it does not cancel.
  const std::vector<double> z = {0, 1, 0.3, 0.7, 1}, x = {0.5, -1.5, 2, -0.25, 3};
  for (const double q : {0.0, 0.5, 1.0, 3.0}) {
    std::vector<double> loss(5), grad(5);
    weighted_cross_entropy_with_logits(z, x, q, loss, grad);
    for (std::size_t i = 0; i < 5; ++i) {
      const L zi = z[i], xi = x[i];
      const L exact = (1 - zi) * xi + (1 + (q - 1) * zi) * std::log1p(std::exp(-xi));
      EXPECT_NEAR(loss[i], exact, 1e-15 * std::max(L{1}, exact)) << q << " " << i;
      const L s = 1 / (1 + std::exp(-xi));
      EXPECT_NEAR(grad[i], (1 - zi) * s - q * zi * (1 - s), 1e-15) << q << " " << i;
    }
  }
}

// ---- Stability ----

TEST(LossStability, SigmoidCrossEntropyAtHugeLogits) {
  const std::vector<float> z = {0, 1, 0.25f, 0, 1, 0.25f};
  const std::vector<float> x = {1e30f, 1e30f, 1e30f, -1e30f, -1e30f, -1e30f};
  std::vector<float> loss(6), grad(6);
  sigmoid_cross_entropy_with_logits(z, x, loss, grad);
  // (1 - z) x and z |x|, correctly rounded.
  EXPECT_EQ(loss, (std::vector<float>{1e30f, 0, 0.75f * 1e30f, 0, 1e30f, 0.25f * 1e30f}));
  EXPECT_EQ(grad, (std::vector<float>{1, 0, 0.75f, 0, -1, -0.25f}));
  // TensorFlow's own form cancels here: -x + (x + log1p(e^x)) is 0, not 4.2e-18.
  std::vector<double> l(1);
  weighted_cross_entropy_with_logits(std::vector<double>{0}, std::vector<double>{-40}, 1, l);
  EXPECT_DOUBLE_EQ(l[0], std::log1p(std::exp(-40.0)));
  // Infinite logits give the limits.
  std::vector<double> li(2), gi(2);
  sigmoid_cross_entropy_with_logits(std::vector<double>{1, 0}, std::vector<double>{kInf, kInf}, li,
                                    gi);
  EXPECT_EQ(li, (std::vector<double>{0, kInf}));
  EXPECT_EQ(gi, (std::vector<double>{0, 1}));
}

TEST(LossStability, SoftmaxCrossEntropyAtHugeLogits) {
  for_each_target([] {
    const std::vector<float> x = {1e30f, -1e30f, 0, /**/ 1e30f, -1e30f, 0, /**/ 1e30f, -1e30f, 0};
    const std::vector<float> z = {1, 0, 0, /**/ 0, 1, 0, /**/ 0, 0, 1};
    std::vector<float> loss(3), grad(9), sparse_loss(3), sparse_grad(9);
    softmax_cross_entropy_with_logits(z, x, loss, grad, Shape{3, 3});
    EXPECT_EQ(loss, (std::vector<float>{0, 2e30f, 1e30f}));
    EXPECT_EQ(grad, (std::vector<float>{0, 0, 0, 1, -1, 0, 1, 0, -1}));
    sparse_softmax_cross_entropy_with_logits(std::vector<std::int64_t>{0, 1, 2}, x, sparse_loss,
                                             sparse_grad, Shape{3, 3});
    EXPECT_EQ(sparse_loss, loss);
    EXPECT_EQ(sparse_grad, grad);
  });
}

// Logits spanning more than the type's range, (max - x) overflowing, while the loss, half of it,
// is finite: [-3e38, 3e38] in float, [-1e308, 1e308] in double, in rows of 2 and 17 (the vector
// kernel's full vectors and tail) and along axis 0 (the scalar rows).
template <class T>
void ExpectFiniteLossWhereTheSpanOverflows(T big) {
  for (const std::size_t n : {2, 17}) {
    std::vector<T> x(n, 0), z(n, 0), loss(1), grad(n), expected_grad(n, 0);
    x[0] = -big, x[1] = big, z[0] = 0.5, z[1] = 0.5;
    expected_grad[0] = -0.5, expected_grad[1] = 0.5;
    softmax_cross_entropy_with_logits(z, x, loss, grad, Shape{1, n});
    EXPECT_EQ(loss[0], big) << n;
    EXPECT_EQ(grad, expected_grad) << n;
    std::vector<T> sparse_loss(1);
    sparse_softmax_cross_entropy_with_logits(std::vector<std::int32_t>{1}, x, sparse_loss, grad,
                                             Shape{1, n});
    EXPECT_EQ(sparse_loss[0], 0) << n;
  }
  const std::vector<T> x = {-big, -big, big, big}, z = {0.5, 0.5, 0.5, 0.5};
  std::vector<T> loss(2);
  softmax_cross_entropy_with_logits(z, x, loss, {}, Shape{2, 2}, 0);
  EXPECT_EQ(loss, (std::vector<T>{big, big}));
}

TEST(LossStability, SoftmaxCrossEntropyIsFiniteWhereTheLogitsSpanMoreThanTheRange) {
  for_each_target([] {
    ExpectFiniteLossWhereTheSpanOverflows<float>(3e38f);
    ExpectFiniteLossWhereTheSpanOverflows<double>(1e308);
  });
}

TEST(LossStability, ConfidentPredictionsKeepTheirTinyLossAndGradient) {
  for_each_target([] {
    // logits [0, -30]: loss log1p(e^-30) = 9.4e-14 and gradient -+e^-30/(1 + e^-30), which a
    // plain log(sum) and softmax - 1 round to 0.
    for (const std::size_t rows : {1, 40}) {
      std::vector<float> x(2 * rows), z(2 * rows), loss(rows), grad(2 * rows);
      for (std::size_t r = 0; r < rows; ++r) x[2 * r + 1] = -30, z[2 * r] = 1;
      const L e = std::exp(L{-30}), exact_loss = std::log1p(e), p = e / (1 + e);
      softmax_cross_entropy_with_logits(z, x, loss, grad, Shape{rows, 2});
      EXPECT_NEAR(loss[0], exact_loss, 1e-6 * exact_loss);
      EXPECT_NEAR(grad[0], -p, 1e-6 * p);
      EXPECT_NEAR(grad[1], p, 1e-6 * p);
      sparse_softmax_cross_entropy_with_logits(std::vector<std::int32_t>(rows, 0), x, loss, grad,
                                               Shape{rows, 2});
      EXPECT_NEAR(loss[rows - 1], exact_loss, 1e-6 * exact_loss);
      EXPECT_NEAR(grad[0], -p, 1e-6 * p);
    }
  });
}

TEST(LossStability, NoInfOrNaNForFiniteInputsWithFiniteLoss) {
  std::mt19937 rng(10);
  std::uniform_real_distribution<double> exponent(-30, 30);
  for (const LossInfo& info : loss_catalog()) {
    if (info.input != LossInput::kLogits) continue;
    SCOPED_TRACE(info.name);
    Case c = make_case(info, {8, 5}, -1, 11);
    for (double& x : c.inputs) x = std::copysign(std::pow(10.0, exponent(rng)), x);
    const std::vector<float> labels(c.labels.begin(), c.labels.end()),
        inputs(c.inputs.begin(), c.inputs.end());
    std::vector<float> loss(examples(info, {8, 5}, -1)), grad(inputs.size());
    evaluate_loss(info, {}, labels, inputs, loss, grad, Shape{8, 5});
    for (const float v : loss) EXPECT_TRUE(std::isfinite(v)) << v;
    for (const float g : grad) EXPECT_TRUE(std::isfinite(g)) << g;
  }
}

TEST(LossStability, NonFiniteLogitsInSoftmaxCrossEntropy) {
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = kInf;
  const std::vector<float> x = {0, -inf, 1, /**/ 0, -inf, 1, /**/ 0, nan, 1, /**/ 0, 2, 1};
  const std::vector<float> z = {1, 0, 0, /**/ 0, 1, 0, /**/ 1, 0, 0, /**/ 1, 0, 0};
  std::vector<float> loss(4), grad(12);
  softmax_cross_entropy_with_logits(z, x, loss, grad, Shape{4, 3});
  EXPECT_FLOAT_EQ(loss[0], std::log1p(std::exp(1.0f)));  // -inf with weight 0: no term
  EXPECT_EQ(grad[1], 0);
  EXPECT_EQ(loss[1], inf);  // the label's logit is -inf
  EXPECT_EQ(grad[4], -1);
  EXPECT_TRUE(std::isnan(loss[2]) && std::isnan(grad[6]));
  EXPECT_TRUE(std::isfinite(loss[3]));  // other rows are untouched
}

TEST(LossStability, ProbabilitiesAtTheEnds) {
  std::vector<double> loss(4), grad(4);
  binary_cross_entropy(std::vector<double>{0, 1, 1, 0}, std::vector<double>{0, 1, 0, 1}, loss,
                       grad);
  EXPECT_EQ(loss, (std::vector<double>{0, 0, kInf, kInf}));
  EXPECT_EQ(grad, (std::vector<double>{1, -1, -kInf, kInf}));
}

// ---- Paths that must agree ----

TEST(Losses, VectorAndStridedPathsAgree) {
  for_each_target([] {
    // The same rows with classes last (vector kernel) and first (scalar path).
    const std::size_t rows = 37, classes = 11;
    std::mt19937 rng(12);
    std::normal_distribution<float> normal(0, 4);
    std::vector<float> x(rows * classes), z(rows * classes), xt(x.size()), zt(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = normal(rng), z[i] = std::fabs(normal(rng));
    for (std::size_t r = 0; r < rows; ++r) {
      for (std::size_t j = 0; j < classes; ++j) {
        xt[j * rows + r] = x[r * classes + j];
        zt[j * rows + r] = z[r * classes + j];
      }
    }
    std::vector<float> loss(rows), loss_t(rows), grad(x.size()), grad_t(x.size());
    softmax_cross_entropy_with_logits(z, x, loss, grad, Shape{rows, classes}, 1);
    softmax_cross_entropy_with_logits(zt, xt, loss_t, grad_t, Shape{classes, rows}, 0);
    for (std::size_t r = 0; r < rows; ++r) {
      EXPECT_NEAR(loss[r], loss_t[r], 4e-7 * std::fabs(loss_t[r])) << r;
      // The gradient sum(z) p - z is exact to a few ulp of its terms, not of their difference.
      float label_sum = 0;
      for (std::size_t j = 0; j < classes; ++j) label_sum += z[r * classes + j];
      for (std::size_t j = 0; j < classes; ++j) {
        EXPECT_NEAR(grad[r * classes + j], grad_t[j * rows + r], 4e-7 * label_sum) << r << " " << j;
      }
    }
  });
}

TEST(Losses, ThreadCountDoesNotChangeReductions) {
  const std::size_t rows = 4096, classes = 100;
  std::mt19937 rng(13);
  std::normal_distribution<float> normal(0, 3);
  std::vector<float> x(rows * classes);
  for (float& v : x) v = normal(rng);
  std::vector<std::int64_t> labels(rows);
  for (auto& k : labels) k = static_cast<std::int64_t>(rng() % classes);
  std::vector<float> one(1), two(1), grad_one(x.size()), grad_two(x.size());
  set_num_threads(1);
  sparse_softmax_cross_entropy_with_logits(labels, x, one, grad_one, Shape{rows, classes}, -1,
                                           Reduction::kMean);
  set_num_threads(2);
  sparse_softmax_cross_entropy_with_logits(labels, x, two, grad_two, Shape{rows, classes}, -1,
                                           Reduction::kMean);
  set_num_threads(0);
  EXPECT_EQ(one, two);
  EXPECT_EQ(grad_one, grad_two);
}

TEST(Losses, LabelSmoothingAndParameters) {
  // Smoothing 0.3 over 4 classes: z' = 0.7 z + 0.075.
  const std::vector<double> z = {0, 1, 0, 0}, p = {0.1, 0.6, 0.2, 0.1};
  std::vector<double> loss(1), grad(4);
  categorical_cross_entropy(z, p, loss, grad, {}, -1, Reduction::kNone, 0.3);
  L exact = 0;
  for (std::size_t i = 0; i < 4; ++i) exact -= (0.7L * z[i] + 0.075L) * std::log(L{p[i]});
  EXPECT_NEAR(loss[0], exact, 1e-15);
  EXPECT_NEAR(grad[1], -(0.7 + 0.075) / 0.6, 1e-15);
  // Huber with delta 2, and the generic entry point with the same parameter.
  std::vector<double> h(2), hg(2);
  huber(std::vector<double>{0, 0}, std::vector<double>{1.5, -5}, h, hg, Reduction::kNone, 2);
  EXPECT_EQ(h, (std::vector<double>{1.125, 8}));
  EXPECT_EQ(hg, (std::vector<double>{1.5, -2}));
  const double delta[] = {2};
  std::vector<double> h2(2);
  evaluate_loss(*find_loss("huber"), delta, std::vector<double>{0, 0}, std::vector<double>{1.5, -5},
                h2);
  EXPECT_EQ(h2, h);
  // Keras' hinge reads 0/1 labels as -1/1.
  std::vector<double> a(2), b(2);
  hinge(std::vector<double>{0, 1}, std::vector<double>{0.5, 0.5}, a);
  hinge(std::vector<double>{-1, 1}, std::vector<double>{0.5, 0.5}, b);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, (std::vector<double>{1.5, 0.5}));
}

// ---- Errors ----

TEST(LossErrors, NameTheProblem) {
  std::vector<float> x(40), z(30), loss(40), one(1), grad(40);
  EXPECT_EQ(error_of([&] { sigmoid_cross_entropy_with_logits(z, x, loss); }),
            "sigmoid_cross_entropy_with_logits: mismatched sizes: labels has 30 elements, "
            "logits has 40");
  EXPECT_EQ(
      error_of([&] { sigmoid_cross_entropy_with_logits(x, x, std::span<float>(loss).first(3)); }),
      "sigmoid_cross_entropy_with_logits: loss has 3 elements; reduction none (one loss "
      "per element) needs 40");
  EXPECT_EQ(error_of([&] { mean_squared_error(x, x, loss, grad, Reduction::kMean); }),
            "mean_squared_error: loss has 40 elements; a reduced loss needs 1");
  EXPECT_EQ(error_of([&] {
              softmax_cross_entropy_with_logits(x, x, one, {}, Shape{4, 10}, 2);
            }),
            "softmax_cross_entropy_with_logits: axis 2 is out of range for a rank-2 array");
  EXPECT_EQ(error_of([&] {
              softmax_cross_entropy_with_logits(x, x, one, {}, Shape{4, 9});
            }),
            "softmax_cross_entropy_with_logits: shape [4, 9] has 36 elements but logits has 40");
  EXPECT_EQ(error_of([&] { mean_squared_error(x, x, loss, std::span<float>(x)); }),
            "mean_squared_error: grad overlaps labels");
  EXPECT_EQ(error_of([&] { weighted_cross_entropy_with_logits(x, x, -1, loss); }),
            "weighted_cross_entropy_with_logits: pos_weight must be in [0, "
            "1.7976931348623157e+308], got -1");
  EXPECT_EQ(error_of([&] { huber(x, x, loss, {}, Reduction::kNone, 0); }),
            "huber: delta must be positive and finite, got 0");
  EXPECT_EQ(error_of([&] {
              categorical_cross_entropy(x, x, std::span<float>(loss).first(4), {}, Shape{4, 10}, -1,
                                        Reduction::kNone, 1.5);
            }),
            "categorical_cross_entropy: label_smoothing must be in [0, 1], got 1.5");
}

TEST(LossErrors, ClassIdsOutOfRangeNameTheirRow) {
  std::vector<float> logits(60), loss(6);
  std::vector<std::int64_t> labels = {0, 1, 2, 3, 4, 12};
  EXPECT_EQ(error_of([&] {
              sparse_softmax_cross_entropy_with_logits(labels, logits, loss, {}, Shape{6, 10});
            }),
            "sparse_softmax_cross_entropy_with_logits: label 12 at row 5 is outside [0, 10)");
  labels[2] = -1;
  EXPECT_EQ(error_of([&] {
              sparse_softmax_cross_entropy_with_logits(labels, logits, loss, {}, Shape{6, 10});
            }),
            "sparse_softmax_cross_entropy_with_logits: label -1 at row 2 is outside [0, 10)");
  EXPECT_EQ(error_of([&] {
              sparse_softmax_cross_entropy_with_logits(std::span(labels).first(5), logits, loss, {},
                                                       Shape{6, 10});
            }),
            "sparse_softmax_cross_entropy_with_logits: labels has 5 elements; one class id per "
            "row needs 6");
  const std::vector<float> ids = {0, 2.5f, 1, 1, 1, 1};
  EXPECT_EQ(error_of([&] {
              evaluate_loss(*find_loss("sparse_softmax_cross_entropy_with_logits"), {}, ids, logits,
                            loss, {}, Shape{6, 10});
            }),
            "sparse_softmax_cross_entropy_with_logits: label 2.5 at row 1 is not a class id in "
            "[0, 10)");
}

TEST(LossErrors, ProbabilitiesOutOfRangeNameTheirIndex) {
  std::vector<double> z(4, 0.5), p = {0.1, 0.2, 1.5, 0.3}, loss(4);
  EXPECT_EQ(error_of([&] { binary_cross_entropy(z, p, loss); }),
            "binary_cross_entropy: probability 1.5 at index 2 is not in [0, 1]");
  p[2] = -2;
  EXPECT_EQ(error_of([&] { poisson(z, p, loss); }),
            "poisson: prediction -2 at index 2 is not >= 0");
  z[1] = -0.5;
  p[2] = 0.5;
  EXPECT_EQ(error_of([&] { kl_divergence(z, p, std::span<double>(loss).first(1)); }),
            "kl_divergence: label -0.5 at index 1 is not >= 0");
}

// Labels outside the domain docs/losses.md gives them are refused, not turned into a loss that
// rewards the wrong answer: binary cross-entropy's (and the sigmoid ones') are probabilities, the
// soft labels of the cross-entropies over classes non-negative weights.
TEST(LossErrors, LabelsOutOfTheirDomainNameTheirIndex) {
  std::vector<double> z = {0, 1, 2, 0.5}, p(4, 0.5), loss(4);
  EXPECT_EQ(error_of([&] { binary_cross_entropy(z, p, loss); }),
            "binary_cross_entropy: label 2 at index 2 is not in [0, 1]");
  z[2] = -1;
  EXPECT_EQ(error_of([&] { binary_cross_entropy(z, p, loss); }),
            "binary_cross_entropy: label -1 at index 2 is not in [0, 1]");
  EXPECT_EQ(error_of([&] { sigmoid_cross_entropy_with_logits(z, p, loss); }),
            "sigmoid_cross_entropy_with_logits: label -1 at index 2 is not in [0, 1]");
  EXPECT_EQ(error_of([&] { weighted_cross_entropy_with_logits(z, p, 2.0, loss); }),
            "weighted_cross_entropy_with_logits: label -1 at index 2 is not in [0, 1]");
  const std::array<std::size_t, 2> shape = {2, 2};
  EXPECT_EQ(error_of([&] {
              softmax_cross_entropy_with_logits(z, p, std::span<double>(loss).first(2), {}, shape);
            }),
            "softmax_cross_entropy_with_logits: label -1 at index 2 is not >= 0");
  EXPECT_EQ(error_of([&] {
              categorical_cross_entropy(z, p, std::span<double>(loss).first(2), {}, shape);
            }),
            "categorical_cross_entropy: label -1 at index 2 is not >= 0");
  // The ends of the domain are labels like any other.
  z = {0, 1, 1, 0};
  EXPECT_NO_THROW(binary_cross_entropy(z, p, loss));
  EXPECT_NO_THROW(sigmoid_cross_entropy_with_logits(z, p, loss));
  EXPECT_NO_THROW(
      softmax_cross_entropy_with_logits(z, p, std::span<double>(loss).first(2), {}, shape));
}

}  // namespace
}  // namespace sigma
