"""sigma inside PyTorch models: every catalog activation, the softmax family, GLU, maxout,
dropout, PReLU and every loss as a function with autograd and as an nn.Module, named as in
torch.nn.functional and torch.nn (sigma.torch.gelu(t, approximate="tanh"), sigma.torch.GELU(),
sigma.torch.Activation("leaky_relu:alpha=0.2"), sigma.torch.CrossEntropyLoss()).

They run sigma's operators from PyTorch's registry (torch.ops.sigma.activation, softmax, glu,
maxout, dropout, prelu, loss; python/torch_ops.cpp), so modules built from them work under
torch.jit.script and the operators can be called from C++ libtorch. Tensors: CPU float32 or
float64 of any layout (contiguous ones without a copy), and bfloat16 or float16 for the
activations and the softmax family (every 16-bit result correctly rounded); CUDA tensors and
other dtypes raise TypeError. The operators run on PyTorch's intra-op threads
(torch.set_num_threads), as torch's own do; sigma.set_num_threads is for sigma's numpy functions.
Gradients: first derivatives (torch.autograd.gradcheck passes for every function); backward uses
the saved output where the catalog allows. Losses take (input, target) as PyTorch
does, reduction="mean" by default, and have no gradient with respect to the target."""

import pathlib as _pathlib

import torch

from . import _sigma
from ._calls import Param as _Param, bind as _bind, binder as _binder, signature as _signature
from . import _ACTIVATIONS, _LOSSES, _LOGITS_TWIN, _SMOOTHABLE, _CLASS_WEIGHTED, _FROM_LOGITS
from . import _param_of, _given, _spec_with, Error

_LIBRARY = next(_pathlib.Path(__file__).parent.glob("libsigma_torch*.so"), None)
if _LIBRARY is None:
    raise ImportError("sigma.torch needs sigma's PyTorch operators (libsigma_torch.so), which this "
                      "build of sigma lacks: build sigma with libtorch-dev installed")
torch.ops.load_library(str(_LIBRARY))
ops = torch.ops.sigma

# torch.nn's capitals for the parts of catalog names: relu -> ReLU, leaky_relu -> LeakyReLU.
_CAPITALS = {"relu": "ReLU", "relu6": "ReLU6", "elu": "ELU", "gelu": "GELU", "selu": "SELU",
             "celu": "CELU", "silu": "SiLU", "prelu": "PReLU", "rrelu": "RReLU", "srelu": "SReLU",
             "isru": "ISRU", "isrlu": "ISRLU", "sqnl": "SQNL", "logsigmoid": "LogSigmoid",
             "mse": "MSE", "bce": "BCE", "kld": "KLD", "kl": "KL", "l1": "L1", "glu": "GLU"}


def _class_name(name):
    return "".join(_CAPITALS.get(part, part.capitalize()) for part in name.split("_"))


def _function(name, params, body, doc):
    """A public function of `params` (checked by _calls.bind) that calls body(**arguments)."""
    bind_call = _binder(name, params)

    def function(*args, **kwargs):
        return body(**bind_call(args, kwargs))

    function.__name__ = function.__qualname__ = name
    function.__module__ = __name__
    function.__doc__ = doc
    function.__signature__ = _signature(params)
    return function


# ---- Activations ----

def _result(input, y, inplace: bool):
    """y, written into input for inplace=True where no gradient is recorded through input; under
    autograd the result stays out of place (the same values, and input is kept for backward)."""
    if inplace and not (torch.is_grad_enabled() and input.requires_grad):
        return input.copy_(y)
    return y


def activation(input, spec, inplace=False, **params):
    """activation(input, spec, inplace=False, **params): the catalog activation `spec`
    ('gelu:approximate=tanh', or a name with keyword parameters) with autograd."""
    if not isinstance(spec, str):
        raise TypeError(f"activation(): spec must be a string, got {type(spec).__name__}")
    return _result(input, ops.activation(input, _spec_with(spec, params, "activation")), inplace)


