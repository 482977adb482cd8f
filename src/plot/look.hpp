// What sigma's figures share, so that a function keeps its colour from the atlas's plots to the
// report's training charts: the palette, the font, nice axis ticks and text placement with cairo.
#pragma once

#include <cairo.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <sigma/error.hpp>
#include <string>
#include <vector>

#include "common/markup.hpp"

namespace sigma::look {

inline constexpr char kFont[] = "DejaVu Sans";
inline constexpr double kTickFontSize = 13;
inline constexpr double kLabelFontSize = 15;
inline constexpr double kTickLength = 5;
inline constexpr double kTextGap = 6;  // between a tick and its label, a label and the next thing

struct Rgb {
  double r, g, b;
};

constexpr Rgb hex(unsigned rgb) {
  return {((rgb >> 16) & 0xFF) / 255.0, ((rgb >> 8) & 0xFF) / 255.0, (rgb & 0xFF) / 255.0};
}

// Okabe and Ito's palette, which readers with any common colour-vision deficiency can tell
// apart; its yellow, faint on white, comes last.
inline constexpr std::array kPalette = {hex(0x0072B2), hex(0xD55E00), hex(0x009E73), hex(0xCC79A7),
                                        hex(0xE69F00), hex(0x56B4E9), hex(0x000000), hex(0xF0E442)};
inline constexpr Rgb kBackground = hex(0xFFFFFF);
inline constexpr Rgb kGrid = hex(0xE6E6E6);
inline constexpr Rgb kZeroLine = hex(0x9E9E9E);
inline constexpr Rgb kFrame = hex(0x8C8C8C);
inline constexpr Rgb kText = hex(0x222222);

// ---- Axes ----

struct Axis {
  double lo, hi;
  std::vector<double> ticks;
  double step;
};

// A step of 1, 2 or 5 times a power of ten near `raw`.
inline double nice_step(double raw) {
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  const double fraction = raw / power;
  if (fraction < 1.5) return power;
  if (fraction < 3.5) return 2 * power;
  if (fraction < 7.5) return 5 * power;
  return 10 * power;
}

inline Axis make_axis(double lo, double hi, double length, double pixels_per_tick) {
  Axis axis{lo, hi, {}, nice_step((hi - lo) / std::max(2.0, length / pixels_per_tick))};
  const double first = std::ceil(lo / axis.step - 1e-9);
  for (double k = first; k * axis.step <= hi + 1e-9 * axis.step; ++k) {
    const double tick = k * axis.step;
    axis.ticks.push_back(std::abs(tick) < 1e-9 * axis.step ? 0.0 : tick);
  }
  return axis;
}

// A tick label: as many decimals as the step needs, a true minus sign, no "-0".
inline std::string tick_label(double value, double step) {
  char buffer[64];
  if (std::abs(value) >= 1e6 || step < 1e-4) {
    std::snprintf(buffer, sizeof buffer, "%.3g", value);
  } else {
    const int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  }
  std::string text = buffer;
  if (text.find_first_not_of("-0.") == std::string::npos) return text.substr(text[0] == '-');
  if (text[0] == '-') text.replace(0, 1, "\u2212");
  return text;
}

// ---- Drawing ----

inline void set_colour(cairo_t* cr, Rgb c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

inline void set_font(cairo_t* cr, double size) {
  cairo_select_font_face(cr, kFont, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, size);
}

inline double text_width(cairo_t* cr, const std::string& text) {
  cairo_text_extents_t extents;
  cairo_text_extents(cr, text.c_str(), &extents);
  return extents.x_advance;
}

enum class Align { kLeft, kCentre, kRight };

// Text whose baseline starts, centres or ends at (x, y).
inline void show_text(cairo_t* cr, const std::string& text, double x, double y, Align align) {
  const double width = text_width(cr, text);
  const double shift = align == Align::kLeft ? 0 : align == Align::kCentre ? width / 2 : width;
  cairo_move_to(cr, x - shift, y);
  cairo_show_text(cr, text.c_str());
}

// The centre of a one-unit line, so that grid lines and frames are sharp in a PNG.
inline double crisp(double v) { return std::floor(v) + 0.5; }

// Glyph positions without hinting, so that text is laid out the same in SVG, PNG and PDF.
inline void set_unhinted_metrics(cairo_t* cr) {
  cairo_font_options_t* font_options = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(font_options, CAIRO_HINT_METRICS_OFF);
  cairo_set_font_options(cr, font_options);
  cairo_font_options_destroy(font_options);
}

// ---- Output ----

inline void check_cairo(cairo_status_t status) {
  if (status != CAIRO_STATUS_SUCCESS) {
    throw Error(std::string("plot: cairo: ") + cairo_status_to_string(status));
  }
}

// A cairo write function that appends to the std::string at `closure`.
inline cairo_status_t append_to_string(void* closure, const unsigned char* data,
                                       unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// cairo draws text as glyph outlines, so the names are put where a reader, a screen reader and
// a test can find them: the SVG's <title>, just inside the root element.
inline void insert_svg_title(std::string& svg, const std::string& title) {
  const std::size_t root = svg.find("<svg");
  const std::size_t end = root == std::string::npos ? root : svg.find('>', root);
  if (end == std::string::npos) throw Error("plot: cairo wrote an SVG without a root element");
  svg.insert(end + 1, "\n<title>" + escape_markup(title) + "</title>");
}

}  // namespace sigma::look
