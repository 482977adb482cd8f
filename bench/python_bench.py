"""sigma against torch.nn.functional at the Python level, on the same numpy buffers.

One thread each (torch.set_num_threads(1), sigma.set_num_threads(1)), 2^20 float32 elements
drawn from N(0, 1), N(0, 4) and N(0, 16) (--spreads), and the ratio of each side's slowest
spread: the main activations forward and backward (for tanhshrink's, sin's and cos's backward,
lecun_tanh, loglog and snake the composites of PyTorch ops a user would write), then softmax,
log_softmax, GLU and the sparse cross-entropy with its gradient over a 1024 x 1024 batch along
the last axis. Both sides allocate their result, as a caller of F.gelu(x) or sigma.gelu(x)
does. PyTorch's backward is its aten kernel (sigmoid_backward, gelu_backward, ...), called
directly so that the autograd graph does not count; where PyTorch's backward takes the output
(sigmoid, tanh), sigma's backward_from_output is timed. Each time is the median of repeated
single calls, sigma and PyTorch interleaved so that both see the same machine load, and the least
of a few such medians (--runs) so that a burst of other work does not count.

Usage: PYTHONPATH=build/python /usr/bin/python3 bench/python_bench.py [--repeats N] [--runs N]
       [--spreads 1,4,16] [--markdown]
"""

import argparse
import statistics
import time

import numpy as np
import torch
import torch.nn.functional as F

import sigma

aten = torch.ops.aten

# sigma spec, PyTorch forward, PyTorch backward (dy, x, y) -> dx, whether the backward takes y.
CASES = [
    ("relu", F.relu, lambda dy, x, y: aten.threshold_backward(dy, x, 0), False),
    ("leaky_relu", F.leaky_relu,
     lambda dy, x, y: aten.leaky_relu_backward(dy, x, 0.01, False), False),
    ("sigmoid", torch.sigmoid, lambda dy, x, y: aten.sigmoid_backward(dy, y), True),
    ("tanh", torch.tanh, lambda dy, x, y: aten.tanh_backward(dy, y), True),
    ("elu", F.elu, lambda dy, x, y: aten.elu_backward(dy, 1.0, 1.0, 1.0, False, x), False),
    ("softplus", F.softplus, lambda dy, x, y: aten.softplus_backward(dy, x, 1.0, 20.0), False),
    ("silu", F.silu, lambda dy, x, y: aten.silu_backward(dy, x), False),
    ("gelu", F.gelu, lambda dy, x, y: aten.gelu_backward(dy, x), False),
    ("gelu:approximate=tanh", lambda x: F.gelu(x, approximate="tanh"),
     lambda dy, x, y: aten.gelu_backward(dy, x, approximate="tanh"), False),
    ("mish", F.mish, lambda dy, x, y: aten.mish_backward(dy, x), False),
    ("hardswish", F.hardswish, lambda dy, x, y: aten.hardswish_backward(dy, x), False),
    ("hardsigmoid", F.hardsigmoid, lambda dy, x, y: aten.hardsigmoid_backward(dy, x), False),
    # PyTorch has no backward kernel for tanhshrink, sin or cos, and no lecun_tanh, loglog or
    # snake: the composites a user would write.
    ("tanhshrink", F.tanhshrink, lambda dy, x, y: dy * torch.tanh(x).square(), False),
    ("lecun_tanh", lambda x: 1.7159 * torch.tanh(x * (2 / 3)),
     lambda dy, x, y: dy * (1.7159 * 2 / 3) * (1 - torch.tanh(x * (2 / 3)).square()), False),
    ("sinusoid", torch.sin, lambda dy, x, y: dy * torch.cos(x), False),
    ("cos", torch.cos, lambda dy, x, y: dy * -torch.sin(x), False),
    ("loglog", lambda x: 1 - torch.exp(-torch.exp(x)),
     lambda dy, x, y: dy * torch.exp(x - torch.exp(x)), False),
    ("snake", lambda x: x + torch.sin(x).square(), lambda dy, x, y: dy * (1 + torch.sin(2 * x)),
     False),
]


def _torch_cross_entropy_with_grad(logits, labels):
    logits = logits.detach().requires_grad_()
    F.cross_entropy(logits, labels).backward()
    return logits.grad


