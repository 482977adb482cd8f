// PReLU with a learnable slope: the forward formula, gradients with respect to x and alpha
// against finite differences (shared and per-channel slopes), and argument errors.
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <limits>
#include <random>
#include <sigma/sigma.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "error_of.hpp"

namespace sigma {
namespace {

using Shape = std::vector<std::size_t>;

std::vector<double> normal(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> dist(0, 1);
  std::vector<double> x(n);
  for (double& v : x) v = dist(rng);
  return x;
}

// sum_i w_i prelu(x, alpha)_i
double objective(const std::vector<double>& x, const std::vector<double>& alpha,
                 const std::vector<double>& w, const Shape& shape, int axis) {
  std::vector<double> y(x.size());
  prelu(x, alpha, y, shape, axis);
  double s = 0;
  for (std::size_t i = 0; i < y.size(); ++i) s += w[i] * y[i];
  return s;
}

TEST(Prelu, PerChannelSlopesAlongAxisOne) {
  const Shape shape = {2, 3, 4};
  const std::vector<double> x = normal(24, 1), alpha = {0.1, 0.2, 0.3};
  std::vector<double> y(24);
  prelu(x, alpha, y, shape);
  for (std::size_t i = 0; i < 24; ++i) {
    const std::size_t c = (i / 4) % 3;
    EXPECT_EQ(y[i], x[i] > 0 ? x[i] : alpha[c] * x[i]) << i;
  }
}

TEST(Prelu, GradientsMatchFiniteDifferences) {
  for (const auto& [shape, axis, channels] :
       {std::tuple{Shape{2, 3, 4}, 1, std::size_t{3}}, std::tuple{Shape{5, 6}, -1, std::size_t{6}},
        std::tuple{Shape{7, 5}, 1, std::size_t{1}}}) {
    std::size_t n = 1;
    for (const std::size_t e : shape) n *= e;
    std::vector<double> x = normal(n, 2), alpha = normal(channels, 3), w = normal(n, 4);
    std::vector<double> dx(n), dalpha(channels);
    prelu_backward(x, alpha, w, dx, dalpha, shape, axis);
    const double h = 1e-6;
    for (std::size_t k = 0; k < n; ++k) {
      const double saved = x[k];
      x[k] = saved + h;
      const double up = objective(x, alpha, w, shape, axis);
      x[k] = saved - h;
      const double down = objective(x, alpha, w, shape, axis);
      x[k] = saved;
      EXPECT_NEAR(dx[k], (up - down) / (2 * h), 1e-8) << k;
    }
    for (std::size_t c = 0; c < channels; ++c) {
      const double saved = alpha[c];
      alpha[c] = saved + h;
      const double up = objective(x, alpha, w, shape, axis);
      alpha[c] = saved - h;
      const double down = objective(x, alpha, w, shape, axis);
      alpha[c] = saved;
      EXPECT_NEAR(dalpha[c], (up - down) / (2 * h), 1e-8) << c;
    }
  }
}

TEST(Prelu, ConventionsAtZeroAndNaN) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const std::vector<float> x = {0, nan, 2}, alpha = {0.25f}, dy = {1, 1, 1};
  std::vector<float> y(3), dx(3), dalpha(1);
  prelu(x, alpha, y);
  EXPECT_EQ(y[0], 0);
  EXPECT_TRUE(std::isnan(y[1]));
  prelu_backward(x, alpha, dy, dx, dalpha);
  EXPECT_EQ(dx[0], 0.25f);  // alpha at 0, as PyTorch
  EXPECT_TRUE(std::isnan(dx[1]));
  EXPECT_EQ(dx[2], 1);
  EXPECT_TRUE(std::isnan(dalpha[0]));
}

TEST(Prelu, LargeArraysSumTheSlopeGradientDeterministically) {
  const std::size_t n = 1 << 20;
  const std::vector<double> x = normal(n, 5), dy = normal(n, 6), alpha = {0.1, 0.2};
  std::vector<double> dx(n), one(2), two(2);
  set_num_threads(1);
  prelu_backward(x, alpha, dy, dx, one, Shape{n / 2, 2}, -1);
  set_num_threads(2);
  prelu_backward(x, alpha, dy, dx, two, Shape{n / 2, 2}, -1);
  set_num_threads(0);
  EXPECT_EQ(one, two);
  double expected = 0;
  for (std::size_t i = 1; i < n; i += 2) expected += x[i] <= 0 ? dy[i] * x[i] : 0;
  EXPECT_NEAR(two[1], expected, 1e-9 * std::fabs(expected) + 1e-9);
}

TEST(Prelu, ErrorsNameTheProblem) {
  std::vector<float> x(12), y(12), alpha(5), dalpha(4);
  EXPECT_EQ(error_of([&] {
              prelu(x, alpha, y, Shape{3, 4});
            }),
            "prelu: alpha has 5 elements; it needs 1 (shared) or 4 (one per channel along axis "
            "1)");
  EXPECT_EQ(error_of([&] { prelu(x, std::span(alpha).first(4), y, Shape{12}); }),
            "prelu: axis 1 is out of range for a rank-1 array");
  EXPECT_EQ(error_of([&] {
              prelu_backward(x, std::span(alpha).first(3), x, y, dalpha, Shape{4, 3});
            }),
            "prelu_backward: mismatched sizes: alpha has 3 elements, dalpha has 4");
}

}  // namespace
}  // namespace sigma
