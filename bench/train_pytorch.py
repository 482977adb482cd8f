#!/usr/bin/python3
"""The network of `sigma train` in PyTorch, for the side-by-side benchmark (bench/train_compare.sh).

Same data (the IDX files, pixels / 255), architecture (784-H...-10, the activation after every
hidden layer), initialisation (He normal for the rectifiers, Xavier normal for bounded functions;
zero biases), optimizer (SGD with PyTorch's momentum), batch, learning rate, epochs and threads.
Prints one JSON line per epoch with the fields of sigma's training log.

Run with Debian's /usr/bin/python3 (python3-torch).
"""
import argparse
import gzip
import json
import os
import struct
import time

import numpy as np
import torch


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype, rank = struct.unpack(">HBB", data[:4])
    assert zero == 0 and dtype == 0x08, f"{path}: not an unsigned-byte IDX file"
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    return np.frombuffer(data, np.uint8, offset=4 + 4 * rank).reshape(dims)


def load(folder, prefix):
    def find(name):
        path = os.path.join(folder, name)
        return path if os.path.exists(path) else path + ".gz"
    images = read_idx(find(f"{prefix}-images-idx3-ubyte"))
    labels = read_idx(find(f"{prefix}-labels-idx1-ubyte"))
    x = torch.from_numpy(images.reshape(len(images), -1).astype(np.float32) / 255.0)
    return x, torch.from_numpy(labels.astype(np.int64))


ACTIVATIONS = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--act", default="relu", choices=sorted(ACTIVATIONS))
    parser.add_argument("--hidden", default="256,128")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--momentum", type=float, default=0.9)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    train_x, train_y = load(args.data, "train")
    test_x, test_y = load(args.data, "t10k")

    sizes = [train_x.shape[1]] + [int(h) for h in args.hidden.split(",")] + [10]
    layers = []
    for i in range(len(sizes) - 1):
        linear = torch.nn.Linear(sizes[i], sizes[i + 1])
        if args.act == "relu":
            torch.nn.init.kaiming_normal_(linear.weight, nonlinearity="relu")
        else:
            torch.nn.init.xavier_normal_(linear.weight)
        torch.nn.init.zeros_(linear.bias)
        layers.append(linear)
        if i + 2 < len(sizes):
            layers.append(ACTIVATIONS[args.act]())
    model = torch.nn.Sequential(*layers)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum)
    loss_fn = torch.nn.CrossEntropyLoss()

    n = len(train_x)
    for epoch in range(1, args.epochs + 1):
        model.train()
        start = time.perf_counter()
        # One gather per epoch, then slices: indexing every batch costs PyTorch three times as much.
        order = torch.randperm(n)
        shuffled_x, shuffled_y = train_x[order], train_y[order]
        loss_sum, errors, batches = 0.0, 0, 0
        for begin in range(0, n, args.batch):
            x = shuffled_x[begin:begin + args.batch]
            y = shuffled_y[begin:begin + args.batch]
            optimizer.zero_grad(set_to_none=True)
            logits = model(x)
            loss = loss_fn(logits, y)
            loss.backward()
            optimizer.step()
            loss_sum += loss.item()
            errors += (logits.argmax(1) != y).sum().item()
            batches += 1
        seconds = time.perf_counter() - start
        model.eval()
        with torch.no_grad():
            accuracy = (model(test_x).argmax(1) == test_y).float().mean().item()
        print(json.dumps({"act": args.act, "framework": "pytorch", "epoch": epoch,
                          "train_loss": loss_sum / batches, "train_error": errors / n,
                          "test_accuracy": accuracy, "seconds": seconds,
                          "samples_per_second": n / seconds}), flush=True)


if __name__ == "__main__":
    main()
