"""How sigma's public functions take their arguments: positionally or by keyword (with the
catalog's aliases and the frameworks' spellings), checked here so that every wrong call raises
one line naming the parameter and what it accepts; torch tensors in give torch tensors out."""

import inspect
import sys

import numpy as np

from ._sigma import Error

_EMPTY = inspect.Parameter.empty


class Param:
    """One parameter: `kind` says what it accepts (see _check), `aliases` other keywords for it,
    `positional` whether it may be passed by position."""

    def __init__(self, name, default=_EMPTY, kind="array", aliases=(), choices=(),
                 positional=True):
        self.name, self.default, self.kind = name, default, kind
        self.aliases, self.choices, self.positional = tuple(aliases), tuple(choices), positional


_KIND_TEXT = {
    "number": "a number", "int": "an integer", "bool": "True or False",
    "optional_int": "an integer or None", "count": "an integer",
    "optional_seed": "an integer or None", "int_sequence": "a sequence of integers or None",
    "str": "a string",
}

# The integer kinds: the range the library takes, and how to say it.
_INT_RANGES = {
    "int": (-2**31, 2**31 - 1, "a 32-bit integer"),
    "optional_int": (-2**63, 2**63 - 1, "a 64-bit integer"),
    "count": (1, 2**63 - 1, "positive"),
    "optional_seed": (0, 2**64 - 1, "in [0, 2**64)"),
}


def _type_name(value):
    return type(value).__name__


def is_tensor(value):
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(value, torch.Tensor)


def _check(fn, p, value):
    """The value as the library takes it, or TypeError naming the parameter."""
    kind = p.kind
    if kind == "array" or kind == "any":
        return value
    if kind == "choice":
        # Keras writes approximate=True where PyTorch writes approximate="tanh".
        if isinstance(value, (bool, np.bool_)) and len(p.choices) == 2 and p.choices[0] == "none":
            return p.choices[1] if value else p.choices[0]
        if isinstance(value, str):
            return value
        options = ", ".join(repr(c) for c in p.choices)
        extra = ", True or False" if len(p.choices) == 2 and p.choices[0] == "none" else ""
        raise TypeError(f"{fn}(): {p.name} must be one of {options}{extra}, got "
                        f"{_type_name(value)}")
    if kind == "str":
        if isinstance(value, str):
            return value
    elif kind == "number":
        if is_tensor(value) and value.numel() == 1:
            value = value.item()
        if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
                value, (bool, np.bool_)):
            return value
    elif kind in _INT_RANGES:
        if kind.startswith("optional") and value is None:
            return value
        if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
            low, high, what = _INT_RANGES[kind]
            if not low <= value <= high:
                raise Error(f"{fn}: {p.name} must be {what}, got {value}")
            return int(value)
    elif kind == "bool":
        if isinstance(value, (bool, np.bool_)):
            return bool(value)
    elif kind == "int_sequence":
        if value is None:
            return value
        if isinstance(value, (list, tuple)) and all(
                isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in value):
            if any(v < 0 for v in value):
                raise Error(f"{fn}: {p.name} must hold non-negative extents, got {list(value)}")
            return [int(v) for v in value]
    elif kind == "optional_array":
        return value
    raise TypeError(f"{fn}(): {p.name} must be {_KIND_TEXT[kind]}, got {_type_name(value)}")


def binder(fn, params):
    """bind for one function, its tables built once rather than on every call."""
    positional = [p for p in params if p.positional]
    by_keyword = {}
    for p in params:
        by_keyword[p.name] = p
        for alias in p.aliases:
            by_keyword[alias] = p
    names = ", ".join(p.name for p in params)

    def bind_call(args, kwargs):
        if len(args) > len(positional):
            raise TypeError(f"{fn}() takes at most {len(positional)} positional arguments "
                            f"({', '.join(p.name for p in positional)}), got {len(args)}")
        values = {p.name: a for p, a in zip(positional, args)}
        for key, value in kwargs.items():
            p = by_keyword.get(key)
            if p is None:
                raise TypeError(f"{fn}() got an unexpected keyword argument '{key}' "
                                f"(its parameters: {names})")
            if p.name in values:
                raise TypeError(f"{fn}() got multiple values for argument '{p.name}'"
                                + (f" (also spelt {', '.join(p.aliases)})" if p.aliases else ""))
            values[p.name] = value
        for p in params:
            if p.name not in values:
                if p.default is _EMPTY:
                    raise TypeError(f"{fn}() missing required argument '{p.name}'")
                values[p.name] = p.default
            elif values[p.name] is not p.default:
                values[p.name] = _check(fn, p, values[p.name])
        return values

    return bind_call


def bind(fn, params, args, kwargs):
    """The arguments of one call as {name: value}, defaults filled in, each checked."""
    return binder(fn, params)(args, kwargs)


def signature(params):
    out = []
    keyword_only = False
    for p in params:
        kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
        if not p.positional:
            kind = inspect.Parameter.KEYWORD_ONLY
            keyword_only = True
        elif keyword_only:
            raise AssertionError(f"positional parameter {p.name} after keyword-only ones")
        out.append(inspect.Parameter(p.name, kind, default=p.default))
    return inspect.Signature(out)


# ---- torch tensors through the numpy API ----

_SUPPORTED = "float32 or float64 (float16 and integers are widened) on the CPU"


def tensor_to_numpy(fn, name, t):
    if t.device.type != "cpu":
        raise TypeError(f"{fn}(): {name} is on {t.device}; sigma computes on the CPU in "
                        f"{_SUPPORTED}: pass {name}.cpu()")
    torch = sys.modules["torch"]
    if t.dtype == torch.bfloat16 or t.is_complex():
        raise TypeError(f"{fn}(): {name} has dtype {t.dtype}; sigma takes {_SUPPORTED}")
    return t.detach().numpy()


def numpy_to_tensor(value):
    torch = sys.modules["torch"]
    if isinstance(value, tuple):
        return tuple(numpy_to_tensor(v) for v in value)
    if isinstance(value, (np.ndarray, np.generic)):
        return torch.from_numpy(np.asarray(value))
    return value


def make_function(name, params, impl, doc, torch_impl=None):
    """The public function `name`: binds the call to `params`, converts torch tensors to numpy
    arrays (and the result back), and calls impl(**arguments). With a tensor that requires grad
    under autograd, `torch_impl` (sigma.torch's version) is called instead, so the result has a
    gradient."""
    array_names = [p.name for p in params if p.kind in ("array", "optional_array")]
    bind_call = binder(name, params)

    def function(*args, **kwargs):
        values = bind_call(args, kwargs)
        tensors = [n for n in array_names if is_tensor(values[n])]
        if not tensors:
            return impl(**values)
        torch = sys.modules["torch"]
        if torch.is_grad_enabled() and any(values[n].requires_grad for n in tensors):
            if torch_impl is None:  # never drop a gradient silently
                raise TypeError(f"{name}(): a tensor that requires grad needs autograd, which "
                                f"sigma.{name} lacks: use sigma.torch, or pass .detach()")
            return torch_impl(values)
        out_tensor = values.get("out") if "out" in tensors else None
        for n in tensors:
            values[n] = tensor_to_numpy(name, n, values[n])
        result = impl(**values)
        return out_tensor if out_tensor is not None else numpy_to_tensor(result)

    function.__name__ = function.__qualname__ = name
    function.__module__ = "sigma"
    function.__doc__ = doc
    function.__signature__ = signature(params)
    return function
