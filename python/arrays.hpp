// How the Python module turns Python objects into arrays the library can read and write, shared
// by its source files. The rules (docs/python.md): float32 and float16 compute in float32,
// float64 and integers in float64; bool, complex, object, string and extended-precision arrays
// raise TypeError. An input that is not C-contiguous (or not in native byte order) is copied;
// `out=` must be a C-contiguous, writeable array of the result's exact shape and dtype.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <initializer_list>
#include <new>
#include <sigma/catalog.hpp>
#include <sigma/error.hpp>
#include <sigma/half.hpp>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

// numpy's float16 is sigma::float16 (IEEE binary16, the same 16 bits), so that py::array_t can
// hold it and the activations read and write numpy's memory directly.
namespace pybind11::detail {
template <>
struct npy_format_descriptor<sigma::float16> {
  static constexpr auto name = const_name("numpy.float16");
  static pybind11::dtype dtype() { return pybind11::dtype("e"); }
};
}  // namespace pybind11::detail

namespace sigma_python {

namespace py = pybind11;

// Whether an array holds numpy float16, which the activations compute on natively.
inline bool is_float16(const py::array& a) {
  return a.dtype().kind() == 'f' && a.dtype().itemsize() == 2;
}

enum class Precision { kFloat32, kFloat64 };

using Shape = std::vector<py::ssize_t>;

// A C-contiguous array in native byte order; `ensure` returns the argument itself when it is one
// already, which is what makes contiguous input zero-copy.
template <class T>
using CArray = py::array_t<T, py::array::c_style | py::array::forcecast>;

inline Shape shape_of(const py::array& a) { return Shape(a.shape(), a.shape() + a.ndim()); }

// The library's view of a shape: extents as size_t (an empty shape is one element).
inline std::vector<std::size_t> extents_of(const py::array& a) {
  return std::vector<std::size_t>(a.shape(), a.shape() + a.ndim());
}

// numpy's spelling: "(3,)", "(2, 5)".
inline std::string shape_text(const Shape& shape) {
  std::string out = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    out += (i ? ", " : "") + std::to_string(shape[i]);
  }
  return out + (shape.size() == 1 ? ",)" : ")");
}

inline std::string dtype_text(const py::array& a) { return py::str(a.dtype()).cast<std::string>(); }

// Any array-like (array, list, scalar) as an array, or TypeError.
inline py::array as_array(const py::object& value, const char* fn, const char* arg) {
  py::array a = py::array::ensure(value);
  if (!a) {
    throw py::type_error(std::string(fn) + "(): " + arg + " is not an array of numbers");
  }
  return a;
}

inline Precision precision_of(const py::array& a, const char* fn, const char* arg) {
  const char kind = a.dtype().kind();
  const py::ssize_t size = a.dtype().itemsize();
  // float16 widens to float32 exactly; integers go to float64 as numpy's own ufuncs send them.
  if (kind == 'f' && size <= 4) return Precision::kFloat32;
  if (kind == 'f' && size == 8) return Precision::kFloat64;
  if (kind == 'i' || kind == 'u') return Precision::kFloat64;
  std::string why = "sigma computes in float32 or float64";
  if (kind == 'f') why = "converting it to float64 would round it: pass x.astype(np.float64)";
  throw py::type_error(std::string(fn) + "(): " + arg + " has dtype " + dtype_text(a) + "; " + why);
}

inline Precision common_precision(std::initializer_list<Precision> precisions) {
  for (Precision p : precisions) {
    if (p == Precision::kFloat64) return Precision::kFloat64;
  }
  return Precision::kFloat32;
}

template <class T>
CArray<T> contiguous(const py::array& a) {
  CArray<T> c = CArray<T>::ensure(a);
  if (!c) {
    throw py::type_error("cannot convert an array of " + dtype_text(a) + " to " +
                         py::str(py::dtype::of<T>()).cast<std::string>());
  }
  return c;
}

template <class T>
std::span<const T> view(const CArray<T>& a) {
  return {a.data(), static_cast<std::size_t>(a.size())};
}

template <class T>
std::span<T> mutable_view(py::array_t<T>& a) {
  return {a.mutable_data(), static_cast<std::size_t>(a.size())};
}

