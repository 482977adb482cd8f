// Uses sigma::plot: the figure of one function as SVG text.
#include <cstdio>
#include <sigma/plot.hpp>
#include <string>

int main() {
  const std::string svg =
      sigma::plot_to_string({sigma::Activation::parse("tanh")}, {}, sigma::PlotFormat::kSvg);
  const bool names_tanh =
      svg.find("<svg") != std::string::npos && svg.find("tanh") != std::string::npos;
  std::printf("plot: %zu bytes of SVG%s\n", svg.size(), names_tanh ? " naming tanh" : "");
  return names_tanh ? 0 : 1;
}
