"""softmax, log_softmax, softmin, GLU, maxout and dropout against PyTorch (values and autograd
gradients, float32 and float64) and against numpy where PyTorch has no counterpart."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import sigma

torch.set_num_threads(1)

DTYPES = [np.float32, np.float64]
dtype_ids = pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)


def close(ours, theirs, dtype, ulps=8):
    """Equal within a few ulp of the larger magnitude, or within a few eps absolutely (sums of
    probabilities round to eps, not to an ulp of each term)."""
    eps = np.finfo(dtype).eps
    scale = np.maximum(np.abs(ours), np.abs(theirs)).astype(np.float64)
    diff = np.abs(ours.astype(np.float64) - theirs)
    ok = (diff <= ulps * eps * scale) | (diff <= 4 * eps) | (ours == theirs)
    ok |= np.isnan(ours) & np.isnan(theirs)
    return ok


def logits(shape, dtype, scale=5.0, seed=0):
    return (np.random.default_rng(seed).standard_normal(shape) * scale).astype(dtype)


SOFTMAX = [("softmax", F.softmax), ("log_softmax", F.log_softmax), ("softmin", F.softmin)]


@dtype_ids
@pytest.mark.parametrize("name, torch_fn", SOFTMAX, ids=[s[0] for s in SOFTMAX])
@pytest.mark.parametrize("shape, axis", [((10,), -1), ((7, 10), -1), ((7, 10), 0),
                                         ((3, 4, 5), 1), ((3, 4, 5), -3)])
def test_softmax_family_matches_torch(name, torch_fn, shape, axis, dtype):
    x = logits(shape, dtype)
    dy = logits(shape, dtype, 1.0, seed=1)
    xt = torch.from_numpy(x.copy()).requires_grad_()
    yt = torch_fn(xt, dim=axis)
    yt.backward(torch.from_numpy(dy))
    y = getattr(sigma, name)(x, axis=axis)
    assert y.dtype == dtype and y.shape == shape
    assert close(y, yt.detach().numpy(), dtype).all()
    dx = getattr(sigma, name + "_backward")(y, dy, axis=axis)
    assert close(dx, xt.grad.numpy(), dtype, ulps=64).all()


@dtype_ids
def test_softmax_extreme_logits(dtype):
    x = np.array([[1e30, -1e30, 0], [-np.inf, 0, 1], [np.nan, 0, 1], [np.inf, 0, 1],
                  [-np.inf, -np.inf, -np.inf]], dtype)
    y = sigma.softmax(x)
    assert y[0].tolist() == [1, 0, 0]
    assert y[1, 0] == 0 and np.isclose(y[1].sum(), 1)
    assert np.isnan(y[2:]).all()  # NaN, +inf, all -inf: no limit
    torch_y = F.softmax(torch.from_numpy(x), dim=-1).numpy()
    assert np.array_equal(y[:2], torch_y[:2])
    exact = (x[0].astype(np.float64) - x[0, 0]).astype(dtype)
    assert np.array_equal(sigma.log_softmax(x)[0], exact)


def test_log_softmax_dominant_entry_is_not_rounded_to_zero():
    """Documented difference: PyTorch's x - max - log(sum) gives 0 for a dominant entry; sigma
    gives -log1p(sum of the others), the exact value."""
    x = np.array([0.0, -50.0])
    ours = sigma.log_softmax(x)[0]
    theirs = F.log_softmax(torch.from_numpy(x), dim=-1).numpy()[0]
    assert theirs == 0 and ours == pytest.approx(-np.exp(-50.0), rel=1e-15)


@dtype_ids
@pytest.mark.parametrize("shape, axis", [((8,), -1), ((4, 6), -1), ((4, 6), 0), ((2, 4, 3), 1)])
def test_glu_matches_torch(shape, axis, dtype):
    x = logits(shape, dtype, 3.0)
    out_shape = list(shape)
    out_shape[axis] //= 2
    dy = logits(tuple(out_shape), dtype, 1.0, seed=2)
    xt = torch.from_numpy(x.copy()).requires_grad_()
    yt = F.glu(xt, dim=axis)
    yt.backward(torch.from_numpy(dy))
    y = sigma.glu(x, axis=axis)
    assert y.shape == tuple(out_shape)
    assert close(y, yt.detach().numpy(), dtype).all()
    assert close(sigma.glu_backward(x, dy, axis=axis), xt.grad.numpy(), dtype, ulps=16).all()


@dtype_ids
def test_maxout_against_numpy(dtype):
    """PyTorch has no maxout: numpy's max over groups, and the gradient to the first maximum."""
    x = logits((5, 12), dtype)
    x[0, :3] = 7  # a tie: the gradient goes to the first unit
    x[1, 4] = np.nan
    y = sigma.maxout(x, 3)
    groups = x.reshape(5, 4, 3)
    with np.errstate(invalid="ignore"):
        assert np.array_equal(y, groups.max(axis=-1), equal_nan=True)
    dy = np.ones((5, 4), dtype)
    dx = sigma.maxout_backward(x, dy, 3).reshape(5, 4, 3)
    assert dx[0, 0].tolist() == [1, 0, 0]
    assert dx[1, 1].tolist() == [0, 1, 0]  # the NaN unit gave the maximum
    first = np.argmax(np.where(np.isnan(groups), np.inf, groups), axis=-1)
    assert np.array_equal(dx.argmax(axis=-1), first)
    assert sigma.maxout(x, 5, axis=0).shape == (1, 12)


