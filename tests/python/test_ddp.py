"""examples/ddp_fashion_mnist.py: two processes under DistributedDataParallel (gloo on 127.0.0.1)
training the MLP with sigma's activation and loss reach the weights one process reaches on the
same global batches, to rounding (float64)."""

import os
import pathlib
import re
import subprocess
import sys

import pytest

pytest.importorskip("sigma.torch")  # built where libtorch-dev is installed
SOURCE = pathlib.Path(__file__).resolve().parents[2]


def test_two_processes_reach_the_weights_of_one():
    result = subprocess.run(
        [sys.executable, str(SOURCE / "examples" / "ddp_fashion_mnist.py"), "--world", "2",
         "--steps", "8", "--batch", "64", "--dtype", "float64", "--act", "silu", "--check"],
        capture_output=True, text=True, timeout=240, env=dict(os.environ, OMP_NUM_THREADS="1"))
    assert result.returncode == 0, result.stderr[-3000:]
    diff = float(re.search(r"largest difference between the weights: (\S+)", result.stdout)[1])
    losses = [float(v) for v in re.findall(r"final loss of rank 0's share (\S+)", result.stdout)]
    assert len(losses) == 2 and all(0 < v < 10 for v in losses), result.stdout
    assert diff < 1e-12, result.stdout
