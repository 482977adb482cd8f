#include "eval_command.hpp"

#include <fmt/format.h>

#include <iterator>
#include <sigma/sigma.hpp>
#include <string_view>

#include "numbers.hpp"

namespace sigma::cli {
namespace {

// Values of standard input are evaluated this many at a time, so that memory stays bounded
// however much is piped in.
constexpr std::size_t kStreamBatch = 1 << 16;

template <typename T>
std::vector<T> ParseValues(const std::vector<std::string>& tokens, std::size_t first,
                           std::string_view dtype) {
  std::vector<T> values(tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    switch (ParseNumber(tokens[i], values[i])) {
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
    text += FormatNumber(value);
    text += '\n';
  }
  return text;
}

// The whitespace-separated values of `in`, evaluated and printed kStreamBatch at a time. A bad
// value stops it with an error after the batches before it were printed.
template <typename T>
void EvaluateStream(const Activation& activation, const EvalOptions& options, std::istream& in,
                    std::ostream& out) {
  std::vector<std::string> tokens;
  std::size_t first = 0;
  std::string token;
  while (in >> token) {
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

}  // namespace

void RunEval(const EvalOptions& options, std::istream& in, std::ostream& out) {
  // The spec first, so that a bad one fails without waiting for standard input.
  const Activation activation = Activation::parse(options.spec);
  const bool f64 = options.dtype == "f64";
  if (options.values.empty()) {
    if (f64) {
      EvaluateStream<double>(activation, options, in, out);
    } else {
      EvaluateStream<float>(activation, options, in, out);
    }
    return;
  }
  out << (f64 ? Evaluate<double>(activation, options, options.values, 0)
              : Evaluate<float>(activation, options, options.values, 0));
}

}  // namespace sigma::cli
