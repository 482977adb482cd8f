#include "accuracy_command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <mutex>
#include <sigma/sigma.hpp>
#include <thread>
#include <vector>

namespace sigma::cli {
namespace {

constexpr double kValueBound = 2;
constexpr double kDerivativeBound = 4;

// Below sigma's threading threshold, so each worker's call stays on its own thread.
constexpr std::uint64_t kChunk = std::uint64_t{1} << 13;
// The sample: one input in this many bit patterns, offset so that mantissas vary.
constexpr std::uint64_t kSampleStride = 97;

struct Tally {
  double worst = 0;
  float worst_input = 0;
  double sum = 0;
  std::uint64_t count = 0;
  std::uint64_t bad_nan = 0;  // NaN in, not NaN out

  void merge(const Tally& t) {
    if (t.worst > worst) {
      worst = t.worst;
      worst_input = t.worst_input;
    }
    sum += t.sum;
    count += t.count;
    bad_nan += t.bad_nan;
  }
};

// |y - exact| in ulp of float at `exact`, the double reference; infinities and overflow agree
// only exactly.
double UlpError(float y, double exact) {
  if (std::isnan(exact)) return std::isnan(y) ? 0 : std::numeric_limits<double>::infinity();
  const float rounded = static_cast<float>(exact);
  if (std::isinf(rounded) || std::isinf(y)) {
    return y == rounded ? 0 : std::numeric_limits<double>::infinity();
  }
  int exponent = 0;
  std::frexp(std::fabs(exact), &exponent);
  const double ulp = std::ldexp(1.0, std::max(exponent, -125) - 24);
  return std::fabs(static_cast<double>(y) - exact) / ulp;
}

void MeasureChunk(const Activation& act, bool grad, std::uint64_t first, std::uint64_t stride,
                  std::uint64_t end, std::vector<float>& x, std::vector<float>& y, Tally& tally) {
  x.clear();
  for (std::uint64_t bits = first; bits < end; bits += stride) {
    x.push_back(std::bit_cast<float>(static_cast<std::uint32_t>(bits)));
  }
  y.resize(x.size());
  if (grad) {
    act.derivative(x, y);
  } else {
    act.forward(x, y);
  }
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (std::isnan(x[i])) {
      tally.bad_nan += std::isnan(y[i]) ? 0 : 1;
      continue;
    }
    const double exact = grad ? act.reference_derivative(x[i]) : act.reference(x[i]);
    const double error = UlpError(y[i], exact);
    if (error > tally.worst) {
      tally.worst = error;
      tally.worst_input = x[i];
    }
    tally.sum += error;
    ++tally.count;
  }
}

}  // namespace

bool RunAccuracy(const AccuracyOptions& options, std::ostream& out) {
  const Activation act = Activation::parse(options.spec);
  const int threads = options.threads > 0 ? options.threads : num_threads();
  const std::uint64_t stride = options.exhaustive ? 1 : kSampleStride;
  const std::uint64_t patterns = std::uint64_t{1} << 32;
  const std::uint64_t chunk_span = kChunk * stride;
  const std::uint64_t chunks = (patterns + chunk_span - 1) / chunk_span;

  const auto start = std::chrono::steady_clock::now();
  std::atomic<std::uint64_t> next{0};
  std::mutex merge;
  Tally total;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      Tally tally;
      std::vector<float> x, y;
      for (std::uint64_t c = next++; c < chunks; c = next++) {
        const std::uint64_t first = c * chunk_span + (options.exhaustive ? 0 : c % stride);
        MeasureChunk(act, options.grad, first, stride, std::min(patterns, (c + 1) * chunk_span), x,
                     y, tally);
      }
      std::lock_guard lock(merge);
      total.merge(tally);
    });
  }
  for (std::thread& w : workers) w.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  const double bound = options.grad ? kDerivativeBound : kValueBound;
  out << fmt::format(
      "{} {}: max {:.3f} ulp at x = {} ({:#010x}), mean {:.4f} ulp over {} inputs ({}); "
      "bound {} ulp; NaN inputs {}; {:.1f} s on {} threads\n",
      act.spec(), options.grad ? "f'" : "f", total.worst, total.worst_input,
      std::bit_cast<std::uint32_t>(total.worst_input),
      total.count ? total.sum / static_cast<double>(total.count) : 0.0, total.count,
      options.exhaustive ? "every non-NaN float" : "1 in 97 bit patterns", bound,
      total.bad_nan ? fmt::format("gave {} non-NaN results", total.bad_nan) : "gave NaN", seconds,
      threads);
  return total.worst <= bound && total.bad_nan == 0;
}

}  // namespace sigma::cli
