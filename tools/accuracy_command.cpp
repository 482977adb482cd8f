#include "accuracy_command.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <sigma/sigma.hpp>
#include <span>
#include <vector>

#include "support/float_sweep.hpp"
#ifdef SIGMA_CLI_WITH_ORACLE
#include "support/mpfr_oracle.hpp"
#endif

namespace sigma::cli {
namespace {

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

// A 16-bit format: every one of its 65,536 inputs through the array path, each result against the
// exact value rounded to the format: the double reference's rounding where double decides it (no
// rounding boundary within 2^-48 of the reference), else the MPFR oracle's where the build has it
// (without it such a result, if it differs from the double reference's rounding, counts as
// undecided); a zero with the sign of float32's result, as promised.
template <class H>
bool RunHalfAccuracy(const Activation& act, const AccuracyOptions& options, std::ostream& out) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<H> x(0x10000), y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = H::from_bits(static_cast<std::uint16_t>(i));
  if (options.grad) {
    act.derivative(x, y);
  } else {
    act.forward(x, y);
  }
  std::uint64_t wrong = 0, undecided = 0, by_oracle = 0, count = 0;
  double worst = 0;
  float worst_input = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const float xi = static_cast<float>(x[i]), yi = static_cast<float>(y[i]);
    if (std::isnan(xi)) continue;
    ++count;
    const double exact = options.grad ? act.reference_derivative(xi) : act.reference(xi);
    std::uint16_t want = H(exact).bits;
    bool decided = H(exact * (1 + 0x1p-48)).bits == H(exact * (1 - 0x1p-48)).bits;
#ifdef SIGMA_CLI_WITH_ORACLE
    mpfr::Exact value;
    if (!decided && mpfr::oracle(act.info().name, act.params(), xi, options.grad, &value)) {
      want = H(detail::round_to_odd_float(value.hi, value.lo)).bits;
      decided = true;
      ++by_oracle;
    }
#endif
    if ((want & 0x7FFF) == 0 && yi == 0) {
      // A zero's sign is float32's (docs/accuracy.md), which the reference's need not be where
      // an underflow in its formula lost it.
      float as_float;
      if (options.grad) {
        act.derivative(std::span<const float>(&xi, 1), std::span<float>(&as_float, 1));
      } else {
        act.forward(std::span<const float>(&xi, 1), std::span<float>(&as_float, 1));
      }
      if (as_float == 0) want = H(as_float).bits;
    }
    if (want != y[i].bits && !(std::isnan(exact) && std::isnan(yi))) {
      ++(decided ? wrong : undecided);
      continue;
    }
    // The error in ulp of the format: the spacing of its values around the result.
    const auto neighbour = [](H h, int step) {
      return static_cast<double>(H::from_bits(static_cast<std::uint16_t>(h.bits + step)));
    };
    const double spacing =
        std::min(std::fabs(neighbour(y[i], 1) - yi), std::fabs(yi - neighbour(y[i], -1)));
    if (std::isfinite(yi) && yi != 0 && spacing > 0 && std::fabs(yi - exact) / spacing > worst) {
      worst = std::fabs(yi - exact) / spacing;
      worst_input = xi;
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
#ifdef SIGMA_CLI_WITH_ORACLE
  constexpr bool kWithOracle = true;
#else
  constexpr bool kWithOracle = false;
#endif
  // Without the oracle (or for an input it does not take), a differing result double cannot
  // judge is undecided.
  const std::string undecided_text =
      fmt::format("{} undecided: within 2^-48 of a rounding boundary", undecided);
  const std::string judged =
      kWithOracle ? fmt::format(
                        "not correctly rounded ({} decided by the MPFR oracle, double being within "
                        "2^-48 of a rounding boundary{})",
                        by_oracle, undecided > 0 ? "; " + undecided_text : "")
                  : fmt::format("not the double reference correctly rounded ({})", undecided_text);
  out << fmt::format(
      "{} {} {}: {} of {} non-NaN inputs {}; max {:.3f} ulp (of {}) at x = {}; "
      "{:.2f} s\n",
      act.spec(), options.grad ? "f'" : "f", options.dtype, wrong, count, judged, worst,
      options.dtype, worst_input, seconds);
  return wrong == 0;
}

}  // namespace

bool RunAccuracy(const AccuracyOptions& options, std::ostream& out) {
  const Activation act = Activation::parse(options.spec);
  if (options.dtype == "bf16") return RunHalfAccuracy<bfloat16>(act, options, out);
  if (options.dtype == "f16") return RunHalfAccuracy<float16>(act, options, out);
  const int threads = options.threads > 0 ? options.threads : num_threads();
  const double bound = options.grad ? kFloatDerivativeUlp : kFloatValueUlp;

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

CLI::App* AddAccuracy(CLI::App& app, AccuracyOptions& options) {
  CLI::App* accuracy =
      app.add_subcommand("accuracy", "Measure the float32 error of a function in ulp");
  accuracy->add_option("SPEC", options.spec, "NAME[:KEY=VALUE,...]")->type_name("")->required();
  accuracy->add_flag("--grad", options.grad, "Measure f'(x) instead of f(x)");
  accuracy->add_flag("--exhaustive", options.exhaustive,
                     "Every one of the 2^32 float inputs (minutes), not a 1/97 sample");
  accuracy
      ->add_option("--dtype", options.dtype,
                   "f32, or bf16 or f16: all 65,536 inputs (seconds), each result against "
                   "the exact value rounded to the format (the double reference's rounding, or "
                   "MPFR's where double cannot decide)")
      ->check(CLI::IsMember({"f32", "bf16", "f16"}))
      ->capture_default_str();
  accuracy->add_option("--threads", options.threads, "Threads (default: sigma's)")
      ->check(CLI::Range(1, 1024));
  accuracy->footer(
      "Compares the float32 array path (the vector kernels) with the double-precision "
      "reference, which is itself tested against MPFR. Exits 1 if the error exceeds sigma's "
      "bound: 2 ulp for f, 4 ulp for f'.");
  return accuracy;
}

}  // namespace sigma::cli
