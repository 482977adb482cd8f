#include "accuracy.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <thread>

#include "mpfr_oracle.hpp"

namespace sigma::test {

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
