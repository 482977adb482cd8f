#!/usr/bin/env bash
# sigma's main job on its default: set up, build, then show the catalog and a worked example.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
./build/tools/sigma list
echo
echo "$ sigma eval gelu --dtype f32 -- -10 -1 0 1 10"
./build/tools/sigma eval gelu --dtype f32 -- -10 -1 0 1 10
