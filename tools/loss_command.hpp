// `sigma loss`: any loss of the catalog, or its gradient, at labels and inputs given on the
// command line.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace CLI {
class App;
}  // namespace CLI

namespace sigma::cli {

struct LossOptions {
  std::string spec;                 // NAME[:KEY=VALUE,...]
  std::vector<std::string> labels;  // one per input, or one class id per row
  std::vector<std::string> inputs;  // logits, probabilities or predictions
  std::size_t classes = 0;          // per row for the losses over classes; 0: one row of all
  std::string reduction = "none";   // "none", "sum" or "mean"
  bool grad = false;                // the gradient with respect to the inputs instead
  std::string dtype = "f32";        // "f32" or "f64"
};

// Parses and evaluates everything before it prints, one value per line. Throws sigma::Error for
// an unknown loss or parameter, a number that does not parse, a NaN label, or what the library
// refuses (counts that do not match, a class id or probability out of range).
void RunLoss(const LossOptions& options, std::ostream& out);

// Registers `sigma loss` and its flags on `app`, parsing into `options`, whose initial values
// are the defaults shown by --help.
CLI::App* AddLoss(CLI::App& app, LossOptions& options);

}  // namespace sigma::cli
