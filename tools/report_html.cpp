#include "report_html.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <sigma/sigma.hpp>

#include "distribution_text.hpp"
#include "html.hpp"
#include "numbers.hpp"
#include "report_losses.hpp"

namespace sigma::cli {
namespace {

constexpr int kDepth = 10;  // layers, for the vanishing-gradient arithmetic

// ---- Numbers in HTML ----

// A true minus sign for a leading '-'.
std::string WithMinus(std::string text) {
  if (!text.empty() && text[0] == '-') text.replace(0, 1, "\u2212");
  return text;
}

// Three significant digits; a power of ten written out when a number is very small or large.
std::string Num(double v) {
  if (std::isnan(v)) return "\u2013";
  if (std::isinf(v)) return v > 0 ? "\u221e" : "\u2212\u221e";
  if (v != 0 && (std::abs(v) < 1e-3 || std::abs(v) >= 1e5)) {
    // fmt rounds the mantissa and carries into the exponent (9.99e-4 -> 1.0e-03) correctly.
    const std::string text = fmt::format("{:.1e}", v);
    const std::size_t e = text.find('e');
    return fmt::format("{}&#x202F;\u00d7&#x202F;10<sup>{}</sup>", WithMinus(text.substr(0, e)),
                       WithMinus(std::to_string(std::stoi(text.substr(e + 1)))));
  }
  if (std::abs(v) >= 1e3) return WithMinus(fmt::format("{:.0f}", v));
  return WithMinus(fmt::format("{:.3g}", v));
}

// "x", "|x|" or "-x" compared with a band's end.
std::string BandText(const PeakPlace& band) {
  const auto op = [](bool included, bool below) -> std::string {
    return below ? (included ? " &le; " : " &lt; ") : (included ? " &ge; " : " &gt; ");
  };
  if (std::isinf(band.from) && std::isinf(band.to)) return "every x";
  if (std::isinf(band.from)) return "x" + op(band.to_included, true) + Num(band.to);
  if (std::isinf(band.to)) return "x" + op(band.from_included, false) + Num(band.from);
  return Num(band.from) + op(band.from_included, true) + "x" + op(band.to_included, true) +
         Num(band.to);
}

// Where |f'| peaks: the points (with a sign for a symmetric pair, and "..." for a periodic f),
// the limits, or the bands where it is constant at its peak.
std::string Where(const GradientFacts& g, bool periodic) {
  const std::vector<PeakPlace>& p = g.peaks;
  if (p.empty()) return "\u2013";
  if (p.size() == 2 && p[0].is_band() && p[1].is_band() && std::isinf(p[0].from) &&
      std::isinf(p[1].to) && p[0].to == -p[1].from && p[0].to_included == p[1].from_included) {
    if (p[1].from == 0 && !p[1].from_included) return "x &ne; 0";
    return "|x|" + std::string(p[1].from_included ? " &ge; " : " &gt; ") + Num(p[1].from);
  }
  std::vector<std::string> parts;
  std::string points;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i].is_band()) {
      parts.push_back(BandText(p[i]));
      continue;
    }
    const bool mirrored =
        p[i].from != 0 && std::any_of(p.begin(), p.end(), [&](const PeakPlace& q) {
          return !q.is_band() && q.from == -p[i].from;
        });
    if (mirrored && p[i].from < 0) continue;  // written with its positive twin, as +-
    const std::string value = mirrored ? "&plusmn;" + Num(p[i].from) : Num(p[i].from);
    if (std::isinf(p[i].from)) {
      parts.push_back("x &rarr; " + value);
    } else {
      points += (points.empty() ? "" : ", ") + value;
    }
  }
  if (!points.empty()) parts.push_back("x = " + points + (periodic ? ", &hellip;" : ""));
  std::string text;
  for (const std::string& part : parts) text += (text.empty() ? "" : " or ") + part;
  return text;
}

std::string Percent(double share) { return fmt::format("{:.1f}%", 100 * share); }

