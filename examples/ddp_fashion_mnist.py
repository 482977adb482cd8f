"""Trains the Fashion-MNIST MLP (784-256-128-10) in PyTorch with sigma's activation and
cross-entropy (sigma.torch) under DistributedDataParallel: WORLD processes on this machine, gloo
over 127.0.0.1, each taking its share of every global batch. With --check it also trains the same
model in one process on the whole global batch and prints the largest difference between the two
sets of weights, which must be a rounding difference only (docs/distributed.md).

Usage: PYTHONPATH=build/python /usr/bin/python3 examples/ddp_fashion_mnist.py \
           [--world 2] [--steps 50] [--batch 128] [--act gelu] [--dtype float32] [--check]
Without /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist) it uses synthetic
data of the same shape."""

import argparse
import gzip
import os
import pathlib
import socket
import tempfile

import numpy as np
import torch
import torch.distributed as dist
import torch.multiprocessing as mp

import sigma.torch as st

DATA = pathlib.Path("/usr/share/datasets/fashion-mnist")


def load(examples):
    """The first `examples` training images (scaled to [0, 1]) and labels, or synthetic ones."""
    images, labels = DATA / "train-images-idx3-ubyte.gz", DATA / "train-labels-idx1-ubyte.gz"
    if images.exists() and labels.exists():
        with gzip.open(images) as f:
            x = np.frombuffer(f.read(), np.uint8, offset=16)[:examples * 784]
        with gzip.open(labels) as f:
            y = np.frombuffer(f.read(), np.uint8, offset=8)[:examples]
        return x.reshape(examples, 784) / 255.0, y.astype(np.int64), "fashion-mnist"
    rng = np.random.default_rng(0)
    centres = rng.uniform(0, 1, (10, 784))
    y = rng.integers(0, 10, examples)
    x = np.clip(centres[y] + rng.normal(0, 0.3, (examples, 784)), 0, 1)
    return x, y, "synthetic"


def model(act, dtype):
    torch.manual_seed(0)  # every rank starts from the same weights (DDP also broadcasts them)
    return torch.nn.Sequential(
        torch.nn.Linear(784, 256), st.Activation(act), torch.nn.Linear(256, 128),
        st.Activation(act), torch.nn.Linear(128, 10)).to(dtype)


def train(rank, world, args, out):
    """Trains on rank's rows of each global batch and, on rank 0, saves the weights to `out`."""
    torch.set_num_threads(1)  # sigma's operators follow it
    dtype = getattr(torch, args.dtype)
    x, y, _ = load(args.steps * args.batch)
    net = model(args.act, dtype)
    if world > 1:
        dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{args.port}", rank=rank,
                                world_size=world)
        net = torch.nn.parallel.DistributedDataParallel(net)
    optimizer = torch.optim.SGD(net.parameters(), lr=args.lr, momentum=0.9)
    share = args.batch // world
    for step in range(args.steps):
        first = step * args.batch + rank * share
        xb = torch.from_numpy(x[first:first + share]).to(dtype)
        yb = torch.from_numpy(y[first:first + share])
        # The mean over this rank's share; DDP averages the ranks' gradients, which is the
        # gradient of the mean over the global batch when the shares are equal.
        loss = st.cross_entropy(net(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    if rank == 0:
        state = net.module.state_dict() if world > 1 else net.state_dict()
        torch.save(state, out)
        print(f"world {world}: final loss of rank 0's share {loss.item():.6f}")
    if world > 1:
        dist.destroy_process_group()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--world", type=int, default=2)
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--batch", type=int, default=128, help="the global batch")
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--act", default="gelu")
    parser.add_argument("--dtype", default="float32", choices=["float32", "float64"])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if args.batch % args.world:
        parser.error("--batch must be a multiple of --world")
    args.port = free_port()
    print(f"data: {load(1)[2]}, {args.steps} steps of {args.batch} examples, act {args.act}")
    with tempfile.TemporaryDirectory() as scratch:
        distributed = os.path.join(scratch, "distributed.pt")
        # fork: the workers inherit the imported torch instead of importing it again.
        mp.start_processes(train, args=(args.world, args, distributed), nprocs=args.world,
                           start_method="fork")
        if args.check:
            single = os.path.join(scratch, "single.pt")
            train(0, 1, args, single)
            a, b = torch.load(distributed), torch.load(single)
            diff = max((a[k] - b[k]).abs().max().item() for k in a)
            print(f"largest difference between the weights: {diff:.3g}")


if __name__ == "__main__":
    main()
