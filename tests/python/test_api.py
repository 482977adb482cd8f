"""The Python API of sigma's activations: dtype rules, copies and aliasing, out=, errors, the
keyword functions generated from the catalog, the catalog itself and threads."""

import inspect
import sys
import threading
import time

import numpy as np
import pytest

import sigma


def test_error_is_a_value_error_with_the_library_message():
    assert issubclass(sigma.Error, ValueError)
    with pytest.raises(sigma.Error, match=r"unknown activation 'sigmod'; did you mean 'sigmoid'"):
        sigma.apply("sigmod", np.zeros(3))
    with pytest.raises(sigma.Error, match=r"leaky_relu has no parameter 'alpah'"):
        sigma.apply("leaky_relu:alpah=1", np.zeros(3))
    with pytest.raises(sigma.Error, match=r"hardtanh needs min_val < max_val"):
        sigma.hardtanh(np.zeros(3), min_val=2, max_val=1)
    with pytest.raises(sigma.Error, match=r"softplus:beta must be > 0"):
        sigma.softplus(np.zeros(3), beta=0)
    with pytest.raises(sigma.Error, match=r"gelu has no backward_from_output"):
        sigma.backward_from_output("gelu", np.zeros(3), np.zeros(3))


@pytest.mark.parametrize("dtype, result", [
    (np.float32, np.float32), (np.float64, np.float64), (np.float16, np.float16),
    (np.int8, np.float64), (np.int32, np.float64), (np.int64, np.float64), (np.uint16, np.float64),
])
def test_result_dtype(dtype, result):
    x = np.arange(-3, 4).astype(dtype)
    y = sigma.sigmoid(x)
    assert y.dtype == result
    np.testing.assert_allclose(y, 1 / (1 + np.exp(-x.astype(np.float64))),
                               rtol=1e-3 if dtype == np.float16 else 1e-6)


# float16 is computed on numpy's 16-bit memory: every result the float64 result rounded to
# float16 (numpy rounds float64 to float16 once), in place and into out= too.
def test_float16_is_native_and_correctly_rounded():
    x = np.arange(1 << 16, dtype=np.uint16).view(np.float16)
    for name in ("sigmoid", "gelu", "tanh", "softplus"):
        y = getattr(sigma, name)(x)
        assert y.dtype == np.float16
        wide = getattr(sigma, name)(x.astype(np.float64))
        np.testing.assert_array_equal(y, wide.astype(np.float16))
    dx = sigma.backward("silu", x, np.ones_like(x))
    assert dx.dtype == np.float16
    out = np.empty_like(x)
    assert sigma.tanh(x, out=out) is out
    copy = x.copy()
    sigma.tanh(copy, out=copy)
    np.testing.assert_array_equal(copy, out)


@pytest.mark.parametrize("value", [np.array([True]), np.array([1j]), np.array(["1"]),
                                   np.array([object()]), np.array([1.0], np.longdouble),
                                   [1, "a"]])
def test_unsupported_dtypes_raise_type_error(value):
    with pytest.raises(TypeError, match=r"relu\(\): x"):
        sigma.relu(value)


def test_lists_and_scalars_compute_in_float64():
    assert sigma.relu([-1, 2]).tolist() == [0.0, 2.0]
    y = sigma.tanh(0.5)
    assert y.shape == () and y.dtype == np.float64 and float(y) == pytest.approx(np.tanh(0.5))


@pytest.mark.parametrize("shape", [(), (0,), (1,), (7,), (3, 5), (2, 3, 4, 5)])
def test_any_shape(shape):
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    for y in (sigma.elu(x), sigma.derivative("elu", x), sigma.backward("elu", x, x),
              sigma.backward_from_output("elu", x, x)):
        assert y.shape == shape and y.dtype == np.float32
    assert np.array_equal(sigma.relu(x), np.maximum(x, 0))


def test_out_may_alias_the_input():
    x = np.linspace(-2, 2, 9, dtype=np.float32)
    expected = sigma.relu6(x)
    assert sigma.relu6(x, out=x) is x
    assert np.array_equal(x, expected)
    dy = np.ones_like(x)
    assert sigma.backward("tanh", x, dy, out=dy) is dy


def test_out_shares_memory_with_the_result():
    x = np.linspace(-2, 2, 8)
    out = np.empty_like(x)
    y = sigma.apply("gelu", x, out=out)
    assert y is out and np.shares_memory(y, out)


def test_non_contiguous_input_is_copied_not_misread():
    base = np.linspace(-3, 3, 24).reshape(4, 6)
    for x in (base[:, ::2], base.T, base[::-1]):
        assert np.array_equal(sigma.silu(x), sigma.silu(np.ascontiguousarray(x)))
    big_endian = base.astype(">f8")
    assert np.array_equal(sigma.silu(big_endian), sigma.silu(base))


@pytest.mark.parametrize("out, message", [
    (np.empty(5, np.float32), r"out has dtype float32 but the result is float64"),
    (np.empty(4), r"the result has shape \(5,\) but out has shape \(4,\)"),
    (np.empty((5, 1)), r"but out has shape \(5, 1\)"),
    (np.empty(10)[::2], r"out must be C-contiguous"),
])
def test_bad_out_is_an_error(out, message):
    with pytest.raises(sigma.Error, match=message):
        sigma.relu(np.zeros(5), out=out)


