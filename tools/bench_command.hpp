// `sigma bench`: forward and backward throughput of activations on this machine, beside a
// memory copy of the same bytes, with inputs drawn from each of a few distributions.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

namespace CLI {
class App;
}  // namespace CLI

namespace sigma::cli {

struct BenchOptions {
  std::vector<std::string> specs;  // empty: the functions the tutorials compare
  // Where x is drawn from, each timed on its own (see support/input_distribution.hpp); the slowest
  // counts. This default is also the one `sigma report` measures with.
  std::vector<std::string> distributions = {"normal:1", "normal:4", "normal:16"};
  std::size_t elements = std::size_t{1} << 20;
  int threads = 1;
  int runs = 15;
  bool json = false;
  std::string dtype = "f32";  // or "bf16", "f16": the element type timed
};

// Throws sigma::Error for a bad spec, distribution or size.
void RunBench(const BenchOptions& options, std::ostream& out);

// Registers `sigma bench` and its flags on `app`, parsing into `options`, whose initial values
// are the defaults shown by --help.
CLI::App* AddBench(CLI::App& app, BenchOptions& options);

}  // namespace sigma::cli
