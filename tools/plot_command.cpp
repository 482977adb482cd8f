#include "plot_command.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <charconv>
#include <sigma/plot.hpp>
#include <sigma/sigma.hpp>
#include <string_view>

#include "numbers.hpp"

namespace sigma::cli {
namespace {

struct Range {
  double lo, hi;
};

// "LO:HI" as two numbers; the library checks that they are finite and increasing.
Range ParseRange(std::string_view option, std::string_view text) {
  const std::size_t colon = text.find(':');
  Range range{};
  if (colon == std::string_view::npos ||
      ParseNumber(text.substr(0, colon), range.lo) != NumberStatus::kOk ||
      ParseNumber(text.substr(colon + 1), range.hi) != NumberStatus::kOk) {
    throw Error(fmt::format("{} '{}' is not LO:HI, two numbers such as -5:5", option, text));
  }
  return range;
}

bool ParseInt(std::string_view text, int& value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

void ParseSize(std::string_view text, PlotOptions& options) {
  const std::size_t x = text.find('x');
  if (x == std::string_view::npos || !ParseInt(text.substr(0, x), options.width) ||
      !ParseInt(text.substr(x + 1), options.height)) {
    throw Error(fmt::format("--size '{}' is not WxH, two whole numbers such as 1000x420", text));
  }
}

constexpr char kPlotFooter[] = R"(Arguments: SPEC...
  Each SPEC is NAME[:KEY=VALUE,...] and draws one curve, e.g. relu leaky_relu:alpha=0.2.
  With --grid each gets a panel of its own; without SPEC, every function of the catalog does.

A jump is drawn with a closed dot at the end that holds the value at the jump and an open dot at
the other (step, sign, hardshrink, relu'); a curve cut off by a value axis has a notch on the
panel's edge; a curve that runs along another keeps a pale band around it so that both show.

The format is the extension of FILE: .svg, .png or .pdf. The size is in pixels for PNG and in
points (CSS pixels) for SVG and PDF. A value axis left to sigma holds every curve, except that a
curve far steeper than the others is clipped so that they stay readable; --y-range and
--dy-range fix the axes of the function and derivative panels. Ranges take --range=-5:5 as well
as --range -5:5.)";

}  // namespace

std::string FormatRange(double lo, double hi) { return fmt::format("{}:{}", lo, hi); }

void RunPlot(const PlotCommandOptions& options) {
  std::vector<Activation> functions;
  for (const std::string& spec : options.specs) functions.push_back(Activation::parse(spec));
  if (functions.empty() && options.grid) {
    for (const FunctionInfo& f : catalog()) functions.push_back(Activation::parse(f.name));
  }
  PlotOptions plot_options;
  plot_options.derivative = options.derivative;
  plot_options.grid = options.grid;
  plot_options.dpi = options.dpi;
  const Range x = ParseRange("--range", options.range);
  plot_options.x_min = x.lo;
  plot_options.x_max = x.hi;
  if (!options.y_range.empty()) {
    const Range y = ParseRange("--y-range", options.y_range);
    plot_options.y_min = y.lo;
    plot_options.y_max = y.hi;
  }
  if (!options.dy_range.empty()) {
    const Range dy = ParseRange("--dy-range", options.dy_range);
    plot_options.dy_min = dy.lo;
    plot_options.dy_max = dy.hi;
  }
  if (!options.size.empty()) ParseSize(options.size, plot_options);
  plot_options.symlinks = options.follow_symlinks ? Symlinks::kFollow : Symlinks::kRefuse;
  plot(functions, plot_options, options.output);
}

CLI::App* AddPlot(CLI::App& app, PlotCommandOptions& options) {
  CLI::App* plot = app.add_subcommand("plot", "Draw activations beside their derivatives");
  plot->add_option("SPEC", options.specs, "The functions, NAME[:KEY=VALUE,...] each")
      ->type_name("");
  plot->add_flag("--derivative,!--no-derivative", options.derivative,
                 "Draw the derivatives in a second panel (the default), or beside f in a grid");
  plot->add_flag("--grid", options.grid,
                 "One small panel per function with its derivative; without SPEC, every function");
  plot->add_option("--dpi", options.dpi, "A PNG's pixels per inch: 144 doubles them each way")
      ->capture_default_str();
  plot->add_option("--range", options.range, "The inputs, LO:HI")->capture_default_str();
  plot->add_option("--y-range", options.y_range, "The function panel's values, LO:HI");
  plot->add_option("--dy-range", options.dy_range, "The derivative panel's values, LO:HI");
  plot->add_option("--size", options.size, "WxH (default 1000x420, 560x420 with one panel)");
  plot->add_option("-o,--output", options.output, "FILE.svg, FILE.png or FILE.pdf")->required();
  plot->add_flag("--follow-symlinks", options.follow_symlinks,
                 "If FILE is a symbolic link, replace the file it points to (else refused)");
  plot->footer(kPlotFooter);
  return plot;
}

}  // namespace sigma::cli
