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
#include <memory>
#include <numbers>
#include <sigma/error.hpp>
#include <sigma/plot.hpp>
#include <sigma/version.hpp>
#include <span>
#include <string_view>
#include <utility>

#include "io/safe_file.hpp"
#include "plot/look.hpp"

namespace sigma {
namespace {

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

// ---- Curves: sampled, split where they jump, clipped to the panel ----

constexpr int kSamples = 1001;  // per curve; about one per pixel of a wide panel
constexpr double kSteepFactor = 5;

struct Point {
  double x, y;
};
using Polyline = std::vector<Point>;

// One curve: f or f' of one function.
struct Curve {
  const Activation* function;
  bool derivative;
  double operator()(double x) const {
    return derivative ? function->reference_derivative(x) : function->reference(x);
  }
};

struct Sampled {
  std::vector<Point> points;
  double lo = kAutoRange, hi = kAutoRange;  // of the finite values; NaN when there are none
};

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
  if (!(lo <= hi)) return {-1, 1};  // nothing finite to show
  if (lo == hi) return {lo - 1, hi + 1};
  const double pad = 0.06 * (hi - lo);
  return {lo - pad, hi + pad};
}

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

// The samples as polylines, broken where the curve is not finite and where it jumps by more
// than `jump`, so that a step or a sign is not drawn with a vertical line.
std::vector<Polyline> trace(const Curve& curve, const std::vector<Point>& points, double jump) {
  std::vector<Polyline> lines(1);
  for (const Point& p : points) {
    if (!std::isfinite(p.y)) {
      if (!lines.back().empty()) lines.emplace_back();
      continue;
    }
    if (!lines.back().empty() && std::abs(p.y - lines.back().back().y) > jump) {
      const auto [left, right] = narrow_jump(curve, lines.back().back(), p);
      if (std::abs(right.y - left.y) > jump / 2) {
        lines.back().push_back(left);
        lines.emplace_back();
        lines.back().push_back(right);
      }
    }
    lines.back().push_back(p);
  }
  return lines;
}

// The parts of `lines` with lo <= y <= hi, cut exactly where they leave the band, so that the
// drawing never holds the far-away coordinates of a steep curve.
std::vector<Polyline> clip(const std::vector<Polyline>& lines, double lo, double hi) {
  std::vector<Polyline> out;
  Polyline current;
  auto flush = [&] {
    if (current.size() > 1) out.push_back(std::move(current));
    current.clear();
  };
  for (const Polyline& line : lines) {
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
      if (t0 > 0) flush();
      if (current.empty()) current.push_back(a);
      current.push_back(b);
      if (t1 < 1) flush();
    }
    flush();
  }
  return out;
}

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

