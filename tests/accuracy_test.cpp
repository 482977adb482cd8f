// Accuracy of every catalog function against the independent MPFR oracle, in ulp: float32 within
// 2 ulp (f) and 4 ulp (f'), and float64 within the bound each function states in the table below.
// Prints the worst case per function.
#include "accuracy.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <sigma/sigma.hpp>
#include <string>
#include <vector>

#include "float_sweep.hpp"  // the bounds: kFloatValueUlp, kFloatDerivativeUlp, kDoubleUlp
#include "mpfr_oracle.hpp"
#include "targets.hpp"

namespace sigma::test {
namespace {

std::vector<std::string> specs() {
  std::vector<std::string> s;
  for (const FunctionInfo& f : catalog()) s.emplace_back(f.name);
  // Non-default parameters, so that parameter handling is measured too.
  for (const char* extra :
       {"leaky_relu:alpha=0.2", "elu:alpha=0.5", "celu:alpha=2", "softplus:beta=2",
        "swish:beta=1.5", "gelu:approximate=tanh", "hardtanh:min_val=-2,max_val=3",
        "hardsigmoid:slope=0.2", "softshrink:lambd=1", "hardshrink:lambd=1",
        "threshold:threshold=1,value=-1", "squareplus:b=1", "isru:alpha=2",
        "srelu:tl=-2,al=0.1,tr=2,ar=0.5", "rrelu:lower=0.1,upper=0.3", "isrlu:alpha=3",
        "snake:alpha=0.3"}) {
    s.emplace_back(extra);
  }
  return s;
}

class Accurate : public ::testing::TestWithParam<std::string> {};

// On every compiled SIMD target this CPU runs, since the float kernels differ between them
// (AVX-512 quotients start from a 14-bit reciprocal, the others divide).
TEST_P(Accurate, Float32WithinTwoUlpAndDerivativeWithinFour) {
  const Activation act = Activation::parse(GetParam());
  static const std::vector<float> x = float_inputs(0x1p32 / 6000);
  for_each_target([&](const char* target) {
    const Accuracy a = measure(act, x, 2);
    std::printf("f32 %-34s f %.3f ulp (x = %.9g)  f' %.3f ulp (x = %.9g)  [%s]\n",
                GetParam().c_str(), a.value.ulp, a.value.input, a.derivative.ulp,
                a.derivative.input, target);
    EXPECT_LE(a.value.ulp, kFloatValueUlp) << "worst at x = " << a.value.input;
    EXPECT_LE(a.derivative.ulp, kFloatDerivativeUlp) << "worst at x = " << a.derivative.input;
  });
}

TEST_P(Accurate, Float64WithinTheReferenceBound) {
  const Activation act = Activation::parse(GetParam());
  static const std::vector<double> x = double_inputs(3000);
  const Accuracy a = measure(act, x, 2);
  std::printf("f64 %-34s f %.3f ulp (x = %.17g)  f' %.3f ulp (x = %.17g)\n", GetParam().c_str(),
              a.value.ulp, a.value.input, a.derivative.ulp, a.derivative.input);
  EXPECT_LE(a.value.ulp, kDoubleUlp) << "worst at x = " << a.value.input;
  EXPECT_LE(a.derivative.ulp, kDoubleUlp) << "worst at x = " << a.derivative.input;
}

INSTANTIATE_TEST_SUITE_P(Catalog, Accurate, ::testing::ValuesIn(specs()), [](const auto& info) {
  std::string name = info.param;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
});

TEST(Oracle, KnowsEveryCatalogFunction) {
  for (const FunctionInfo& f : catalog()) EXPECT_TRUE(oracle_knows(f.name)) << f.name;
}

}  // namespace
}  // namespace sigma::test
