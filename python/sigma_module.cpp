// The Python module `sigma`: the library's activations over numpy arrays, without copies for
// C-contiguous float32 and float64 input and with the GIL released while the kernels run.
// The array rules are in arrays.hpp; the functions along an axis and the losses in layers.cpp and
// losses.cpp.
#include <pybind11/pybind11.h>

#include <charconv>
#include <cstddef>
#include <sigma/activation.hpp>
#include <sigma/catalog.hpp>
#include <sigma/error.hpp>
#include <sigma/version.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "arrays.hpp"
#include "parsed_spec.hpp"

namespace sigma_python {
namespace {

const char* domain_name(sigma::Domain d) {
  switch (d) {
    case sigma::Domain::kFinite:
      return "finite";
    case sigma::Domain::kNonNegative:
      return "non_negative";
    case sigma::Domain::kPositive:
      return "positive";
    case sigma::Domain::kNonZero:
      return "non_zero";
    case sigma::Domain::kChoice:
      return "choice";
  }
  return "";
}

}  // namespace

std::string format_default(const sigma::ParamInfo& p) {
  if (p.domain == sigma::Domain::kChoice) {
    return "'" + std::string(p.choices[static_cast<std::size_t>(p.default_value)]) + "'";
  }
  return py::repr(py::float_(p.default_value));
}

py::list string_list(std::span<const std::string_view> items) {
  py::list out;
  for (std::string_view s : items) out.append(py::str(std::string(s)));
  return out;
}

py::dict param_dict(const sigma::ParamInfo& p) {
  py::dict d;
  d["name"] = std::string(p.name);
  d["alias"] = std::string(p.alias);
  if (p.domain == sigma::Domain::kChoice) {
    d["default"] = std::string(p.choices[static_cast<std::size_t>(p.default_value)]);
  } else {
    d["default"] = p.default_value;
  }
  d["domain"] = domain_name(p.domain);
  d["choices"] = string_list(p.choices);
  d["description"] = std::string(p.description);
  return d;
}

namespace {

// ---- Activations ----

enum class Pass { kForward, kDerivative, kBackward, kBackwardFromOutput };

template <class T>
py::object run_activation(const sigma::Activation& act, Pass pass, const char* fn,
                          const py::array& a, const py::array* dy, const py::object& out) {
  const CArray<T> a_c = contiguous<T>(a);
  py::array_t<T> result = output<T>(fn, out, shape_of(a));
  std::span<T> r = mutable_view(result);
  if (dy == nullptr) {
    py::gil_scoped_release release;
    if (pass == Pass::kForward) {
      act.forward(view(a_c), r);
    } else {
      act.derivative(view(a_c), r);
    }
  } else {
    const CArray<T> dy_c = contiguous<T>(*dy);
    py::gil_scoped_release release;
    if (pass == Pass::kBackward) {
      act.backward(view(a_c), view(dy_c), r);
    } else {
      act.backward_from_output(view(a_c), view(dy_c), r);
    }
  }
  return out.is_none() ? py::object(result) : out;
}

// One entry point for the four passes: `a` is x (or y for kBackwardFromOutput).
py::object activation_pass(const sigma::Activation& act, Pass pass, const char* fn,
                           const char* a_name, const py::object& a_obj, const py::object& dy_obj,
                           const py::object& out) {
  const py::array a = as_array(a_obj, fn, a_name);
  Precision precision = precision_of(a, fn, a_name);
  py::array dy;
  if (!dy_obj.is_none()) {
    dy = as_array(dy_obj, fn, "dy");
    precision = common_precision({precision, precision_of(dy, fn, "dy")});
    check_same_shape(fn, shape_of(a), a_name, shape_of(dy), "dy");
  }
  const py::array* dy_ptr = dy_obj.is_none() ? nullptr : &dy;
  // float16 throughout: computed on the 16-bit arrays themselves, each result correctly rounded.
  if (is_float16(a) && (dy_ptr == nullptr || is_float16(dy))) {
    return run_activation<sigma::float16>(act, pass, fn, a, dy_ptr, out);
  }
  if (precision == Precision::kFloat32) {
    return run_activation<float>(act, pass, fn, a, dy_ptr, out);
  }
  return run_activation<double>(act, pass, fn, a, dy_ptr, out);
}

std::string shortest(double v) {
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  return std::string(buffer, end);
}

// The spec "name:key=value,..." for keyword arguments; numbers are written in their shortest
// round-trip form, so the Activation gets exactly the doubles that were passed.
std::string spec_from_keywords(const sigma::FunctionInfo& f, const py::kwargs& keywords) {
  std::string spec(f.name);
  char separator = ':';
  for (const auto& [key_handle, value] : keywords) {
    const std::string key = py::str(key_handle);
    const sigma::ParamInfo* param = nullptr;
    for (const sigma::ParamInfo& p : f.params) {
      if (p.name == key || (!p.alias.empty() && p.alias == key)) param = &p;
    }
    if (param == nullptr) {
      std::string known;
      for (const sigma::ParamInfo& p : f.params)
        known += (known.empty() ? "" : ", ") + std::string(p.name);
      throw py::type_error(
          std::string(f.name) + "() got an unexpected keyword argument '" + key + "' (" +
          (known.empty() ? "it takes no parameters" : "its parameters: " + known) + ")");
    }
    std::string text;
    if (param->domain == sigma::Domain::kChoice) {
      if (!py::isinstance<py::str>(value)) {
        throw py::type_error(std::string(f.name) + "(): " + key + " must be a string");
      }
      text = py::str(value);
    } else {
      if (py::isinstance<py::str>(value) || py::isinstance<py::bool_>(value)) {
        throw py::type_error(std::string(f.name) + "(): " + key + " must be a number");
      }
      text = shortest(py::float_(py::reinterpret_borrow<py::object>(value)).cast<double>());
    }
    spec += separator + key + "=" + text;
    separator = ',';
  }
  return spec;
}

// The docstring of a catalog function. Its first line is the signature in the form CPython reads
// into __text_signature__, so inspect.signature and help() show the real keywords.
std::string docstring(const sigma::FunctionInfo& f) {
  std::string signature = std::string(f.name) + "(x, *, out=None";
  for (const sigma::ParamInfo& p : f.params) {
    signature += ", " + std::string(p.name) + "=" + format_default(p);
  }
  std::string doc = signature + ")\n--\n\n";
  doc += std::string(f.summary) + ".\n\n";
  doc += "f(x)  = " + std::string(f.formula) + "\n";
  doc += "f'(x) = " + std::string(f.derivative) + "\n";
  if (!f.from_output.empty()) doc += "f' from y = f(x): " + std::string(f.from_output) + "\n";
  doc += "range: " + std::string(f.range) + "\n";
  if (!f.params.empty()) {
    doc += "\nParameters (keywords):\n";
    for (const sigma::ParamInfo& p : f.params) {
      doc += "  " + std::string(p.name) + " = " + format_default(p);
      if (!p.alias.empty()) doc += " (also " + std::string(p.alias) + ")";
      if (p.domain == sigma::Domain::kChoice) {
        std::string options;
        for (std::string_view c : p.choices)
          options += (options.empty() ? "" : ", ") + std::string("'") + std::string(c) + "'";
        doc += ", one of " + options;
      }
      doc += ": " + std::string(p.description) + "\n";
    }
  }
  if (!f.notes.empty()) doc += "\nNotes: " + std::string(f.notes) + ".\n";
  if (!f.aliases.empty()) {
    std::string names;
    for (std::string_view a : f.aliases) names += (names.empty() ? "" : ", ") + std::string(a);
    doc += "\nAlso available as: " + names + ".\n";
  }
  doc +=
      "\nx is a float32 or float64 array of any shape (integers compute in float64); the result "
      "has x's shape and precision. out may be x itself. The same as sigma.apply(spec, x).\n";
  return doc;
}

py::dict function_dict(const sigma::FunctionInfo& f) {
  py::dict d;
  d["name"] = std::string(f.name);
  d["aliases"] = string_list(f.aliases);
  py::list params;
  for (const sigma::ParamInfo& p : f.params) params.append(param_dict(p));
  d["params"] = params;
  d["summary"] = std::string(f.summary);
  d["formula"] = std::string(f.formula);
  d["derivative"] = std::string(f.derivative);
  d["from_output"] = std::string(f.from_output);
  d["range"] = std::string(f.range);
  d["range_min"] = f.range_min;
  d["range_max"] = f.range_max;
  const sigma::Properties& p = f.properties;
  py::dict properties;
  for (const sigma::PropertyField& field : sigma::kPropertyFields) {
    properties[py::str(field.name.data(), field.name.size())] = p.*field.accessor;
  }
  d["properties"] = properties;
  d["notes"] = std::string(f.notes);
  return d;
}

void bind_activations(py::module_& m) {
  const auto pass_function = [&m](const char* name, Pass pass, const char* doc) {
    m.def(
        name,
        [name, pass](const std::string& spec, const py::object& x, const py::object& out) {
          return activation_pass(sigma_bindings::parsed(spec), pass, name, "x", x, py::none(), out);
        },
        py::arg("spec"), py::arg("x"), py::arg("out") = py::none(), doc);
  };
  pass_function("apply", Pass::kForward,
                "apply(spec, x, out=None): f(x) elementwise for an activation spec such as "
                "'leaky_relu:alpha=0.2' or 'gelu:approximate=tanh'.");
  pass_function("derivative", Pass::kDerivative,
                "derivative(spec, x, out=None): f'(x) elementwise.");
  m.def(
      "backward",
      [](const std::string& spec, const py::object& x, const py::object& dy,
         const py::object& out) {
        return activation_pass(sigma_bindings::parsed(spec), Pass::kBackward, "backward", "x", x,
                               dy, out);
      },
      py::arg("spec"), py::arg("x"), py::arg("dy"), py::arg("out") = py::none(),
      "backward(spec, x, dy, out=None): dy * f'(x), the gradient with respect to x. x and dy "
      "have the same shape; the result is float64 if either is.");
  m.def(
      "backward_from_output",
      [](const std::string& spec, const py::object& y, const py::object& dy,
         const py::object& out) {
        return activation_pass(sigma_bindings::parsed(spec), Pass::kBackwardFromOutput,
                               "backward_from_output", "y", y, dy, out);
      },
      py::arg("spec"), py::arg("y"), py::arg("dy"), py::arg("out") = py::none(),
      "backward_from_output(spec, y, dy, out=None): dy * f'(x) from y = f(x), for functions "
      "whose derivative is a function of their output (catalog()[i]['from_output'] is not "
      "empty); sigma.Error for the others.");

  // One function per catalog entry, under its name and its aliases. The docstring carries the
  // signature, so pybind11 must not prepend its own.
  py::options options;
  options.disable_function_signatures();
  for (const sigma::FunctionInfo& f : sigma::catalog()) {
    const sigma::FunctionInfo* info = &f;
    const std::string name(f.name);
    py::cpp_function function(
        [info](const py::object& x, const py::object& out, const py::kwargs& keywords) {
          const std::string spec = spec_from_keywords(*info, keywords);
          return activation_pass(sigma_bindings::parsed(spec), Pass::kForward, info->name.data(),
                                 "x", x, py::none(), out);
        },
        py::name(name.c_str()), py::scope(m), py::arg("x"), py::kw_only(),
        py::arg("out") = py::none(), docstring(f).c_str());
    add_catalog_function(m, name, function);
    for (std::string_view alias : f.aliases) add_catalog_function(m, std::string(alias), function);
  }
}

}  // namespace
}  // namespace sigma_python