std::string Ulp(const WorstError& e) {
  return std::isinf(e.ulp) ? "\u221e" : fmt::format("{:.2f}", e.ulp);
}

// The error and where it occurs, as two table cells; errors above 1 ulp stand out.
std::string UlpCells(const WorstError& e) {
  return fmt::format("<td class=\"num{}\">{}</td><td class=\"num mono\">{}</td>",
                     e.ulp > 1 ? " over" : "", Ulp(e),
                     e.ulp == 0 ? "\u2013" : FormatNumber(static_cast<float>(e.input)));
}

std::string FunctionLink(std::string_view name) {
  return fmt::format("<a href=\"#f-{0}\"><code>{0}</code></a>", escape_markup(name));
}

std::string DataUri(const std::string& svg) { return "data:image/svg+xml;base64," + Base64(svg); }

// ---- The page ----

constexpr char kStyle[] = R"(
:root { --ink: #1d2329; --muted: #5b6670; --line: #dde2e6; --soft: #f4f6f8; --accent: #0072b2; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.5;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
header, main, footer { max-width: 1160px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 28px; }
h1 { font-size: 2rem; margin: 0 0 4px; }
h2 { font-size: 1.5rem; margin: 48px 0 12px; padding-top: 12px; border-top: 1px solid var(--line); }
h3 { font-size: 1.15rem; margin: 28px 0 8px; }
p { max-width: 80ch; }
.lede { color: var(--muted); margin-top: 0; }
nav { display: flex; flex-wrap: wrap; gap: 6px 18px; padding: 10px 0; margin-top: 12px;
  border-top: 1px solid var(--line); border-bottom: 1px solid var(--line); }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code, .mono { font-family: "DejaVu Sans Mono", ui-monospace, monospace; font-size: 0.92em; }
pre { background: var(--soft); padding: 12px 16px; border-radius: 6px; overflow-x: auto; }
figure { margin: 16px 0; }
figure img { max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; }
figcaption { color: var(--muted); font-size: 0.92rem; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.92rem; margin: 8px 0 16px; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: left;
  vertical-align: top; }
th { background: var(--soft); font-weight: 600; position: sticky; top: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.over { color: #b34700; font-weight: 600; }
tr.reference td { background: #fbf7ea; }
.bar { display: inline-block; height: 8px; background: var(--accent); border-radius: 2px;
  vertical-align: middle; margin-left: 6px; }
.math { font-family: "DejaVu Serif", Georgia, serif; }
.math sup { font-size: 0.75em; }
.index { columns: 5 150px; padding: 0; list-style: none; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; margin: 18px 0; }
.card h3 { margin: 0 0 2px; font-size: 1.3rem; }
.card h3 .aliases { font-size: 0.9rem; color: var(--muted); font-weight: normal; margin-left: 8px; }
.card .summary { margin: 0 0 10px; color: var(--muted); }
.card-body { display: grid; grid-template-columns: minmax(0, 600px) minmax(0, 1fr); gap: 20px;
  align-items: start; }
@media (max-width: 900px) { .card-body { grid-template-columns: minmax(0, 1fr); } }
.card img { width: 100%; height: auto; }
dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 6px 14px; margin: 0; }
dt { color: var(--muted); }
dd { margin: 0; }
.badge { display: inline-block; padding: 1px 8px; margin: 0 4px 4px 0; border-radius: 10px;
  background: var(--soft); border: 1px solid var(--line); font-size: 0.85rem; }
.params { margin: 0; padding: 0; list-style: none; }
.params li + li { margin-top: 6px; }
.good { color: #00734d; }
.note { color: var(--muted); font-size: 0.92rem; }
footer { color: var(--muted); font-size: 0.9rem; padding: 32px 24px 48px; }
)";

std::string Header(const Report& r) {
  return fmt::format(
      R"(<header>
<h1>&sigma; sigma: an atlas of activation functions</h1>
<p class="lede">{} functions, each beside its derivative, with a guide to choosing one, and the
accuracy and speed of sigma {} measured on this machine ({}, {} hardware threads) on {}.</p>
<nav><a href="#overview">Overview</a><a href="#choosing">Choosing an activation</a>
<a href="#linear">Why non-linear</a><a href="#measured">Accuracy and speed</a>
<a href="#training">Training</a><a href="#losses">Losses</a><a href="#atlas">The atlas</a></nav>
</header>
)",
      r.entries.size(), SIGMA_VERSION_STRING, escape_markup(r.machine.cpu), r.machine.threads,
      r.machine.date);
}

std::string Overview(const Report& r) {
  std::string specs;
  for (const char* spec : kOverviewSpecs) specs += std::string(" ") + spec;
  return fmt::format(
      R"(<section id="overview">
<h2>Overview</h2>
<p>An activation <span class="math">f</span> is applied to every element of a layer's
pre-activation, <span class="math">o = f(Wx + b)</span>. Training sends gradients back through
it, multiplied by <span class="math">f&prime;(x)</span>, so the derivative matters as much as the
function: where <span class="math">f&prime;</span> is near 0 the layers below learn slowly or not
at all.</p>
<figure><img src="{}" width="{}" height="{}"
alt="sigmoid, tanh, relu, softplus and elu on the left, their derivatives on the right">
<figcaption>The tutorials' figure, drawn by <code>sigma plot{} -o activations.svg</code>.
</figcaption></figure>
</section>
)",
      DataUri(r.overview_svg), kOverviewWidth, kOverviewHeight, specs);
}

const Entry* FindEntry(const Report& r, std::string_view name) {
  for (const Entry& e : r.entries) {
    if (e.act.name() == name) return &e;
  }
  return nullptr;
}

std::string OutputLayerTable() {
  std::string rows;
  for (const OutputLayerFit& fit : OutputLayerFits()) {
    std::string names;
    for (std::string_view name : fit.functions) {
      names += (names.empty() ? "" : ", ") + FunctionLink(name);
    }
    rows += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                        escape_markup(fit.task), names.empty() ? "softmax" : names,
                        FormulaHtml(fit.rule), escape_markup(fit.advice));
  }
  return fmt::format(R"(<div class="table-wrap"><table>
<tr><th>output layer</th><th>fits</th><th>selected by (catalog properties)</th><th>advice</th></tr>
{}</table></div>
)",
                     rows);
}

