// The report's gradient facts: where |f'| peaks, as points, limits or bands (tools/report_guide).
#include "report_guide.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

namespace sigma::cli {
namespace {

constexpr double kPi = std::numbers::pi;

std::vector<PeakPlace> Peaks(const char* spec) {
  return AnalyseGradient(Activation::parse(spec)).peaks;
}

void ExpectPoints(const char* spec, const std::vector<double>& expected) {
  SCOPED_TRACE(spec);
  const std::vector<PeakPlace> peaks = Peaks(spec);
  ASSERT_EQ(peaks.size(), expected.size());
  for (std::size_t i = 0; i < peaks.size(); ++i) {
    EXPECT_FALSE(peaks[i].is_band());
    EXPECT_EQ(peaks[i].from, peaks[i].to);
    if (std::isinf(expected[i])) {
      EXPECT_EQ(peaks[i].from, expected[i]);
    } else {
      EXPECT_NEAR(peaks[i].from, expected[i], 1e-6);
    }
  }
}

void ExpectBand(const PeakPlace& band, double from, bool from_included, double to,
                bool to_included) {
  EXPECT_TRUE(band.is_band());
  EXPECT_EQ(band.from, from);
  EXPECT_EQ(band.to, to);
  if (std::isfinite(from)) {
    EXPECT_EQ(band.from_included, from_included);
  }
  if (std::isfinite(to)) {
    EXPECT_EQ(band.to_included, to_included);
  }
}

TEST(GradientPeaks, SymmetricPeaksAreTwoPointsNotTheIntervalBetween) {
  // gaussian' = -2x exp(-x^2) is 0 at 0 and largest at +-1/sqrt(2).
  ExpectPoints("gaussian", {-1 / std::sqrt(2.0), 1 / std::sqrt(2.0)});
  ExpectPoints("sinc", {-2.0815759, 2.0815759});
  ExpectPoints("cos", {-5 * kPi / 2, -3 * kPi / 2, -kPi / 2, kPi / 2, 3 * kPi / 2, 5 * kPi / 2});
  ExpectPoints("sigmoid", {0});
  ExpectPoints("gelu", {std::sqrt(2.0)});
}

TEST(GradientPeaks, PlateausAreBandsWithTheirEnds) {
  const std::vector<PeakPlace> relu = Peaks("relu");
  ASSERT_EQ(relu.size(), 1u);
  ExpectBand(relu[0], 0, false, INFINITY, false);  // relu'(0) = 0
  const std::vector<PeakPlace> elu = Peaks("elu");
  ASSERT_EQ(elu.size(), 1u);
  ExpectBand(elu[0], 0, true, INFINITY, false);  // elu'(0) = 1
  const std::vector<PeakPlace> hardtanh = Peaks("hardtanh");
  ASSERT_EQ(hardtanh.size(), 1u);
  ExpectBand(hardtanh[0], -1, false, 1, false);
  for (const char* shrink : {"hardshrink", "softshrink:lambd=0.25"}) {
    SCOPED_TRACE(shrink);
    const double lambda = Activation::parse(shrink).param("lambd");
    const std::vector<PeakPlace> bands = Peaks(shrink);
    ASSERT_EQ(bands.size(), 2u);  // the two bands outside [-lambda, lambda], not one across it
    ExpectBand(bands[0], -INFINITY, false, -lambda, false);
    ExpectBand(bands[1], lambda, false, INFINITY, false);
  }
  const std::vector<PeakPlace> step = Peaks("step");  // f' = 0 everywhere
  ASSERT_EQ(step.size(), 1u);
  ExpectBand(step[0], -INFINITY, false, INFINITY, false);
}

TEST(GradientPeaks, ASupremumApproachedAtInfinityIsALimit) {
  ExpectPoints("tanhshrink", {-INFINITY, INFINITY});  // tanh(x)^2 -> 1, and 0 at 0
  ExpectPoints("softplus", {INFINITY});
  ExpectPoints("logsigmoid", {-INFINITY});
  ExpectPoints("squared_relu", {INFINITY});
}

}  // namespace
}  // namespace sigma::cli
