// The line charts of sigma report (src/plot/chart.hpp): each series in its colour with its band,
// gaps where a value is missing, the reference line, decade axes, and bad input refused.
#include "plot/chart.hpp"

#include <cairo.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <sigma/error.hpp>
#include <string>
#include <vector>

#include "png_decode.hpp"

namespace sigma {
namespace {

using test::DecodePng;
using test::Surface;

Surface Draw(const std::vector<ChartSeries>& series, const ChartOptions& options) {
  return DecodePng(chart_to_string(series, options, PlotFormat::kPng));
}

// The palette's first two colours, the blue band over white at 20%, and the reference line's
// grey.
constexpr std::uint32_t kBlue = 0x0072B2, kVermillion = 0xD55E00, kBlueBand = 0xCCE3F0,
                        kReferenceGrey = 0x9E9E9E;

int CountPixels(cairo_surface_t* surface, std::uint32_t rgb) {
  int count = 0;
  for (int y = 0; y < cairo_image_surface_get_height(surface); ++y) {
    const auto* row = reinterpret_cast<const std::uint32_t*>(
        cairo_image_surface_get_data(surface) + y * cairo_image_surface_get_stride(surface));
    for (int x = 0; x < cairo_image_surface_get_width(surface); ++x) {
      bool near = true;
      for (const int shift : {0, 8, 16}) {
        near = near && std::abs(static_cast<int>((row[x] >> shift) & 0xFF) -
                                static_cast<int>((rgb >> shift) & 0xFF)) <= 6;
      }
      count += near;
    }
  }
  return count;
}

ChartSeries Flat(double value, std::size_t style = 0) {
  return {"flat", {1, 2, 3, 4, 5}, {value, value, value, value, value}, {}, {}, style};
}

TEST(Chart, DrawsEachSeriesInTheColourOfItsStyle) {
  const Surface blue = Draw({Flat(1, 0)}, {});
  EXPECT_GT(CountPixels(blue.get(), kBlue), 300);
  EXPECT_EQ(CountPixels(blue.get(), kVermillion), 0);
  const Surface vermillion = Draw({Flat(1, 1)}, {});
  EXPECT_EQ(CountPixels(vermillion.get(), kBlue), 0);
  EXPECT_GT(CountPixels(vermillion.get(), kVermillion), 300);
}

TEST(Chart, FillsTheBandBetweenLowAndHigh) {
  ChartSeries series = Flat(1);
  // Only where the line's antialiased edge happens to blend to the band's colour.
  EXPECT_LT(CountPixels(Draw({series}, {}).get(), kBlueBand), 50);
  series.low = {0.5, 0.5, 0.5, 0.5, 0.5};
  series.high = {1.5, 1.5, 1.5, 1.5, 1.5};
  // Half the plotting area's height, all its width.
  EXPECT_GT(CountPixels(Draw({series}, {}).get(), kBlueBand), 20000);
}

TEST(Chart, LeavesAGapWhereAValueIsMissing) {
  ChartSeries whole = Flat(1), broken = Flat(1);
  broken.y[1] = NAN;
  broken.y[3] = NAN;
  const int line = CountPixels(Draw({whole}, {}).get(), kBlue);
  // Three markers, no line between them.
  EXPECT_LT(CountPixels(Draw({broken}, {}).get(), kBlue), line / 3);
}

TEST(Chart, LogAxisTakesDecadesAndSkipsValuesOfZeroOrLess) {
  ChartOptions options;
  options.log_y = true;
  options.legend = false;
  const ChartSeries series{"norm", {1, 2, 3, 4}, {1e-4, 1e-2, 0, 1}, {}, {}, 0};
  EXPECT_GT(CountPixels(Draw({series}, options).get(), kBlue), 100);
  // Nothing positive to show still draws an empty chart.
  EXPECT_EQ(CountPixels(Draw({Flat(0)}, options).get(), kBlue), 0);
}

TEST(Chart, DrawsTheReferenceLine) {
  ChartOptions options;
  options.y_min = 0;
  options.y_max = 2;
  const int without = CountPixels(Draw({Flat(1.5)}, options).get(), kReferenceGrey);
  options.reference_y = 0.5;
  options.reference_label = "target";
  // Dashed across the plotting area, more than 400 pixels wide.
  EXPECT_GT(CountPixels(Draw({Flat(1.5)}, options).get(), kReferenceGrey), without + 200);
}

TEST(Chart, SvgHasItsTitle) {
  ChartOptions options;
  options.title = "loss & accuracy";
  const std::string svg = chart_to_string({Flat(1)}, options, PlotFormat::kSvg);
  EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
  EXPECT_NE(svg.find("<title>loss &amp; accuracy</title>"), std::string::npos);
}

TEST(Chart, RefusesBadInput) {
  EXPECT_THROW(chart_to_string({}, {}, PlotFormat::kSvg), Error);
  ChartSeries uneven = Flat(1);
  uneven.y.pop_back();
  EXPECT_THROW(chart_to_string({uneven}, {}, PlotFormat::kSvg), Error);
  ChartSeries half_band = Flat(1);
  half_band.low = half_band.y;
  EXPECT_THROW(chart_to_string({half_band}, {}, PlotFormat::kSvg), Error);
  ChartOptions small;
  small.width = 100;
  EXPECT_THROW(chart_to_string({Flat(1)}, small, PlotFormat::kSvg), Error);
  ChartOptions backwards;
  backwards.y_min = 2;
  backwards.y_max = 1;
  EXPECT_THROW(chart_to_string({Flat(1)}, backwards, PlotFormat::kSvg), Error);
  ChartOptions log_from_zero;
  log_from_zero.log_y = true;
  log_from_zero.y_min = 0;
  log_from_zero.y_max = 1;
  EXPECT_THROW(chart_to_string({Flat(1)}, log_from_zero, PlotFormat::kSvg), Error);
  EXPECT_THROW(chart_to_string({Flat(1)}, {}, PlotFormat::kPdf), Error);
}

}  // namespace
}  // namespace sigma
