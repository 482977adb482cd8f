// Activation throughput: sigma side by side with oneDNN's eltwise primitives and XNNPACK's
// operators (where installed), and a copy of the same bytes as the memory-bandwidth baseline.
// Float32, forward and backward, sizes from 4 KiB to 256 MiB, one thread or all, and inputs x
// drawn from N(0, s) for s = 1, 4 and 16 (dy from N(0, 1)), spreads such as a network's
// pre-activations have. sigma's table paths (AVX-512) take vectors whose every |x| < 8: N(0, 1)
// keeps to them, N(0, 4) leaves them for 4.6% of the elements and N(0, 16) for 62%. The slowest
// of the three is the speed to count (bench/compare_activations.py shows it).
//
//   activation_bench --benchmark_filter='/sigmoid/elements:1048576/threads:1/'
//
// Names: BM_<impl>_<op>/<spec>/elements:<n>/threads:<t>/s:<s>; items/s are elements per second.
// BM_sigma_bf16_forward, BM_sigma_f16_forward and BM_onednn_bf16_forward time the 16-bit
// forward, BM_sigma_bf16_backward and BM_sigma_f16_backward sigma's 16-bit backward (2^20
// elements, one thread).
// Every implementation gets the same arrays: the draws of `sigma bench --dist normal:S`.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <sigma/sigma.hpp>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "peers.hpp"
#include "support/input_distribution.hpp"

namespace {

const std::vector<std::string>& headline_specs() {
  static const std::vector<std::string> specs = {
      "sigmoid",    "tanh",       "gelu",      "gelu:approximate=tanh",
      "silu",       "elu",        "softplus",  "mish",
      "relu",       "leaky_relu", "hardswish", "relu6",
      "logsigmoid", "selu",       "softsign",  "hardsigmoid",
      "exponential"};
  return specs;
}

// The standard deviations of x. Powers of 2, so that s times the N(0, 1) draws is exactly what
// `sigma bench --dist normal:S` draws (from the same seeds).
constexpr int64_t kSpreads[] = {1, 4, 16};

// N(0, 1) draws for x and for dy, n of each, made once per size: the largest sizes take a second.
struct StandardNormals {
  std::vector<float> z, dy;
};
const StandardNormals& standard_normals(std::size_t n) {
  static std::map<std::size_t, StandardNormals> cache;
  auto [it, inserted] = cache.try_emplace(n);
  if (inserted) {
    namespace cli = sigma::cli;
    const cli::InputDistribution standard{cli::InputDistribution::Kind::kNormal, 1, 0};
    it->second = {cli::DrawInputs(standard, n, cli::kInputSeed),
                  cli::DrawInputs(cli::kGradientDistribution, n, cli::kGradientSeed)};
  }
  return it->second;
}

// x for a benchmark: N(0, s) with s its third argument, the same array for every implementation.
std::vector<float> inputs(const benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto s = static_cast<float>(state.range(2));
  std::vector<float> x = standard_normals(n).z;
  for (float& v : x) v *= s;
  return x;
}

// dy for backward: N(0, 1).
const std::vector<float>& gradients(const benchmark::State& state) {
  return standard_normals(static_cast<std::size_t>(state.range(0))).dy;
}

void set_counters(benchmark::State& state, std::size_t n, int arrays) {
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(n));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(n) *
                          arrays * static_cast<int64_t>(sizeof(float)));
}

// memcpy, the memory-bandwidth baseline; with two threads each copies half, the second on a
// thread started per iteration (registered only for arrays far beyond the caches, where starting
// it costs well under 1% of a copy).
void BM_copy(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const bool split = state.range(1) > 1;
  const std::vector<float>& x = standard_normals(n).z;
  std::vector<float> y(n);
  const auto copy = [&](std::size_t begin, std::size_t end) {
    std::memcpy(y.data() + begin, x.data() + begin, (end - begin) * sizeof(float));
  };
  for (auto _ : state) {
    if (split) {
      std::thread second(copy, n / 2, n);
      copy(0, n / 2);
      second.join();
    } else {
      copy(0, n);
    }
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, n, 2);
}

