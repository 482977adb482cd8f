// Catalog-driven tests: one body per property, run over every catalog entry. A new activation is
// picked up without edits here.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <set>
#include <sigma/sigma.hpp>
#include <string>
#include <vector>

#include "support/float_sweep.hpp"
#include "targets.hpp"

namespace sigma {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<std::string> all_names() {
  std::vector<std::string> names;
  for (const FunctionInfo& f : catalog()) names.emplace_back(f.name);
  return names;
}

// Read during this file's dynamic initialisation, which may run before the library's: the catalog
// must be constant-initialised for a user's global Activation (or a benchmark's registration
// loop) to see it.
const std::vector<std::string> kNamesAtStaticInit = all_names();
const double kGeluAtStaticInit = [] {
  try {
    return Activation::parse("gelu:approximate=tanh").reference(1.0);
  } catch (const Error&) {  // the catalog looked empty
    return kNaN;
  }
}();

// Dense grid over [-20, 20] plus values at the ends of the double range.
std::vector<double> grid() {
  std::vector<double> x;
  for (int i = -200000; i <= 200000; ++i) x.push_back(i * 1e-4);
  for (double e = 1; e <= 300; e += 1) {
    x.push_back(std::pow(10.0, e));
    x.push_back(-std::pow(10.0, e));
  }
  x.push_back(std::numeric_limits<double>::max());
  x.push_back(-std::numeric_limits<double>::max());
  std::sort(x.begin(), x.end());
  return x;
}

class EveryFunction : public ::testing::TestWithParam<std::string> {
 public:
  Activation act = Activation::parse(GetParam());
  const FunctionInfo& info = act.info();
  double f(double x) const { return act.reference(x); }
  double df(double x) const { return act.reference_derivative(x); }
};

TEST_P(EveryFunction, MetadataIsComplete) {
  EXPECT_FALSE(info.summary.empty());
  EXPECT_FALSE(info.formula.empty());
  EXPECT_FALSE(info.derivative.empty());
  EXPECT_FALSE(info.range.empty());
  EXPECT_LE(info.range_min, info.range_max);
  EXPECT_NE(info.reference, nullptr);
  EXPECT_NE(info.reference_derivative, nullptr);
  EXPECT_EQ(info.from_output.empty(), info.reference_from_output == nullptr)
      << "from_output text and reference_from_output must come together";
  if (info.properties.smooth) {
    EXPECT_TRUE(info.properties.continuous);
  }
  EXPECT_EQ(info.properties.bounded_below, std::isfinite(info.range_min));
  EXPECT_EQ(info.properties.bounded_above, std::isfinite(info.range_max));
  EXPECT_LE(info.params.size(), kMaxParams);
  for (const ParamInfo& p : info.params) {
    EXPECT_FALSE(p.description.empty()) << p.name;
    EXPECT_EQ(p.domain == Domain::kChoice, !p.choices.empty()) << p.name;
  }
}

TEST_P(EveryFunction, FoundByNameAndAliasesAndSpecRoundTrips) {
  EXPECT_EQ(find_function(info.name), &info);
  for (std::string_view alias : info.aliases) EXPECT_EQ(find_function(alias), &info) << alias;
  EXPECT_EQ(Activation::parse(act.spec()).params(), act.params());
  std::string upper(info.name);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(&Activation::parse(upper).info(), &info);
}

TEST_P(EveryFunction, OutputsStayInTheDeclaredRange) {
  double lowest = kInf, highest = -kInf;
  for (double x : grid()) {
    const double y = f(x);
    ASSERT_FALSE(std::isnan(y)) << "f(" << x << ") is NaN";
    ASSERT_GE(y, info.range_min) << "x = " << x;
    ASSERT_LE(y, info.range_max) << "x = " << x;
    lowest = std::min(lowest, y);
    highest = std::max(highest, y);
  }
  // The declared bounds are tight, not merely true.
  if (info.properties.bounded_below) {
    EXPECT_NEAR(lowest, info.range_min, 1e-6);
  }
  if (info.properties.bounded_above) {
    EXPECT_NEAR(highest, info.range_max, 1e-6);
  }
}

TEST_P(EveryFunction, MonotonicExactlyWhenDeclared) {
  const std::vector<double> x = grid();
  bool decreases = false;
  double where = 0;
  for (std::size_t i = 1; i < x.size() && !decreases; ++i) {
    if (f(x[i]) < f(x[i - 1])) {
      decreases = true;
      where = x[i];
    }
  }
  EXPECT_EQ(decreases, !info.properties.monotonic) << "first decrease at x = " << where;
}

TEST_P(EveryFunction, OddExactlyWhenDeclaredZeroCentred) {
  bool odd = true;
  for (double x : grid()) odd = odd && f(-x) == -f(x);
  EXPECT_EQ(odd, info.properties.zero_centred);
  if (info.properties.zero_centred) {
    EXPECT_TRUE(std::signbit(f(-0.0))) << "an odd function keeps the sign of zero";
    EXPECT_FALSE(std::signbit(f(0.0)));
    std::vector<float> zeros = {-0.0f, 0.0f}, y(2);
    std::vector<double> zeros_d = {-0.0, 0.0}, y_d(2);
    act.forward(zeros, y);
    act.forward(zeros_d, y_d);
    EXPECT_TRUE(std::signbit(y[0]) && !std::signbit(y[1])) << "float kernel";
    EXPECT_TRUE(std::signbit(y_d[0]) && !std::signbit(y_d[1])) << "double kernel";
  }
}

// Where the reference maps -0 or +0 to a zero, the float and double kernels give that zero with
// its sign (PyTorch's too: silu(-0) = -0, relu(-0) = +0, leaky_relu(+0) = -0 for a slope below
// 0), on every target, in a vector's full lanes and in a partial one.
void expect_reference_zeros(const Activation& act) {
  for_each_target([&] {
    std::vector<float> x(37), y(37);
    std::vector<double> x_d(37), y_d(37);
    for (std::size_t i = 0; i < x.size(); ++i) {
      x[i] = i % 2 ? 0.0f : -0.0f;
      x_d[i] = x[i];
    }
    act.forward(x, y);
    act.forward(x_d, y_d);
    for (const std::size_t i : {0, 1, 35, 36}) {  // full vectors' lanes, then the partial one's
      const double exact = act.reference(x_d[i]);
      if (exact != 0) continue;
      EXPECT_TRUE(y[i] == 0 && std::signbit(y[i]) == std::signbit(exact))
          << act.spec() << " float f(" << x_d[i] << ") = " << y[i] << ", reference " << exact;
      EXPECT_TRUE(y_d[i] == 0 && std::signbit(y_d[i]) == std::signbit(exact))
          << act.spec() << " double f(" << x_d[i] << ") = " << y_d[i] << ", reference " << exact;
    }
  });
}

TEST_P(EveryFunction, KernelsGiveTheReferenceSignedZeros) { expect_reference_zeros(act); }

// A lane's result depends on its own input alone: a NaN, an infinity or a huge value beside it
// (which sends its vector off the kernels' fast paths, tables and tails) changes no bit of it, in
// f, f' and the backward, float and double, on every target. Each input fills a group of 16 (a
// whole vector of floats on AVX-512, two on AVX2), then the group's odd lanes get a neighbour.
template <class T, class Bits>
void expect_lanes_independent(const Activation& act) {
  constexpr std::size_t kGroup = 16;
  std::vector<T> inputs;
  for (const double scale : {1.0, 8.0, 40.0, 120.0}) {
    for (int i = 0; i < 200; ++i) inputs.push_back(static_cast<T>(scale * std::sin(i * 12.9898)));
  }
  for (const double x : {-1e30, -88.5, -87.5, -8.0, -1e-30, 0.0, 1e-30, 8.0, 87.5, 88.5, 1e30}) {
    inputs.push_back(static_cast<T>(x));
  }
  const T neighbours[] = {
      static_cast<T>(kInf), static_cast<T>(-kInf), static_cast<T>(kNaN), T(200), T(-1e35), T(0.5)};
  std::vector<T> base(inputs.size() * kGroup);
  for (std::size_t i = 0; i < base.size(); ++i) base[i] = inputs[i / kGroup];
  const std::vector<T> dy(base.size(), T(1.5));
  const char* kOps[] = {"f", "f'", "backward"};
  for_each_target([&] {
    for (int op = 0; op < 3; ++op) {
      const auto run = [&](const std::vector<T>& x) {
        std::vector<T> y(x.size());
        if (op == 0) act.forward(x, y);
        if (op == 1) act.derivative(x, y);
        if (op == 2) act.backward(x, dy, y);
        return y;
      };
      const std::vector<T> alone = run(base);
      for (const T neighbour : neighbours) {
        std::vector<T> mixed = base;
        for (std::size_t i = 1; i < mixed.size(); i += 2) mixed[i] = neighbour;
        const std::vector<T> beside = run(mixed);
        int differing = 0;
        for (std::size_t i = 0; i < base.size(); i += kGroup) {
          if (std::bit_cast<Bits>(beside[i]) == std::bit_cast<Bits>(alone[i])) continue;
          if (++differing <= 3) {
            ADD_FAILURE() << act.spec() << " " << kOps[op] << " (" << sizeof(T) * 8 << "-bit) at "
                          << base[i] << ": " << alone[i] << " alone, " << beside[i] << " beside "
                          << neighbour;
          }
        }
        EXPECT_EQ(differing, 0) << act.spec() << " " << kOps[op] << " beside " << neighbour;
      }
    }
  });
}

TEST_P(EveryFunction, ALaneDoesNotDependOnItsNeighbours) {
  expect_lanes_independent<float, std::uint32_t>(act);
  expect_lanes_independent<double, std::uint64_t>(act);
}

TEST(Catalog, IsReadableDuringStaticInitialisation) {
  EXPECT_EQ(kNamesAtStaticInit, all_names());
  EXPECT_EQ(kGeluAtStaticInit, Activation::parse("gelu:approximate=tanh").reference(1.0));
}

TEST(Catalog, KernelsGiveTheReferenceSignedZerosForOtherParameters) {
  for (const char* spec :
       {"leaky_relu:alpha=0.3", "leaky_relu:alpha=-0.3", "prelu:alpha=-2", "elu:alpha=0.5",
        "celu:alpha=2", "swish:beta=1.5", "softplus:beta=2", "hardtanh:min_val=-2,max_val=3",
        "gelu:approximate=tanh", "threshold:threshold=-1e-50,value=1",
        "threshold:threshold=0.1,value=-0.0", "softshrink:lambd=0", "softshrink:lambd=0.25",
        "hardshrink:lambd=0.1"}) {
    expect_reference_zeros(Activation::parse(spec));
  }
}

// Central differences with Richardson extrapolation, compared where f' is locally smooth (so
// kinks, where the convention decides, are skipped).
TEST_P(EveryFunction, DerivativeMatchesFiniteDifferences) {
  int compared = 0;
  for (double x = -12.3456; x < 12.5; x += 0.01237) {
    const double h = 1e-3 * std::max(1.0, std::fabs(x));
    const double d1 = (f(x + h) - f(x - h)) / (2 * h);
    const double d2 = (f(x + h / 2) - f(x - h / 2)) / h;
    const double fd = (4 * d2 - d1) / 3;
    const double nearby[] = {df(x - 2 * h), df(x - h), df(x + h), df(x + 2 * h)};
    const double scale = std::max({1.0, std::fabs(df(x)), std::fabs(f(x))});
    // Two step sizes disagree when the stencil straddles a kink or a jump.
    const bool smooth = std::fabs(d1 - d2) < 1e-5 * scale &&
                        std::all_of(std::begin(nearby), std::end(nearby),
                                    [&](double d) { return std::fabs(d - df(x)) < 0.05 * scale; });
    if (!smooth) continue;
    ++compared;
    EXPECT_NEAR(df(x), fd, 1e-7 * scale) << "x = " << x;
  }
  EXPECT_GT(compared, 1500);
}

TEST_P(EveryFunction, BackwardFromOutputAgreesWithDerivative) {
  if (!act.has_backward_from_output()) {
    std::vector<float> y(4), dy(4), dx(4);
    EXPECT_THROW(act.backward_from_output(std::span<const float>(y), dy, dx), Error);
    return;
  }
  for (double x = -4.5; x < 4.5; x += 0.01237) {
    const double from_y = info.reference_from_output(f(x), act.params());
    EXPECT_NEAR(from_y, df(x), 1e-9 * std::max(1.0, std::fabs(df(x)))) << "x = " << x;
  }
}

TEST_P(EveryFunction, InfinityGivesTheLimit) {
  for (double sign : {1.0, -1.0}) {
    const double inf = sign * kInf;
    if (info.properties.periodic) {
      EXPECT_TRUE(std::isnan(f(inf)));
      continue;
    }
    // The value far out predicts the limit: huge means +-inf, anything else is approached.
    for (auto [g, what] :
         {std::pair{&EveryFunction::f, "f"}, std::pair{&EveryFunction::df, "f'"}}) {
      const double far = (this->*g)(sign * 1e300);
      const double at_inf = (this->*g)(inf);
      if (std::isnan(at_inf)) {
        // Only where there is no limit: far out the values still spread over a finite interval
        // (snake's f' = 1 + sin(2 alpha x)).
        double lowest = kInf, highest = -kInf;
        for (int k = 0; k < 64; ++k) {
          const double v = (this->*g)(sign * 1e300 * (1 + k / 64.0));
          lowest = std::min(lowest, v);
          highest = std::max(highest, v);
        }
        EXPECT_TRUE(std::isfinite(highest - lowest) && highest - lowest > 0.1)
            << what << "(" << inf << ") is NaN, but " << what << " seems to have a limit";
        continue;
      }
      if (std::fabs(far) > 1e250) {
        EXPECT_EQ(at_inf, std::copysign(kInf, far)) << what << "(" << inf << ")";
      } else {
        EXPECT_NEAR(at_inf, far, 1e-12) << what << "(" << inf << ")";
      }
    }
  }
}

TEST_P(EveryFunction, NaNPropagatesThroughEveryArrayPath) {
  const std::vector<float> x = {0.5f, std::nanf(""), -1.0f};
  const std::vector<float> dy = {1.0f, 1.0f, 1.0f};
  std::vector<float> out(3);
  act.forward(x, out);
  EXPECT_TRUE(std::isnan(out[1]));
  act.derivative(x, out);
  EXPECT_TRUE(std::isnan(out[1]));
  act.backward(x, dy, out);
  EXPECT_TRUE(std::isnan(out[1]));
  if (act.has_backward_from_output()) {
    act.backward_from_output(x, dy, out);
    EXPECT_TRUE(std::isnan(out[1]));
  }
  const std::vector<double> xd = {kNaN};
  std::vector<double> outd(1);
  act.forward(xd, outd);
  EXPECT_TRUE(std::isnan(outd[0]));
  EXPECT_TRUE(std::isnan(act.reference(kNaN)));
  EXPECT_TRUE(std::isnan(act.reference_derivative(kNaN)));
}

// The vector kernels against the scalar reference, at every length (full vectors and tails),
// in place, and with every op. Double kernels are allowed a few ulp, or (near the roots of f',
// where relative error is meaningless) a tiny absolute error.
TEST_P(EveryFunction, KernelsAgreeWithTheReferenceAtAnyLengthAndInPlace) {
  for (std::size_t n : {0, 1, 3, 7, 8, 9, 17, 33, 1000}) {
    std::vector<double> x(n), y(n), d(n), g(n), dy(n);
    for (std::size_t i = 0; i < n; ++i) {
      x[i] = -6 + 12.0 * static_cast<double>(i) / static_cast<double>(std::max<std::size_t>(n, 1));
      dy[i] = 0.5 + static_cast<double>(i % 3);
    }
    act.forward(x, y);
    act.derivative(x, d);
    act.backward(x, dy, g);
    const auto near = [](double computed, double exact) {
      return UlpError(computed, exact) <= 64 || std::fabs(computed - exact) <= 1e-15;
    };
    for (std::size_t i = 0; i < n; ++i) {
      ASSERT_PRED2(near, y[i], f(x[i])) << "x = " << x[i];
      ASSERT_PRED2(near, d[i], df(x[i])) << "x = " << x[i];
      ASSERT_PRED2(near, g[i], dy[i] * df(x[i])) << "x = " << x[i];
    }
    if (act.has_backward_from_output()) {
      act.backward_from_output(y, dy, g);
      for (std::size_t i = 0; i < n; ++i) {
        ASSERT_PRED2(near, g[i], dy[i] * info.reference_from_output(y[i], act.params()))
            << "y = " << y[i];
      }
    }
    std::vector<double> in_place = x;
    act.forward(in_place, in_place);
    EXPECT_EQ(in_place, y);
  }
}

// Float kernels are within the bounds of the double reference (2 ulp for f, 4 for f')
// over a sweep of float bit patterns, special values included.
TEST_P(EveryFunction, FloatKernelsWithinTwoUlpAndFourForTheDerivative) {
  std::vector<float> x;
  for (std::uint32_t bits = 0; bits < 0xFFFFFFFFu - 40009u; bits += 40009u) {
    x.push_back(std::bit_cast<float>(bits));
  }
  for (float v : {0.0f, -0.0f, 1e-45f, -1e-45f, 1.0f, -1.0f, 3.0f, -3.0f, 6.0f, 88.7f, -88.7f,
                  -103.9f, 3.4e38f, -3.4e38f}) {
    x.push_back(v);
  }
  x.push_back(std::numeric_limits<float>::infinity());
  x.push_back(-std::numeric_limits<float>::infinity());
  std::vector<float> y(x.size()), d(x.size()), g(x.size());
  act.forward(x, y);
  act.derivative(x, d);
  double worst_f = 0, worst_d = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (std::isnan(x[i])) {
      ASSERT_TRUE(std::isnan(y[i]) && std::isnan(d[i]));
      continue;
    }
    const double ef = UlpError(y[i], f(x[i])), ed = UlpError(d[i], df(x[i]));
    ASSERT_LE(ef, 2) << "f(" << x[i] << ") = " << y[i] << ", reference " << f(x[i]);
    ASSERT_LE(ed, 4) << "f'(" << x[i] << ") = " << d[i] << ", reference " << df(x[i]);
    worst_f = std::max(worst_f, ef);
    worst_d = std::max(worst_d, ed);
  }
  RecordProperty("worst_f_ulp", std::to_string(worst_f));
  RecordProperty("worst_grad_ulp", std::to_string(worst_d));
}