// A sentence on how far `name`'s derivative can carry a gradient through kDepth layers.
std::string DepthSentence(const Report& r, std::string_view name) {
  const Entry* e = FindEntry(r, name);
  if (e == nullptr) return "";
  const double max = e->gradient.max_derivative;
  return fmt::format(
      "<li>{}: <span class=\"math\">f&prime;</span> is at most {} ({} {}), so {} stacked "
      "layers scale a gradient by at most {}<sup>{}</sup> = {}.</li>\n",
      FunctionLink(name), Num(max),
      std::any_of(e->gradient.peaks.begin(), e->gradient.peaks.end(),
                  [](const PeakPlace& p) { return p.is_band(); })
          ? "for"
          : "at",
      Where(e->gradient, e->act.info().properties.periodic), kDepth, Num(max), kDepth,
      Num(std::pow(max, kDepth)));
}

std::string GradientTable(const Report& r) {
  const Entry* relu = FindEntry(r, "relu");
  std::string rows;
  for (const Entry& e : r.entries) {
    const GradientFacts& g = e.gradient;
    const double cost = relu != nullptr && e.measured.speed.forward > 0
                            ? relu->measured.speed.forward / e.measured.speed.forward
                            : NAN;
    rows += fmt::format(
        "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
        FunctionLink(e.act.name()), Num(g.max_derivative),
        Where(g, e.act.info().properties.periodic), Num(g.left_tail), Num(g.right_tail),
        Num(std::pow(g.max_derivative, kDepth)), Percent(g.zero_share),
        std::isnan(cost) ? "\u2013" : fmt::format("{:.1f}\u00d7", cost));
  }
  return fmt::format(R"(<div class="table-wrap"><table>
<tr><th>function</th><th class="num">max |f&prime;|</th><th class="num">at</th>
<th class="num">f&prime;(&minus;6)</th><th class="num">f&prime;(6)</th>
<th class="num">max |f&prime;|<sup>{}</sup></th><th class="num">f&prime; = 0 for N(0,&nbsp;1)</th>
<th class="num">forward time vs relu</th></tr>
{}</table></div>
)",
                     kDepth, rows);
}

