"""sigma against torch.nn.functional at the Python level, on the same numpy buffers.

One thread each (torch.set_num_threads(1), sigma.set_num_threads(1)), 2^20 float32 elements,
forward and backward. Both sides allocate their result, as a caller of F.gelu(x) or
sigma.gelu(x) does; the "sigma out=" column writes into a preallocated array instead. PyTorch's
backward is its aten kernel (sigmoid_backward, gelu_backward, ...), called directly so that the
autograd graph does not count; where PyTorch's backward takes the output (sigmoid, tanh), sigma's
backward_from_output is timed. Each time is the median of repeated single calls, sigma and
PyTorch interleaved so that both see the same machine load.

Usage: PYTHONPATH=build/python /usr/bin/python3 bench/python_bench.py [--repeats N] [--markdown]
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


def median_us(calls, repeats):
    """Median time of each call in microseconds, the calls interleaved round by round."""
    samples = [[] for _ in calls]
    for _ in range(3):  # warm-up: page faults, dispatch caches
        for call in calls:
            call()
    for _ in range(repeats):
        for i, call in enumerate(calls):
            start = time.perf_counter_ns()
            call()
            samples[i].append(time.perf_counter_ns() - start)
    return [statistics.median(s) / 1e3 for s in samples]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=51)
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
        ], args.repeats)
        rows.append((spec, "forward", sigma_out, sigma_new, torch_new))
        if from_output:
            sigma_backward = (lambda out=None: sigma.backward_from_output(spec, y, dy, out=out))
        else:
            sigma_backward = (lambda out=None: sigma.backward(spec, x, dy, out=out))
        sigma_out, sigma_new, torch_new = median_us([
            lambda: sigma_backward(out),
            sigma_backward,
            lambda: backward(dyt, xt, yt),
        ], args.repeats)
        rows.append((spec, "backward" + (" (from y)" if from_output else ""), sigma_out,
                     sigma_new, torch_new))

    print(f"{args.size} float32 elements, 1 thread, median of {args.repeats} calls; "
          f"torch {torch.__version__}, numpy {np.__version__}, sigma {sigma.__version__}")
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for spec, what, a, b, c in rows:
            print(f"| `{spec}` | {what} | {a:.0f} | {b:.0f} | {c:.0f} | {c / b:.2f}x |")
    else:
        print(f"{header[0]:24s} {header[1]:20s} {header[2]:>13s} {header[3]:>9s} "
              f"{header[4]:>9s} {header[5]:>14s}")
        for spec, what, a, b, c in rows:
            print(f"{spec:24s} {what:20s} {a:13.0f} {b:9.0f} {c:9.0f} {c / b:13.2f}x")


if __name__ == "__main__":
    main()
