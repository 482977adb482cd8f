// `sigma eval`: an activation, or its derivative, at numbers given on the command line or on
// standard input; or softmax, log_softmax or softmin of a row, or their backward.
#pragma once

#include <cstddef>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

namespace CLI {
class App;
}  // namespace CLI

namespace sigma::cli {

struct EvalOptions {
  std::string spec;                 // NAME[:KEY=VALUE,...]
  bool grad = false;                // f'(x) instead of f(x)
  std::string dtype = "f32";        // "f32", "f64", "bf16" or "f16"
  std::vector<std::string> values;  // the X tokens; empty to read standard input
  // For softmax, log_softmax and softmin: values[grad_from...] are the DY tokens that followed
  // --grad, not X. values.size() when there are none.
  std::size_t grad_from = 0;
};

// Parses everything before it evaluates and prints anything, so that an error leaves `out`
// untouched. Throws sigma::Error for a bad spec or number.
void RunEval(const EvalOptions& options, std::istream& in, std::ostream& out);

// Registers `sigma eval` and its flags on `app`, parsing into `options`, whose initial values
// are the defaults shown by --help.
CLI::App* AddEval(CLI::App& app, EvalOptions& options);

}  // namespace sigma::cli
