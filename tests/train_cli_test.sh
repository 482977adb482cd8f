#!/usr/bin/env bash
# Tests of `sigma train`: a short run on the synthetic set writes the JSON log fields, saves a
# model, resumes it, and every bad input is one "sigma: error:" line with the right status.
# Usage: train_cli_test.sh PATH/TO/sigma
set -u

sigma=${1:?usage: train_cli_test.sh PATH/TO/sigma}
python=/usr/bin/python3  # Debian's, for its json module
failed=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

fail() {
  failed=$((failed + 1))
  printf 'FAIL: %s\n' "$1" >&2
}

# expect_error STATUS NAME ARGS...: sigma train ARGS fails with STATUS and one error line.
expect_error() {
  local want=$1 name=$2
  shift 2
  "$sigma" train "$@" >"$work/out" 2>"$work/err"
  local status=$?
  if [[ $status -ne $want ]]; then
    fail "$name: status $status, not $want: $(<"$work/err")"
  elif [[ $(wc -l <"$work/err") -ne 1 || $(<"$work/err") != "sigma: error: "* ]]; then
    fail "$name: stderr is not one error line: $(<"$work/err")"
  fi
}

quick=(--data synthetic --limit 512 --hidden 32,16 --epochs 1 --threads 1)

if ! "$sigma" train "${quick[@]}" --act relu,tanh,hardtanh:min_val=-2,max_val=2 \
  --log log.jsonl --save model.sgm >out 2>err; then
  fail "a short run failed: $(<err)"
fi
grep -q "Comparison" out || fail "no comparison table: $(<out)"
[[ -f model-relu.sgm && -f model-tanh.sgm ]] || fail "no model files per activation: $(ls)"
"$python" - log.jsonl <<'PY' || fail "the JSON log"
import json, sys
records = [json.loads(line) for line in open(sys.argv[1])]
assert [r["act"] for r in records] == ["relu", "tanh", "hardtanh:min_val=-2,max_val=2"], records
for r in records:
    for key in ("act", "epoch", "train_loss", "train_error", "test_accuracy", "seconds",
                "samples_per_second", "dead_fraction", "grad_norm"):
        assert key in r, (key, r)
    assert r["epoch"] == 1
    assert len(r["dead_fraction"]) == 2 and len(r["grad_norm"]) == 2
    assert 0 <= r["train_error"] <= 1 and 0 <= r["test_accuracy"] <= 1
    assert r["samples_per_second"] > 0
assert "saturated_fraction" not in records[0]  # relu is unbounded
assert len(records[1]["saturated_fraction"]) == 2  # tanh is bounded
PY

# Resuming a finished one-epoch run for a second epoch appends to the log.
if ! "$sigma" train --data synthetic --limit 512 --epochs 2 --threads 1 --resume model-relu.sgm \
  --log log.jsonl >out 2>err; then
  fail "resume failed: $(<err)"
fi
[[ $(tail -n1 log.jsonl) == *'"epoch":2'* ]] || fail "the resumed epoch is not logged"

# The report reads the log.
"$sigma" report --quick --training-log log.jsonl -o report >/dev/null 2>&1 ||
  fail "sigma report did not read the training log"

# --depth repeats --hidden's one size.
"$sigma" train --data synthetic --limit 256 --hidden 8 --depth 3 --epochs 1 --threads 1 \
  --log deep.jsonl >out 2>err || fail "--depth 3 failed: $(<err)"
"$python" -c 'import json, sys; r = json.loads(open(sys.argv[1]).readline())
assert r["hidden"] == [8, 8, 8] and len(r["grad_norm"]) == 3, r' deep.jsonl ||
  fail "--hidden 8 --depth 3 did not train three layers of 8"
expect_error 1 "--depth with two sizes" --data synthetic --hidden 8,4 --depth 3
expect_error 2 "--depth 0" --data synthetic --depth 0

expect_error 1 "unknown activation" "${quick[@]}" --act relux
expect_error 1 "bad hidden sizes" --data synthetic --hidden 32,x
expect_error 1 "unknown initialiser" "${quick[@]}" --init he
expect_error 1 "missing data folder" --data "$work/nowhere" --epochs 1
expect_error 1 "corrupt model" --data synthetic --resume out
expect_error 1 "resume with --act" --data synthetic --resume model-relu.sgm --act tanh
expect_error 2 "unknown option" "${quick[@]}" --frobnicate
expect_error 2 "bad optimizer" "${quick[@]}" --optimizer rmsprop
expect_error 2 "zero epochs" "${quick[@]}" --epochs 0

if ((failed)); then
  echo "train_cli: $failed failed" >&2
  exit 1
fi
echo "train_cli: passed"
