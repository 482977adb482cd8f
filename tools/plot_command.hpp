// `sigma plot`: the tutorials' figure of activations beside their derivatives, as SVG, PNG or PDF.
#pragma once

#include <string>
#include <vector>

namespace sigma::cli {

struct PlotCommandOptions {
  std::vector<std::string> specs;  // NAME[:KEY=VALUE,...], one curve each
  bool derivative = true;          // the derivative panel beside the functions
  std::string range = "-5:5";      // the inputs, LO:HI
  std::string y_range;             // LO:HI of the function panel; empty: chosen from the curves
  std::string dy_range;            // LO:HI of the derivative panel; empty: chosen
  std::string size;                // WxH; empty: the library's default
  std::string output;              // FILE.svg, FILE.png or FILE.pdf
  bool follow_symlinks = false;    // replace the file a symbolic link at `output` points to
};

// Parses every argument before it draws, then writes the file whole. Throws sigma::Error for a
// bad spec, range, size or extension, or a file that cannot be written.
void RunPlot(const PlotCommandOptions& options);

}  // namespace sigma::cli
