// `sigma bench`: forward and backward throughput of activations on this machine, beside a
// memory copy of the same bytes.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

namespace sigma::cli {

struct BenchOptions {
  std::vector<std::string> specs;  // empty: the functions the tutorials compare
  std::size_t elements = std::size_t{1} << 20;
  int threads = 1;
  int runs = 15;
  bool json = false;
};

// Throws sigma::Error for a bad spec or size.
void RunBench(const BenchOptions& options, std::ostream& out);

}  // namespace sigma::cli
