#include "accuracy_command.hpp"

#include <fmt/format.h>

#include <bit>
#include <chrono>
#include <cstdint>
#include <sigma/sigma.hpp>
#include <span>
#include <vector>

#include "support/float_sweep.hpp"

namespace sigma::cli {
namespace {

constexpr double kValueBound = 2;
constexpr double kDerivativeBound = 4;

// One thread's share of the sweep: the array path on a chunk, each result against the reference.
struct Worker {
  const Activation* act;
  bool grad;
  UlpTally tally;
  std::vector<float> y;

  void operator()(std::span<const float> x) {
    y.resize(x.size());
    if (grad) {
      act->derivative(x, y);
    } else {
      act->forward(x, y);
    }
    for (std::size_t i = 0; i < x.size(); ++i) {
      tally.add(x[i], y[i], grad ? act->reference_derivative(x[i]) : act->reference(x[i]));
    }
  }
};

}  // namespace

bool RunAccuracy(const AccuracyOptions& options, std::ostream& out) {
  const Activation act = Activation::parse(options.spec);
  const int threads = options.threads > 0 ? options.threads : num_threads();
  const double bound = options.grad ? kDerivativeBound : kValueBound;

  const auto start = std::chrono::steady_clock::now();
  UlpTally total{.bound = bound};
  for (const Worker& w : SweepFloats(options.exhaustive, threads, [&] {
         return Worker{.act = &act, .grad = options.grad, .tally = {.bound = bound}, .y = {}};
       })) {
    total.merge(w.tally);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  out << fmt::format(
      "{} {}: max {:.3f} ulp at x = {} ({:#010x}), mean {:.4f} ulp over {} inputs ({}); "
      "bound {} ulp; NaN inputs {}; {:.1f} s on {} threads\n",
      act.spec(), options.grad ? "f'" : "f", total.worst, total.worst_input,
      std::bit_cast<std::uint32_t>(total.worst_input), total.mean(), total.count,
      options.exhaustive ? "every non-NaN float"
                         : fmt::format("1 in {} bit patterns", kSampleStride),
      bound, total.bad_nan ? fmt::format("gave {} non-NaN results", total.bad_nan) : "gave NaN",
      seconds, threads);
  return total.over_bound == 0 && total.bad_nan == 0;
}

}  // namespace sigma::cli