INSTANTIATE_TEST_SUITE_P(Catalog, EveryFunction, ::testing::ValuesIn(all_names()),
                         [](const auto& info) { return info.param; });

// The number that follows `key` in a catalog text, as written there.
double number_after(std::string_view text, std::string_view key) {
  const std::size_t at = text.find(key);
  if (at == std::string_view::npos) return kNaN;
  return std::strtod(std::string(text.substr(at + key.size())).c_str(), nullptr);
}

// The constants the catalog's formulas print are the ones the references and kernels compute with.
TEST(Catalog, FormulasPrintTheConstantsTheFunctionsUse) {
  const Activation selu = Activation::parse("selu");
  const double alpha = number_after(selu.info().formula, "alpha = ");
  const double lambda = number_after(selu.info().formula, "lambda = ");
  EXPECT_EQ(selu.reference(1.0), lambda);
  EXPECT_DOUBLE_EQ(selu.reference(-kInf), -(lambda * alpha));  // the product is of the exact ones
  EXPECT_DOUBLE_EQ(selu.info().range_min, -(lambda * alpha));

  const Activation lecun = Activation::parse("lecun_tanh");
  const double scale = number_after(lecun.info().formula, "");
  EXPECT_EQ(lecun.reference(kInf), scale);
  EXPECT_EQ(lecun.info().range_max, scale);
  EXPECT_DOUBLE_EQ(lecun.reference_derivative(0.0), scale * 2 / 3);

  // At x = 1 the tanh form is 1/2 (1 + tanh(sqrt(2/pi) (1 + k))): k moves it by 0.1 per unit.
  const Activation gelu = Activation::parse("gelu:approximate=tanh");
  const long double k = number_after(gelu.info().formula, "(x + ");
  const long double u = std::sqrt(2 / std::acos(-1.0L)) * (1 + k);
  const double expected = static_cast<double>((1 + std::tanh(u)) / 2);
  EXPECT_NEAR(gelu.reference(1.0), expected, 4 * std::numeric_limits<double>::epsilon());
}