std::string Choosing(const Report& r) {
  std::string saturating, dead;
  for (const Entry& e : r.entries) {
    const GradientFacts& g = e.gradient;
    if (std::abs(g.left_tail) < 0.01 && std::abs(g.right_tail) < 0.01 && g.zero_share < 0.999) {
      saturating += (saturating.empty() ? "" : ", ") + FunctionLink(e.act.name());
    }
    if (g.zero_share >= 0.01) {
      dead += fmt::format("{}{} ({})", dead.empty() ? "" : ", ", FunctionLink(e.act.name()),
                          Percent(g.zero_share));
    }
  }
  return fmt::format(
      R"(<section id="choosing">
<h2>Choosing an activation</h2>
<p>Everything on this page is computed from sigma's catalog: its ranges and properties, and its
reference implementation of every function and derivative.</p>
<h3>For the output layer: match the range to the target</h3>
{}
<h3>For hidden layers: keep the gradient alive</h3>
<p><strong>Vanishing gradients.</strong> Backpropagation multiplies the gradient by
<span class="math">f&prime;</span> once per layer:</p>
<ul>
{}{}{}</ul>
<p>Functions that saturate on both sides (|f&prime;(&plusmn;6)| &lt; 0.01) pass almost no gradient
back from a unit driven far from 0: {}.</p>
<p><strong>Dead units.</strong> Where <span class="math">f&prime; = 0</span> exactly, a unit learns
nothing; a unit whose pre-activations all fall there stays dead (the dying ReLU). The share of
standard-normal pre-activations that get no gradient: {}. Leaky variants (<a
href="#f-leaky_relu"><code>leaky_relu</code></a>, <a href="#f-elu"><code>elu</code></a>) and
smooth self-gated functions (<a href="#f-silu"><code>silu</code></a>, <a
href="#f-gelu"><code>gelu</code></a>, <a href="#f-mish"><code>mish</code></a>) give a gradient
everywhere.</p>
<p><strong>Zero-centred outputs</strong> (<span class="math">f(0) = 0</span> with both signs) keep
the next layer's inputs centred, which tanh has and sigmoid lacks: see each card's
properties.</p>
<p>In the table, max |f&prime;| and where it is reached are taken on a grid over
[&minus;10, 10] with a step of 0.001; the last column, <strong>cost</strong>, is the measured
forward time per element relative to relu's, on this machine (see <a href="#measured">Accuracy
and speed</a>).</p>
{}
</section>
)",
      OutputLayerTable(), DepthSentence(r, "sigmoid"), DepthSentence(r, "tanh"),
      DepthSentence(r, "relu"), saturating, dead, GradientTable(r));
}

std::string Matrix(const std::vector<double>& values, int rows, int columns) {
  std::string text;
  for (int i = 0; i < rows; ++i) {
    text += i == 0 ? "[" : " ";
    for (int j = 0; j < columns; ++j) {
      text += fmt::format("{:7.3f}", values[static_cast<std::size_t>(i * columns + j)]);
    }
    text += i + 1 == rows ? " ]" : "\n";
  }
  return text;
}