struct Panel {
  Rect area;  // the plotting area, inside the axes
  Axis x, y;
  std::string y_label;
  std::vector<std::vector<Polyline>> curves;  // per function, in data coordinates
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

void draw_curves(cairo_t* cr, const Panel& p) {
  cairo_save(cr);
  cairo_rectangle(cr, p.area.left, p.area.top, p.area.width, p.area.height);
  cairo_clip(cr);
  std::vector<std::size_t> order(p.curves.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [](std::size_t a, std::size_t b) {
    const auto rank = [](std::size_t i) {
      return std::find(kDrawOrder.begin(), kDrawOrder.end(), i % kDashes.size()) -
             kDrawOrder.begin();
    };
    return rank(a) < rank(b);
  });
  for (const std::size_t i : order) {
    set_curve_style(cr, i);
    for (const Polyline& line : p.curves[i]) {
      cairo_move_to(cr, x_px(p, line[0].x), y_px(p, line[0].y));
      for (std::size_t k = 1; k < line.size(); ++k) {
        cairo_line_to(cr, x_px(p, line[k].x), y_px(p, line[k].y));
      }
      cairo_stroke(cr);
    }
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
  show_text(cr, "x", p.area.left + p.area.width / 2,
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
std::vector<std::vector<LegendItem>> legend_rows(cairo_t* cr,
                                                 const std::vector<Activation>& functions,
                                                 double width) {
  set_font(cr, kTickFontSize);
  std::vector<std::vector<LegendItem>> rows(1);
  double used = 0;
  for (const Activation& f : functions) {
    LegendItem item{f.spec(), 0};
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

// Room left of the plotting area for the y tick labels and the axis label.
double left_gutter(cairo_t* cr, const Axis& y) {
  set_font(cr, kTickFontSize);
  double widest = 0;
  for (double t : y.ticks) widest = std::max(widest, text_width(cr, tick_label(t, y.step)));
  return kTickLength + 2 * kTextGap + widest + kLabelFontSize * 0.6;
}

constexpr double kBottomGutter = kTickLength + 3 * kTextGap + 0.73 * kTickFontSize + kLabelFontSize;

std::pair<double, double> value_range(double lo, double hi, std::span<const Sampled> curves) {
  return std::isnan(lo) ? auto_range(curves) : std::pair{lo, hi};
}

void draw_figure(cairo_t* cr, const std::vector<Activation>& functions, const PlotOptions& o,
                 double width, double height) {
  set_unhinted_metrics(cr);

  set_colour(cr, kBackground);
  cairo_paint(cr);

  const auto legend = o.legend ? legend_rows(cr, functions, width - 2 * kMargin)
                               : std::vector<std::vector<LegendItem>>{};
  double top = kMargin;
  if (o.legend) {
    draw_legend(cr, legend, width, top);
    top += kLegendRowHeight * static_cast<double>(legend.size()) + kTextGap;
  } else {
    top += kTextGap;
  }

  const int panel_count = o.derivative ? 2 : 1;
  const double region_width = (width - 2 * kMargin - kPanelGap * (panel_count - 1)) / panel_count;
  const double area_height = height - top - kMargin - kBottomGutter;
  for (int k = 0; k < panel_count; ++k) {
    const bool derivative = k == 1;
    std::vector<Sampled> sampled;
    std::vector<Curve> curves;
    for (const Activation& f : functions) {
      curves.push_back({&f, derivative});
      sampled.push_back(sample(curves.back(), o.x_min, o.x_max));
    }
    const auto [lo, hi] = derivative ? value_range(o.dy_min, o.dy_max, sampled)
                                     : value_range(o.y_min, o.y_max, sampled);
    Panel panel;
    panel.y = make_axis(lo, hi, area_height, kPixelsPerYTick);
    const double region_left = kMargin + k * (region_width + kPanelGap);
    const double gutter = left_gutter(cr, panel.y);
    panel.area = {region_left + gutter, top, region_width - gutter, area_height};
    panel.x = make_axis(o.x_min, o.x_max, panel.area.width, kPixelsPerXTick);
    panel.y_label = derivative ? "f\u2032(x)" : "f(x)";
    // A jump is a change no continuous curve makes between two samples at this scale.
    const double jump = 0.01 * (hi - lo);
    for (std::size_t i = 0; i < curves.size(); ++i) {
      panel.curves.push_back(clip(trace(curves[i], sampled[i].points, jump), lo, hi));
    }
    draw_grid(cr, panel);
    draw_curves(cr, panel);
    draw_axes(cr, panel);
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

Size checked_size(const PlotOptions& o) {
  const Size size{o.width != 0   ? o.width
                  : o.derivative ? kDefaultWidth
                                 : kDefaultWidthOnePanel,
                  o.height != 0 ? o.height : kDefaultHeight};
  if (size.width < kMinSize || size.width > kMaxSize || size.height < kMinSize ||
      size.height > kMaxSize) {
    throw Error("plot: the size " + std::to_string(size.width) + "x" + std::to_string(size.height) +
                " is outside " + std::to_string(kMinSize) + " to " + std::to_string(kMaxSize) +
                " on each side");
  }
  return size;
}

void check(const std::vector<Activation>& functions, const PlotOptions& o) {
  if (functions.empty()) throw Error("plot: no functions to draw");
  check_range("x", o.x_min, o.x_max, false);
  check_range("y", o.y_min, o.y_max, true);
  check_range("dy", o.dy_min, o.dy_max, true);
}

std::string figure_title(const std::vector<Activation>& functions) {
  std::string title = "sigma plot:";
  for (std::size_t i = 0; i < functions.size(); ++i) {
    title += (i == 0 ? " " : ", ") + functions[i].spec();
  }
  return title;
}

SurfacePtr make_surface(PlotFormat format, Size size, std::string& bytes,
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
      surface.reset(cairo_image_surface_create(CAIRO_FORMAT_RGB24, size.width, size.height));
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

std::string plot_to_string(const std::vector<Activation>& functions, const PlotOptions& options,
                           PlotFormat format) {
  check(functions, options);
  const Size size = checked_size(options);
  const std::string title = figure_title(functions);
  std::string bytes;
  SurfacePtr surface = make_surface(format, size, bytes, title);
  {
    CairoPtr cr(cairo_create(surface.get()), cairo_destroy);
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

void plot(const std::vector<Activation>& functions, const PlotOptions& options,
          const std::string& path) {
  const PlotFormat format = plot_format_of(path);
  io::write_file(path, plot_to_string(functions, options, format), "plot", options.symlinks);
}

}  // namespace sigma
