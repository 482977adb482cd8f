// `sigma plot`: the tutorials' figure of activations beside their derivatives, as SVG, PNG or PDF.
#pragma once

#include <sigma/plot.hpp>
#include <string>
#include <vector>

namespace CLI {
class App;
}  // namespace CLI

namespace sigma::cli {

// "LO:HI", as --range reads it.
std::string FormatRange(double lo, double hi);

// The defaults are the library's PlotOptions.
struct PlotCommandOptions {
  std::vector<std::string> specs;  // NAME[:KEY=VALUE,...], one curve each; none: all, in a grid
  bool derivative = PlotOptions{}.derivative;  // the derivative panel beside the functions
  bool grid = PlotOptions{}.grid;              // a small panel per function, f' in it
  double dpi = PlotOptions{}.dpi;              // a PNG's pixels per inch
  std::string range = FormatRange(PlotOptions{}.x_min, PlotOptions{}.x_max);  // the inputs
  std::string y_range;           // LO:HI of the function panel; empty: chosen from the curves
  std::string dy_range;          // LO:HI of the derivative panel; empty: chosen
  std::string size;              // WxH; empty: the library's default
  std::string output;            // FILE.svg, FILE.png or FILE.pdf
  bool follow_symlinks = false;  // replace the file a symbolic link at `output` points to
};

// Parses every argument before it draws, then writes the file whole. Throws sigma::Error for a
// bad spec, range, size or extension, or a file that cannot be written.
void RunPlot(const PlotCommandOptions& options);

// Registers `sigma plot` and its flags on `app`, parsing into `options`, whose initial values
// are the defaults shown by --help.
CLI::App* AddPlot(CLI::App& app, PlotCommandOptions& options);

}  // namespace sigma::cli