std::string Collapse(const Report& r) {
  const CollapseDemo& d = r.collapse;
  std::string nonlinear;
  for (const CollapseDemo::WithActivation& a : d.nonlinear) {
    nonlinear += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td></tr>\n",
                             FunctionLink(a.spec), Percent(a.unexplained));
  }
  return fmt::format(
      R"(<section id="linear">
<h2>Why non-linear: stacked linear layers collapse into one</h2>
<p>Two dense layers without an activation, <span class="math">h = W<sub>1</sub>x +
b<sub>1</sub></span> ({hidden}&times;{inputs}) and <span class="math">y = W<sub>2</sub>h +
b<sub>2</sub></span> ({outputs}&times;{hidden}), multiply out to one layer
<span class="math">y = Wx + b</span> with <span class="math">W = W<sub>2</sub>W<sub>1</sub></span>
and <span class="math">b = W<sub>2</sub>b<sub>1</sub> + b<sub>2</sub></span>. For random weights
(seed 6) that layer is:</p>
<pre>W = {w}
b = {b}</pre>
<p>Computed here on {samples} random inputs, the two-layer network and the single layer differ by
at most <strong>{diff}</strong>: rounding, nothing more. The {hidden} hidden units add no power at
all: a least-squares fit of one linear map leaves {linear} of the output's variance
unexplained.</p>
<p>Put an activation between the layers and no single linear map can do the same: the share of
the output's variance that the best linear map (least squares over the same inputs) leaves
unexplained is</p>
<div class="table-wrap"><table><tr><th>between the layers</th>
<th class="num">unexplained by any linear map</th></tr>
<tr><td>nothing (identity)</td><td class="num">{linear}</td></tr>
{nonlinear}</table></div>
</section>
)",
      fmt::arg("hidden", d.hidden), fmt::arg("inputs", d.inputs), fmt::arg("outputs", d.outputs),
      fmt::arg("w", Matrix(d.w, d.outputs, d.inputs)), fmt::arg("b", Matrix(d.b, 1, d.outputs)),
      fmt::arg("samples", d.samples), fmt::arg("diff", Num(d.max_difference)),
      fmt::arg("linear", Num(100 * d.linear_unexplained) + "%"), fmt::arg("nonlinear", nonlinear));
}

constexpr double kBarWidth = 90;  // pixels of the fastest rate's bar

std::string SpeedCell(double rate, double fastest) {
  return fmt::format(
      "<td class=\"num\">{:.3f}<span class=\"bar\" style=\"width:{:.0f}px\">"
      "</span></td>",
      rate, fastest > 0 ? rate / fastest * kBarWidth : 0);
}

