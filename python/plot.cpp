// sigma.plot: the figure of sigma plot as a Python object that Jupyter shows inline (it has
// _repr_svg_ and _repr_png_) and that saves as SVG, PNG or PDF.
#include <pybind11/stl.h>

#include <optional>
#include <sigma/plot.hpp>
#include <string>
#include <utility>
#include <vector>

#include "arrays.hpp"

namespace sigma_python {
namespace {

struct Figure {
  std::vector<sigma::Activation> functions;
  sigma::PlotOptions options;

  std::string draw(sigma::PlotFormat format) const {
    return sigma::plot_to_string(functions, options, format);
  }
};

using Range = std::optional<std::pair<double, double>>;

constexpr char kPlotDoc[] =
    R"(plot(*specs, derivative=True, grid=False, x_range=(-5, 5), y_range=None, dy_range=None, size=None, dpi=72, legend=True)
--

The figure of `sigma plot`: the functions (specs such as "relu" or "elu:alpha=0.5", or lists of
them) in one panel and their derivatives in another, or with grid=True a small panel each with
f and f' together. Jumps have closed and open dots, curves cut off by a value axis an arrowhead,
and a curve that runs along another a pale band. y_range and dy_range are (lo, hi) or None (chosen
from the curves); size is (width, height) in points or None; dpi sets a PNG's pixels per inch.

Returns a sigma.Figure: Jupyter shows it inline; fig.save("f.svg" | "f.png" | "f.pdf") writes it;
fig.svg() and fig.png() give its text and bytes. Bad specs or options raise sigma.Error.)";

}  // namespace

void bind_plot(py::module_& m) {
  py::class_<Figure>(m, "Figure", "A figure from sigma.plot; see help(sigma.plot).")
      .def(
          "svg", [](const Figure& f) { return f.draw(sigma::PlotFormat::kSvg); },
          "svg(): the figure as SVG text.")
      .def(
          "png", [](const Figure& f) { return py::bytes(f.draw(sigma::PlotFormat::kPng)); },
          "png(): the figure as PNG bytes.")
      .def("_repr_svg_", [](const Figure& f) { return f.draw(sigma::PlotFormat::kSvg); })
      .def("_repr_png_", [](const Figure& f) { return py::bytes(f.draw(sigma::PlotFormat::kPng)); })
      .def(
          "save",
          [](const Figure& f, const std::string& path) {
            sigma::plot(f.functions, f.options, path);
          },
          py::arg("path"),
          "save(path): writes the figure in the format of the extension: .svg, .png or .pdf.")
      .def("__repr__", [](const Figure& f) {
        std::string names;
        for (const sigma::Activation& a : f.functions) {
          names += (names.empty() ? "'" : ", '") + a.spec() + "'";
        }
        return "sigma.Figure(" + names + ")";
      });

  py::options options;
  options.disable_function_signatures();  // kPlotDoc carries the signature
  m.def(
      "plot",
      [](const py::args& specs, bool derivative, bool grid, std::pair<double, double> x_range,
         Range y_range, Range dy_range, std::optional<std::pair<int, int>> size, double dpi,
         bool legend) {
        Figure figure;
        const auto add = [&](const py::handle& spec) {
          figure.functions.push_back(sigma::Activation::parse(spec.cast<std::string>()));
        };
        for (const py::handle& spec : specs) {
          if (py::isinstance<py::str>(spec)) {
            add(spec);
          } else {
            for (const py::handle& item : spec) add(item);
          }
        }
        sigma::PlotOptions& o = figure.options;
        o.derivative = derivative;
        o.grid = grid;
        std::tie(o.x_min, o.x_max) = x_range;
        if (y_range) std::tie(o.y_min, o.y_max) = *y_range;
        if (dy_range) std::tie(o.dy_min, o.dy_max) = *dy_range;
        if (size) std::tie(o.width, o.height) = *size;
        o.dpi = dpi;
        o.legend = legend;
        figure.draw(sigma::PlotFormat::kSvg);  // so that bad options fail here, not on display
        return figure;
      },
      py::kw_only(), py::arg("derivative") = true, py::arg("grid") = false,
      py::arg("x_range") = std::pair<double, double>{-5, 5}, py::arg("y_range") = py::none(),
      py::arg("dy_range") = py::none(), py::arg("size") = py::none(), py::arg("dpi") = 72.0,
      py::arg("legend") = true, kPlotDoc);
}

}  // namespace sigma_python
