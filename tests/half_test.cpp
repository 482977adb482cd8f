// The 16-bit formats: their conversions, and the array methods on them, whose every result must
// be the exact value rounded to nearest even. Exhaustive: every spec of accuracy_specs(), f, f'
// and dy f', bfloat16 and float16, all 65,536 inputs, against the MPFR oracle, on every compiled
// SIMD target this CPU runs.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <sigma/sigma.hpp>
#include <span>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "accuracy.hpp"
#include "support/mpfr_oracle.hpp"
#include "targets.hpp"

namespace sigma::test {

using mpfr::Exact;
using mpfr::oracle;
using mpfr::ulp_error;
namespace {

constexpr float kInfF = std::numeric_limits<float>::infinity();

// The conversions against their definition: the nearest value of the format, ties to the even
// significand, by exact arithmetic in double (every float and every 16-bit value is a double).
template <class H>
std::uint16_t nearest_by_search(double v) {
  if (std::isnan(v)) return H(static_cast<float>(v)).bits;
  // Candidates: the finite values of the format, ascending for each sign; search the magnitude.
  std::uint16_t best = 0;
  double best_distance = std::numeric_limits<double>::infinity();
  const std::uint16_t sign = std::signbit(v) ? 0x8000 : 0;
  const double a = std::fabs(v);
  std::uint16_t lo = 0, hi = std::is_same_v<H, bfloat16> ? 0x7F80 : 0x7C00;  // [0, inf]
  while (hi - lo > 1) {  // the largest magnitude <= a
    const std::uint16_t mid = static_cast<std::uint16_t>((lo + hi) / 2);
    (static_cast<double>(H::from_bits(mid)) <= a ? lo : hi) = mid;
  }
  for (std::uint16_t c : {lo, hi}) {
    // hi may be the infinity: it stands for 2^(emax+1), where rounding overflows.
    double value = static_cast<double>(H::from_bits(c));
    if (std::isinf(value)) value = std::is_same_v<H, bfloat16> ? 0x1p128 : 0x1p16;
    const double distance = std::fabs(value - a);
    if (distance < best_distance || (distance == best_distance && (c & 1) == 0)) {
      best = c;
      best_distance = distance;
    }
  }
  return static_cast<std::uint16_t>(sign | best);
}

template <class H>
void ExpectConversionsExact() {
  for (std::uint32_t b = 0; b < 0x10000; ++b) {
    const H h = H::from_bits(static_cast<std::uint16_t>(b));
    const float f = static_cast<float>(h);
    if (std::isnan(f)) {
      EXPECT_TRUE(std::isnan(static_cast<float>(H(f))));
      continue;
    }
    // Round trip, and each value and its neighbours' midpoints rounded to nearest even.
    ASSERT_EQ(H(f).bits, b);
    ASSERT_EQ(H(static_cast<double>(f)).bits, b);
    const float next = static_cast<float>(H::from_bits(static_cast<std::uint16_t>(b + 1)));
    if ((b & 0x7FFF) >= 0x7F00 && std::is_same_v<H, bfloat16>) continue;  // to the infinity
    if (!std::isfinite(next) || std::signbit(next) != std::signbit(f)) continue;
    const double mid = (static_cast<double>(f) + next) / 2;
    for (double v : {mid, std::nextafter(mid, 0.0), std::nextafter(mid, 1e300 * f),
                     static_cast<double>(std::nextafter(static_cast<float>(mid), 0.0f))}) {
      ASSERT_EQ(H(v).bits, nearest_by_search<H>(v)) << v;
      ASSERT_EQ(H(static_cast<float>(v)).bits, nearest_by_search<H>(static_cast<float>(v))) << v;
    }
  }
}

TEST(HalfConversions, RoundToNearestEvenFromFloatAndDouble) {
  ExpectConversionsExact<bfloat16>();
  ExpectConversionsExact<float16>();
  EXPECT_EQ(float16(65519.99f).bits, 0x7BFF);  // 65504
  EXPECT_EQ(float16(65520.0f).bits, 0x7C00);   // halfway to 2^16: infinity
  EXPECT_EQ(float16(-0x1p-25f).bits, 0x8000);  // halfway to the smallest subnormal: -0
  EXPECT_EQ(float16(0x1.000002p-25f).bits, 0x0001);
  EXPECT_EQ(bfloat16(std::numeric_limits<float>::max()).bits, 0x7F80);
  EXPECT_EQ(bfloat16(std::bit_cast<float>(0x7F800001u)).bits, 0x7FC0);  // signalling -> quiet
  EXPECT_EQ(float16(std::bit_cast<float>(0xFF800001u)).bits, 0xFE00);
  // A double just above a float16 midpoint that rounds to the midpoint in float: once, not twice.
  EXPECT_EQ(float16(1 + 0x1p-11 + 0x1p-40).bits, 0x3C01);
  EXPECT_EQ(bfloat16(1 + 0x1p-8 + 0x1p-40).bits, 0x3F81);
}

// Every 16-bit pattern through identity: the vector conversions (F16C, integer rounding) on every
// target agree with the scalar ones, NaN quiet.
TEST(HalfConversions, VectorPathsAgreeWithScalar) {
  const Activation identity = Activation::parse("identity");
  for_each_target([&] {
    std::vector<bfloat16> xb(0x10000), yb(0x10000);
    std::vector<float16> xh(0x10000), yh(0x10000);
    for (std::uint32_t b = 0; b < 0x10000; ++b) {
      xb[b] = bfloat16::from_bits(static_cast<std::uint16_t>(b));
      xh[b] = float16::from_bits(static_cast<std::uint16_t>(b));
    }
    identity.forward(xb, yb);
    identity.forward(xh, yh);
    for (std::uint32_t b = 0; b < 0x10000; ++b) {
      ASSERT_EQ(yb[b].bits, bfloat16(static_cast<float>(xb[b])).bits) << b;
      ASSERT_EQ(yh[b].bits, float16(static_cast<float>(xh[b])).bits) << b;
    }
  });
}

// softmax and log_softmax on 16-bit rows: float's result rounded once, within 0.501 ulp of the
// format at every element (against long double), and backward likewise.
template <class H>
void ExpectSoftmaxWithinHalfAnUlp() {
  constexpr std::size_t kRows = 64, kWidth = 37;
  std::vector<H> x(kRows * kWidth), y(x.size()), dx(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    x[i] = H(static_cast<float>(std::sin(0.7 * static_cast<double>(i)) * (i % 7 + 1)));
  }
  const std::array<std::size_t, 2> shape = {kRows, kWidth};
  const auto ulp_error = [](H got, long double exact) {
    const float g = static_cast<float>(got);
    const long double up =
        static_cast<float>(H::from_bits(static_cast<std::uint16_t>(got.bits + 1)));
    return static_cast<double>(std::fabs(g - exact) / std::fabs(up - g));
  };
  for (const bool log : {false, true}) {
    if (log) {
      log_softmax(std::span<const H>(x), std::span<H>(y), shape);
    } else {
      softmax(std::span<const H>(x), std::span<H>(y), shape);
    }
    double worst = 0;
    for (std::size_t r = 0; r < kRows; ++r) {
      long double max = -INFINITY, sum = 0;
      for (std::size_t j = 0; j < kWidth; ++j) {
        max = std::max<long double>(max, static_cast<float>(x[r * kWidth + j]));
      }
      for (std::size_t j = 0; j < kWidth; ++j) {
        sum += std::exp(static_cast<float>(x[r * kWidth + j]) - max);
      }
      for (std::size_t j = 0; j < kWidth; ++j) {
        const long double shifted = static_cast<float>(x[r * kWidth + j]) - max;
        const long double exact = log ? shifted - std::log(sum) : std::exp(shifted) / sum;
        worst = std::max(worst, ulp_error(y[r * kWidth + j], exact));
      }
    }
    EXPECT_LE(worst, 0.501) << (log ? "log_softmax" : "softmax");
  }
  // The backward of softmax against float's, rounded: the same results.
  softmax(std::span<const H>(x), std::span<H>(y), shape);
  softmax_backward(std::span<const H>(y), std::span<const H>(x), std::span<H>(dx), shape);
  std::vector<float> yf(x.size()), xf(x.size()), dxf(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    yf[i] = static_cast<float>(y[i]);
    xf[i] = static_cast<float>(x[i]);
  }
  softmax_backward(std::span<const float>(yf), std::span<const float>(xf), std::span<float>(dxf),
                   shape);
  for (std::size_t i = 0; i < x.size(); ++i) ASSERT_EQ(dx[i].bits, H(dxf[i]).bits) << i;
  // softmin is softmax of -x (negation is exact in the format), its backward float's rounded.
  std::vector<H> negated(x.size()), y_min(x.size());
  for (std::size_t i = 0; i < x.size(); ++i)
    negated[i] = H::from_bits(static_cast<std::uint16_t>(x[i].bits ^ 0x8000));
  softmax(std::span<const H>(negated), std::span<H>(y), shape);
  softmin(std::span<const H>(x), std::span<H>(y_min), shape);
  for (std::size_t i = 0; i < x.size(); ++i) ASSERT_EQ(y_min[i].bits, y[i].bits) << i;
  softmin_backward(std::span<const H>(y_min), std::span<const H>(x), std::span<H>(dx), shape);
  for (std::size_t i = 0; i < x.size(); ++i) yf[i] = static_cast<float>(y_min[i]);
  softmin_backward(std::span<const float>(yf), std::span<const float>(xf), std::span<float>(dxf),
                   shape);
  for (std::size_t i = 0; i < x.size(); ++i) ASSERT_EQ(dx[i].bits, H(dxf[i]).bits) << i;
}

// The clamps (relu, relu6, hardtanh, identity) run on the 16-bit patterns where their bounds are
// values of the format; hardtanh's -0.1 is in neither format, so that spec takes the general
// path. Either way: f is the reference rounded once, and f', dy f' and dy f' from the output are
// the float path's results rounded (exact there: 1, dy or dy times 0), with dy infinite and NaN
// too, on every target.
template <class H>
void ExpectClampLikeFloat(const char* spec) {
  const Activation act = Activation::parse(spec);
  const std::size_t count = 0x10000;
  const float kDy[] = {1.0f, -2.5f, 0.0f, -0.0f, INFINITY, -INFINITY, NAN, 3e-39f};
  std::vector<H> x(count), dy(count), y(count), d(count), b(count), from_y(count);
  std::vector<float> xf(count), dyf(count), yf(count), df(count), bf(count), from_yf(count);
  for (const float g : kDy) {
    for (std::size_t i = 0; i < count; ++i) {
      x[i] = H::from_bits(static_cast<std::uint16_t>(i));
      dy[i] = H(g);
      xf[i] = static_cast<float>(x[i]);
      dyf[i] = static_cast<float>(dy[i]);
    }
    act.forward(std::span<const H>(x), std::span<H>(y));
    act.derivative(std::span<const H>(x), std::span<H>(d));
    act.backward(std::span<const H>(x), std::span<const H>(dy), std::span<H>(b));
    act.backward_from_output(std::span<const H>(y), std::span<const H>(dy), std::span<H>(from_y));
    for (std::size_t i = 0; i < count; ++i) yf[i] = static_cast<float>(y[i]);
    act.derivative(std::span<const float>(xf), std::span<float>(df));
    act.backward(std::span<const float>(xf), std::span<const float>(dyf), std::span<float>(bf));
    act.backward_from_output(std::span<const float>(yf), std::span<const float>(dyf),
                             std::span<float>(from_yf));
    for (std::size_t i = 0; i < count; ++i) {
      if (!std::isnan(xf[i])) {
        ASSERT_EQ(y[i].bits, H(act.reference(xf[i])).bits) << spec << " f at x = " << xf[i];
      }
      ASSERT_EQ(d[i].bits, H(df[i]).bits) << spec << " f' at x = " << xf[i];
      ASSERT_EQ(b[i].bits, H(bf[i]).bits) << spec << " dy f' at x = " << xf[i] << ", dy = " << g;
      ASSERT_EQ(from_y[i].bits, H(from_yf[i]).bits)
          << spec << " from output at y = " << yf[i] << ", dy = " << g;
    }
  }
}

TEST(HalfClamp, BitPatternsGiveTheFloatPathsResults) {
  for_each_target([] {
    for (const char* spec :
         {"relu", "relu6", "identity", "hardtanh", "hardtanh:min_val=-2,max_val=3",
          "hardtanh:min_val=-0.1,max_val=0.3"}) {
      ExpectClampLikeFloat<bfloat16>(spec);
      ExpectClampLikeFloat<float16>(spec);
    }
  });
}

TEST(HalfSoftmax, RoundedOnceFromFloat) {
  ExpectSoftmaxWithinHalfAnUlp<bfloat16>();
  ExpectSoftmaxWithinHalfAnUlp<float16>();
}

TEST(HalfSoftmax, SoftminRefusesMismatchedSizes) {
  std::vector<bfloat16> x(6), y(5);
  EXPECT_THROW(softmin(std::span<const bfloat16>(x), std::span<bfloat16>(y)), Error);
  std::vector<float16> hx(6), hy(6), hdx(5);
  EXPECT_THROW(softmin_backward(std::span<const float16>(hx), std::span<const float16>(hy),
                                std::span<float16>(hdx)),
               Error);
}

// The sparse cross-entropy on 16-bit logits: float's loss on the widened logits, and its
// gradient rounded once.
template <class H>
void ExpectSparseCrossEntropyThroughFloat() {
  constexpr std::size_t kRows = 16, kClasses = 10;
  std::vector<H> logits(kRows * kClasses), grad(logits.size());
  std::vector<float> wide(logits.size()), wide_grad(logits.size()), loss(kRows), wide_loss(kRows);
  std::vector<std::int64_t> labels(kRows);
  for (std::size_t i = 0; i < logits.size(); ++i) {
    logits[i] = H(static_cast<float>(3 * std::cos(1.3 * static_cast<double>(i))));
    wide[i] = static_cast<float>(logits[i]);
  }
  for (std::size_t r = 0; r < kRows; ++r) labels[r] = static_cast<std::int64_t>(r % kClasses);
  const std::array<std::size_t, 2> shape = {kRows, kClasses};
  sparse_softmax_cross_entropy_with_logits(std::span<const std::int64_t>(labels),
                                           std::span<const H>(logits), std::span<float>(loss),
                                           std::span<H>(grad), shape);
  sparse_softmax_cross_entropy_with_logits(
      std::span<const std::int64_t>(labels), std::span<const float>(wide),
      std::span<float>(wide_loss), std::span<float>(wide_grad), shape);
  EXPECT_EQ(loss, wide_loss);
  for (std::size_t i = 0; i < grad.size(); ++i) ASSERT_EQ(grad[i].bits, H(wide_grad[i]).bits);
  EXPECT_GT(loss[0], 0);
}

TEST(HalfSoftmax, SparseCrossEntropyAccumulatesInFloat) {
  ExpectSparseCrossEntropyThroughFloat<bfloat16>();
  ExpectSparseCrossEntropyThroughFloat<float16>();
}

// What the format's correct rounding of the exact value hi + lo is: hi + lo rounded to float to
// odd (exact - f decides the direction), then to nearest even, which is one rounding.
template <class H>
std::uint16_t correctly_rounded(const Exact& exact) {
  float f = static_cast<float>(exact.hi);
  if (std::isfinite(exact.hi)) {
    const double above = (exact.hi - static_cast<double>(f)) + exact.lo;  // hi - f is exact
    if (above != 0 && (std::bit_cast<std::uint32_t>(f) & 1) == 0) {
      f = std::nextafter(f, above > 0 ? kInfF : -kInfF);
    }
  }
  return H(f).bits;
}

// dy (hi + lo) as a sum of two doubles (the error of the first product is exact with fma).
Exact times(double dy, const Exact& e) {
  const double p = dy * e.hi;
  return {p, std::fma(dy, e.hi, -p) + dy * e.lo};
}

struct Counts {
  std::size_t checked = 0;  // results compared
  std::size_t wrong = 0;    // not the correctly rounded value
};

// For one spec and format: the expected results of f, f' and dy f' at all 65,536 inputs
// compared with the results on every target.
template <class H>
Counts Compare(const Activation& act) {
  Counts counts;
  constexpr std::size_t kCount = 0x10000;
  std::vector<H> x(kCount), dy(kCount);
  std::vector<float> xf(kCount), dyf(kCount);
  for (std::size_t i = 0; i < kCount; ++i) {
    x[i] = H::from_bits(static_cast<std::uint16_t>(i));
    // dy over every binade of the format, both signs, NaN and infinities replaced by 1.
    H d = H::from_bits(static_cast<std::uint16_t>((i * 40503u) & 0xFFFF));
    if (!std::isfinite(static_cast<float>(d))) d = H(1.0f);
    dy[i] = d;
    xf[i] = static_cast<float>(x[i]);
    dyf[i] = static_cast<float>(dy[i]);
  }
  // The oracle once per input (two threads), the expected 16-bit patterns; kUnset where float's
  // semantics decide.
  struct Expected {
    std::uint16_t f, d, b;
    bool finite_f, finite_d, finite_b;
  };
  std::vector<Expected> expected(kCount);
  const std::string name(act.name());
  std::vector<std::thread> pool;
  for (std::size_t t = 0; t < 2; ++t) {
    pool.emplace_back([&, t] {
      for (std::size_t i = t; i < kCount; i += 2) {
        Expected& e = expected[i];
        Exact value{}, slope{};
        const bool finite = std::isfinite(xf[i]) &&
                            oracle(name, act.params(), xf[i], false, &value) &&
                            oracle(name, act.params(), xf[i], true, &slope);
        e.finite_f = finite && std::isfinite(value.hi);
        e.finite_d = finite && std::isfinite(slope.hi);
        e.finite_b = e.finite_d;
        if (e.finite_f) e.f = correctly_rounded<H>(value);
        if (e.finite_d) {
          e.d = correctly_rounded<H>(slope);
          e.b = correctly_rounded<H>(times(dyf[i], slope));
        }
      }
    });
  }
  for (std::thread& t : pool) t.join();

  const char* const kOpNames[] = {"f", "f'", "dy f'"};
  const auto check = [&](int op, std::size_t i, H got, bool finite, std::uint16_t want,
                         float as_float) {
    const float g = static_cast<float>(got);
    bool ok;
    if (!finite || std::isnan(as_float)) {
      // Float's semantics: its result rounded (a NaN quiet, with float's sign and payload).
      ok = got.bits == H(as_float).bits;
    } else if ((want & 0x7FFF) == 0) {
      ok = g == 0 && std::signbit(g) == std::signbit(as_float);
    } else {
      ok = got.bits == want;
    }
    if (!ok && ++counts.wrong <= 10) {
      ADD_FAILURE() << act.spec() << " " << kOpNames[op] << " at x = " << xf[i] << " (0x"
                    << std::hex << x[i].bits << ", dy = " << dyf[i] << "): got 0x" << got.bits
                    << " = " << std::dec << g << ", want 0x" << std::hex << want << std::dec
                    << " (float32 gives " << as_float << ")";
    }
  };
  for_each_target([&] {
    // Float32's results on this target, for what the 16-bit ones must be where the exact value is
    // not finite or rounds to zero (NaN, infinities and the sign of zero as in float).
    std::vector<float> yf(kCount), df(kCount), bf(kCount);
    act.forward(xf, yf);
    act.derivative(xf, df);
    act.backward(xf, dyf, bf);
    std::vector<H> y(kCount), d(kCount), b(kCount), in_place = x;
    act.forward(x, y);
    act.derivative(x, d);
    act.backward(x, dy, b);
    act.forward(in_place, in_place);
    for (std::size_t i = 0; i < kCount; ++i) {
      const Expected& e = expected[i];
      check(0, i, y[i], e.finite_f, e.f, yf[i]);
      check(1, i, d[i], e.finite_d, e.d, df[i]);
      check(2, i, b[i], e.finite_b, e.b, bf[i]);
      const bool both_nan =
          std::isnan(static_cast<float>(in_place[i])) && std::isnan(static_cast<float>(y[i]));
      if (in_place[i].bits != y[i].bits && !both_nan && ++counts.wrong <= 10) {
        ADD_FAILURE() << act.spec() << " in place differs at x = " << xf[i];
      }
    }
    counts.checked += 3 * kCount;
  });
  return counts;
}

class CorrectlyRounded : public ::testing::TestWithParam<std::string> {};

TEST_P(CorrectlyRounded, EveryInputOfBothFormats) {
  const Activation act = Activation::parse(GetParam());
  const Counts b = Compare<bfloat16>(act), h = Compare<float16>(act);
  std::printf("%-34s bf16: %zu results, %zu wrong; f16: %zu, %zu\n", GetParam().c_str(), b.checked,
              b.wrong, h.checked, h.wrong);
  EXPECT_EQ(b.wrong, 0u);
  EXPECT_EQ(h.wrong, 0u);
}

// A lane's result depends on nothing but its own inputs: every op on pieces of an array (any
// length and offset, so that the loops' groups, pairs, single vectors and padded last vectors all
// take part) and in place (dx over x, and over dy) gives the whole array's result bit for bit.
template <class H>
void ExpectPiecesAndInPlaceAgree(const Activation& act) {
  constexpr std::size_t kCount = 4096 + 211;
  std::vector<H> x(kCount), dy(kCount);
  std::uint32_t state = 12345;
  const auto next = [&] { return state = state * 1664525u + 1013904223u; };
  for (std::size_t i = 0; i < kCount; ++i) {
    // Mostly N(0, 4)-like magnitudes, with every pattern now and then (NaN, infinities, tiny).
    const float u = static_cast<float>(next() >> 8) * 0x1p-24f;
    x[i] = (next() & 15) == 0 ? H::from_bits(static_cast<std::uint16_t>(next() >> 16))
                              : H(8 * (u - 0.5f) * (1 + u));
    dy[i] = H(static_cast<float>(static_cast<int>(next() >> 24) - 128) / 32);
  }
  std::vector<H> y(kCount), d(kCount), b(kCount);
  act.forward(x, y);
  act.derivative(x, d);
  act.backward(x, dy, b);
  const auto same = [&](const char* what, std::span<const H> got, std::span<const H> want,
                        std::size_t at) {
    for (std::size_t i = 0; i < got.size(); ++i) {
      const bool both_nan =
          std::isnan(static_cast<float>(got[i])) && std::isnan(static_cast<float>(want[i]));
      ASSERT_TRUE(got[i].bits == want[i].bits || both_nan)
          << act.spec() << " " << what << " at " << at + i << " of a piece from " << at;
    }
  };
  for (const std::size_t length : {1, 3, 5, 15, 16, 17, 31, 33, 36, 63, 64, 65, 100, 4097}) {
    for (const std::size_t at : {0, 1, 7, 40}) {
      const std::span<const H> px(x.data() + at, length), pdy(dy.data() + at, length);
      std::vector<H> out(length);
      act.forward(px, out);
      same("f", out, {y.data() + at, length}, at);
      act.derivative(px, out);
      same("f'", out, {d.data() + at, length}, at);
      act.backward(px, pdy, out);
      same("dy f'", out, {b.data() + at, length}, at);
    }
  }
  // From the output y = f(x) where the function has that form: pieces and in place as above, and
  // within a unit in the last place of the float path's result (both round dy f'(x) from y).
  std::vector<H> from_y(kCount);
  bool has_from_output = true;
  try {
    act.backward_from_output(std::span<const H>(y), std::span<const H>(dy), std::span<H>(from_y));
  } catch (const Error&) {
    has_from_output = false;
  }
  if (has_from_output) {
    std::vector<float> yf(kCount), dyf(kCount), from_yf(kCount);
    for (std::size_t i = 0; i < kCount; ++i) {
      yf[i] = static_cast<float>(y[i]);
      dyf[i] = static_cast<float>(dy[i]);
    }
    act.backward_from_output(std::span<const float>(yf), std::span<const float>(dyf),
                             std::span<float>(from_yf));
    for (std::size_t i = 0; i < kCount; ++i) {
      const float got = static_cast<float>(from_y[i]), want = from_yf[i];
      if (std::isnan(want) || std::isinf(want)) {
        ASSERT_EQ(from_y[i].bits, H(want).bits) << act.spec() << " from output at " << i;
        continue;
      }
      const int distance = std::abs(static_cast<int>(from_y[i].bits & 0x7FFF) -
                                    static_cast<int>(H(want).bits & 0x7FFF));
      ASSERT_TRUE(distance <= 1 && (got == 0 || std::signbit(got) == std::signbit(want)))
          << act.spec() << " from output at y = " << yf[i] << ", dy = " << dyf[i] << ": " << got
          << " against float's " << want;
    }
    for (const std::size_t length : {1, 5, 17, 36, 65, 4097}) {
      for (const std::size_t at : {0, 7}) {
        std::vector<H> out(length);
        act.backward_from_output(std::span<const H>(y.data() + at, length),
                                 std::span<const H>(dy.data() + at, length), std::span<H>(out));
        same("dy f' from y", out, {from_y.data() + at, length}, at);
      }
    }
    std::vector<H> over = y;
    act.backward_from_output(std::span<const H>(over), std::span<const H>(dy), std::span<H>(over));
    same("dy f' from y over y", over, from_y, 0);
    over = dy;
    act.backward_from_output(std::span<const H>(y), std::span<const H>(over), std::span<H>(over));
    same("dy f' from y over dy", over, from_y, 0);
  }
  std::vector<H> in_place = x;
  act.backward(in_place, dy, in_place);
  same("dy f' over x", in_place, b, 0);
  in_place = dy;
  act.backward(x, in_place, in_place);
  same("dy f' over dy", in_place, b, 0);
  in_place = x;
  act.derivative(in_place, in_place);
  same("f' over x", in_place, d, 0);
}

class PiecesAndInPlace : public ::testing::TestWithParam<std::string> {};

TEST_P(PiecesAndInPlace, GiveTheWholeArraysResults) {
  const Activation act = Activation::parse(GetParam());
  for_each_target([&] {
    ExpectPiecesAndInPlaceAgree<bfloat16>(act);
    ExpectPiecesAndInPlaceAgree<float16>(act);
  });
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Catalog, CorrectlyRounded, ::testing::ValuesIn(accuracy_specs()),
                         test_name);
INSTANTIATE_TEST_SUITE_P(Catalog, PiecesAndInPlace, ::testing::ValuesIn(accuracy_specs()),
                         test_name);

}  // namespace
}  // namespace sigma::test
