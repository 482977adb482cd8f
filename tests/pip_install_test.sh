#!/usr/bin/env bash
# `pip install --no-build-isolation .` (pyproject.toml, setup.py) into a fresh virtual environment
# of Debian's /usr/bin/python3 (--system-site-packages, for numpy and torch): the package builds
# with CMake and `import sigma` and (with WITH_TORCH=1, where libtorch-dev is installed)
# `import sigma.torch` work from the environment.
# Usage: pip_install_test.sh SOURCE_DIR [WITH_TORCH]
set -euo pipefail
source=$1 with_torch=${2:-1}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
/usr/bin/python3 -m venv --system-site-packages "$scratch/venv"
# ccache, where there is one, makes the rebuild of an unchanged tree quick.
cmake_args=""
if command -v ccache >/dev/null; then
  cmake_args="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache"
fi
CMAKE_ARGS="$cmake_args" CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-2} \
  "$scratch/venv/bin/pip" install --no-build-isolation --no-index --quiet "$source" \
  >"$scratch/pip.log" 2>&1 || { tail -n 30 "$scratch/pip.log" >&2; exit 1; }
cd "$scratch"
out=$("$scratch/venv/bin/python" -c '
import sigma
assert sigma.__file__.startswith("'"$scratch"'/venv/"), sigma.__file__
print(sigma.__version__, sigma.relu([-1.0, 2.0]).tolist())')
echo "venv: $out"
[[ $out == *" [0.0, 2.0]" ]]
if [[ $with_torch == 1 ]]; then
  out=$("$scratch/venv/bin/python" -c '
import sigma.torch, torch
print(sigma.torch.__file__, sigma.torch.GELU()(torch.zeros(1)).tolist())')
  echo "venv: $out"
  [[ $out == "$scratch/venv/"*" [0.0]" ]]
fi
[[ -n $(find "$scratch/venv" -name "__init__.pyi" -path "*sigma*") ]]
echo "pip install test passed"
