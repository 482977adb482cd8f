"""sigma.torch: every catalog activation, the functions along a dimension, PReLU, dropout and every
loss through torch.autograd (gradcheck in float64, iterating the catalogs), the nn.Modules, the
operators in PyTorch's registry under torch.jit.script, the frameworks' loss options against
torch.nn.functional, and the errors for tensors sigma does not take."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import sigma
from test_losses import TORCH as TORCH_LOSSES, make_inputs

# sigma.torch exists where sigma was built with libtorch-dev (SIGMA_BUILD_TORCH).
st = pytest.importorskip("sigma.torch")
torch.set_num_threads(1)

# Away from every kink of the catalog's piecewise functions (0, +-1/2, +-1, +-3, 6, ...).
POINTS = torch.linspace(-3.7, 3.3, 13, dtype=torch.float64)


def strided(values):
    """The values as a non-contiguous view (every other element of a wider tensor)."""
    wide = torch.stack([values, torch.zeros_like(values)], dim=1)
    return wide[:, 0].detach().requires_grad_()


def names(catalog):
    return [n for entry in catalog for n in [entry["name"], *entry["aliases"]]]


@pytest.mark.parametrize("name", names(sigma.catalog()))
def test_every_activation_passes_gradcheck(name):
    function = getattr(st, name)
    x = POINTS.clone().requires_grad_()
    assert torch.autograd.gradcheck(function, (x,))
    assert torch.autograd.gradcheck(function, (strided(POINTS),))
    x32 = POINTS.float()
    assert torch.equal(function(x32), torch.from_numpy(sigma.apply(name, x32.numpy())))


def test_activation_parameters_and_modules():
    x = POINTS.clone().requires_grad_()
    assert torch.autograd.gradcheck(lambda t: st.leaky_relu(t, 0.2), (x,))
    assert torch.autograd.gradcheck(lambda t: st.gelu(t, approximate="tanh"), (x,))
    assert torch.autograd.gradcheck(lambda t: st.elu(t, alpha=0.5), (x,))
    assert torch.equal(st.leaky_relu(x, negative_slope=0.2), F.leaky_relu(x, 0.2))
    assert torch.allclose(st.GELU(approximate="tanh")(x), F.gelu(x, approximate="tanh"))
    assert torch.allclose(st.gelu(x, approximate=True), F.gelu(x, approximate="tanh"))
    assert torch.equal(st.Activation("leaky_relu:alpha=0.2")(x), st.LeakyReLU(0.2)(x))
    assert torch.equal(st.Activation("elu", alpha=0.5)(x), st.elu(x, 0.5))
    assert torch.equal(st.activation(x, "hardtanh", min_val=-2, max_val=2), F.hardtanh(x, -2, 2))
    for name in ["ReLU", "LeakyReLU", "GELU", "ELU", "SELU", "CELU", "SiLU", "Mish", "Hardswish",
                 "Hardsigmoid", "Hardtanh", "Softplus", "Softsign", "Tanh", "Sigmoid",
                 "LogSigmoid", "ReLU6", "RReLU", "Tanhshrink", "Softshrink", "Hardshrink",
                 "Threshold"]:
        ours, theirs = getattr(st, name), getattr(torch.nn, name)
        assert issubclass(ours, torch.nn.Module)
        if name not in ("RReLU", "Threshold"):  # random in training; no defaults in torch
            module = theirs().eval()
            assert torch.allclose(ours()(x), module(x), rtol=1e-12, atol=1e-12), name
    with pytest.raises(sigma.Error, match="unknown activation 'gleu'"):
        st.Activation("gleu")
    with pytest.raises(TypeError, match=r"LeakyReLU\(\) got an unexpected keyword argument 'a'"):
        st.LeakyReLU(a=1)


@pytest.mark.parametrize("kind", ["softmax", "log_softmax", "softmin"])
def test_softmax_family(kind):
    x = torch.randn(4, 5, dtype=torch.float64, requires_grad=True)
    for dim in (0, 1, -1):
        assert torch.autograd.gradcheck(lambda t: getattr(st, kind)(t, dim=dim), (x,))
        assert torch.allclose(getattr(st, kind)(x, dim), getattr(F, kind)(x, dim))
    assert torch.autograd.gradcheck(lambda t: getattr(st, kind)(t.T, 0), (x,))
    module = {"softmax": st.Softmax, "log_softmax": st.LogSoftmax, "softmin": st.Softmin}[kind]
    assert torch.equal(module(dim=0)(x), getattr(st, kind)(x, dim=0))


def test_glu_maxout_prelu_dropout():
    x = torch.randn(4, 6, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda t: st.glu(t, dim=1), (x,))
    assert torch.allclose(st.GLU(0)(x), F.glu(x, 0))
    assert torch.autograd.gradcheck(lambda t: st.maxout(t, 3), (x,))
    assert torch.equal(st.Maxout(2, dim=1)(x), x.reshape(4, 3, 2).amax(-1))
    scalar = torch.tensor([0.3], dtype=torch.float64, requires_grad=True)
    channels = torch.rand(6, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(st.prelu, (x, scalar))
    assert torch.autograd.gradcheck(st.prelu, (x, channels))
    assert torch.equal(st.prelu(x, channels), F.prelu(x, channels))
    layer = st.PReLU(6, init=0.1).double()
    layer(x).sum().backward()
    assert layer.weight.grad.shape == (6,)
    assert torch.allclose(layer.weight.grad, torch.clamp(x, max=0).sum(0))

    def dropped(t):
        torch.manual_seed(7)  # the mask comes from torch's generator
        return st.dropout(t, 0.4)
    assert torch.autograd.gradcheck(dropped, (x,))
    y = dropped(x)
    assert torch.equal((y != 0), (dropped(x) != 0)) and 0 < int((y == 0).sum()) < x.numel()
    assert torch.equal(st.Dropout(0.4).eval()(x), x)


@pytest.mark.parametrize("name", sorted(TORCH_LOSSES))
@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
def test_every_loss_passes_gradcheck(name, reduction):
    labels, inputs = make_inputs(name, np.float64)
    if name in ("categorical_cross_entropy", "kl_divergence"):
        # Tiny probabilities would make the finite differences, not the gradient, inaccurate.
        inputs = np.random.default_rng(1).uniform(0.2, 0.9, inputs.shape)
    target = torch.from_numpy(labels[:6])
    x = torch.from_numpy(inputs[:6]).requires_grad_()
    keywords = TORCH_LOSSES[name][0]
    assert torch.autograd.gradcheck(
        lambda t: getattr(st, name)(t, target, reduction=reduction, **keywords), (x,))
    expected = TORCH_LOSSES[name][1](target, x, reduction)
    assert torch.allclose(getattr(st, name)(x, target, reduction=reduction, **keywords), expected)


def test_loss_modules_and_options_as_pytorch_has_them():
    x = torch.randn(8, 5, dtype=torch.float64, requires_grad=True)
    ids = torch.tensor([0, 4, 2, -100, 1, 1, 3, 2])
    weight = torch.rand(5, dtype=torch.float64) + 0.5
    valid = ids.clamp(min=0)
    for keywords in ({}, {"weight": weight}, {"label_smoothing": 0.2},
                     {"weight": weight, "ignore_index": 4}):
        for reduction in ("none", "sum", "mean"):
            target = ids if "ignore_index" not in keywords else valid
            ours = st.cross_entropy(x, target, reduction=reduction, **keywords)
            theirs = F.cross_entropy(x, target, reduction=reduction, **keywords)
            assert torch.allclose(ours, theirs), (keywords, reduction)
            assert torch.autograd.gradcheck(
                lambda t: st.cross_entropy(t, target, reduction=reduction, **keywords), (x,))
    # ignore_index: every row ignored (mean NaN, gradient 0 as PyTorch's), also with class
    # weights or label smoothing, int32 ids, and classes along dim 1 of a 3-d input.
    cases = [(x, torch.full((8,), -100), {}), (x, ids.int(), {}),
             (x, torch.full((8,), -100), {"weight": weight}),
             (x, torch.full((8,), -100), {"label_smoothing": 0.1}),
             (torch.randn(2, 5, 3, dtype=torch.float64, requires_grad=True),
              torch.tensor([[0, -100, 4], [1, 1, -100]]), {"dim": 1})]
    for inputs, target, keywords in cases:
        for reduction in ("none", "sum", "mean"):
            ours = st.cross_entropy(inputs, target, reduction=reduction, **keywords)
            theirs = F.cross_entropy(inputs, target.long(), reduction=reduction,
                                     **{k: v for k, v in keywords.items() if k != "dim"})
            assert torch.allclose(ours, theirs, equal_nan=True), (target, reduction)
            ours_grad, = torch.autograd.grad(ours.sum(), inputs)
            theirs_grad, = torch.autograd.grad(theirs.sum(), inputs)
            assert torch.allclose(ours_grad, theirs_grad), (target, reduction)
    module = st.CrossEntropyLoss(weight=weight, label_smoothing=0.0)
    assert torch.allclose(module(x, valid), torch.nn.CrossEntropyLoss(weight=weight)(x, valid))
    z = torch.rand(8, 5, dtype=torch.float64)
    assert torch.allclose(st.binary_cross_entropy(x, z, from_logits=True),
                          F.binary_cross_entropy_with_logits(x, z))
    assert torch.allclose(st.BCEWithLogitsLoss()(x, z), F.binary_cross_entropy_with_logits(x, z))
    assert torch.allclose(st.MSELoss(reduction="sum")(x, z), F.mse_loss(x, z, reduction="sum"))
    assert torch.allclose(st.L1Loss()(x, z), F.l1_loss(x, z))
    assert torch.allclose(st.HuberLoss(delta=0.5)(x, z), F.huber_loss(x, z, delta=0.5))
    assert torch.allclose(st.Loss("huber", delta=0.5)(x, z), F.huber_loss(x, z, delta=0.5))
    assert torch.allclose(st.cross_entropy(x, torch.softmax(z, 1), label_smoothing=0.1),
                          F.cross_entropy(x, torch.softmax(z, 1), label_smoothing=0.1))
    with pytest.raises(sigma.Error, match="from_logits=False does not fit its logits"):
        st.cross_entropy(x, ids, from_logits=False)


def test_the_numpy_api_takes_and_gives_tensors():
    x = torch.linspace(-2, 2, 9)
    y = sigma.gelu(x)
    assert isinstance(y, torch.Tensor) and y.dtype == torch.float32
    assert torch.equal(y, st.gelu(x))
    out = torch.empty(9)
    assert sigma.relu(x, out=out) is out and torch.equal(out, x.clamp(min=0))
    loss, grad = sigma.cross_entropy(torch.tensor([1, 2]), torch.randn(2, 3), return_grad=True)
    assert isinstance(loss, torch.Tensor) and loss.shape == (2,) and grad.shape == (2, 3)
    # A tensor that requires grad goes through sigma.torch, so the result has a gradient.
    xg = x.clone().requires_grad_()
    sigma.softmax(xg, dim=0).pow(2).sum().backward()
    assert xg.grad is not None
    xg.grad = None
    sigma.apply("elu", xg, alpha=0.5).sum().backward()
    assert torch.allclose(xg.grad, torch.where(x > 0, 1.0, 0.5 * torch.exp(x)))
    assert sigma.mse(torch.zeros(3), xg[:3], reduction="sum").requires_grad
    with pytest.raises(TypeError, match=r"maxout\(\): a tensor that requires grad needs autograd"):
        sigma.maxout(xg, 3)
    assert torch.equal(sigma.maxout(xg.detach(), 3), xg.detach().reshape(3, 3).amax(1))


def test_jit_script_runs_a_model_of_sigma_modules():
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(6, 8), st.GELU(approximate="tanh"), st.PReLU(8), st.Dropout(0.2),
        torch.nn.Linear(8, 12), st.GLU(), st.Maxout(3), st.LogSoftmax(dim=1))
    scripted = torch.jit.script(model)
    x = torch.randn(5, 6)
    model.eval()
    scripted.eval()
    assert torch.equal(scripted(x), model(x))
    assert "sigma::activation" in str(torch.jit.script(st.GELU()).graph)

    @torch.jit.script
    def scripted_loss(x: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        return torch.ops.sigma.loss(x, target, "sparse_softmax_cross_entropy", [], -1, "mean")
    target = torch.tensor([0, 1, 0, 1, 1])
    assert torch.allclose(scripted_loss(scripted(x), target), F.nll_loss(model(x), target))


def test_unsupported_tensors_are_type_errors_naming_the_supported_ones():
    x = torch.zeros(3, dtype=torch.int32)
    with pytest.raises(TypeError, match=r"sigma::activation: x has dtype Int; sigma's operators "
                                        r"take CPU tensors of float32 or float64 \(activations "
                                        r"and the softmax family also bfloat16 and float16\)"):
        st.relu(x)
    with pytest.raises(TypeError, match="float32 or float64"):
        st.Softmax()(x)
    for dtype in (torch.float16, torch.bfloat16):
        with pytest.raises(TypeError, match=r"sigma::glu: x has dtype \w+; sigma's operators take "
                                            r"CPU tensors of float32 or float64 \(convert"):
            st.glu(torch.zeros(4, dtype=dtype))


SIXTEEN_BIT_SPECS = ("gelu", "gelu:approximate=tanh", "sigmoid", "elu:alpha=0.5", "softplus",
                     "mish", "tanh", "silu")


def every_finite(dtype):
    bits = torch.arange(-32768, 32768, dtype=torch.int32).to(torch.int16)
    x = bits.view(dtype)
    return x[torch.isfinite(x)]


def rounded_through_float(wide, dtype):
    """torch's float64 -> 16-bit conversion (through float32), and where that float32 lies exactly
    halfway between two 16-bit values (there the conversion may have rounded the wrong way)."""
    middle = wide.float()
    near = middle.to(dtype)
    bits = near.view(torch.int16).int()
    beyond = middle.abs() > near.float().abs()
    other = torch.where(beyond, bits + 1, bits - 1).to(torch.int16).view(dtype)
    halfway = (middle.double() - near.double()).abs() == (middle.double() - other.double()).abs()
    return near, halfway & (middle != near.float())


def test_16_bit_tensors_are_correctly_rounded():
    """Every finite bfloat16 and float16: the float64 result rounded once to the format. float16
    results are also, bit for bit, what sigma's numpy API gives on a float16 array (the C++ 16-bit
    kernel, proved correctly rounded on every input by the accuracy_half test)."""
    for dtype in (torch.bfloat16, torch.float16):
        x = every_finite(dtype)
        for spec in SIXTEEN_BIT_SPECS:
            got = torch.ops.sigma.activation(x, spec)
            assert got.dtype == dtype
            near, halfway = rounded_through_float(torch.ops.sigma.activation(x.double(), spec), dtype)
            differs = got != near
            assert not bool((differs & ~halfway).any()), (spec, x[differs & ~halfway][:5])
            if dtype == torch.float16:
                numpy_side = torch.from_numpy(sigma.apply(spec, x.numpy()))
                assert torch.equal(got.view(torch.int16), numpy_side.view(torch.int16)), spec


def test_16_bit_tensors_train_through_autograd():
    """A mixed-precision chain: 16-bit gelu then softmax, backward in the same dtype."""
    for dtype in (torch.bfloat16, torch.float16):
        t = torch.linspace(-6, 6, 64, dtype=dtype).reshape(4, 16).requires_grad_()
        y = st.softmax(st.gelu(t), dim=-1)
        y.backward(torch.randn(4, 16, dtype=dtype))
        assert t.grad.dtype == dtype and bool(torch.isfinite(t.grad.float()).all())
        reference = torch.softmax(F.gelu(t.detach().double()), dim=-1)
        assert torch.allclose(y.double(), reference, rtol=2 ** -6, atol=0)
        z = st.softmin(t, dim=0)
        assert torch.allclose(z.double(), torch.softmax(-t.detach().double(), dim=0), rtol=2 ** -6)


def test_a_dim_out_of_range_is_an_index_error_as_in_pytorch():
    x = torch.zeros(2, 3)
    for call in (lambda: st.softmax(x, dim=2), lambda: st.log_softmax(x, dim=-3),
                 lambda: st.glu(torch.zeros(2, 4), dim=2)):
        with pytest.raises(IndexError, match=r"dim -?\d is out of range for a tensor of rank 2"):
            call()


def test_work_splits_over_torchs_threads_without_changing_results():
    """The operators split elementwise work and dim-wise slices over torch's intra-op threads;
    every result is the same bits as on one thread."""
    x = torch.randn(8, 3, 40000, dtype=torch.float32) * 4
    g = torch.randn_like(x)
    previous = torch.get_num_threads()
    results = {}
    try:
        for threads in (1, 2):
            torch.set_num_threads(threads)
            t = x.clone().requires_grad_()
            outputs = [st.gelu(t), st.softmax(t, dim=1), st.log_softmax(t, dim=-1),
                       st.glu(t, dim=0), st.maxout(t, 3, dim=1)]
            grads = [torch.autograd.grad(o, t, torch.ones_like(o))[0] for o in outputs]
            results[threads] = outputs + grads
    finally:
        torch.set_num_threads(previous)
    for one, two in zip(results[1], results[2]):
        assert torch.equal(one, two)
    assert torch.allclose(results[1][1], torch.softmax(x.double(), dim=1).float(), rtol=1e-6,
                          atol=1e-30)


def test_tensors_on_another_device_are_type_errors():
    x = torch.zeros(3, device="meta")
    with pytest.raises(TypeError, match=r"x is on meta; sigma's operators take CPU tensors"):
        st.relu(x)
    with pytest.raises(TypeError, match=r"relu\(\): x is on meta; sigma computes on the CPU"):
        sigma.relu(x)


def test_every_name_has_a_function_and_a_module():
    for entry in sigma.catalog():
        for name in [entry["name"], *entry["aliases"]]:
            assert callable(getattr(st, name))
        module = getattr(st, st._class_name(entry["name"]))
        assert issubclass(module, st.PReLU if entry["name"] == "prelu" else st.Activation)
    for entry in sigma.loss_catalog():
        for name in [entry["name"], *entry["aliases"]]:
            assert callable(getattr(st, name))
            assert issubclass(getattr(st, st._class_name(name) + "Loss"), st.Loss)


def test_inplace_as_torch_nn_has_it():
    x = torch.linspace(-2, 2, 9)
    expected = F.leaky_relu(x, 0.1)
    y = st.LeakyReLU(0.1, True)(x)
    assert y is x and torch.equal(x, expected)
    x = torch.linspace(-2, 2, 9)
    assert st.relu(x, inplace=True) is x and torch.equal(x, F.relu(torch.linspace(-2, 2, 9)))
    # Under autograd the result is out of place, and the gradient is right.
    xg = torch.linspace(-2, 2, 9, requires_grad=True)
    y = st.ReLU(inplace=True)(xg)
    assert y is not xg
    y.sum().backward()
    assert torch.equal(xg.grad, (xg > 0).float())
    x = torch.ones(1000)
    torch.manual_seed(3)
    assert st.Dropout(0.5, inplace=True)(x) is x and int((x == 0).sum()) > 0
