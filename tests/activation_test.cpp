// The array API: identities between functions, argument checks and threading.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <sigma/sigma.hpp>
#include <span>
#include <string>
#include <vector>

#include "targets.hpp"

#if __has_include(<sys/mman.h>)
#include <sys/mman.h>
#endif

namespace sigma {
namespace {

double eval(const char* spec, double x) { return Activation::parse(spec).reference(x); }
double grad(const char* spec, double x) { return Activation::parse(spec).reference_derivative(x); }

// |a - b| within a few ulp of the larger, or a tiny absolute amount near zero.
::testing::AssertionResult close(double a, double b, double ulps = 8) {
  const double tolerance = ulps * 0x1p-52 * std::max(std::fabs(a), std::fabs(b)) + 1e-300;
  if (std::fabs(a - b) <= tolerance) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << a << " vs " << b << " (diff " << a - b << ")";
}

TEST(Identities, HoldAcrossTheRealLine) {
  for (double x = -30; x <= 30; x += 0.0173) {
    SCOPED_TRACE("x = " + std::to_string(x));
    // 2 sigma(2x) - 1 itself cancels near 0, so compare in absolute terms there.
    EXPECT_NEAR(eval("tanh", x), 2 * eval("sigmoid", 2 * x) - 1, 4e-16);
    EXPECT_TRUE(close(eval("logsigmoid", x), -eval("softplus", -x)));
    EXPECT_TRUE(close(eval("symmetrical_sigmoid", x), std::tanh(x / 2)));
    EXPECT_TRUE(close(eval("silu", x), eval("swish:beta=1", x), 0));
    EXPECT_TRUE(close(eval("silu", x), x * eval("sigmoid", x)));
    EXPECT_TRUE(close(eval("celu:alpha=1", x), eval("elu:alpha=1", x), 2));
    EXPECT_TRUE(close(eval("prelu:alpha=0.3", x), eval("leaky_relu:alpha=0.3", x), 0));
    EXPECT_TRUE(close(eval("threshold", x), eval("relu", x), 0));
    EXPECT_TRUE(close(eval("hardswish", x), x * eval("hardsigmoid", x), 16));
    EXPECT_TRUE(
        close(eval("selu", x), 1.0507009873554805 * eval("elu:alpha=1.6732632423543772", x)));
    EXPECT_TRUE(close(eval("mish", x), x * std::tanh(eval("softplus", x)), 64));
    EXPECT_TRUE(close(grad("softplus", x), eval("sigmoid", x)));
    EXPECT_TRUE(close(grad("logsigmoid", x), eval("sigmoid", -x)));
    EXPECT_TRUE(close(grad("exponential", x), eval("exponential", x), 0));
    EXPECT_TRUE(close(eval("relu6", x), eval("hardtanh:min_val=0,max_val=6", x), 0));
    EXPECT_TRUE(close(eval("rrelu:lower=0.2,upper=0.2", x), eval("leaky_relu:alpha=0.2", x), 0));
    EXPECT_NEAR(eval("gelu:approximate=tanh", x), eval("gelu", x), 5e-4);
    EXPECT_NEAR(eval("swish:beta=50", x), eval("relu", x), 0.01);
  }
}

TEST(Conventions, DerivativesAtKinksFollowPyTorch) {
  EXPECT_EQ(grad("relu", 0), 0);
  EXPECT_EQ(grad("leaky_relu", 0), 0.01);
  EXPECT_EQ(grad("prelu", 0), 0.25);
  EXPECT_EQ(grad("elu:alpha=2", 0), 2);
  EXPECT_EQ(grad("relu6", 0), 0);
  EXPECT_EQ(grad("relu6", 6), 0);
  EXPECT_EQ(grad("hardtanh", -1), 0);
  EXPECT_EQ(grad("hardtanh", 1), 0);
  EXPECT_EQ(grad("hardsigmoid", -3), 0);
  EXPECT_EQ(grad("hardsigmoid", 3), 0);
  EXPECT_EQ(grad("hardswish", -3), -0.5);
  EXPECT_EQ(grad("hardswish", 3), 1.5);
  EXPECT_EQ(grad("softshrink", 0.5), 0);
  EXPECT_EQ(grad("hardshrink", -0.5), 0);
  EXPECT_EQ(grad("threshold:threshold=1", 1), 0);
  EXPECT_EQ(grad("absolute", 0), 0);
  EXPECT_EQ(eval("step", 0), 0);
  EXPECT_EQ(eval("sinc", 0), 1);
  EXPECT_EQ(grad("sinc", 0), 0);
  EXPECT_TRUE(std::isnan(eval("relu", std::nan(""))));
}

// f(-0) = -0 where f(x) ~ x near 0 (bent_identity, as tanh and elu), and cos'(+-0) = -sin(+-0)
// taken as +0, as PyTorch: in the arrays of both types, not only the reference.
TEST(Conventions, SignedZeros) {
  const auto expect_zero = [](const char* spec, bool derivative, double x, bool negative,
                              bool with_reference = false) {
    const Activation act = Activation::parse(spec);
    std::vector<double> out64(1);
    std::vector<float> out32(1);
    if (derivative) {
      act.derivative(std::vector<double>{x}, out64);
      act.derivative(std::vector<float>{static_cast<float>(x)}, out32);
    } else {
      act.forward(std::vector<double>{x}, out64);
      act.forward(std::vector<float>{static_cast<float>(x)}, out32);
    }
    std::vector<double> values = {out64[0], out32[0]};
    if (with_reference)
      values.push_back(derivative ? act.reference_derivative(x) : act.reference(x));
    for (const double v : values) {
      EXPECT_EQ(v, 0) << spec << (derivative ? "'" : "") << " at " << x;
      EXPECT_EQ(std::signbit(v), negative) << spec << (derivative ? "'" : "") << " at " << x;
    }
  };
  expect_zero("bent_identity", false, -0.0, true);
  expect_zero("bent_identity", false, 0.0, false);
  expect_zero("cos", true, -0.0, false);
  expect_zero("cos", true, 0.0, false);
  // Underflowed values keep the exact value's sign: loglog > 0 everywhere; gelu' and mish' are
  // negative below their roots, in the reference too (its long double underflows later).
  expect_zero("loglog", false, -800, false, true);
  expect_zero("gelu", true, -200, true, true);
  expect_zero("gelu:approximate=tanh", true, -200, true, true);
  expect_zero("mish", true, -12000, true, true);
}

TEST(Accuracy, TailsThatNaiveFormulasLose) {
  // Values from the defining formulas in high precision.
  EXPECT_TRUE(close(eval("elu", -1e-10), -9.9999999995e-11, 4));
  EXPECT_TRUE(close(eval("softplus", -50), 1.9287498479639178e-22, 4));
  EXPECT_TRUE(close(eval("gelu", -10), -7.6198530241605269e-23, 4));
  EXPECT_TRUE(close(eval("silu", -50), -9.643749239819589e-21, 4));
  EXPECT_TRUE(close(eval("mish", -50), -9.643749239819589e-21, 4));
  EXPECT_TRUE(close(eval("tanhshrink", 1e-8), 3.333333333333333e-25, 4));
  EXPECT_TRUE(close(grad("sigmoid", 40), 4.248354255291589e-18, 4));
  EXPECT_TRUE(close(grad("tanh", 20), 1.6993417021166355e-17, 4));
}

// Issue 23's reproducers: float64 f' within 1e-6 of a root of f', where its terms cancel (values
// from the defining formulas in high precision). Each input sits in every lane position of a
// vector and in the tail, among inputs far from the root; backward and the scalar reference must
// agree.
TEST(Accuracy, Float64DerivativeNearItsRoots) {
  struct Case {
    const char* spec;
    double x, exact;
  };
  for (const Case& c : {Case{"silu", -1.278464542761074, -2.452007938935708e-17},
                        Case{"swish:beta=1.5", -0.8523096951740492, -3.3812231705698472e-19},
                        Case{"gelu", -0.7517915246935645, -6.453751729367753e-18},
                        Case{"mish", -1.1924312145154952, 1.2942924190978498e-17},
                        Case{"sinc", 4.493409457909064, 7.218300729428198e-18},
                        Case{"sinc", 7.725251836937707, 4.8785590002365756e-17},
                        Case{"sinc", -10.9041216594289, -8.61238541171892e-17},
                        Case{"sinc", 36.10062224437561, -9.419672223499576e-17}}) {
    SCOPED_TRACE(std::string(c.spec) + " at " + std::to_string(c.x));
    const Activation act = Activation::parse(c.spec);
    EXPECT_TRUE(close(act.reference_derivative(c.x), c.exact));
    for (std::size_t at = 0; at < 19; ++at) {
      std::vector<double> x(19, 3.0), d(19), dx(19);
      x[at] = c.x;
      const std::vector<double> dy(19, 2.0);
      act.derivative(std::span<const double>(x), std::span<double>(d));
      act.backward(std::span<const double>(x), std::span<const double>(dy), std::span<double>(dx));
      EXPECT_TRUE(close(d[at], c.exact)) << "at " << at;
      EXPECT_TRUE(close(dx[at], 2 * c.exact)) << "at " << at;
    }
  }
}

TEST(Arrays, RejectMismatchedSizesAndPartialOverlap) {
  const Activation relu = Activation::parse("relu");
  std::vector<float> x(8), y(7), dy(8);
  EXPECT_THROW(relu.forward(std::span<const float>(x), y), Error);
  EXPECT_THROW(relu.derivative(std::span<const float>(x), y), Error);
  EXPECT_THROW(
      relu.backward(std::span<const float>(x), std::span<const float>(y), std::span<float>(dy)),
      Error);
  try {
    relu.forward(std::span<const float>(x), y);
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "forward: x has 8 elements but the output has 7");
  }
  std::vector<double> buffer(16);
  EXPECT_THROW(relu.forward(std::span<const double>(buffer.data(), 8),
                            std::span<double>(buffer.data() + 1, 8)),
               Error);
  EXPECT_NO_THROW(relu.forward(std::span<const double>(buffer.data(), 8),
                               std::span<double>(buffer.data() + 8, 8)));
  const Activation gelu = Activation::parse("gelu");
  EXPECT_THROW(gelu.backward_from_output(std::span<const float>(x), std::span<const float>(x),
                                         std::span<float>(dy)),
               Error);
  const Activation leaky = Activation::parse("leaky_relu:alpha=-0.5");
  EXPECT_FALSE(leaky.has_backward_from_output());
  EXPECT_THROW(leaky.backward_from_output(std::span<const float>(x), std::span<const float>(x),
                                          std::span<float>(dy)),
               Error);
}

// Outputs of 32 MiB and more are written with non-temporal stores from the first aligned
// element on; they must equal what small calls (plain stores) give, at any alignment.
TEST(Arrays, LargeStreamedOutputsMatchSmallCalls) {
  const std::size_t n = (std::size_t{32} << 20) / sizeof(float) + 37;
  std::vector<float> x(n), dy(n), buffer(n + 1), expected(n);
  for (std::size_t i = 0; i < n; ++i) {
    x[i] = static_cast<float>(i % 20011) * 1e-3f - 10.0f;
    dy[i] = static_cast<float>(i % 7) - 3.0f;
  }
  const std::span<float> out(buffer.data() + 1, n);  // not aligned to a vector
  set_num_threads(1);  // one chunk, above the threshold (two threads would halve it)
  for (const char* spec : {"sigmoid", "relu", "gelu"}) {
    SCOPED_TRACE(spec);
    const Activation act = Activation::parse(spec);
    constexpr std::size_t kSmall = 1000;
    for (std::size_t i = 0; i < n; i += kSmall) {
      const std::size_t count = std::min(kSmall, n - i);
      act.forward(std::span<const float>(x).subspan(i, count),
                  std::span<float>(expected).subspan(i, count));
    }
    act.forward(x, out);
    EXPECT_TRUE(std::equal(out.begin(), out.end(), expected.begin()));
    for (std::size_t i = 0; i < n; i += kSmall) {
      const std::size_t count = std::min(kSmall, n - i);
      act.backward(std::span<const float>(x).subspan(i, count),
                   std::span<const float>(dy).subspan(i, count),
                   std::span<float>(expected).subspan(i, count));
    }
    act.backward(x, dy, out);
    EXPECT_TRUE(std::equal(out.begin(), out.end(), expected.begin()));
  }
  set_num_threads(0);
}

#if __has_include(<sys/mman.h>)
// identity in place leaves the array alone: on a read-only page any store would fault.
TEST(Arrays, IdentityInPlaceTouchesNoMemory) {
  const Activation identity = Activation::parse("identity");
  const std::size_t bytes = 1 << 16;
  void* page = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(page, MAP_FAILED);
  const std::span<float> x(static_cast<float*>(page), bytes / sizeof(float));
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i) - 100.5f;
  x[3] = std::numeric_limits<float>::quiet_NaN();
  const std::vector<float> before(x.begin(), x.end());
  ASSERT_EQ(mprotect(page, bytes, PROT_READ), 0);
  identity.forward(x, x);
  const std::span<double> xd(static_cast<double*>(page), bytes / sizeof(double));
  identity.forward(xd, xd);
  for (std::size_t i = 0; i < x.size(); ++i) {
    ASSERT_EQ(std::bit_cast<std::uint32_t>(x[i]), std::bit_cast<std::uint32_t>(before[i]));
  }
  ASSERT_EQ(munmap(page, bytes), 0);
}
#endif

