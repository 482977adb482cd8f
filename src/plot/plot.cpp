// sigma::plot: functions in one panel, derivatives in the other, drawn once with cairo for SVG,
// PNG and PDF alike.
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <numbers>
#include <sigma/error.hpp>
#include <sigma/plot.hpp>
#include <sigma/version.hpp>
#include <span>
#include <string_view>
#include <utility>

#include "io/safe_file.hpp"
#include "plot/curves.hpp"
#include "plot/look.hpp"

namespace sigma {
namespace {

using curves::auto_range;
using curves::clip;
using curves::Curve;
using curves::Marker;
using curves::padded;
using curves::Point;
using curves::Polyline;
using curves::sample;
using curves::Sampled;
using curves::trace;
using curves::Traced;
using look::Align;
using look::append_to_string;
using look::Axis;
using look::check_cairo;
using look::crisp;
using look::insert_svg_title;
using look::kBackground;
using look::kFrame;
using look::kGrid;
using look::kLabelFontSize;
using look::kPalette;
using look::kText;
using look::kTextGap;
using look::kTickFontSize;
using look::kTickLength;
using look::kZeroLine;
using look::make_axis;
using look::Rgb;
using look::set_colour;
using look::set_font;
using look::set_unhinted_metrics;
using look::show_text;
using look::text_width;
using look::tick_label;

// ---- Look ----

constexpr double kMargin = 14;    // around the whole figure
constexpr double kPanelGap = 40;  // between the two panels
constexpr double kCurveWidth = 2.25;
constexpr double kLegendRowHeight = 22;
constexpr double kLegendSampleLength = 34;
constexpr double kLegendItemGap = 22;
constexpr double kPixelsPerXTick = 90;  // the density of ticks the axes aim for
constexpr double kPixelsPerYTick = 55;
constexpr int kDefaultWidth = 1000;
constexpr int kDefaultWidthOnePanel = 560;
constexpr int kDefaultHeight = 420;
constexpr int kMinSize = 240;
constexpr int kMaxSize = 8192;
constexpr double kMinDpi = 18;
constexpr double kMaxDpi = 1200;
constexpr int kMaxPixels = 16384;  // a PNG's side at its resolution

// Dash styles cycle with a period (5) prime to the palette's (8), so that the first 40 curves
// differ in colour and dash together, and in dash alone on a grey-scale print.
struct Dash {
  std::array<double, 4> pattern;  // on, off, ... in units of the curve width; 0 length = solid
  int length;
  cairo_line_cap_t cap;
};
constexpr std::array kDashes = {
    Dash{{}, 0, CAIRO_LINE_CAP_BUTT},                   // solid
    Dash{{3.2, 1.8}, 2, CAIRO_LINE_CAP_BUTT},           // dashed
    Dash{{0, 1.8}, 2, CAIRO_LINE_CAP_ROUND},            // dotted: round caps of no length
    Dash{{3.0, 2.0, 0, 2.0}, 4, CAIRO_LINE_CAP_ROUND},  // dash-dot
    Dash{{6.5, 1.8}, 2, CAIRO_LINE_CAP_BUTT},           // long dash
};

// ---- Drawing ----

using CairoPtr = std::unique_ptr<cairo_t, decltype(&cairo_destroy)>;
using SurfacePtr = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;
void set_curve_style(cairo_t* cr, std::size_t index) {
  set_colour(cr, kPalette[index % kPalette.size()]);
  const Dash& dash = kDashes[index % kDashes.size()];
  std::array<double, 4> pattern{};
  for (int i = 0; i < dash.length; ++i) pattern[i] = dash.pattern[i] * kCurveWidth;
  cairo_set_line_width(cr, kCurveWidth);
  cairo_set_line_cap(cr, dash.cap);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_dash(cr, pattern.data(), dash.length, 0);
}

struct Rect {
  double left, top, width, height;
  double right() const { return left + width; }
  double bottom() const { return top + height; }
};

// One curve of a panel, in data coordinates.
struct PanelCurve {
  std::size_t style;            // its colour and dash, as an index of the palette
  std::vector<Point> samples;   // as sampled, to find where it coincides with another
  std::vector<Polyline> lines;  // clipped to the panel
  std::vector<Marker> markers;  // jump dots and clip notches inside the panel
};

struct Panel {
  Rect area;  // the plotting area, inside the axes
  Axis x, y;
  std::string x_label;  // below the axis
  std::string y_label;  // beside the axis; empty in a grid, whose legend says it
  std::string title;    // above the area; empty outside a grid
  std::vector<PanelCurve> curves;
};

double to_px(const Axis& axis, double v, double start, double length) {
  return start + (v - axis.lo) / (axis.hi - axis.lo) * length;
}
double x_px(const Panel& p, double x) { return to_px(p.x, x, p.area.left, p.area.width); }
double y_px(const Panel& p, double y) {
  return p.area.bottom() - (y - p.y.lo) / (p.y.hi - p.y.lo) * p.area.height;
}

void draw_grid(cairo_t* cr, const Panel& p) {
  cairo_set_line_width(cr, 1);
  set_colour(cr, kGrid);
  for (double t : p.x.ticks) {
    cairo_move_to(cr, crisp(x_px(p, t)), p.area.top);
    cairo_line_to(cr, crisp(x_px(p, t)), p.area.bottom());
  }
  for (double t : p.y.ticks) {
    cairo_move_to(cr, p.area.left, crisp(y_px(p, t)));
    cairo_line_to(cr, p.area.right(), crisp(y_px(p, t)));
  }
  cairo_stroke(cr);
  set_colour(cr, kZeroLine);
  if (p.x.lo < 0 && 0 < p.x.hi) {
    cairo_move_to(cr, crisp(x_px(p, 0)), p.area.top);
    cairo_line_to(cr, crisp(x_px(p, 0)), p.area.bottom());
  }
  if (p.y.lo < 0 && 0 < p.y.hi) {
    cairo_move_to(cr, p.area.left, crisp(y_px(p, 0)));
    cairo_line_to(cr, p.area.right(), crisp(y_px(p, 0)));
  }
  cairo_stroke(cr);
}

// Dense dash styles go on top of sparse ones, so that where two curves coincide (relu and elu
// for x > 0) the lower one still shows through the gaps of the upper.
constexpr std::array<std::size_t, 5> kDrawOrder = {0, 4, 1, 3, 2};  // solid ... dotted
static_assert(kDrawOrder.size() == kDashes.size());

// Where a curve runs along one drawn above it (the same values to within kCoincide of the value
// axis, for kMinCoincidence samples or more), it is drawn a second time beneath, wide and pale,
// so that both show (relu inside a band of elu for x > 0): a halo for each curve above it.
// Curves that only come close (sigmoid and softplus for x < -2) stay apart by their dashes.
constexpr double kCoincide = 1e-6;
constexpr int kMinCoincidence = 12;
constexpr double kHaloWidthPerCurve = 1.3 * kCurveWidth;
constexpr double kHaloAlpha = 0.35;
constexpr double kDotRadius = 3.4;
constexpr double kNotchSize = 6;
constexpr double kNotchGap = 1.5;  // between the frame and a notch's base

void stroke_polyline(cairo_t* cr, const Panel& p, const Polyline& line) {
  cairo_move_to(cr, x_px(p, line[0].x), y_px(p, line[0].y));
  for (std::size_t k = 1; k < line.size(); ++k) {
    cairo_line_to(cr, x_px(p, line[k].x), y_px(p, line[k].y));
  }
  cairo_stroke(cr);
}

// The stretches where `below` runs along a curve of `above`, each sample counted by how many.
std::vector<Polyline> coinciding(const Panel& p, const PanelCurve& below,
                                 const std::vector<const PanelCurve*>& above,
                                 std::vector<int>& count) {
  const auto inside = [&](double y) { return std::isfinite(y) && p.y.lo <= y && y <= p.y.hi; };
  count.assign(below.samples.size(), 0);
  for (const PanelCurve* other : above) {
    for (std::size_t k = 0; k < below.samples.size() && k < other->samples.size(); ++k) {
      const double a = below.samples[k].y, b = other->samples[k].y;
      count[k] += inside(a) && inside(b) && std::abs(a - b) <= kCoincide * (p.y.hi - p.y.lo);
    }
  }
  std::vector<Polyline> runs;
  Polyline run;
  for (std::size_t k = 0; k <= count.size(); ++k) {
    if (k < count.size() && count[k] > 0) {
      run.push_back(below.samples[k]);
      continue;
    }
    if (run.size() >= static_cast<std::size_t>(kMinCoincidence)) runs.push_back(run);
    run.clear();
  }
  return runs;
}

void draw_marker(cairo_t* cr, const Panel& p, const Marker& m) {
  const double x = x_px(p, m.at.x), y = y_px(p, m.at.y);
  cairo_set_dash(cr, nullptr, 0, 0);
  cairo_set_line_width(cr, 1.5);
  switch (m.kind) {
    case Marker::kClosed:
    case Marker::kOpen:
      cairo_new_sub_path(cr);
      cairo_arc(cr, x, y, kDotRadius, 0, 2 * std::numbers::pi);
      if (m.kind == Marker::kOpen) {
        cairo_save(cr);
        set_colour(cr, kBackground);
        cairo_fill_preserve(cr);
        cairo_restore(cr);
        cairo_stroke(cr);
      } else {
        cairo_fill(cr);
      }
      break;
    case Marker::kClippedAbove:
    case Marker::kClippedBelow: {
      // An arrowhead just outside the frame, pointing the way the curve went.
      const double out = m.kind == Marker::kClippedAbove ? -1 : 1;
      const double base = y + out * kNotchGap;
      cairo_move_to(cr, x - kNotchSize / 2, base);
      cairo_line_to(cr, x + kNotchSize / 2, base);
      cairo_line_to(cr, x, base + out * kNotchSize * 0.85);
      cairo_close_path(cr);
      cairo_fill(cr);
      break;
    }
  }
}

void draw_curves(cairo_t* cr, const Panel& p) {
  cairo_save(cr);
  // The notches outside the frame and the dots on it reach past it.
  const double reach = kNotchGap + kNotchSize;
  cairo_rectangle(cr, p.area.left - reach, p.area.top - reach, p.area.width + 2 * reach,
                  p.area.height + 2 * reach);
  cairo_clip(cr);
  std::vector<std::size_t> order(p.curves.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  const auto rank = [&](std::size_t i) {
    const std::size_t dash = p.curves[i].style % kDashes.size();
    return std::find(kDrawOrder.begin(), kDrawOrder.end(), dash) - kDrawOrder.begin();
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return rank(a) < rank(b); });
  for (std::size_t n = 0; n < order.size(); ++n) {
    const PanelCurve& curve = p.curves[order[n]];
    std::vector<const PanelCurve*> above;
    for (std::size_t m = n + 1; m < order.size(); ++m) above.push_back(&p.curves[order[m]]);
    std::vector<int> count;
    const std::vector<Polyline> halos = coinciding(p, curve, above, count);
    const int most = count.empty() ? 0 : *std::max_element(count.begin(), count.end());
    if (!halos.empty()) {
      cairo_save(cr);
      const Rgb c = kPalette[curve.style % kPalette.size()];
      cairo_set_source_rgba(cr, c.r, c.g, c.b, kHaloAlpha);
      cairo_set_line_width(cr, kCurveWidth + kHaloWidthPerCurve * most);
      cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
      cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
      for (const Polyline& line : halos) stroke_polyline(cr, p, line);
      cairo_restore(cr);
    }
    set_curve_style(cr, curve.style);
    cairo_save(cr);
    cairo_rectangle(cr, p.area.left, p.area.top, p.area.width, p.area.height);
    cairo_clip(cr);
    for (const Polyline& line : curve.lines) stroke_polyline(cr, p, line);
    cairo_restore(cr);
  }
  // On top of every line, so that none hides a dot.
  for (const std::size_t i : order) {
    set_colour(cr, kPalette[p.curves[i].style % kPalette.size()]);
    for (const Marker& m : p.curves[i].markers) draw_marker(cr, p, m);
  }
  cairo_restore(cr);
}

void draw_axes(cairo_t* cr, const Panel& p) {
  const double left = crisp(p.area.left), bottom = crisp(p.area.bottom());
  cairo_set_line_width(cr, 1);
  set_colour(cr, kFrame);
  cairo_rectangle(cr, left, crisp(p.area.top), crisp(p.area.right()) - left,
                  bottom - crisp(p.area.top));
  for (double t : p.x.ticks) {
    cairo_move_to(cr, crisp(x_px(p, t)), bottom);
    cairo_line_to(cr, crisp(x_px(p, t)), bottom + kTickLength);
  }
  for (double t : p.y.ticks) {
    cairo_move_to(cr, left, crisp(y_px(p, t)));
    cairo_line_to(cr, left - kTickLength, crisp(y_px(p, t)));
  }
  cairo_stroke(cr);

  set_colour(cr, kText);
  set_font(cr, kTickFontSize);
  const double digit_height = 0.73 * kTickFontSize;
  for (double t : p.x.ticks) {
    show_text(cr, tick_label(t, p.x.step), x_px(p, t),
              bottom + kTickLength + kTextGap + digit_height, Align::kCentre);
  }
  double widest = 0;
  for (double t : p.y.ticks) {
    const std::string label = tick_label(t, p.y.step);
    widest = std::max(widest, text_width(cr, label));
    show_text(cr, label, left - kTickLength - kTextGap, y_px(p, t) + digit_height / 2,
              Align::kRight);
  }

  set_font(cr, kLabelFontSize);
  if (!p.title.empty()) {
    show_text(cr, p.title, p.area.left + p.area.width / 2, p.area.top - kTextGap, Align::kCentre);
  }
  if (p.y_label.empty()) return;
  show_text(cr, p.x_label, p.area.left + p.area.width / 2,
            bottom + kTickLength + 2 * kTextGap + digit_height + kLabelFontSize, Align::kCentre);
  cairo_save(cr);
  cairo_translate(cr, left - kTickLength - 2 * kTextGap - widest, p.area.top + p.area.height / 2);
  cairo_rotate(cr, -std::numbers::pi / 2);
  show_text(cr, p.y_label, 0, 0, Align::kCentre);
  cairo_restore(cr);
}

// ---- Layout ----

struct LegendItem {
  std::string text;
  double width;  // sample line, gap and text
};

// The legend's items, in rows that fit `width`.
std::vector<std::vector<LegendItem>> legend_rows(cairo_t* cr, const std::vector<std::string>& texts,
                                                 double width) {
  set_font(cr, kTickFontSize);
  std::vector<std::vector<LegendItem>> rows(1);
  double used = 0;
  for (const std::string& text : texts) {
    LegendItem item{text, 0};
    item.width = kLegendSampleLength + kTextGap + text_width(cr, item.text);
    const double needed = rows.back().empty() ? item.width : used + kLegendItemGap + item.width;
    if (needed > width && !rows.back().empty()) {
      rows.emplace_back();
      used = item.width;
    } else {
      used = needed;
    }
    rows.back().push_back(std::move(item));
  }
  return rows;
}

void draw_legend(cairo_t* cr, const std::vector<std::vector<LegendItem>>& rows, double width,
                 double top) {
  std::size_t index = 0;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    double row_width = 0;
    for (const LegendItem& item : rows[r]) row_width += item.width;
    row_width += kLegendItemGap * static_cast<double>(rows[r].size() - 1);
    double x = (width - row_width) / 2;
    const double middle = top + kLegendRowHeight * (static_cast<double>(r) + 0.5);
    for (const LegendItem& item : rows[r]) {
      cairo_save(cr);
      set_curve_style(cr, index++);
      cairo_move_to(cr, x, middle);
      cairo_line_to(cr, x + kLegendSampleLength, middle);
      cairo_stroke(cr);
      cairo_restore(cr);
      set_colour(cr, kText);
      set_font(cr, kTickFontSize);
      show_text(cr, item.text, x + kLegendSampleLength + kTextGap, middle + 0.36 * kTickFontSize,
                Align::kLeft);
      x += item.width + kLegendItemGap;
    }
  }
}

// Room left of the plotting area for the y tick labels and the axis label (if any).
double left_gutter(cairo_t* cr, const Axis& y, bool label) {
  set_font(cr, kTickFontSize);
  double widest = 0;
  for (double t : y.ticks) widest = std::max(widest, text_width(cr, tick_label(t, y.step)));
  return kTickLength + 2 * kTextGap + widest + (label ? kLabelFontSize * 0.6 : 0);
}

constexpr double kTickGutter = kTickLength + 2 * kTextGap + 0.73 * kTickFontSize;
constexpr double kBottomGutter = kTickGutter + kTextGap + kLabelFontSize;
constexpr double kTitleHeight = kLabelFontSize + kTextGap;

// The grid of small panels: cells of this size by default, columns for a landscape page.
constexpr int kCellWidth = 230;
constexpr int kCellHeight = 190;
constexpr double kCellGap = 18;

int grid_columns(std::size_t count) {
  return std::max(1, static_cast<int>(std::ceil(std::sqrt(static_cast<double>(count) * 4 / 3))));
}
int grid_rows(std::size_t count) {
  const int columns = grid_columns(count);
  return (static_cast<int>(count) + columns - 1) / columns;
}

std::pair<double, double> value_range(double lo, double hi, std::span<const Sampled> curves) {
  return std::isnan(lo) ? auto_range(curves) : std::pair{lo, hi};
}

// A grid panel's axis holds f and f' whole: neither is there to keep the other readable.
std::pair<double, double> grid_range(double lo, double hi, std::span<const Sampled> curves) {
  if (!std::isnan(lo)) return {lo, hi};
  double low = INFINITY, high = -INFINITY;
  for (const Sampled& s : curves) {
    if (std::isnan(s.lo)) continue;
    low = std::min(low, s.lo);
    high = std::max(high, s.hi);
  }
  return padded(low, high);
}

// A panel of `curves`, each drawn in the style of the same index in `styles`, with its axes and
// tick labels inside `region`.
Panel make_panel(cairo_t* cr, const std::vector<Curve>& curves,
                 const std::vector<std::size_t>& styles, Rect region, double y_min, double y_max,
                 const PlotOptions& o, std::string y_label, std::string title) {
  std::vector<Sampled> sampled;
  for (const Curve& curve : curves) sampled.push_back(sample(curve, o.x_min, o.x_max));
  const auto [lo, hi] =
      o.grid ? grid_range(y_min, y_max, sampled) : value_range(y_min, y_max, sampled);
  Panel panel;
  panel.x_label = o.x_label;
  panel.y_label = std::move(y_label);
  panel.title = std::move(title);
  const double top = region.top + (panel.title.empty() ? 0 : kTitleHeight);
  const double height =
      region.bottom() - top - (panel.y_label.empty() ? kTickGutter : kBottomGutter);
  panel.y = make_axis(lo, hi, height, kPixelsPerYTick);
  const double gutter = left_gutter(cr, panel.y, !panel.y_label.empty());
  panel.area = {region.left + gutter, top, region.width - gutter, height};
  panel.x = make_axis(o.x_min, o.x_max, panel.area.width, kPixelsPerXTick);
  // A jump is a change no continuous curve makes between two samples at this scale.
  const double jump = 0.01 * (hi - lo);
  for (std::size_t i = 0; i < curves.size(); ++i) {
    Traced drawn = clip(trace(curves[i], sampled[i].points, jump), lo, hi);
    panel.curves.push_back({styles[i], std::move(sampled[i].points), std::move(drawn.lines),
                            std::move(drawn.markers)});
  }
  return panel;
}

void draw_panel(cairo_t* cr, const Panel& panel) {
  draw_grid(cr, panel);
  draw_curves(cr, panel);
  draw_axes(cr, panel);
}

// Every function in one panel, and their derivatives in a second.
void draw_overlaid(cairo_t* cr, const std::vector<NamedCurve>& functions, const PlotOptions& o,
                   double width, double top, double bottom) {
  const int panel_count = o.derivative ? 2 : 1;
  const double region_width = (width - 2 * kMargin - kPanelGap * (panel_count - 1)) / panel_count;
  for (int k = 0; k < panel_count; ++k) {
    const bool derivative = k == 1;
    std::vector<Curve> curves;
    std::vector<std::size_t> shown;  // the styles of the curves this panel has
    for (std::size_t i = 0; i < functions.size(); ++i) {
      const std::function<double(double)>& f = derivative ? functions[i].slope : functions[i].value;
      if (!f) continue;
      curves.push_back({&f});
      shown.push_back(i);
    }
    const Rect region{kMargin + k * (region_width + kPanelGap), top, region_width, bottom - top};
    draw_panel(cr,
               derivative
                   ? make_panel(cr, curves, shown, region, o.dy_min, o.dy_max, o, o.dy_label, "")
                   : make_panel(cr, curves, shown, region, o.y_min, o.y_max, o, o.y_label, ""));
  }
}

// One small panel per function, with f and f' in the first two styles and the function's spec
// above it; the rows are filled left to right.
void draw_grid_of_panels(cairo_t* cr, const std::vector<NamedCurve>& functions,
                         const PlotOptions& o, double width, double top, double bottom) {
  const int columns = grid_columns(functions.size()), rows = grid_rows(functions.size());
  const double cell_width = (width - 2 * kMargin - kCellGap * (columns - 1)) / columns;
  const double cell_height = (bottom - top - kCellGap * (rows - 1)) / rows;
  for (std::size_t i = 0; i < functions.size(); ++i) {
    const int column = static_cast<int>(i) % columns, row = static_cast<int>(i) / columns;
    const Rect region{kMargin + column * (cell_width + kCellGap),
                      top + row * (cell_height + kCellGap), cell_width, cell_height};
    std::vector<Curve> curves = {{&functions[i].value}};
    if (o.derivative && functions[i].slope) curves.push_back({&functions[i].slope});
    draw_panel(cr,
               make_panel(cr, curves, {0, 1}, region, o.y_min, o.y_max, o, "", functions[i].name));
  }
}

void draw_figure(cairo_t* cr, const std::vector<NamedCurve>& functions, const PlotOptions& o,
                 double width, double height) {
  set_unhinted_metrics(cr);

  set_colour(cr, kBackground);
  cairo_paint(cr);

  std::vector<std::string> names;
  if (o.grid) {
    names = {o.y_label};
    if (o.derivative) names.push_back(o.dy_label);
  } else {
    for (const NamedCurve& f : functions) names.push_back(f.name);
  }
  const auto legend = o.legend ? legend_rows(cr, names, width - 2 * kMargin)
                               : std::vector<std::vector<LegendItem>>{};
  double top = kMargin;
  if (o.legend) {
    draw_legend(cr, legend, width, top);
    top += kLegendRowHeight * static_cast<double>(legend.size()) + kTextGap;
  } else {
    top += kTextGap;
  }
  if (o.grid) {
    draw_grid_of_panels(cr, functions, o, width, top, height - kMargin);
  } else {
    draw_overlaid(cr, functions, o, width, top, height - kMargin);
  }
}

// ---- Checks, formats and files ----

std::string number_text(double v) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
  return std::string(buffer, result.ptr);
}

