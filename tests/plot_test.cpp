// sigma::plot: valid files in each format, the curves in their colours, jumps not drawn as
// vertical lines, and every bad input rejected before anything is written.
#include <cairo.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <sigma/error.hpp>
#include <sigma/plot.hpp>
#include <string>
#include <vector>

#include "png_decode.hpp"

namespace sigma {
namespace {

namespace fs = std::filesystem;

std::vector<Activation> Parse(std::initializer_list<const char*> specs) {
  std::vector<Activation> functions;
  for (const char* spec : specs) functions.push_back(Activation::parse(spec));
  return functions;
}

std::uint32_t BigEndian32(const std::string& bytes, std::size_t offset) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    value = value << 8 | static_cast<unsigned char>(bytes[offset + i]);
  }
  return value;
}

// ---- Decoding a PNG with cairo, to look at the pixels ----

using test::DecodePng;
using test::Surface;

// The first three colours of the plot's palette (Okabe and Ito's blue, vermillion, green).
constexpr std::uint32_t kBlue = 0x0072B2, kVermillion = 0xD55E00, kGreen = 0x009E73;

bool Near(std::uint32_t pixel, std::uint32_t rgb) {
  for (int shift : {0, 8, 16}) {
    const int a = static_cast<int>((pixel >> shift) & 0xFF);
    const int b = static_cast<int>((rgb >> shift) & 0xFF);
    if (std::abs(a - b) > 6) return false;
  }
  return true;
}

std::uint32_t Pixel(cairo_surface_t* surface, int x, int y) {
  const unsigned char* row =
      cairo_image_surface_get_data(surface) + y * cairo_image_surface_get_stride(surface);
  return reinterpret_cast<const std::uint32_t*>(row)[x];
}

int CountPixels(cairo_surface_t* surface, std::uint32_t rgb) {
  int count = 0;
  for (int y = 0; y < cairo_image_surface_get_height(surface); ++y) {
    for (int x = 0; x < cairo_image_surface_get_width(surface); ++x) {
      count += Near(Pixel(surface, x, y), rgb);
    }
  }
  return count;
}

// The longest vertical run of pixels of colour `rgb` in any column: long for a curve drawn
// straight up at a jump, a few pixels for a curve that only climbs steeply.
int LongestVerticalRun(cairo_surface_t* surface, std::uint32_t rgb) {
  int longest = 0;
  for (int x = 0; x < cairo_image_surface_get_width(surface); ++x) {
    int run = 0;
    for (int y = 0; y < cairo_image_surface_get_height(surface); ++y) {
      run = Near(Pixel(surface, x, y), rgb) ? run + 1 : 0;
      longest = std::max(longest, run);
    }
  }
  return longest;
}

// Where `rgb` draws a dot, at 144 dpi (radius 6.8 pixels): each pixel whose neighbours 5 pixels
// away on all four sides are `rgb` too, which no line of the curve width (4.5 pixels) has.
struct Dot {
  int x, y;
};

bool Is(cairo_surface_t* s, int x, int y, std::uint32_t rgb) {
  return x >= 0 && y >= 0 && x < cairo_image_surface_get_width(s) &&
         y < cairo_image_surface_get_height(s) && Near(Pixel(s, x, y), rgb);
}

// The dots found, one per cluster of qualifying pixels (the first pixel of each).
std::vector<Dot> Clusters(const std::vector<Dot>& pixels) {
  std::vector<Dot> dots;
  for (const Dot& p : pixels) {
    const bool known = std::any_of(dots.begin(), dots.end(), [&](const Dot& d) {
      return std::abs(d.x - p.x) < 10 && std::abs(d.y - p.y) < 10;
    });
    if (!known) dots.push_back(p);
  }
  return dots;
}

std::vector<Dot> ClosedDots(cairo_surface_t* s, std::uint32_t rgb) {
  std::vector<Dot> pixels;
  for (int y = 0; y < cairo_image_surface_get_height(s); ++y) {
    for (int x = 0; x < cairo_image_surface_get_width(s); ++x) {
      if (Is(s, x, y, rgb) && Is(s, x - 5, y, rgb) && Is(s, x + 5, y, rgb) &&
          Is(s, x, y - 5, rgb) && Is(s, x, y + 5, rgb)) {
        pixels.push_back({x, y});
      }
    }
  }
  return Clusters(pixels);
}