class Activation(torch.nn.Module):
    """Activation(spec, **params): any catalog activation as a module, e.g.
    Activation("leaky_relu:alpha=0.2") or Activation("elu", alpha=0.5). inplace=True as in
    torch.nn (see _result)."""

    def __init__(self, spec, inplace=False, **params):
        super().__init__()
        if not isinstance(spec, str):
            raise TypeError(f"Activation(): spec must be a string, got {type(spec).__name__}")
        self.spec = _spec_with(spec, params, type(self).__name__)
        self.inplace = bool(inplace)
        _sigma.apply(self.spec, [0.0])  # a bad spec fails here, not in the first forward

    def forward(self, input):
        y = torch.ops.sigma.activation(input, self.spec)
        if self.inplace and not (torch.is_grad_enabled() and input.requires_grad):
            return input.copy_(y)
        return y

    def extra_repr(self):
        return repr(self.spec) + (", inplace=True" if self.inplace else "")


def _activation(entry):
    name = entry["name"]
    params = [_param_of(p) for p in entry["params"]]

    inplace = _Param("inplace", False, "bool")

    def body(input, inplace, **values):
        return activation(input, name, inplace, **_given(params, values))

    doc = f"{name}(input, ...): sigma's {name} with autograd.\n\n" + getattr(_sigma, name).__doc__
    function = _function(name, [_Param("input"), *params, inplace], body, doc)

    def __init__(self, *args, **kwargs):
        values = _bind(type(self).__name__, params + [inplace], args, kwargs)
        Activation.__init__(self, name, values["inplace"], **_given(params, values))

    module = type(_class_name(name), (Activation,), {
        "__init__": __init__, "__module__": __name__,
        "__doc__": f"{_class_name(name)}({', '.join(p.name for p in params)}): sigma's {name} as "
                   "a module."})
    module.__init__.__signature__ = _signature([_Param("self"), *params, inplace])
    return function, module


for _entry in _sigma.catalog():
    _f, _m = _activation(_entry)
    for _name in [_entry["name"], *_entry["aliases"]]:
        globals()[_name] = _f
        globals().setdefault(_class_name(_name), _m)


# ---- Along a dimension ----

_DIM = _Param("dim", -1, "int", ["axis"])


def _softmax_family(kind):
    def body(input, dim):
        return ops.softmax(input, dim, kind)

    return _function(kind, [_Param("input"), _DIM], body,
                     f"{kind}(input, dim=-1): sigma's {kind} with autograd.")


softmax = _softmax_family("softmax")
log_softmax = _softmax_family("log_softmax")
softmin = _softmax_family("softmin")
glu = _function("glu", [_Param("input"), _DIM], lambda input, dim: ops.glu(input, dim),
                "glu(input, dim=-1): a * sigmoid(b) for the halves a, b of input along dim.")
maxout = _function("maxout", [_Param("input"), _Param("group_size", kind="int"), _DIM],
                   lambda input, group_size, dim: ops.maxout(input, group_size, dim),
                   "maxout(input, group_size, dim=-1): the maximum over consecutive groups.")


def _draw_seed() -> int:
    # From torch's generator, so torch.manual_seed makes sigma's masks reproducible.
    return int(torch.randint(0, 2**62, [1]).item())


def _dropout(input, p, training, inplace):
    if not 0 <= p <= 1:
        raise Error(f"dropout: p must be in [0, 1], got {p}")
    return _result(input, ops.dropout(input, float(p), training, _draw_seed()), inplace)


dropout = _function("dropout", [_Param("input"), _Param("p", 0.5, "number", ["rate"]),
                                _Param("training", True, "bool"),
                                _Param("inplace", False, "bool")], _dropout,
                    "dropout(input, p=0.5, training=True): sigma's dropout (TensorFlow's scaling "
                    "rule, a counter-based mask) with autograd; the seed comes from torch's "
                    "generator.")


def _prelu(input, weight):
    if not isinstance(weight, torch.Tensor):
        return activation(input, "prelu", alpha=weight)
    return ops.prelu(input, weight, 1)


prelu = _function("prelu", [_Param("input"), _Param("weight", 0.25, "any", ["alpha"])], _prelu,
                  "prelu(input, weight): a leaky ReLU with the slope weight, one or one per "
                  "channel (dim 1), both with gradients (a number gives the catalog's prelu).")


class Softmax(torch.nn.Module):
    """Softmax(dim=-1) (also LogSoftmax, Softmin): sigma's softmax along dim."""
    kind = "softmax"

    def __init__(self, dim: int = -1):
        super().__init__()
        self.dim = dim
        self.kind = type(self).kind

    def forward(self, input):
        return torch.ops.sigma.softmax(input, self.dim, self.kind)

    def extra_repr(self):
        return f"dim={self.dim}"


