#!/usr/bin/env bash
# The sanitizer lane: builds sigma and its C++ test suites with clang, AddressSanitizer (leaks
# included) and UBSan into build-asan/, and runs the unit and CLI lanes there. Any report fails the
# run. Leaks inside fontconfig's cache (reached by cairo's text) are suppressed by
# tests/lsan.supp; nothing of sigma's is. Skipped where clang is missing.
# Usage: scripts/sanitize.sh [CTEST ARGS...]   (default: -L "unit|cli")
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if ! command -v clang++ >/dev/null; then
  echo "sanitize: skipped (no clang++)" >&2
  exit 0
fi
(($#)) || set -- -L "unit|cli"

# -O1 keeps the instrumented build and its tests fast enough, and so does compiling the kernels
# for one SIMD target (AVX2 with FMA) instead of every one it knows. Highway's AVX2 also needs
# AES and CLMUL, which x86-64-v3 lacks and clang's -march=haswell leaves out AES of: without
# -maes it fell back to SSSE3, whose MulAdd is not fused. Warnings are the GCC build's gate
# (scripts/test.sh).
flags="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all"
flags+=" -march=haswell -maes -DHWY_COMPILE_ONLY_STATIC=1"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSIGMA_WERROR=OFF \
  -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_FLAGS="$flags" \
  -DCMAKE_C_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO= \
  -DSIGMA_BUILD_BENCHMARKS=OFF -DSIGMA_BUILD_PYTHON=OFF >/dev/null
cmake --build build-asan -j"$(nproc)"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1:strict_string_checks=1
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build-asan --output-on-failure -j"$(nproc)" "$@"
