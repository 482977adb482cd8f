#!/usr/bin/env bash
# The reproducers of issue 21 against the CLI: planted links, FIFOs and folders where sigma
# writes, modes kept, temporaries of killed runs, training logs with diverged runs and bad
# fields, streaming eval, options that wrapped or conflicted, and SIGTERM. Each ends in the
# right result or one "sigma: error:" line.
# Usage: hardening_cli_test.sh PATH/TO/sigma
set -u

sigma=${1:?usage: hardening_cli_test.sh PATH/TO/sigma}
failed=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

fail() {
  failed=$((failed + 1))
  printf 'FAIL: %s\n' "$1" >&2
}

# expect_error STATUS NAME PART ARGS...: sigma ARGS fails with STATUS and one error line holding
# PART, within 20 s (a FIFO must not hang it).
expect_error() {
  local want=$1 name=$2 part=$3
  shift 3
  timeout 20 "$sigma" "$@" >"$work/out" 2>"$work/err" </dev/null
  local status=$?
  if [[ $status -ne $want ]]; then
    fail "$name: status $status, not $want: $(<"$work/err")"
  elif [[ $(wc -l <"$work/err") -ne 1 || $(<"$work/err") != "sigma: error: "* ]]; then
    fail "$name: stderr is not one error line: $(<"$work/err")"
  elif [[ $(<"$work/err") != *"$part"* ]]; then
    fail "$name: the error does not say '$part': $(<"$work/err")"
  fi
}

train=(train --data synthetic --epochs 1 --limit 200 --hidden 8 --threads 1)
# The address-space cap (KiB) of the memory checks below; AddressSanitizer reserves terabytes,
# so a sanitized build is not capped.
limit=400000
grep -qa __asan_init "$sigma" && limit=unlimited

# ---- Writing ----
echo precious >victim
# The issue's reproducer: a link planted at the old fixed temporary name is never opened.
ln -s victim m.sgm.tmp
"$sigma" "${train[@]}" --save m.sgm >/dev/null 2>err || fail "save beside a planted link: $(<err)"
[[ $(<victim) == precious ]] || fail "a link at m.sgm.tmp was followed"
[[ -f m.sgm && ! -L m.sgm ]] || fail "no model written"
# A link at the target itself is refused, unless asked to follow it.
ln -s victim link.sgm
expect_error 1 "save to a symlink" "symbolic link" "${train[@]}" --save link.sgm
[[ $(<victim) == precious ]] || fail "--save followed a symlink"
"$sigma" "${train[@]}" --save link.sgm --follow-symlinks >/dev/null 2>err ||
  fail "--follow-symlinks: $(<err)"
[[ -L link.sgm && $(head -c 8 victim) == SIGMAMDL ]] || fail "--follow-symlinks did not write the target"
echo precious >victim
ln -s victim link.jsonl
expect_error 1 "log to a symlink" "symbolic link" "${train[@]}" --log link.jsonl
ln -s victim link.svg
expect_error 1 "plot to a symlink" "symbolic link" plot relu -o link.svg
[[ $(<victim) == precious ]] || fail "the log or plot followed a symlink"
"$sigma" plot relu -o link.svg --follow-symlinks 2>err || fail "plot --follow-symlinks: $(<err)"
[[ -L link.svg && $(<victim) == *"<svg"* ]] || fail "plot --follow-symlinks did not write the target"
mkdir report && ln -s ../victim report/index.html
expect_error 1 "report over a symlink" "symbolic link" report --quick -o report
[[ $(<victim) == *"<svg"* ]] || fail "report followed a symlink"
"$sigma" report --quick --no-training -o report --follow-symlinks >/dev/null 2>err ||
  fail "report --follow-symlinks: $(<err)"
[[ -L report/index.html && $(<victim) == *"<!DOCTYPE html>"* ]] ||
  fail "report --follow-symlinks did not write the target"
# FIFOs and folders are refused, not replaced and not waited on.
mkfifo fifo
expect_error 1 "save to a FIFO" "not a regular file" "${train[@]}" --save fifo
expect_error 1 "log to a FIFO" "not a regular file" "${train[@]}" --log fifo
mkfifo fifo.svg
expect_error 1 "plot to a FIFO" "not a regular file" plot relu -o fifo.svg
[[ -p fifo && -p fifo.svg ]] || fail "a FIFO was replaced"
mkdir folder.sgm
expect_error 1 "save to a folder" "folder" "${train[@]}" --save folder.sgm
# A private file stays private.
touch private.sgm && chmod 600 private.sgm
"$sigma" "${train[@]}" --save private.sgm >/dev/null 2>err || fail "save over a 0600 file: $(<err)"
[[ $(stat -c %a private.sgm) == 600 ]] || fail "the mode became $(stat -c %a private.sgm)"
# The temporary of a run killed during a save (its process gone) is removed by the next save.
bash -c 'exit 0' &
dead=$!
wait "$dead"
head -c 100000 /dev/zero >".m.sgm.sigma-tmp-$dead-abcdef"
"$sigma" "${train[@]}" --save m.sgm >/dev/null 2>err || fail "save: $(<err)"
[[ ! -e ".m.sgm.sigma-tmp-$dead-abcdef" ]] || fail "the stale temporary is still there"
leftover=$(find . -name '*.sigma-tmp-*' | head -n 3)
[[ -z $leftover ]] || fail "temporaries left behind: $leftover"

