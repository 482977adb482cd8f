// sigma: the command-line face of the library. `sigma list` shows the catalog, `sigma eval`
// applies an activation to numbers, `sigma plot` draws functions beside their derivatives and
// `sigma report` writes the HTML atlas. Every failure ends in one line on stderr:
// "sigma: error: <message>", with status 2 for usage errors and 1 for bad input.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>
#include <sigma/sigma.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "accuracy_command.hpp"
#include "bench_command.hpp"
#include "eval_command.hpp"
#include "list_command.hpp"
#include "numbers.hpp"
#include "plot_command.hpp"
#include "report_command.hpp"
#include "train_command.hpp"

namespace sigma::cli {
namespace {

constexpr int kBadInput = 1;
constexpr int kUsageError = 2;
constexpr int kInterrupted = 130;  // the shell's status for a SIGINT

constexpr char kEvalFooter[] = R"(Arguments: SPEC [X ...]
  SPEC is NAME[:KEY=VALUE,...], e.g. leaky_relu:alpha=0.2 or gelu:approximate=tanh.
  X are the inputs; without any, all of standard input is read as whitespace-separated numbers.

Numbers are read directly in the dtype, rounded once: decimal or exponent form with an optional
sign, inf, infinity or nan in any case, or a C99 hex float such as 0x1.8p-3. A value beyond the
dtype's largest finite value is an error (1e39 in f32); a value too small for it rounds to the
nearest subnormal or to zero, as C's strtof does (1e-50 reads as 0 in f32).

Output is one value per line, the shortest text that reads back to the same value in the dtype:
nan, inf, -inf and -0 for the special values.)";

constexpr char kListFooter[] = R"(With --json: an array of objects (one object with NAME) holding
every catalog field. params are objects of name, alias, default, domain, choices and description
(a choice parameter's default is the option's name); properties is an object of booleans;
range_min and range_max are null when unbounded; backward_from_output tells whether f' can be
computed from y = f(x) at the default parameters.)";

constexpr char kMainFooter[] = R"(Examples:
  sigma list
  sigma list gelu
  sigma eval leaky_relu:alpha=0.2 -2 0 3
  echo 0 1 | sigma eval tanh --grad --dtype f64
  sigma plot sigmoid tanh relu softplus elu -o activations.png
  sigma train --act relu,tanh,sigmoid --epochs 3 --log train.jsonl
  sigma report --training-log train.jsonl)";

constexpr char kPlotFooter[] = R"(Arguments: SPEC...
  Each SPEC is NAME[:KEY=VALUE,...] and draws one curve, e.g. relu leaky_relu:alpha=0.2.

The format is the extension of FILE: .svg, .png or .pdf. The size is in pixels for PNG and in
points (CSS pixels) for SVG and PDF. A value axis left to sigma holds every curve, except that a
curve far steeper than the others is clipped so that they stay readable; --y-range and
--dy-range fix the axes of the function and derivative panels. Ranges take --range=-5:5 as well
as --range -5:5.)";

constexpr char kReportFooter[] = R"(Writes DIR/index.html, one self-contained page (no network):
every function with its formula, derivative, parameters, properties and plot; a guide to
choosing an activation; the collapse of stacked linear layers; and the accuracy and speed of
each function measured on this machine. Measuring takes under a minute (--quick: seconds).

--training-log reads JSON lines {"act", "epoch", "train_loss", "train_error", "test_accuracy",
"seconds"} (null for a diverged value, shown as n/a) and adds a comparison of the activations in
training.)";

constexpr char kTrainFooter[] =
    R"(Data: --data FOLDER reads MNIST-format IDX files (train-images-idx3-ubyte and the
other three, plain or .gz); without it, Fashion-MNIST from /usr/share/datasets/fashion-mnist, or
a synthetic set if that is missing; --data synthetic forces the synthetic set.

SPEC is NAME[:KEY=VALUE,...]; --act relu,tanh,sigmoid trains each from the same seed and ends
with a comparison. Each epoch is one JSON line in --log: act, epoch, train_loss, train_error,
test_accuracy, seconds, samples_per_second, dead_fraction, grad_norm (per hidden layer) and
saturated_fraction (bounded activations). Ctrl-C or SIGTERM saves a checkpoint after the
current batch (or evaluation) and exits 130; --resume FILE continues it exactly, with the
checkpoint's own settings. --save and --log refuse a symbolic link unless --follow-symlinks.
See docs/training.md.)";

