// Line charts of measured series, drawn with cairo in sigma::plot's look: a band under each line
// for its spread, a marker at each measurement, linear or decade axes.
#include "plot/chart.hpp"

#include <cairo-svg.h>
#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>
#include <sigma/error.hpp>
#include <string>

#include "plot/look.hpp"

namespace sigma {
namespace {

using look::Align;

constexpr double kMargin = 12;
constexpr double kLineWidth = 2;
constexpr double kMarkerRadius = 3.5;
constexpr double kBandAlpha = 0.2;
constexpr double kLegendRowHeight = 20;
constexpr double kLegendSampleLength = 26;
constexpr double kLegendItemGap = 16;
constexpr double kPixelsPerXTick = 70;
constexpr double kPixelsPerYTick = 45;
constexpr int kMinSize = 160;
constexpr int kMaxSize = 4096;
constexpr int kMarkerShapes = 6;

// The value axis: linear, or in decades, where positions and ticks are log10 of the values.
struct ValueAxis {
  bool log;
  look::Axis axis;
  bool shows(double v) const { return std::isfinite(v) && (!log || v > 0); }
  double position(double v) const { return log ? std::log10(v) : v; }
};

struct Area {
  double left, top, right, bottom;
};

struct Scale {
  Area area;
  look::Axis x;
  ValueAxis y;
  double px(double x) const {
    return area.left + (x - this->x.lo) / (this->x.hi - this->x.lo) * (area.right - area.left);
  }
  double py(double v) const {
    return area.bottom -
           (y.position(v) - y.axis.lo) / (y.axis.hi - y.axis.lo) * (area.bottom - area.top);
  }
};

void check(const std::vector<ChartSeries>& series, const ChartOptions& o) {
  if (series.empty()) throw Error("chart: no series to draw");
  for (const ChartSeries& s : series) {
    if (s.y.size() != s.x.size() || (!s.low.empty() && s.low.size() != s.x.size()) ||
        s.low.size() != s.high.size()) {
      throw Error("chart: the series '" + s.label + "' has arrays of different lengths");
    }
  }
  if (o.width < kMinSize || o.width > kMaxSize || o.height < kMinSize || o.height > kMaxSize) {
    throw Error("chart: the size " + std::to_string(o.width) + "x" + std::to_string(o.height) +
                " is outside " + std::to_string(kMinSize) + " to " + std::to_string(kMaxSize));
  }
  if (std::isnan(o.y_min) && std::isnan(o.y_max)) return;
  if (!std::isfinite(o.y_min) || !std::isfinite(o.y_max) || !(o.y_min < o.y_max) ||
      (o.log_y && o.y_min <= 0)) {
    throw Error("chart: the value axis must be finite and increasing, and positive on a log axis");
  }
}

// Linear: the data's extent, padded; decades: the whole decades that hold the data.
ValueAxis value_axis(const std::vector<ChartSeries>& series, const ChartOptions& o, double length) {
  ValueAxis y{o.log_y, {}};
  double lo = o.y_min, hi = o.y_max;
  if (std::isnan(lo)) {
    lo = INFINITY;
    hi = -INFINITY;
    auto take = [&](double v) {
      if (!y.shows(v)) return;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    };
    for (const ChartSeries& s : series) {
      for (const double v : s.y) take(v);
      for (const double v : s.low) take(v);
      for (const double v : s.high) take(v);
    }
    take(o.reference_y);
    if (!(lo <= hi)) {
      lo = o.log_y ? 0.1 : 0;
      hi = 1;
    }
    if (!o.log_y) {
      const double pad = hi > lo ? 0.06 * (hi - lo) : 1;
      lo -= pad;
      hi += pad;
    }
  }
  if (!o.log_y) {
    y.axis = look::make_axis(lo, hi, length, kPixelsPerYTick);
    return y;
  }
  const double first = std::floor(std::log10(lo) + 1e-9), last = std::ceil(std::log10(hi) - 1e-9);
  const double decades = std::max(1.0, last - first);
  // Every decade while they are far enough apart, else every second or third.
  const double step = std::ceil(decades / std::max(1.0, std::floor(length / 28)));
  y.axis = {first, first + decades, {}, step};
  for (double k = first; k <= first + decades + 1e-9; k += step) y.axis.ticks.push_back(k);
  return y;
}

look::Axis x_axis(const std::vector<ChartSeries>& series, const ChartOptions& o, double length) {
  double lo = INFINITY, hi = -INFINITY;
  for (const ChartSeries& s : series) {
    for (const double x : s.x) {
      if (!std::isfinite(x)) continue;
      lo = std::min(lo, x);
      hi = std::max(hi, x);
    }
  }
  if (!(lo <= hi)) lo = 0, hi = 1;
  if (lo == hi) lo -= 1, hi += 1;
  look::Axis axis = look::make_axis(lo, hi, length, kPixelsPerXTick);
  if (o.whole_x && axis.step < 1) axis = look::make_axis(lo, hi, length, length / (hi - lo));
  // Room for the markers at the ends.
  const double pad = 0.03 * (hi - lo);
  axis.lo = lo - pad;
  axis.hi = hi + pad;
  return axis;
}

std::string y_tick_label(const ValueAxis& y, double tick) {
  if (!y.log) return look::tick_label(tick, y.axis.step);
  const double value = std::pow(10.0, tick);
  return look::tick_label(value, value);
}

void set_series_colour(cairo_t* cr, std::size_t style, double alpha = 1) {
  const look::Rgb c = look::kPalette[style % look::kPalette.size()];
  cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha);
}

// A marker whose shape, like its colour, tells the series apart (in grey too).
void marker(cairo_t* cr, std::size_t style, double x, double y) {
  const double r = kMarkerRadius;
  switch (style % kMarkerShapes) {
    case 0:
      cairo_arc(cr, x, y, r, 0, 2 * std::numbers::pi);
      break;
    case 1:
      cairo_rectangle(cr, x - 0.85 * r, y - 0.85 * r, 1.7 * r, 1.7 * r);
      break;
    case 2:
      cairo_move_to(cr, x, y - 1.2 * r);
      cairo_line_to(cr, x + 1.1 * r, y + 0.8 * r);
      cairo_line_to(cr, x - 1.1 * r, y + 0.8 * r);
      cairo_close_path(cr);
      break;
    case 3:
      cairo_move_to(cr, x, y - 1.25 * r);
      cairo_line_to(cr, x + 1.25 * r, y);
      cairo_line_to(cr, x, y + 1.25 * r);
      cairo_line_to(cr, x - 1.25 * r, y);
      cairo_close_path(cr);
      break;
    case 4:
      cairo_move_to(cr, x, y + 1.2 * r);
      cairo_line_to(cr, x + 1.1 * r, y - 0.8 * r);
      cairo_line_to(cr, x - 1.1 * r, y - 0.8 * r);
      cairo_close_path(cr);
      break;
    default:  // an open circle
      cairo_new_sub_path(cr);
      cairo_arc(cr, x, y, r, 0, 2 * std::numbers::pi);
      cairo_set_line_width(cr, 1.5);
      cairo_stroke(cr);
      return;
  }
  cairo_fill(cr);
}

// The band between low and high, one polygon per run of points where both show.
void draw_band(cairo_t* cr, const Scale& s, const ChartSeries& series) {
  if (series.low.empty()) return;
  set_series_colour(cr, series.style, kBandAlpha);
  std::size_t i = 0;
  const std::size_t n = series.x.size();
  while (i < n) {
    const auto shows = [&](std::size_t k) {
      return std::isfinite(series.x[k]) && s.y.shows(series.low[k]) && s.y.shows(series.high[k]);
    };
    if (!shows(i)) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < n && shows(end)) ++end;
    if (end - i > 1) {
      cairo_move_to(cr, s.px(series.x[i]), s.py(series.high[i]));
      for (std::size_t k = i + 1; k < end; ++k)
        cairo_line_to(cr, s.px(series.x[k]), s.py(series.high[k]));
      for (std::size_t k = end; k-- > i;) cairo_line_to(cr, s.px(series.x[k]), s.py(series.low[k]));
      cairo_close_path(cr);
      cairo_fill(cr);
    }
    i = end;
  }
}

