#include "report_training.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <sigma/error.hpp>
#include <sigma/nn.hpp>
#include <sigma/plot.hpp>

#include "html.hpp"
#include "plot/chart.hpp"
#include "train_command.hpp"

namespace sigma::cli {
namespace {

// The threads of `sigma train`'s default, so that its times compare with these.
constexpr int kTrainingThreads = 2;

// Runs told apart by colour (8) and marker (6) together; and a bound on the seeds of each, so
// that grouping a hostile log stays quick.
constexpr std::size_t kMaxGroups = 48;
constexpr std::size_t kMaxSeeds = 100;

constexpr int kChartWidth = 540;
constexpr int kChartHeight = 330;
constexpr int kPanelWidth = 340;
constexpr int kPanelHeight = 270;

// ---- The records, grouped ----

// One activation's epochs from one seed, in epoch order.
struct Run {
  std::uint64_t seed;
  std::vector<const EpochRecord*> epochs;
  std::vector<double> elapsed;  // training seconds up to the end of each epoch
};

// One activation's runs at one learning rate; `style` keeps its colour the same in every chart.
struct Group {
  std::string act;
  double learning_rate;  // NaN where the log does not say
  std::string label;     // the activation, and the rate where another run of it has another
  std::size_t style;
  std::vector<Run> runs;
  // Epochs that every run has: the charts show these.
  std::size_t epochs() const {
    std::size_t n = runs.front().epochs.size();
    for (const Run& run : runs) n = std::min(n, run.epochs.size());
    return n;
  }
  const EpochRecord& last(const Run& run) const { return *run.epochs[epochs() - 1]; }
};

bool SameRate(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

// By activation and learning rate in the order of first appearance, then by seed.
std::vector<Group> GroupRuns(const std::vector<EpochRecord>& records) {
  std::vector<Group> groups;
  for (const EpochRecord& record : records) {
    auto group = std::find_if(groups.begin(), groups.end(), [&](const Group& g) {
      return g.act == record.act && SameRate(g.learning_rate, record.learning_rate);
    });
    if (group == groups.end()) {
      if (groups.size() == kMaxGroups) {
        throw Error(
            fmt::format("the training log holds more than {} runs (activation and "
                        "learning rate); the report tells {} apart by colour and marker",
                        kMaxGroups, kMaxGroups));
      }
      groups.push_back({record.act, record.learning_rate, record.act, groups.size(), {}});
      group = groups.end() - 1;
    }
    auto run = std::find_if(group->runs.begin(), group->runs.end(),
                            [&](const Run& r) { return r.seed == record.seed; });
    if (run == group->runs.end()) {
      if (group->runs.size() == kMaxSeeds) {
        throw Error(
            fmt::format("the training log holds more than {} seeds of {}; the report "
                        "averages at most {}",
                        kMaxSeeds, record.act, kMaxSeeds));
      }
      group->runs.push_back({record.seed, {}, {}});
      run = group->runs.end() - 1;
    }
    run->epochs.push_back(&record);
  }
  for (Group& group : groups) {
    for (Run& run : group.runs) {
      std::stable_sort(
          run.epochs.begin(), run.epochs.end(),
          [](const EpochRecord* a, const EpochRecord* b) { return a->epoch < b->epoch; });
      double seconds = 0;
      for (const EpochRecord* epoch : run.epochs) {
        seconds += epoch->seconds;
        run.elapsed.push_back(seconds);
      }
    }
    const bool several = std::count_if(groups.begin(), groups.end(),
                                       [&](const Group& g) { return g.act == group.act; }) > 1;
    if (several) group.label = fmt::format("{}, lr {:g}", group.act, group.learning_rate);
  }
  return groups;
}

// A figure of one run's epoch `i`.
using Metric = std::function<double(const Run& run, std::size_t i)>;

double Mean(const std::vector<double>& values) {
  double sum = 0;
  for (const double v : values) sum += v;
  return values.empty() ? NAN : sum / static_cast<double>(values.size());
}

// A metric by epoch across the seeds: the mean, and the lowest and highest as a band (none for
// one seed). A diverged seed (NaN) leaves a gap.
ChartSeries Across(const Group& group, const Metric& metric, const Metric& x = {}) {
  ChartSeries series{group.label, {}, {}, {}, {}, group.style};
  const bool band = group.runs.size() > 1;
  const std::size_t epochs = group.epochs();
  for (std::size_t i = 0; i < epochs; ++i) {
    std::vector<double> values, xs;
    for (const Run& run : group.runs) {
      values.push_back(metric(run, i));
      if (x) xs.push_back(x(run, i));
    }
    const bool finite =
        std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
    series.x.push_back(x ? Mean(xs) : group.runs.front().epochs[i]->epoch);
    series.y.push_back(finite ? Mean(values) : NAN);
    if (band) {
      series.low.push_back(finite ? *std::min_element(values.begin(), values.end()) : NAN);
      series.high.push_back(finite ? *std::max_element(values.begin(), values.end()) : NAN);
    }
  }
  return series;
}

// The mean over hidden layers of a per-layer figure.
double LayerMean(const std::vector<double>& values) { return Mean(values); }

// The mean of a group's runs at their last common epoch.
double AtLast(const Group& group, const std::function<double(const EpochRecord&)>& figure) {
  std::vector<double> values;
  for (const Run& run : group.runs) values.push_back(figure(group.last(run)));
  return Mean(values);
}

// ---- Reaching the target ----

struct ToTarget {
  bool reached = false;  // by every seed
  double epochs = NAN;   // means over the seeds
  double seconds = NAN;
};

ToTarget TimeToTarget(const Group& group) {
  std::vector<double> epochs, seconds;
  const std::size_t shared = group.epochs();
  for (const Run& run : group.runs) {
    for (std::size_t i = 0; i < shared; ++i) {
      if (run.epochs[i]->train_error <= kTargetError) {
        epochs.push_back(run.epochs[i]->epoch);
        seconds.push_back(run.elapsed[i]);
        break;
      }
    }
  }
  if (epochs.size() < group.runs.size()) return {};
  return {true, Mean(epochs), Mean(seconds)};
}

// ---- Text ----

std::string Percent(double share) {
  return std::isnan(share) ? "n/a" : fmt::format("{:.1f}%", 100 * share);
}

std::string Number(double v) { return std::isnan(v) ? "n/a" : fmt::format("{:.3g}", v); }

// A ratio as "12×" or "1/40" (of the other), whichever reads at a glance.
std::string Ratio(double r) {
  if (!std::isfinite(r) || r <= 0) return "n/a";
  return r >= 1 ? fmt::format("{:.3g}\u00d7", r) : fmt::format("1/{:.3g}", 1 / r);
}

std::string Code(const std::string& text) { return "<code>" + escape_markup(text) + "</code>"; }

std::string Figure(const std::string& id, const std::vector<ChartSeries>& series,
                   const ChartOptions& options, const std::string& reading) {
  const std::string svg = chart_to_string(series, options, PlotFormat::kSvg);
  return fmt::format(
      "<figure class=\"chart\" id=\"chart-{}\"><img src=\"data:image/svg+xml;base64,{}\" "
      "width=\"{}\" height=\"{}\" alt=\"{}\">\n<figcaption>{}</figcaption></figure>\n",
      id, Base64(svg), options.width, options.height, escape_markup(options.title), reading);
}

ChartOptions Options(std::string title, std::string y_label) {
  ChartOptions options;
  options.title = std::move(title);
  options.x_label = "epoch";
  options.y_label = std::move(y_label);
  options.whole_x = true;
  options.width = kChartWidth;
  options.height = kChartHeight;
  return options;
}

// The group whose figure is largest (or smallest), skipping NaN.
const Group* Extreme(const std::vector<Group>& groups,
                     const std::function<double(const Group&)>& figure, bool largest) {
  const Group* best = nullptr;
  double best_value = NAN;
  for (const Group& group : groups) {
    const double value = figure(group);
    if (std::isnan(value)) continue;
    if (best == nullptr || (largest ? value > best_value : value < best_value)) {
      best = &group;
      best_value = value;
    }
  }
  return best;
}

// ---- The charts ----

// From 0 to a little above `top` percent (at least 1), with 0 a little above the frame so that a
// line at 0 shows.
void SharePercentAxis(ChartOptions& options, double top) {
  options.y_max = std::max(1.0, 1.1 * top);
  options.y_min = -0.04 * options.y_max;
}

std::string AccuracyChart(const std::vector<Group>& groups) {
  std::vector<ChartSeries> series;
  for (const Group& g : groups) {
    series.push_back(Across(
        g, [](const Run& run, std::size_t i) { return 100 * run.epochs[i]->test_accuracy; }));
  }
  const auto accuracy = [](const Group& g) {
    return AtLast(g, [](const EpochRecord& r) { return r.test_accuracy; });
  };
  const Group* best = Extreme(groups, accuracy, true);
  const Group* worst = Extreme(groups, accuracy, false);
  std::string reading = "Every run diverged, so there is no test accuracy to compare.";
  if (best != nullptr) {
    reading =
        fmt::format("After {} epochs {} had the highest test accuracy, {}, and {} the lowest, {}.",
                    best->epochs(), Code(best->label), Percent(accuracy(*best)), Code(worst->label),
                    Percent(accuracy(*worst)));
  }
  return Figure("accuracy", series, Options("test accuracy by epoch", "test accuracy (%)"),
                reading);
}

std::string LossChart(const std::vector<Group>& groups) {
  std::vector<ChartSeries> series;
  for (const Group& g : groups) {
    series.push_back(
        Across(g, [](const Run& run, std::size_t i) { return run.epochs[i]->train_loss; }));
  }
  ChartOptions options = Options("training loss by epoch", "training loss (log scale)");
  options.log_y = true;
  // How far each activation brought its loss down: last over first epoch.
  const auto fall = [](const Group& g) {
    std::vector<double> ratios;
    for (const Run& run : g.runs) {
      ratios.push_back(g.last(run).train_loss / run.epochs.front()->train_loss);
    }
    return Mean(ratios);
  };
  const Group* most = Extreme(groups, fall, false);
  const Group* least = Extreme(groups, fall, true);
  std::string reading = "Every run diverged, so there is no loss to compare.";
  if (most != nullptr) {
    const auto first = [](const Group& g) {
      std::vector<double> values;
      for (const Run& run : g.runs) values.push_back(run.epochs.front()->train_loss);
      return Mean(values);
    };
    const auto last = [](const Group& g) {
      return AtLast(g, [](const EpochRecord& r) { return r.train_loss; });
    };
    reading = fmt::format(
        "{} brought its training loss down the most, from {} in the first epoch to {} in the "
        "last; {} the least, from {} to {}.",
        Code(most->label), Number(first(*most)), Number(last(*most)), Code(least->label),
        Number(first(*least)), Number(last(*least)));
  }
  return Figure("loss", series, options, reading);
}

// The group of `act`; where it ran at several learning rates, the first (the report's own
// comparison trains its common rate first).
const Group* Find(const std::vector<Group>& groups, const std::string& act) {
  for (const Group& g : groups) {
    if (g.act == act && g.label == act) return &g;
  }
  for (const Group& g : groups) {
    if (g.act == act) return &g;
  }
  return nullptr;
}

// The tutorials' claim that ReLU trains several times faster than tanh, beside this run.
std::string SpeedupSentence(const std::vector<Group>& groups) {
  const std::string target = fmt::format("{:.0f}% training error", 100 * kTargetError);
  const Group* relu = Find(groups, "relu");
  const Group* tanh = Find(groups, "tanh");
  std::string measured;
  if (relu == nullptr || tanh == nullptr) {
    measured = "Train both <code>relu</code> and <code>tanh</code> to compare them.";
  } else {
    const ToTarget r = TimeToTarget(*relu), t = TimeToTarget(*tanh);
    if (r.reached && t.reached) {
      const double ratio = t.seconds / r.seconds;
      measured = fmt::format(
          "ReLU reached {} {} tanh here ({} s against {} s of training; {} against {} epochs).",
          target,
          ratio >= 1 ? fmt::format("{:.2f}\u00d7 sooner than", ratio)
                     : fmt::format("{:.2f}\u00d7 later than", 1 / ratio),
          Number(r.seconds), Number(t.seconds), Number(r.epochs), Number(t.epochs));
    } else if (r.reached || t.reached) {
      const ToTarget& done = r.reached ? r : t;
      measured = fmt::format("{} reached {} in {} epochs ({} s); {} did not within {} epochs.",
                             r.reached ? "ReLU" : "tanh", target, Number(done.epochs),
                             Number(done.seconds), r.reached ? "tanh" : "ReLU",
                             (r.reached ? tanh : relu)->epochs());
    } else {
      measured =
          fmt::format("Neither ReLU nor tanh reached {} within {} epochs.", target, relu->epochs());
    }
  }
  return measured +
         " Krizhevsky et al. (2012) report 6\u00d7 fewer epochs for ReLU than tanh to 25% "
         "training error, with a four-layer convolutional network on CIFAR-10.";
}

std::string ErrorChart(const std::vector<Group>& groups) {
  std::vector<ChartSeries> series;
  for (const Group& g : groups) {
    series.push_back(Across(
        g, [](const Run& run, std::size_t i) { return 100 * run.epochs[i]->train_error; },
        [](const Run& run, std::size_t i) { return run.elapsed[i]; }));
  }
  ChartOptions options = Options("training error against training time", "training error (%)");
  options.x_label = "seconds of training";
  options.whole_x = false;
  options.reference_y = 100 * kTargetError;
  options.reference_label = fmt::format("target {:.0f}%", 100 * kTargetError);
  return Figure("error", series, options, SpeedupSentence(groups));
}

// The hidden layer whose gradient norm the readings compare with the last one's: the second
// where there are three or more, because the first layer's matrix takes the input (784 pixels
// against 64 units), so its norm is larger for the same gradient per weight.
std::size_t ComparedLayer(const EpochRecord& r) { return r.grad_norm.size() >= 3 ? 1 : 0; }

// That layer's norm over the last layer's: far below 1 where the gradient vanishes on its way
// down, at the last common epoch.
double GradientRatio(const Group& g) {
  return AtLast(
      g, [](const EpochRecord& r) { return r.grad_norm[ComparedLayer(r)] / r.grad_norm.back(); });
}

// The gradient's norm in each hidden layer by epoch, one panel per activation on one log axis.
std::string GradientCharts(const std::vector<Group>& groups) {
  double lo = INFINITY, hi = -INFINITY;
  for (const Group& g : groups) {
    for (const Run& run : g.runs) {
      for (const EpochRecord* r : run.epochs) {
        for (const double v : r->grad_norm) {
          if (std::isfinite(v) && v > 0) lo = std::min(lo, v), hi = std::max(hi, v);
        }
      }
    }
  }
  std::string panels;
  for (const Group& g : groups) {
    std::vector<ChartSeries> series;
    const std::size_t layers = g.runs.front().epochs.front()->grad_norm.size();
    for (std::size_t layer = 0; layer < layers; ++layer) {
      ChartSeries s = Across(g, [layer](const Run& run, std::size_t i) {
        const std::vector<double>& norms = run.epochs[i]->grad_norm;
        return layer < norms.size() ? norms[layer] : NAN;
      });
      s.label = fmt::format("layer {}", layer + 1);
      s.style = layer;
      series.push_back(std::move(s));
    }
    ChartOptions options;
    options.title = g.label + ": gradient norm of each hidden layer by epoch";
    options.heading = g.label;
    options.x_label = "epoch";
    options.y_label = "gradient norm";
    options.log_y = true;
    options.whole_x = true;
    options.width = kPanelWidth;
    options.height = kPanelHeight;
    if (lo < hi) options.y_min = lo, options.y_max = hi;
    const double ratio = GradientRatio(g);
    const double last_norm = AtLast(g, [](const EpochRecord& r) { return r.grad_norm.back(); });
    std::string reading =
        fmt::format("{}: layer {} gets {} of the last layer's gradient.", Code(g.label),
                    ComparedLayer(*g.runs.front().epochs.front()) + 1, Ratio(ratio));
    if (std::isnan(last_norm)) {
      reading =
          fmt::format("{}: the gradient diverged (a seed's norm is not a number).", Code(g.label));
    } else if (!std::isfinite(ratio)) {
      reading = fmt::format(
          "{}: the last layer gets a gradient of {} on average; where it is 0, every unit above "
          "is dead and nothing is learnt.",
          Code(g.label), Number(last_norm));
    }
    panels += Figure(fmt::format("gradient-{}", g.style), series, options, reading);
  }

  const Group* vanishing = Extreme(groups, GradientRatio, false);
  const Group* best = Extreme(groups, GradientRatio, true);
  std::string reading;
  if (vanishing != nullptr) {
    const bool second = ComparedLayer(*vanishing->runs.front().epochs.front()) == 1;
    reading = fmt::format(
        "<p>In the last epoch the gradient reaching the {} hidden layer was {} of the last "
        "hidden layer's with {}, against {} with {}: {}.{}</p>\n",
        second ? "second" : "first", Ratio(GradientRatio(*vanishing)), Code(vanishing->label),
        Ratio(GradientRatio(*best)), Code(best->label),
        GradientRatio(*vanishing) < 0.1
            ? "the vanishing gradient, which leaves the first layers of a deep stack untrained"
            : "no activation here lost most of its gradient on the way down",
        second ? " (The second layer, not the first: the first layer's weights take the input, "
                 "784 pixels for Fashion-MNIST, so its norm sums far more weights than the "
                 "others'.)"
               : "");
  }
  return reading + "<div class=\"panels\">\n" + panels + "</div>\n";
}

std::string DeadChart(const std::vector<Group>& groups) {
  std::vector<ChartSeries> series;
  double top = 0;
  for (const Group& g : groups) {
    series.push_back(Across(g, [](const Run& run, std::size_t i) {
      return 100 * LayerMean(run.epochs[i]->dead_fraction);
    }));
    for (const double v : series.back().high.empty() ? series.back().y : series.back().high) {
      if (std::isfinite(v)) top = std::max(top, v);
    }
  }
  ChartOptions options = Options("dead units by epoch", "dead hidden units (%)");
  SharePercentAxis(options, top);
  const auto dead = [](const Group& g) {
    return AtLast(g, [](const EpochRecord& r) { return LayerMean(r.dead_fraction); });
  };
  const Group* most = Extreme(groups, dead, true);
  std::string reading;
  if (most == nullptr || dead(*most) == 0) {
    reading =
        "No unit of any activation was dead (no gradient for a whole epoch) in the last "
        "epoch.";
  } else {
    std::string none;
    for (const Group& g : groups) {
      if (dead(g) == 0) none += (none.empty() ? "" : ", ") + Code(g.label);
    }
    reading = fmt::format(
        "{} ended with the most dead units, {} of its hidden units ({} in the first layer) "
        "getting no gradient for a whole epoch{}.",
        Code(most->label), Percent(dead(*most)),
        Percent(AtLast(*most, [](const EpochRecord& r) { return r.dead_fraction.front(); })),
        none.empty() ? "" : "; " + none + " had none in the last epoch");
  }
  return Figure("dead", series, options, reading);
}

std::string SaturatedChart(const std::vector<Group>& groups) {
  std::vector<ChartSeries> series;
  std::vector<const Group*> bounded;
  double top = 0;
  for (const Group& g : groups) {
    if (g.runs.front().epochs.front()->saturated_fraction.empty()) continue;
    bounded.push_back(&g);
    series.push_back(Across(g, [](const Run& run, std::size_t i) {
      return 100 * LayerMean(run.epochs[i]->saturated_fraction);
    }));
    for (const double v : series.back().high.empty() ? series.back().y : series.back().high) {
      if (std::isfinite(v)) top = std::max(top, v);
    }
  }
  if (series.empty()) {
    return "<p>No bounded activation (such as <code>tanh</code> or <code>sigmoid</code>) was "
           "trained, so there is no saturation to show.</p>\n";
  }
  ChartOptions options =
      Options("saturated units of the bounded activations by epoch", "saturated (%)");
  SharePercentAxis(options, top);
  std::string parts;
  for (const Group* g : bounded) {
    std::vector<double> first;
    for (const Run& run : g->runs)
      first.push_back(LayerMean(run.epochs.front()->saturated_fraction));
    parts += fmt::format(
        "{}{} from {} in the first epoch to {} in the last (first layer: {})",
        parts.empty() ? "" : "; ", Code(g->label), Percent(Mean(first)),
        Percent(AtLast(*g, [](const EpochRecord& r) { return LayerMean(r.saturated_fraction); })),
        Percent(AtLast(*g, [](const EpochRecord& r) { return r.saturated_fraction.front(); })));
  }
  return Figure("saturated", series, options,
                "The share of unit-example pairs where |f&prime;| fell below 10<sup>&minus;3</sup> "
                "of its peak, averaged over the hidden layers: " +
                    parts + ".");
}

std::string SummaryTable(const std::vector<Group>& groups) {
  std::string rows;
  for (const Group& g : groups) {
    const ToTarget t = TimeToTarget(g);
    const auto at_last = [&](const std::function<double(const EpochRecord&)>& f) {
      return AtLast(g, f);
    };
    rows += fmt::format(
        "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}"
        "</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
        Code(g.label), g.runs.size(), g.epochs(), t.reached ? Number(t.epochs) : "&ndash;",
        t.reached ? Number(t.seconds) : "&ndash;",
        Number(at_last([](const EpochRecord& r) { return r.train_loss; })),
        Percent(at_last([](const EpochRecord& r) { return r.train_error; })),
        Percent(at_last([](const EpochRecord& r) { return r.test_accuracy; })),
        Percent(at_last([](const EpochRecord& r) { return LayerMean(r.dead_fraction); })));
  }
  return fmt::format(R"(<div class="table-wrap"><table>
<tr><th>activation</th><th class="num">seeds</th><th class="num">epochs</th>
<th class="num">epochs to {0:.0f}%</th><th class="num">seconds to {0:.0f}%</th>
<th class="num">train loss</th><th class="num">train error</th><th class="num">test accuracy</th>
<th class="num">dead units</th></tr>
{1}</table></div>
)",
                     100 * kTargetError, rows);
}

}  // namespace

std::size_t TrainingSteps(const TrainingPlan& plan) {
  const std::size_t runs = plan.acts.size() + (plan.dying_relu_rate > 0 ? 1 : 0);
  return runs * plan.seeds.size() * static_cast<std::size_t>(plan.epochs);
}

std::vector<EpochRecord> RunTrainingPlan(const TrainingPlan& plan, Progress& progress,
                                         std::string& source) {
  const bool fashion = !plan.synthetic && nn::has_mnist_files(nn::kFashionMnistFolder);
  nn::DataSplit data = fashion ? nn::load_mnist_folder(nn::kFashionMnistFolder)
                               : nn::synthetic_dataset(plan.train_examples, plan.test_examples);
  KeepFirst(data.train, plan.train_examples);
  KeepFirst(data.test, plan.test_examples);
  source = fashion ? "Fashion-MNIST" : "the synthetic set";
  nn::set_training_threads(kTrainingThreads);
  struct Job {
    std::string act;
    double rate;
    std::uint64_t seed;
    std::unique_ptr<nn::Trainer> trainer;
  };
  std::vector<Job> jobs;
  const auto add = [&](const std::string& act, double rate, std::uint64_t seed) {
    nn::TrainConfig config;
    config.network.hidden.assign(plan.depth, plan.width);
    config.network.activation = act;
    config.optimizer.learning_rate = rate;
    config.seed = seed;
    jobs.push_back({act, rate, seed, std::make_unique<nn::Trainer>(config, data.train)});
  };
  for (const std::uint64_t seed : plan.seeds) {
    for (const std::string& act : plan.acts) add(act, plan.learning_rate, seed);
    if (plan.dying_relu_rate > 0) add("relu", plan.dying_relu_rate, seed);
  }
  // Epoch by epoch, every run in turn: a spell of load on a shared machine then slows every
  // run's epoch alike, instead of the runs that happened to train during it.
  std::vector<EpochRecord> records;
  for (int epoch = 1; epoch <= plan.epochs; ++epoch) {
    for (Job& job : jobs) {
      job.trainer->run_epoch(data.train);
      const nn::EpochReport r = job.trainer->finish_epoch(data.test);
      records.push_back({r.act, job.seed, job.rate, r.epoch, r.train_loss, r.train_error,
                         r.test_accuracy, r.seconds, r.dead_fraction, r.grad_norm,
                         r.saturated_fraction});
      progress.Step(fmt::format("{} seed {} epoch {}", job.act, job.seed, epoch));
    }
  }
  nn::set_training_threads(0);
  return records;
}

std::string DescribePlan(const TrainingPlan& plan, const std::string& source) {
  const nn::TrainConfig defaults;
  return fmt::format(
      "trained here on {} ({} training and {} test examples): {} hidden layers of {} units, "
      "SGD at a learning rate of {} with momentum {}, batches of {}, {} epochs, from seeds {}, "
      "{} threads{}. <code>sigma train --act {} --hidden {} --depth {} --lr {} --limit {} --epochs "
      "{}</code> "
      "trains one seed of it on all the test examples",
      escape_markup(source), plan.train_examples, plan.test_examples, plan.depth, plan.width,
      plan.learning_rate, defaults.optimizer.momentum, defaults.batch_size, plan.epochs,
      fmt::join(plan.seeds, " and "), kTrainingThreads,
      plan.dying_relu_rate > 0
          ? fmt::format("; and relu once more at a learning rate of {}, high enough for its "
                        "units to die",
                        plan.dying_relu_rate)
          : "",
      fmt::join(plan.acts, ","), plan.width, plan.depth, plan.learning_rate, plan.train_examples,
      plan.epochs);
}

void CheckTrainingRecords(const std::vector<EpochRecord>& records) { GroupRuns(records); }

std::string TrainingSection(const std::vector<EpochRecord>& records, const std::string& origin) {
  if (records.empty()) {
    return fmt::format(R"(<section id="training">
<h2>Activations in training</h2>
<p>{}</p>
</section>
)",
                       origin);
  }
  const std::vector<Group> groups = GroupRuns(records);
  std::size_t seeds = 0;
  for (const Group& g : groups) seeds = std::max(seeds, g.runs.size());
  return fmt::format(
      R"(<section id="training">
<h2>Activations in training</h2>
<p>The same network with each activation, {}. Each line is the mean over {} seed{}{}; every
chart of a kind shares its axes.</p>
<h3>Learning</h3>
<div class="charts">
{}{}</div>
<h3>Speed: time to {:.0f}% training error</h3>
<div class="charts">
{}</div>
{}<h3>Vanishing gradients</h3>
<p>The L2 norm of each hidden layer's weight gradient, averaged over an epoch's batches, on one
logarithmic axis for every activation. Backpropagation multiplies the gradient by
<span class="math">f&prime;</span> once per layer on its way from the last hidden layer to the
first.</p>
{}<h3>Dead and saturated units</h3>
<div class="charts">
{}{}</div>
</section>
)",
      origin, seeds, seeds == 1 ? "" : "s",
      seeds > 1 ? " and the band spans the lowest to the highest" : "", AccuracyChart(groups),
      LossChart(groups), 100 * kTargetError, ErrorChart(groups), SummaryTable(groups),
      GradientCharts(groups), DeadChart(groups), SaturatedChart(groups));
}

}  // namespace sigma::cli
