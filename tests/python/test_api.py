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
        names = [p["name"] for p in entry["params"]]
        assert list(parameters) == ["x", *names, "out"]
        assert parameters["out"].kind == inspect.Parameter.KEYWORD_ONLY
        for param in entry["params"]:
            assert parameters[param["name"]].default == param["default"]
            assert parameters[param["name"]].kind == inspect.Parameter.POSITIONAL_OR_KEYWORD
        for alias in entry["aliases"]:
            assert getattr(sigma, alias) is function


def test_keyword_errors_are_type_errors():
    x = np.zeros(3)
    with pytest.raises(TypeError, match=r"leaky_relu\(\) got an unexpected keyword argument "
                                        r"'alpah' \(its parameters: x, alpha, out\)$"):
        sigma.leaky_relu(x, alpah=0.2)
    with pytest.raises(TypeError, match=r"relu\(\) got an unexpected keyword argument 'alpha' "
                                        r"\(its parameters: x, out\)$"):
        sigma.relu(x, alpha=0.2)
    with pytest.raises(TypeError, match=r"gelu\(\): approximate must be one of 'none', 'tanh', "
                                        r"True or False, got int$"):
        sigma.gelu(x, approximate=1)
    with pytest.raises(TypeError, match=r"elu\(\): alpha must be a number, got str$"):
        sigma.elu(x, alpha="1")
    with pytest.raises(sigma.Error, match="must be one of none, tanh, got 'erf'"):
        sigma.gelu(x, approximate="erf")
    with pytest.raises(TypeError, match=r"leaky_relu\(\) got multiple values for argument "
                                        r"'alpha' \(also spelt negative_slope\)$"):
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


def test_calls_as_framework_users_write_them():
    x = np.linspace(-3, 3, 13)
    assert np.array_equal(sigma.leaky_relu(x, 0.2), sigma.leaky_relu(x, alpha=0.2))
    assert np.array_equal(sigma.leaky_relu(x, 0.2), np.where(x > 0, x, 0.2 * x))
    assert np.array_equal(sigma.hardtanh(x, -2, 2), np.clip(x, -2, 2))
    assert np.array_equal(sigma.gelu(x, approximate=True), sigma.gelu(x, approximate="tanh"))
    assert np.array_equal(sigma.gelu(x, approximate=False), sigma.gelu(x, approximate="none"))
    m = x.reshape(13, 1) * np.ones((1, 3))
    assert np.array_equal(sigma.softmax(m, dim=0), sigma.softmax(m, axis=0))
    assert np.array_equal(sigma.softmax(m, 0), sigma.softmax(m, axis=0))
    assert np.array_equal(sigma.glu(m[:12], dim=0), sigma.glu(m[:12], axis=0))
    assert np.array_equal(sigma.apply("elu", x, alpha=0.5), sigma.apply("elu:alpha=0.5", x))
    assert np.array_equal(sigma.derivative("leaky_relu", x, negative_slope=0.3),
                          sigma.derivative("leaky_relu:alpha=0.3", x))
    assert np.array_equal(sigma.backward("gelu", x, x, approximate=True),
                          sigma.backward("gelu:approximate=tanh", x, x))
    assert np.array_equal(sigma.apply("hardtanh:min_val=-2", x, max_val=2), np.clip(x, -2, 2))
    assert np.array_equal(sigma.dropout(x, p=0.5, seed=3), sigma.dropout(x, 0.5, seed=3))
    for function in [sigma.gelu, sigma.softmax, sigma.apply, sigma.dropout, sigma.huber,
                     sigma.sparse_softmax_cross_entropy_with_logits, sigma.maxout_backward]:
        inspect.signature(function)  # every public function has one


