"""sigma's losses against PyTorch: loss and autograd gradient with respect to the inputs, for
every reduction, in float32 and float64, plus extreme logits and the documented differences."""

import inspect

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import sigma

torch.set_num_threads(1)

DTYPES = [np.float32, np.float64]
REDUCTIONS = ["none", "sum", "mean"]
ROWS, CLASSES = 64, 10


def _reduce(loss, reduction):
    return loss if reduction == "none" else getattr(loss, reduction)()


def _sigmoid_ce(z, x, r):
    return F.binary_cross_entropy_with_logits(x, z, reduction=r)


def _weighted_ce(z, x, r):
    return F.binary_cross_entropy_with_logits(x, z, pos_weight=torch.tensor(3.0, dtype=x.dtype),
                                              reduction=r)


# name -> (sigma keywords beyond labels/inputs, PyTorch loss(labels, inputs, reduction)).
# The class axis is the last (sigma's default, PyTorch's dim 1 of a 2-d batch).
TORCH = {
    "sigmoid_cross_entropy_with_logits": ({}, _sigmoid_ce),
    "weighted_cross_entropy_with_logits": ({"pos_weight": 3.0}, _weighted_ce),
    "softmax_cross_entropy_with_logits": ({}, lambda z, x, r: F.cross_entropy(x, z, reduction=r)),
    "sparse_softmax_cross_entropy_with_logits": (
        {}, lambda z, x, r: F.cross_entropy(x, z.long(), reduction=r)),
    "binary_cross_entropy": ({}, lambda z, p, r: F.binary_cross_entropy(p, z, reduction=r)),
    "categorical_cross_entropy": ({}, lambda z, p, r: _reduce(-(z * torch.log(p)).sum(-1), r)),
    "kl_divergence": (
        {}, lambda z, p, r: _reduce(F.kl_div(torch.log(p), z, reduction="none").sum(-1), r)),
    "mean_squared_error": ({}, lambda z, x, r: F.mse_loss(x, z, reduction=r)),
    "mean_absolute_error": ({}, lambda z, x, r: F.l1_loss(x, z, reduction=r)),
    "huber": ({"delta": 0.7}, lambda z, x, r: F.huber_loss(x, z, reduction=r, delta=0.7)),
    "hinge": ({}, lambda z, x, r: _reduce(torch.clamp(1 - z * x, min=0), r)),
    # eps=0: PyTorch's default adds 1e-8 inside the log (a documented difference).
    "poisson": ({}, lambda z, x, r: F.poisson_nll_loss(x, z, log_input=False, eps=0.0,
                                                        reduction=r)),
    "log_cosh": ({}, lambda z, x, r: _reduce(torch.log(torch.cosh(x - z)), r)),
}


def make_inputs(name, dtype, seed=0):
    """Labels and inputs in each loss's domain: a batch of ROWS examples, CLASSES wide where the
    loss is over classes."""
    rng = np.random.default_rng(seed)
    shape = (ROWS, CLASSES)
    x = rng.standard_normal(shape) * 4
    if name in ("sigmoid_cross_entropy_with_logits", "weighted_cross_entropy_with_logits",
                "binary_cross_entropy"):
        z = rng.uniform(0, 1, shape)
    elif name == "sparse_softmax_cross_entropy_with_logits":
        z = rng.integers(0, CLASSES, ROWS)
    elif name in ("softmax_cross_entropy_with_logits", "categorical_cross_entropy",
                  "kl_divergence"):
        z = rng.dirichlet(np.ones(CLASSES), ROWS)
    elif name == "hinge":
        z = rng.choice([-1.0, 1.0], shape)
    elif name == "poisson":
        z = rng.poisson(2.0, shape).astype(float)
        x = rng.uniform(0.1, 5, shape)
    else:
        z = rng.standard_normal(shape) * 2
    if name == "binary_cross_entropy":
        x = 1 / (1 + np.exp(-x))
    elif name in ("categorical_cross_entropy", "kl_divergence"):
        x = np.exp(x) / np.exp(x).sum(-1, keepdims=True)
    labels = z if name == "sparse_softmax_cross_entropy_with_logits" else z.astype(dtype)
    return labels, x.astype(dtype)


def torch_loss_and_grad(name, labels, inputs, reduction):
    xt = torch.from_numpy(inputs.copy()).requires_grad_()
    loss = TORCH[name][1](torch.from_numpy(labels), xt, reduction)
    loss.backward(torch.ones_like(loss))
    return loss.detach().numpy(), xt.grad.numpy()