void draw_line(cairo_t* cr, const Scale& s, const ChartSeries& series) {
  set_series_colour(cr, series.style);
  cairo_set_line_width(cr, kLineWidth);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  bool open = false;
  for (std::size_t k = 0; k < series.x.size(); ++k) {
    if (!std::isfinite(series.x[k]) || !s.y.shows(series.y[k])) {
      open = false;
      continue;
    }
    if (open) {
      cairo_line_to(cr, s.px(series.x[k]), s.py(series.y[k]));
    } else {
      cairo_move_to(cr, s.px(series.x[k]), s.py(series.y[k]));
    }
    open = true;
  }
  cairo_stroke(cr);
  for (std::size_t k = 0; k < series.x.size(); ++k) {
    if (std::isfinite(series.x[k]) && s.y.shows(series.y[k])) {
      marker(cr, series.style, s.px(series.x[k]), s.py(series.y[k]));
    }
  }
}

// Draws the legend's rows from `top` and returns where they end.
double draw_legend(cairo_t* cr, const std::vector<ChartSeries>& series, double width, double top) {
  look::set_font(cr, look::kTickFontSize);
  std::vector<std::vector<const ChartSeries*>> rows(1);
  std::vector<double> row_widths(1, 0);
  for (const ChartSeries& s : series) {
    const double item = kLegendSampleLength + look::kTextGap + look::text_width(cr, s.label);
    const double needed = rows.back().empty() ? item : row_widths.back() + kLegendItemGap + item;
    if (needed > width - 2 * kMargin && !rows.back().empty()) {
      rows.emplace_back();
      row_widths.push_back(item);
    } else {
      row_widths.back() = needed;
    }
    rows.back().push_back(&s);
  }
  for (std::size_t r = 0; r < rows.size(); ++r) {
    double x = (width - row_widths[r]) / 2;
    const double middle = top + kLegendRowHeight * (static_cast<double>(r) + 0.5);
    for (const ChartSeries* s : rows[r]) {
      set_series_colour(cr, s->style);
      cairo_set_line_width(cr, kLineWidth);
      cairo_move_to(cr, x, middle);
      cairo_line_to(cr, x + kLegendSampleLength, middle);
      cairo_stroke(cr);
      marker(cr, s->style, x + kLegendSampleLength / 2, middle);
      look::set_colour(cr, look::kText);
      look::set_font(cr, look::kTickFontSize);
      look::show_text(cr, s->label, x + kLegendSampleLength + look::kTextGap,
                      middle + 0.36 * look::kTickFontSize, Align::kLeft);
      x += kLegendSampleLength + look::kTextGap + look::text_width(cr, s->label) + kLegendItemGap;
    }
  }
  return top + kLegendRowHeight * static_cast<double>(rows.size());
}

