"""sigma against torch.nn.functional at the Python level, on the same numpy buffers.

One thread each (torch.set_num_threads(1), sigma.set_num_threads(1)), 2^20 float32 elements:
the main activations forward and backward, then softmax, log_softmax, GLU and the sparse
cross-entropy with its gradient over a 1024 x 1024 batch along the last axis. Both sides
allocate their result, as a caller of F.gelu(x) or sigma.gelu(x) does; the "sigma out=" column
writes into a preallocated array instead. PyTorch's
backward is its aten kernel (sigmoid_backward, gelu_backward, ...), called directly so that the
autograd graph does not count; where PyTorch's backward takes the output (sigmoid, tanh), sigma's
backward_from_output is timed. Each time is the median of repeated single calls, sigma and
PyTorch interleaved so that both see the same machine load, and the least of a few such medians
(--runs) so that a burst of other work does not count.

Usage: PYTHONPATH=build/python /usr/bin/python3 bench/python_bench.py [--repeats N] [--runs N]
       [--markdown]
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=51, help="calls per median")
    parser.add_argument("--runs", type=int, default=3, help="medians to take the least of")
    parser.add_argument("--size", type=int, default=1 << 20)
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()

    torch.set_num_threads(1)
    sigma.set_num_threads(1)
    rng = np.random.default_rng(0)
    x = (rng.standard_normal(args.size) * 3).astype(np.float32)
    dy = rng.standard_normal(args.size).astype(np.float32)
    out = np.empty_like(x)
    xt, dyt = torch.from_numpy(x), torch.from_numpy(dy)

    header = ("function", "pass", "sigma out= us", "sigma us", "torch us", "torch / sigma")
    rows = []
    for spec, forward, backward, from_output in CASES:
        y = sigma.apply(spec, x)
        yt = torch.from_numpy(y)
        sigma_out, sigma_new, torch_new = median_us([
            lambda: sigma.apply(spec, x, out=out),
            lambda: sigma.apply(spec, x),
            lambda: forward(xt),
        ], args.repeats, args.runs)
        rows.append((spec, "forward", sigma_out, sigma_new, torch_new))
        if from_output:
            sigma_backward = (lambda out=None: sigma.backward_from_output(spec, y, dy, out=out))
        else:
            sigma_backward = (lambda out=None: sigma.backward(spec, x, dy, out=out))
        sigma_out, sigma_new, torch_new = median_us([
            lambda: sigma_backward(out),
            sigma_backward,
            lambda: backward(dyt, xt, yt),
        ], args.repeats, args.runs)
        rows.append((spec, "backward" + (" (from y)" if from_output else ""), sigma_out,
                     sigma_new, torch_new))

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
        rows.append((name, f"{batch[0]}x{batch[1]}", float("nan"), sigma_new, torch_new))

    print(f"{args.size} float32 elements, 1 thread, least of {args.runs} medians of "
          f"{args.repeats} calls; "
          f"torch {torch.__version__}, numpy {np.__version__}, sigma {sigma.__version__}")
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for spec, what, a, b, c in rows:
            out_column = "" if a != a else f"{a:.0f}"  # NaN: no out= variant timed
            print(f"| `{spec}` | {what} | {out_column} | {b:.0f} | {c:.0f} | {c / b:.2f}x |")
    else:
        print(f"{header[0]:28s} {header[1]:20s} {header[2]:>13s} {header[3]:>9s} "
              f"{header[4]:>9s} {header[5]:>14s}")
        for spec, what, a, b, c in rows:
            out_column = "" if a != a else f"{a:.0f}"
            print(f"{spec:28s} {what:20s} {out_column:>13s} {b:9.0f} {c:9.0f} {c / b:13.2f}x")


if __name__ == "__main__":
    main()