void check_range(const char* what, double lo, double hi, bool may_be_auto) {
  if (may_be_auto && std::isnan(lo) && std::isnan(hi)) return;
  if (may_be_auto && (std::isnan(lo) || std::isnan(hi))) {
    throw Error(std::string("plot: set both bounds of the ") + what + " range, or neither");
  }
  if (!std::isfinite(lo) || !std::isfinite(hi) || !(lo < hi) || !std::isfinite(hi - lo)) {
    throw Error(std::string("plot: the ") + what + " range " + number_text(lo) + ":" +
                number_text(hi) + " must be finite and increasing");
  }
}

struct Size {
  int width, height;
};

// The grid's default: its cells at kCellWidth x kCellHeight, below a legend of one row.
Size grid_size(std::size_t count) {
  const int columns = grid_columns(count), rows = grid_rows(count);
  return {static_cast<int>(2 * kMargin + columns * kCellWidth + (columns - 1) * kCellGap),
          static_cast<int>(2 * kMargin + kLegendRowHeight + kTextGap + rows * kCellHeight +
                           (rows - 1) * kCellGap)};
}

Size checked_size(const PlotOptions& o, std::size_t count) {
  const Size chosen = o.grid         ? grid_size(count)
                      : o.derivative ? Size{kDefaultWidth, kDefaultHeight}
                                     : Size{kDefaultWidthOnePanel, kDefaultHeight};
  const Size size{o.width != 0 ? o.width : chosen.width, o.height != 0 ? o.height : chosen.height};
  if (size.width < kMinSize || size.width > kMaxSize || size.height < kMinSize ||
      size.height > kMaxSize) {
    throw Error("plot: the size " + std::to_string(size.width) + "x" + std::to_string(size.height) +
                " is outside " + std::to_string(kMinSize) + " to " + std::to_string(kMaxSize) +
                " on each side");
  }
  return size;
}

