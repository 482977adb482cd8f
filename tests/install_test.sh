#!/usr/bin/env bash
# Installs sigma into a scratch prefix, then builds a consumer with find_package(sigma CONFIG) and
# another with pkg-config, and runs both.
# Usage: install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 source=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

cmake --install "$build" --prefix "$scratch/prefix" >/dev/null
cmake -S "$source/tests/consumer" -B "$scratch/consumer" -G Ninja \
  -DCMAKE_PREFIX_PATH="$scratch/prefix" >/dev/null
cmake --build "$scratch/consumer" >/dev/null
out=$("$scratch/consumer/consumer")
echo "find_package consumer: $out"
[[ $out == *"gelu:approximate=tanh -0.158808 0.000000 0.841192"* ]]

libdir=$(find "$scratch/prefix" -name sigma.pc -printf '%h\n' | head -n1)
PKG_CONFIG_PATH=$libdir pkg-config --exists sigma
g++ "$source/tests/consumer/main.cpp" -o "$scratch/pc_consumer" \
  $(PKG_CONFIG_PATH=$libdir pkg-config --cflags --libs --static sigma)
out=$("$scratch/pc_consumer")
echo "pkg-config consumer: $out"
[[ $out == *"gelu:approximate=tanh"* ]]
echo "install test passed"
