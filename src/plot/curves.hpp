// The curves of sigma::plot: sampled, split where they jump (with the textbook's dots at each
// jump), and clipped to a panel's value range. Internal to the plot library.
#pragma once

#include <functional>
#include <sigma/plot.hpp>
#include <span>
#include <utility>
#include <vector>

namespace sigma::curves {

struct Point {
  double x, y;
};
using Polyline = std::vector<Point>;

// One curve: f or f' of one function.
struct Curve {
  const std::function<double(double)>* function;
  double operator()(double x) const { return (*function)(x); }
};

struct Sampled {
  std::vector<Point> points;
  double lo = kAutoRange, hi = kAutoRange;  // of the finite values; NaN when there are none
};

// The curve at evenly spaced inputs over [x_min, x_max], about one per pixel of a wide panel.
Sampled sample(const Curve& curve, double x_min, double x_max);

// [lo, hi] with a margin; [-1, 1] when there is nothing finite to show.
std::pair<double, double> padded(double lo, double hi);

// The value axis that holds every curve. A curve whose extent is more than 5 times (kSteepFactor)
// the typical one (the lower median) would flatten the others into lines, so it only widens the
// axis by one typical extent and is clipped there.
std::pair<double, double> auto_range(std::span<const Sampled> curves);

// A dot at the end of a piece of a curve, or a notch where the curve leaves the panel.
struct Marker {
  enum Kind { kClosed, kOpen, kClippedAbove, kClippedBelow } kind;
  Point at;
};

struct Traced {
  std::vector<Polyline> lines;
  std::vector<Marker> markers;
};

// The samples as polylines, broken where the curve is not finite and where it jumps by more
// than `jump`, so that a step or a sign is not drawn with a vertical line. At each jump the end
// that holds the value at the jump gets a closed dot and the other an open one, as a textbook
// draws them; where the value at the jump is neither side's (sign at 0) it is a piece of one
// point between two jumps, a closed dot between two open ones.
Traced trace(const Curve& curve, const std::vector<Point>& points, double jump);

// The parts of `lines` with lo <= y <= hi, cut exactly where they leave the band, so that the
// drawing never holds the far-away coordinates of a steep curve. Where a line crosses the band's
// edge it gets a notch that points the way it went; the dots of jumps outside the band go.
Traced clip(const Traced& traced, double lo, double hi);

}  // namespace sigma::curves