// An open dot: white inside, `rgb` on its ring (radius 5.3 to 8.3 pixels) on all four sides.
std::vector<Dot> OpenDots(cairo_surface_t* s, std::uint32_t rgb) {
  constexpr std::uint32_t kWhite = 0xFFFFFF;
  std::vector<Dot> pixels;
  for (int y = 0; y < cairo_image_surface_get_height(s); ++y) {
    for (int x = 0; x < cairo_image_surface_get_width(s); ++x) {
      if (Is(s, x, y, kWhite) && Is(s, x - 7, y, rgb) && Is(s, x + 7, y, rgb) &&
          Is(s, x, y - 7, rgb) && Is(s, x, y + 7, rgb)) {
        pixels.push_back({x, y});
      }
    }
  }
  return Clusters(pixels);
}

Surface DrawAt144Dpi(std::initializer_list<const char*> specs, PlotOptions options) {
  options.legend = false;
  options.derivative = false;
  options.dpi = 144;
  return DecodePng(plot_to_string(Parse(specs), options, PlotFormat::kPng));
}

// ---- Formats ----

TEST(Plot, PngHasItsSignatureAndSize) {
  PlotOptions options;
  options.width = 640;
  options.height = 300;
  const std::string png = plot_to_string(Parse({"sigmoid"}), options, PlotFormat::kPng);
  ASSERT_GT(png.size(), 33u);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(png.substr(12, 4), "IHDR");
  EXPECT_EQ(BigEndian32(png, 16), 640u);
  EXPECT_EQ(BigEndian32(png, 20), 300u);
}

TEST(Plot, DefaultSizeDependsOnThePanels) {
  PlotOptions options;
  std::string png = plot_to_string(Parse({"tanh"}), options, PlotFormat::kPng);
  EXPECT_EQ(BigEndian32(png, 16), 1000u);
  EXPECT_EQ(BigEndian32(png, 20), 420u);
  options.derivative = false;
  png = plot_to_string(Parse({"tanh"}), options, PlotFormat::kPng);
  EXPECT_EQ(BigEndian32(png, 16), 560u);
}

TEST(Plot, PdfHasItsHeaderAndEnd) {
  const std::string pdf = plot_to_string(Parse({"relu", "gelu"}), {}, PlotFormat::kPdf);
  EXPECT_EQ(pdf.substr(0, 7), "%PDF-1.");
  EXPECT_NE(pdf.find("%%EOF", pdf.size() - 16), std::string::npos);
}

TEST(Plot, SvgNamesItsFunctions) {
  const std::string svg = plot_to_string(
      Parse({"sigmoid", "leaky_relu:alpha=0.2", "gelu:approximate=tanh"}), {}, PlotFormat::kSvg);
  EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
  EXPECT_NE(svg.find("<title>sigma plot: sigmoid, leaky_relu:alpha=0.2, gelu:approximate=tanh"
                     "</title>"),
            std::string::npos);
  EXPECT_NE(svg.find("width=\"1000px\""), std::string::npos);
  EXPECT_NE(svg.rfind("</svg>"), std::string::npos);
}

// ---- What is drawn ----

TEST(Plot, EachCurveHasItsColour) {
  PlotOptions options;
  options.legend = false;
  const Surface one = DecodePng(plot_to_string(Parse({"sigmoid"}), options, PlotFormat::kPng));
  EXPECT_GT(CountPixels(one.get(), kBlue), 200);
  EXPECT_EQ(CountPixels(one.get(), kVermillion), 0);

  const Surface three =
      DecodePng(plot_to_string(Parse({"sigmoid", "tanh", "softplus"}), options, PlotFormat::kPng));
  EXPECT_GT(CountPixels(three.get(), kBlue), 200);
  EXPECT_GT(CountPixels(three.get(), kVermillion), 100);  // dashed, so fewer pixels
  EXPECT_GT(CountPixels(three.get(), kGreen), 50);        // dotted
}