// A PNG's pixels per point.
double png_scale(const PlotOptions& o, Size size) {
  if (!(o.dpi >= kMinDpi && o.dpi <= kMaxDpi)) {
    throw Error("plot: the resolution " + number_text(o.dpi) + " dpi is outside " +
                number_text(kMinDpi) + " to " + number_text(kMaxDpi));
  }
  const double scale = o.dpi / 72;
  if (std::max(size.width, size.height) * scale > kMaxPixels) {
    throw Error("plot: " + std::to_string(size.width) + "x" + std::to_string(size.height) + " at " +
                number_text(o.dpi) + " dpi is more than " + std::to_string(kMaxPixels) +
                " pixels on a side");
  }
  return scale;
}

void check(const std::vector<NamedCurve>& functions, const PlotOptions& o) {
  if (functions.empty()) throw Error("plot: no functions to draw");
  for (const NamedCurve& f : functions) {
    if (!f.value) throw Error("plot: the curve '" + f.name + "' has no function");
  }
  check_range("x", o.x_min, o.x_max, false);
  check_range("y", o.y_min, o.y_max, true);
  check_range("dy", o.dy_min, o.dy_max, true);
}

std::string figure_title(const std::vector<NamedCurve>& functions) {
  std::string title = "sigma plot:";
  for (std::size_t i = 0; i < functions.size(); ++i) {
    title += (i == 0 ? " " : ", ") + functions[i].name;
  }
  return title;
}

