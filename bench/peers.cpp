#include "peers.hpp"

#include <cmath>
#include <map>
#include <stdexcept>

#ifdef SIGMA_BENCH_ONEDNN
#include <omp.h>

#include <oneapi/dnnl/dnnl.hpp>
#endif
#ifdef SIGMA_BENCH_XNNPACK
#include <xnnpack.h>
#endif

namespace sigma::bench {

#ifdef SIGMA_BENCH_ONEDNN
namespace {

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

}  // namespace

// The primitives and their memory objects, made once; each call only rebinds the arrays.
struct OneDnnEltwise::State {
  dnnl::engine engine{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream{engine};
  dnnl::memory::desc md;
  dnnl::eltwise_forward forward;
  dnnl::eltwise_backward backward;
  dnnl::memory src, dst, diff_dst, diff_src;

  State(const OneDnnAlgorithm& a, std::size_t n, bool bfloat16)
      : md({static_cast<dnnl::memory::dim>(n)},
           bfloat16 ? dnnl::memory::data_type::bf16 : dnnl::memory::data_type::f32,
           dnnl::memory::format_tag::a),
        src(md, engine, nullptr),
        dst(md, engine, nullptr),
        diff_dst(md, engine, nullptr),
        diff_src(md, engine, nullptr) {
    const auto desc = [&](dnnl::prop_kind kind) {
      return dnnl::eltwise_forward::desc(kind, a.algorithm, md, a.alpha, a.beta);
    };
    forward = dnnl::eltwise_forward(
        dnnl::eltwise_forward::primitive_desc(desc(dnnl::prop_kind::forward_inference), engine));
    const dnnl::eltwise_forward::primitive_desc hint(desc(dnnl::prop_kind::forward_training),
                                                     engine);
    backward = dnnl::eltwise_backward(dnnl::eltwise_backward::primitive_desc(
        dnnl::eltwise_backward::desc(a.algorithm, md, md, a.alpha, a.beta), engine, hint));
  }
};

bool OneDnnEltwise::has(const std::string& spec) { return onednn_algorithms().count(spec) != 0; }

OneDnnEltwise::OneDnnEltwise(const std::string& spec, std::size_t n, int threads, bool bfloat16) {
  const auto it = onednn_algorithms().find(spec);
  if (it == onednn_algorithms().end()) throw std::invalid_argument("oneDNN has no " + spec);
  omp_set_num_threads(threads);
  state_ = std::make_unique<State>(it->second, n, bfloat16);
}

void OneDnnEltwise::forward(const void* x, void* y) {
  State& s = *state_;
  s.src.set_data_handle(const_cast<void*>(x));
  s.dst.set_data_handle(y);
  s.forward.execute(s.stream, {{DNNL_ARG_SRC, s.src}, {DNNL_ARG_DST, s.dst}});
  s.stream.wait();
}

void OneDnnEltwise::backward(const void* x, const void* dy, void* dx) {
  State& s = *state_;
  s.src.set_data_handle(const_cast<void*>(x));
  s.diff_dst.set_data_handle(const_cast<void*>(dy));
  s.diff_src.set_data_handle(dx);
  s.backward.execute(
      s.stream,
      {{DNNL_ARG_SRC, s.src}, {DNNL_ARG_DIFF_DST, s.diff_dst}, {DNNL_ARG_DIFF_SRC, s.diff_src}});
  s.stream.wait();
}
#else
struct OneDnnEltwise::State {};
bool OneDnnEltwise::has(const std::string&) { return false; }
OneDnnEltwise::OneDnnEltwise(const std::string&, std::size_t, int, bool) {
  throw std::invalid_argument("built without oneDNN");
}
void OneDnnEltwise::forward(const void*, void*) {}
void OneDnnEltwise::backward(const void*, const void*, void*) {}
#endif  // SIGMA_BENCH_ONEDNN

OneDnnEltwise::OneDnnEltwise(OneDnnEltwise&&) noexcept = default;
OneDnnEltwise::~OneDnnEltwise() = default;

#ifdef SIGMA_BENCH_XNNPACK
// The operator and the arrays it was last set up for (setup binds them).
struct XnnpackUnary::State {
  std::string spec;
  xnn_operator_t op = nullptr;
  const float* x = nullptr;
  float* y = nullptr;
  std::size_t n = 0;

  ~State() {
    if (op != nullptr) xnn_delete_operator(op);
  }
  xnn_status setup(const float* new_x, float* new_y, std::size_t new_n) {
    x = new_x;
    y = new_y;
    n = new_n;
    if (spec == "sigmoid") return xnn_setup_sigmoid_nc_f32(op, n, x, y, nullptr);
    if (spec == "elu") return xnn_setup_elu_nc_f32(op, n, x, y, nullptr);
    if (spec == "hardswish") return xnn_setup_hardswish_nc_f32(op, n, x, y, nullptr);
    if (spec == "leaky_relu") return xnn_setup_leaky_relu_nc_f32(op, n, x, y, nullptr);
    return xnn_setup_clamp_nc_f32(op, n, x, y, nullptr);
  }
};

bool XnnpackUnary::has(const std::string& spec) {
  for (const char* name : {"sigmoid", "elu", "hardswish", "leaky_relu", "relu", "relu6"}) {
    if (spec == name) return true;
  }
  return false;
}

XnnpackUnary::XnnpackUnary(const std::string& spec) : state_(std::make_unique<State>()) {
  if (!has(spec)) throw std::invalid_argument("XNNPACK has no " + spec);
  if (xnn_initialize(nullptr) != xnn_status_success) {
    throw std::runtime_error("XNNPACK failed to initialise");
  }
  state_->spec = spec;
  xnn_operator_t& op = state_->op;
  if (spec == "sigmoid") xnn_create_sigmoid_nc_f32(1, 1, 1, 0, &op);
  if (spec == "elu") xnn_create_elu_nc_f32(1, 1, 1, 1.0f, 0, &op);
  if (spec == "hardswish") xnn_create_hardswish_nc_f32(1, 1, 1, 0, &op);
  if (spec == "leaky_relu") xnn_create_leaky_relu_nc_f32(1, 1, 1, 0.01f, 0, &op);
  if (spec == "relu") xnn_create_clamp_nc_f32(1, 1, 1, 0.0f, INFINITY, 0, &op);
  if (spec == "relu6") xnn_create_clamp_nc_f32(1, 1, 1, 0.0f, 6.0f, 0, &op);
  if (op == nullptr) throw std::runtime_error("XNNPACK failed to create its " + spec);
}

void XnnpackUnary::forward(const float* x, float* y, std::size_t n) {
  State& s = *state_;
  if ((x != s.x || y != s.y || n != s.n) && s.setup(x, y, n) != xnn_status_success) {
    throw std::runtime_error("XNNPACK failed to set up its " + s.spec);
  }
  if (xnn_run_operator(s.op, nullptr) != xnn_status_success) {
    throw std::runtime_error("XNNPACK failed to run its " + s.spec);
  }
}
#else
struct XnnpackUnary::State {};
bool XnnpackUnary::has(const std::string&) { return false; }
XnnpackUnary::XnnpackUnary(const std::string&) {
  throw std::invalid_argument("built without XNNPACK");
}
void XnnpackUnary::forward(const float*, float*, std::size_t) {}
#endif  // SIGMA_BENCH_XNNPACK

XnnpackUnary::XnnpackUnary(XnnpackUnary&&) noexcept = default;
XnnpackUnary::~XnnpackUnary() = default;

}  // namespace sigma::bench
