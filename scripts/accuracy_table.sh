#!/usr/bin/env bash
# Regenerates the float32 table of docs/accuracy.md: `sigma accuracy` for every catalog function,
# value and derivative, on a 1/97 sample of all float bit patterns (--exhaustive for all 2^32).
# Usage: scripts/accuracy_table.sh [--exhaustive] > table.md
set -euo pipefail
cd "$(dirname "$0")/.."
sigma=./build/tools/sigma
names=$("$sigma" list --json | /usr/bin/python3 -c 'import json,sys; print(" ".join(f["name"] for f in json.load(sys.stdin)))')
echo "| function | f: max ulp | at x | f': max ulp | at x |"
echo "|---|---|---|---|---|"
for name in $names; do
  f=$("$sigma" accuracy "$name" "$@")
  g=$("$sigma" accuracy "$name" --grad "$@")
  # "NAME f: max 0.500 ulp at x = 1.5 (0x3fc00000), mean ..."
  field() { sed -E 's/.* max ([0-9.]+|inf) ulp at x = ([^ ]+) .*/\'"$1"'/' <<<"$2"; }
  echo "| $name | $(field 1 "$f") | $(field 2 "$f") | $(field 1 "$g") | $(field 2 "$g") |"
done
