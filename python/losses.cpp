// The losses, one Python function per entry of sigma::loss_catalog() (never a hand-written list),
// with TensorFlow's keywords: labels= and logits= (probabilities= or predictions=, as the catalog
// says), the loss's own parameters, axis= for losses over classes, reduction= and return_grad=.
#include <pybind11/pybind11.h>

#include <algorithm>
#include <cstddef>
#include <sigma/error.hpp>
#include <sigma/losses.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "arrays.hpp"

namespace sigma_python {
namespace {

const char* input_name(sigma::LossInput input) {
  switch (input) {
    case sigma::LossInput::kLogits:
      return "logits";
    case sigma::LossInput::kProbabilities:
      return "probabilities";
    case sigma::LossInput::kPredictions:
      return "predictions";
  }
  return "inputs";
}

sigma::Reduction parse_reduction(const std::string& fn, const std::string& text) {
  if (text == "none") return sigma::Reduction::kNone;
  if (text == "sum") return sigma::Reduction::kSum;
  if (text == "mean") return sigma::Reduction::kMean;
  throw sigma::Error(fn + ": reduction must be one of none, sum, mean, got '" + text + "'");
}

// The keyword arguments of one call: the loss's parameters in catalog order, and the options.
struct LossOptions {
  std::vector<double> params;
  int axis = -1;
  sigma::Reduction reduction = sigma::Reduction::kNone;
  bool return_grad = false;
};

LossOptions parse_keywords(const sigma::LossInfo& info, const py::kwargs& keywords) {
  const std::string fn(info.name);
  LossOptions options;
  for (const sigma::ParamInfo& p : info.params) options.params.push_back(p.default_value);
  for (const auto& [key_handle, value] : keywords) {
    const std::string key = py::str(key_handle);
    if (key == "reduction") {
      if (!py::isinstance<py::str>(value))
        throw py::type_error(fn + "(): reduction must be a string");
      options.reduction = parse_reduction(fn, value.cast<std::string>());
      continue;
    }
    if (key == "return_grad") {
      options.return_grad = value.cast<bool>();
      continue;
    }
    if (key == "axis" && info.over_classes) {
      options.axis = value.cast<int>();
      continue;
    }
    std::size_t index = 0;
    while (index < info.params.size() && info.params[index].name != key &&
           (info.params[index].alias.empty() || info.params[index].alias != key)) {
      ++index;
    }
    if (index == info.params.size()) {
      throw py::type_error(fn + "() got an unexpected keyword argument '" + key + "'");
    }
    if (py::isinstance<py::str>(value) || py::isinstance<py::bool_>(value)) {
      throw py::type_error(fn + "(): " + key + " must be a number");
    }
    options.params[index] = py::float_(py::reinterpret_borrow<py::object>(value)).cast<double>();
  }
  return options;
}

template <class T>
py::object run_loss(const sigma::LossInfo& info, const LossOptions& options,
                    const py::array& labels, const py::array& inputs, const Shape& loss_shape) {
  const CArray<T> labels_c = contiguous<T>(labels);
  const CArray<T> inputs_c = contiguous<T>(inputs);
  const bool per_example = options.reduction == sigma::Reduction::kNone;
  py::array_t<T> loss(per_example ? loss_shape : Shape{});
  py::array_t<T> grad(options.return_grad ? shape_of(inputs) : Shape{0});
  const std::vector<std::size_t> extents = extents_of(inputs);
  std::span<T> loss_view = mutable_view(loss);
  std::span<T> grad_view = mutable_view(grad);
  {
    py::gil_scoped_release release;
    sigma::evaluate_loss(info, options.params, view(labels_c), view(inputs_c), loss_view, grad_view,
                         extents, options.axis, options.reduction);
  }
  // A reduced loss is a numpy scalar of the inputs' precision, as np.sum gives.
  py::object result = per_example ? py::object(loss) : loss[py::tuple()];
  if (options.return_grad) return py::make_tuple(result, grad);
  return result;
}

py::object evaluate(const sigma::LossInfo& info, const py::object& labels_obj,
                    const py::object& inputs_obj, const py::kwargs& keywords) {
  const std::string fn_name(info.name);
  const char* fn = fn_name.c_str();
  const LossOptions options = parse_keywords(info, keywords);
  const py::array labels = as_array(labels_obj, fn, "labels");
  const py::array inputs = as_array(inputs_obj, fn, input_name(info.input));
  // One loss per element, or per row: the inputs' shape without the class axis.
  Shape loss_shape = shape_of(inputs);
  if (info.over_classes) {
    const std::size_t rank = std::max<std::size_t>(loss_shape.size(), 1);
    const std::size_t class_axis = resolve_axis(fn, rank, options.axis);
    Shape rows;
    for (std::size_t i = 0; i < loss_shape.size(); ++i) {
      if (i != class_axis) rows.push_back(loss_shape[i]);
    }
    loss_shape = rows;
  }
  Precision precision = precision_of(inputs, fn, input_name(info.input));
  if (info.class_ids) {
    const char kind = labels.dtype().kind();
    if (kind != 'i' && kind != 'u') {
      throw py::type_error(fn_name + "(): labels must be integer class ids, got dtype " +
                           dtype_text(labels));
    }
    check_same_shape(fn, shape_of(labels), "labels", loss_shape,
                     "the logits without the class axis");
  } else {
    precision = common_precision({precision, precision_of(labels, fn, "labels")});
    check_same_shape(fn, shape_of(labels), "labels", shape_of(inputs), input_name(info.input));
  }
  // Class ids reach the library as whole numbers in the inputs' precision (exact below 2^24).
  if (precision == Precision::kFloat32) {
    return run_loss<float>(info, options, labels, inputs, loss_shape);
  }
  return run_loss<double>(info, options, labels, inputs, loss_shape);
}

std::string docstring(const sigma::LossInfo& info) {
  std::string doc = std::string(info.name) + "(labels, " + input_name(info.input) + ", *";
  for (const sigma::ParamInfo& p : info.params) {
    doc += ", " + std::string(p.name) + "=" + format_default(p);
  }
  if (info.over_classes) doc += ", axis=-1";
  doc += ", reduction='none', return_grad=False)\n--\n\n";
  doc += std::string(info.summary) + ".\n\n";
  doc += "loss = " + std::string(info.formula) + "\n";
  doc += "gradient = " + std::string(info.gradient) + "\n";
  // The regression losses have no stable form of their own: their formula is how they are
  // evaluated (as docs/losses.md says).
  doc += "evaluated as: " +
         (info.stable_form.empty() ? std::string("the formula") : std::string(info.stable_form)) +
         "\n";
  doc += "labels: " + std::string(info.labels) + "\n";
  for (const sigma::ParamInfo& p : info.params) {
    doc +=
        std::string(p.name) + " = " + format_default(p) + ": " + std::string(p.description) + "\n";
  }
  doc += "\nOne loss per " +
         std::string(info.over_classes ? "row along the class axis" : "element") +
         " with reduction='none', else their sum or mean as a numpy scalar. With "
         "return_grad=True returns (loss, gradient with respect to the " +
         input_name(info.input) + ").\nFrameworks: " + std::string(info.frameworks) + ".\n";
  return doc;
}

py::dict loss_dict(const sigma::LossInfo& info) {
  py::dict d;
  d["name"] = std::string(info.name);
  d["aliases"] = string_list(info.aliases);
  py::list params;
  for (const sigma::ParamInfo& p : info.params) params.append(param_dict(p));
  d["params"] = params;
  d["summary"] = std::string(info.summary);
  d["formula"] = std::string(info.formula);
  d["gradient"] = std::string(info.gradient);
  d["stable_form"] = std::string(info.stable_form);
  d["labels"] = std::string(info.labels);
  d["input"] = input_name(info.input);
  d["over_classes"] = info.over_classes;
  d["class_ids"] = info.class_ids;
  d["frameworks"] = std::string(info.frameworks);
  return d;
}

}  // namespace

void bind_losses(py::module_& m) {
  m.def(
      "loss_catalog",
      [] {
        py::list out;
        for (const sigma::LossInfo& info : sigma::loss_catalog()) out.append(loss_dict(info));
        return out;
      },
      "loss_catalog(): every loss as a dict (name, aliases, params, summary, formula, gradient, "
      "stable_form, labels, input, over_classes, class_ids, frameworks).");

  // The docstring carries the signature, so pybind11 must not prepend its own.
  py::options options;
  options.disable_function_signatures();
  for (const sigma::LossInfo& entry : sigma::loss_catalog()) {
    const sigma::LossInfo* info = &entry;
    const std::string name(entry.name);
    py::cpp_function function(
        [info](const py::object& labels, const py::object& inputs, const py::kwargs& keywords) {
          return evaluate(*info, labels, inputs, keywords);
        },
        py::name(name.c_str()), py::scope(m), py::arg("labels"), py::arg(input_name(entry.input)),
        docstring(entry).c_str());
    add_catalog_function(m, name, function);
    for (std::string_view alias : entry.aliases) {
      add_catalog_function(m, std::string(alias), function);
    }
  }
}

}  // namespace sigma_python
