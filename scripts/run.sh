#!/usr/bin/env bash
# sigma's main job on its default: set up, build, then write the HTML atlas of every activation
# (sigma-report/index.html, measured on this machine) and say where it is.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
./build/tools/sigma report
