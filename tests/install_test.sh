#!/usr/bin/env bash
# Installs sigma into a scratch prefix, then builds and runs a consumer of each installed target
# (sigma::sigma, sigma::core, sigma::plot, sigma::nn) with find_package(sigma CONFIG), and of
# sigma and sigma-core with pkg-config, as the README shows. The consumer of sigma::core is
# configured with cairo and zlib out of reach, and must link none of cairo, OpenBLAS and zlib.
# Usage: install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 source=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cmake --install "$build" --prefix "$scratch/prefix" >/dev/null

# consume TARGET [CMAKE_ARGS...]: configures, builds and runs tests/consumer linking sigma::TARGET.
consume() {
  local target=$1
  shift
  cmake -S "$source/tests/consumer" -B "$scratch/$target" -G Ninja \
    -DCMAKE_PREFIX_PATH="$scratch/prefix" -DSIGMA_CONSUMER="$target" "$@" >/dev/null
  cmake --build "$scratch/$target" >/dev/null
  "$scratch/$target/consumer"
}

# fails if a binary needs cairo, OpenBLAS or zlib, directly or through another library.
links_only_core() {
  if ldd "$1" | grep -E 'libcairo|libopenblas|libz\.so'; then
    echo "$1 links a dependency sigma::core must not need" >&2
    return 1
  fi
}

gelu='gelu:approximate=tanh -0.158808 0.000000 0.841192'
core_line="$gelu softmax 0.2500 0.7500 mse 0.06250"

out=$(consume sigma)
echo "find_package sigma::sigma: $out"
[[ $out == *"$gelu"* ]]

# No pkg-config modules (so no cairo) and no zlib for the consumer of sigma::core to find.
out=$(PKG_CONFIG_LIBDIR="$scratch/no-pkgconfig" consume core -DCMAKE_DISABLE_FIND_PACKAGE_ZLIB=ON)
echo "find_package sigma::core: $out"
[[ $out == "$core_line" ]]
link=$(ninja -C "$scratch/core" -t commands consumer | tail -n1)
if [[ $link =~ cairo|openblas|libz|-lz ]]; then
  echo "sigma::core's link line names cairo, OpenBLAS or zlib: $link" >&2
  exit 1
fi
links_only_core "$scratch/core/consumer"

out=$(consume plot)
echo "find_package sigma::plot: $out"
[[ $out == "plot: "*" bytes of SVG naming tanh" ]]
out=$(consume nn)
echo "find_package sigma::nn: $out"
[[ $out == "nn: relu init "*", data 20+10 of 784 features, mnist absent" ]]

if consume no_such_part >"$scratch/bad.log" 2>&1; then
  echo "find_package(sigma COMPONENTS no_such_part) succeeded" >&2
  exit 1
fi
grep -q "sigma has no component 'no_such_part'" "$scratch/bad.log"

pcdir=$(find "$scratch/prefix" -name sigma.pc -printf '%h\n' | head -n1)
export PKG_CONFIG_PATH=$pcdir
for module in sigma sigma-core sigma-plot sigma-nn; do pkg-config --exists "$module"; done
# shellcheck disable=SC2046  # the flags are words
g++ "$source/tests/consumer/main.cpp" -o "$scratch/pc_sigma" $(pkg-config --cflags --libs sigma)
out=$("$scratch/pc_sigma")
echo "pkg-config sigma: $out"
[[ $out == *"$gelu"* ]]
core_flags=$(pkg-config --cflags --libs sigma-core)
if [[ $core_flags =~ cairo|openblas|-lz ]]; then
  echo "pkg-config --libs sigma-core names cairo, OpenBLAS or zlib: $core_flags" >&2
  exit 1
fi
# shellcheck disable=SC2086
g++ "$source/tests/consumer/core_main.cpp" -o "$scratch/pc_core" $core_flags
out=$("$scratch/pc_core")
echo "pkg-config sigma-core: $out"
[[ $out == "$core_line" ]]
links_only_core "$scratch/pc_core"
echo "install test passed"
