"""sigma's 16-bit forward against PyTorch's bfloat16 and float16 CPU ops, in one process.

One thread each, 2^20 elements, x from N(0, s) for s = 1, 4, 16: sigma on numpy float16 (its
16-bit path, no float32 copy) and float32, PyTorch on bfloat16, float16 and float32 tensors. Each
time is the median of single calls, the implementations interleaved so that all see the same
machine load; rates are elements per second / 1e9.

Usage: PYTHONPATH=build/python /usr/bin/python3 bench/half_bench.py [--repeats N]
"""

import argparse
import statistics
import time

import numpy as np
import torch
import torch.nn.functional as F

import sigma

CASES = [("sigmoid", torch.sigmoid), ("tanh", torch.tanh), ("gelu", F.gelu), ("silu", F.silu),
         ("elu", F.elu), ("softplus", F.softplus), ("mish", F.mish), ("relu", F.relu),
         ("leaky_relu", F.leaky_relu), ("hardswish", F.hardswish)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=21)
    args = parser.parse_args()
    torch.set_num_threads(1)
    sigma.set_num_threads(1)
    n = 1 << 20
    z = np.random.default_rng(1).standard_normal(n).astype(np.float32)
    columns = ["sigma f16", "sigma f32", "torch bf16", "torch f16", "torch f32"]
    print("| function | s | " + " | ".join(columns) + " |")
    print("|---|---:|" + "---:|" * len(columns))
    for name, torch_fn in CASES:
        sigma_fn = getattr(sigma, name)
        for s in (1, 4, 16):
            x32 = z * s
            x16 = x32.astype(np.float16)
            t32 = torch.from_numpy(x32)
            calls = {
                "sigma f16": lambda: sigma_fn(x16),
                "sigma f32": lambda: sigma_fn(x32),
                "torch bf16": (lambda t: lambda: torch_fn(t))(t32.to(torch.bfloat16)),
                "torch f16": (lambda t: lambda: torch_fn(t))(t32.to(torch.float16)),
                "torch f32": lambda: torch_fn(t32),
            }
            # PyTorch's CPU kernels lack some ops in float16 ("not implemented for 'Half'").
            available = []
            for c in columns:
                try:
                    calls[c]()
                    available.append(c)
                except RuntimeError:
                    pass
            times = {c: [] for c in available}
            for _ in range(args.repeats):
                for c in available:
                    start = time.perf_counter()
                    calls[c]()
                    times[c].append(time.perf_counter() - start)
            rates = [f"{n / statistics.median(times[c]) / 1e9:.2f}" if c in times else "-"
                     for c in columns]
            print(f"| {name} | {s} | " + " | ".join(rates) + " |")


if __name__ == "__main__":
    main()