// The piecewise functions whose float lanes are exact give the double lanes' results (double
// arrays rounded once) bit for bit: signed zeros, infinities and NaN included, for parameters
// that are floats and, for the comparisons through the float at or below a parameter, that are
// not.
TEST(FloatLanes, ExactPiecewiseKernelsMatchTheDoubleLanesBitForBit) {
  std::vector<float> x;
  for (std::uint32_t bits = 0; bits < 0xFFFFFFFFu - 40009u; bits += 40009u) {
    x.push_back(std::bit_cast<float>(bits));
  }
  for (const float c : {0.0f, 0.1f, 0.25f, 0.3f, 0.5f, 1.0f, 2.0f}) {
    for (const float v : {c, -c}) {
      x.push_back(v);
      x.push_back(std::nextafter(v, -1.0f));
      x.push_back(std::nextafter(v, 1.0f));
    }
  }
  for (const float v :
       {1e-45f, -1e-45f, std::numeric_limits<float>::max(), -std::numeric_limits<float>::max(),
        std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity()}) {
    x.push_back(v);
  }
  std::vector<float> dy(x.size());
  for (std::size_t i = 0; i < dy.size(); ++i) dy[i] = x[(i * 7919) % x.size()];
  const std::vector<double> xd(x.begin(), x.end()), dyd(dy.begin(), dy.end());
  const auto same = [](float a, double b) {
    const float rounded = static_cast<float>(b);
    if (std::isnan(a) || std::isnan(rounded)) return std::isnan(a) && std::isnan(rounded);
    return std::bit_cast<std::uint32_t>(a) == std::bit_cast<std::uint32_t>(rounded);
  };
  for (const char* spec : {"identity",
                           "step",
                           "sign",
                           "absolute",
                           "relu",
                           "relu6",
                           "hardtanh",
                           "threshold",
                           "threshold:threshold=0.5,value=-2",
                           "threshold:threshold=0.1,value=0.3",
                           "threshold:threshold=-1e-50,value=1e-50",
                           "threshold:threshold=1e300,value=-0.0",
                           "threshold:threshold=-1e300,value=3",
                           "softshrink",
                           "softshrink:lambd=0.25",
                           "softshrink:lambd=0",
                           "softshrink:lambd=0.1",
                           "hardshrink",
                           "hardshrink:lambd=0.1",
                           "hardshrink:lambd=0",
                           "hardshrink:lambd=1e300"}) {
    SCOPED_TRACE(spec);
    const Activation act = Activation::parse(spec);
    std::vector<float> y(x.size()), d(x.size()), g(x.size());
    std::vector<double> yd(x.size()), dd(x.size()), gd(x.size());
    act.forward(x, y);
    act.derivative(x, d);
    act.backward(x, dy, g);
    act.forward(xd, yd);
    act.derivative(xd, dd);
    act.backward(xd, dyd, gd);
    for (std::size_t i = 0; i < x.size(); ++i) {
      ASSERT_TRUE(same(y[i], yd[i])) << "f(" << x[i] << ") = " << y[i] << ", not " << yd[i];
      ASSERT_TRUE(same(d[i], dd[i])) << "f'(" << x[i] << ") = " << d[i] << ", not " << dd[i];
      ASSERT_TRUE(same(g[i], gd[i]))
          << dy[i] << " f'(" << x[i] << ") = " << g[i] << ", not " << gd[i];
    }
  }
}

