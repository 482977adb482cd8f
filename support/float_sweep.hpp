// Sweeps float32 inputs, every bit pattern or a sample of them, on worker threads, and measures
// errors in ulp against a double reference: what `sigma accuracy` and the peers' accuracy
// comparison (bench/peer_accuracy.cpp) share.
#pragma once

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <thread>
#include <vector>

namespace sigma::cli {

// |y - exact| in ulp of float at `exact`, the double reference; infinities and overflow agree
// only exactly; NaN for a number (or a number for NaN) is an infinite error.
inline double UlpError(float y, double exact) {
  constexpr double kInfinite = std::numeric_limits<double>::infinity();
  if (std::isnan(exact) || std::isnan(y)) return std::isnan(exact) && std::isnan(y) ? 0 : kInfinite;
  const float rounded = static_cast<float>(exact);
  if (std::isinf(rounded) || std::isinf(y)) {
    return y == rounded ? 0 : kInfinite;
  }
  int exponent = 0;
  std::frexp(std::fabs(exact), &exponent);
  const double ulp = std::ldexp(1.0, std::max(exponent, -125) - 24);
  return std::fabs(static_cast<double>(y) - exact) / ulp;
}

// The worst error, where it occurred, the mean, and how many inputs exceeded a bound.
struct UlpTally {
  double bound = 0;
  double worst = 0;
  float worst_input = 0;
  double sum = 0;
  std::uint64_t count = 0;
  std::uint64_t over_bound = 0;
  std::uint64_t bad_nan = 0;  // NaN in, not NaN out

  // Records y = f(x) against exact = f(x) in double (ignored for NaN x).
  void add(float x, float y, double exact) {
    if (std::isnan(x)) {
      bad_nan += std::isnan(y) ? 0 : 1;
      return;
    }
    const double error = UlpError(y, exact);
    if (Worse(error, x)) {
      worst = error;
      worst_input = x;
    }
    sum += error;
    over_bound += error > bound ? 1 : 0;
    ++count;
  }
  void merge(const UlpTally& t) {
    if (t.count != 0 && Worse(t.worst, t.worst_input)) {
      worst = t.worst;
      worst_input = t.worst_input;
    }
    sum += t.sum;
    count += t.count;
    over_bound += t.over_bound;
    bad_nan += t.bad_nan;
  }
  double mean() const { return count ? sum / static_cast<double>(count) : 0.0; }

 private:
  // Of equal errors the one at the smallest |x| (then the smaller x) is kept, so that the result
  // does not depend on the order in which threads took the chunks, and an infinite error names
  // where it begins.
  bool Worse(double error, float x) const {
    if (count == 0 || error > worst) return true;
    const float a = std::fabs(x), worst_a = std::fabs(worst_input);
    return error == worst && (a < worst_a || (a == worst_a && x < worst_input));
  }
};

// The sample: one input in this many bit patterns, offset per chunk so that mantissas vary.
inline constexpr std::uint64_t kSampleStride = 97;

// Calls worker(inputs) with consecutive chunks of float inputs (every bit pattern, or one in
// kSampleStride) on `threads` threads, one worker per thread from make_worker(), and returns the
// workers for the caller to merge. Chunks stay below sigma's threading threshold, so that each
// worker's calls run on its own thread.
template <class MakeWorker>
auto SweepFloats(bool exhaustive, int threads, MakeWorker make_worker) {
  constexpr std::uint64_t kChunk = std::uint64_t{1} << 13;
  constexpr std::uint64_t kPatterns = std::uint64_t{1} << 32;
  const std::uint64_t stride = exhaustive ? 1 : kSampleStride;
  const std::uint64_t chunk_span = kChunk * stride;
  const std::uint64_t chunks = (kPatterns + chunk_span - 1) / chunk_span;

  using Worker = decltype(make_worker());
  std::vector<Worker> workers;
  workers.reserve(static_cast<std::size_t>(std::max(threads, 1)));
  for (int t = 0; t < std::max(threads, 1); ++t) workers.push_back(make_worker());
  std::atomic<std::uint64_t> next{0};
  std::vector<std::thread> running;
  for (Worker& worker : workers) {
    running.emplace_back([&] {
      std::vector<float> x;
      for (std::uint64_t c = next++; c < chunks; c = next++) {
        x.clear();
        const std::uint64_t end = std::min(kPatterns, (c + 1) * chunk_span);
        for (std::uint64_t bits = c * chunk_span + (exhaustive ? 0 : c % stride); bits < end;
             bits += stride) {
          x.push_back(std::bit_cast<float>(static_cast<std::uint32_t>(bits)));
        }
        worker(std::span<const float>(x));
      }
    });
  }
  for (std::thread& t : running) t.join();
  return workers;
}

}  // namespace sigma::cli