void draw_grid_and_frame(cairo_t* cr, const Scale& s) {
  cairo_set_line_width(cr, 1);
  look::set_colour(cr, look::kGrid);
  for (const double t : s.x.ticks) {
    cairo_move_to(cr, look::crisp(s.px(t)), s.area.top);
    cairo_line_to(cr, look::crisp(s.px(t)), s.area.bottom);
  }
  for (const double t : s.y.axis.ticks) {
    const double y = look::crisp(s.area.bottom - (t - s.y.axis.lo) / (s.y.axis.hi - s.y.axis.lo) *
                                                     (s.area.bottom - s.area.top));
    cairo_move_to(cr, s.area.left, y);
    cairo_line_to(cr, s.area.right, y);
  }
  cairo_stroke(cr);
  look::set_colour(cr, look::kFrame);
  const double left = look::crisp(s.area.left), top = look::crisp(s.area.top);
  cairo_rectangle(cr, left, top, look::crisp(s.area.right) - left,
                  look::crisp(s.area.bottom) - top);
  cairo_stroke(cr);
}

void draw_reference(cairo_t* cr, const Scale& s, const ChartOptions& o) {
  if (!s.y.shows(o.reference_y)) return;
  const double y = look::crisp(s.py(o.reference_y));
  if (y < s.area.top || y > s.area.bottom) return;
  look::set_colour(cr, look::kZeroLine);
  cairo_set_line_width(cr, 1);
  const double dashes[] = {6, 4};
  cairo_set_dash(cr, dashes, 2, 0);
  cairo_move_to(cr, s.area.left, y);
  cairo_line_to(cr, s.area.right, y);
  cairo_stroke(cr);
  cairo_set_dash(cr, nullptr, 0, 0);
  look::set_colour(cr, look::kText);
  look::set_font(cr, look::kTickFontSize);
  look::show_text(cr, o.reference_label, s.area.right - look::kTextGap, y - look::kTextGap,
                  Align::kRight);
}

void draw_ticks_and_labels(cairo_t* cr, const Scale& s, const ChartOptions& o) {
  look::set_colour(cr, look::kFrame);
  cairo_set_line_width(cr, 1);
  const double bottom = look::crisp(s.area.bottom), left = look::crisp(s.area.left);
  std::vector<double> y_ticks;
  for (const double t : s.y.axis.ticks) {
    y_ticks.push_back(s.area.bottom - (t - s.y.axis.lo) / (s.y.axis.hi - s.y.axis.lo) *
                                          (s.area.bottom - s.area.top));
  }
  for (const double t : s.x.ticks) {
    cairo_move_to(cr, look::crisp(s.px(t)), bottom);
    cairo_line_to(cr, look::crisp(s.px(t)), bottom + look::kTickLength);
  }
  for (const double y : y_ticks) {
    cairo_move_to(cr, left, look::crisp(y));
    cairo_line_to(cr, left - look::kTickLength, look::crisp(y));
  }
  cairo_stroke(cr);

  look::set_colour(cr, look::kText);
  look::set_font(cr, look::kTickFontSize);
  const double digit_height = 0.73 * look::kTickFontSize;
  for (const double t : s.x.ticks) {
    look::show_text(cr, look::tick_label(t, s.x.step), s.px(t),
                    bottom + look::kTickLength + look::kTextGap + digit_height, Align::kCentre);
  }
  double widest = 0;
  for (std::size_t i = 0; i < y_ticks.size(); ++i) {
    const std::string label = y_tick_label(s.y, s.y.axis.ticks[i]);
    widest = std::max(widest, look::text_width(cr, label));
    look::show_text(cr, label, left - look::kTickLength - look::kTextGap,
                    y_ticks[i] + digit_height / 2, Align::kRight);
  }
  look::set_font(cr, look::kLabelFontSize);
  look::show_text(
      cr, o.x_label, (s.area.left + s.area.right) / 2,
      bottom + look::kTickLength + 2 * look::kTextGap + digit_height + look::kLabelFontSize,
      Align::kCentre);
  cairo_save(cr);
  cairo_translate(cr, left - look::kTickLength - 2 * look::kTextGap - widest,
                  (s.area.top + s.area.bottom) / 2);
  cairo_rotate(cr, -std::numbers::pi / 2);
  look::show_text(cr, o.y_label, 0, 0, Align::kCentre);
  cairo_restore(cr);
}