void BM_sigma_forward(benchmark::State& state, const std::string& spec) {
  const auto n = static_cast<std::size_t>(state.range(0));
  sigma::set_num_threads(static_cast<int>(state.range(1)));
  const sigma::Activation act = sigma::Activation::parse(spec);
  const std::vector<float> x = inputs(state);
  std::vector<float> y(n);
  for (auto _ : state) {
    act.forward(x, y);
    benchmark::DoNotOptimize(y.data());
  }
  set_counters(state, n, 2);
}

void BM_sigma_backward(benchmark::State& state, const std::string& spec) {
  const auto n = static_cast<std::size_t>(state.range(0));
  sigma::set_num_threads(static_cast<int>(state.range(1)));
  const sigma::Activation act = sigma::Activation::parse(spec);
  const std::vector<float> x = inputs(state);
  const std::vector<float>& dy = gradients(state);
  std::vector<float> dx(n);
  for (auto _ : state) {
    act.backward(x, dy, dx);
    benchmark::DoNotOptimize(dx.data());
  }
  set_counters(state, n, 3);
}

void BM_onednn_forward(benchmark::State& state, const std::string& spec) {
  const auto n = static_cast<std::size_t>(state.range(0));
  sigma::bench::OneDnnEltwise eltwise(spec, n, static_cast<int>(state.range(1)));
  const std::vector<float> x = inputs(state);
  std::vector<float> y(n);
  for (auto _ : state) eltwise.forward(x.data(), y.data());
  set_counters(state, n, 2);
}

void BM_onednn_backward(benchmark::State& state, const std::string& spec) {
  const auto n = static_cast<std::size_t>(state.range(0));
  sigma::bench::OneDnnEltwise eltwise(spec, n, static_cast<int>(state.range(1)));
  const std::vector<float> x = inputs(state);
  const std::vector<float>& dy = gradients(state);
  std::vector<float> dx(n);
  for (auto _ : state) eltwise.backward(x.data(), dy.data(), dx.data());
  set_counters(state, n, 3);
}

// 16-bit forward and backward: sigma on bfloat16 and float16 arrays (the same draws, rounded), and
// oneDNN's bf16 eltwise forward, one thread; items/s are elements per second, to compare with the
// float32 ones.
template <class H>
std::vector<H> rounded(const std::vector<float>& v) {
  std::vector<H> h(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) h[i] = H(v[i]);
  return h;
}

template <class H, bool kBackward>
void BM_sigma16(benchmark::State& state, const std::string& spec) {
  const auto n = static_cast<std::size_t>(state.range(0));
  sigma::set_num_threads(1);
  const sigma::Activation act = sigma::Activation::parse(spec);
  const std::vector<H> x = rounded<H>(inputs(state));
  const std::vector<H> dy = kBackward ? rounded<H>(gradients(state)) : std::vector<H>();
  std::vector<H> out(n);
  for (auto _ : state) {
    if constexpr (kBackward) {
      act.backward(x, dy, out);
    } else {
      act.forward(x, out);
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(n));
}

void BM_onednn_bf16_forward(benchmark::State& state, const std::string& spec) {
  const auto n = static_cast<std::size_t>(state.range(0));
  sigma::bench::OneDnnEltwise eltwise(spec, n, 1, /*bfloat16=*/true);
  const std::vector<sigma::bfloat16> x = rounded<sigma::bfloat16>(inputs(state));
  std::vector<sigma::bfloat16> y(n);
  for (auto _ : state) eltwise.forward(x.data(), y.data());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(n));
}

// 2^20 elements, one thread, the three spreads.
void sixteen_bit(benchmark::internal::Benchmark* b) {
  for (int64_t s : kSpreads) b->Args({int64_t{1} << 20, 1, s});
  b->ArgNames({"elements", "threads", "s"})->UseRealTime();
}