TEST(Plot, JumpsAreNotDrawnAsVerticalLines) {
  PlotOptions options;
  options.legend = false;
  options.derivative = false;
  // On [-100, 100] tanh climbs from -1 to 1 within a few pixels: a near-vertical line, which
  // shows that the measure sees one.
  options.x_min = -100;
  options.x_max = 100;
  const Surface steep = DecodePng(plot_to_string(Parse({"tanh"}), options, PlotFormat::kPng));
  EXPECT_GT(LongestVerticalRun(steep.get(), kBlue), 40);
  for (const char* discontinuous : {"step", "sign", "hardshrink"}) {
    const Surface jump =
        DecodePng(plot_to_string(Parse({discontinuous}), options, PlotFormat::kPng));
    EXPECT_LT(LongestVerticalRun(jump.get(), kBlue), 10) << discontinuous;
  }
}

TEST(Plot, JumpsHaveAClosedDotWhereTheValueIsAndAnOpenOneAtTheOtherEnd) {
  // step(0) = 0: closed at (0, 0), open at (0, 1), the open one higher on the page.
  const Surface step = DrawAt144Dpi({"step"}, {});
  const std::vector<Dot> closed = ClosedDots(step.get(), kBlue), open = OpenDots(step.get(), kBlue);
  ASSERT_EQ(closed.size(), 1u);
  ASSERT_EQ(open.size(), 1u);
  EXPECT_NEAR(closed[0].x, open[0].x, 3);
  EXPECT_GT(closed[0].y, open[0].y + 100);
  // sign(0) = 0 is a point of its own between two open ends.
  const Surface sign = DrawAt144Dpi({"sign"}, {});
  EXPECT_EQ(ClosedDots(sign.get(), kBlue).size(), 1u);
  EXPECT_EQ(OpenDots(sign.get(), kBlue).size(), 2u);
  // hardshrink(+-0.5) = 0: two jumps, each with one dot of each kind.
  const Surface shrink = DrawAt144Dpi({"hardshrink"}, {});
  EXPECT_EQ(ClosedDots(shrink.get(), kBlue).size(), 2u);
  EXPECT_EQ(OpenDots(shrink.get(), kBlue).size(), 2u);
  // A continuous curve, however steep, has none.
  PlotOptions steep;
  steep.x_min = -100;
  steep.x_max = 100;
  for (const char* smooth : {"tanh", "relu"}) {
    const Surface curve = DrawAt144Dpi({smooth}, steep);
    EXPECT_TRUE(ClosedDots(curve.get(), kBlue).empty()) << smooth;
    EXPECT_TRUE(OpenDots(curve.get(), kBlue).empty()) << smooth;
  }
}

TEST(Plot, ACurveCutOffByTheValueAxisHasANotchOnTheFrame) {
  // exponential leaves [-1, 2] at x = log 2: an arrowhead pointing up sits just above the frame,
  // outside the area the curve is clipped to.
  PlotOptions clipped;
  clipped.y_min = -1;
  clipped.y_max = 2;
  const auto above_frame = [](cairo_surface_t* s) {
    int top = -1;  // the frame's top row: the first row mostly of the frame's grey
    for (int y = 0; y < cairo_image_surface_get_height(s) && top < 0; ++y) {
      int grey = 0;
      for (int x = 0; x < cairo_image_surface_get_width(s); ++x) grey += Is(s, x, y, 0x8C8C8C);
      if (grey > cairo_image_surface_get_width(s) / 2) top = y;
    }
    int blue = 0;
    for (int y = top - 8; y < top - 2; ++y) {
      for (int x = 0; x < cairo_image_surface_get_width(s); ++x) blue += Is(s, x, y, kBlue);
    }
    return blue;
  };
  const Surface cut = DrawAt144Dpi({"exponential"}, clipped);
  EXPECT_GT(above_frame(cut.get()), 0);
  clipped.y_max = 200;  // exp(5) = 148 fits
  const Surface whole = DrawAt144Dpi({"exponential"}, clipped);
  EXPECT_EQ(above_frame(whole.get()), 0);
}

TEST(Plot, ACurveAlongAnotherKeepsAHaloSoThatBothShow) {
  // relu is drawn over elu for x > 0 (same values); elu is widened there by a pale blue band
  // (its blue at 35% on white), which tanh, that only crosses elu, does not cause.
  constexpr std::uint32_t kPaleBlue = 0xA6CEE4;
  const Surface together = DrawAt144Dpi({"elu", "relu"}, {});
  const Surface apart = DrawAt144Dpi({"elu", "tanh"}, {});
  const int halo = CountPixels(together.get(), kPaleBlue);
  const int edges = CountPixels(apart.get(), kPaleBlue);  // anti-aliased edges of the line
  EXPECT_GT(halo, 1000);
  EXPECT_GT(halo, 4 * edges);
}

