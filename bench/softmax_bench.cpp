// softmax, log_softmax and the cross-entropy losses at the shapes of classifiers (batch 128 to
// 4096, classes 10 to 50,000), float32, one thread, side by side with oneDNN's softmax primitive
// (softmax_v2: softmax_accurate and softmax_log). oneDNN has no cross-entropy; its log_softmax is
// the nearest work. Throughput is reported as elements (logits) per second; bytes_per_second
// counts one read of the logits and one write of the output (the gradient, for the losses).
//
//   softmax_bench --benchmark_filter='softmax/' --benchmark_repetitions=3
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <random>
#include <sigma/sigma.hpp>
#include <vector>

#ifdef SIGMA_BENCH_ONEDNN
#include <omp.h>

#include <oneapi/dnnl/dnnl.hpp>
#endif

namespace {

constexpr std::int64_t kBatches[] = {128, 1024, 4096};
constexpr std::int64_t kClasses[] = {10, 1000, 50000};
// Larger arrays measure the memory system, not the kernel.
constexpr std::int64_t kMaxElements = (std::int64_t{256} << 20) / sizeof(float);

void shapes(benchmark::internal::Benchmark* b) {
  for (const std::int64_t batch : kBatches) {
    for (const std::int64_t classes : kClasses) {
      if (batch * classes <= kMaxElements) b->Args({batch, classes});
    }
  }
  b->ArgNames({"batch", "classes"});
}

std::vector<float> logits(std::size_t n) {
  std::mt19937 rng(42);
  std::normal_distribution<float> normal(0.0f, 3.0f);
  std::vector<float> x(n);
  for (float& v : x) v = normal(rng);
  return x;
}

void set_counters(benchmark::State& state, std::size_t n) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * n * 2 * sizeof(float)));
}

enum class Op { kSoftmax, kLogSoftmax };

void BM_sigma(benchmark::State& state, Op op) {
  sigma::set_num_threads(1);
  const std::size_t batch = static_cast<std::size_t>(state.range(0));
  const std::size_t classes = static_cast<std::size_t>(state.range(1));
  const std::vector<float> x = logits(batch * classes);
  std::vector<float> y(x.size());
  const std::size_t shape[] = {batch, classes};
  for (auto _ : state) {
    if (op == Op::kSoftmax) {
      sigma::softmax(x, y, shape);
    } else {
      sigma::log_softmax(x, y, shape);
    }
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, x.size());
}

enum class Loss { kSparse, kDense, kSigmoid };

// The mean loss and its gradient with respect to the logits: a training step's loss layer.
void BM_sigma_loss(benchmark::State& state, Loss loss) {
  sigma::set_num_threads(1);
  const std::size_t batch = static_cast<std::size_t>(state.range(0));
  const std::size_t classes = static_cast<std::size_t>(state.range(1));
  const std::vector<float> x = logits(batch * classes);
  std::vector<float> grad(x.size()), value(1);
  std::vector<std::int64_t> ids(batch);
  std::vector<float> labels(loss == Loss::kSparse ? 0 : x.size());
  for (std::size_t r = 0; r < batch; ++r) {
    ids[r] = static_cast<std::int64_t>((r * 7919) % classes);
    if (!labels.empty()) labels[r * classes + static_cast<std::size_t>(ids[r])] = 1;
  }
  const std::size_t shape[] = {batch, classes};
  for (auto _ : state) {
    switch (loss) {
      case Loss::kSparse:
        sigma::sparse_softmax_cross_entropy_with_logits(ids, x, value, grad, shape, -1,
                                                        sigma::Reduction::kMean);
        break;
      case Loss::kDense:
        sigma::softmax_cross_entropy_with_logits(labels, x, value, grad, shape, -1,
                                                 sigma::Reduction::kMean);
        break;
      case Loss::kSigmoid:
        sigma::sigmoid_cross_entropy_with_logits(labels, x, value, grad, sigma::Reduction::kMean);
        break;
    }
    benchmark::DoNotOptimize(grad.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, x.size());
}

#ifdef SIGMA_BENCH_ONEDNN
void BM_onednn(benchmark::State& state, Op op) {
  omp_set_num_threads(1);
  const auto batch = static_cast<dnnl::memory::dim>(state.range(0));
  const auto classes = static_cast<dnnl::memory::dim>(state.range(1));
  const std::vector<float> x = logits(static_cast<std::size_t>(batch * classes));
  std::vector<float> y(x.size());
  dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  dnnl::stream stream(engine);
  const dnnl::memory::desc md({batch, classes}, dnnl::memory::data_type::f32,
                              dnnl::memory::format_tag::ab);
  const auto algorithm =
      op == Op::kSoftmax ? dnnl::algorithm::softmax_accurate : dnnl::algorithm::softmax_log;
  const dnnl::softmax_v2_forward::primitive_desc pd(
      dnnl::softmax_v2_forward::desc(dnnl::prop_kind::forward_inference, algorithm, md, md, 1),
      engine);
  const dnnl::softmax_v2_forward primitive(pd);
  dnnl::memory src(md, engine, const_cast<float*>(x.data())), dst(md, engine, y.data());
  state.SetLabel(pd.impl_info_str());
  for (auto _ : state) {
    primitive.execute(stream, {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}});
    stream.wait();
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, x.size());
}
#endif

}  // namespace

BENCHMARK_CAPTURE(BM_sigma, softmax, Op::kSoftmax)->Apply(shapes);
BENCHMARK_CAPTURE(BM_sigma, log_softmax, Op::kLogSoftmax)->Apply(shapes);
BENCHMARK_CAPTURE(BM_sigma_loss, sparse_softmax_cross_entropy, Loss::kSparse)->Apply(shapes);
BENCHMARK_CAPTURE(BM_sigma_loss, softmax_cross_entropy, Loss::kDense)->Apply(shapes);
BENCHMARK_CAPTURE(BM_sigma_loss, sigmoid_cross_entropy, Loss::kSigmoid)->Apply(shapes);
#ifdef SIGMA_BENCH_ONEDNN
BENCHMARK_CAPTURE(BM_onednn, softmax, Op::kSoftmax)->Apply(shapes);
BENCHMARK_CAPTURE(BM_onednn, log_softmax, Op::kLogSoftmax)->Apply(shapes);
#endif

BENCHMARK_MAIN();