class LogSoftmax(Softmax):
    kind = "log_softmax"


class Softmin(Softmax):
    kind = "softmin"


class GLU(torch.nn.Module):
    """GLU(dim=-1): the gated linear unit along dim."""

    def __init__(self, dim: int = -1):
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return torch.ops.sigma.glu(input, self.dim)


class Maxout(torch.nn.Module):
    """Maxout(group_size, dim=-1): the maximum over groups of group_size units along dim."""

    def __init__(self, group_size: int, dim: int = -1):
        super().__init__()
        self.group_size, self.dim = group_size, dim

    def forward(self, input):
        return torch.ops.sigma.maxout(input, self.group_size, self.dim)


class Dropout(torch.nn.Module):
    """Dropout(p=0.5, inplace=False): sigma's dropout in training mode, the identity in eval
    mode."""

    def __init__(self, p: float = 0.5, inplace: bool = False):
        super().__init__()
        if not 0 <= p <= 1:
            raise Error(f"Dropout: p must be in [0, 1], got {p}")
        self.p = float(p)
        self.inplace = bool(inplace)

    def forward(self, input):
        if not self.training or self.p == 0.0:
            return input
        seed = int(torch.randint(0, 4611686018427387904, [1]).item())  # 2**62, as _draw_seed
        y = torch.ops.sigma.dropout(input, self.p, True, seed)
        if self.inplace and not (torch.is_grad_enabled() and input.requires_grad):
            return input.copy_(y)
        return y

    def extra_repr(self):
        return f"p={self.p}"


class PReLU(torch.nn.Module):
    """PReLU(num_parameters=1, init=0.25): a leaky ReLU whose slope is learned, one shared or
    one per channel (dim 1), as torch.nn.PReLU."""

    def __init__(self, num_parameters: int = 1, init: float = 0.25, dtype=None):
        super().__init__()
        self.num_parameters = num_parameters
        self.weight = torch.nn.Parameter(torch.full([num_parameters], float(init), dtype=dtype))

    def forward(self, input):
        return torch.ops.sigma.prelu(input, self.weight, 1)

    def extra_repr(self):
        return f"num_parameters={self.num_parameters}"


# ---- Losses ----

# PyTorch's functional names for catalog losses of the same meaning.
_TORCH_LOSS_NAMES = {"binary_cross_entropy_with_logits": "sigmoid_cross_entropy_with_logits",
                     "mse_loss": "mean_squared_error", "l1_loss": "mean_absolute_error",
                     "huber_loss": "huber"}


def loss(name, input, target, reduction="mean", dim=-1, from_logits=None, label_smoothing=0.0,
         weight=None, ignore_index=-100, **params):
    """loss(name, input, target, ...): the catalog loss `name` (PyTorch's argument order) with
    the gradient with respect to input; label_smoothing, class weight and ignore_index as
    torch.nn.functional.cross_entropy, from_logits as Keras."""
    info = _LOSSES.get(name)
    if info is None:
        raise Error(f"unknown loss '{name}'")
    name = info["name"]
    values = [p["default"] for p in info["params"]]
    for key, value in params.items():
        index = [i for i, p in enumerate(info["params"]) if key in (p["name"], p["alias"])]
        if not index:
            raise TypeError(f"{name}() got an unexpected keyword argument '{key}'")
        values[index[0]] = float(value)
    if from_logits is not None:
        if from_logits and name in _LOGITS_TWIN:
            if info["params"] and info["params"][0]["name"] == "label_smoothing":
                label_smoothing, values = values[0], []
            name = _LOGITS_TWIN[name]
            info = _LOSSES[name]
        elif from_logits != (info["input"] == "logits"):
            raise Error(f"{name}: from_logits={from_logits} does not fit its {info['input']}")
    if not 0 <= label_smoothing <= 1:
        raise Error(f"{name}: label_smoothing must be in [0, 1], got {label_smoothing}")
    integer_target = not torch.is_floating_point(target)
    if name == "softmax_cross_entropy_with_logits" and integer_target:
        name = "sparse_softmax_cross_entropy_with_logits"  # as F.cross_entropy with class ids
    if name != "sparse_softmax_cross_entropy_with_logits":
        if weight is not None:
            raise Error(f"{name}: weight= takes integer class targets")
        if label_smoothing:
            classes = input.shape[dim] if _LOSSES[name]["over_classes"] else 2
            target = target * (1 - label_smoothing) + label_smoothing / classes
        return ops.loss(input, target, name, values, dim, reduction)
    if weight is None and not label_smoothing:
        return ops.loss(input, target, name, values, dim, reduction, ignore_index)
    ignored = target == ignore_index
    if reduction not in ("none", "sum", "mean"):
        raise Error(f"{name}: reduction must be one of none, sum, mean, got '{reduction}'")
    safe = torch.where(ignored, torch.zeros_like(target), target)
    rows_weight = (~ignored).to(input.dtype)
    if weight is not None:
        rows_weight = rows_weight * weight.to(input.dtype)[safe]
    if label_smoothing:
        if weight is not None:
            raise Error(f"{name}: weight= together with label_smoothing= is not supported")
        classes = input.shape[dim]
        one_hot = torch.nn.functional.one_hot(safe, classes).to(input.dtype).movedim(-1, dim)
        per_row = ops.loss(input, one_hot * (1 - label_smoothing) + label_smoothing / classes,
                           "softmax_cross_entropy_with_logits", [], dim, "none")
    else:
        per_row = ops.loss(input, safe, name, [], dim, "none")
    per_row = per_row * rows_weight
    if reduction == "none":
        return per_row
    if reduction == "sum":
        return per_row.sum()
    # Every row ignored: the mean is NaN and the gradient 0, as PyTorch's (dividing by the zero
    # total would make the gradient 0 * inf = NaN).
    total = rows_weight.sum()
    if total == 0:
        return per_row.sum() + float("nan")
    return per_row.sum() / total