inline void check_same_shape(const char* fn, const Shape& a, const char* a_name, const Shape& b,
                             const char* b_name) {
  if (a != b) {
    throw sigma::Error(std::string(fn) + ": " + a_name + " has shape " + shape_text(a) + " but " +
                       b_name + " has shape " + shape_text(b) + " (sigma does not broadcast)");
  }
}

// The axis as an index into a shape of `rank` extents, negative counting from the end (a 0-d
// array counts as one-dimensional, as in the library).
inline std::size_t resolve_axis(const char* fn, std::size_t rank, int axis) {
  rank = std::max<std::size_t>(rank, 1);
  const long long resolved = axis < 0 ? axis + static_cast<long long>(rank) : axis;
  if (resolved < 0 || resolved >= static_cast<long long>(rank)) {
    throw sigma::Error(std::string(fn) + ": axis " + std::to_string(axis) +
                       " is out of range for a rank-" + std::to_string(rank) + " array");
  }
  return static_cast<std::size_t>(resolved);
}

// A new C-contiguous array of `shape` in memory from the C++ heap, released with the array. Not
// numpy's own allocation: numpy advises the kernel to back arrays of 4 MiB and more with huge
// pages, and on the development machine (a VM) a result written to fresh memory so advised cost
// 20-25% of a memory-bound kernel's time (relu on 2^20 floats: 102 us against 82 us into an
// existing array; PyTorch's tensors, from the C++ heap, 84 us).
template <class T>
py::array_t<T> new_array(const Shape& shape) {
  py::ssize_t count = 1;
  for (const py::ssize_t extent : shape) count *= extent;
  const std::size_t bytes = (std::max<std::size_t>(count * sizeof(T), 1) + 63) / 64 * 64;
  void* memory = std::aligned_alloc(64, bytes);
  if (memory == nullptr) throw std::bad_alloc();
  py::capsule owner(memory, [](void* p) { std::free(p); });
  return py::array_t<T>(shape, static_cast<T*>(memory), owner);
}

// The array to write a result of `shape` to: a new one, or `out` after checking that the library
// can write to it directly.
template <class T>
py::array_t<T> output(const char* fn, const py::object& out, const Shape& shape) {
  if (out.is_none()) return new_array<T>(shape);
  if (!py::isinstance<py::array>(out)) {
    throw py::type_error(std::string(fn) + "(): out must be a numpy array, got " +
                         py::str(py::type::of(out)).cast<std::string>());
  }
  const py::array o = py::reinterpret_borrow<py::array>(out);
  if (!py::array_t<T>::check_(o)) {
    throw sigma::Error(std::string(fn) + ": out has dtype " + dtype_text(o) +
                       " but the result is " + py::str(py::dtype::of<T>()).cast<std::string>());
  }
  check_same_shape(fn, shape, "the result", shape_of(o), "out");
  if (!(o.flags() & py::array::c_style)) {
    throw sigma::Error(std::string(fn) + ": out must be C-contiguous");
  }
  if (!o.writeable()) throw sigma::Error(std::string(fn) + ": out is read-only");
  return py::reinterpret_borrow<py::array_t<T>>(o);
}

// Adds `function` to the module as `name`: the names come from the catalogs, and one may never
// hide another function of the module.
inline void add_catalog_function(py::module_& m, const std::string& name,
                                 const py::object& function) {
  if (py::hasattr(m, name.c_str())) {
    throw std::logic_error("sigma: the catalog name '" + name + "' is taken");
  }
  m.add_object(name.c_str(), function);
}

// Catalog entries as Python objects (sigma_module.cpp): a parameter as a dict, a parameter's
// default as Python source ("0.01", "'none'"), names as a list.
py::dict param_dict(const sigma::ParamInfo& p);
std::string format_default(const sigma::ParamInfo& p);
py::list string_list(std::span<const std::string_view> items);

// The functions along an axis (softmax, GLU, maxout, dropout) and the losses, each in its own
// source file.
void bind_layers(py::module_& m);
void bind_losses(py::module_& m);
void bind_plot(py::module_& m);  // sigma.plot and its Figure (plot.cpp)

}  // namespace sigma_python
