// Accuracy of every catalog function against the independent MPFR oracle, in ulp: float32 within
// 2 ulp (f) and 4 ulp (f'), and float64 within the bound each function states in the table below.
// Prints the worst case per function.
#include "accuracy.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <sigma/sigma.hpp>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "support/float_sweep.hpp"  // the bounds: kFloatValueUlp, kFloatDerivativeUlp, kDoubleUlp
#include "support/mpfr_oracle.hpp"
#include "targets.hpp"

namespace sigma::test {

using mpfr::Exact;
using mpfr::oracle;
using mpfr::oracle_from_output;
using mpfr::oracle_knows;
using mpfr::ulp_error;
namespace {

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

INSTANTIATE_TEST_SUITE_P(Catalog, Accurate, ::testing::ValuesIn(accuracy_specs()), test_name);

// backward_from_output on float arrays: dy times the catalog's from_output formula at the float
// y = f(x) the forward gave, within f''s bound of the exact product, on every SIMD target (some
// kernels compute it in float lanes, the others in double).
class AccurateFromOutput : public ::testing::TestWithParam<std::string> {};

TEST_P(AccurateFromOutput, Float32WithinTheDerivativeBound) {
  const Activation act = Activation::parse(GetParam());
  static const std::vector<float> x = float_inputs(0x1p32 / 60000);
  std::vector<float> y(x.size()), dx(x.size());
  act.forward(std::span<const float>(x), std::span<float>(y));
  // The MPFR oracle where it has the formula, else the double reference (within a few double
  // ulps: billionths of a float ulp).
  std::vector<Exact> exact(y.size());
  std::vector<bool> known(y.size());
  for (std::size_t i = 0; i < y.size(); ++i) {
    known[i] = std::isfinite(y[i]);
    if (known[i] && !oracle_from_output(act.name(), act.params(), y[i], &exact[i])) {
      exact[i] = {act.info().reference_from_output(y[i], act.params()), 0};
    }
  }
  for_each_target([&](const char* target) {
    WorstCase worst;
    for (const float scale : {1.0f, -2.75f}) {
      const std::vector<float> dy(y.size(), scale);
      act.backward_from_output(std::span<const float>(y), std::span<const float>(dy),
                               std::span<float>(dx));
      for (std::size_t i = 0; i < y.size(); ++i) {
        if (!known[i]) continue;
        const Exact product{exact[i].hi * scale, exact[i].lo * scale};
        worst.add(ulp_error(dx[i], product, 24), y[i]);
      }
    }
    std::printf("f32 from output %-24s %.3f ulp (y = %.9g)  [%s]\n", GetParam().c_str(), worst.ulp,
                worst.input, target);
    EXPECT_LE(worst.ulp, kFloatDerivativeUlp) << "worst at y = " << worst.input;
  });
}

std::vector<std::string> specs_with_from_output() {
  std::vector<std::string> s;
  for (const std::string& spec : accuracy_specs()) {
    if (Activation::parse(spec).has_backward_from_output()) s.push_back(spec);
  }
  return s;
}

INSTANTIATE_TEST_SUITE_P(Catalog, AccurateFromOutput, ::testing::ValuesIn(specs_with_from_output()),
                         test_name);

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
  for (const std::string& spec : accuracy_specs()) {
    if (!roots_of(Activation::parse(spec)).empty()) s.push_back(spec);
  }
  return s;
}

INSTANTIATE_TEST_SUITE_P(Catalog, AccurateNearRoots, ::testing::ValuesIn(specs_with_roots()),
                         test_name);

// The cases an independent audit found beyond 8 ulp in float64 (issue 23): each within the bound
// in both precisions, against the oracle at the doubles given.
struct Reproducer {
  const char* spec;
  double x;
};

// Within sigma's bounds, or within `bound` ulp in both precisions where one is given.
void ExpectWithinBounds(const Reproducer& r, double bound = 0) {
  const Activation act = Activation::parse(r.spec);
  const std::string name(act.name());
  Exact exact{};
  for (bool derivative : {false, true}) {
    const std::vector<double> x64 = {r.x};
    std::vector<double> out64(1);
    const std::vector<float> x32 = {static_cast<float>(r.x)};
    std::vector<float> out32(1);
    if (derivative) {
      act.derivative(x64, out64);
      act.derivative(x32, out32);
    } else {
      act.forward(x64, out64);
      act.forward(x32, out32);
    }
    const char* what = derivative ? "f'" : "f";
    ASSERT_TRUE(oracle(name, act.params(), r.x, derivative, &exact));
    EXPECT_LE(ulp_error(out64[0], exact, 53), bound > 0 ? bound : kDoubleUlp)
        << r.spec << " " << what << " at " << r.x;
    ASSERT_TRUE(oracle(name, act.params(), x32[0], derivative, &exact));
    const double float_bound = derivative ? kFloatDerivativeUlp : kFloatValueUlp;
    EXPECT_LE(ulp_error(out32[0], exact, 24), bound > 0 ? bound : float_bound)
        << r.spec << " " << what << " at " << x32[0] << " (float)";
  }
}

TEST(Reproducers, ScaledExponentArgumentsKeepTheirRoundingError) {
  for (const Reproducer& r :
       {Reproducer{"softplus:beta=3", -195.008}, Reproducer{"softplus:beta=3", -10.1},
        Reproducer{"celu:alpha=3", -1536.71}}) {
    ExpectWithinBounds(r);
  }
}

// (x + 3)/6 at the defaults, correctly rounded (up to 2^-29 ulp more in float, rounded twice)
// near the kink -3 and elsewhere; other lines likewise near theirs.
TEST(Reproducers, HardsigmoidIsItsLineNearTheKinks) {
  for (const Reproducer& r :
       {Reproducer{"hardsigmoid", -2.99}, Reproducer{"hardsigmoid", -3 + 0x1p-51},
        Reproducer{"hardsigmoid:slope=0.3,offset=0.4", -1.3333333333333333},
        Reproducer{"hardsigmoid:slope=0.3,offset=0.4", -1.3333333333333330},
        Reproducer{"hardsigmoid:slope=0.2", -2.5 + 0x1p-50},
        Reproducer{"hardsigmoid:slope=0.3,offset=0.4", 1.5}}) {
    ExpectWithinBounds(r, 0.501);
  }
  // The default is PyTorch's (x + 3)/6 exactly: c = 3 and w = 6.
  const Activation hardsigmoid = Activation::parse("hardsigmoid");
  const std::vector<double> x = {-3, -3 + 0x1p-51, 3, 0};
  std::vector<double> y(x.size());
  hardsigmoid.forward(x, y);
  EXPECT_EQ(y, (std::vector<double>{0, 0x1p-51 / 6, 1, 0.5}));
}

// backward_from_output evaluates the catalog's from_output formula at the y given within 2 ulp,
// down to saturation, where y + lambda alpha (or y + alpha) cancels.
TEST(FromOutput, EluFamilyKeepsItsAccuracyToSaturation) {
  for (const char* spec :
       {"elu", "elu:alpha=0.7", "selu", "celu", "celu:alpha=3", "celu:alpha=0.7"}) {
    const Activation act = Activation::parse(spec);
    const std::string name(act.name());
    std::vector<double> y;
    const double saturation = act.info().range_min * (name == "selu" ? 1 : act.param("alpha"));
    for (double x = -40; x < 3; x += 0.0137) {
      std::vector<double> one(1);
      act.forward(std::vector<double>{x}, one);
      y.push_back(one[0]);
    }
    for (int k = 1; k <= 64; ++k) y.push_back(saturation + k * 0x1p-52);
    const std::vector<double> dy(y.size(), 1.0);
    std::vector<double> dx(y.size());
    act.backward_from_output(y, dy, dx);
    double worst = 0, at = 0;
    for (std::size_t i = 0; i < y.size(); ++i) {
      Exact exact{};
      ASSERT_TRUE(oracle_from_output(name, act.params(), y[i], &exact)) << spec;
      const double error = ulp_error(dx[i], exact, 53);
      if (error > worst) {
        worst = error;
        at = y[i];
      }
    }
    std::printf("from output %-16s %.3f ulp (y = %.17g)\n", spec, worst, at);
    EXPECT_LE(worst, 2) << spec << " at y = " << at;
  }
}

// The accuracy test's specs whose catalog entry gives the series `which`.
std::vector<Activation> specs_with(SeriesFn FunctionInfo::*which) {
  std::vector<Activation> found;
  for (const std::string& spec : accuracy_specs()) {
    Activation act = Activation::parse(spec);
    if (act.info().*which != nullptr) found.push_back(std::move(act));
  }
  return found;
}

// Every series the catalog gives (FunctionInfo::series), against the oracle at the parameters the
// accuracy test uses: f(0) to double's rounding, and f(x) - f(0) to its order, within 2^6 |x|^5,
// at |x| = 2^-12 ... 2^-20 on both sides (a c4 off by 1/192 misses by 4x at 2^-16). The
// differences are formed where they are exact or nearly: hi - hi0 by Sterbenz, in long double.
TEST(Series, EveryCatalogSeriesAgreesWithTheOracleToItsOrder) {
  int checked = 0;
  for (const Activation& act : specs_with(&FunctionInfo::series)) {
    const std::string spec = act.spec(), name(act.info().name);
    Exact at_zero{};
    ASSERT_TRUE(oracle(name, act.params(), 0, false, &at_zero));
    for (const double side : {-1.0, 1.0}) {
      const std::array<double, 5> c = act.info().series(side, act.params());
      EXPECT_LE(std::fabs(c[0] - at_zero.hi), 0x1p-52 * std::fabs(at_zero.hi)) << spec;
      for (const int e : {12, 16, 20}) {
        const double x = std::ldexp(side, -e);
        Exact value{};
        ASSERT_TRUE(oracle(name, act.params(), x, false, &value));
        const long double exact = static_cast<long double>(value.hi - at_zero.hi) +
                                  (static_cast<long double>(value.lo) - at_zero.lo);
        long double series = 0;
        for (std::size_t k = c.size() - 1; k >= 1; --k) series = (series + c[k]) * x;
        const long double bound = 0x1p6L * std::pow(static_cast<long double>(std::fabs(x)), 5);
        EXPECT_LE(std::fabs(series - exact), bound) << spec << " at x = " << x;
        ++checked;
      }
    }
  }
  EXPECT_GE(checked, 6 * 13);  // the 13 functions with a series, at least once each
}

// The same for the series at infinity (FunctionInfo::series_at_infinity): f(x) - c0 x - c1 within
// 2^6 |x|^-4 at |x| = 2^8, 2^10, 2^12 (a c4 off by 1/16 misses by 4x at 2^12); hi - c0 x is exact
// (Sterbenz), the rest in long double.
TEST(Series, EveryCatalogSeriesAtInfinityAgreesWithTheOracleToItsOrder) {
  int checked = 0;
  for (const Activation& act : specs_with(&FunctionInfo::series_at_infinity)) {
    const std::string spec = act.spec(), name(act.info().name);
    for (const double side : {-1.0, 1.0}) {
      const std::array<double, 5> c = act.info().series_at_infinity(side, act.params());
      for (const int e : {8, 10, 12}) {
        const double x = std::ldexp(side, e);
        Exact value{};
        ASSERT_TRUE(oracle(name, act.params(), x, false, &value));
        const long double exact = static_cast<long double>(value.hi - c[0] * x) + value.lo -
                                  static_cast<long double>(c[1]);
        const long double u = 1 / static_cast<long double>(x);
        const long double series = u * (c[2] + u * (c[3] + u * c[4]));
        EXPECT_LE(std::fabs(series - exact), 0x1p6L * u * u * u * u) << spec << " at x = " << x;
        ++checked;
      }
    }
  }
  EXPECT_GE(checked, 6);  // bent_identity
}

TEST(Oracle, KnowsEveryCatalogFunction) {
  for (const FunctionInfo& f : catalog()) EXPECT_TRUE(oracle_knows(f.name)) << f.name;
}

}  // namespace
}  // namespace sigma::test