def test_read_only_out_and_non_array_out():
    out = np.empty(5)
    out.flags.writeable = False
    with pytest.raises(sigma.Error, match="out is read-only"):
        sigma.relu(np.zeros(5), out=out)
    with pytest.raises(TypeError, match="out must be a numpy array"):
        sigma.relu(np.zeros(5), out=[0.0] * 5)


def test_partial_overlap_is_an_error():
    x = np.linspace(-1, 1, 10)
    with pytest.raises(sigma.Error, match="partially overlaps"):
        sigma.relu(x[:-1], out=x[1:])


def test_backward_shapes_and_mixed_precision():
    x32 = np.zeros(4, np.float32)
    with pytest.raises(sigma.Error, match=r"x has shape \(4,\) but dy has shape \(3,\)"):
        sigma.backward("relu", x32, np.zeros(3, np.float32))
    assert sigma.backward("sigmoid", x32, np.ones(4)).dtype == np.float64
    assert sigma.backward("sigmoid", x32, np.ones(4, np.float32)).dtype == np.float32


def test_a_function_per_catalog_entry_and_alias():
    for entry in sigma.catalog():
        function = getattr(sigma, entry["name"])
        assert function.__name__ == entry["name"]
        assert entry["formula"] in function.__doc__ and entry["summary"] in function.__doc__
        parameters = inspect.signature(function).parameters
        assert list(parameters)[:2] == ["x", "out"]
        for param in entry["params"]:
            assert parameters[param["name"]].default == param["default"]
            assert parameters[param["name"]].kind == inspect.Parameter.KEYWORD_ONLY
        for alias in entry["aliases"]:
            assert getattr(sigma, alias) is function


def test_keyword_errors_are_type_errors():
    x = np.zeros(3)
    with pytest.raises(TypeError, match=r"leaky_relu\(\) got an unexpected keyword argument "
                                        r"'alpah' \(its parameters: alpha\)"):
        sigma.leaky_relu(x, alpah=0.2)
    with pytest.raises(TypeError, match=r"relu\(\) got an unexpected keyword argument 'alpha' "
                                        r"\(it takes no parameters\)"):
        sigma.relu(x, alpha=0.2)
    with pytest.raises(TypeError, match="approximate must be a string"):
        sigma.gelu(x, approximate=True)
    with pytest.raises(TypeError, match="alpha must be a number"):
        sigma.elu(x, alpha="1")
    with pytest.raises(TypeError):
        sigma.leaky_relu(x, 0.2)  # parameters are keywords only
    with pytest.raises(sigma.Error, match="must be one of none, tanh, got 'erf'"):
        sigma.gelu(x, approximate="erf")
    with pytest.raises(sigma.Error, match="is given twice"):
        sigma.leaky_relu(x, alpha=0.1, negative_slope=0.2)


def test_keyword_parameters_are_exact_doubles():
    x = np.array([-1.0])
    for alpha in (0.1, 1 / 3, 2.0**-1074, np.float32(0.1), 3):
        assert sigma.leaky_relu(x, alpha=alpha)[0] == -float(alpha)


def test_catalog_describes_every_entry():
    catalog = sigma.catalog()
    assert len(catalog) == len({entry["name"] for entry in catalog}) >= 41
    gelu = next(entry for entry in catalog if entry["name"] == "gelu")
    assert gelu["params"] == [{
        "name": "approximate", "alias": "", "default": "none", "domain": "choice",
        "choices": ["none", "tanh"], "description": gelu["params"][0]["description"]}]
    assert set(gelu["properties"]) == {"monotonic", "continuous", "smooth", "bounded_below",
                                       "bounded_above", "zero_centred", "self_gated", "periodic"}
    leaky = next(entry for entry in catalog if entry["name"] == "leaky_relu")
    assert leaky["params"][0]["default"] == 0.01 and leaky["params"][0]["alias"] == "negative_slope"


def test_threads():
    default = sigma.num_threads()
    try:
        sigma.set_num_threads(1)
        assert sigma.num_threads() == 1
        with pytest.raises(sigma.Error):
            sigma.set_num_threads(-1)
    finally:
        sigma.set_num_threads(0)
    assert sigma.num_threads() == default


def test_concurrent_calls_from_python_threads():
    """The kernels run without the GIL; results from several Python threads stay right."""
    x = np.random.default_rng(1).standard_normal(1 << 20).astype(np.float32)
    expected = sigma.gelu(x)
    results = [None] * 4

    def work(i):
        results[i] = sigma.gelu(x)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(np.array_equal(r, expected) for r in results)


def test_the_gil_is_released_while_the_kernel_runs():
    """While one thread is inside a long kernel, another Python thread keeps running. With the
    GIL held, the main thread could run no Python from one switch interval after the worker
    entered the kernel until it left it; so count the main loop's iterations in that window."""
    x = np.random.default_rng(2).standard_normal(1 << 23)
    window = {}

    def work():
        window["enter"] = time.perf_counter()
        sigma.gelu(x)
        window["exit"] = time.perf_counter()

    sigma.set_num_threads(1)
    try:
        worker = threading.Thread(target=work)
        stamps = []
        worker.start()
        while worker.is_alive():
            stamps.append(time.perf_counter())
        worker.join()
    finally:
        sigma.set_num_threads(0)
    inside = [t for t in stamps
              if window["enter"] + 2 * sys.getswitchinterval() < t < window["exit"]]
    assert window["exit"] - window["enter"] > 4 * sys.getswitchinterval(), "kernel too short"
    assert len(inside) > 100, (len(inside), window)