// Messages are printed on one line whatever they hold, so that a script can rely on it.
void PrintError(std::string_view message) {
  std::string line(message);
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  std::cerr << "sigma: error: " << line << '\n';
}

// For unsigned options: CLI11 would read "-5" as 2^64 - 5.
const CLI::Validator kNotNegative(
    [](const std::string& text) {
      const std::size_t first = text.find_first_not_of(" \t");
      if (first == std::string::npos || text[first] != '-') return std::string();
      return "must not be negative, not " + text;
    },
    "", "NOT NEGATIVE");

CLI::App* AddList(CLI::App& app, ListOptions& options) {
  CLI::App* list = app.add_subcommand("list", "List the activation functions");
  list->add_flag("--json", options.json, "Print JSON with every field of the catalog");
  list->add_flag("--markdown", options.markdown,
                 "Print the catalog as Markdown (docs/functions.md)");
  list->add_option("NAME", options.name, "Show one function in full (a name or an alias)")
      ->type_name("");
  list->footer(kListFooter);
  return list;
}

CLI::App* AddEval(CLI::App& app, EvalOptions& options) {
  CLI::App* eval =
      app.add_subcommand("eval", "Evaluate an activation, or its derivative, at numbers");
  eval->add_option("SPEC", options.spec, "NAME[:KEY=VALUE,...], then the X values")
      ->type_name("")
      ->required();
  eval->add_flag("--grad", options.grad, "Print f'(x) instead of f(x)");
  eval->add_option("--dtype", options.dtype, "Element type: f32 (float) or f64 (double)")
      ->check(CLI::IsMember({"f32", "f64"}))
      ->capture_default_str();
  // CLI11 would read "-inf", "-nan" or "-.5" as short options, so the X values are taken as
  // extras instead of a positional (which would also lose their order against those).
  eval->allow_extras();
  eval->footer(kEvalFooter);
  return eval;
}

CLI::App* AddPlot(CLI::App& app, PlotCommandOptions& options) {
  CLI::App* plot = app.add_subcommand("plot", "Draw activations beside their derivatives");
  plot->add_option("SPEC", options.specs, "The functions, NAME[:KEY=VALUE,...] each")
      ->type_name("")
      ->required();
  plot->add_flag("--derivative,!--no-derivative", options.derivative,
                 "Draw the derivatives in a second panel (the default)");
  plot->add_option("--range", options.range, "The inputs, LO:HI")->capture_default_str();
  plot->add_option("--y-range", options.y_range, "The function panel's values, LO:HI");
  plot->add_option("--dy-range", options.dy_range, "The derivative panel's values, LO:HI");
  plot->add_option("--size", options.size, "WxH (default 1000x420, 560x420 with one panel)");
  plot->add_option("-o,--output", options.output, "FILE.svg, FILE.png or FILE.pdf")->required();
  plot->add_flag("--follow-symlinks", options.follow_symlinks,
                 "If FILE is a symbolic link, replace the file it points to (else refused)");
  plot->footer(kPlotFooter);
  return plot;
}

CLI::App* AddReport(CLI::App& app, ReportOptions& options) {
  CLI::App* report = app.add_subcommand("report", "Write the HTML atlas of every activation");
  report->add_option("-o,--output", options.directory, "The folder for index.html")
      ->capture_default_str();
  report->add_flag("--quick", options.quick, "Fewer samples and runs: seconds, not a minute");
  report->add_option("--training-log", options.training_log,
                     "JSON lines from a training run, to compare the activations");
  report->footer(kReportFooter);
  return report;
}

