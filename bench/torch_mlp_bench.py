"""A PyTorch training step of the Fashion-MNIST MLP (784-256-128-10, batch 128, SGD) with
sigma.torch's activation modules and cross-entropy against the same model with torch.nn's, at 1
and 2 threads (torch.set_num_threads, which sigma.torch's operators follow).

Both models start from the same weights and train on the same random batch. The two are timed
alternately in one process, ROUNDS rounds of STEPS steps each; each reports the median
milliseconds per step over the rounds, and the ratio is the median of the rounds' ratios (the
two timings of a round saw the same machine load).

Usage: PYTHONPATH=build/python /usr/bin/python3 bench/torch_mlp_bench.py [--rounds N]
       [--steps N] [--acts relu,gelu,...]"""

import argparse
import copy
import statistics
import time

import torch
import torch.nn.functional as F

import sigma.torch as st

# sigma spec -> torch.nn module of the same function.
TORCH_MODULES = {"relu": torch.nn.ReLU, "gelu": torch.nn.GELU, "tanh": torch.nn.Tanh,
                 "silu": torch.nn.SiLU, "sigmoid": torch.nn.Sigmoid, "elu": torch.nn.ELU,
                 "mish": torch.nn.Mish, "gelu:approximate=tanh":
                 lambda: torch.nn.GELU(approximate="tanh")}


def mlp(activation):
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(784, 256), activation(), torch.nn.Linear(256, 128),
                               activation(), torch.nn.Linear(128, 10))


def step_time(model, start_state, loss_fn, x, y, steps):
    """Milliseconds per step of `steps` SGD steps from the weights `start_state`: every round of
    both models starts from the same weights, since the steps' matrix products slow down severalfold
    once training has left subnormal numbers in the weights (measured: 1.2-1.4 ms a step with
    torch.set_flush_denormal(True), 2.2-4.2 ms without, after 600 steps), which would time the two
    models' trajectories rather than their activations."""
    model.load_state_dict(start_state)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    start = time.perf_counter()
    for _ in range(steps):
        loss = loss_fn(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return (time.perf_counter() - start) / steps * 1e3


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=41)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--acts", default="relu,gelu,tanh,silu")
    args = parser.parse_args()
    torch.manual_seed(1)
    x, y = torch.rand(128, 784), torch.randint(0, 10, (128,))
    print("| activation | threads | torch.nn ms/step | sigma.torch ms/step | torch / sigma (paired) |")
    print("|---|---|---|---|---|")
    for threads in (1, 2):
        torch.set_num_threads(threads)
        for spec in args.acts.split(","):
            ours = mlp(lambda: st.Activation(spec))
            theirs = mlp(TORCH_MODULES[spec])
            start = copy.deepcopy(theirs.state_dict())  # the same weights as ours'
            runs = {"sigma": (ours, st.cross_entropy), "torch": (theirs, F.cross_entropy)}
            for model, loss in runs.values():
                step_time(model, start, loss, x, y, 3)  # warm-up
            times = {"sigma": [], "torch": []}
            for r in range(args.rounds):
                # Alternate which goes first, so that neither always follows the other's caches.
                for who in ("torch", "sigma") if r % 2 == 0 else ("sigma", "torch"):
                    times[who].append(step_time(*runs[who][:1], start, runs[who][1], x, y,
                                                args.steps))
            t, s = statistics.median(times["torch"]), statistics.median(times["sigma"])
            # Paired: each round's two timings saw the same machine load.
            ratio = statistics.median(a / b for a, b in zip(times["torch"], times["sigma"]))
            print(f"| `{spec}` | {threads} | {t:.3f} | {s:.3f} | {ratio:.2f}x |", flush=True)


if __name__ == "__main__":
    main()