def assert_close(ours, theirs, dtype):
    rtol, atol = (2e-5, 1e-6) if dtype == np.float32 else (1e-12, 1e-14)
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=atol)


def test_every_loss_is_cross_checked():
    assert set(TORCH) == {loss["name"] for loss in sigma.loss_catalog()}


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", list(TORCH))
def test_matches_torch(name, reduction, dtype):
    labels, inputs = make_inputs(name, dtype)
    keywords = TORCH[name][0]
    loss, grad = getattr(sigma, name)(labels, inputs, reduction=reduction, return_grad=True,
                                      **keywords)
    torch_loss, torch_grad = torch_loss_and_grad(name, labels, inputs, reduction)
    assert np.asarray(loss).dtype == dtype and grad.dtype == dtype
    assert np.shape(loss) == torch_loss.shape and grad.shape == inputs.shape
    assert_close(loss, torch_loss, dtype)
    assert_close(grad, torch_grad, dtype)
    alone = getattr(sigma, name)(labels, inputs, reduction=reduction, **keywords)
    assert np.array_equal(alone, loss)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
def test_tensorflow_keywords_and_extreme_logits(dtype):
    """Logits of +-1e30 give exact losses and gradients, as in PyTorch's stable forms."""
    x = np.array([1e30, -1e30, 100, -100, 0], dtype)
    z = np.array([0.0, 1.0, 0.25, 1.0, 0.5], dtype)
    loss, grad = sigma.sigmoid_cross_entropy_with_logits(labels=z, logits=x, return_grad=True)
    torch_loss, torch_grad = torch_loss_and_grad("sigmoid_cross_entropy_with_logits", z, x, "none")
    assert_close(loss, torch_loss, dtype)
    assert_close(grad, torch_grad, dtype)
    logits = np.array([[1e30, -1e30, 0]], dtype)
    loss = sigma.sparse_softmax_cross_entropy_with_logits(labels=np.array([1]), logits=logits)
    assert loss.tolist() == [np.float32(2e30) if dtype == np.float32 else 2e30]
    torch_loss = F.cross_entropy(torch.from_numpy(logits), torch.tensor([1])).item()
    assert loss[0] == pytest.approx(torch_loss, rel=1e-6)


def test_nan_stays_in_its_example():
    x = np.array([[0.0, np.nan], [1.0, 2.0]])
    loss = sigma.sparse_softmax_cross_entropy_with_logits(labels=[0, 1], logits=x)
    assert np.isnan(loss[0]) and np.isfinite(loss[1])
    assert np.isnan(sigma.sparse_softmax_cross_entropy_with_logits(labels=[0, 1], logits=x,
                                                                    reduction="mean"))


def test_binary_cross_entropy_does_not_clamp_the_log():
    """Documented difference: PyTorch clamps log(p) at -100, so p = 0 for a positive label costs
    100 and p = 1e-50 costs 100 too; sigma gives inf and 115.13, the exact values."""
    p = np.array([0.0, 1e-50])
    z = np.array([1.0, 1.0])
    ours = sigma.binary_cross_entropy(labels=z, probabilities=p)
    theirs = F.binary_cross_entropy(torch.from_numpy(p), torch.from_numpy(z),
                                    reduction="none").numpy()
    assert theirs.tolist() == [100.0, 100.0]
    assert ours[0] == np.inf and ours[1] == pytest.approx(50 * np.log(10), rel=1e-15)


def test_poisson_has_no_epsilon():
    """Documented difference: PyTorch's poisson_nll_loss(log_input=False) adds eps = 1e-8 inside
    the log by default; sigma is x - z log x exactly."""
    x, z = np.array([1e-6]), np.array([3.0])
    ours = sigma.poisson(labels=z, predictions=x)[0]
    theirs = F.poisson_nll_loss(torch.from_numpy(x), torch.from_numpy(z), log_input=False,
                                reduction="none").numpy()[0]
    assert ours == pytest.approx(1e-6 - 3 * np.log(1e-6), rel=1e-15)
    assert abs(theirs - ours) > 1e-3