# Along the last axis of a (1024, 1024) batch, and the sparse cross-entropy with its gradient
# (PyTorch: F.cross_entropy and autograd): (name, sigma call, PyTorch call) over
# (x, y, dy, labels) as numpy arrays and as tensors.
ROW_CASES = [
    ("softmax", lambda x, y, dy, z: sigma.softmax(x), lambda x, y, dy, z: F.softmax(x, dim=-1)),
    ("softmax_backward", lambda x, y, dy, z: sigma.softmax_backward(y, dy),
     lambda x, y, dy, z: aten._softmax_backward_data(dy, y, -1, torch.float32)),
    ("log_softmax", lambda x, y, dy, z: sigma.log_softmax(x),
     lambda x, y, dy, z: F.log_softmax(x, dim=-1)),
    ("glu", lambda x, y, dy, z: sigma.glu(x), lambda x, y, dy, z: F.glu(x, dim=-1)),
    ("sparse cross-entropy + grad",
     lambda x, y, dy, z: sigma.sparse_softmax_cross_entropy_with_logits(
         z, x, reduction="mean", return_grad=True),
     lambda x, y, dy, z: _torch_cross_entropy_with_grad(x, z)),
]


def median_us(calls, repeats, runs):
    """Time of each call in microseconds: the median over `repeats` calls, the calls interleaved
    round by round, and the least of `runs` such medians (other work on the machine only ever
    adds time)."""
    best = [float("inf")] * len(calls)
    for _ in range(runs):
        samples = [[] for _ in calls]
        for _ in range(3):  # warm-up: page faults, dispatch caches
            for call in calls:
                call()
        for _ in range(repeats):
            for i, call in enumerate(calls):
                start = time.perf_counter_ns()
                call()
                samples[i].append(time.perf_counter_ns() - start)
        best = [min(b, statistics.median(s) / 1e3) for b, s in zip(best, samples)]
    return best


def measure(x, dy, rng, args):
    """Rows (function, pass, sigma us, torch us) for inputs x."""
    xt, dyt = torch.from_numpy(x), torch.from_numpy(dy)
    rows = []
    for spec, forward, backward, from_output in CASES:
        y = sigma.apply(spec, x)
        yt = torch.from_numpy(y)
        sigma_new, torch_new = median_us(
            [lambda: sigma.apply(spec, x), lambda: forward(xt)], args.repeats, args.runs)
        rows.append((spec, "forward", sigma_new, torch_new))
        if from_output:
            sigma_backward = (lambda: sigma.backward_from_output(spec, y, dy))
        else:
            sigma_backward = (lambda: sigma.backward(spec, x, dy))
        sigma_new, torch_new = median_us(
            [sigma_backward, lambda: backward(dyt, xt, yt)], args.repeats, args.runs)
        rows.append((spec, "backward" + (" (from y)" if from_output else ""), sigma_new,
                     torch_new))

    batch = (1024, args.size // 1024)
    logits = x.reshape(batch)
    probs = sigma.softmax(logits)
    grads = dy.reshape(batch)
    labels = rng.integers(0, batch[1], batch[0])
    arrays = (logits, probs, grads, labels)
    tensors = tuple(torch.from_numpy(a) for a in arrays)
    for name, sigma_call, torch_call in ROW_CASES:
        sigma_new, torch_new = median_us(
            [lambda: sigma_call(*arrays), lambda: torch_call(*tensors)], args.repeats, args.runs)
        rows.append((name, f"{batch[0]}x{batch[1]}", sigma_new, torch_new))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=51, help="calls per median")
    parser.add_argument("--runs", type=int, default=3, help="medians to take the least of")
    parser.add_argument("--size", type=int, default=1 << 20)
    parser.add_argument("--spreads", default="1,4,16",
                        help="standard deviations of the normal inputs, comma-separated")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()

    torch.set_num_threads(1)
    sigma.set_num_threads(1)
    spreads = [float(v) for v in args.spreads.split(",")]
    rng = np.random.default_rng(0)
    normal = rng.standard_normal(args.size).astype(np.float32)
    dy = rng.standard_normal(args.size).astype(np.float32)
    by_spread = [measure((normal * s).astype(np.float32), dy, np.random.default_rng(1), args)
                 for s in spreads]

    print(f"{args.size} float32 elements from N(0, s) for s = {args.spreads}, 1 thread, least of "
          f"{args.runs} medians of {args.repeats} calls; "
          f"torch {torch.__version__}, numpy {np.__version__}, sigma {sigma.__version__}")
    names = ", ".join(f"{s:g}" for s in spreads)
    header = ("function", "pass", f"sigma us (s = {names})", f"torch us (s = {names})",
              "torch / sigma, slowest spread of each")
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
    else:
        print(" | ".join(header))
    for i, (spec, what, *_) in enumerate(by_spread[0]):
        ours = [rows[i][2] for rows in by_spread]
        theirs = [rows[i][3] for rows in by_spread]
        line = [f"`{spec}`" if args.markdown else spec, what,
                ", ".join(f"{t:.0f}" for t in ours), ", ".join(f"{t:.0f}" for t in theirs),
                f"{max(theirs) / max(ours):.2f}x"]
        print(("| " + " | ".join(line) + " |") if args.markdown else " | ".join(line))


if __name__ == "__main__":
    main()
