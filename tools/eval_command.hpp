// `sigma eval`: an activation, or its derivative, at numbers given on the command line or on
// standard input.
#pragma once

#include <istream>
#include <ostream>
#include <string>
#include <vector>

namespace sigma::cli {

struct EvalOptions {
  std::string spec;                 // NAME[:KEY=VALUE,...]
  bool grad = false;                // f'(x) instead of f(x)
  std::string dtype = "f32";        // "f32" or "f64"
  std::vector<std::string> values;  // the X tokens; empty to read standard input
};

// Parses everything before it evaluates and prints anything, so that an error leaves `out`
// untouched. Throws sigma::Error for a bad spec or number.
void RunEval(const EvalOptions& options, std::istream& in, std::ostream& out);

}  // namespace sigma::cli