TEST(Plot, AGridHasAPanelPerFunction) {
  PlotOptions grid;
  grid.grid = true;
  const std::string png = plot_to_string(Parse({"relu", "tanh", "step"}), grid, PlotFormat::kPng);
  // Three panels in 2 columns, 2 rows of 230 x 190 with gaps, and a legend.
  EXPECT_EQ(BigEndian32(png, 16), 2 * 14 + 2 * 230 + 18u);
  EXPECT_EQ(BigEndian32(png, 20), 2 * 14 + 22 + 6 + 2 * 190 + 18u);
  grid.legend = false;
  grid.derivative = false;
  const Surface panels =
      DecodePng(plot_to_string(Parse({"relu", "tanh", "sigmoid", "elu"}), grid, PlotFormat::kPng));
  EXPECT_GT(CountPixels(panels.get(), kBlue), 4 * 150);  // every f in the first colour
  EXPECT_EQ(CountPixels(panels.get(), kVermillion), 0);  // no f' without the derivative
  grid.derivative = true;
  const Surface both = DecodePng(plot_to_string(Parse({"relu", "tanh"}), grid, PlotFormat::kPng));
  EXPECT_GT(CountPixels(both.get(), kVermillion), 100);  // f' in the second
  // Its title names every function.
  const std::string svg = plot_to_string(Parse({"relu", "gaussian"}), grid, PlotFormat::kSvg);
  EXPECT_NE(svg.find("<title>sigma plot: relu, gaussian</title>"), std::string::npos);
}

TEST(Plot, DpiScalesThePngOnly) {
  PlotOptions options;
  options.dpi = 144;
  const std::string png = plot_to_string(Parse({"tanh"}), options, PlotFormat::kPng);
  EXPECT_EQ(BigEndian32(png, 16), 2000u);
  EXPECT_EQ(BigEndian32(png, 20), 840u);
  const std::string svg = plot_to_string(Parse({"tanh"}), options, PlotFormat::kSvg);
  EXPECT_NE(svg.find("width=\"1000px\""), std::string::npos);
}

TEST(Plot, AnyFunctionOfXIsDrawnAsAnActivationIs) {
  // A curve with a slope is in both panels; one without, only in the first.
  const std::vector<NamedCurve> curves = {
      {"square", [](double x) { return x * x; }, [](double x) { return 2 * x; }},
      {"line", [](double x) { return x; }, {}}};
  PlotOptions options;
  options.legend = false;
  const Surface both = DecodePng(plot_to_string(curves, options, PlotFormat::kPng));
  EXPECT_GT(CountPixels(both.get(), kBlue), 400);
  EXPECT_GT(CountPixels(both.get(), kVermillion), 50);
  options.x_label = "logit";
  const std::string svg = plot_to_string(curves, options, PlotFormat::kSvg);
  EXPECT_NE(svg.find("<title>sigma plot: square, line</title>"), std::string::npos);
  // The same activation, drawn either way, is the same picture.
  const Activation gelu = Activation::parse("gelu");
  const std::vector<NamedCurve> as_curve = {
      {"gelu", [&](double x) { return gelu.reference(x); },
       [&](double x) { return gelu.reference_derivative(x); }}};
  EXPECT_EQ(plot_to_string(as_curve, {}, PlotFormat::kPng),
            plot_to_string(std::vector<Activation>{gelu}, {}, PlotFormat::kPng));
}

TEST(Plot, FixedRangesAreAccepted) {
  PlotOptions options;
  options.y_min = -0.5;
  options.y_max = 0.5;
  options.dy_min = 0;
  options.dy_max = 2;
  EXPECT_FALSE(plot_to_string(Parse({"exponential", "sinc"}), options, PlotFormat::kSvg).empty());
}

// ---- Bad input ----

