// Spec parsing: the accepted forms and a clear error for every malformed one.
#include <gtest/gtest.h>

#include <cmath>
#include <sigma/sigma.hpp>
#include <string>

#include "error_of.hpp"

namespace sigma {
namespace {

TEST(Spec, ParsesParametersAliasesAndRatios) {
  EXPECT_EQ(Activation::parse("leaky_relu:alpha=0.2").param("alpha"), 0.2);
  EXPECT_EQ(Activation::parse("leaky_relu:negative_slope=0.2").param("alpha"), 0.2);
  EXPECT_EQ(Activation::parse(" Leaky-ReLU : alpha = 0.2 ").param("negative_slope"), 0.2);
  EXPECT_EQ(Activation::parse("hardsigmoid:slope=1/5").param("slope"), 0.2);
  EXPECT_EQ(Activation::parse("hardtanh:min_val=-2,max_val=+3").param("max_val"), 3.0);
  EXPECT_EQ(Activation::parse("gelu:approximate=tanh").param("approximate"), 1.0);
  EXPECT_EQ(Activation::parse("swish:beta=2").param("beta"), 2.0);
  EXPECT_EQ(Activation::parse("logistic").name(), "sigmoid");
  EXPECT_EQ(Activation::parse("hard_silu").name(), "hardswish");
}

TEST(Spec, CanonicalFormListsOnlyNonDefaults) {
  EXPECT_EQ(Activation::parse("leaky_relu").spec(), "leaky_relu");
  EXPECT_EQ(Activation::parse("leaky_relu:alpha=0.01").spec(), "leaky_relu");
  EXPECT_EQ(Activation::parse("leaky_relu:negative_slope=0.3").spec(), "leaky_relu:alpha=0.3");
  EXPECT_EQ(Activation::parse("hardtanh:max_val=2,min_val=-3").spec(),
            "hardtanh:min_val=-3,max_val=2");
  EXPECT_EQ(Activation::parse("GELU:approximate=TANH").spec(), "gelu:approximate=tanh");
}

// -0.0 is not the default 0.0: threshold's replacement value -0 gives f(x) = -0 below the
// threshold, so the canonical spec must keep it and read back to it.
TEST(Spec, CanonicalFormKeepsNegativeZero) {
  const Activation act = Activation::parse("threshold:value=-0.0");
  EXPECT_EQ(act.spec(), "threshold:value=-0");
  const Activation again = Activation::parse(act.spec());
  EXPECT_TRUE(std::signbit(again.param("value")));
  const std::vector<double> x = {-1};
  std::vector<double> out(1);
  again.forward(x, out);
  EXPECT_TRUE(std::signbit(out[0]) && out[0] == 0) << out[0];
  EXPECT_EQ(Activation::parse("threshold:value=0").spec(), "threshold");
}

std::string error_of(const std::string& spec) {
  return ::sigma::error_of([&] { Activation::parse(spec); });
}

TEST(Spec, ErrorsNameTheProblem) {
  const std::pair<const char*, const char*> cases[] = {
      {"sigmod", "unknown activation 'sigmod'; did you mean 'sigmoid'?"},
      {"leaky", "did you mean 'leaky_relu'"},
      {"", "empty activation name"},
      {":alpha=1", "empty activation name"},
      {"relu:", "no parameters after ':'"},
      {"relu:alpha=1", "relu has no parameter 'alpha' (relu takes no parameters)"},
      {"leaky_relu:alpah=1", "did you mean 'alpha'?"},
      {"leaky_relu:alpha", "expected KEY=VALUE"},
      {"leaky_relu:alpha=", "leaky_relu:alpha has no value"},
      {"leaky_relu:alpha=abc", "cannot parse 'abc' as a number"},
      {"leaky_relu:alpha=1x", "cannot parse '1x'"},
      {"leaky_relu:alpha=nan", "leaky_relu:alpha must be finite, got nan"},
      {"leaky_relu:alpha=inf", "must be finite"},
      {"leaky_relu:alpha=1,alpha=2", "leaky_relu:alpha is given twice"},
      {"leaky_relu:alpha=1,negative_slope=2", "is given twice"},
      {"celu:alpha=0", "celu:alpha must not be 0"},
      {"softplus:beta=0", "softplus:beta must be > 0"},
      {"softplus:beta=-1", "must be > 0"},
      {"squareplus:b=0", "must be > 0"},
      {"softshrink:lambd=-1", "softshrink:lambd must be >= 0"},
      {"hardtanh:min_val=1,max_val=1", "hardtanh needs min_val < max_val"},
      {"hardtanh:min_val=2", "hardtanh needs min_val < max_val"},
      {"rrelu:lower=0.5,upper=0.1", "rrelu needs lower <= upper"},
      {"srelu:tl=2,tr=1", "srelu needs tl <= tr"},
      {"gelu:approximate=tan", "gelu:approximate must be one of none, tanh, got 'tan'"},
      {"hardsigmoid:slope=1/0", "cannot parse '1/0'"},
  };
  for (const auto& [spec, message] : cases) {
    const std::string what = error_of(spec);
    EXPECT_NE(what.find(message), std::string::npos)
        << "spec '" << spec << "' gave: " << what << "\nexpected to contain: " << message;
    EXPECT_EQ(what.find('\n'), std::string::npos) << "one line: " << what;
  }
}

TEST(Spec, UnknownParameterLookupThrows) {
  EXPECT_THROW(Activation::parse("relu").param("alpha"), Error);
}

}  // namespace
}  // namespace sigma
