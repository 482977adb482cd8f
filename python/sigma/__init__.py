"""sigma: activation functions and losses for neural networks, exact and fast, over numpy arrays
(and torch tensors: sigma.torch has them as autograd functions and nn.Modules).

Arrays: float32 (and float16) compute in float32, float64 (and integers) in float64; C-contiguous
input is used without a copy; out= must match the result's shape and dtype and may be the input.
Parameters go by position or keyword (sigma.leaky_relu(x, 0.2), sigma.softmax(x, dim=0)); a
torch tensor in gives a torch tensor out. Bad specs, shapes and parameter values raise sigma.Error
(a ValueError); wrong arguments and unsupported dtypes raise TypeError. See docs/python.md."""

import inspect as _inspect

import numpy as _np

from . import _sigma
from ._calls import Param as _Param, bind as _bind, binder as _binder
from ._calls import make_function as _make_function
from ._calls import is_tensor as _is_tensor, numpy_to_tensor as _numpy_to_tensor
from ._calls import signature as _signature, tensor_to_numpy as _tensor_to_numpy
from ._sigma import Error

__version__ = _sigma.__version__
Error.__module__ = "sigma"

_ACTIVATIONS = {}  # every name and alias -> the catalog entry
for _entry in _sigma.catalog():
    for _name in [_entry["name"], *_entry["aliases"]]:
        _ACTIVATIONS[_name] = _entry


def _body(doc):
    """A pybind11 docstring without its signature line (the functions carry __signature__)."""
    return doc.split("--\n\n", 1)[1] if "--\n\n" in doc else doc


def _torch():
    from . import torch as sigma_torch  # imported on first use: torch is optional
    return sigma_torch


def _param_of(p, positional=True):
    if p["domain"] == "choice":
        return _Param(p["name"], p["default"], "choice", [p["alias"]] if p["alias"] else (),
                     p["choices"], positional)
    return _Param(p["name"], p["default"], "number", [p["alias"]] if p["alias"] else (),
                 positional=positional)


def _given(params, values):
    """The parameters the caller set, to pass on as keywords."""
    return {p.name: values[p.name] for p in params if values[p.name] is not p.default}


def catalog():
    """catalog(): every activation as a dict (name, aliases, params, summary, formula, derivative,
    from_output, range, range_min, range_max, properties, notes)."""
    return _sigma.catalog()


def loss_catalog():
    """loss_catalog(): every loss as a dict (name, aliases, params, summary, formula, gradient,
    stable_form, labels, input, over_classes, class_ids, frameworks)."""
    return _sigma.loss_catalog()


def set_num_threads(n):
    """set_num_threads(n): threads used for large arrays; 0 restores the default
    (SIGMA_NUM_THREADS, else the hardware concurrency); at most 256 are used. sigma.torch's
    operators use PyTorch's threads instead (torch.set_num_threads)."""
    if not isinstance(n, (int, _np.integer)) or isinstance(n, bool):
        raise TypeError(f"set_num_threads(): n must be an integer, got {type(n).__name__}")
    _sigma.set_num_threads(int(n))


def num_threads():
    """num_threads(): threads used for large arrays."""
    return _sigma.num_threads()


# ---- Activations ----

def _number_text(value):
    return repr(float(value))  # the shortest text that reads back as the same double


def _spec_with(spec, keywords, fn):
    """`spec` with keyword parameters appended: apply("elu", x, alpha=0.5)."""
    if not keywords:
        return spec
    name = spec.split(":", 1)[0].strip()
    entry = _ACTIVATIONS.get(name)
    if entry is None:  # the library names the unknown function and its nearest match
        _sigma.apply(spec, _np.zeros(0))
    params = [_param_of(p) for p in entry["params"]]
    values = _bind(fn, [_Param("spec", kind="str")] + params, [spec], keywords)
    parts = []
    for p in params:
        if values[p.name] is not p.default:
            value = values[p.name]
            parts.append(f"{p.name}={value if p.kind == 'choice' else _number_text(value)}")
    return spec + ("," if ":" in spec else ":") + ",".join(parts)


