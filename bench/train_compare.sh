#!/usr/bin/env bash
# sigma train beside PyTorch on the same network, data and settings (issue 7's target):
# 784-256-128-10 ReLU, batch 128, SGD with momentum 0.9, lr 0.05, 2 threads, 5 epochs.
# Prints each framework's median seconds per epoch, samples per second and final test accuracy.
# PyTorch runs twice: as installed, and with OMP_WAIT_POLICY=PASSIVE, because its OpenMP threads
# spin while they wait, which on a busy machine (other jobs on the same cores) costs it up to
# ten times its quiet speed; the second row shows what it does without that.
# Usage: bench/train_compare.sh PATH/TO/sigma [EPOCHS]
set -euo pipefail
sigma=${1:?usage: train_compare.sh PATH/TO/sigma [EPOCHS]}
epochs=${2:-5}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
settings=(--act relu --hidden 256,128 --batch 128 --lr 0.05 --momentum 0.9 --threads 2
          --epochs "$epochs" --seed 42)

"$sigma" train "${settings[@]}" --optimizer sgd --log "$work/sigma.jsonl" >/dev/null
/usr/bin/python3 "$here/train_pytorch.py" "${settings[@]}" >"$work/pytorch.jsonl"
OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 "$here/train_pytorch.py" "${settings[@]}" \
  >"$work/pytorch_passive.jsonl"

/usr/bin/python3 - "$work/sigma.jsonl" "$work/pytorch.jsonl" "$work/pytorch_passive.jsonl" <<'PY'
import json, statistics, sys
rows = {}
for name, path in (("sigma", sys.argv[1]), ("pytorch", sys.argv[2]),
                   ("pytorch, passive wait", sys.argv[3])):
    records = [json.loads(line) for line in open(path)]
    rows[name] = (statistics.median(r["seconds"] for r in records),
                  statistics.median(r["samples_per_second"] for r in records),
                  records[-1]["test_accuracy"], len(records))
print(f"{'':22} {'s/epoch':>8} {'samples/s':>10} {'test acc':>9}  "
      f"(medians over {rows['sigma'][3]} epochs; final accuracy)")
for name, (seconds, rate, accuracy, _) in rows.items():
    print(f"{name:22} {seconds:8.2f} {rate:10.0f} {100 * accuracy:8.2f}%")
for other in ("pytorch", "pytorch, passive wait"):
    print(f"sigma / {other}: {rows['sigma'][1] / rows[other][1]:.2f}x the samples/s, "
          f"{100 * (rows['sigma'][2] - rows[other][2]):+.2f} points of test accuracy")
PY
