// Activation throughput: sigma side by side with oneDNN's eltwise primitives and XNNPACK's
// operators (where installed), and a copy of the same bytes as the memory-bandwidth baseline.
// Float32, forward and backward, sizes from 4 KiB to 256 MiB, one thread or all.
//
//   activation_bench --benchmark_filter='/sigmoid/.*/1048576/1$'
//
// Names: BM_<impl>_<op>/<spec>/<elements>/<threads>; items/s are elements per second.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <sigma/sigma.hpp>
#include <string>
#include <thread>
#include <vector>

#ifdef SIGMA_BENCH_ONEDNN
#include <omp.h>

#include <oneapi/dnnl/dnnl.hpp>
#endif
#ifdef SIGMA_BENCH_XNNPACK
#include <xnnpack.h>
#endif

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

// Inputs spread over the range activations see in practice (with some tails).
std::vector<float> inputs(std::size_t n) {
  std::vector<float> x(n);
  std::uint32_t state = 12345;
  for (float& v : x) {
    state = state * 1664525u + 1013904223u;
    v = static_cast<float>(state >> 8) * (16.0f / 16777216.0f) - 8.0f;
  }
  return x;
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
  const std::vector<float> x = inputs(n);
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
  const std::vector<float> x = inputs(n);
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
  const std::vector<float> x = inputs(n), dy = inputs(n);
  std::vector<float> dx(n);
  for (auto _ : state) {
    act.backward(x, dy, dx);
    benchmark::DoNotOptimize(dx.data());
  }
  set_counters(state, n, 3);
}

#ifdef SIGMA_BENCH_ONEDNN
struct OneDnnAlgorithm {
  dnnl::algorithm algorithm;
  float alpha, beta;
};

const std::map<std::string, OneDnnAlgorithm>& onednn_algorithms() {
  using dnnl::algorithm;
  static const std::map<std::string, OneDnnAlgorithm> table = {
      {"sigmoid", {algorithm::eltwise_logistic, 0, 0}},
      {"tanh", {algorithm::eltwise_tanh, 0, 0}},
      {"gelu", {algorithm::eltwise_gelu_erf, 0, 0}},
      {"gelu:approximate=tanh", {algorithm::eltwise_gelu_tanh, 0, 0}},
      {"silu", {algorithm::eltwise_swish, 1, 0}},
      {"elu", {algorithm::eltwise_elu, 1, 0}},
      {"softplus", {algorithm::eltwise_soft_relu, 1, 0}},
      {"mish", {algorithm::eltwise_mish, 0, 0}},
      {"relu", {algorithm::eltwise_relu, 0, 0}},
      {"leaky_relu", {algorithm::eltwise_relu, 0.01f, 0}},
      {"hardswish", {algorithm::eltwise_hardswish, 0, 0}},
      {"relu6", {algorithm::eltwise_clip_v2, 0, 6}},
      {"logsigmoid", {algorithm::eltwise_logsigmoid, 0, 0}},
      {"exponential", {algorithm::eltwise_exp, 0, 0}},
  };
  return table;
}

// What both oneDNN benchmarks set up: the thread count, an engine and stream, the algorithm and
// the descriptor of an n-element f32 vector.
struct OneDnnSetup {
  std::size_t n;
  OneDnnAlgorithm a;
  dnnl::engine engine{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream{engine};
  dnnl::memory::desc md;

  OneDnnSetup(benchmark::State& state, const std::string& spec)
      : n(static_cast<std::size_t>(state.range(0))),
        a(onednn_algorithms().at(spec)),
        md({static_cast<dnnl::memory::dim>(n)}, dnnl::memory::data_type::f32,
           dnnl::memory::format_tag::a) {
    omp_set_num_threads(static_cast<int>(state.range(1)));
  }
  dnnl::eltwise_forward::desc forward(dnnl::prop_kind kind) const {
    return dnnl::eltwise_forward::desc(kind, a.algorithm, md, a.alpha, a.beta);
  }
};

void BM_onednn_forward(benchmark::State& state, const std::string& spec) {
  OneDnnSetup s(state, spec);
  const dnnl::eltwise_forward primitive(dnnl::eltwise_forward::primitive_desc(
      s.forward(dnnl::prop_kind::forward_inference), s.engine));
  std::vector<float> x = inputs(s.n), y(s.n);
  dnnl::memory src(s.md, s.engine, x.data()), dst(s.md, s.engine, y.data());
  for (auto _ : state) {
    primitive.execute(s.stream, {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}});
    s.stream.wait();
  }
  set_counters(state, s.n, 2);
}