# ---- Reading ----
# A diverged run logs null metrics; the report reads them as n/a instead of failing.
"$sigma" train --data synthetic --lr 1e30 --epochs 1 --limit 300 --hidden 8 --threads 1 \
  --log nan.jsonl >/dev/null 2>err || fail "the diverging run: $(<err)"
grep -q null nan.jsonl || fail "the diverging run logged no null: $(<nan.jsonl)"
"$sigma" report --quick --training-log nan.jsonl -o nan-report >/dev/null 2>err ||
  fail "the report refused a log with null metrics: $(<err)"
grep -q "n/a" nan-report/index.html || fail "the report does not show n/a for a NaN metric"
line='"act":"relu","seed":1,"train_loss":1,"train_error":0.5,"test_accuracy":0.5,"seconds":1,'
line+='"dead_fraction":[0],"grad_norm":[0.5]'
printf '{%s,"epoch":1}\n{%s,"epoch":1e10}\n' "$line" "$line" >bad.jsonl
expect_error 1 "epoch 1e10" "line 2: \"epoch\" must be a whole number" report --quick \
  --training-log bad.jsonl -o r
printf '{%s,"epoch":4294967297}\n' "$line" >bad.jsonl
expect_error 1 "epoch 2^32 + 1" "line 1: \"epoch\" must be a whole number" report --quick \
  --training-log bad.jsonl -o r
printf '{"act":"relu","seed":1,"epoch":1,"train_loss":"low"}\n' >bad.jsonl
expect_error 1 "a string metric" "\"train_loss\" must be a number" report --quick \
  --training-log bad.jsonl -o r
printf '{"act":"relu",\n' >bad.jsonl
expect_error 1 "broken JSON" "line 1: not valid JSON" report --quick --training-log bad.jsonl -o r
# A 12-byte IDX header that declares 60000 x 16384 bytes (983 MB) costs neither memory nor time,
# plain or compressed (the .gz one took 969 MB and 11 s); 400 MB of address space is plenty.
mkdir idx idx.gz
printf '\0\0\x08\x02\0\0\xea\x60\0\0\x40\x00' >header
for name in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte \
  t10k-labels-idx1-ubyte; do
  cp header "idx/$name"
  gzip -c header >"idx.gz/$name.gz"
done
for folder in idx idx.gz; do
  (ulimit -v "$limit" && "$sigma" train --data "$folder" --epochs 1) >out 2>err
  [[ $? -eq 1 && $(<err) == *"header declares 983040000 bytes of data and fewer follow"* ]] ||
    fail "a 12-byte IDX header in $folder: $(<err)"
done

# ---- eval, options ----
# 20 MB of input in bounded memory (it took 569 MB when read whole).
awk 'BEGIN { for (i = 0; i < 2500000; i++) printf "%.5f\n", (i % 2000) / 200 - 5 }' >big.txt
lines=$( (ulimit -v "$limit" && "$sigma" eval sigmoid <big.txt) | wc -l)
[[ $lines -eq 2500000 ]] || fail "eval of 20 MB in $limit KiB of address space printed $lines lines"
printf '1 2 x' | "$sigma" eval relu >/dev/null 2>err
[[ $(<err) == *"'x' (value 3)"* ]] || fail "a bad streamed value: $(<err)"
expect_error 2 "bench --elements -5" "must not be negative" bench relu --elements -5
expect_error 2 "train --limit -1" "must not be negative" train --limit -1
expect_error 1 "--lr nan" "learning rate" "${train[@]}" --lr nan
expect_error 1 "--momentum -0.5" "momentum" "${train[@]}" --momentum -0.5
expect_error 1 "--weight-decay nan" "weight decay" "${train[@]}" --weight-decay nan
expect_error 1 "adam --momentum" "apply to --optimizer sgd" "${train[@]}" --optimizer adam \
  --momentum 0.5
expect_error 1 "resume with other settings" "leave out --hidden, --lr, --seed" train \
  --data synthetic --limit 200 --resume m.sgm --lr 0.1 --hidden 4 --seed 1
"$sigma" train --data synthetic --limit 200 --epochs 2 --threads 1 --resume m.sgm >/dev/null \
  2>err || fail "resume with only the data options: $(<err)"

# ---- Signals ----
# SIGTERM saves a checkpoint, as Ctrl-C does, and the run continues from it.
"$sigma" train --data synthetic --epochs 100000 --hidden 64 --threads 1 --save term.sgm \
  --log term.jsonl >term.out 2>&1 &
pid=$!
for _ in $(seq 100); do
  [[ -s term.jsonl ]] && break
  sleep 0.2
done
kill -TERM "$pid"
wait "$pid"
status=$?
[[ $status -eq 143 ]] || fail "SIGTERM: status $status, not 143 (128 + 15): $(tail -n 2 term.out)"
grep -q "checkpoint saved to 'term.sgm'" term.out || fail "SIGTERM saved no checkpoint: $(<term.out)"
"$sigma" train --data synthetic --epochs 1 --threads 1 --resume term.sgm >/dev/null 2>err ||
  true
[[ -f term.sgm ]] || fail "no checkpoint after SIGTERM"

if ((failed)); then
  echo "hardening_cli: $failed failed" >&2
  exit 1
fi
echo "hardening_cli: passed"