// A lane's result depends on its own input only: every catalog function, float32, on inputs
// drawn from N(0, 1), N(0, 4) and N(0, 16), where the table kernels meet blocks with a few lanes
// beyond their tables, blocks with many, and blocks with none, gives in one long call (out of
// place and in place) what it gives for each input alone; on every SIMD target this CPU runs.
TEST(FloatLanes, ResultsDoNotDependOnTheNeighbours) {
  constexpr std::size_t kCount = 3 * 4096 + 5;
  std::vector<float> x(kCount), dy(kCount);
  std::uint64_t state = 12345;
  const auto uniform = [&state] {  // in (0, 1), from a 64-bit LCG's top bits
    state = state * 6364136223846793005u + 1442695040888963407u;
    return (static_cast<double>(state >> 11) + 0.5) * 0x1p-53;
  };
  const auto normal = [&uniform] {  // Box-Muller
    return std::sqrt(-2 * std::log(uniform())) * std::cos(6.283185307179586 * uniform());
  };
  for (std::size_t i = 0; i < kCount; ++i) {
    const double spread = i < 4096 ? 1 : i < 2 * 4096 ? 4 : 16;
    x[i] = static_cast<float>(spread * normal());
    dy[i] = static_cast<float>(normal());
  }
  const auto same = [](float a, float b) {
    return std::bit_cast<std::uint32_t>(a) == std::bit_cast<std::uint32_t>(b) ||
           (std::isnan(a) && std::isnan(b));
  };
  for_each_target([&] {
    for (const FunctionInfo& info : catalog()) {
      SCOPED_TRACE(info.name);
      const Activation act = Activation::parse(info.name);
      std::vector<float> y(kCount), g(kCount), in_place(x);
      act.forward(x, y);
      act.backward(x, dy, g);
      act.forward(in_place, in_place);
      for (std::size_t i = 0; i < kCount; ++i) {
        float alone = 0, alone_grad = 0;
        act.forward(std::span<const float>(&x[i], 1), std::span<float>(&alone, 1));
        act.backward(std::span<const float>(&x[i], 1), std::span<const float>(&dy[i], 1),
                     std::span<float>(&alone_grad, 1));
        EXPECT_TRUE(same(y[i], alone)) << "f(" << x[i] << ") = " << alone << " alone, " << y[i];
        EXPECT_TRUE(same(in_place[i], alone)) << "f(" << x[i] << ") in place " << in_place[i];
        EXPECT_TRUE(same(g[i], alone_grad))
            << dy[i] << " f'(" << x[i] << ") = " << alone_grad << " alone, " << g[i];
      }
    }
  });
}

TEST(Threads, ResultsDoNotDependOnTheThreadCount) {
  const Activation gelu = Activation::parse("gelu");
  std::vector<float> x(1 << 20);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i) * 1e-5f - 5.0f;
  std::vector<float> one(x.size()), many(x.size());
  set_num_threads(1);
  EXPECT_EQ(num_threads(), 1);
  gelu.forward(x, one);
  set_num_threads(3);
  EXPECT_EQ(num_threads(), 3);
  gelu.forward(x, many);
  EXPECT_EQ(one, many);
  set_num_threads(0);
  EXPECT_GE(num_threads(), 1);
  EXPECT_THROW(set_num_threads(-1), Error);
}

}  // namespace
}  // namespace sigma