CLI::App* AddTrain(CLI::App& app, TrainOptions& options) {
  CLI::App* train = app.add_subcommand("train", "Train a network with each activation and compare");
  train->add_option("--data", options.data, "MNIST-format folder, or 'synthetic'");
  train->add_option("--act", options.acts, "Activations, SPEC[,SPEC...] (default relu)");
  train->add_option("--hidden", options.hidden, "Hidden layer sizes")->capture_default_str();
  train->add_option("--epochs", options.epochs, "Epochs")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  train->add_option("--batch", options.batch, "Mini-batch size")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  train->add_option("--lr", options.lr, "Learning rate")->capture_default_str();
  train->add_option("--optimizer", options.optimizer, "sgd, adam or adamw")
      ->check(CLI::IsMember({"sgd", "adam", "adamw"}))
      ->capture_default_str();
  train->add_option("--momentum", options.momentum, "SGD momentum")->capture_default_str();
  train->add_flag("--nesterov", options.nesterov, "Nesterov momentum");
  train->add_option("--weight-decay", options.weight_decay, "L2 (AdamW: decoupled) weight decay")
      ->capture_default_str();
  train->add_option("--dropout", options.dropout, "Dropout rate after each hidden layer")
      ->capture_default_str();
  train
      ->add_option("--init", options.init,
                   "auto, he_normal, he_uniform, xavier_normal, xavier_uniform, lecun_normal or "
                   "lecun_uniform")
      ->capture_default_str();
  train->add_option("--seed", options.seed, "Random seed")->capture_default_str();
  train->add_option("--threads", options.threads, "Threads")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  train->add_option("--limit", options.limit, "Train on the first N examples only")
      ->check(kNotNegative);
  train
      ->add_option("--target-error", options.target_error,
                   "The training error the comparison times")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  train->add_option("--log", options.log, "Write one JSON line per epoch to FILE");
  train->add_option("--save", options.save, "Save the model (a checkpoint) to FILE");
  train->add_option("--resume", options.resume, "Continue the checkpoint FILE");
  train->add_flag("--follow-symlinks", options.follow_symlinks,
                  "Let --save and --log write through a symbolic link (else refused)");
  train->footer(kTrainFooter);
  return train;
}

CLI::App* AddAccuracy(CLI::App& app, AccuracyOptions& options) {
  CLI::App* accuracy =
      app.add_subcommand("accuracy", "Measure the float32 error of a function in ulp");
  accuracy->add_option("SPEC", options.spec, "NAME[:KEY=VALUE,...]")->type_name("")->required();
  accuracy->add_flag("--grad", options.grad, "Measure f'(x) instead of f(x)");
  accuracy->add_flag("--exhaustive", options.exhaustive,
                     "Every one of the 2^32 float inputs (minutes), not a 1/97 sample");
  accuracy->add_option("--threads", options.threads, "Threads (default: sigma's)")
      ->check(CLI::Range(1, 1024));
  accuracy->footer(
      "Compares the float32 array path (the vector kernels) with the double-precision "
      "reference, which is itself tested against MPFR. Exits 1 if the error exceeds sigma's "
      "bound: 2 ulp for f, 4 ulp for f'.");
  return accuracy;
}

CLI::App* AddBench(CLI::App& app, BenchOptions& options) {
  CLI::App* bench = app.add_subcommand("bench", "Measure activation throughput on this machine");
  bench->add_option("SPEC", options.specs, "The functions (default: ten the tutorials compare)")
      ->type_name("");
  bench->add_option("--elements", options.elements, "Array length")
      ->check(kNotNegative)
      ->check(CLI::Range(std::size_t{0}, std::size_t{1} << 32))
      ->capture_default_str();
  bench->add_option("--threads", options.threads, "Threads")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  bench->add_option("--runs", options.runs, "Timed runs per measurement (the median is shown)")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  bench
      ->add_option("--dist", options.distributions,
                   "Draw x from normal:S (N(0, S), S > 0) or uniform:A:B (A < B); repeat it, or "
                   "separate by commas, to time each")
      ->type_name("DIST")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->capture_default_str();
  bench->add_flag("--json", options.json, "Print JSON");
  bench->footer(
      "Gelem/s is float32 elements per second; GB/s counts the bytes read and written (8 per "
      "element forward, 12 backward). Each function is timed with x from each distribution (the "
      "same draws for every function) and dy from N(0, 1); the slowest rate is the one that "
      "counts, and with --json forward_gelem_per_s and backward_gelem_per_s are that, "
      "by_distribution the rest. For the comparison with oneDNN and XNNPACK, see "
      "build/bench/activation_bench and bench/compare_activations.py.");
  return bench;
}