void draw_chart(cairo_t* cr, const std::vector<ChartSeries>& series, const ChartOptions& o) {
  look::set_unhinted_metrics(cr);
  look::set_colour(cr, look::kBackground);
  cairo_paint(cr);
  const double width = o.width, height = o.height;
  double top = kMargin;
  if (!o.heading.empty()) {
    look::set_colour(cr, look::kText);
    look::set_font(cr, look::kLabelFontSize);
    look::show_text(cr, o.heading, width / 2, top + look::kLabelFontSize, Align::kCentre);
    top += look::kLabelFontSize + look::kTextGap;
  }
  if (o.legend) top = draw_legend(cr, series, width, top) + look::kTextGap;
  const double bottom_gutter =
      look::kTickLength + 3 * look::kTextGap + 0.73 * look::kTickFontSize + look::kLabelFontSize;
  const double bottom = height - kMargin - bottom_gutter;

  Scale s{};
  s.y = value_axis(series, o, bottom - top);
  look::set_font(cr, look::kTickFontSize);
  double widest = 0;
  for (const double t : s.y.axis.ticks) {
    widest = std::max(widest, look::text_width(cr, y_tick_label(s.y, t)));
  }
  const double left =
      kMargin + look::kLabelFontSize + look::kTickLength + 2 * look::kTextGap + widest;
  s.area = {left, top, width - kMargin, bottom};
  s.x = x_axis(series, o, s.area.right - s.area.left);

  draw_grid_and_frame(cr, s);
  cairo_save(cr);
  cairo_rectangle(cr, s.area.left, s.area.top, s.area.right - s.area.left,
                  s.area.bottom - s.area.top);
  cairo_clip(cr);
  for (const ChartSeries& one : series) draw_band(cr, s, one);
  draw_reference(cr, s, o);
  for (const ChartSeries& one : series) draw_line(cr, s, one);
  cairo_restore(cr);
  draw_ticks_and_labels(cr, s, o);
}

using SurfacePtr = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;
using CairoPtr = std::unique_ptr<cairo_t, decltype(&cairo_destroy)>;

}  // namespace

std::string chart_to_string(const std::vector<ChartSeries>& series, const ChartOptions& options,
                            PlotFormat format) {
  check(series, options);
  std::string bytes;
  SurfacePtr surface(nullptr, cairo_surface_destroy);
  switch (format) {
    case PlotFormat::kSvg:
      surface.reset(cairo_svg_surface_create_for_stream(look::append_to_string, &bytes,
                                                        options.width, options.height));
      cairo_svg_surface_set_document_unit(surface.get(), CAIRO_SVG_UNIT_PX);
      break;
    case PlotFormat::kPng:
      surface.reset(cairo_image_surface_create(CAIRO_FORMAT_RGB24, options.width, options.height));
      break;
    case PlotFormat::kPdf:
      throw Error("chart: draws SVG and PNG only");
  }
  look::check_cairo(cairo_surface_status(surface.get()));
  {
    CairoPtr cr(cairo_create(surface.get()), cairo_destroy);
    draw_chart(cr.get(), series, options);
    look::check_cairo(cairo_status(cr.get()));
  }
  if (format == PlotFormat::kPng) {
    look::check_cairo(
        cairo_surface_write_to_png_stream(surface.get(), look::append_to_string, &bytes));
  }
  cairo_surface_finish(surface.get());
  look::check_cairo(cairo_surface_status(surface.get()));
  if (format == PlotFormat::kSvg) look::insert_svg_title(bytes, options.title);
  return bytes;
}

}  // namespace sigma
