// Dropout: TensorFlow's semantics (rate, keep_prob, scaling, noise_shape, identity outside
// training), reproducibility, the backward pass, and argument errors.
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <sigma/sigma.hpp>
#include <string>
#include <vector>

#include "error_of.hpp"

namespace sigma {
namespace {

using Shape = std::vector<std::size_t>;

std::vector<float> iota(std::size_t n) {
  std::vector<float> x(n);
  std::iota(x.begin(), x.end(), 1.0f);
  return x;
}

TEST(Dropout, KeepsAboutOneMinusRateAndScalesSurvivors) {
  const std::size_t n = 1 << 20;
  const std::vector<float> x(n, 3.0f);
  std::vector<float> y(n);
  std::vector<std::uint8_t> mask(n);
  for (const double rate : {0.1, 0.5, 0.9}) {
    dropout(x, y, mask, rate, 1);
    std::size_t kept = 0;
    const float scaled = 3.0f * static_cast<float>(1 / (1 - rate));
    for (std::size_t i = 0; i < n; ++i) {
      ASSERT_EQ(y[i], mask[i] ? scaled : 0.0f) << i;
      kept += mask[i];
    }
    // Binomial: 5 standard deviations.
    const double expected = n * (1 - rate), sd = std::sqrt(n * rate * (1 - rate));
    EXPECT_NEAR(static_cast<double>(kept), expected, 5 * sd) << rate;
  }
}

TEST(Dropout, SameSeedSameMaskWhateverTheThreads) {
  const std::vector<float> x = iota(300000);
  std::vector<float> a(x.size()), b(x.size()), c(x.size());
  std::vector<std::uint8_t> ma(x.size()), mb(x.size()), mc(x.size());
  set_num_threads(1);
  dropout(x, a, ma, 0.3, 42);
  set_num_threads(2);
  dropout(x, b, mb, 0.3, 42);
  dropout(x, c, mc, 0.3, 43);
  set_num_threads(0);
  EXPECT_EQ(a, b);
  EXPECT_EQ(ma, mb);
  EXPECT_NE(ma, mc);
}

TEST(Dropout, KeepProbIsTheOldSpellingOfRate) {
  const std::vector<double> x(1000, 1.0);
  std::vector<double> a(1000), b(1000);
  std::vector<std::uint8_t> ma(1000), mb(1000);
  dropout(x, a, ma, 0.25, 7);
  dropout(x, b, mb, rate_from_keep_prob(0.75), 7);
  EXPECT_EQ(a, b);
  EXPECT_EQ(ma, mb);
}

TEST(Dropout, NoiseShapeBroadcastsTheMask) {
  const Shape shape = {64, 8};
  const std::vector<float> x = iota(64 * 8);
  std::vector<float> y(x.size());
  std::vector<std::uint8_t> mask(x.size());
  // {64, 1}: whole rows; {8}: whole columns (aligned at the last axis).
  const std::size_t rows[] = {64, 1}, columns[] = {8};
  dropout(x, y, mask, 0.5, 3, shape, rows);
  std::size_t dropped_rows = 0;
  for (std::size_t r = 0; r < 64; ++r) {
    for (std::size_t c = 1; c < 8; ++c) ASSERT_EQ(mask[r * 8 + c], mask[r * 8]) << r;
    dropped_rows += !mask[r * 8];
  }
  EXPECT_GT(dropped_rows, 10u);
  EXPECT_LT(dropped_rows, 54u);
  dropout(x, y, mask, 0.5, 3, shape, columns);
  for (std::size_t r = 1; r < 64; ++r) {
    for (std::size_t c = 0; c < 8; ++c) ASSERT_EQ(mask[r * 8 + c], mask[c]) << r;
  }
}

TEST(Dropout, IdentityOutsideTraining) {
  const std::vector<float> x = iota(100);
  std::vector<float> y(100), dx(100);
  std::vector<std::uint8_t> mask(100, 0);
  dropout(x, y, mask, 0.9, 1, {}, {}, /*training=*/false);
  EXPECT_EQ(y, x);
  EXPECT_EQ(mask, std::vector<std::uint8_t>(100, 1));
  dropout_backward({}, x, dx, 0.9, /*training=*/false);
  EXPECT_EQ(dx, x);
}

TEST(Dropout, BackwardUsesTheSameMask) {
  const std::vector<float> x = iota(1000), dy(1000, 2.0f);
  std::vector<float> y(1000), dx(1000);
  std::vector<std::uint8_t> mask(1000);
  dropout(x, y, mask, 0.2, 9);
  dropout_backward(mask, dy, dx, 0.2);
  for (std::size_t i = 0; i < 1000; ++i) {
    EXPECT_EQ(dx[i], mask[i] ? 2.0f * 1.25f : 0.0f);
    EXPECT_EQ(y[i] != 0, dx[i] != 0);
  }
}

TEST(Dropout, DroppedNaNBecomesZeroInPlace) {
  std::vector<float> x(200, std::numeric_limits<float>::quiet_NaN());
  std::vector<std::uint8_t> mask(200);
  dropout(x, x, mask, 0.5, 5);
  for (std::size_t i = 0; i < 200; ++i) EXPECT_EQ(std::isnan(x[i]), mask[i] == 1);
}

TEST(Dropout, ErrorsNameTheProblem) {
  std::vector<float> x(8), y(8), y7(7);
  std::vector<std::uint8_t> mask(8);
  EXPECT_EQ(error_of([&] { dropout(x, y, mask, 1, 0); }), "dropout: rate must be in [0, 1), got 1");
  EXPECT_EQ(error_of([&] { dropout(x, y, mask, -0.5, 0); }),
            "dropout: rate must be in [0, 1), got -0.5");
  EXPECT_EQ(error_of([&] { rate_from_keep_prob(0); }),
            "dropout: keep_prob must be in (0, 1], got 0");
  EXPECT_EQ(rate_from_keep_prob(1), 0);
  EXPECT_EQ(error_of([&] { dropout(x, y7, mask, 0.5, 0); }),
            "dropout: mismatched sizes: x has 8 elements, y has 7");
  const std::size_t bad[] = {3, 1};
  EXPECT_EQ(error_of([&] {
              dropout(x, y, mask, 0.5, 0, Shape{2, 4}, bad);
            }),
            "dropout: noise_shape [3, 1] does not broadcast to shape [2, 4]");
  EXPECT_EQ(error_of([&] { dropout_backward(std::span(mask).first(4), x, y, 0.5); }),
            "dropout_backward: mismatched sizes: mask has 4 elements, dy has 8");
}

}  // namespace
}  // namespace sigma
