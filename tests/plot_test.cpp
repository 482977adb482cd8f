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

using Surface = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;

struct PngReader {
  const std::string* bytes;
  std::size_t offset = 0;
};

cairo_status_t ReadPng(void* closure, unsigned char* data, unsigned int length) {
  auto* reader = static_cast<PngReader*>(closure);
  if (reader->offset + length > reader->bytes->size()) return CAIRO_STATUS_READ_ERROR;
  std::copy_n(reader->bytes->data() + reader->offset, length, data);
  reader->offset += length;
  return CAIRO_STATUS_SUCCESS;
}

Surface DecodePng(const std::string& png) {
  PngReader reader{&png};
  Surface surface(cairo_image_surface_create_from_png_stream(ReadPng, &reader),
                  cairo_surface_destroy);
  EXPECT_EQ(cairo_surface_status(surface.get()), CAIRO_STATUS_SUCCESS);
  cairo_surface_flush(surface.get());
  return surface;
}

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
  EXPECT_THROW(plot_to_string({}, {}, PlotFormat::kSvg), Error);
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
