#!/usr/bin/env bash
# Installs dependencies, builds strata (Release, build/) and trains the Fashion-MNIST example.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/install_deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)"
build/examples/fashion_mnist