void BM_onednn_backward(benchmark::State& state, const std::string& spec) {
  OneDnnSetup s(state, spec);
  const dnnl::eltwise_forward::primitive_desc hint(s.forward(dnnl::prop_kind::forward_training),
                                                   s.engine);
  const dnnl::eltwise_backward primitive(dnnl::eltwise_backward::primitive_desc(
      dnnl::eltwise_backward::desc(s.a.algorithm, s.md, s.md, s.a.alpha, s.a.beta), s.engine,
      hint));
  std::vector<float> x = inputs(s.n), dy = inputs(s.n), dx(s.n);
  dnnl::memory src(s.md, s.engine, x.data()), diff_dst(s.md, s.engine, dy.data()),
      diff_src(s.md, s.engine, dx.data());
  for (auto _ : state) {
    primitive.execute(
        s.stream,
        {{DNNL_ARG_SRC, src}, {DNNL_ARG_DIFF_DST, diff_dst}, {DNNL_ARG_DIFF_SRC, diff_src}});
    s.stream.wait();
  }
  set_counters(state, s.n, 3);
}
#endif  // SIGMA_BENCH_ONEDNN

#ifdef SIGMA_BENCH_XNNPACK
// XNNPACK (Debian's 2022 snapshot) has these f32 unary operators; it runs on the calling thread
// here (no pthreadpool), so it is measured single-threaded only.
bool xnnpack_has(const std::string& spec) {
  for (const char* name : {"sigmoid", "elu", "hardswish", "leaky_relu", "relu", "relu6"}) {
    if (spec == name) return true;
  }
  return false;
}

xnn_operator_t create_xnnpack(const std::string& spec) {
  xnn_operator_t op = nullptr;
  if (spec == "sigmoid") xnn_create_sigmoid_nc_f32(1, 1, 1, 0, &op);
  if (spec == "elu") xnn_create_elu_nc_f32(1, 1, 1, 1.0f, 0, &op);
  if (spec == "hardswish") xnn_create_hardswish_nc_f32(1, 1, 1, 0, &op);
  if (spec == "leaky_relu") xnn_create_leaky_relu_nc_f32(1, 1, 1, 0.01f, 0, &op);
  if (spec == "relu") xnn_create_clamp_nc_f32(1, 1, 1, 0.0f, INFINITY, 0, &op);
  if (spec == "relu6") xnn_create_clamp_nc_f32(1, 1, 1, 0.0f, 6.0f, 0, &op);
  return op;
}

xnn_status setup_xnnpack(const std::string& spec, xnn_operator_t op, std::size_t n, const float* x,
                         float* y) {
  if (spec == "sigmoid") return xnn_setup_sigmoid_nc_f32(op, n, x, y, nullptr);
  if (spec == "elu") return xnn_setup_elu_nc_f32(op, n, x, y, nullptr);
  if (spec == "hardswish") return xnn_setup_hardswish_nc_f32(op, n, x, y, nullptr);
  if (spec == "leaky_relu") return xnn_setup_leaky_relu_nc_f32(op, n, x, y, nullptr);
  return xnn_setup_clamp_nc_f32(op, n, x, y, nullptr);
}

void BM_xnnpack_forward(benchmark::State& state, const std::string& spec) {
  const auto n = static_cast<std::size_t>(state.range(0));
  xnn_initialize(nullptr);
  xnn_operator_t op = create_xnnpack(spec);
  std::vector<float> x = inputs(n), y(n);
  if (op == nullptr || setup_xnnpack(spec, op, n, x.data(), y.data()) != xnn_status_success) {
    state.SkipWithError("XNNPACK operator setup failed");
    return;
  }
  for (auto _ : state) xnn_run_operator(op, nullptr);
  xnn_delete_operator(op);
  set_counters(state, n, 2);
}
#endif  // SIGMA_BENCH_XNNPACK

void sizes(benchmark::internal::Benchmark* b, bool all_threads) {
  for (int64_t elements :
       {int64_t{1} << 10, int64_t{1} << 14, int64_t{1} << 20, int64_t{1} << 24, int64_t{1} << 26}) {
    b->Args({elements, 1});
    if (all_threads) b->Args({elements, 2});
  }
  b->ArgNames({"elements", "threads"})->UseRealTime();
}
void one_and_all_threads(benchmark::internal::Benchmark* b) { sizes(b, true); }
void one_thread(benchmark::internal::Benchmark* b) { sizes(b, false); }
void copy_sizes(benchmark::internal::Benchmark* b) {
  sizes(b, false);
  b->Args({int64_t{1} << 24, 2})->Args({int64_t{1} << 26, 2});
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
#ifdef SIGMA_BENCH_ONEDNN
    if (onednn_algorithms().count(spec)) {
      benchmark::RegisterBenchmark(("BM_onednn_forward/" + spec).c_str(), BM_onednn_forward, spec)
          ->Apply(one_and_all_threads);
      benchmark::RegisterBenchmark(("BM_onednn_backward/" + spec).c_str(), BM_onednn_backward, spec)
          ->Apply(one_and_all_threads);
    }
#endif
#ifdef SIGMA_BENCH_XNNPACK
    if (xnnpack_has(spec)) {
      benchmark::RegisterBenchmark(("BM_xnnpack_forward/" + spec).c_str(), BM_xnnpack_forward, spec)
          ->Apply(one_thread);
    }
#endif
  }
  return true;
}();

}  // namespace

BENCHMARK_MAIN();
