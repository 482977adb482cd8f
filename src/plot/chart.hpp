// Line charts of measured series, in the look of sigma::plot (the same palette and font), as SVG:
// the training evidence of `sigma report` (accuracy, loss, gradient norms by epoch). Private to
// sigma's own tools.
#pragma once

#include <cstddef>
#include <limits>
#include <sigma/plot.hpp>
#include <string>
#include <vector>

namespace sigma {

struct ChartSeries {
  std::string label;
  std::vector<double> x;
  std::vector<double> y;  // NaN (and, on a log axis, 0 or less): a gap in the line
  // A band drawn under the line, such as the spread over seeds: empty, or as long as y.
  std::vector<double> low, high;
  // Picks the colour and marker, so that a series keeps its look from chart to chart.
  std::size_t style = 0;
};

struct ChartOptions {
  std::string title;    // the SVG's <title>, for readers, screen readers and tests
  std::string heading;  // drawn above the legend; empty: none
  std::string x_label, y_label;
  bool log_y = false;    // decades; values of 0 or less are gaps
  bool whole_x = false;  // x ticks on whole numbers only (epochs)
  // Fixed value axis, so that several charts share one; NaN: from the data.
  double y_min = std::numeric_limits<double>::quiet_NaN();
  double y_max = std::numeric_limits<double>::quiet_NaN();
  // A dashed horizontal line, such as a target; NaN: none.
  double reference_y = std::numeric_limits<double>::quiet_NaN();
  std::string reference_label;
  int width = 560;  // points, one CSS px each
  int height = 340;
  bool legend = true;
};

// The chart as the bytes of an SVG or PNG file (PDF is refused). Throws sigma::Error for no
// series, a series whose arrays differ in length, a size outside [160, 4096], or a fixed axis
// that is not finite and increasing (positive on a log axis).
std::string chart_to_string(const std::vector<ChartSeries>& series, const ChartOptions& options,
                            PlotFormat format);

}  // namespace sigma