// XNNPACK runs on the calling thread here (no pthreadpool), so it is measured on one thread.
void BM_xnnpack_forward(benchmark::State& state, const std::string& spec) {
  const auto n = static_cast<std::size_t>(state.range(0));
  sigma::bench::XnnpackUnary unary(spec);
  const std::vector<float> x = inputs(state);
  std::vector<float> y(n);
  for (auto _ : state) unary.forward(x.data(), y.data(), n);
  set_counters(state, n, 2);
}

constexpr int64_t kSizes[] = {int64_t{1} << 10, int64_t{1} << 14, int64_t{1} << 18,
                              int64_t{1} << 20, int64_t{1} << 24, int64_t{1} << 26};

// Each size and thread count at the three spreads in a row, so that they print side by side.
void sizes(benchmark::internal::Benchmark* b, bool all_threads) {
  for (int64_t elements : kSizes) {
    for (int64_t threads = 1; threads <= (all_threads ? 2 : 1); ++threads) {
      for (int64_t s : kSpreads) b->Args({elements, threads, s});
    }
  }
  b->ArgNames({"elements", "threads", "s"})->UseRealTime();
}
void one_and_all_threads(benchmark::internal::Benchmark* b) { sizes(b, true); }
void one_thread(benchmark::internal::Benchmark* b) { sizes(b, false); }
// memcpy does not look at the values: no spreads.
void copy_sizes(benchmark::internal::Benchmark* b) {
  for (int64_t elements : kSizes) b->Args({elements, 1});
  b->Args({int64_t{1} << 24, 2})->Args({int64_t{1} << 26, 2});
  b->ArgNames({"elements", "threads"})->UseRealTime();
}

const bool registered = [] {
  benchmark::RegisterBenchmark("BM_copy", BM_copy)->Apply(copy_sizes);
  std::vector<std::string> specs = headline_specs();
  for (const sigma::FunctionInfo& f : sigma::catalog()) {
    if (std::find(specs.begin(), specs.end(), f.name) == specs.end()) specs.emplace_back(f.name);
  }
  for (const std::string& spec : specs) {
    benchmark::RegisterBenchmark(("BM_sigma_forward/" + spec).c_str(), BM_sigma_forward, spec)
        ->Apply(one_and_all_threads);
    benchmark::RegisterBenchmark(("BM_sigma_backward/" + spec).c_str(), BM_sigma_backward, spec)
        ->Apply(one_and_all_threads);
    if (sigma::bench::OneDnnEltwise::has(spec)) {
      benchmark::RegisterBenchmark(("BM_onednn_forward/" + spec).c_str(), BM_onednn_forward, spec)
          ->Apply(one_and_all_threads);
      benchmark::RegisterBenchmark(("BM_onednn_backward/" + spec).c_str(), BM_onednn_backward, spec)
          ->Apply(one_and_all_threads);
    }
    using Bench = void (*)(benchmark::State&, const std::string&);
    const std::pair<const char*, Bench> sixteen_bit_runs[] = {
        {"BM_sigma_bf16_forward/", BM_sigma16<sigma::bfloat16, false>},
        {"BM_sigma_f16_forward/", BM_sigma16<sigma::float16, false>},
        {"BM_sigma_bf16_backward/", BM_sigma16<sigma::bfloat16, true>},
        {"BM_sigma_f16_backward/", BM_sigma16<sigma::float16, true>}};
    for (const auto& [name, run] : sixteen_bit_runs) {
      benchmark::RegisterBenchmark((name + spec).c_str(), run, spec)->Apply(sixteen_bit);
    }
    if (sigma::bench::OneDnnEltwise::has(spec)) {
      benchmark::RegisterBenchmark(("BM_onednn_bf16_forward/" + spec).c_str(),
                                   BM_onednn_bf16_forward, spec)
          ->Apply(sixteen_bit);
    }
    if (sigma::bench::XnnpackUnary::has(spec)) {
      benchmark::RegisterBenchmark(("BM_xnnpack_forward/" + spec).c_str(), BM_xnnpack_forward, spec)
          ->Apply(one_thread);
    }
  }
  return true;
}();

}  // namespace

BENCHMARK_MAIN();
