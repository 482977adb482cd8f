#include "eval_command.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cctype>
#include <cmath>
#include <iterator>
#include <optional>
#include <sigma/sigma.hpp>
#include <sstream>
#include <string_view>

#include "common/names.hpp"
#include "numbers.hpp"

namespace sigma::cli {
namespace {

// Values of standard input are evaluated this many at a time, so that memory stays bounded
// however much is piped in.
constexpr std::size_t kStreamBatch = 1 << 16;

// 16-bit values: read as double (rounded once there), then rounded to the format; beyond its
// largest finite value (65504 in f16) an error, as for the other types.
template <typename H>
NumberStatus ParseHalf(std::string_view text, H& value) {
  double wide = 0;
  const NumberStatus status = ParseNumber(text, wide);
  if (status != NumberStatus::kOk) return status;
  const H rounded(wide);
  if (std::isinf(static_cast<float>(rounded)) && !std::isinf(wide)) {
    return NumberStatus::kOutOfRange;
  }
  value = rounded;
  return NumberStatus::kOk;
}

// The shortest decimal that reads back to the same 16-bit value (nan, inf, -0 as for float).
template <typename H>
std::string FormatHalf(H value) {
  const float v = static_cast<float>(value);
  if (!std::isfinite(v) || v == 0) return FormatNumber(v);
  for (int digits = 1;; ++digits) {
    std::string text = fmt::format("{:.{}g}", v, digits);
    double back = 0;
    if (ParseNumber(text, back) == NumberStatus::kOk && H(back).bits == value.bits) return text;
  }
}

template <typename T>
std::vector<T> ParseValues(const std::vector<std::string>& tokens, std::size_t first,
                           std::string_view dtype) {
  std::vector<T> values(tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    NumberStatus status;
    if constexpr (sizeof(T) == 2) {
      status = ParseHalf(tokens[i], values[i]);
    } else {
      status = ParseNumber(tokens[i], values[i]);
    }
    switch (status) {
      case NumberStatus::kOk:
        break;
      case NumberStatus::kInvalid:
        throw Error(
            fmt::format("cannot parse '{}' (value {}) as a number", tokens[i], first + i + 1));
      case NumberStatus::kOutOfRange:
        throw Error(
            fmt::format("'{}' (value {}) is out of range for {}", tokens[i], first + i + 1, dtype));
    }
  }
  return values;
}

// The whole batch goes through the library's array path, as a model would use it. `first` is the
// number of values before the batch, for messages.
template <typename T>
std::string Evaluate(const Activation& activation, const EvalOptions& options,
                     const std::vector<std::string>& tokens, std::size_t first) {
  const std::vector<T> x = ParseValues<T>(tokens, first, options.dtype);
  std::vector<T> y(x.size());
  if (options.grad) {
    activation.derivative(x, y);
  } else {
    activation.forward(x, y);
  }
  std::string text;
  for (const T value : y) {
    if constexpr (sizeof(T) == 2) {
      text += FormatHalf(value);
    } else {
      text += FormatNumber(value);
    }
    text += '\n';
  }
  return text;
}

// No number sigma reads needs more characters (the exact decimal of the smallest double has
// about 770); a longer token is refused before it is held in memory whole.
constexpr std::size_t kMaxTokenChars = 4096;

// The next whitespace-separated token of `in` (the index of the value it is, for the message);
// false at the end.
bool ReadToken(std::istream& in, std::string& token, std::size_t index) {
  token.clear();
  std::istream::sentry skip_whitespace(in);
  if (!skip_whitespace) return false;
  for (int c = in.peek(); c != std::char_traits<char>::eof() && !std::isspace(c); c = in.peek()) {
    if (token.size() == kMaxTokenChars) {
      throw Error(fmt::format("value {} on standard input is longer than {} characters", index + 1,
                              kMaxTokenChars));
    }
    token.push_back(static_cast<char>(in.get()));
  }
  return !token.empty();
}

// The whitespace-separated values of `in`, evaluated and printed kStreamBatch at a time. A bad
// value stops it with an error after the batches before it were printed.
template <typename T>
void EvaluateStream(const Activation& activation, const EvalOptions& options, std::istream& in,
                    std::ostream& out) {
  std::vector<std::string> tokens;
  std::size_t first = 0;
  std::string token;
  while (ReadToken(in, token, first + tokens.size())) {
    tokens.push_back(std::move(token));
    if (tokens.size() == kStreamBatch) {
      out << Evaluate<T>(activation, options, tokens, first);
      first += tokens.size();
      tokens.clear();
    }
  }
  if (in.bad()) throw Error("cannot read standard input");
  out << Evaluate<T>(activation, options, tokens, first);
}

// ---- softmax, log_softmax and softmin: functions of a whole row ----

enum class RowFunction { kSoftmax, kLogSoftmax, kSoftmin };

std::optional<RowFunction> FindRowFunction(std::string_view spec) {
  const std::string name = detail::normalise_name(spec.substr(0, spec.find(':')));
  std::optional<RowFunction> found;
  if (name == "softmax") found = RowFunction::kSoftmax;
  if (name == "log_softmax") found = RowFunction::kLogSoftmax;
  if (name == "softmin") found = RowFunction::kSoftmin;
  if (found && spec.find(':') != std::string_view::npos) {
    throw Error(fmt::format("{} takes no parameters: '{}'", name, spec));
  }
  return found;
}

// The row's outputs, or with `dy` their backward dx = J^T dy (from the forward output, as the
// library's backward passes take it), in double: see EvaluateRow.
std::vector<double> RowInDouble(RowFunction function, const std::vector<double>& x,
                                const std::vector<double>* dy) {
  std::vector<double> y(x.size());
  switch (function) {
    case RowFunction::kSoftmax:
      softmax(std::span<const double>(x), std::span<double>(y));
      break;
    case RowFunction::kLogSoftmax:
      log_softmax(std::span<const double>(x), std::span<double>(y));
      break;
    case RowFunction::kSoftmin:
      softmin(std::span<const double>(x), std::span<double>(y));
      break;
  }
  if (dy == nullptr) return y;
  if (dy->size() != x.size()) {
    throw Error(fmt::format("--grad has {} DY values for a row of {}", dy->size(), x.size()));
  }
  std::vector<double> dx(x.size());
  switch (function) {
    case RowFunction::kSoftmax:
      softmax_backward(std::span<const double>(y), std::span<const double>(*dy),
                       std::span<double>(dx));
      break;
    case RowFunction::kLogSoftmax:
      log_softmax_backward(std::span<const double>(y), std::span<const double>(*dy),
                           std::span<double>(dx));
      break;
    case RowFunction::kSoftmin:
      softmin_backward(std::span<const double>(y), std::span<const double>(*dy),
                       std::span<double>(dx));
      break;
  }
  return dx;
}

// A float row goes through the double functions and is rounded once, so that what is printed is
// the float nearest the exact value (softmax 1 2 3 gives 0.09003057, where the float kernel,
// within its 5 ulp, gives 0.090030566).
template <typename T>
std::vector<T> EvaluateRow(RowFunction function, const std::vector<T>& x,
                           const std::vector<T>* dy) {
  const std::vector<double> x64(x.begin(), x.end());
  std::vector<double> dy64;
  if (dy != nullptr) dy64.assign(dy->begin(), dy->end());
  const std::vector<double> result = RowInDouble(function, x64, dy == nullptr ? nullptr : &dy64);
  return std::vector<T>(result.begin(), result.end());
}

// One row from the command line, printed one value per line as `sigma eval` prints; or, without
// X values, each non-blank line of standard input as a row, printed as one line.
template <typename T>
void EvaluateRows(RowFunction function, const EvalOptions& options, std::istream& in,
                  std::ostream& out) {
  const std::vector<std::string> x_tokens(options.values.begin(),
                                          options.values.begin() + options.grad_from);
  const std::vector<std::string> dy_tokens(options.values.begin() + options.grad_from,
                                           options.values.end());
  if (options.grad && dy_tokens.empty()) {
    throw Error(
        "--grad needs the row's DY values after it, e.g. sigma eval softmax 1 2 3 --grad 1 0 0");
  }
  const std::vector<T> dy = ParseValues<T>(dy_tokens, x_tokens.size(), options.dtype);
  const std::vector<T>* backward = options.grad ? &dy : nullptr;
  if (!x_tokens.empty()) {
    std::string text;
    for (const T value :
         EvaluateRow(function, ParseValues<T>(x_tokens, 0, options.dtype), backward)) {
      text += FormatNumber(value) + '\n';
    }
    out << text;
    return;
  }
  std::string line;
  std::size_t first = 0;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::vector<std::string> tokens{std::istream_iterator<std::string>(words),
                                    std::istream_iterator<std::string>()};
    if (tokens.empty()) continue;
    const std::vector<T> row =
        EvaluateRow(function, ParseValues<T>(tokens, first, options.dtype), backward);
    first += tokens.size();
    std::string text;
    for (std::size_t i = 0; i < row.size(); ++i) text += (i == 0 ? "" : " ") + FormatNumber(row[i]);
    out << text << '\n';
  }
  if (in.bad()) throw Error("cannot read standard input");
}

constexpr char kEvalFooter[] = R"(Arguments: SPEC [X ...] [--grad [DY ...]]
  SPEC is NAME[:KEY=VALUE,...], e.g. leaky_relu:alpha=0.2 or gelu:approximate=tanh.
  X are the inputs; without any, all of standard input is read as whitespace-separated numbers.

softmax, log_softmax and softmin take X as one row; without X each line of standard input is a
row and prints as one line. With --grad DY... they print the backward J^T DY instead:
  sigma eval softmax 1 2 3 --grad 1 0 0
They are computed in f64 and rounded once to the dtype, so f32 output is the nearest float.

Numbers are read directly in the dtype, rounded once: decimal or exponent form with an optional
sign, inf, infinity or nan in any case, or a C99 hex float such as 0x1.8p-3. A value beyond the
dtype's largest finite value is an error (1e39 in f32, 65520 in f16); a value too small for it
rounds to the nearest subnormal or to zero, as C's strtof does (1e-50 reads as 0 in f32). bf16
and f16 values are read as f64 first, then rounded to the format.

Output is one value per line, the shortest text that reads back to the same value in the dtype:
nan, inf, -inf and -0 for the special values.)";

}  // namespace

