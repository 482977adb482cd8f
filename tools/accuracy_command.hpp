// `sigma accuracy`: the error of the float32 array path against the double reference, in ulp,
// over a sample of float inputs or all 2^32 of them.
#pragma once

#include <ostream>
#include <string>

namespace CLI {
class App;
}  // namespace CLI

namespace sigma::cli {

struct AccuracyOptions {
  std::string spec;
  bool grad = false;          // measure f' instead of f
  bool exhaustive = false;    // every float bit pattern, not a sample
  int threads = 0;            // 0: sigma::num_threads()
  std::string dtype = "f32";  // or "bf16", "f16": every input, correctly rounded or not
};

// Prints the max and mean ulp error, where the max occurs, and the count of inputs checked.
// Returns false (after printing) if any input exceeded the bound sigma promises (2 ulp for f,
// 4 for f'), or if a NaN input gave a non-NaN result.
bool RunAccuracy(const AccuracyOptions& options, std::ostream& out);

// Registers `sigma accuracy` and its flags on `app`, parsing into `options`, whose initial values
// are the defaults shown by --help.
CLI::App* AddAccuracy(CLI::App& app, AccuracyOptions& options);

}  // namespace sigma::cli