PYBIND11_MODULE(_sigma, m) {
  namespace py = pybind11;
  using namespace sigma_python;
  m.doc() =
      "sigma: activation functions and losses for neural networks, exact and fast, over numpy "
      "arrays.\n\n"
      "Arrays: float32 computes in float32, float16 in float16 (correctly rounded), float64 "
      "(and integers) in float64; "
      "C-contiguous input is used without a copy; out= must match the result's shape and dtype "
      "and may be the input. Bad specs, shapes and parameters raise sigma.Error (a ValueError); "
      "unsupported dtypes raise TypeError. See docs/python.md.";
  m.attr("__version__") = SIGMA_VERSION_STRING;
  py::register_exception<sigma::Error>(m, "Error", PyExc_ValueError);

  bind_activations(m);
  bind_layers(m);
  bind_losses(m);
  bind_plot(m);

  m.def(
      "catalog",
      [] {
        py::list out;
        for (const sigma::FunctionInfo& f : sigma::catalog()) out.append(function_dict(f));
        return out;
      },
      "catalog(): every activation as a dict (name, aliases, params, summary, formula, "
      "derivative, from_output, range, range_min, range_max, properties, notes).");
  m.def("set_num_threads", &sigma::set_num_threads, py::arg("n"),
        "set_num_threads(n): threads used for large arrays; 0 restores the default "
        "(SIGMA_NUM_THREADS, else the hardware concurrency); at most 256 are used.");
  m.def("num_threads", &sigma::num_threads, "num_threads(): threads used for large arrays.");
}
