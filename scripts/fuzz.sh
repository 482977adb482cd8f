#!/usr/bin/env bash
# Runs the libFuzzer harnesses of tests/fuzz for SECONDS each (default 30), built with clang,
# AddressSanitizer and UBSan into build-fuzz/. Each starts from its committed seeds
# (tests/fuzz/corpus/NAME) plus what earlier runs found (build-fuzz/corpus/NAME); a crash, a leak,
# UB, more than 2 GB or 10 s on one input fails the run and leaves the input in
# build-fuzz/findings/. Skipped where clang is missing.
# Usage: scripts/fuzz.sh [SECONDS] [NAME...]   (names: spec number idx model training_log)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
shift || true
names=("$@")
((${#names[@]})) || names=(spec number idx model training_log)
bash scripts/setup.sh
if ! command -v clang++ >/dev/null; then
  echo "fuzz: skipped (no clang++)" >&2
  exit 0
fi

# Warnings are the GCC build's gate (scripts/test.sh); clang warns about more (unused constants).
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -g"
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Release -DSIGMA_WERROR=OFF \
  -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_CXX_FLAGS="$flags" -DSIGMA_BUILD_FUZZERS=ON \
  -DSIGMA_BUILD_TESTS=OFF -DSIGMA_BUILD_TOOLS=OFF -DSIGMA_BUILD_BENCHMARKS=OFF \
  -DSIGMA_BUILD_PYTHON=OFF >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target fuzzers

export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
mkdir -p build-fuzz/findings
failed=()
for name in "${names[@]}"; do
  mkdir -p "build-fuzz/corpus/$name"
  echo "fuzz: $name for ${seconds} s"
  log=build-fuzz/$name.log
  dict=()
  [[ -f tests/fuzz/$name.dict ]] && dict=(-dict="tests/fuzz/$name.dict")
  if "build-fuzz/tests/fuzz/fuzz_$name" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="build-fuzz/findings/$name-" \
    "${dict[@]}" "build-fuzz/corpus/$name" "tests/fuzz/corpus/$name" >"$log" 2>&1; then
    grep -E '^stat::(number_of_executed_units|peak_rss_mb)' "$log"
  else
    grep -v -E '^(#[0-9]|INFO:|\s+NEW_FUNC)' "$log" | tail -n 40 >&2
    echo "fuzz: $name found a problem; the input is in build-fuzz/findings/, the log in $log" >&2
    failed+=("$name")
  fi
done
if ((${#failed[@]})); then
  echo "fuzz: failed: ${failed[*]}" >&2
  exit 1
fi
