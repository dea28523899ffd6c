#!/usr/bin/env bash
# Installs dependencies, builds strata (Release, build/) and runs the test suite; extra arguments go to ctest.
# Without arguments every test but the `slow` label runs (all applications: `scripts/test.sh -L slow`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/install_deps.sh
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache); fi
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release "${launcher[@]}"
cmake --build build -j"$(nproc)"
if [[ $# -eq 0 ]]; then set -- -LE slow; fi
ctest --test-dir build --output-on-failure -j2 "$@"