std::string MeasuredSection(const Report& r) {
  double fastest = r.copy_rate;
  for (const Entry& e : r.entries) {
    fastest = std::max({fastest, e.measured.speed.forward, e.measured.speed.backward});
  }
  std::string rows = fmt::format(
      "<tr class=\"reference\"><td>memcpy of the same bytes</td><td></td><td></td><td></td>"
      "<td></td>{}<td></td></tr>\n",
      SpeedCell(r.copy_rate, fastest));
  for (const Entry& e : r.entries) {
    const AccuracyResult& a = e.measured.accuracy;
    rows += fmt::format("<tr><td>{}</td>{}{}{}{}</tr>\n", FunctionLink(e.act.name()),
                        UlpCells(a.forward), UlpCells(a.derivative),
                        SpeedCell(e.measured.speed.forward, fastest),
                        SpeedCell(e.measured.speed.backward, fastest));
  }
  return fmt::format(
      R"(<section id="measured">
<h2>Accuracy and speed on this machine</h2>
<p><strong>Accuracy</strong>: the largest error of the float32 array paths
(<code>Activation::forward</code> and <code>::derivative</code>), in units in the last place of
the result, against sigma's double-precision reference on {} inputs: bit patterns spread over
every float, and an even grid on [&minus;10, 10]. 0.5 ulp is a correctly rounded result; errors
above 1 ulp are marked. Near zero the ulp is that of a subnormal float (2<sup>&minus;149</sup>), so
a result that is tiny in absolute terms can still be many ulp off. (The reference itself is
checked against an independent MPFR oracle by sigma's test suite.)</p>
<p><strong>Speed</strong>: {} float32 elements ({} MiB per array), one thread, the median of {}
timed runs, in billions of elements per second (Gelem/s). Each function is timed with x drawn from
each of {} in turn (spreads such as a network's pre-activations have; dy from {}), and the table
shows the slowest of them: a fast path that only some inputs take is no speed to count on. A
forward pass reads and writes as many bytes as a memcpy of the array, so a function near memcpy's
rate is bound by moving data rather than by arithmetic; backward also reads dy. The arrays may fit
in this machine's caches, so memcpy's rate is a yardstick here, not a ceiling.</p>
<div class="table-wrap"><table>
<tr><th>function</th><th class="num">f: max ulp</th><th class="num">at x</th>
<th class="num">f&prime;: max ulp</th><th class="num">at x</th>
<th class="num">forward Gelem/s, slowest</th><th class="num">backward Gelem/s, slowest</th></tr>
{}</table></div>
</section>
)",
      r.entries.empty() ? 0 : AccuracyInputs(r.effort.accuracy_samples).size(),
      r.effort.speed_elements, r.effort.speed_elements * sizeof(float) >> 20, r.effort.speed_runs,
      DistributionLabels(r.speed_distributions), DistributionLabel(kGradientDistribution), rows);
}

// A small line of the test accuracy over the epochs, scaled to the run's own range; a NaN (a
// diverged epoch) is a gap in the line.
std::string Sparkline(const std::vector<double>& values) {
  constexpr double kWidth = 120, kHeight = 24;
  double lo = INFINITY, hi = -INFINITY;
  for (const double value : values) {
    if (std::isnan(value)) continue;
    lo = std::min(lo, value);
    hi = std::max(hi, value);
  }
  if (values.size() < 2 || lo > hi) return "";
  const double span = hi > lo ? hi - lo : 1;
  std::string lines, points;
  auto flush = [&] {
    if (!points.empty()) {
      lines += fmt::format(
          "<polyline fill=\"none\" stroke=\"#0072b2\" stroke-width=\"1.5\" "
          "points=\"{}\"/>",
          points);
    }
    points.clear();
  };
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (std::isnan(values[i])) {
      flush();
      continue;
    }
    points += fmt::format("{:.1f},{:.1f} ", kWidth * static_cast<double>(i) / (values.size() - 1),
                          kHeight - 2 - (kHeight - 4) * (values[i] - lo) / span);
  }
  flush();
  return fmt::format(
      "<svg width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" role=\"img\" "
      "aria-label=\"test accuracy by epoch\">{2}</svg>",
      kWidth, kHeight, lines);
}

// A logged value, or n/a where the run diverged.
std::string Logged(double value, const std::string& text) {
  return std::isnan(value) ? "n/a" : text;
}

// Orders accuracies with NaN (a diverged run) below every number.
bool Better(double a, double b) { return !std::isnan(a) && (std::isnan(b) || a > b); }