TEST(Plot, RejectsBadOptions) {
  const std::vector<Activation> relu = Parse({"relu"});
  auto rejects = [&](auto change) {
    PlotOptions options;
    change(options);
    EXPECT_THROW(plot_to_string(relu, options, PlotFormat::kSvg), Error);
  };
  rejects([](PlotOptions& o) { o.x_min = o.x_max = 1; });
  rejects([](PlotOptions& o) { o.x_min = 6; });
  rejects([](PlotOptions& o) { o.x_min = NAN; });
  rejects([](PlotOptions& o) { o.x_max = INFINITY; });
  rejects([](PlotOptions& o) { o.x_min = -1e308, o.x_max = 1e308; });  // the width overflows
  rejects([](PlotOptions& o) { o.y_min = 0; });                        // one bound only
  rejects([](PlotOptions& o) { o.dy_min = 1, o.dy_max = 0; });
  rejects([](PlotOptions& o) { o.width = 100; });
  rejects([](PlotOptions& o) { o.height = 100000; });
  rejects([](PlotOptions& o) { o.width = -1000; });
  rejects([](PlotOptions& o) { o.dpi = 0; });
  rejects([](PlotOptions& o) { o.dpi = NAN; });
  rejects([](PlotOptions& o) { o.dpi = 2000; });
  rejects([](PlotOptions& o) { o.width = 8000, o.dpi = 300; });  // 33333 pixels wide
  EXPECT_THROW(plot_to_string(std::vector<Activation>{}, {}, PlotFormat::kSvg), Error);
  EXPECT_THROW(plot_to_string(std::vector<NamedCurve>{{"nothing", {}, {}}}, {}, PlotFormat::kSvg),
               Error);
}

TEST(Plot, FormatComesFromTheExtension) {
  EXPECT_EQ(plot_format_of("a.svg"), PlotFormat::kSvg);
  EXPECT_EQ(plot_format_of("dir.d/A.PNG"), PlotFormat::kPng);
  EXPECT_EQ(plot_format_of("a.Pdf"), PlotFormat::kPdf);
  EXPECT_THROW(plot_format_of("a.jpg"), Error);
  EXPECT_THROW(plot_format_of("png"), Error);
  EXPECT_THROW(plot_format_of("a.svg/"), Error);
  EXPECT_THROW(plot_format_of(""), Error);
}

// ---- Files ----

class PlotFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("sigma_plot_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::string Read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
  // Files in the folder: the temporary file of a write must never be left behind.
  std::size_t FileCount() const {
    return static_cast<std::size_t>(
        std::distance(fs::directory_iterator(dir_), fs::directory_iterator()));
  }

  fs::path dir_;
};

TEST_F(PlotFile, WritesEachFormat) {
  const std::vector<Activation> functions = Parse({"sigmoid", "tanh"});
  plot(functions, {}, (dir_ / "f.svg").string());
  plot(functions, {}, (dir_ / "f.PNG").string());
  plot(functions, {}, (dir_ / "f.pdf").string());
  EXPECT_EQ(Read(dir_ / "f.svg").rfind("<?xml", 0), 0u);
  EXPECT_EQ(Read(dir_ / "f.PNG").substr(1, 3), "PNG");
  EXPECT_EQ(Read(dir_ / "f.pdf").substr(0, 5), "%PDF-");
  EXPECT_EQ(FileCount(), 3u);
}

TEST_F(PlotFile, ReplacesAnOldFile) {
  const fs::path path = dir_ / "f.svg";
  std::ofstream(path) << "old";
  plot(Parse({"relu"}), {}, path.string());
  EXPECT_NE(Read(path), "old");
  EXPECT_EQ(FileCount(), 1u);
}

TEST_F(PlotFile, AFailureLeavesTheOldFile) {
  const fs::path path = dir_ / "f.png";
  std::ofstream(path) << "old";
  PlotOptions bad;
  bad.x_min = 5;
  EXPECT_THROW(plot(Parse({"relu"}), bad, path.string()), Error);
  EXPECT_THROW(plot(Parse({"relu"}), {}, (dir_ / "f.jpg").string()), Error);
  EXPECT_EQ(Read(path), "old");
  EXPECT_EQ(FileCount(), 1u);
}

TEST_F(PlotFile, UnwritablePathsThrow) {
  EXPECT_THROW(plot(Parse({"relu"}), {}, (dir_ / "missing" / "f.svg").string()), Error);
  fs::create_directory(dir_ / "taken.svg");  // a folder where the file should go
  try {
    plot(Parse({"relu"}), {}, (dir_ / "taken.svg").string());
    ADD_FAILURE() << "writing over a folder succeeded";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("taken.svg"), std::string::npos) << e.what();
  }
  EXPECT_EQ(FileCount(), 1u);
}

}  // namespace
}  // namespace sigma