// The X values of `sigma eval`, in order. A dash word that is no number is an unknown option.
std::vector<std::string> EvalValues(const CLI::App& eval) {
  std::vector<std::string> values = eval.remaining();
  for (const std::string& value : values) {
    double unused = 0;
    if (value.size() > 1 && value.front() == '-' &&
        ParseNumber(value, unused) == NumberStatus::kInvalid) {
      throw CLI::ExtrasError({value});
    }
  }
  return values;
}

// The command line split at the first "--": CLI11 would hand the words after it back to the top
// level once SPEC is filled, so they are kept apart as X values.
struct CommandLine {
  std::vector<const char*> args;      // the program name and the arguments before "--"
  std::vector<std::string> operands;  // after "--"
};

CommandLine SplitAtDashDash(int argc, char** argv) {
  CommandLine line;
  int i = 0;
  while (i < argc && std::string_view(argv[i]) != "--") line.args.push_back(argv[i++]);
  if (i < argc) line.operands.assign(argv + i + 1, argv + argc);
  return line;
}

int Run(int argc, char** argv) {
  CLI::App app("Activation functions for neural networks.", "sigma");
  app.set_version_flag("--version", SIGMA_VERSION_STRING);
  // At most one, so that an X value such as "list" is not taken for a second subcommand.
  app.require_subcommand(0, 1);
  app.footer(kMainFooter);
  ListOptions list_options;
  EvalOptions eval_options;
  PlotCommandOptions plot_options;
  ReportOptions report_options;
  AccuracyOptions accuracy_options;
  BenchOptions bench_options;
  TrainOptions train_options;
  CLI::App* list = AddList(app, list_options);
  CLI::App* eval = AddEval(app, eval_options);
  CLI::App* plot = AddPlot(app, plot_options);
  CLI::App* report = AddReport(app, report_options);
  CLI::App* accuracy = AddAccuracy(app, accuracy_options);
  CLI::App* bench = AddBench(app, bench_options);
  CLI::App* train = AddTrain(app, train_options);
  const CommandLine line = SplitAtDashDash(argc, argv);
  try {
    app.parse(static_cast<int>(line.args.size()), line.args.data());
    if (eval->parsed()) {
      eval_options.values = EvalValues(*eval);
      eval_options.values.insert(eval_options.values.end(), line.operands.begin(),
                                 line.operands.end());
    } else if (!line.operands.empty()) {
      throw CLI::ExtrasError(line.operands);
    }
    // Checked here rather than by CLI11, which would report "sigma frobnicate" as a missing
    // subcommand instead of an unexpected word.
    if (app.get_subcommands().empty()) {
      throw CLI::RequiredError("A subcommand (list, eval, plot, report, accuracy, bench or train)");
    }
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help or --version
  } catch (const CLI::ParseError& e) {
    PrintError(e.what());
    return kUsageError;
  }
  if (list->parsed()) {
    RunList(list_options, std::cout);
  } else if (plot->parsed()) {
    RunPlot(plot_options);
  } else if (bench->parsed()) {
    RunBench(bench_options, std::cout);
  } else if (accuracy->parsed()) {
    if (!RunAccuracy(accuracy_options, std::cout)) {
      PrintError(accuracy_options.spec + " exceeds sigma's accuracy bound");
      return kBadInput;
    }
  } else if (train->parsed()) {
    for (const CLI::Option* option : train->get_options()) {
      if (option->count() > 0 && !option->get_lnames().empty()) {
        train_options.given.push_back("--" + option->get_lnames().front());
      }
    }
    if (!RunTrain(train_options, std::cout, std::cerr, isatty(STDERR_FILENO) != 0)) {
      return kInterrupted;
    }
  } else if (report->parsed()) {
    RunReport(report_options, std::cout, std::cerr);
  } else {
    RunEval(eval_options, std::cin, std::cout);
  }
  std::cout.flush();
  if (!std::cout) {
    PrintError("cannot write to standard output");
    return kBadInput;
  }
  return 0;
}

}  // namespace
}  // namespace sigma::cli

int main(int argc, char** argv) {
  try {
    return sigma::cli::Run(argc, argv);
  } catch (const std::exception& e) {
    sigma::cli::PrintError(e.what());
    return sigma::cli::kBadInput;
  }
}
