// The array paths of sigma::Activation: argument checks, and the split across threads around
// the vector kernels (which own the NaN and infinity semantics).
#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <sigma/activation.hpp>
#include <sigma/error.hpp>
#include <sigma/half.hpp>
#include <span>
#include <string>
#include <type_traits>

#include "activations/kernels/kernels.hpp"
#include "common/double_double.hpp"
#include "common/threads.hpp"

namespace sigma {
namespace {

// Below this many elements per thread, waking another thread costs more than it saves.
constexpr std::size_t kMinChunk = std::size_t{1} << 14;

template <class T>
void check_output(const char* op, const char* in_name, std::span<const T> in, std::span<T> out) {
  if (in.size() != out.size()) {
    throw Error(std::string(op) + ": " + in_name + " has " + std::to_string(in.size()) +
                " elements but the output has " + std::to_string(out.size()));
  }
  // Exact aliasing (in place) is fine elementwise; a shifted overlap would read overwritten data.
  const auto in_begin = reinterpret_cast<std::uintptr_t>(in.data());
  const auto out_begin = reinterpret_cast<std::uintptr_t>(out.data());
  const std::uintptr_t bytes = in.size() * sizeof(T);
  if (in_begin != out_begin && in_begin < out_begin + bytes && out_begin < in_begin + bytes) {
    throw Error(std::string(op) + ": the output partially overlaps " + in_name);
  }
}

// out = op(a[, dy]) through the vector kernel, split across threads for large arrays.
template <class T>
void apply(const Activation& act, kernels::KernelId kernel, kernels::Op op, std::span<const T> a,
           std::span<const T> dy, std::span<T> out, kernels::Zeros zeros) requires(sizeof(T) >= 4) {
  const kernels::Function function{act.info(), act.params(), zeros};
  detail::parallel_for(a.size(), kMinChunk, [&](std::size_t begin, std::size_t end) {
    kernels::run(kernel, op, function, a.data() + begin, dy.empty() ? nullptr : dy.data() + begin,
                 out.data() + begin, end - begin);
  });
}

// 16-bit arrays: blocks widened to float, through the float kernel, rounded back; the lanes whose
// rounding the float result cannot decide again through the double kernel, rounded from there.
template <class H>
constexpr kernels::HalfFormat kFormat =
    std::is_same_v<H, bfloat16> ? kernels::HalfFormat::kBFloat16 : kernels::HalfFormat::kFloat16;

// How far (in float bit patterns, which step by ulps) the float kernels' result may lie from the
// exact value: twice their bounds (f within 2 ulp, f' within 4, tests/accuracy_test.cpp), since
// a result just below a power of two may have an exact value above it, with twice the ulp. The
// backward's dy f' adds the product's rounding to f''s error, relative to a product of up to
// twice the ulp: 2 (4 + 1/2) ulp, rounded up.
constexpr std::uint32_t steps_of(kernels::Op op) {
  switch (op) {
    case kernels::Op::kForward:
      return 2 * 2;
    case kernels::Op::kDerivative:
      return 2 * 4;
    case kernels::Op::kBackward:
    case kernels::Op::kBackwardFromOutput:
      break;
  }
  return 2 * 9;
}

// Room the narrowing needs beyond a block's flagged lanes (kernels::narrow): a whole vector of the
// widest target's floats.
constexpr std::size_t kFlaggedSlack = 64;

using detail::DoubleDouble;
using detail::plus;
using detail::two_product;

// Which results the recomputation in double forms as the exact product of two doubles, kept whole
// (the product and its error, from fma) before the one rounding to 16 bits: dy f' where f' is
// exact (kernels::has_exact_slope), and f' x for the forward of the rectifiers through 0
// (kernels::is_slope_times_input). The product rounded to double can land within double's
// rounding of a midpoint of the 16-bit format, and did for slopes such as rrelu's 11/48 and
// srelu's 0.2. (Where f' is itself rounded, its error outweighs the product's.)
enum class Product { kNone, kInputTimesSlope, kDyTimesSlope };

constexpr Product product_of(kernels::KernelId kernel, kernels::Op op) {
  switch (op) {
    case kernels::Op::kForward:
      return kernels::is_slope_times_input(kernel) ? Product::kInputTimesSlope : Product::kNone;
    case kernels::Op::kDerivative:
      return Product::kNone;
    case kernels::Op::kBackward:
    case kernels::Op::kBackwardFromOutput:
      break;
  }
  return kernels::has_exact_slope(kernel) ? Product::kDyTimesSlope : Product::kNone;
}

// sum_k c[k] x^k by Horner's rule in double-double: each product's and sum's error kept.
DoubleDouble polynomial(std::span<const double> c, double x) {
  DoubleDouble r{c.back(), 0};
  for (std::size_t k = c.size() - 1; k-- > 0;) {
    const DoubleDouble p = two_product(r.hi, x);
    r = plus({p.hi, p.lo + r.lo * x}, c[k]);
  }
  return r;
}

// f(x) or f'(x) from f's Maclaurin series (FunctionInfo::series), where x is so small that the
// terms it leaves out lie below 2^-60 of its leading one.
bool near_zero(const FunctionInfo& info, const Params& params, bool derivative, double x,
               DoubleDouble* value) {
  // 2^-12: the widest x the rule below admits (five terms, the first the leading one).
  if (info.series == nullptr || x == 0 || std::fabs(x) > 0x1p-12) return false;
  const std::array<double, 5> f = info.series(x, params);
  std::array<double, 5> c = f;
  std::size_t n = f.size();
  if (derivative) {
    for (std::size_t k = 1; k < f.size(); ++k) c[k - 1] = static_cast<double>(k) * f[k];
    --n;
  }
  const std::span<const double> terms(c.data(), n);
  const auto leading = std::ranges::find_if(terms, [](double t) { return t != 0; });
  if (leading == terms.end()) return false;
  const auto left_out = static_cast<double>(terms.end() - leading);  // x^(n - d), d the leading
  if (std::fabs(x) > std::exp2(-60 / left_out)) return false;
  *value = polynomial(terms, x);
  return true;
}

// f(x) or f'(x) from f's series at infinity (FunctionInfo::series_at_infinity), beyond 2^20: the
// terms it leaves out, O(x^-4) of f and O(x^-5) of f', lie below 2^-100 of c0 x and c0.
bool near_infinity(const FunctionInfo& info, const Params& params, bool derivative, double x,
                   DoubleDouble* value) {
  if (info.series_at_infinity == nullptr || !(std::fabs(x) >= 0x1p20) || std::isinf(x)) {
    return false;
  }
  const std::array<double, 5> c = info.series_at_infinity(x, params);
  if (c[0] == 0) return false;
  const double u = 1 / x;
  if (derivative) {
    *value = plus({c[0], 0}, -u * u * (c[2] + u * (2 * c[3] + u * 3 * c[4])));
  } else {
    *value = plus(plus(two_product(c[0], x), c[1]), u * (c[2] + u * (c[3] + u * c[4])));
  }
  return true;
}

// Lanes recomputed in double per call of recompute_in_double.
constexpr std::size_t kRecomputeBatch = 256;

// Whether the exact value of a double result, within 2^-50 of it (the double kernels' 8-ulp
// bound), may lie on either side of a rounding boundary of H. Such a boundary has at most 12
// significant bits, so it is the float nearest to the result, whose neighbours then round apart;
// a float next to a boundary may pass too, which costs only time.
template <class H>
bool undecided_by_double(double r) {
  const float f = static_cast<float>(r);
  if (f == 0 || !std::isfinite(f)) return false;
  const std::uint32_t bits = std::bit_cast<std::uint32_t>(f);
  return H(std::bit_cast<float>(bits - 1)).bits != H(std::bit_cast<float>(bits + 1)).bits;
}

// exact[k] for the lanes k of `lanes`, whose double results cannot decide their rounding to 16
// bits: f(x), f'(x) or dy f'(x) in double-double from f's exact reference
// (FunctionInfo::reference_exact) or one of its series where x lies where they apply; the others
// kept. Beyond a leading term that is a 16-bit midpoint, or within double's rounding of one, the
// next term decides the rounding, and double alone drops it.
void beyond_double(const kernels::Function& function, kernels::Op op, const double* a,
                   const double* dy, std::span<const std::size_t> lanes, DoubleDouble* exact) {
  const FunctionInfo& info = function.info;
  const bool derivative = op != kernels::Op::kForward;
  const auto set = [&](std::size_t k, DoubleDouble v) {
    if (op == kernels::Op::kBackward) {
      const DoubleDouble p = two_product(dy[k], v.hi);
      v = {p.hi, p.lo + dy[k] * v.lo};
    }
    exact[k] = v;
  };
  if (info.reference_exact != nullptr) {
    double x[kRecomputeBatch], hi[kRecomputeBatch], lo[kRecomputeBatch];
    for (std::size_t i = 0; i < lanes.size(); ++i) x[i] = a[lanes[i]];
    info.reference_exact({x, lanes.size()}, function.params, derivative, {hi, lanes.size()},
                         {lo, lanes.size()});
    for (std::size_t i = 0; i < lanes.size(); ++i) set(lanes[i], {hi[i], lo[i]});
    return;
  }
  for (const std::size_t k : lanes) {
    DoubleDouble v;
    if (near_zero(info, function.params, derivative, a[k], &v) ||
        near_infinity(info, function.params, derivative, a[k], &v)) {
      set(k, v);
    }
  }
}

// The flagged lanes' results rounded once to H: as exact products, from the double kernel, and
// where double's result cannot decide, beyond double: a[j] (and dy[j]) in, n <= kRecomputeBatch,
// *out[j] replaced but where the result is a zero and *out[j] already is one (an underflowed
// double result may have lost the sign that float's formula kept).
template <class H>
void recompute_in_double(kernels::KernelId kernel, kernels::Op op,
                         const kernels::Function& function, const double* a, const double* dy,
                         H* const* out, std::size_t n) {
  double value[kRecomputeBatch], slope[kRecomputeBatch], ones[kRecomputeBatch];
  DoubleDouble exact[kRecomputeBatch];
  const Product product = product_of(kernel, op);
  if (product == Product::kNone) {
    kernels::run(kernel, op, function, a, dy, value, n);
    for (std::size_t j = 0; j < n; ++j) exact[j] = {value[j], 0};
  } else {
    // f'(x), or f'(x) from y = f(x) as the backward from the output with dy = 1.
    const bool from_output = op == kernels::Op::kBackwardFromOutput;
    if (from_output) std::fill_n(ones, n, 1.0);
    kernels::run(kernel, from_output ? op : kernels::Op::kDerivative, function, a,
                 from_output ? ones : nullptr, slope, n);
    for (std::size_t j = 0; j < n; ++j) {
      exact[j] = two_product(product == Product::kDyTimesSlope ? dy[j] : a[j], slope[j]);
      if (!std::isfinite(exact[j].hi)) exact[j].lo = 0;
    }
  }
  // Series and exact references are of f and f' of x, not of y.
  if (op != kernels::Op::kBackwardFromOutput &&
      (function.info.reference_exact != nullptr || function.info.series != nullptr ||
       function.info.series_at_infinity != nullptr)) {
    std::size_t undecided[kRecomputeBatch], m = 0;
    for (std::size_t j = 0; j < n; ++j) {
      if (exact[j].lo == 0 && std::isfinite(a[j]) && undecided_by_double<H>(exact[j].hi)) {
        undecided[m++] = j;
      }
    }
    if (m > 0) beyond_double(function, op, a, dy, {undecided, m}, exact);
  }
  for (std::size_t j = 0; j < n; ++j) {
    H& o = *out[j];
    if (exact[j].hi == 0 && (o.bits & 0x7FFF) == 0) continue;
    o = H(detail::round_to_odd_float(exact[j].hi, exact[j].lo));
  }
}

template <class H>
void apply(const Activation& act, kernels::KernelId kernel, kernels::Op op, std::span<const H> a,
           std::span<const H> dy, std::span<H> out, kernels::Zeros zeros) requires(sizeof(H) == 2) {
  const kernels::Function function{act.info(), act.params(), zeros};
  const auto bits = [](const H* p) { return reinterpret_cast<const std::uint16_t*>(p); };
  // dy for the narrowing's check of f' underflowing float, which the piecewise kernels' exact
  // slopes never do (their zero slopes would all be recomputed).
  const bool slope_may_underflow = op == kernels::Op::kBackward && !kernels::is_piecewise(kernel);
  detail::parallel_for(a.size(), kMinChunk, [&](std::size_t begin, std::size_t end) {
    if (kernels::exact_half(kernel, op, act.params(), kFormat<H>, bits(a.data() + begin),
                            dy.empty() ? nullptr : bits(dy.data() + begin),
                            reinterpret_cast<std::uint16_t*>(out.data() + begin), end - begin)) {
      return;
    }
    // Blocks long enough to amortise each pass's dispatch, short enough that the three passes'
    // float blocks stay in L1 and L2; lanes to recompute in double go in batches.
    constexpr std::size_t kBlock = 4096;
    std::uint32_t index[kBlock + kFlaggedSlack];
    float flagged_x[kBlock + kFlaggedSlack], flagged_dy[kBlock + kFlaggedSlack];
    const kernels::HalfNarrowing narrowing{steps_of(op), slope_may_underflow, index, flagged_x,
                                           dy.empty() ? nullptr : flagged_dy};
    for (std::size_t b = begin; b < end; b += kBlock) {
      const std::size_t m = std::min(kBlock, end - b);
      const auto* block_dy = dy.empty() ? nullptr : bits(dy.data() + b);
      auto* block_out = reinterpret_cast<std::uint16_t*>(out.data() + b);
      std::size_t count = kernels::run_half(kernel, op, function, kFormat<H>, bits(a.data() + b),
                                            block_dy, block_out, m, narrowing);
      if (count == kernels::kNotInOnePass) {
        float fa[kBlock], fdy[kBlock], result[kBlock];
        kernels::widen(kFormat<H>, bits(a.data() + b), fa, m);
        if (!dy.empty()) kernels::widen(kFormat<H>, block_dy, fdy, m);
        kernels::run(kernel, op, function, fa, dy.empty() ? nullptr : fdy, result, m);
        count = kernels::narrow(kFormat<H>, result, fa, dy.empty() ? nullptr : fdy, block_out, m,
                                narrowing);
      }
      for (std::size_t first = 0; first < count; first += kRecomputeBatch) {
        const std::size_t n = std::min(kRecomputeBatch, count - first);
        double da[kRecomputeBatch], ddy[kRecomputeBatch];
        H* lanes[kRecomputeBatch];
        for (std::size_t j = 0; j < n; ++j) {
          da[j] = flagged_x[first + j];
          ddy[j] = dy.empty() ? 0 : flagged_dy[first + j];
          lanes[j] = &out[b + index[first + j]];
        }
        recompute_in_double(kernel, op, function, da, dy.empty() ? nullptr : ddy, lanes, n);
      }
    }
  });
}

template <class T>
void forward(const Activation& act, kernels::KernelId kernel, kernels::Zeros zeros,
             std::span<const T> x, std::span<T> y) {
  check_output("forward", "x", x, y);
  // identity in place: y already holds f(x), bit for bit (NaN included), so nothing is read or
  // written.
  if (kernel == kernels::KernelId::k_identity && x.data() == y.data()) return;
  apply<T>(act, kernel, kernels::Op::kForward, x, {}, y, zeros);
}

template <class T>
void derivative(const Activation& act, kernels::KernelId kernel, std::span<const T> x,
                std::span<T> d) {
  check_output("derivative", "x", x, d);
  apply<T>(act, kernel, kernels::Op::kDerivative, x, {}, d, kernels::Zeros::kAsComputed);
}

template <class T>
void backward(const Activation& act, kernels::KernelId kernel, std::span<const T> x,
              std::span<const T> dy, std::span<T> dx) {
  check_output("backward", "x", x, dx);
  check_output("backward", "dy", dy, dx);
  apply<T>(act, kernel, kernels::Op::kBackward, x, dy, dx, kernels::Zeros::kAsComputed);
}

template <class T>
void backward_from_output(const Activation& act, kernels::KernelId kernel, std::span<const T> y,
                          std::span<const T> dy, std::span<T> dx) {
  const FunctionInfo& f = act.info();
  if (f.reference_from_output == nullptr) {
    throw Error(std::string(f.name) +
                " has no backward_from_output: its derivative is not a function of its output; "
                "use backward with the input");
  }
  if (f.check_from_output != nullptr) {
    if (const char* problem = f.check_from_output(act.params())) {
      throw Error(std::string(f.name) + ": " + problem);
    }
  }
  check_output("backward_from_output", "y", y, dx);
  check_output("backward_from_output", "dy", dy, dx);
  apply<T>(act, kernel, kernels::Op::kBackwardFromOutput, y, dy, dx, kernels::Zeros::kAsComputed);
}

}  // namespace

Activation::Activation(const FunctionInfo* info, const Params& params)
    : info_(info),
      params_(params),
      kernel_(static_cast<int>(kernels::find_kernel(*info))),
      zeros_(static_cast<int>(kernels::zeros_of(*info, params))) {
  if (kernel_ == static_cast<int>(kernels::KernelId::kNone)) {
    throw Error(std::string(info->name) + " has no vector kernel (a build error)");
  }
}

bool Activation::has_backward_from_output() const noexcept {
  return info_->reference_from_output != nullptr &&
         (info_->check_from_output == nullptr || info_->check_from_output(params_) == nullptr);
}

double Activation::reference(double x) const {
  return std::isnan(x) ? x : info_->reference(x, params_);
}

double Activation::reference_derivative(double x) const {
  return std::isnan(x) ? x : info_->reference_derivative(x, params_);
}

void Activation::forward(std::span<const float> x, std::span<float> y) const {
  sigma::forward(*this, static_cast<kernels::KernelId>(kernel_),
                 static_cast<kernels::Zeros>(zeros_), x, y);
}
void Activation::derivative(std::span<const float> x, std::span<float> d) const {
  sigma::derivative(*this, static_cast<kernels::KernelId>(kernel_), x, d);
}
void Activation::backward(std::span<const float> x, std::span<const float> dy,
                          std::span<float> dx) const {
  sigma::backward(*this, static_cast<kernels::KernelId>(kernel_), x, dy, dx);
}
void Activation::backward_from_output(std::span<const float> y, std::span<const float> dy,
                                      std::span<float> dx) const {
  sigma::backward_from_output(*this, static_cast<kernels::KernelId>(kernel_), y, dy, dx);
}

void Activation::forward(std::span<const double> x, std::span<double> y) const {
  sigma::forward(*this, static_cast<kernels::KernelId>(kernel_),
                 static_cast<kernels::Zeros>(zeros_), x, y);
}
void Activation::derivative(std::span<const double> x, std::span<double> d) const {
  sigma::derivative(*this, static_cast<kernels::KernelId>(kernel_), x, d);
}
void Activation::backward(std::span<const double> x, std::span<const double> dy,
                          std::span<double> dx) const {
  sigma::backward(*this, static_cast<kernels::KernelId>(kernel_), x, dy, dx);
}
void Activation::backward_from_output(std::span<const double> y, std::span<const double> dy,
                                      std::span<double> dx) const {
  sigma::backward_from_output(*this, static_cast<kernels::KernelId>(kernel_), y, dy, dx);
}

#define SIGMA_HALF_METHODS(H)                                                                     \
  void Activation::forward(std::span<const H> x, std::span<H> y) const {                          \
    sigma::forward(*this, static_cast<kernels::KernelId>(kernel_),                                \
                   static_cast<kernels::Zeros>(zeros_), x, y);                                    \
  }                                                                                               \
  void Activation::derivative(std::span<const H> x, std::span<H> d) const {                       \
    sigma::derivative(*this, static_cast<kernels::KernelId>(kernel_), x, d);                      \
  }                                                                                               \
  void Activation::backward(std::span<const H> x, std::span<const H> dy, std::span<H> dx) const { \
    sigma::backward(*this, static_cast<kernels::KernelId>(kernel_), x, dy, dx);                   \
  }                                                                                               \
  void Activation::backward_from_output(std::span<const H> y, std::span<const H> dy,              \
                                        std::span<H> dx) const {                                  \
    sigma::backward_from_output(*this, static_cast<kernels::KernelId>(kernel_), y, dy, dx);       \
  }
SIGMA_HALF_METHODS(bfloat16)
SIGMA_HALF_METHODS(float16)
#undef SIGMA_HALF_METHODS

}  // namespace sigma
