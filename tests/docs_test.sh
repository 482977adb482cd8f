#!/usr/bin/env bash
# docs/functions.md is generated from the catalog; fail when it has drifted from it.
# Usage: docs_test.sh SIGMA SOURCE_DIR
set -euo pipefail
if ! diff -u "$2/docs/functions.md" <("$1" list --markdown); then
  echo "docs/functions.md is out of date: run 'sigma list --markdown > docs/functions.md'" >&2
  exit 1
fi
echo "docs/functions.md matches the catalog"