def test_axis_and_shape_errors():
    x = np.zeros((4, 6))
    with pytest.raises(sigma.Error, match="softmax: axis 2 is out of range for a rank-2 array"):
        sigma.softmax(x, axis=2)
    with pytest.raises(sigma.Error, match="odd extent"):
        sigma.glu(np.zeros((4, 5)))
    with pytest.raises(sigma.Error, match="not a multiple of group_size 4"):
        sigma.maxout(x, 4)
    with pytest.raises(sigma.Error, match="group_size must be positive"):
        sigma.maxout(x, 0)
    with pytest.raises(sigma.Error, match=r"the forward output has shape \(4, 3\) but dy"):
        sigma.glu_backward(x, np.zeros((4, 6)))
    y = np.zeros((4, 6), np.float32)
    assert sigma.softmax(y, out=y) is y


def test_dropout():
    x = np.ones((200, 500), np.float32)
    y, mask = sigma.dropout(x, 0.3, seed=7, return_mask=True)
    assert mask.dtype == np.bool_ and mask.shape == x.shape
    assert abs(mask.mean() - 0.7) < 0.01
    # TensorFlow's rule: survivors times 1 / (1 - rate) rounded to float32, dropped ones +0.
    assert np.array_equal(y, np.where(mask, np.float32(1 / 0.7), np.float32(0)))
    assert np.array_equal(sigma.dropout(x, 0.3, seed=7), y)  # the seed fixes the mask
    assert not np.array_equal(sigma.dropout(x, 0.3), sigma.dropout(x, 0.3))
    rows = sigma.dropout(x, 0.5, noise_shape=[200, 1], seed=1)
    assert (rows == rows[:, :1]).all()
    assert np.array_equal(sigma.dropout(x, 0.3, training=False), x)
    dy = np.full(x.shape, 2.0, np.float32)
    assert np.array_equal(sigma.dropout_backward(mask, dy, 0.3), np.where(mask, 2 * y, 0))
    with pytest.raises(sigma.Error, match="rate"):
        sigma.dropout(x, 1.0)
    # Outside training PyTorch's dropout is the identity too; in training its random stream is
    # its own, so only these statistics compare.
    assert np.array_equal(F.dropout(torch.from_numpy(x), 0.3, training=False).numpy(), x)