std::string Training(const Report& r) {
  if (r.training.empty()) {
    return R"(<section id="training">
<h2>Activations in training</h2>
<p>No training log was given. Train the activations on Fashion-MNIST and pass the log, one JSON
object per line and epoch:</p>
<pre>
sigma train --act relu,tanh,sigmoid --epochs 5 --log train.jsonl
sigma report --training-log train.jsonl
</pre>
<p>This section then compares them: test accuracy by epoch and the time each took.</p>
</section>
)";
  }
  std::map<std::string, std::vector<EpochRecord>> runs;
  for (const EpochRecord& record : r.training) runs[record.act].push_back(record);
  struct Row {
    std::string act;
    const EpochRecord* last;
    const EpochRecord* best;
    double seconds;
    std::vector<double> accuracy;
  };
  std::vector<Row> table;
  for (auto& [act, records] : runs) {
    std::sort(records.begin(), records.end(),
              [](const EpochRecord& a, const EpochRecord& b) { return a.epoch < b.epoch; });
    Row row{act, &records.back(), &records.front(), 0, {}};
    for (const EpochRecord& record : records) {
      if (Better(record.test_accuracy, row.best->test_accuracy)) row.best = &record;
      row.seconds += record.seconds;
      row.accuracy.push_back(record.test_accuracy);
    }
    table.push_back(std::move(row));
  }
  std::sort(table.begin(), table.end(), [](const Row& a, const Row& b) {
    return Better(a.last->test_accuracy, b.last->test_accuracy);
  });
  std::string rows;
  for (const Row& row : table) {
    rows += fmt::format(
        "<tr><td><code>{}</code></td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{} (epoch {})</td>"
        "<td class=\"num\">{}</td><td>{}</td></tr>\n",
        escape_markup(row.act), row.last->epoch,
        Logged(row.last->train_loss, fmt::format("{:.4f}", row.last->train_loss)),
        Logged(row.last->train_error, Percent(row.last->train_error)),
        Logged(row.last->test_accuracy, Percent(row.last->test_accuracy)),
        Logged(row.best->test_accuracy, Percent(row.best->test_accuracy)), row.best->epoch,
        Logged(row.seconds, fmt::format("{:.1f}", row.seconds)), Sparkline(row.accuracy));
  }
  return fmt::format(R"(<section id="training">
<h2>Activations in training</h2>
<p>From the training log <code>{}</code>: the same network trained with each activation, best
final test accuracy first.</p>
<div class="table-wrap"><table>
<tr><th>activation</th><th class="num">epochs</th><th class="num">train loss</th>
<th class="num">train error</th><th class="num">test accuracy</th><th class="num">best</th>
<th class="num">seconds</th><th>test accuracy by epoch</th></tr>
{}</table></div>
</section>
)",
                     escape_markup(r.training_log), rows);
}

std::string_view DomainText(Domain domain) {
  switch (domain) {
    case Domain::kFinite:
      return "any finite value";
    case Domain::kNonNegative:
      return "&ge; 0";
    case Domain::kPositive:
      return "&gt; 0";
    case Domain::kNonZero:
      return "&ne; 0";
    case Domain::kChoice:
      return "one of the choices";
  }
  return "";
}

std::string ParamsHtml(const FunctionInfo& f) {
  if (f.params.empty()) return "none";
  std::string items;
  for (const ParamInfo& p : f.params) {
    std::string value = FormatNumber(p.default_value);
    std::string domain(DomainText(p.domain));
    if (p.domain == Domain::kChoice) {
      value = std::string(p.choices[static_cast<std::size_t>(p.default_value)]);
      domain.clear();
      for (std::string_view choice : p.choices) {
        domain += (domain.empty() ? "" : ", ") + std::string(choice);
      }
    }
    if (!p.alias.empty())
      domain += fmt::format("; also spelt <code>{}</code>", escape_markup(p.alias));
    items += fmt::format("<li><code>{}={}</code> <span class=\"note\">({})</span><br>{}</li>",
                         escape_markup(p.name), escape_markup(value), domain,
                         FormulaHtml(p.description));
  }
  return "<ul class=\"params\">" + items + "</ul>";
}

std::string PropertiesHtml(const Activation& act) {
  const Properties& p = act.info().properties;
  std::string badges;
  auto add = [&](bool has, std::string_view name) {
    if (has) badges += fmt::format("<span class=\"badge\">{}</span>", name);
  };
  // One badge per flag, except that smooth (which implies continuous) stands alone, a function
  // that is not continuous says so, and bounded on both sides is one badge.
  for (const PropertyField& field : kPropertyFields) {
    const bool has = p.*field.accessor;
    if (field.accessor == &Properties::continuous) {
      add(!has, "discontinuous");
      add(has && !p.smooth, field.label);
    } else if (field.accessor == &Properties::bounded_below) {
      add(has && p.bounded_above, "bounded");
      add(has && !p.bounded_above, field.label);
    } else if (field.accessor == &Properties::bounded_above) {
      add(has && !p.bounded_below, field.label);
    } else {
      add(has, field.label);
    }
  }
  add(act.has_backward_from_output(), "backward from output");
  return badges;
}

