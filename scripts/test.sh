#!/usr/bin/env bash
# Every test: set up, build, run the whole CTest suite (unit, accuracy, CLI, install, Python).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh -DSIGMA_WERROR=ON
ctest --test-dir build --output-on-failure -j"$(nproc)"
