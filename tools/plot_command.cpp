#include "plot_command.hpp"

#include <fmt/format.h>

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

}  // namespace

void RunPlot(const PlotCommandOptions& options) {
  std::vector<Activation> functions;
  for (const std::string& spec : options.specs) functions.push_back(Activation::parse(spec));
  PlotOptions plot_options;
  plot_options.derivative = options.derivative;
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

}  // namespace sigma::cli