TEST(Catalog, NamesAndAliasesAreUniqueAndSnakeCase) {
  std::set<std::string_view> seen;
  for (const FunctionInfo& f : catalog()) {
    EXPECT_TRUE(seen.insert(f.name).second) << f.name;
    for (std::string_view a : f.aliases) EXPECT_TRUE(seen.insert(a).second) << a;
    for (char c : f.name) EXPECT_TRUE(std::islower(c) || std::isdigit(c) || c == '_') << f.name;
  }
  EXPECT_GE(catalog().size(), 40u);
}

TEST(Catalog, HasEveryFunctionTheTutorialsAndFrameworksName) {
  for (const char* name : {"identity",      "linear",
                           "step",          "heaviside",
                           "binary_step",   "sign",
                           "signum",        "sigmoid",
                           "logistic",      "tanh",
                           "relu",          "leaky_relu",
                           "prelu",         "elu",
                           "softplus",      "silu",
                           "swish",         "gelu",
                           "mish",          "relu6",
                           "selu",          "celu",
                           "hardtanh",      "hardsigmoid",
                           "hardswish",     "hard_silu",
                           "logsigmoid",    "tanhshrink",
                           "softshrink",    "hardshrink",
                           "threshold",     "softsign",
                           "rrelu",         "exponential",
                           "squareplus",    "arctan",
                           "bent_identity", "symmetrical_sigmoid",
                           "lecun_tanh",    "loglog",
                           "gaussian",      "absolute",
                           "sinusoid",      "cos",
                           "sinc",          "srelu",
                           "isru"}) {
    EXPECT_NE(find_function(name), nullptr) << name;
  }
}

}  // namespace
}  // namespace sigma