def _make_pass(name, arrays, cxx, doc):
    """apply/derivative/backward/backward_from_output(spec, ARRAYS..., *, out=None, **params)."""
    params = [_Param("spec", kind="str"), *[_Param(a) for a in arrays],
              _Param("out", None, "optional_array", positional=False)]
    sig = _signature(params)
    sig = sig.replace(parameters=[*sig.parameters.values(),
                                  _inspect.Parameter("params", _inspect.Parameter.VAR_KEYWORD)])

    bind_call = _binder(name, params)

    def function(*args, **kwargs):
        fixed = {k: kwargs.pop(k) for k in [p.name for p in params] if k in kwargs}
        values = bind_call(args, fixed)
        spec = _spec_with(values["spec"], kwargs, name)
        tensors = [a for a in [*arrays, "out"] if _is_tensor(values[a])]
        if tensors:
            import torch
            if torch.is_grad_enabled() and any(values[a].requires_grad for a in tensors):
                if name != "apply":
                    raise TypeError(f"{name}(): autograd through {name} is not supported; "
                                    "use sigma.apply or sigma.torch")
                return _torch().activation(values["x"], spec)
            out_tensor = values["out"] if "out" in tensors else None
            for a in tensors:
                values[a] = _tensor_to_numpy(name, a, values[a])
            result = cxx(spec, *[values[a] for a in arrays], out=values["out"])
            return out_tensor if out_tensor is not None else _numpy_to_tensor(result)
        return cxx(spec, *[values[a] for a in arrays], out=values["out"])

    function.__name__ = function.__qualname__ = name
    function.__module__ = "sigma"
    function.__doc__ = doc
    function.__signature__ = sig
    return function


apply = _make_pass("apply", ["x"], _sigma.apply,
                   "apply(spec, x, *, out=None, **params): f(x) elementwise for an activation spec "
                   "such as 'leaky_relu:alpha=0.2' or 'gelu:approximate=tanh'; keyword parameters "
                   "add to the spec: apply('elu', x, alpha=0.5).")
derivative = _make_pass("derivative", ["x"], _sigma.derivative,
                        "derivative(spec, x, *, out=None, **params): f'(x) elementwise.")
backward = _make_pass("backward", ["x", "dy"], _sigma.backward,
                      "backward(spec, x, dy, *, out=None, **params): dy * f'(x), the gradient with "
                      "respect to x. x and dy have the same shape; the result is float64 if either "
                      "is.")
backward_from_output = _make_pass(
    "backward_from_output", ["y", "dy"], _sigma.backward_from_output,
    "backward_from_output(spec, y, dy, *, out=None, **params): dy * f'(x) from y = f(x), for "
    "functions whose derivative is a function of their output (catalog()[i]['from_output'] is not "
    "empty); sigma.Error for the others.")


def _activation_function(entry):
    name = entry["name"]
    params = [_param_of(p) for p in entry["params"]]
    all_params = [_Param("x"), *params, _Param("out", None, "optional_array", positional=False)]
    cxx = getattr(_sigma, name)

    def impl(x, out, **values):
        return cxx(x, out=out, **_given(params, values))

    def torch_impl(values):
        return _torch().activation(values["x"], name, **_given(params, values))

    return _make_function(name, all_params, impl, _body(cxx.__doc__), torch_impl)


for _entry in _sigma.catalog():
    _function = _activation_function(_entry)
    for _name in [_entry["name"], *_entry["aliases"]]:
        globals()[_name] = _function


# ---- Along an axis ----

def _axis(default=-1):
    return _Param("axis", default, "int", ["dim"])


_OUT = _Param("out", None, "optional_array", positional=False)


def _layer(name, params, torch_name=None):
    cxx = getattr(_sigma, name)
    names = [p.name for p in params]

    def impl(**values):
        return cxx(*[values[n] for n in names if n != "out"], out=values["out"])

    torch_impl = None
    if torch_name is not None:
        def torch_impl(values):
            return getattr(_torch(), torch_name)(values["x"], dim=values["axis"])
    globals()[name] = _make_function(name, params + [_OUT], impl, _body(cxx.__doc__), torch_impl)


for _name in ("softmax", "log_softmax", "softmin"):
    _layer(_name, [_Param("x"), _axis()], _name)
    _layer(_name + "_backward", [_Param("y"), _Param("dy"), _axis()])
_layer("glu", [_Param("x"), _axis()], "glu")
_layer("glu_backward", [_Param("x"), _Param("dy"), _axis()])
_layer("maxout", [_Param("x"), _Param("group_size", kind="count"), _axis()])
_layer("maxout_backward",
       [_Param("x"), _Param("dy"), _Param("group_size", kind="count"), _axis()])