def test_class_axis_and_shapes():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((4, 5, 6))
    labels = rng.integers(0, 5, (4, 6))
    loss = sigma.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=x, axis=1)
    assert loss.shape == (4, 6)
    theirs = F.cross_entropy(torch.from_numpy(x), torch.from_numpy(labels), reduction="none")
    np.testing.assert_allclose(loss, theirs.numpy(), rtol=1e-13)
    with pytest.raises(sigma.Error, match=r"labels has shape \(4, 5\) but the logits without "):
        sigma.sparse_softmax_cross_entropy_with_logits(labels=labels[:, :5], logits=x, axis=1)
    with pytest.raises(sigma.Error, match=r"label 7 at row 0 is not a class id in \[0, 5\)"):
        sigma.sparse_softmax_cross_entropy_with_logits(labels=np.full((4, 6), 7), logits=x, axis=1)
    with pytest.raises(TypeError, match="labels must be integer class ids, got dtype float64"):
        sigma.sparse_softmax_cross_entropy_with_logits(labels=np.zeros((4, 6)), logits=x, axis=1)
    with pytest.raises(sigma.Error, match=r"labels has shape \(3,\) but logits has shape \(4,\)"):
        sigma.sigmoid_cross_entropy_with_logits(labels=np.zeros(3), logits=np.zeros(4))
    with pytest.raises(sigma.Error, match="reduction must be one of none, sum, mean"):
        sigma.mean_squared_error(np.zeros(3), np.zeros(3), reduction="avg")
    with pytest.raises(TypeError, match="unexpected keyword argument 'axis'"):
        sigma.mean_squared_error(np.zeros(3), np.zeros(3), axis=0)
    with pytest.raises(sigma.Error):
        sigma.weighted_cross_entropy_with_logits(np.zeros(3), np.zeros(3), pos_weight=-1)


def test_a_function_per_loss_with_its_keywords():
    for entry in sigma.loss_catalog():
        function = getattr(sigma, entry["name"])
        parameters = list(inspect.signature(function).parameters)
        names = [p["name"] for p in entry["params"]]
        assert parameters[:2 + len(names)] == ["labels", entry["input"], *names]
        assert {"reduction", "return_grad"} <= set(parameters)
        assert ("axis" in parameters) == entry["over_classes"]
        for param in entry["params"]:
            assert param["name"] in parameters
        for alias in entry["aliases"]:
            assert getattr(sigma, alias) is function
    mean = sigma.mean_squared_error(labels=[1.0, 2.0], predictions=[1.0, 4.0], reduction="mean")
    assert isinstance(mean, np.float64) and mean == 2.0


def test_docstrings_have_no_empty_fields():
    for entry in sigma.loss_catalog():
        doc = getattr(sigma, entry["name"]).__doc__
        for field in ("loss = ", "gradient = ", "evaluated as: ", "labels: "):
            line = next(line for line in doc.splitlines() if line.startswith(field))
            assert line[len(field):].strip(), (entry["name"], line)
        assert (entry["stable_form"] or "the formula") in doc


def test_limits_where_torch_gives_nan():
    """Documented difference: at infinite logits and for zero-weight labels against zero
    probabilities PyTorch forms inf - inf or 0 * log 0 and returns NaN; sigma returns the limit
    (a label weight of exactly 0 removes its term)."""
    x = np.array([np.inf, -np.inf, -np.inf])
    z = np.array([1.0, 0.0, 1.0])
    loss, grad = sigma.sigmoid_cross_entropy_with_logits(labels=z, logits=x, return_grad=True)
    assert loss.tolist() == [0, 0, np.inf] and grad.tolist() == [0, 0, -1]
    assert np.isnan(torch_loss_and_grad("sigmoid_cross_entropy_with_logits", z, x, "none")[0]).all()

    logits = np.array([[0.0, -np.inf, 1.0]])
    soft = np.array([[0.5, 0.0, 0.5]])
    loss = sigma.softmax_cross_entropy_with_logits(labels=soft, logits=logits)
    assert loss[0] == pytest.approx(np.log1p(np.e) - 0.5, rel=1e-15)
    assert np.isnan(F.cross_entropy(torch.from_numpy(logits), torch.from_numpy(soft),
                                    reduction="none").numpy()).all()

    p = np.array([[0.0, 1.0]])
    hard = np.array([[0.0, 1.0]])
    assert sigma.kl_divergence(labels=hard, probabilities=p).tolist() == [0]
    assert sigma.categorical_cross_entropy(labels=hard, probabilities=p).tolist() == [0]
    assert np.isnan(torch_loss_and_grad("kl_divergence", hard, p, "none")[0]).all()
    assert np.isnan(torch_loss_and_grad("categorical_cross_entropy", hard, p, "none")[0]).all()
