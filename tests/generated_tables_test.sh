#!/bin/bash
# The kernels' tables (tables/*.inc beside the kernels) are the output of
# scripts/fit_float_polynomials.py (coefficients) and scripts/derivative_roots.py (the roots of
# f'): reruns both into a temporary folder and diffs against them.
# Usage: generated_tables_test.sh PYTHON SOURCE_DIR   (PYTHON with numpy and mpmath)
set -euo pipefail
python=$1 root=$2
tables=$(dirname "$(find "$root/src" -name gelu_kernels.cpp)")/tables
fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT
"$python" "$root/scripts/fit_float_polynomials.py" "$fresh"  # exits 77 (skip) without AVX-512
"$python" "$root/scripts/derivative_roots.py" "$fresh"
diff -r "$tables" "$fresh"
echo "generated_tables: the $(ls "$fresh" | wc -l) tables in $tables are the generator's output"