def _dropout_impl(x, rate, noise_shape, seed, training, return_mask, out):
    return _sigma.dropout(x, rate, noise_shape, seed, training, return_mask=return_mask, out=out)


dropout = _make_function(
    "dropout", [_Param("x"), _Param("rate", kind="number", aliases=["p"]),
                _Param("noise_shape", None, "int_sequence"), _Param("seed", None, "optional_seed"),
                _Param("training", True, "bool"),
                _Param("return_mask", False, "bool", positional=False), _OUT],
    _dropout_impl, _body(_sigma.dropout.__doc__))
dropout_backward = _make_function(
    "dropout_backward", [_Param("mask"), _Param("dy"), _Param("rate", kind="number", aliases=["p"]),
                         _Param("training", True, "bool"), _OUT],
    lambda mask, dy, rate, training, out: _sigma.dropout_backward(mask, dy, rate, training,
                                                                  out=out),
    _body(_sigma.dropout_backward.__doc__))


# ---- Losses ----

# The cross-entropies that Keras selects with from_logits: the probability form and its logits
# twin.
_LOGITS_TWIN = {"binary_cross_entropy": "sigmoid_cross_entropy_with_logits",
                "categorical_cross_entropy": "softmax_cross_entropy_with_logits"}
_SMOOTHABLE = {"binary_cross_entropy", "sigmoid_cross_entropy_with_logits",
               "softmax_cross_entropy_with_logits", "sparse_softmax_cross_entropy_with_logits"}
_CLASS_WEIGHTED = {"softmax_cross_entropy_with_logits", "sparse_softmax_cross_entropy_with_logits"}
_FROM_LOGITS = set(_LOGITS_TWIN) | _SMOOTHABLE
_LOSSES = {}  # every name and alias -> the catalog entry
for _entry in _sigma.loss_catalog():
    for _name in [_entry["name"], *_entry["aliases"]]:
        _LOSSES[_name] = _entry


def _loss_params(info):
    name = info["name"]
    params = [_Param("labels"), _Param(info["input"])]
    params += [_param_of(p) for p in info["params"]]
    if info["over_classes"]:
        params.append(_Param("axis", -1, "int", ["dim"], positional=False))
    params += [_Param("reduction", "none", "str", positional=False),
               _Param("return_grad", False, "bool", positional=False)]
    if name in _FROM_LOGITS:
        params.append(_Param("from_logits", None, "bool", positional=False))
    if name in _SMOOTHABLE:
        params.append(_Param("label_smoothing", 0.0, "number", positional=False))
    if name in _CLASS_WEIGHTED:
        params += [_Param("weight", None, "optional_array", positional=False),
                   _Param("ignore_index", None, "optional_int", positional=False)]
    return params


def _integer(a):
    return _np.asarray(a).dtype.kind in "iu"


