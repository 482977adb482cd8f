// Accuracy of every catalog function against the independent MPFR oracle, in ulp: float32 within
// 2 ulp (f) and 4 ulp (f'), and float64 within the bound each function states in the table below.
// Prints the worst case per function.
#include "accuracy.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <sigma/sigma.hpp>
#include <string>
#include <vector>

#include "support/float_sweep.hpp"  // the bounds: kFloatValueUlp, kFloatDerivativeUlp, kDoubleUlp
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

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Catalog, Accurate, ::testing::ValuesIn(specs()), test_name);

// Around every root of f and of f' away from 0 (roots_of), where the terms of f or f' cancel:
// +-10^4 ulp in both precisions, and further out in double; for the specs that have one.
class AccurateNearRoots : public ::testing::TestWithParam<std::string> {};

TEST_P(AccurateNearRoots, Float32WithinTwoUlpAndDerivativeWithinFour) {
  const Activation act = Activation::parse(GetParam());
  const std::vector<float> x = float_root_windows(act);
  for_each_target([&](const char* target) {
    const Accuracy a = measure(act, x, 2);
    std::printf("f32 roots %-28s f %.3f ulp (x = %.9g)  f' %.3f ulp (x = %.9g)  [%s]\n",
                GetParam().c_str(), a.value.ulp, a.value.input, a.derivative.ulp,
                a.derivative.input, target);
    EXPECT_LE(a.value.ulp, kFloatValueUlp) << "worst at x = " << a.value.input;
    EXPECT_LE(a.derivative.ulp, kFloatDerivativeUlp) << "worst at x = " << a.derivative.input;
  });
}

TEST_P(AccurateNearRoots, Float64WithinTheReferenceBound) {
  const Activation act = Activation::parse(GetParam());
  const std::vector<double> x = double_root_windows(act);
  const Accuracy a = measure(act, x, 2);
  std::printf("f64 roots %-28s f %.3f ulp (x = %.17g)  f' %.3f ulp (x = %.17g)\n",
              GetParam().c_str(), a.value.ulp, a.value.input, a.derivative.ulp, a.derivative.input);
  EXPECT_LE(a.value.ulp, kDoubleUlp) << "worst at x = " << a.value.input;
  EXPECT_LE(a.derivative.ulp, kDoubleUlp) << "worst at x = " << a.derivative.input;
}

// The scalar reference (Activation::reference_derivative) at the same float64 inputs: it is the
// oracle of `sigma accuracy` and public, so it must meet the bound there too.
TEST_P(AccurateNearRoots, ReferenceDerivativeWithinTheFloat64Bound) {
  const Activation act = Activation::parse(GetParam());
  WorstCase worst;
  for (double x : double_root_windows(act)) {
    Exact exact{};
    oracle(act.name(), act.params(), x, true, &exact);
    worst.add(ulp_error(act.reference_derivative(x), exact, 53), x);
  }
  std::printf("f64 reference roots %-18s f' %.3f ulp (x = %.17g)\n", GetParam().c_str(), worst.ulp,
              worst.input);
  EXPECT_LE(worst.ulp, kDoubleUlp) << "worst at x = " << worst.input;
}

std::vector<std::string> specs_with_roots() {
  std::vector<std::string> s;
  for (const std::string& spec : specs()) {
    if (!roots_of(Activation::parse(spec)).empty()) s.push_back(spec);
  }
  return s;
}

INSTANTIATE_TEST_SUITE_P(Catalog, AccurateNearRoots, ::testing::ValuesIn(specs_with_roots()),
                         test_name);

TEST(Oracle, KnowsEveryCatalogFunction) {
  for (const FunctionInfo& f : catalog()) EXPECT_TRUE(oracle_knows(f.name)) << f.name;
}

}  // namespace
}  // namespace sigma::test
