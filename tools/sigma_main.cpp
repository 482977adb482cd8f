// sigma: the command-line face of the library. Each command registers its own flags in its
// NAME_command.cpp (list, eval, loss, plot, report, accuracy, bench, train); this file parses and
// dispatches. Every failure ends in one line on stderr: "sigma: error: <message>", with status 2
// for usage errors and 1 for bad input.
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
#include "loss_command.hpp"
#include "numbers.hpp"
#include "plot_command.hpp"
#include "report_command.hpp"
#include "train_command.hpp"

namespace sigma::cli {
namespace {

constexpr int kBadInput = 1;
constexpr int kUsageError = 2;
constexpr int kSignalStatus = 128;  // the shell's status for a signal: 128 + its number

constexpr char kMainFooter[] = R"(Examples:
  sigma list
  sigma list gelu
  sigma eval leaky_relu:alpha=0.2 -2 0 3
  echo 0 1 | sigma eval tanh --grad --dtype f64
  sigma eval softmax 1 2 3
  sigma loss sparse_softmax_cross_entropy_with_logits --labels 2 --logits 1 2 3 --grad
  sigma plot sigmoid tanh relu softplus elu -o activations.png
  sigma train --act relu,tanh,sigmoid --epochs 3 --log train.jsonl
  sigma report --training-log train.jsonl)";

// Messages are printed on one line whatever they hold, so that a script can rely on it.
void PrintError(std::string_view message) {
  std::string line(message);
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  std::cerr << "sigma: error: " << line << '\n';
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

// How many of `values` (the X values in command-line order, a subsequence of `args`) come before
// the word --grad: for softmax and its kin the words after --grad are DY, not X.
std::size_t ValuesBeforeGrad(const std::vector<const char*>& args,
                             const std::vector<std::string>& values) {
  std::size_t matched = 0;
  for (const char* arg : args) {
    if (std::string_view(arg) == "--grad") return matched;
    if (matched < values.size() && values[matched] == arg) ++matched;
  }
  return values.size();
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
  LossOptions loss_options;
  CLI::App* list = AddList(app, list_options);
  CLI::App* eval = AddEval(app, eval_options);
  CLI::App* plot = AddPlot(app, plot_options);
  CLI::App* report = AddReport(app, report_options);
  CLI::App* accuracy = AddAccuracy(app, accuracy_options);
  CLI::App* bench = AddBench(app, bench_options);
  CLI::App* train = AddTrain(app, train_options);
  CLI::App* loss = AddLoss(app, loss_options);
  const CommandLine line = SplitAtDashDash(argc, argv);
  try {
    app.parse(static_cast<int>(line.args.size()), line.args.data());
    if (eval->parsed()) {
      eval_options.values = EvalValues(*eval);
      eval_options.values.insert(eval_options.values.end(), line.operands.begin(),
                                 line.operands.end());
      eval_options.grad_from = ValuesBeforeGrad(line.args, eval_options.values);
    } else if (!line.operands.empty()) {
      throw CLI::ExtrasError(line.operands);
    }
    if (plot->parsed() && plot_options.specs.empty() && !plot_options.grid) {
      throw CLI::RequiredError("SPEC (or --grid alone, for every function)");
    }
    // Checked here rather than by CLI11, which would report "sigma frobnicate" as a missing
    // subcommand instead of an unexpected word.
    if (app.get_subcommands().empty()) {
      throw CLI::RequiredError(
          "A subcommand (list, eval, loss, plot, report, accuracy, bench or train)");
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
  } else if (loss->parsed()) {
    RunLoss(loss_options, std::cout);
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
      return kSignalStatus + InterruptingSignal();
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