def test_loss_options_as_keras_and_pytorch_have_them():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    rng = np.random.default_rng(0)
    logits = rng.standard_normal((8, 5))
    ids = np.array([0, 4, 2, 3, 1, 1, 3, 2])
    weight = rng.uniform(0.5, 1.5, 5)
    x = torch.from_numpy(logits).requires_grad_()
    for keywords in ({"weight": weight}, {"ignore_index": 3}, {"label_smoothing": 0.2},
                     {"weight": weight, "ignore_index": 4}):
        for reduction in ("none", "sum", "mean"):
            loss, grad = sigma.cross_entropy(ids, logits, reduction=reduction, return_grad=True,
                                             **keywords)
            torch_keywords = {k: torch.from_numpy(v) if k == "weight" else v
                              for k, v in keywords.items()}
            expected = F.cross_entropy(x, torch.from_numpy(ids), reduction=reduction,
                                       **torch_keywords)
            x.grad = None
            expected.backward(torch.ones_like(expected))
            np.testing.assert_allclose(loss, expected.detach().numpy(), rtol=1e-12, atol=1e-15)
            np.testing.assert_allclose(grad, x.grad.numpy(), rtol=1e-12, atol=1e-15)
    z = rng.uniform(0, 1, (8, 5))
    np.testing.assert_allclose(
        sigma.binary_cross_entropy(z, logits, from_logits=True, reduction="mean"),
        F.binary_cross_entropy_with_logits(x, torch.from_numpy(z)).item(), rtol=1e-12)
    probs = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    np.testing.assert_allclose(
        sigma.categorical_cross_entropy(probs, logits, from_logits=True, label_smoothing=0.1),
        sigma.categorical_cross_entropy(probs, probs, label_smoothing=0.1), rtol=1e-10)
    np.testing.assert_allclose(
        sigma.sigmoid_cross_entropy_with_logits(z, logits, label_smoothing=0.2, reduction="sum"),
        F.binary_cross_entropy_with_logits(x, torch.from_numpy(z * 0.8 + 0.1),
                                           reduction="sum").item(), rtol=1e-12)
    with pytest.raises(sigma.Error, match=r"from_logits=False does not fit its logits"):
        sigma.cross_entropy(ids, logits, from_logits=False)
    with pytest.raises(sigma.Error, match=r"weight= takes integer class labels"):
        sigma.cross_entropy(probs, logits, weight=weight)


@pytest.mark.parametrize("call, message", [
    (lambda x: sigma.leaky_relu(x, 0.2, 0.3),
     r"leaky_relu\(\) takes at most 2 positional arguments \(x, alpha\), got 3"),
    (lambda x: sigma.leaky_relu(x, "a"), r"leaky_relu\(\): alpha must be a number, got str"),
    (lambda x: sigma.softmax(x, dim="0"), r"softmax\(\): axis must be an integer, got str"),
    (lambda x: sigma.softmax(x, 1.5), r"softmax\(\): axis must be an integer, got float"),
    (lambda x: sigma.softmax(x, 0, axis=0), r"softmax\(\) got multiple values for argument 'axis'"),
    (lambda x: sigma.softmax(), r"softmax\(\) missing required argument 'x'"),
    (lambda x: sigma.maxout(x, None), r"maxout\(\): group_size must be an integer, got NoneType"),
    (lambda x: sigma.dropout(x, 0.5, noise_shape=3),
     r"dropout\(\): noise_shape must be a sequence of integers or None, got int"),
    (lambda x: sigma.dropout(x, 0.5, training="yes"),
     r"dropout\(\): training must be True or False, got str"),
    (lambda x: sigma.apply(3, x), r"apply\(\): spec must be a string, got int"),
    (lambda x: sigma.apply("elu", x, alpah=1), r"apply\(\) got an unexpected keyword argument "
                                               r"'alpah' \(its parameters: spec, alpha\)"),
    (lambda x: sigma.huber(x, x, delta="1"), r"huber\(\): delta must be a number, got str"),
    (lambda x: sigma.huber(x, x, reduction=None), r"huber\(\): reduction must be a string"),
    (lambda x: sigma.mse(x), r"mean_squared_error\(\) missing required argument 'predictions'"),
    (lambda x: sigma.cross_entropy(x, x, ignore_index=0.5),
     r"softmax_cross_entropy_with_logits\(\): ignore_index must be an integer or None, got float"),
])
def test_every_wrong_call_is_one_line_naming_the_parameter(call, message):
    with pytest.raises(TypeError, match=message) as error:
        call(np.zeros((4, 6)))
    assert "\n" not in str(error.value) and "incompatible" not in str(error.value)


@pytest.mark.parametrize("call, message", [
    (lambda x: sigma.dropout(x, 0.5, seed=-1), r"dropout: seed must be in \[0, 2\*\*64\), got -1"),
    (lambda x: sigma.dropout(x, 0.5, noise_shape=[-1, 6]),
     r"dropout: noise_shape must hold non-negative extents, got \[-1, 6\]"),
    (lambda x: sigma.maxout(x, -1), r"maxout: group_size must be positive, got -1"),
    (lambda x: sigma.softmax(x, 2**40),
     r"softmax: axis must be a 32-bit integer, got 1099511627776"),
])
def test_integers_out_of_the_library_range_are_errors(call, message):
    with pytest.raises(sigma.Error, match=message + "$"):
        call(np.zeros((4, 6)))