class Loss(torch.nn.Module):
    """Loss(name, **options): the catalog loss `name` as a module; forward(input, target)."""

    def __init__(self, name, **options):
        super().__init__()
        if name not in _LOSSES:
            raise Error(f"unknown loss '{name}'")
        self.name, self.options = name, options
        weight = options.pop("weight", None)
        self.register_buffer("weight", weight)

    def forward(self, input, target):
        return loss(self.name, input, target, weight=self.weight, **self.options)

    def extra_repr(self):
        return ", ".join([repr(self.name)] + [f"{k}={v!r}" for k, v in self.options.items()])


def _loss(name, info):
    params = [_param_of(p) for p in info["params"]]
    options = [_Param("reduction", "mean", "str")]
    if info["over_classes"]:
        options.append(_Param("dim", -1, "int", ["axis"]))
    if info["name"] in _FROM_LOGITS:
        options.append(_Param("from_logits", None, "bool"))
    if info["name"] in _SMOOTHABLE:
        options.append(_Param("label_smoothing", 0.0, "number"))
    if info["name"] in _CLASS_WEIGHTED:
        options += [_Param("weight", None, "any"), _Param("ignore_index", -100, "int")]
    for p in options:
        p.positional = False

    def body(input, target, **values):
        extras = {p.name: values[p.name] for p in options}
        return loss(name, input, target, **extras, **_given(params, values))

    doc = (f"{name}(input, target, ...): sigma's {info['name']} with the gradient with respect to "
           f"input, in PyTorch's argument order.\n\n" + getattr(_sigma, info["name"]).__doc__)
    function = _function(name, [_Param("input"), _Param("target"), *params, *options], body, doc)

    def __init__(self, *args, **kwargs):
        values = _bind(type(self).__name__, params + options, args, kwargs)
        Loss.__init__(self, name, **{p.name: values[p.name] for p in options},
                      **_given(params, values))

    module = type(_class_name(name) + "Loss", (Loss,), {
        "__init__": __init__, "__module__": __name__,
        "__doc__": f"sigma's {info['name']} as a module; forward(input, target)."})
    module.__init__.__signature__ = _signature([_Param("self"), *params, *options])
    return function, module


for _name, _info in _LOSSES.items():
    _f, _m = _loss(_name, _info)
    globals()[_name] = _f
    globals().setdefault(_m.__name__, _m)
for _name, _canonical in _TORCH_LOSS_NAMES.items():
    globals()[_name] = _loss(_name, _LOSSES[_canonical])[0]
BCEWithLogitsLoss = SigmoidCrossEntropyWithLogitsLoss  # noqa: F821 (made above)

del _entry, _f, _m, _name, _info, _canonical
