#include "plot/curves.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace sigma::curves {
namespace {

constexpr int kSamples = 1001;  // per curve; about one per pixel of a wide panel
constexpr int kMaxJumpsPerSample = 8;
constexpr double kSteepFactor = 5;

// Narrows [a, b], whose ends differ by more than a jump would, to the two closest inputs a
// bisection can find, following the larger change. A continuous curve ends with the two values
// close together; a jump keeps them apart.
std::pair<Point, Point> narrow_jump(const Curve& curve, Point a, Point b) {
  for (int i = 0; i < 200; ++i) {
    const double x = a.x + (b.x - a.x) / 2;
    if (x <= a.x || x >= b.x) break;
    const Point m{x, curve(x)};
    if (!std::isfinite(m.y)) break;
    if (std::abs(m.y - a.y) >= std::abs(b.y - m.y)) {
      b = m;
    } else {
      a = m;
    }
  }
  return {a, b};
}

// The shorter decimal of two adjacent inputs: where a jump that a bisection narrowed to them is
// (0 rather than 5e-324, 0.5 rather than 0.5000000000000001).
bool rounder(double a, double b) {
  char text_a[32], text_b[32];
  const auto end_a = std::to_chars(text_a, text_a + sizeof text_a, a).ptr;
  const auto end_b = std::to_chars(text_b, text_b + sizeof text_b, b).ptr;
  return end_a - text_a <= end_b - text_b;
}

}  // namespace

Sampled sample(const Curve& curve, double x_min, double x_max) {
  Sampled s;
  s.points.reserve(kSamples);
  for (int i = 0; i < kSamples; ++i) {
    const double x = x_min + (x_max - x_min) * i / (kSamples - 1);
    const double y = curve(x);
    s.points.push_back({x, y});
    if (!std::isfinite(y)) continue;
    s.lo = std::isnan(s.lo) ? y : std::min(s.lo, y);
    s.hi = std::isnan(s.hi) ? y : std::max(s.hi, y);
  }
  return s;
}

// [lo, hi] with a margin; [-1, 1] when there is nothing finite to show.
std::pair<double, double> padded(double lo, double hi) {
  if (!(lo <= hi)) return {-1, 1};
  if (lo == hi) return {lo - 1, hi + 1};
  const double pad = 0.06 * (hi - lo);
  return {lo - pad, hi + pad};
}

// The value axis that holds every curve. A curve whose extent is more than kSteepFactor times
// the typical one (the lower median) would flatten the others into lines, so it only widens the
// axis by one typical extent and is clipped there.
std::pair<double, double> auto_range(std::span<const Sampled> curves) {
  std::vector<double> extents;
  for (const Sampled& s : curves) {
    if (!std::isnan(s.lo) && s.hi > s.lo) extents.push_back(s.hi - s.lo);
  }
  std::sort(extents.begin(), extents.end());
  const double typical = extents.empty() ? 0 : extents[(extents.size() - 1) / 2];
  double lo = INFINITY, hi = -INFINITY;
  for (const Sampled& s : curves) {
    if (!std::isnan(s.lo) && s.hi - s.lo <= kSteepFactor * typical) {
      lo = std::min(lo, s.lo);
      hi = std::max(hi, s.hi);
    }
  }
  const double inner_lo = lo, inner_hi = hi;
  for (const Sampled& s : curves) {
    if (!std::isnan(s.lo) && s.hi - s.lo > kSteepFactor * typical) {
      lo = std::min(lo, std::max(s.lo, inner_lo - typical));
      hi = std::max(hi, std::min(s.hi, inner_hi + typical));
    }
  }
  return padded(lo, hi);
}

// The samples as polylines, broken where the curve is not finite and where it jumps by more
// than `jump`, so that a step or a sign is not drawn with a vertical line. At each jump the end
// that holds the value at the jump gets a closed dot and the other an open one, as a textbook
// draws them; where the value at the jump is neither side's (sign at 0) it is a piece of one
// point between two jumps, a closed dot between two open ones.
Traced trace(const Curve& curve, const std::vector<Point>& points, double jump) {
  Traced traced;
  traced.lines.emplace_back();
  for (const Point& p : points) {
    if (!std::isfinite(p.y)) {
      if (!traced.lines.back().empty()) traced.lines.emplace_back();
      continue;
    }
    // A sample can follow more than one jump: sign goes -1, 0, 1 at 0.
    for (int k = 0; k < kMaxJumpsPerSample && !traced.lines.back().empty() &&
                    std::abs(p.y - traced.lines.back().back().y) > jump;
         ++k) {
      const auto [left, right] = narrow_jump(curve, traced.lines.back().back(), p);
      if (std::abs(right.y - left.y) <= jump / 2) break;  // steep, but continuous
      const bool at_left = rounder(left.x, right.x);
      traced.markers.push_back({at_left ? Marker::kClosed : Marker::kOpen, left});
      traced.markers.push_back({at_left ? Marker::kOpen : Marker::kClosed, right});
      traced.lines.back().push_back(left);
      traced.lines.emplace_back();
      traced.lines.back().push_back(right);
      if (right.x == p.x) break;
    }
    if (traced.lines.back().empty() || traced.lines.back().back().x != p.x) {
      traced.lines.back().push_back(p);
    }
  }
  return traced;
}

// The parts of `lines` with lo <= y <= hi, cut exactly where they leave the band, so that the
// drawing never holds the far-away coordinates of a steep curve. Where a line crosses the band's
// edge it gets a notch that points the way it went; the dots of jumps outside the band go.
Traced clip(const Traced& traced, double lo, double hi) {
  Traced out;
  Polyline current;
  auto flush = [&] {
    if (current.size() > 1) out.lines.push_back(std::move(current));
    current.clear();
  };
  auto notch = [&](Point at) {
    if (at.y == hi) out.markers.push_back({Marker::kClippedAbove, at});
    if (at.y == lo) out.markers.push_back({Marker::kClippedBelow, at});
  };
  for (const Polyline& line : traced.lines) {
    for (std::size_t i = 1; i < line.size(); ++i) {
      const Point p = line[i - 1], q = line[i];
      double t0 = 0, t1 = 1;
      const double dy = q.y - p.y;
      if (dy == 0) {
        if (p.y < lo || p.y > hi) t0 = 2;  // outside all along
      } else {
        const double ta = (lo - p.y) / dy, tb = (hi - p.y) / dy;
        t0 = std::max(0.0, std::min(ta, tb));
        t1 = std::min(1.0, std::max(ta, tb));
      }
      if (t0 > t1) {
        flush();
        continue;
      }
      const Point a{p.x + t0 * (q.x - p.x), std::clamp(p.y + t0 * dy, lo, hi)};
      const Point b{p.x + t1 * (q.x - p.x), std::clamp(p.y + t1 * dy, lo, hi)};
      if (t0 > 0) {
        flush();
        notch(a);
      }
      if (current.empty()) current.push_back(a);
      current.push_back(b);
      if (t1 < 1) {
        flush();
        notch(b);
      }
    }
    flush();
  }
  for (const Marker& m : traced.markers) {
    if (lo <= m.at.y && m.at.y <= hi) out.markers.push_back(m);
  }
  return out;
}

}  // namespace sigma::curves
