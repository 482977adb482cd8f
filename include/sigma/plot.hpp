// sigma::plot: the tutorials' figure, every function beside its derivative, as SVG, PNG or PDF.
#pragma once

#include <functional>
#include <limits>
#include <sigma/activation.hpp>
#include <sigma/file.hpp>
#include <string>
#include <vector>

namespace sigma {

// A bound left as NaN (the default) is chosen from the curves.
inline constexpr double kAutoRange = std::numeric_limits<double>::quiet_NaN();

struct PlotOptions {
  // The inputs shown, [x_min, x_max]: finite, x_min < x_max.
  double x_min = -5;
  double x_max = 5;
  // The value axes of the function panel (y) and of the derivative panel (dy). A chosen axis
  // holds every curve, except that a curve far steeper than the others is clipped at the panel
  // so that the others stay readable. Set both bounds of an axis, or neither.
  double y_min = kAutoRange;
  double y_max = kAutoRange;
  double dy_min = kAutoRange;
  double dy_max = kAutoRange;
  bool derivative = true;  // a second panel with f' beside the panel with f
  bool legend = true;      // the functions' specs, above the panels
  // One small panel per function, titled with its spec, with f and (unless derivative is false)
  // f' in it, the rows filled left to right; y_min and y_max then fix every panel's value axis.
  bool grid = false;
  // In points (1/72 in, one CSS px; one pixel of a PNG at 72 dpi); 0 picks 1000 x 420 with the
  // derivative panel, 560 x 420 without, and for a grid 230 x 190 per panel. Each must be in
  // [240, 8192].
  int width = 0;
  int height = 0;
  // A PNG's resolution in [18, 1200] pixels per inch: 144 draws the same figure with twice as
  // many pixels each way, at most 16384 on a side. SVG and PDF are drawn in points and scale.
  double dpi = 72;
  // The axes' names: below the panels, beside the function panel, beside the derivative panel
  // (in a grid, the legend's names of f and f').
  std::string x_label = "x";
  std::string y_label = "f(x)";
  std::string dy_label = "f\u2032(x)";
  // Whether plot() may replace the file a symbolic link at its path points to.
  Symlinks symlinks = Symlinks::kRefuse;
};

enum class PlotFormat { kSvg, kPng, kPdf };

// The format a file name's extension names: .svg, .png or .pdf in any case. Throws sigma::Error
// for any other.
PlotFormat plot_format_of(const std::string& path);

// Draws `functions` at their bound parameters, each in its own colour and dash style, and writes
// the figure to `path` in the format its extension names. A curve that jumps has a closed dot at
// the end that holds the value at the jump and an open dot at the other; a curve cut off by the
// value axis has a notch on the panel's edge pointing the way it went; and a curve that runs
// along one drawn above it is widened there by a pale halo, so that both stay visible. The file is
// written whole or not at all: a figure that cannot be written leaves whatever was at `path`
// untouched. Throws sigma::Error for no functions, a bad range or size, an unknown extension, or a
// path that cannot be written.
void plot(const std::vector<Activation>& functions, const PlotOptions& options,
          const std::string& path);

// The same figure as the bytes of a file in `format`, to embed (sigma report inlines SVG). An SVG
// names its functions in its <title>.
std::string plot_to_string(const std::vector<Activation>& functions, const PlotOptions& options,
                           PlotFormat format);

// Any function of x and its slope, named in the legend: for curves that are not activations, such
// as a loss against the logit.
struct NamedCurve {
  std::string name;
  std::function<double(double)> value;  // required
  std::function<double(double)> slope;  // empty: not in the derivative panel
};

// The same figure for `curves`, in the same look; throws sigma::Error as plot() does, and for a
// curve without a value function.
std::string plot_to_string(const std::vector<NamedCurve>& curves, const PlotOptions& options,
                           PlotFormat format);

}  // namespace sigma
