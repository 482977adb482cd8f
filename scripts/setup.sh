#!/usr/bin/env bash
# Installs everything sigma needs to build and test from Debian 12's packages. Idempotent: it
# only calls apt-get when a package is missing.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config python3   # build tools; python3 checks the CLI's JSON
  libcli11-dev libfmt-dev nlohmann-json3-dev  # the command-line tool
  libgtest-dev libgmock-dev libmpfr-dev libgmp-dev  # tests and the high-precision oracle
  libhwy-dev                                  # SIMD kernels with runtime dispatch
  libcairo2-dev fonts-dejavu-core             # sigma plot: drawing, and the figures' font
  libopenblas-dev zlib1g-dev dataset-fashion-mnist  # sigma train: GEMM, gzip IDX, the data
  chromium                                    # the report test opens the atlas headless
  pybind11-dev python3-dev python3-numpy   # the Python module
  libtorch-dev                                # sigma.torch: the operators in PyTorch's registry
  python3-setuptools python3-wheel python3-venv  # pip install . (tests/pip_install_test.sh)
  python3-pytest python3-torch python3-mpmath  # its tests: PyTorch and high precision
  libbenchmark-dev libdnnl-dev libxnnpack-dev libpthreadpool-dev  # benchmarks and their peers
  clang libclang-rt-dev                       # the fuzzers (libFuzzer) of scripts/fuzz.sh
)

# Elsewhere, or with SIGMA_SKIP_SETUP=1, the packages' equivalents are the user's to install.
if [[ ${SIGMA_SKIP_SETUP:-0} == 1 ]] || ! command -v dpkg-query >/dev/null; then
  echo "setup: skipped (install the equivalents of: ${packages[*]})" >&2
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
