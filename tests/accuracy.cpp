#include "accuracy.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>

#include "activations/kernels/derivative_roots.hpp"
#include "support/mpfr_oracle.hpp"

namespace sigma::test {

using mpfr::Exact;
using mpfr::oracle;
using mpfr::oracle_knows;
using mpfr::ulp_error;

std::vector<std::string> accuracy_specs() {
  std::vector<std::string> s;
  for (const FunctionInfo& f : catalog()) s.emplace_back(f.name);
  // Non-default parameters, so that parameter handling is measured too.
  for (const char* extra :
       {"leaky_relu:alpha=0.2", "elu:alpha=0.5", "celu:alpha=2", "softplus:beta=2",
        "swish:beta=1.5", "gelu:approximate=tanh", "hardtanh:min_val=-2,max_val=3",
        "hardsigmoid:slope=0.2", "softshrink:lambd=1", "hardshrink:lambd=1",
        "threshold:threshold=1,value=-1", "squareplus:b=1", "isru:alpha=2",
        "srelu:tl=-2,al=0.1,tr=2,ar=0.5", "rrelu:lower=0.1,upper=0.3", "isrlu:alpha=3",
        "snake:alpha=0.3",
        // Scales inside an exponential that are not powers of two, so that beta x and x/alpha
        // round: e^(beta x) amplifies that rounding |beta x| times unless it is carried.
        "softplus:beta=3", "softplus:beta=1.1", "softplus:beta=0.3", "softplus:beta=10",
        "swish:beta=3", "swish:beta=1.1", "swish:beta=0.3", "swish:beta=10", "celu:alpha=3",
        "celu:alpha=0.7", "celu:alpha=-0.7", "elu:alpha=3", "elu:alpha=0.7", "isru:alpha=0.7",
        "hardsigmoid:slope=0.3,offset=0.4"}) {
    s.emplace_back(extra);
  }
  return s;
}

void WorstCase::add(double error, double x) {
  if (error > ulp || (std::isnan(error) && !std::isnan(ulp))) {
    ulp = error;
    input = x;
  }
  sum += error;
  ++count;
}

void WorstCase::merge(const WorstCase& other) {
  if (other.ulp > ulp) {
    ulp = other.ulp;
    input = other.input;
  }
  sum += other.sum;
  count += other.count;
}

std::vector<double> special_points(const Activation& act) {
  std::vector<double> base = {
      0,    0.5,           1, 2, 3, 6, 20, 30, 88.72, 103.97, 709.78, 1e-30, 1e-300, 0x1p-126, 1e10,
      1e30, 0x1.fffffep127};
  for (std::size_t i = 0; i < act.info().params.size(); ++i) base.push_back(act.params()[i]);
  std::vector<double> points;
  for (double b : base) {
    for (double s : {1.0, -1.0}) {
      double v = s * b;
      points.push_back(v);
      // Float neighbours, the inputs where a kink's convention is decided.
      float up = static_cast<float>(v), down = static_cast<float>(v);
      for (int k = 0; k < 2; ++k) {
        up = std::nextafter(up, std::numeric_limits<float>::infinity());
        down = std::nextafter(down, -std::numeric_limits<float>::infinity());
        points.push_back(up);
        points.push_back(down);
      }
    }
  }
  points.push_back(std::numeric_limits<float>::denorm_min());
  points.push_back(-std::numeric_limits<float>::denorm_min());
  points.erase(
      std::remove_if(points.begin(), points.end(), [](double v) { return !std::isfinite(v); }),
      points.end());
  return points;
}

std::vector<float> float_inputs(std::uint64_t stride) {
  std::vector<float> x;
  for (std::uint64_t bits = 0; bits <= 0xFFFFFFFFu; bits += stride) {
    const float v = std::bit_cast<float>(static_cast<std::uint32_t>(bits));
    if (std::isfinite(v)) x.push_back(v);
  }
  return x;
}

std::vector<double> double_inputs(std::size_t count) {
  std::vector<double> x;
  const std::uint64_t stride = ~std::uint64_t{0} / count;
  for (std::size_t i = 0; i < count; ++i) {
    const double v = std::bit_cast<double>(i * stride + 0x9E3779B97F4A7C15u % stride);
    if (std::isfinite(v)) x.push_back(v);
  }
  for (std::size_t i = 0; i < count; ++i) {
    x.push_back(-40 + 80 * (static_cast<double>(i) + 0.318) / static_cast<double>(count));
  }
  // Every binade of |x| from 2^-30 to 2^12, both signs: the tails where a scaled exponential's
  // argument (beta x up to -745) lies beyond the grid, a few inputs each.
  std::uint64_t mantissa = 0x9E3779B97F4A7C15u;
  for (int e = -30; e < 12; ++e) {
    for (int k = 0; k < 24; ++k) {
      mantissa = mantissa * 6364136223846793005u + 1442695040888963407u;  // an LCG
      const double v = std::ldexp(1 + static_cast<double>(mantissa >> 11) * 0x1p-53, e);
      x.push_back(v);
      x.push_back(-v);
    }
  }
  return x;
}

namespace {

// The k-th positive root of tan x = x, from the table below 1024 and otherwise from
// x = (k + 1/2) pi - atan(1/x) iterated in long double (a contraction by 1/x^2).
double sinc_grad_root(int k) {
  if (k <= roots::kSincGradRootCount) return roots::kSincGradRoots[k - 1].hi;
  const long double q = (k + 0.5L) * 3.141592653589793238462643383279502884L;
  long double x = q;
  for (int i = 0; i < 4; ++i) x = q - std::atan(1 / x);
  return static_cast<double>(x);
}

template <class T>
std::vector<T> root_windows(const Activation& act) {
  std::vector<T> x;
  for (double root : roots_of(act)) {
    const T center = static_cast<T>(root);
    std::vector<T> window = {center};
    for (T direction : {std::numeric_limits<T>::infinity(), -std::numeric_limits<T>::infinity()}) {
      T v = center;
      int step = 1;
      for (int offset = 0; offset < 10000; offset += step) {
        for (int i = 0; i < step; ++i) v = std::nextafter(v, direction);
        window.push_back(v);
        if (offset >= 64) step = std::max(1, offset / 8);
      }
      if constexpr (std::is_same_v<T, double>) {
        for (double distance = 1e-12; distance < 0.011; distance *= std::sqrt(10.0)) {
          window.push_back(root + (direction > 0 ? distance : -distance) * std::fabs(root));
        }
      }
    }
    // Across +-2, beyond where the kernels' root windows end and their general formulas resume.
    if constexpr (std::is_same_v<T, double>) {
      for (int i = -500; i <= 500; ++i) window.push_back(root + 0.004 * i + 1e-9);
    }
    x.insert(x.end(), window.begin(), window.end());
  }
  return x;
}

}  // namespace

std::vector<double> roots_of(const Activation& act) {
  const std::string name(act.name());
  const double pi = 3.141592653589793;
  std::vector<double> roots;
  // Multiples m pi for a sample of m (half-integers when `half`), out to the trig range.
  auto periodic = [&](bool half, double scale) {
    for (double k : {0.0, 1.0, 2.0, 3.0, 10.0, 100.0, 1000.0, 10000.0}) {
      const double m = half ? k + 0.5 : k;
      if (m == 0) continue;
      roots.push_back(m * pi * scale);
      roots.push_back(-m * pi * scale);
    }
  };
  if (name == "silu") roots.push_back(roots::kSiluGrad.hi);
  if (name == "swish") roots.push_back(roots::kSiluGrad.hi / act.params()[0]);
  if (name == "mish") roots.push_back(roots::kMishGrad.hi);
  if (name == "gelu") {
    roots.push_back(act.params()[0] == 0 ? roots::kGeluGrad.hi : roots::kGeluTanhGrad.hi);
  }
  if (name == "sinc") {
    periodic(false, 1);  // f
    for (int k :
         {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100, 324, 325, 326, 327, 330, 400, 1000, 5000, 12000}) {
      roots.push_back(sinc_grad_root(k));
      roots.push_back(-sinc_grad_root(k));
    }
  }
  if (name == "sinusoid" || name == "cos") {
    periodic(false, 1);
    periodic(true, 1);
  }
  if (name == "snake") {  // f' = 1 + sin(2 alpha x) = 0
    const double alpha = act.params()[0];
    for (double k : {0.0, 1.0, 10.0, 1000.0}) {
      roots.push_back((k - 0.25) * pi / alpha);
      roots.push_back((-k - 0.25) * pi / alpha);
    }
  }
  return roots;
}

std::vector<float> float_root_windows(const Activation& act) { return root_windows<float>(act); }
std::vector<double> double_root_windows(const Activation& act) { return root_windows<double>(act); }

namespace {

template <class T>
Accuracy measure_impl(const Activation& act, const std::vector<T>& x, int threads) {
  std::vector<T> x_all = x;
  for (double p : special_points(act)) x_all.push_back(static_cast<T>(p));
  std::vector<T> y(x_all.size()), d(x_all.size());
  act.forward(std::span<const T>(x_all), std::span<T>(y));
  act.derivative(std::span<const T>(x_all), std::span<T>(d));
  // The same inputs with a NaN in every group of four, so that every vector holds one and takes
  // the kernels' any-range path (NaN lies outside every fast path's range): both paths are
  // measured, and each input counts with the worse of the two.
  std::vector<T> x_mixed;
  std::vector<std::size_t> slot(x_all.size());
  for (std::size_t i = 0; i < x_all.size(); ++i) {
    if (x_mixed.size() % 4 == 3) x_mixed.push_back(std::numeric_limits<T>::quiet_NaN());
    slot[i] = x_mixed.size();
    x_mixed.push_back(x_all[i]);
  }
  std::vector<T> y_mixed(x_mixed.size()), d_mixed(x_mixed.size());
  act.forward(std::span<const T>(x_mixed), std::span<T>(y_mixed));
  act.derivative(std::span<const T>(x_mixed), std::span<T>(d_mixed));
  const std::string name(act.name());
  if (!oracle_knows(name)) throw std::runtime_error("the MPFR oracle has no definition of " + name);
  const int bits = std::numeric_limits<T>::digits;
  std::vector<Accuracy> partial(static_cast<std::size_t>(threads));
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      Accuracy& acc = partial[static_cast<std::size_t>(t)];
      for (std::size_t i = static_cast<std::size_t>(t); i < x_all.size();
           i += static_cast<std::size_t>(threads)) {
        Exact exact{};
        const double xi = x_all[i];
        oracle(name, act.params(), xi, false, &exact);
        acc.value.add(
            std::max(ulp_error(y[i], exact, bits), ulp_error(y_mixed[slot[i]], exact, bits)), xi);
        oracle(name, act.params(), xi, true, &exact);
        acc.derivative.add(
            std::max(ulp_error(d[i], exact, bits), ulp_error(d_mixed[slot[i]], exact, bits)), xi);
      }
    });
  }
  for (std::thread& t : pool) t.join();
  Accuracy total;
  for (const Accuracy& a : partial) {
    total.value.merge(a.value);
    total.derivative.merge(a.derivative);
  }
  return total;
}

}  // namespace

Accuracy measure(const Activation& act, const std::vector<float>& x, int threads) {
  return measure_impl(act, x, threads);
}
Accuracy measure(const Activation& act, const std::vector<double>& x, int threads) {
  return measure_impl(act, x, threads);
}

}  // namespace sigma::test