SurfacePtr make_surface(PlotFormat format, Size size, double png_scale, std::string& bytes,
                        const std::string& title) {
  SurfacePtr surface(nullptr, cairo_surface_destroy);
  switch (format) {
    case PlotFormat::kSvg:
      surface.reset(
          cairo_svg_surface_create_for_stream(append_to_string, &bytes, size.width, size.height));
      cairo_svg_surface_set_document_unit(surface.get(), CAIRO_SVG_UNIT_PX);
      break;
    case PlotFormat::kPdf:
      surface.reset(
          cairo_pdf_surface_create_for_stream(append_to_string, &bytes, size.width, size.height));
      cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, title.c_str());
      cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR,
                                     "sigma " SIGMA_VERSION_STRING);
      break;
    case PlotFormat::kPng:
      // Opaque, so the PNG has no alpha channel to composite.
      surface.reset(cairo_image_surface_create(
          CAIRO_FORMAT_RGB24, static_cast<int>(std::lround(size.width * png_scale)),
          static_cast<int>(std::lround(size.height * png_scale))));
      break;
  }
  check_cairo(cairo_surface_status(surface.get()));
  return surface;
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

PlotFormat plot_format_of(const std::string& path) {
  const std::string extension = lower(std::filesystem::path(path).extension().string());
  if (extension == ".svg") return PlotFormat::kSvg;
  if (extension == ".png") return PlotFormat::kPng;
  if (extension == ".pdf") return PlotFormat::kPdf;
  throw Error("plot: cannot tell the format of '" + path +
              "' from its extension; use .svg, .png or .pdf");
}

