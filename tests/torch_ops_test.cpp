// sigma's operators from C++ libtorch: the library python/torch_ops.cpp builds is loaded with
// dlopen, as a libtorch program would, and its operators are found through PyTorch's dispatcher,
// run forward and backward, and refuse the tensors they do not take.
#include <ATen/ATen.h>
#include <ATen/core/dispatch/Dispatcher.h>
#include <c10/util/Exception.h>
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <torch/csrc/autograd/autograd.h>

namespace {

using ActivationOp = at::Tensor(const at::Tensor&, c10::string_view);

class TorchOps : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_NE(dlopen(SIGMA_TORCH_LIBRARY, RTLD_NOW | RTLD_GLOBAL), nullptr) << dlerror();
  }

  static c10::TypedOperatorHandle<ActivationOp> activation() {
    return c10::Dispatcher::singleton()
        .findSchemaOrThrow("sigma::activation", "")
        .typed<ActivationOp>();
  }
};

TEST_F(TorchOps, ActivationForwardAndBackward) {
  const at::Tensor x = at::linspace(-3, 3, 13, at::kDouble).requires_grad_();
  const at::Tensor y = activation().call(x, "tanh");
  EXPECT_TRUE(at::allclose(y, at::tanh(x), 1e-15, 1e-15));
  const auto grads = torch::autograd::grad({y.sum()}, {x});
  const at::Tensor t = at::tanh(x.detach());
  EXPECT_TRUE(at::allclose(grads[0], 1 - t * t, 1e-14, 1e-15));
}

TEST_F(TorchOps, LossByName) {
  const auto loss = c10::Dispatcher::singleton()
                        .findSchemaOrThrow("sigma::loss", "")
                        .typed<at::Tensor(const at::Tensor&, const at::Tensor&, c10::string_view,
                                          c10::ArrayRef<double>, int64_t, c10::string_view,
                                          c10::optional<int64_t>)>();
  const at::Tensor x = at::zeros({2, 4}, at::kFloat);
  const at::Tensor ids = at::tensor({1, 3}, at::kLong);
  const at::Tensor value =
      loss.call(x, ids, "sparse_softmax_cross_entropy", {}, -1, "mean", c10::nullopt);
  EXPECT_NEAR(value.item<float>(), std::log(4.0f), 1e-6f);
  // An ignored row adds nothing and leaves the mean over the others.
  const at::Tensor logits =
      at::tensor({5.0f, 2.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f}).view({2, 4});
  const at::Tensor kept = loss.call(logits, at::tensor({-100, 3}, at::kLong),
                                    "sparse_softmax_cross_entropy", {}, -1, "mean", -100);
  EXPECT_NEAR(kept.item<float>(), std::log(4.0f), 1e-6f);
}

TEST_F(TorchOps, UnsupportedTensorsAreTypeErrors) {
  const at::Tensor ints = at::zeros({3}, at::kInt);
  try {
    activation().call(ints, "relu");
    FAIL() << "an int32 tensor was accepted";
  } catch (const c10::TypeError& e) {
    EXPECT_NE(std::string(e.what_without_backtrace()).find("float32 or float64"),
              std::string::npos);
  }
  EXPECT_THROW(activation().call(at::zeros({3}, at::kDouble), "relx"), c10::ValueError);
}

// 16-bit tensors go to sigma's 16-bit kernels: relu of bfloat16 values is exact.
TEST_F(TorchOps, SixteenBitTensorsAreComputedInTheirFormat) {
  const at::Tensor x = at::linspace(-3, 3, 61, at::kBFloat16);
  const at::Tensor y = activation().call(x, "relu");
  EXPECT_EQ(y.scalar_type(), at::kBFloat16);
  EXPECT_TRUE(at::equal(y, x.clamp_min(0)));
}

}  // namespace
