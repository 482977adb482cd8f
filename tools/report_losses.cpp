#include "report_losses.hpp"

#include <fmt/format.h>

#include <sigma/plot.hpp>
#include <sigma/sigma.hpp>
#include <string_view>
#include <vector>

#include "html.hpp"

namespace sigma::cli {
namespace {

constexpr int kFigureWidth = 1000;
constexpr int kFigureHeight = 420;
constexpr double kPosWeight = 3;  // weighted_cross_entropy_with_logits, far from its default 1

// A loss as a function of one input x, evaluated by the library: the elementwise ones see x
// alone, the softmax ones two classes with logits (0, x), so that label 1 is the class of x.
struct LogitLoss {
  std::string_view name;
  bool two_classes;
  std::vector<double> params;
};

const std::vector<LogitLoss> kTensorFlowsFour = {
    {"sigmoid_cross_entropy_with_logits", false, {}},
    {"weighted_cross_entropy_with_logits", false, {kPosWeight}},
    {"softmax_cross_entropy_with_logits", true, {}},
    {"sparse_softmax_cross_entropy_with_logits", true, {}},
};

const std::vector<LogitLoss> kRegression = {
    {"mean_squared_error", false, {}},
    {"mean_absolute_error", false, {}},
    {"huber", false, {}},
    {"log_cosh", false, {}},
};

// The loss at x, or its derivative with respect to x, for label z (0 or 1).
double Evaluate(const LogitLoss& l, double z, double x, bool slope) {
  const LossInfo& info = *find_loss(l.name);
  std::vector<double> labels, logits;
  if (!l.two_classes) {
    labels = {z};
    logits = {x};
  } else {
    labels = info.class_ids ? std::vector<double>{z} : std::vector<double>{1 - z, z};
    logits = {0, x};
  }
  std::vector<double> loss(1), grad(logits.size());
  evaluate_loss(info, l.params, labels, logits, loss, grad);
  return slope ? grad.back() : loss[0];
}

// The losses against x in [-x_max, x_max] for label z, as a data: URI.
std::string Figure(const std::vector<LogitLoss>& losses, double z, double x_max,
                   const char* x_label) {
  std::vector<NamedCurve> curves;
  for (const LogitLoss& l : losses) {
    std::string name(l.name);
    if (!l.params.empty()) name += fmt::format(":pos_weight={}", l.params[0]);
    curves.push_back({name, [&l, z](double x) { return Evaluate(l, z, x, false); },
                      [&l, z](double x) { return Evaluate(l, z, x, true); }});
  }
  PlotOptions options;
  options.x_min = -x_max;
  options.x_max = x_max;
  options.width = kFigureWidth;
  options.height = kFigureHeight;
  options.x_label = x_label;
  options.y_label = "loss";
  options.dy_label = "\u2202loss/\u2202x";
  return "data:image/svg+xml;base64," + Base64(plot_to_string(curves, options, PlotFormat::kSvg));
}

std::string Table() {
  std::string rows;
  for (const LossInfo& info : loss_catalog()) {
    rows += fmt::format(
        "<tr><td><code>{}</code></td><td class=\"mono\">{}</td><td class=\"mono\">{}</td>"
        "<td>{}</td><td>{}</td></tr>\n",
        escape_markup(info.name), escape_markup(info.formula), escape_markup(info.gradient),
        info.stable_form.empty() ? "the formula, which neither overflows nor cancels"
                                 : escape_markup(info.stable_form),
        escape_markup(info.labels));
  }
  return fmt::format(R"(<div class="table-wrap"><table>
<tr><th>loss</th><th>formula (z the label, x the input)</th><th>gradient</th>
<th>evaluated as</th><th>labels</th></tr>
{}</table></div>
)",
                     rows);
}

}  // namespace

std::string LossSection() {
  return fmt::format(
      R"(<section id="losses">
<h2>Losses</h2>
<p>A loss turns the output layer's values into one number to minimise; its gradient is where
backpropagation starts. TensorFlow has four cross-entropies on logits, drawn here against one
logit <span class="math">x</span> by sigma's own implementation: the sigmoid and weighted ones see
<span class="math">x</span> alone, the two softmax ones two classes with logits
<span class="math">(0, x)</span>, so that label 1 is the class of <span class="math">x</span>.</p>
<figure><img src="{}" width="{}" height="{}"
alt="the four cross-entropies and their gradients against the logit, for label 1">
<figcaption>Label 1. Each loss falls to 0 as the logit grows and rises along a line of slope
&minus;1 as it falls: a confident wrong answer costs in proportion to its confidence, and the
gradient <span class="math">sigmoid(x) &minus; 1</span> does not vanish while the answer is wrong.
With two classes the softmax cross-entropies are the sigmoid one (their curves coincide; the pale
band marks it), and <code>pos_weight</code> = {} multiplies the loss and gradient of a positive
label by {}.</figcaption></figure>
<figure><img src="{}" width="{}" height="{}"
alt="the four cross-entropies and their gradients against the logit, for label 0">
<figcaption>Label 0: the mirror image, the loss growing with the logit. Here the weighted
cross-entropy is the sigmoid one, since <code>pos_weight</code> weighs only positive
labels.</figcaption></figure>
<figure><img src="{}" width="{}" height="{}"
alt="squared, absolute, Huber and log-cosh errors and their gradients against the prediction">
<figcaption>The regression losses against the prediction for a target of 0. The squared error's
gradient grows with the error, so one outlier can dominate a batch; the absolute error's is
&plusmn;1 however large the error; <code>huber</code> (<code>delta</code> = 1) and
<code>log_cosh</code> are quadratic near 0 and linear beyond, Huber with a kink in its second
derivative, log-cosh smoothly.</figcaption></figure>
<p>Every loss of sigma's catalog, with the form it is computed in so that it stays finite and
exact at any finite input (see <code>docs/losses.md</code>; <code>sigma loss NAME --labels ...
--logits ... [--grad]</code> evaluates any of them):</p>
{}</section>
)",
      Figure(kTensorFlowsFour, 1, 6, "logit x"), kFigureWidth, kFigureHeight, kPosWeight,
      kPosWeight, Figure(kTensorFlowsFour, 0, 6, "logit x"), kFigureWidth, kFigureHeight,
      Figure(kRegression, 0, 3, "prediction x"), kFigureWidth, kFigureHeight, Table());
}

}  // namespace sigma::cli
