#!/usr/bin/env bash
# docs/functions.md is generated from the catalog, and README.md states its size; fail when either
# has drifted from it.
# Usage: docs_test.sh SIGMA SOURCE_DIR
set -euo pipefail
if ! diff -u "$2/docs/functions.md" <("$1" list --markdown); then
  echo "docs/functions.md is out of date: run 'sigma list --markdown > docs/functions.md'" >&2
  exit 1
fi
echo "docs/functions.md matches the catalog"
# README.md states the catalog's size.
count=$("$1" list | sed -n 's/^\([0-9]*\) functions\..*/\1/p')
if ! grep -q "^- \*\*$count activations in one catalog\*\*" "$2/README.md"; then
  echo "README.md does not say '$count activations in one catalog'" >&2
  exit 1
fi
echo "README.md counts $count activations"
