// The accuracy the benchmark's speeds come with: sigma's float32 kernels and the peers' (oneDNN's
// eltwise forward and backward, XNNPACK's forward) against sigma's double reference, in ulp, over
// a sample of float inputs or all 2^32 of them. Prints markdown tables: the worst error and where
// it occurs, over all inputs and over the benchmark's (|x| <= 8), and the share of inputs beyond
// sigma's bounds (2 ulp for f, 4 for f').
//
//   peer_accuracy [--exhaustive] [--threads N] [SPEC...]   (default: every spec a peer has)
#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <sigma/sigma.hpp>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "peers.hpp"
#include "support/float_sweep.hpp"

namespace {

using sigma::bench::OneDnnEltwise;
using sigma::bench::XnnpackUnary;
using sigma::cli::UlpTally;

constexpr double kValueBound = 2;
constexpr double kDerivativeBound = 4;
constexpr float kBenchRange = 8;  // activation_bench's inputs lie in [-8, 8)

enum Column { kSigmaF, kOneDnnF, kXnnpackF, kSigmaGrad, kOneDnnGrad, kColumns };
constexpr const char* kColumnNames[kColumns] = {"sigma f", "oneDNN f", "XNNPACK f", "sigma f'",
                                                "oneDNN f'"};

bool has(const std::string& spec, int column) {
  if (column == kOneDnnF || column == kOneDnnGrad) return OneDnnEltwise::has(spec);
  if (column == kXnnpackF) return XnnpackUnary::has(spec);
  return true;
}

// One thread's share: every implementation on a chunk, each against the reference computed once.
struct Worker {
  const sigma::Activation* act;
  std::string spec;
  std::vector<UlpTally> tallies, in_bench_range;
  std::optional<OneDnnEltwise> onednn;  // made on the worker's thread, for the chunk's size
  std::optional<XnnpackUnary> xnnpack;
  std::vector<float> ones, y[kColumns];

  explicit Worker(const sigma::Activation& a) : act(&a), spec(a.spec()), tallies(kColumns) {
    for (int c = 0; c < kColumns; ++c) {
      tallies[c].bound = c < kSigmaGrad ? kValueBound : kDerivativeBound;
    }
    in_bench_range = tallies;
  }
  void operator()(std::span<const float> x) {
    const std::size_t n = x.size();
    for (auto& column : y) column.resize(n);
    act->forward(x, y[kSigmaF]);
    act->derivative(x, y[kSigmaGrad]);
    if (has(spec, kOneDnnF)) {
      if (ones.size() != n) {
        onednn.emplace(spec, n, 1);
        ones.assign(n, 1.0f);
      }
      onednn->forward(x.data(), y[kOneDnnF].data());
      onednn->backward(x.data(), ones.data(), y[kOneDnnGrad].data());
    }
    if (has(spec, kXnnpackF)) {
      if (!xnnpack) xnnpack.emplace(spec);
      xnnpack->forward(x.data(), y[kXnnpackF].data(), n);
    }
    for (std::size_t i = 0; i < n; ++i) {
      const double value = act->reference(x[i]), slope = act->reference_derivative(x[i]);
      for (int c = 0; c < kColumns; ++c) {
        if (!has(spec, c)) continue;
        tallies[c].add(x[i], y[c][i], c < kSigmaGrad ? value : slope);
        if (std::fabs(x[i]) <= kBenchRange) {
          in_bench_range[c].add(x[i], y[c][i], c < kSigmaGrad ? value : slope);
        }
      }
    }
  }
};

[[noreturn]] void usage_error(const std::string& message) {
  std::cerr << "peer_accuracy: " << message
            << " (usage: peer_accuracy [--exhaustive] [--threads N] [SPEC...])\n";
  std::exit(2);
}

enum class Table { kWorst, kWorstInBenchRange, kShareBeyondBound };

std::string cell(const UlpTally& t, Table table) {
  if (table == Table::kShareBeyondBound) {
    const double share = t.count ? static_cast<double>(t.over_bound) / t.count : 0;
    return t.over_bound == 0 ? "0" : fmt::format("{:.2g}%", 100 * share);
  }
  std::string text = fmt::format("{:.3g} ({:g})", t.worst, t.worst_input);
  if (t.bad_nan) text += fmt::format(", NaN lost {}x", t.bad_nan);
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  bool exhaustive = false;
  int threads = static_cast<int>(std::thread::hardware_concurrency());
  std::vector<std::string> specs;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--exhaustive") {
      exhaustive = true;
    } else if (arg == "--threads") {
      if (i + 1 == argc) usage_error("--threads needs a count");
      threads = std::atoi(argv[++i]);
      if (threads < 1) usage_error("--threads needs a positive count");
    } else if (arg.starts_with("-")) {
      usage_error("unknown option " + arg);
    } else {
      specs.push_back(arg);
    }
  }
  if (specs.empty()) {
    for (const sigma::FunctionInfo& f : sigma::catalog()) {
      const std::string name(f.name);
      if (OneDnnEltwise::has(name) || XnnpackUnary::has(name)) specs.push_back(name);
      if (name == "gelu") specs.push_back("gelu:approximate=tanh");
    }
  }

  std::vector<std::vector<UlpTally>> rows, rows_in_bench_range;
  try {
    for (const std::string& spec : specs) {
      const sigma::Activation act = sigma::Activation::parse(spec);
      std::vector<UlpTally> total(kColumns), in_bench_range(kColumns);
      for (const Worker& w :
           sigma::cli::SweepFloats(exhaustive, threads, [&] { return Worker(act); })) {
        for (int c = 0; c < kColumns; ++c) {
          total[c].merge(w.tallies[c]);
          in_bench_range[c].merge(w.in_bench_range[c]);
        }
      }
      rows.push_back(total);
      rows_in_bench_range.push_back(in_bench_range);
      std::cerr << spec << " done\n";
    }
  } catch (const std::exception& e) {
    std::cerr << "peer_accuracy: " << e.what() << "\n";
    return 1;
  }

  const std::string inputs = exhaustive ? "every non-NaN float32"
                                        : fmt::format(
                                              "1 in {} float32 bit patterns "
                                              "({} inputs)",
                                              sigma::cli::kSampleStride, rows[0][0].count);
  for (const Table table : {Table::kWorst, Table::kWorstInBenchRange, Table::kShareBeyondBound}) {
    if (table == Table::kWorst) std::cout << "\nWorst error in ulp (at x), over " << inputs;
    if (table == Table::kWorstInBenchRange) {
      std::cout << "\nWorst error in ulp (at x) where |x| <= " << kBenchRange
                << " (the benchmark's inputs)";
    }
    if (table == Table::kShareBeyondBound) {
      std::cout << "\nShare of those inputs beyond " << kValueBound << " ulp (f) or "
                << kDerivativeBound << " ulp (f')";
    }
    std::cout << ":\n\n";
    std::cout << "| function |";
    for (const char* name : kColumnNames) std::cout << " " << name << " |";
    std::cout << "\n|---|";
    for (int c = 0; c < kColumns; ++c) std::cout << "---|";
    std::cout << "\n";
    for (std::size_t r = 0; r < specs.size(); ++r) {
      std::cout << "| " << specs[r] << " |";
      for (int c = 0; c < kColumns; ++c) {
        std::cout << " "
                  << (has(specs[r], c)
                          ? cell((table == Table::kWorstInBenchRange ? rows_in_bench_range
                                                                     : rows)[r][c],
                                 table)
                          : "—")
                  << " |";
      }
      std::cout << "\n";
    }
  }
  return 0;
}
