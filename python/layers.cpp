// The functions along an axis (softmax, log_softmax, softmin, GLU, maxout, with their backward
// passes) and dropout, over numpy arrays. The array's own shape is the library's `shape`; `axis`
// counts from the end when negative, as in numpy.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <sigma/dropout.hpp>
#include <sigma/error.hpp>
#include <sigma/softmax.hpp>
#include <span>
#include <string>
#include <vector>

#include "arrays.hpp"

namespace sigma_python {
namespace {

using Extents = std::span<const std::size_t>;

// `shape` with the extent along `axis` divided by `divisor` (GLU halves it, maxout groups it).
Shape divided_along(const char* fn, Shape shape, int axis, std::size_t divisor) {
  if (shape.empty()) shape = {1};
  shape[resolve_axis(fn, shape.size(), axis)] /= static_cast<py::ssize_t>(divisor);
  return shape;
}

// result = op(x, result, extents) with a result of `result_shape`.
template <class T, class Op>
py::object run_unary(const char* fn, const py::array& x, const Shape& result_shape,
                     const py::object& out, Op op) {
  const CArray<T> x_c = contiguous<T>(x);
  py::array_t<T> result = output<T>(fn, out, result_shape);
  const std::vector<std::size_t> extents = extents_of(x);
  std::span<T> r = mutable_view(result);
  {
    py::gil_scoped_release release;
    op(view(x_c), r, Extents(extents));
  }
  return out.is_none() ? py::object(result) : out;
}

// The same in x's precision.
template <class Op>
py::object unary(const char* fn, const char* x_name, const py::array& x, const Shape& result_shape,
                 const py::object& out, Op op) {
  if (precision_of(x, fn, x_name) == Precision::kFloat32) {
    return run_unary<float>(fn, x, result_shape, out, op);
  }
  return run_unary<double>(fn, x, result_shape, out, op);
}

// dx = op(a, dy, dx, extents): dx has a's shape, dy the shape of the forward output.
template <class T, class Op>
py::object run_backward(const char* fn, const py::array& a, const py::array& dy,
                        const py::object& out, Op op) {
  const CArray<T> a_c = contiguous<T>(a);
  const CArray<T> dy_c = contiguous<T>(dy);
  py::array_t<T> result = output<T>(fn, out, shape_of(a));
  const std::vector<std::size_t> extents = extents_of(a);
  std::span<T> r = mutable_view(result);
  {
    py::gil_scoped_release release;
    op(view(a_c), view(dy_c), r, Extents(extents));
  }
  return out.is_none() ? py::object(result) : out;
}

template <class Op>
py::object backward(const char* fn, const char* a_name, const py::object& a_obj,
                    const py::object& dy_obj, const py::object& out, const Shape& dy_shape, Op op) {
  const py::array a = as_array(a_obj, fn, a_name);
  const py::array dy = as_array(dy_obj, fn, "dy");
  check_same_shape(fn, dy_shape, "the forward output", shape_of(dy), "dy");
  if (common_precision({precision_of(a, fn, a_name), precision_of(dy, fn, "dy")}) ==
      Precision::kFloat32) {
    return run_backward<float>(fn, a, dy, out, op);
  }
  return run_backward<double>(fn, a, dy, out, op);
}

Shape halved(const char* fn, const Shape& shape, int axis) {
  return divided_along(fn, shape, axis, 2);
}

// softmax, log_softmax or softmin, and its backward pass, which takes the forward output.
// `forward(x, y, extents, axis)` and `backward(y, dy, dx, extents, axis)` call the library.
template <class Forward, class Backward>
void bind_softmax_family(py::module_& m, const char* name, const char* backward_name,
                         const char* doc, const char* backward_doc, Forward forward,
                         Backward backward_op) {
  m.def(
      name,
      [name, forward](const py::object& x_obj, int axis, const py::object& out) {
        const py::array x = as_array(x_obj, name, "x");
        return unary(name, "x", x, shape_of(x), out,
                     [&](auto in, auto y, Extents e) { forward(in, y, e, axis); });
      },
      py::arg("x"), py::arg("axis") = -1, py::kw_only(), py::arg("out") = py::none(), doc);
  m.def(
      backward_name,
      [backward_name, backward_op](const py::object& y, const py::object& dy, int axis,
                                   const py::object& out) {
        const Shape y_shape = shape_of(as_array(y, backward_name, "y"));
        return backward(backward_name, "y", y, dy, out, y_shape,
                        [&](auto y_in, auto dy_in, auto dx, Extents e) {
                          backward_op(y_in, dy_in, dx, e, axis);
                        });
      },
      py::arg("y"), py::arg("dy"), py::arg("axis") = -1, py::kw_only(), py::arg("out") = py::none(),
      backward_doc);
}

}  // namespace

void bind_layers(py::module_& m) {
  bind_softmax_family(
      m, "softmax", "softmax_backward",
      "softmax(x, axis=-1, *, out=None): exp(x - max) / sum(exp(x - max)) along the axis, "
      "stable for any finite logits.",
      "softmax_backward(y, dy, axis=-1, *, out=None): y * (dy - <dy, y>), the gradient with "
      "respect to x from y = softmax(x).",
      [](auto x, auto y, Extents e, int axis) { sigma::softmax(x, y, e, axis); },
      [](auto y, auto dy, auto dx, Extents e, int axis) {
        sigma::softmax_backward(y, dy, dx, e, axis);
      });
  bind_softmax_family(
      m, "log_softmax", "log_softmax_backward",
      "log_softmax(x, axis=-1, *, out=None): x - max - log(sum(exp(x - max))) along the axis, "
      "accurate also for a dominant entry.",
      "log_softmax_backward(y, dy, axis=-1, *, out=None): dy - exp(y) * sum(dy), from "
      "y = log_softmax(x).",
      [](auto x, auto y, Extents e, int axis) { sigma::log_softmax(x, y, e, axis); },
      [](auto y, auto dy, auto dx, Extents e, int axis) {
        sigma::log_softmax_backward(y, dy, dx, e, axis);
      });
  bind_softmax_family(
      m, "softmin", "softmin_backward",
      "softmin(x, axis=-1, *, out=None): softmax(-x) along the axis (PyTorch's Softmin).",
      "softmin_backward(y, dy, axis=-1, *, out=None): -y * (dy - <dy, y>), from y = softmin(x).",
      [](auto x, auto y, Extents e, int axis) { sigma::softmin(x, y, e, axis); },
      [](auto y, auto dy, auto dx, Extents e, int axis) {
        sigma::softmin_backward(y, dy, dx, e, axis);
      });

  m.def(
      "glu",
      [](const py::object& x_obj, int axis, const py::object& out) {
        const py::array x = as_array(x_obj, "glu", "x");
        const Shape result_shape = halved("glu", shape_of(x), axis);
        return unary("glu", "x", x, result_shape, out,
                     [axis](auto in, auto y, Extents e) { sigma::glu(in, y, e, axis); });
      },
      py::arg("x"), py::arg("axis") = -1, py::kw_only(), py::arg("out") = py::none(),
      "glu(x, axis=-1, *, out=None): the gated linear unit a * sigmoid(b), a and b the halves of "
      "x along the axis (PyTorch's F.glu); the axis must have an even extent.");
  m.def(
      "glu_backward",
      [](const py::object& x, const py::object& dy, int axis, const py::object& out) {
        const Shape dy_shape =
            halved("glu_backward", shape_of(as_array(x, "glu_backward", "x")), axis);
        return backward("glu_backward", "x", x, dy, out, dy_shape,
                        [axis](auto x_in, auto dy_in, auto dx, Extents e) {
                          sigma::glu_backward(x_in, dy_in, dx, e, axis);
                        });
      },
      py::arg("x"), py::arg("dy"), py::arg("axis") = -1, py::kw_only(), py::arg("out") = py::none(),
      "glu_backward(x, dy, axis=-1, *, out=None): the gradient with respect to x (both halves).");

  m.def(
      "maxout",
      [](const py::object& x_obj, std::size_t group_size, int axis, const py::object& out) {
        if (group_size == 0) throw sigma::Error("maxout: group_size must be positive");
        const py::array x = as_array(x_obj, "maxout", "x");
        const Shape result_shape = divided_along("maxout", shape_of(x), axis, group_size);
        return unary("maxout", "x", x, result_shape, out,
                     [group_size, axis](auto in, auto y, Extents e) {
                       sigma::maxout(in, y, group_size, e, axis);
                     });
      },
      py::arg("x"), py::arg("group_size"), py::arg("axis") = -1, py::kw_only(),
      py::arg("out") = py::none(),
      "maxout(x, group_size, axis=-1, *, out=None): the maximum of each group of group_size "
      "consecutive units along the axis (TensorFlow Addons' Maxout with num_units = extent / "
      "group_size); a group holding a NaN gives NaN.");
  m.def(
      "maxout_backward",
      [](const py::object& x, const py::object& dy, std::size_t group_size, int axis,
         const py::object& out) {
        if (group_size == 0) throw sigma::Error("maxout_backward: group_size must be positive");
        const Shape dy_shape = divided_along(
            "maxout_backward", shape_of(as_array(x, "maxout_backward", "x")), axis, group_size);
        return backward("maxout_backward", "x", x, dy, out, dy_shape,
                        [group_size, axis](auto x_in, auto dy_in, auto dx, Extents e) {
                          sigma::maxout_backward(x_in, dy_in, dx, group_size, e, axis);
                        });
      },
      py::arg("x"), py::arg("dy"), py::arg("group_size"), py::arg("axis") = -1, py::kw_only(),
      py::arg("out") = py::none(),
      "maxout_backward(x, dy, group_size, axis=-1, *, out=None): each dy goes to the unit that "
      "gave the maximum (the first NaN, else the first maximal unit), 0 to the others.");

  m.def(
      "dropout",
      [](const py::object& x_obj, double rate,
         const std::optional<std::vector<std::size_t>>& noise_shape,
         const std::optional<std::uint64_t>& seed, bool training, bool return_mask,
         const py::object& out) -> py::object {
        const py::array x = as_array(x_obj, "dropout", "x");
        const std::vector<std::size_t> extents = extents_of(x);
        const std::vector<std::size_t> noise = noise_shape.value_or(std::vector<std::size_t>{});
        // Without a seed every call draws a new mask, as TensorFlow's and PyTorch's do.
        const std::uint64_t draw_seed =
            seed ? *seed : (std::uint64_t{std::random_device{}()} << 32) ^ std::random_device{}();
        py::array_t<bool> mask(return_mask ? shape_of(x) : Shape{0});
        const std::span<std::uint8_t> mask_view(
            reinterpret_cast<std::uint8_t*>(mask.mutable_data()),
            static_cast<std::size_t>(mask.size()));
        const auto op = [&](auto in, auto y, Extents e) {
          sigma::dropout(in, y, mask_view, rate, draw_seed, e, noise, training);
        };
        py::object y = unary("dropout", "x", x, shape_of(x), out, op);
        if (return_mask) return py::make_tuple(y, mask);
        return y;
      },
      py::arg("x"), py::arg("rate"), py::arg("noise_shape") = py::none(),
      py::arg("seed") = py::none(), py::arg("training") = true, py::kw_only(),
      py::arg("return_mask") = false, py::arg("out") = py::none(),
      "dropout(x, rate, noise_shape=None, seed=None, training=True, *, return_mask=False, "
      "out=None): TensorFlow's dropout: each element (or each cell of noise_shape, broadcast to "
      "x) is dropped with probability rate and the others are scaled by 1 / (1 - rate). The same "
      "seed gives the same mask for any thread count; no seed draws a fresh one. With "
      "return_mask=True returns (y, mask), mask a bool array of x's shape for dropout_backward.");
  m.def(
      "dropout_backward",
      [](const py::object& mask_obj, const py::object& dy_obj, double rate, bool training,
         const py::object& out) {
        const py::array dy = as_array(dy_obj, "dropout_backward", "dy");
        const py::array mask_array = as_array(mask_obj, "dropout_backward", "mask");
        check_same_shape("dropout_backward", shape_of(dy), "dy", shape_of(mask_array), "mask");
        const CArray<bool> mask = contiguous<bool>(mask_array);
        const std::span<const std::uint8_t> mask_view(
            reinterpret_cast<const std::uint8_t*>(mask.data()),
            static_cast<std::size_t>(mask.size()));
        const auto op = [&](auto dy_in, auto dx, Extents) {
          sigma::dropout_backward(mask_view, dy_in, dx, rate, training);
        };
        return unary("dropout_backward", "dy", dy, shape_of(dy), out, op);
      },
      py::arg("mask"), py::arg("dy"), py::arg("rate"), py::arg("training") = true, py::kw_only(),
      py::arg("out") = py::none(),
      "dropout_backward(mask, dy, rate, training=True, *, out=None): dy scaled where mask is "
      "True, 0 elsewhere (the mask from dropout(..., return_mask=True) with the same rate).");
}

}  // namespace sigma_python