std::string plot_to_string(const std::vector<NamedCurve>& functions, const PlotOptions& options,
                           PlotFormat format) {
  check(functions, options);
  const Size size = checked_size(options, functions.size());
  const double scale = png_scale(options, size);
  const std::string title = figure_title(functions);
  std::string bytes;
  SurfacePtr surface = make_surface(format, size, scale, bytes, title);
  {
    CairoPtr cr(cairo_create(surface.get()), cairo_destroy);
    if (format == PlotFormat::kPng) cairo_scale(cr.get(), scale, scale);
    draw_figure(cr.get(), functions, options, size.width, size.height);
    check_cairo(cairo_status(cr.get()));
  }
  if (format == PlotFormat::kPng) {
    check_cairo(cairo_surface_write_to_png_stream(surface.get(), append_to_string, &bytes));
  }
  cairo_surface_finish(surface.get());
  check_cairo(cairo_surface_status(surface.get()));
  if (format == PlotFormat::kSvg) insert_svg_title(bytes, title);
  return bytes;
}

// An activation as the curves of its double-precision reference.
std::vector<NamedCurve> named_curves(const std::vector<Activation>& functions) {
  std::vector<NamedCurve> curves;
  for (const Activation& f : functions) {
    curves.push_back({f.spec(), [f](double x) { return f.reference(x); },
                      [f](double x) { return f.reference_derivative(x); }});
  }
  return curves;
}

std::string plot_to_string(const std::vector<Activation>& functions, const PlotOptions& options,
                           PlotFormat format) {
  return plot_to_string(named_curves(functions), options, format);
}

void plot(const std::vector<Activation>& functions, const PlotOptions& options,
          const std::string& path) {
  const PlotFormat format = plot_format_of(path);
  io::write_file(path, plot_to_string(named_curves(functions), options, format), "plot",
                 options.symlinks);
}

}  // namespace sigma
