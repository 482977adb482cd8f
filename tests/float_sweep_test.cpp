// The measuring tape of `sigma accuracy` and bench/peer_accuracy: ulp errors, their tally, and
// the sweep over float bit patterns.
#include "support/float_sweep.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>

namespace sigma::cli {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TEST(UlpError, CountsUlpsOfFloatAtTheExactValue) {
  EXPECT_EQ(UlpError(1.0f, 1.0), 0);
  EXPECT_EQ(UlpError(std::nextafter(1.0f, 2.0f), 1.0), 1);
  EXPECT_EQ(UlpError(1.0f, 1.0 + 0x1p-25), 0.25);
  // Below 1 the ulp halves: 2^-24 at 0.75.
  EXPECT_EQ(UlpError(0.75f, 0.75 + 0x1p-24), 1);
  // Subnormal: the ulp is 2^-149 however small the value.
  EXPECT_EQ(UlpError(0.0f, 0x1p-149), 1);
  EXPECT_EQ(UlpError(0x1p-149f, 0x1.8p-149), 0.5);
  // Flushing a small normal value to zero costs 2^23 ulp.
  EXPECT_EQ(UlpError(0.0f, 0x1p-126), 0x1p23);
}

TEST(UlpError, NaNAndInfinitiesAgreeOnlyExactly) {
  EXPECT_EQ(UlpError(std::numeric_limits<float>::quiet_NaN(), kNaN), 0);
  EXPECT_EQ(UlpError(std::numeric_limits<float>::quiet_NaN(), 1.0), kInf);
  EXPECT_EQ(UlpError(1.0f, kNaN), kInf);
  EXPECT_EQ(UlpError(std::numeric_limits<float>::infinity(), kInf), 0);
  EXPECT_EQ(UlpError(std::numeric_limits<float>::max(), kInf), kInf);
  // A double beyond float's range rounds to infinity, which the result must match.
  EXPECT_EQ(UlpError(std::numeric_limits<float>::infinity(), 1e300), 0);
  EXPECT_EQ(UlpError(-std::numeric_limits<float>::infinity(), kInf), kInf);
}

TEST(UlpTally, KeepsTheWorstAtTheSmallestInputOfEqualErrors) {
  UlpTally a{.bound = 2}, b{.bound = 2};
  a.add(5.0f, 5.0f, 5.0);
  a.add(-3.0f, 0.0f, 1.0);  // 0 for 1: 2^23 ulp
  a.add(2.0f, 0.0f, 1.0);
  b.add(-2.0f, 0.0f, 1.0);
  b.add(std::numeric_limits<float>::quiet_NaN(), 1.0f, kNaN);  // NaN lost: not an input
  EXPECT_EQ(a.worst, 0x1p23);
  EXPECT_EQ(a.worst_input, 2.0f);
  EXPECT_EQ(a.over_bound, 2u);
  a.merge(b);
  EXPECT_EQ(a.worst_input, -2.0f);  // the same |x|: the smaller x, whichever merged first
  b.merge(a);
  EXPECT_EQ(b.worst_input, -2.0f);
  EXPECT_EQ(a.count, 4u);
  EXPECT_EQ(a.over_bound, 3u);
  EXPECT_EQ(a.bad_nan, 1u);
  EXPECT_DOUBLE_EQ(a.mean(), 3 * 0x1p23 / 4);
}

// Each bit pattern in the sample at most once, spread over signs and exponents, whatever the
// thread count.
TEST(SweepFloats, SampleCoversTheFloatsOnce) {
  struct Counter {
    std::uint64_t count = 0, negative = 0, nan = 0, bits_sum = 0;
    void operator()(std::span<const float> x) {
      for (float v : x) {
        ++count;
        negative += std::signbit(v) ? 1 : 0;
        nan += std::isnan(v) ? 1 : 0;
        bits_sum += std::bit_cast<std::uint32_t>(v);
      }
    }
  };
  Counter totals[2];
  for (int threads : {1, 2}) {
    for (const Counter& c : SweepFloats(false, threads, [] { return Counter{}; })) {
      Counter& t = totals[threads - 1];
      t.count += c.count;
      t.negative += c.negative;
      t.nan += c.nan;
      t.bits_sum += c.bits_sum;
    }
  }
  EXPECT_EQ(totals[0].count, totals[1].count);
  EXPECT_EQ(totals[0].bits_sum, totals[1].bits_sum);
  // About one pattern in kSampleStride, about half of them negative and 1/256 of them NaN.
  const double expected = std::ldexp(1.0, 32) / kSampleStride;
  EXPECT_NEAR(static_cast<double>(totals[0].count), expected, 1e-3 * expected);
  EXPECT_NEAR(static_cast<double>(totals[0].negative), expected / 2, 1e-3 * expected);
  EXPECT_NEAR(static_cast<double>(totals[0].nan), expected / 256, 1e-3 * expected);
}

}  // namespace
}  // namespace sigma::cli