def _evaluate_loss(name, labels, inputs, params=None, axis=-1, reduction="none",
                  return_grad=False, from_logits=None, label_smoothing=0.0, weight=None,
                  ignore_index=None):
    """The loss `name` with the frameworks' options, on numpy arrays (sigma.torch's too)."""
    info = _LOSSES[name]
    name = info["name"]
    params = dict(params or {})
    if from_logits is not None:
        if from_logits and name in _LOGITS_TWIN:
            if "label_smoothing" in params:
                label_smoothing = params.pop("label_smoothing")
            name = _LOGITS_TWIN[name]
            info = _LOSSES[name]
        elif from_logits != (info["input"] == "logits"):
            raise Error(f"{name}: from_logits={from_logits} does not fit its {info['input']} "
                        f"(accepted: from_logits={info['input'] == 'logits'})")
    if label_smoothing is not None and not 0 <= label_smoothing <= 1:
        raise Error(f"{name}: label_smoothing must be in [0, 1], got {label_smoothing}")
    # PyTorch's cross_entropy takes class ids as well as probabilities.
    if (name == "softmax_cross_entropy_with_logits" and _integer(labels)
            and _np.ndim(labels) == _np.ndim(inputs) - 1):
        name = "sparse_softmax_cross_entropy_with_logits"
        info = _LOSSES[name]
    cxx = getattr(_sigma, name)
    keywords = dict(params)
    if info["over_classes"]:
        keywords["axis"] = axis
    extras = label_smoothing or weight is not None or ignore_index is not None
    if not extras:
        return cxx(labels, inputs, reduction=reduction, return_grad=return_grad, **keywords)
    if (weight is not None or ignore_index is not None) and name not in _CLASS_WEIGHTED:
        raise Error(f"{name}: weight= and ignore_index= take class labels (a cross-entropy over "
                    "classes)")
    inputs = _np.asarray(inputs)
    dtype = inputs.dtype if inputs.dtype in (_np.float32, _np.float64) else _np.float64
    labels = _np.asarray(labels)
    if reduction not in ("none", "sum", "mean"):
        raise Error(f"{name}: reduction must be one of none, sum, mean, got '{reduction}'")
    rows_weight = None
    if name == "sparse_softmax_cross_entropy_with_logits":
        classes = inputs.shape[axis]
        valid = _np.ones(labels.shape, bool) if ignore_index is None else labels != ignore_index
        safe = _np.where(valid, labels, 0)
        rows_weight = valid.astype(dtype)
        if weight is not None:
            weight = _np.asarray(weight, dtype)
            if weight.shape != (classes,):
                raise Error(f"{name}: weight has shape {weight.shape} but there are {classes} "
                            "classes")
            if _np.any((safe < 0) | (safe >= classes)):
                raise Error(f"{name}: labels must be class ids in [0, {classes})")
            rows_weight = rows_weight * weight[safe]
        if label_smoothing:
            if weight is not None:
                raise Error(f"{name}: weight= together with label_smoothing= is not supported")
            one_hot = _np.moveaxis(_np.eye(classes, dtype=dtype)[safe], -1, axis)
            labels = one_hot * (1 - label_smoothing) + label_smoothing / classes
            cxx = _sigma.softmax_cross_entropy_with_logits
        else:
            labels = safe
    else:
        if weight is not None:
            raise Error(f"{name}: weight= takes integer class labels")
        classes = inputs.shape[axis] if info["over_classes"] else 2
        labels = _np.asarray(labels, dtype) * (1 - label_smoothing) + label_smoothing / classes
    loss, grad = cxx(labels, inputs, reduction="none", return_grad=True, **keywords)
    if rows_weight is not None:
        loss = loss * rows_weight
        grad = grad * _np.expand_dims(rows_weight, axis)
    if reduction != "none":
        total = _np.sum(loss, dtype=_np.float64)
        if reduction == "mean":
            count = (_np.sum(rows_weight, dtype=_np.float64) if rows_weight is not None
                     else loss.size)
            total /= count
            grad = grad / count
        loss = _np.dtype(dtype).type(total)
    return (loss, grad.astype(dtype, copy=False)) if return_grad else loss


def _loss_function(info):
    name = info["name"]
    params = _loss_params(info)
    catalog_params = [_param_of(p) for p in info["params"]]
    input_name = info["input"]

    options = [p.name for p in params[2 + len(catalog_params):]]

    def arguments(values):
        return dict(params=_given(catalog_params, values), **{k: values[k] for k in options})

    def impl(**values):
        return _evaluate_loss(name, values["labels"], values[input_name], **arguments(values))

    def torch_impl(values):
        extras = arguments(values)
        if extras.pop("return_grad"):
            raise TypeError(f"{name}(): return_grad=True with a tensor that requires grad; use "
                            "loss.backward()")
        extras["dim"] = extras.pop("axis", -1)
        if extras.get("ignore_index") is None:
            extras.pop("ignore_index", None)
        return _torch().loss(name, values[input_name], values["labels"],
                             **extras.pop("params"), **extras)

    return _make_function(name, params, impl, _body(getattr(_sigma, name).__doc__), torch_impl)


for _entry in _sigma.loss_catalog():
    _function = _loss_function(_entry)
    for _name in [_entry["name"], *_entry["aliases"]]:
        globals()[_name] = _function

# Anything else the extension binds is public as it is (a binding added in C++ appears here
# without an edit; give it a wrapper above for positional calls, torch tensors and a signature).
for _name in dir(_sigma):
    if not _name.startswith("_") and _name not in globals():
        globals()[_name] = getattr(_sigma, _name)

del _entry, _name, _function
