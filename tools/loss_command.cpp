#include "loss_command.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <sigma/sigma.hpp>
#include <string_view>

#include "numbers.hpp"
#include "option_checks.hpp"

namespace sigma::cli {
namespace {

const LossInfo& FindLossOrThrow(std::string_view name) {
  if (const LossInfo* info = find_loss(name)) return *info;
  std::string names;
  for (const LossInfo& info : loss_catalog()) {
    names += (names.empty() ? "" : ", ") + std::string(info.name);
  }
  throw Error(fmt::format("unknown loss '{}'; the losses are {}", name, names));
}

// The parameters of "NAME:KEY=VALUE,...", in the catalog's order, defaults where not given; the
// library checks their domains.
std::vector<double> ParseParams(const LossInfo& info, std::string_view text) {
  std::vector<double> params;
  for (const ParamInfo& p : info.params) params.push_back(p.default_value);
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    const std::size_t equals = item.find('=');
    const std::string_view key = item.substr(0, equals);
    std::size_t index = 0;
    while (index < info.params.size() && info.params[index].name != key &&
           (info.params[index].alias.empty() || info.params[index].alias != key)) {
      ++index;
    }
    if (index == info.params.size()) {
      throw Error(fmt::format("{} has no parameter '{}'", info.name, key));
    }
    if (equals == std::string_view::npos ||
        ParseNumber(item.substr(equals + 1), params[index]) != NumberStatus::kOk) {
      throw Error(fmt::format("{}: '{}' is not KEY=NUMBER", info.name, item));
    }
  }
  return params;
}

template <typename T>
std::vector<T> ParseList(std::string_view option, const std::vector<std::string>& tokens) {
  std::vector<T> values(tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (ParseNumber(tokens[i], values[i]) != NumberStatus::kOk) {
      throw Error(
          fmt::format("{}: cannot read '{}' (value {}) as a number", option, tokens[i], i + 1));
    }
  }
  return values;
}

// The option the inputs were given with, as the loss names them.
std::string InputOption(const LossInfo& info) {
  switch (info.input) {
    case LossInput::kLogits:
      return "--logits";
    case LossInput::kProbabilities:
      return "--probabilities";
    case LossInput::kPredictions:
      break;
  }
  return "--predictions";
}

Reduction ReductionOf(std::string_view name) {
  if (name == "sum") return Reduction::kSum;
  if (name == "mean") return Reduction::kMean;
  return Reduction::kNone;
}

template <typename T>
void Evaluate(const LossInfo& info, const std::vector<double>& params, const LossOptions& options,
              std::ostream& out) {
  const std::vector<T> labels = ParseList<T>("--labels", options.labels);
  const std::vector<T> inputs = ParseList<T>(InputOption(info), options.inputs);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (std::isnan(labels[i])) throw Error(fmt::format("--labels: label {} is NaN", i + 1));
  }
  if (inputs.empty()) throw Error(fmt::format("{} needs at least one input", info.name));
  std::vector<std::size_t> shape;
  if (info.over_classes) {
    const std::size_t classes = options.classes == 0 ? inputs.size() : options.classes;
    if (inputs.size() % classes != 0) {
      throw Error(
          fmt::format("{} inputs do not make rows of --classes {}", inputs.size(), classes));
    }
    shape = {inputs.size() / classes, classes};
  } else if (options.classes != 0) {
    throw Error(fmt::format("{} has one loss per element; --classes is for the losses over classes",
                            info.name));
  }
  const Reduction reduction = ReductionOf(options.reduction);
  const std::size_t examples = info.over_classes ? shape[0] : inputs.size();
  std::vector<T> loss(reduction == Reduction::kNone ? examples : 1);
  std::vector<T> grad(options.grad ? inputs.size() : 0);
  evaluate_loss(info, params, labels, inputs, loss, grad, shape, -1, reduction);
  std::string text;
  for (const T value : options.grad ? grad : loss) text += FormatNumber(value) + '\n';
  out << text;
}

// The footer of --help, naming every loss of the catalog.
std::string LossFooter() {
  std::string names;
  for (const LossInfo& info : loss_catalog()) {
    names += fmt::format("\n  {}", info.name);
    for (const ParamInfo& p : info.params) names += fmt::format(":{}={}", p.name, p.default_value);
  }
  return fmt::format(R"(Arguments: NAME[:KEY=VALUE,...]
  A loss of sigma's catalog (docs/losses.md), with its parameters, e.g. huber:delta=2:{}

Examples:
  sigma loss sigmoid_cross_entropy_with_logits --labels 0 1 --logits 2 2
  sigma loss sparse_softmax_cross_entropy_with_logits --labels 2 --logits 1 2 3 --grad
  sigma loss softmax_cross_entropy_with_logits --classes 3 --labels 0 0 1 1 0 0 --logits 1 2 3 1 2 3

The inputs are logits, probabilities or predictions, as the loss takes; --logits,
--probabilities and --predictions are the same option. The losses over classes see the inputs as
rows of --classes values (default: one row of them all); their class-id losses take one label per
row. Prints one loss per example (element or row), their sum or mean with --reduction, or with
--grad the gradient of that with respect to each input. A value starting with '-' and a letter or
'.' (-inf, -.5) needs the '=' form: --logits=-inf,2.)",
                     names);
}

}  // namespace

void RunLoss(const LossOptions& options, std::ostream& out) {
  const std::string_view spec = options.spec;
  const std::size_t colon = spec.find(':');
  const LossInfo& info = FindLossOrThrow(spec.substr(0, colon));
  const std::vector<double> params =
      ParseParams(info, colon == std::string_view::npos ? "" : spec.substr(colon + 1));
  if (options.dtype == "f64") {
    Evaluate<double>(info, params, options, out);
  } else {
    Evaluate<float>(info, params, options, out);
  }
}

CLI::App* AddLoss(CLI::App& app, LossOptions& options) {
  CLI::App* loss =
      app.add_subcommand("loss", "Evaluate a loss, or its gradient, at labels and inputs");
  loss->add_option("NAME", options.spec, "NAME[:KEY=VALUE,...]")->type_name("")->required();
  loss->add_option("--labels", options.labels,
                   "The labels (or class ids), space or comma separated")
      ->delimiter(',')
      ->required();
  loss->add_option("--logits,--probabilities,--predictions", options.inputs,
                   "The inputs, space or comma separated")
      ->delimiter(',')
      ->required();
  loss->add_option("--classes", options.classes, "Values per row, for the losses over classes")
      ->check(NotNegative());
  loss->add_option("--reduction", options.reduction, "none, sum or mean")
      ->check(CLI::IsMember({"none", "sum", "mean"}))
      ->capture_default_str();
  loss->add_flag("--grad", options.grad, "Print the gradient with respect to the inputs");
  loss->add_option("--dtype", options.dtype, "Element type: f32 (float) or f64 (double)")
      ->check(CLI::IsMember({"f32", "f64"}))
      ->capture_default_str();
  loss->footer(LossFooter());
  return loss;
}

}  // namespace sigma::cli
