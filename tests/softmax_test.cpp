// softmax, log_softmax, softmin, glu and maxout: accuracy against the defining formulas in long
// double, extreme and non-finite inputs, gradients against finite differences, argument errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <random>
#include <sigma/sigma.hpp>
#include <string>
#include <vector>

#include "error_of.hpp"
#include "support/float_sweep.hpp"
#include "targets.hpp"

namespace sigma {
namespace {

using Shape = std::vector<std::size_t>;
constexpr float kInfF = std::numeric_limits<float>::infinity();

std::size_t elements(const Shape& shape) {
  std::size_t n = 1;
  for (const std::size_t e : shape) n *= e;
  return n;
}

template <class T>
std::vector<T> normal(std::size_t n, double scale, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> dist(0, scale);
  std::vector<T> x(n);
  for (T& v : x) v = static_cast<T>(dist(rng));
  return x;
}

// The oracle, independent of the library: one row of the defining formulas in long double.
// softmax is the textbook exp(x_i) / sum exp(x_j) (the test inputs are small enough for long
// double's range). log_softmax of a dominant entry is -log(1 + tiny), which long double's
// log(sum) would round away, so it is written as (x_i - max) - log1p(the terms below the max).
struct Row {
  std::vector<long double> softmax, log_softmax;
};

Row oracle(const std::vector<long double>& z) {
  Row row;
  long double sum = 0, m = -INFINITY;
  for (long double v : z) {
    sum += std::exp(v);
    m = std::max(m, v);
  }
  long double ties = 0, rest = 0;
  for (long double v : z) {
    if (v == m) {
      ties += 1;
    } else {
      rest += std::exp(v - m);
    }
  }
  for (long double v : z) {
    row.softmax.push_back(std::exp(v) / sum);
    row.log_softmax.push_back((v - m) - std::log1p((ties - 1) + rest));
  }
  return row;
}

enum class Kind { kSoftmax, kLogSoftmax, kSoftmin };

template <class T>
void apply(Kind kind, std::span<const T> x, std::span<T> y, const Shape& shape, int axis) {
  switch (kind) {
    case Kind::kSoftmax:
      return softmax(x, y, shape, axis);
    case Kind::kLogSoftmax:
      return log_softmax(x, y, shape, axis);
    case Kind::kSoftmin:
      return softmin(x, y, shape, axis);
  }
}

// The worst error over every row of an array of `shape` along `axis`.
template <class T>
double worst_ulps(Kind kind, const std::vector<T>& x, const Shape& shape, int axis) {
  std::vector<T> y(x.size());
  apply<T>(kind, x, y, shape, axis);
  const std::size_t a = static_cast<std::size_t>(axis < 0 ? axis + int(shape.size()) : axis);
  std::size_t outer = 1, inner = 1;
  for (std::size_t i = 0; i < a; ++i) outer *= shape[i];
  for (std::size_t i = a + 1; i < shape.size(); ++i) inner *= shape[i];
  double worst = 0;
  for (std::size_t o = 0; o < outer; ++o) {
    for (std::size_t i = 0; i < inner; ++i) {
      std::vector<long double> z;
      for (std::size_t j = 0; j < shape[a]; ++j) {
        const long double v = x[(o * shape[a] + j) * inner + i];
        z.push_back(kind == Kind::kSoftmin ? -v : v);
      }
      const Row row = oracle(z);
      for (std::size_t j = 0; j < shape[a]; ++j) {
        const T got = y[(o * shape[a] + j) * inner + i];
        const long double exact = kind == Kind::kLogSoftmax ? row.log_softmax[j] : row.softmax[j];
        worst = std::max(worst, UlpError(got, exact));
      }
    }
  }
  return worst;
}

// Row lengths around the vector widths of every target (4 to 16 floats) and longer rows.
const std::size_t kLengths[] = {1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 65, 1000, 4099};

TEST(Softmax, FloatWithinFiveUlpOfTheDefinition) {
  for_each_target([] {
    for (const Kind kind : {Kind::kSoftmax, Kind::kLogSoftmax, Kind::kSoftmin}) {
      for (const std::size_t n : kLengths) {
        for (const double scale : {1.0, 30.0}) {
          const std::size_t rows = n > 100 ? 3 : 37;  // 37 rows: full groups of lanes and a rest
          const Shape shape = {rows, n};
          SCOPED_TRACE("kind " + std::to_string(int(kind)) + " n " + std::to_string(n) + " scale " +
                       std::to_string(scale));
          EXPECT_LE(worst_ulps(kind, normal<float>(rows * n, scale, 1), shape, -1), 5.0);
        }
      }
    }
  });
}

TEST(Softmax, DoubleWithinEightUlpOfTheDefinition) {
  for_each_target([] {
    for (const Kind kind : {Kind::kSoftmax, Kind::kLogSoftmax, Kind::kSoftmin}) {
      for (const std::size_t n : kLengths) {
        const std::size_t rows = n > 100 ? 3 : 19;
        SCOPED_TRACE("kind " + std::to_string(int(kind)) + " n " + std::to_string(n));
        EXPECT_LE(worst_ulps(kind, normal<double>(rows * n, 20, 2), {rows, n}, -1), 8.0);
      }
    }
  });
}

TEST(Softmax, EveryAxisOfARank3Array) {
  for_each_target([] {
    const Shape shape = {3, 5, 19};  // 19 inner lanes: a full vector and a partial one
    const std::vector<float> x = normal<float>(3 * 5 * 19, 5, 3);
    for (const Kind kind : {Kind::kSoftmax, Kind::kLogSoftmax, Kind::kSoftmin}) {
      for (const int axis : {0, 1, 2, -1, -2, -3}) {
        SCOPED_TRACE("kind " + std::to_string(int(kind)) + " axis " + std::to_string(axis));
        EXPECT_LE(worst_ulps(kind, x, shape, axis), 5.0);
      }
    }
    const std::vector<double> xd = normal<double>(2 * 300 * 3, 5, 4);  // inner lanes > one block
    EXPECT_LE(worst_ulps(Kind::kLogSoftmax, xd, {2, 3, 300}, 1), 8.0);
    EXPECT_LE(worst_ulps(Kind::kSoftmax, xd, {2, 300, 3}, 1), 8.0);
  });
}

TEST(Softmax, ExtremeLogitsInOneRow) {
  const std::vector<float> x = {1e30f, -1e30f, 0, 3};
  std::vector<float> y(4);
  softmax(x, y);
  EXPECT_EQ(y, (std::vector<float>{1, 0, 0, 0}));
  log_softmax(x, y);
  EXPECT_EQ(y, (std::vector<float>{0, -2e30f, -1e30f, -1e30f + 3}));
  softmin(x, y);
  EXPECT_EQ(y, (std::vector<float>{0, 1, 0, 0}));
  const std::vector<double> xd = {1e300, -1e300};
  std::vector<double> yd(2);
  log_softmax(xd, yd);
  EXPECT_EQ(yd, (std::vector<double>{0, -2e300}));
}

TEST(Softmax, DominantEntryKeepsItsTinyLogProbability) {
  // log_softmax([0, -t])[0] = -log1p(e^-t): far below float's resolution of 1.
  for (const float t : {10.f, 30.f, 60.f, 90.f, 100.f}) {
    std::vector<float> x(40, -1000.f), y(40);  // 20 rows of 2: the short-row path
    for (std::size_t r = 0; r < 20; ++r) x[2 * r] = 0, x[2 * r + 1] = -t;
    log_softmax(x, y, Shape{20, 2});
    const long double exact = -std::log1p(std::exp(-static_cast<long double>(t)));
    EXPECT_LE(UlpError(y[0], exact), 2) << t;
    std::vector<float> x2(100, -1000.f), y2(100);  // one long row
    x2[0] = 0, x2[1] = -t;
    log_softmax(x2, y2);
    EXPECT_LE(UlpError(y2[0], exact), 2) << t;
  }
}

TEST(Softmax, SubnormalProbabilitiesAreCorrectlyRounded) {
  const std::vector<float> x = {0, -100};
  std::vector<float> y(2);
  softmax(x, y);
  const long double e = std::exp(-100.0L);
  EXPECT_EQ(y[1], static_cast<float>(e / (1 + e)));
  EXPECT_GT(y[1], 0);
}

TEST(Softmax, EqualLogitsGiveUniformProbabilities) {
  for (const std::size_t n : {3, 10, 1000}) {
    const std::vector<float> x(n, 7.5f);
    std::vector<float> y(n), l(n);
    softmax(x, y);
    log_softmax(x, l);
    for (std::size_t i = 0; i < n; ++i) {
      EXPECT_LE(UlpError(y[i], 1.0L / n), 1);
      EXPECT_LE(UlpError(l[i], -std::log(static_cast<long double>(n))), 2);
    }
  }
}

TEST(Softmax, NonFiniteLogits) {
  for_each_target([] {
    const float nan = std::numeric_limits<float>::quiet_NaN();
    // -inf gets probability 0; a NaN or +inf makes its row NaN, and only its row.
    const std::vector<float> x = {0,      -kInfF, 1, /**/ 0, nan,    1,
                                  /**/ 0, kInfF,  1, -kInfF, -kInfF, -kInfF};
    for (const Shape& shape : {Shape{4, 3}}) {
      std::vector<float> y(12), l(12);
      softmax(x, y, shape);
      log_softmax(x, l, shape);
      EXPECT_EQ(y[1], 0);
      EXPECT_EQ(l[1], -kInfF);
      EXPECT_NEAR(y[0] + y[2], 1, 1e-7);
      EXPECT_FLOAT_EQ(l[2], -std::log1p(std::exp(-1.0f)));
      for (std::size_t i = 3; i < 12; ++i) {
        EXPECT_TRUE(std::isnan(y[i])) << i;
        EXPECT_TRUE(std::isnan(l[i])) << i;
      }
    }
    // softmin sees -x: +inf gets probability 0.
    std::vector<float> s(3);
    softmin(std::vector<float>{0, kInfF, 1}, s);
    EXPECT_EQ(s[1], 0);
    // A NaN among many short rows spoils its own row only (the lane-per-row path).
    std::vector<float> many = normal<float>(64 * 10, 1, 5), out(many.size());
    many[10 * 13 + 4] = nan;
    softmax(many, out, Shape{64, 10});
    for (std::size_t r = 0; r < 64; ++r) {
      EXPECT_EQ(std::isnan(out[10 * r]), r == 13) << r;
    }
  });
}

TEST(Softmax, InPlaceMatchesOutOfPlace) {
  for (const Kind kind : {Kind::kSoftmax, Kind::kLogSoftmax, Kind::kSoftmin}) {
    for (const Shape& shape : {Shape{40, 10}, Shape{3, 1000}, Shape{4, 6, 5}}) {
      for (const int axis : {-1, 1}) {
        std::vector<float> x = normal<float>(elements(shape), 3, 6);
        std::vector<float> y(x.size());
        apply<float>(kind, x, y, shape, axis);
        apply<float>(kind, x, x, shape, axis);
        EXPECT_EQ(x, y);
      }
    }
  }
}

TEST(Softmax, ThreadCountDoesNotChangeResults) {
  const std::vector<float> x = normal<float>(512 * 1000, 3, 7);
  std::vector<float> one(x.size()), two(x.size());
  set_num_threads(1);
  log_softmax(x, one, Shape{512, 1000});
  set_num_threads(2);
  log_softmax(x, two, Shape{512, 1000});
  set_num_threads(0);
  EXPECT_EQ(one, two);
}

TEST(Softmax, LargeOutputsMatchSmallOnes) {
  // Above 64 MiB log_softmax writes with non-temporal stores; rows must come out the same.
  const std::size_t rows = 17 * 1024, n = 1000;
  std::vector<float> x = normal<float>(n * 2, 3, 8);
  x.resize(rows * n);
  for (std::size_t r = 2; r < rows; ++r) std::copy_n(x.begin() + (r % 2) * n, n, x.begin() + r * n);
  std::vector<float> y(x.size()), small(2 * n);
  log_softmax(x, y, Shape{rows, n});
  log_softmax(std::span<const float>(x).first(2 * n), small, Shape{2, n});
  EXPECT_TRUE(std::equal(small.begin(), small.end(), y.begin()));
  EXPECT_TRUE(std::equal(small.begin(), small.end(), y.end() - 2 * n));
}

// ---- Backward passes against central finite differences ----

// d/dx_k of sum_i w_i f(x)_i, by central differences in double.
std::vector<double> numeric_gradient(Kind kind, std::vector<double> x, const std::vector<double>& w,
                                     const Shape& shape, int axis) {
  std::vector<double> grad(x.size()), y(x.size());
  const auto objective = [&] {
    apply<double>(kind, x, y, shape, axis);
    double s = 0;
    for (std::size_t i = 0; i < y.size(); ++i) s += w[i] * y[i];
    return s;
  };
  for (std::size_t k = 0; k < x.size(); ++k) {
    const double saved = x[k], h = 1e-6;
    x[k] = saved + h;
    const double up = objective();
    x[k] = saved - h;
    const double down = objective();
    x[k] = saved;
    grad[k] = (up - down) / (2 * h);
  }
  return grad;
}

TEST(SoftmaxBackward, MatchesFiniteDifferences) {
  for_each_target([] {
    for (const Kind kind : {Kind::kSoftmax, Kind::kLogSoftmax, Kind::kSoftmin}) {
      for (const auto& [shape, axis] : {std::pair{Shape{3, 7}, -1}, std::pair{Shape{2, 5, 3}, 1},
                                        std::pair{Shape{40, 3}, -1}}) {
        const std::size_t n = elements(shape);
        const std::vector<double> x = normal<double>(n, 2, 9), w = normal<double>(n, 1, 10);
        std::vector<double> y(n), dx(n);
        apply<double>(kind, x, y, shape, axis);
        switch (kind) {
          case Kind::kSoftmax:
            softmax_backward(y, w, dx, shape, axis);
            break;
          case Kind::kLogSoftmax:
            log_softmax_backward(y, w, dx, shape, axis);
            break;
          case Kind::kSoftmin:
            softmin_backward(y, w, dx, shape, axis);
            break;
        }
        const std::vector<double> expected = numeric_gradient(kind, x, w, shape, axis);
        for (std::size_t k = 0; k < n; ++k) EXPECT_NEAR(dx[k], expected[k], 1e-7) << k;
      }
    }
  });
}

TEST(SoftmaxBackward, FloatAgreesWithDouble) {
  const std::vector<double> x = normal<double>(5 * 37, 3, 11), dy = normal<double>(5 * 37, 1, 12);
  std::vector<double> y(x.size()), dx(x.size());
  std::vector<float> xf(x.begin(), x.end()), dyf(dy.begin(), dy.end()), yf(x.size()), dxf(x.size());
  for (const int axis : {-1, 0}) {
    log_softmax(x, y, Shape{5, 37}, axis);
    log_softmax_backward(y, dy, dx, Shape{5, 37}, axis);
    log_softmax(xf, yf, Shape{5, 37}, axis);
    log_softmax_backward(yf, dyf, dxf, Shape{5, 37}, axis);
    for (std::size_t i = 0; i < x.size(); ++i) EXPECT_NEAR(dxf[i], dx[i], 1e-5) << i;
  }
}

TEST(SoftmaxBackward, NaNPropagates) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> y = {nan, nan, nan}, dy = {1, 2, 3}, dx(3);
  log_softmax_backward(y, dy, dx);
  for (float v : dx) EXPECT_TRUE(std::isnan(v));
  softmax_backward(y, dy, dx);
  for (float v : dx) EXPECT_TRUE(std::isnan(v));
}

// ---- GLU and maxout ----

TEST(Glu, HalvesAlongTheAxis) {
  // shape {2, 4, 3} along axis 1: a = rows 0-1, b = rows 2-3 of each block.
  const Shape shape = {2, 4, 3};
  const std::vector<double> x = normal<double>(24, 2, 13);
  std::vector<double> y(12);
  glu(x, y, shape, 1);
  for (std::size_t o = 0; o < 2; ++o) {
    for (std::size_t j = 0; j < 2; ++j) {
      for (std::size_t i = 0; i < 3; ++i) {
        const long double a = x[(o * 4 + j) * 3 + i], b = x[(o * 4 + j + 2) * 3 + i];
        EXPECT_LE(UlpError(y[(o * 2 + j) * 3 + i], a / (1 + std::exp(-b))), 2);
      }
    }
  }
}

TEST(Glu, BackwardMatchesFiniteDifferences) {
  const Shape shape = {3, 6};
  std::vector<double> x = normal<double>(18, 2, 14), w = normal<double>(9, 1, 15), dx(18), y(9);
  glu_backward(x, w, dx, shape);
  for (std::size_t k = 0; k < x.size(); ++k) {
    const double saved = x[k], h = 1e-6;
    double up = 0, down = 0;
    x[k] = saved + h;
    glu(x, y, shape);
    for (std::size_t i = 0; i < 9; ++i) up += w[i] * y[i];
    x[k] = saved - h;
    glu(x, y, shape);
    for (std::size_t i = 0; i < 9; ++i) down += w[i] * y[i];
    x[k] = saved;
    EXPECT_NEAR(dx[k], (up - down) / (2 * h), 1e-7) << k;
  }
}

// float GLU: a sigmoid(b) and the gradient's g sigmoid(b) and g a sigmoid'(b) rounded once from
// double, so within half an ulp and a hair, at every spread (sigmoid' far out in the tails too,
// and past where e^b underflows double), on every SIMD target.
void ExpectGluWithinHalfAnUlp();

TEST(Glu, FloatWithinHalfAnUlp) {
  for_each_target([] { ExpectGluWithinHalfAnUlp(); });
}

void ExpectGluWithinHalfAnUlp() {
  for (const double spread : {1.0, 4.0, 16.0, 60.0, 400.0}) {
    SCOPED_TRACE(spread);
    const Shape shape = {7, 2 * 600};
    const std::vector<float> x = normal<float>(7 * 1200, spread, 21);
    const std::vector<float> g = normal<float>(7 * 600, 1, 22);
    std::vector<float> y(7 * 600), dx(x.size());
    glu(x, y, shape);
    glu_backward(x, g, dx, shape);
    for (std::size_t o = 0; o < 7; ++o) {
      for (std::size_t i = 0; i < 600; ++i) {
        const long double a = x[o * 1200 + i], b = x[o * 1200 + 600 + i], gv = g[o * 600 + i];
        const long double s = 1 / (1 + std::exp(-b)), slope = s / (1 + std::exp(b));
        EXPECT_LE(UlpError(y[o * 600 + i], a * s), 0.501) << a << " " << b;
        EXPECT_LE(UlpError(dx[o * 1200 + i], gv * s), 0.501) << b;
        EXPECT_LE(UlpError(dx[o * 1200 + 600 + i], gv * a * slope), 0.501) << a << " " << b;
      }
    }
  }
}

TEST(Maxout, MaximumOfEachGroup) {
  const std::vector<float> x = {1, 5, 2, /**/ -1, -3, -2, /**/ 0, 0, 9, /**/ 4, 4, 1};
  std::vector<float> y(4), dx(12);
  maxout(x, y, 3);
  EXPECT_EQ(y, (std::vector<float>{5, -1, 9, 4}));
  maxout_backward(x, std::vector<float>{10, 20, 30, 40}, dx, 3);
  EXPECT_EQ(dx, (std::vector<float>{0, 10, 0, 20, 0, 0, 0, 0, 30, 40, 0, 0}));  // first max
  // Along axis 0 of {4, 2}: groups of 2 rows.
  const std::vector<double> xd = {1, 8, 3, 2, -5, 0, -4, -1};
  std::vector<double> yd(4);
  maxout(xd, yd, 2, Shape{4, 2}, 0);
  EXPECT_EQ(yd, (std::vector<double>{3, 8, -4, 0}));
  const float nan = std::numeric_limits<float>::quiet_NaN();
  maxout(std::vector<float>{1, nan, 2, 3}, std::span<float>(y).first(2), 2);
  EXPECT_TRUE(std::isnan(y[0]));
  EXPECT_EQ(y[1], 3);
}

// ---- Argument errors ----

TEST(SoftmaxErrors, NameTheProblem) {
  std::vector<float> x(6), y(6), y5(5);
  EXPECT_EQ(error_of([&] {
              softmax(x, y, Shape{2, 3}, 2);
            }),
            "softmax: axis 2 is out of range for a rank-2 array");
  EXPECT_EQ(error_of([&] {
              log_softmax(x, y, Shape{2, 3}, -3);
            }),
            "log_softmax: axis -3 is out of range for a rank-2 array");
  EXPECT_EQ(error_of([&] {
              softmax(x, y, Shape{2, 4});
            }),
            "softmax: shape [2, 4] has 8 elements but x has 6");
  EXPECT_EQ(error_of([&] { softmin(x, y5); }),
            "softmin: mismatched sizes: x has 6 elements, y has 5");
  EXPECT_EQ(error_of([&] {
              softmax(std::span<const float>(x).first(4), std::span<float>(x).subspan(1, 4));
            }),
            "softmax: y partially overlaps x");
  EXPECT_EQ(error_of([&] { softmax_backward(x, y, y5); }),
            "softmax_backward: mismatched sizes: y has 6 elements, dx has 5");
  EXPECT_EQ(error_of([&] {
              glu(x, y, Shape{2, 3});
            }),
            "glu: the axis has odd extent 3; it must split into two halves");
  EXPECT_EQ(error_of([&] { glu(x, y, Shape{3, 2}); }), "glu: y has 6 elements; half of x needs 3");
  EXPECT_EQ(error_of([&] { maxout(x, y, 4); }),
            "maxout: the axis extent 6 is not a multiple of group_size 4");
  EXPECT_EQ(error_of([&] { maxout(x, y, 0); }), "maxout: group_size must be positive");
}

TEST(SoftmaxErrors, EmptyArraysAreFine) {
  std::vector<float> none;
  softmax(none, none);
  log_softmax(none, none, Shape{0, 5});
  softmin(none, none, Shape{4, 0}, 1);
}

}  // namespace
}  // namespace sigma