std::string Card(const Entry& e, double copy_rate) {
  const FunctionInfo& f = e.act.info();
  std::string aliases;
  for (std::string_view alias : f.aliases) {
    aliases += (aliases.empty() ? "" : ", ") + escape_markup(alias);
  }
  std::string rows = fmt::format(
      "<dt>f(x)</dt><dd class=\"math\">{}</dd>\n<dt>f&prime;(x)</dt><dd class=\"math\">{}</dd>\n",
      FormulaHtml(f.formula), FormulaHtml(f.derivative));
  if (!f.from_output.empty()) {
    rows += fmt::format("<dt>f&prime; from y</dt><dd class=\"math\">{}</dd>\n",
                        FormulaHtml(f.from_output));
  }
  rows += fmt::format("<dt>range</dt><dd class=\"math\">{}</dd>\n", FormulaHtml(f.range));
  rows += fmt::format("<dt>parameters</dt><dd>{}</dd>\n", ParamsHtml(f));
  rows += fmt::format("<dt>properties</dt><dd>{}</dd>\n", PropertiesHtml(e.act));
  const Measured& m = e.measured;
  rows += fmt::format(
      "<dt>measured</dt><dd>largest error {} ulp in f, {} ulp in f&prime;; forward {:.3f} "
      "Gelem/s, backward {:.3f} Gelem/s at the slowest input spread ({:.0f}% and {:.0f}% of "
      "memcpy's rate)</dd>\n",
      Ulp(m.accuracy.forward), Ulp(m.accuracy.derivative), m.speed.forward, m.speed.backward,
      copy_rate > 0 ? 100 * m.speed.forward / copy_rate : 0,
      copy_rate > 0 ? 100 * m.speed.backward / copy_rate : 0);
  if (!f.notes.empty()) {
    rows += fmt::format("<dt>notes</dt><dd>{}</dd>\n", escape_markup(f.notes));
  }
  return fmt::format(
      R"(<article class="card" id="f-{name}">
<h3><code>{name}</code>{aliases}</h3>
<p class="summary">{summary}</p>
<div class="card-body">
<img src="{plot}" width="{w}" height="{h}"
alt="{name} on the left and its derivative on the right, for x from &minus;5 to 5">
<dl>
{rows}</dl>
</div>
</article>
)",
      fmt::arg("name", escape_markup(f.name)),
      fmt::arg("aliases",
               aliases.empty() ? "" : "<span class=\"aliases\">also " + aliases + "</span>"),
      fmt::arg("summary", escape_markup(f.summary)), fmt::arg("plot", DataUri(e.plot_svg)),
      fmt::arg("w", kCardPlotWidth), fmt::arg("h", kCardPlotHeight), fmt::arg("rows", rows));
}

std::string Atlas(const Report& r) {
  std::string index, cards;
  for (const Entry& e : r.entries) {
    index += "<li>" + FunctionLink(e.act.name()) + "</li>";
    cards += Card(e, r.copy_rate);
  }
  return fmt::format(R"(<section id="atlas">
<h2>The atlas</h2>
<p>Every function of the catalog at its default parameters, for x from &minus;5 to 5: the
function on the left, its derivative on the right. Draw any of them with other parameters with
<code>sigma plot</code>, e.g. <code>sigma plot leaky_relu:alpha=0.2 -o leaky.svg</code>.</p>
<ul class="index">{}</ul>
{}</section>
)",
                     index, cards);
}

std::string Page(const Report& r, double seconds) {
  return fmt::format(R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>sigma: an atlas of activation functions</title>
<link rel="icon" href="data:,">
<style>{}</style>
</head>
<body>
{}<main>
{}{}{}{}{}{}{}</main>
<footer>Written by <code>sigma report</code> (sigma {}) in {:.1f} s. Self-contained: it needs no
network, and the figures are inside the page.</footer>
</body>
</html>
)",
                     kStyle, Header(r), Overview(r), Choosing(r), Collapse(r), MeasuredSection(r),
                     Training(r), LossSection(), Atlas(r), SIGMA_VERSION_STRING, seconds);
}

}  // namespace

std::string ReportPage(const Report& r, double seconds) { return Page(r, seconds); }

}  // namespace sigma::cli