void RunEval(const EvalOptions& options, std::istream& in, std::ostream& out) {
  const bool f64 = options.dtype == "f64";
  if (const std::optional<RowFunction> row = FindRowFunction(options.spec)) {
    if (options.dtype == "bf16" || options.dtype == "f16") {
      throw Error("eval: " + options.spec + " takes --dtype f32 or f64, not " + options.dtype);
    }
    if (f64) {
      EvaluateRows<double>(*row, options, in, out);
    } else {
      EvaluateRows<float>(*row, options, in, out);
    }
    return;
  }
  // The spec first, so that a bad one fails without waiting for standard input.
  const Activation activation = Activation::parse(options.spec);
  const auto run = [&]<typename T>() {
    if (options.values.empty()) {
      EvaluateStream<T>(activation, options, in, out);
    } else {
      out << Evaluate<T>(activation, options, options.values, 0);
    }
  };
  if (options.dtype == "f64") {
    run.operator()<double>();
  } else if (options.dtype == "bf16") {
    run.operator()<bfloat16>();
  } else if (options.dtype == "f16") {
    run.operator()<float16>();
  } else {
    run.operator()<float>();
  }
}

CLI::App* AddEval(CLI::App& app, EvalOptions& options) {
  CLI::App* eval = app.add_subcommand(
      "eval", "Evaluate an activation or softmax, or its derivative, at numbers");
  eval->add_option("SPEC", options.spec, "NAME[:KEY=VALUE,...], then the X values")
      ->type_name("")
      ->required();
  eval->add_flag(
      "--grad", options.grad,
      "Print f'(x) instead of f(x); for softmax and its kin, J^T DY for the DY after it");
  eval->add_option("--dtype", options.dtype,
                   "Element type: f32 (float), f64 (double), bf16 (bfloat16) or f16 (IEEE half)")
      ->check(CLI::IsMember({"f32", "f64", "bf16", "f16"}))
      ->capture_default_str();
  // CLI11 would read "-inf", "-nan" or "-.5" as short options, so the X values are taken as
  // extras instead of a positional (which would also lose their order against those).
  eval->allow_extras();
  eval->footer(kEvalFooter);
  return eval;
}

}  // namespace sigma::cli
