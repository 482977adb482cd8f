// The peers sigma is measured against, behind one small interface for the benchmark and the
// accuracy comparison: oneDNN's eltwise primitives and XNNPACK's unary operators, float32 over
// flat arrays. Each is compiled in only where installed (SIGMA_BENCH_ONEDNN, SIGMA_BENCH_XNNPACK);
// `has` says whether a peer offers an activation spec at all.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

namespace sigma::bench {

// oneDNN's eltwise primitive for `spec` over n-element vectors: forward (inference) and backward
// (the gradient from x and dy). Runs on `threads` OpenMP threads of the thread that constructs it.
class OneDnnEltwise {
 public:
  static bool has(const std::string& spec);
  // `bfloat16`: the arrays hold bfloat16 (oneDNN's bf16 data type) instead of float32.
  OneDnnEltwise(const std::string& spec, std::size_t n, int threads, bool bfloat16 = false);
  OneDnnEltwise(OneDnnEltwise&&) noexcept;
  ~OneDnnEltwise();

  void forward(const void* x, void* y);
  void backward(const void* x, const void* dy, void* dx);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// XNNPACK's operator for `spec` (Debian's 2022 snapshot has six), on the calling thread.
class XnnpackUnary {
 public:
  static bool has(const std::string& spec);
  explicit XnnpackUnary(const std::string& spec);
  XnnpackUnary(XnnpackUnary&&) noexcept;
  ~XnnpackUnary();

  void forward(const float* x, float* y, std::size_t n);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace sigma::bench
